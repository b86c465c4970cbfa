package dev.pgjvm.core.session;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.pgjvm.core.testing.ServerMessages.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected strings are what psql (libpq, default verbosity) prints for the same errors. */
class ServerMessageFormatterTest {
    private static String error(Map<Character, String> f, String query) {
        return ServerMessageFormatter.format(f, query, true);
    }

    @Test
    void plainError() {
        assertEquals("ERROR:  division by zero\n",
                error(fields("S", "ERROR", "V", "ERROR", "C", "22012", "M", "division by zero"), "SELECT 1/0"));
    }

    @Test
    void caretUnderThePosition() {
        assertEquals("ERROR:  syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^\n",
                error(fields("S", "ERROR", "M", "syntax error at or near \"SELEC\"", "P", "1"), "SELEC 1"));
        assertEquals("ERROR:  column \"nope\" does not exist\nLINE 1: SELECT nope FROM t\n               ^\n",
                error(fields("S", "ERROR", "M", "column \"nope\" does not exist", "P", "8"), "SELECT nope FROM t"));
    }

    @Test
    void positionWithoutQueryText() {
        assertEquals("ERROR:  oops at character 5\n", error(fields("S", "ERROR", "M", "oops", "P", "5"), null));
    }

    @Test
    void multiLineQueries() {
        String q = "SELECT 1,\n  2,\n  nope\nFROM t";
        assertEquals("ERROR:  column \"nope\" does not exist\nLINE 3:   nope\n          ^\n",
                error(fields("S", "ERROR", "M", "column \"nope\" does not exist", "P", "18"), q));
        String crlf = "SELECT 1,\r\n  nope";
        assertEquals("ERROR:  x\nLINE 2:   nope\n          ^\n", error(fields("S", "ERROR", "M", "x", "P", "14"), crlf));
    }

    @Test
    void positionAtEndOfInput() {
        assertEquals("ERROR:  syntax error at end of input\nLINE 1: SELECT\n              ^\n",
                error(fields("S", "ERROR", "M", "syntax error at end of input", "P", "7"), "SELECT"));
    }

    @Test
    void tabsShowAsSpaces() {
        assertEquals("ERROR:  x\nLINE 1: SELECT  nope\n                ^\n",
                error(fields("S", "ERROR", "M", "x", "P", "9"), "SELECT\t\tnope"));
    }

    @Test
    void longLinesAreCutAroundTheCursor() {
        String q = "SELECT " + "a".repeat(100) + " + nope + " + "b".repeat(100);
        int pos = q.indexOf("nope") + 1;
        String expectedLine = "LINE 1: ..." + q.substring(pos - 1 - 50, pos - 1 + 10) + "...\n";
        String msg = error(fields("S", "ERROR", "M", "x", "P", Integer.toString(pos)), q);
        String[] lines = msg.split("\n");
        assertEquals(expectedLine, lines[1] + "\n");
        assertEquals(lines[1].indexOf("nope"), lines[2].indexOf('^'));
    }

    @Test
    void longLineWithEarlyCursorIsCutAtTheEndOnly() {
        String q = "SELECT nope, " + "x".repeat(100);
        String msg = error(fields("S", "ERROR", "M", "x", "P", "8"), q);
        assertEquals("ERROR:  x\nLINE 1: " + q.substring(0, 60) + "...\n" + " ".repeat(15) + "^\n", msg);
    }

    @Test
    void wideCharactersTakeTwoColumns() {
        assertEquals("ERROR:  x\nLINE 1: SELECT '日本', nope\n" + " ".repeat(23) + "^\n",
                error(fields("S", "ERROR", "M", "x", "P", "14"), "SELECT '日本', nope"));
    }

    @Test
    void detailHintQueryContextInLibpqOrder() {
        Map<Character, String> f = fields("S", "ERROR", "M", "boom", "W", "PL/pgSQL function f() line 3 at RAISE",
                "H", "try again", "D", "it broke", "q", "SELECT boom()", "p", "8");
        assertEquals("ERROR:  boom\nLINE 1: SELECT boom()\n               ^\nDETAIL:  it broke\nHINT:  try again\n"
                + "QUERY:  SELECT boom()\nCONTEXT:  PL/pgSQL function f() line 3 at RAISE\n", error(f, "SELECT f()"));
    }

    @Test
    void noticesOmitContext() {
        assertEquals("NOTICE:  hi\n", ServerMessageFormatter.format(
                fields("S", "NOTICE", "V", "NOTICE", "C", "00000", "M", "hi", "W", "PL/pgSQL function inline_code_block line 1 at RAISE"),
                "DO $$ BEGIN RAISE NOTICE 'hi'; END $$", false));
    }

    @Test
    void nonLocalizedSeverityIsTheFallback() {
        assertEquals("WARNING:  w\n", ServerMessageFormatter.format(fields("V", "WARNING", "M", "w"), null, false));
    }
}
