package dev.pgjvm.core.session;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class PgEncodingsTest {
    @Test
    void commonNames() {
        assertEquals(StandardCharsets.UTF_8, PgEncodings.charsetFor("UTF8").orElseThrow());
        assertEquals(StandardCharsets.UTF_8, PgEncodings.charsetFor("unicode").orElseThrow());
        assertEquals(StandardCharsets.ISO_8859_1, PgEncodings.charsetFor("LATIN1").orElseThrow());
        assertEquals(Charset.forName("ISO-8859-15"), PgEncodings.charsetFor("LATIN9").orElseThrow());
        assertEquals(Charset.forName("windows-1252"), PgEncodings.charsetFor("WIN1252").orElseThrow());
        assertEquals(Charset.forName("KOI8-R"), PgEncodings.charsetFor("KOI8R").orElseThrow());
        assertEquals(Charset.forName("EUC-JP"), PgEncodings.charsetFor("EUC_JP").orElseThrow());
        assertEquals(Charset.forName("windows-31j"), PgEncodings.charsetFor("SJIS").orElseThrow());
        assertEquals(Charset.forName("ISO-8859-5"), PgEncodings.charsetFor("ISO_8859_5").orElseThrow());
    }

    @Test
    void spellingVariantsAreAccepted() {
        assertEquals(StandardCharsets.UTF_8, PgEncodings.charsetFor("utf-8").orElseThrow());
        assertEquals(Charset.forName("EUC-JP"), PgEncodings.charsetFor("eucjp").orElseThrow());
        assertEquals(Charset.forName("windows-1251"), PgEncodings.charsetFor("win-1251").orElseThrow());
    }

    @Test
    void sqlAsciiDecodesAsLenientUtf8() {
        assertEquals(StandardCharsets.UTF_8, PgEncodings.charsetOrUtf8("SQL_ASCII"));
    }

    @Test
    void unknownNames() {
        assertTrue(PgEncodings.charsetFor("MULE_INTERNAL").isEmpty());
        assertTrue(PgEncodings.charsetFor(null).isEmpty());
        assertEquals(StandardCharsets.UTF_8, PgEncodings.charsetOrUtf8("MULE_INTERNAL"));
    }
}
