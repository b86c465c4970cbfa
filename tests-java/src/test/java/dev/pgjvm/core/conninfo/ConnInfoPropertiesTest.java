package dev.pgjvm.core.conninfo;

import dev.pgjvm.core.ConnInfoException;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.pgjvm.core.testing.Gens.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The connection string parsers on random text: each string either parses or is refused with a
 * ConnInfoException (libpq's wording, ending in a newline), and so does resolving the options
 * against an empty environment; options written out quoted (key=value) or percent-encoded
 * (URI) come back as they were. QuickTheories properties (see {@code testing/Gens}): fixed seed,
 * bounded tries, a failure shrunk to the smallest input.
 */
class ConnInfoPropertiesTest {
    static final long SEED = 20261205L;
    /** A home without files and no PG* variables: resolving reads nothing from the machine. */
    private static final ClientEnvironment EMPTY = new ClientEnvironment(new HashMap<>(), "nobody",
            Path.of("/nonexistent-home-for-tests"), List.of(Path.of("/nonexistent-socket-dir")));
    private static final List<String> KEYWORDS = ConnInfoKeyword.ALL.stream().map(ConnInfoKeyword::name).toList();

    /** Text made mostly of what the two syntaxes give meaning to, and of keyword names. */
    private static Gen<String> dsnLike() {
        Gen<String> syntax = strings(Generate.oneOf(charsOf(" \t\n='\\\"%[]:/?&@,#0123456789abcdef"),
                charRange('\u0000', '\u00ff')), 60);
        Gen<String> keyword = pick(KEYWORDS.toArray(String[]::new));
        Gen<String> pieces = lists(weighted(weight(3, syntax), weight(2, keyword),
                        weight(1, pick("postgresql://", "postgres://", "=", "'", "\\", "%", "[::1]", "@"))), 0, 8)
                .map(l -> String.join("", l));
        return shown(Generate.oneOf(pieces, pieces.map(p -> "postgresql://" + p)));
    }

    /** Options with any values but NUL: a keyword each (requiressl aside: it becomes sslmode). */
    private static Gen<Map<String, String>> options() {
        Gen<String> value = strings(weighted(weight(4, charRange('\u0001', '\u00ff')), weight(1, charsOf("\u20ac\u4e2d"))), 20);
        return maps(pick(KEYWORDS.stream().filter(k -> !k.equals("requiressl")).toArray(String[]::new)), value, 6);
    }

    @Test
    void aStringParsesOrIsRefusedInLibpqsWords() {
        theory(SEED, 1500).forAll(dsnLike())
                .checkAssert(ConnInfoPropertiesTest::aStringParsesOrIsRefusedInLibpqsWords);
    }

    private static void aStringParsesOrIsRefusedInLibpqsWords(String dsn) {
        ConnInfo info;
        try {
            info = ConnInfo.parse(dsn);
        } catch (ConnInfoException refused) {
            assertTrue(refused.getMessage().endsWith("\n"), refused.getMessage());
            return;
        }
        for (String keyword : info.asMap().keySet()) {
            assertTrue(ConnInfoKeyword.isValid(keyword), keyword);
        }
        try {
            assertNotNull(ConnectionSettings.resolve(info, EMPTY));
        } catch (ConnInfoException refused) {
            assertTrue(refused.getMessage().endsWith("\n"), refused.getMessage());
        }
    }

    @Test
    void quotedKeyValuePairsComeBackAsWritten() {
        theory(SEED, 500).forAll(options())
                .checkAssert(ConnInfoPropertiesTest::quotedKeyValuePairsComeBackAsWritten);
    }

    private static void quotedKeyValuePairsComeBackAsWritten(Map<String, String> options) {
        StringBuilder dsn = new StringBuilder();
        options.forEach((k, v) -> dsn.append(k).append(" = '")
                .append(v.replace("\\", "\\\\").replace("'", "\\'")).append("'\t"));
        assertEquals(options, new LinkedHashMap<>(ConnInfo.parse(dsn.toString()).asMap()));
    }

    @Test
    void percentEncodedUriParametersComeBackAsWritten() {
        theory(SEED, 500).forAll(options())
                .checkAssert(ConnInfoPropertiesTest::percentEncodedUriParametersComeBackAsWritten);
    }

    private static void percentEncodedUriParametersComeBackAsWritten(Map<String, String> options) {
        StringBuilder uri = new StringBuilder("postgresql:///?");
        options.forEach((k, v) -> uri.append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")).append('&'));
        if (!options.isEmpty()) {
            uri.setLength(uri.length() - 1);
        }
        assertEquals(options, new LinkedHashMap<>(ConnInfo.parse(uri.toString()).asMap()));
    }
}
