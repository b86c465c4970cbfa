package dev.pgjvm.core.session;

import dev.pgjvm.core.testing.WireArbitraries;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.util.Map;

import static dev.pgjvm.core.testing.Gens.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * libpq-style formatting of whatever fields a server sends in an ErrorResponse or
 * NoticeResponse (any codes, positions that are not numbers or point past the query, queries
 * with tabs, line breaks and wide characters): it never throws, and the text holds each field
 * where libpq puts it. QuickTheories properties (see {@code testing/Gens}): fixed seed, bounded
 * tries, a failure shrunk to the smallest input.
 */
class ServerMessageFormatterPropertiesTest {
    static final long SEED = 20261205L;

    /** A query with what moves the caret: tabs, CR/LF, wide (CJK) characters, long lines; or none. */
    private static Gen<String> queries() {
        return orNull(strings(weighted(weight(95, charRange(' ', '~')), weight(5, charsOf("\t\r\n\u4e2d\u00e9"))), 200), 20);
    }

    @Test
    void everyFieldIsShownWhereLibpqShowsIt() {
        theory(SEED, 1500).forAll(WireArbitraries.errorFields(), queries(), booleans())
                .checkAssert(ServerMessageFormatterPropertiesTest::everyFieldIsShownWhereLibpqShowsIt);
    }

    private static void everyFieldIsShownWhereLibpqShowsIt(Map<Character, String> fields, String query, boolean isError) {
        String text = ServerMessageFormatter.format(fields, query, isError);
        assertTrue(text.endsWith("\n"), text);
        String severity = fields.containsKey('S') ? fields.get('S') : fields.get('V');
        String firstLine = (severity != null ? severity + ":  " : "") + (fields.get('M') != null ? fields.get('M') : "");
        assertTrue(text.startsWith(firstLine), text);
        assertLabelled(text, "DETAIL", fields.get('D'));
        assertLabelled(text, "HINT", fields.get('H'));
        assertLabelled(text, "QUERY", fields.get('q'));
        if (isError) {
            assertLabelled(text, "CONTEXT", fields.get('W'));
        } else if (fields.get('W') != null) {
            assertFalse(text.contains("CONTEXT:  "), "a notice shows no context");
        }
        // Under a LINE display, the caret points into the line shown (wide characters take two columns).
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("LINE ") && lines[i + 1].matches(" *\\^")) {
                int columns = lines[i].codePoints().map(ServerMessageFormatter::displayWidth).sum();
                assertTrue(lines[i + 1].length() - 1 <= columns, text);
            }
        }
    }

    private static void assertLabelled(String text, String label, String value) {
        if (value != null) {
            assertTrue(text.contains(label + ":  " + value + "\n"), label + " missing from: " + text);
        }
    }
}
