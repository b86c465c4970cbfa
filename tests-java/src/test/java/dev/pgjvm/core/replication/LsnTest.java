package dev.pgjvm.core.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/** LSN text as PostgreSQL writes and reads it: "16/B374D848", two hexadecimal halves. */
class LsnTest {
    @Test
    void parsesBothHalves() {
        assertEquals(0x16_B374D848L, Lsn.parse("16/B374D848"));
        assertEquals(0L, Lsn.parse("0/0"));
        assertEquals(0x1_0000_0000L, Lsn.parse("1/0"));
        assertEquals(0x16B3748L, Lsn.parse("0/16B3748"), "PostgreSQL 15 does not pad the low half");
        assertEquals(0x16B3748L, Lsn.parse("0/016B3748"));
    }

    @Test
    void parsesLowerCase() {
        assertEquals(0xAB_CDEF0123L, Lsn.parse("ab/cdef0123"));
    }

    @Test
    void theWholeUnsignedRange() {
        assertEquals(-1L, Lsn.parse("FFFFFFFF/FFFFFFFF"));
        assertEquals(Long.MIN_VALUE, Lsn.parse("80000000/0"));
        assertEquals("FFFFFFFF/FFFFFFFF", Lsn.format(-1L));
        assertEquals("80000000/00000000", Lsn.format(Long.MIN_VALUE));
    }

    @Test
    void formatsUpperCaseWithAnEightDigitLowHalf() {
        assertEquals("16/B374D848", Lsn.format(0x16_B374D848L));
        assertEquals("0/00000000", Lsn.format(0));
        assertEquals("0/016B3748", Lsn.format(0x16B3748L));
        assertEquals("1/00000000", Lsn.format(0x1_0000_0000L));
        assertEquals("AB/CDEF0123", Lsn.format(Lsn.parse("ab/cdef0123")));
    }

    @Test
    void roundTrips() {
        long[] values = {0, 1, 0xFFFFFFFFL, 0x1_0000_0000L, 0x16_B374D848L, Long.MAX_VALUE, Long.MIN_VALUE, -1L,
                0x0123_4567_89AB_CDEFL};
        for (long v : values) {
            assertEquals(v, Lsn.parse(Lsn.format(v)), Lsn.format(v));
        }
        for (String text : new String[] {"0/00000000", "16/B374D848", "FFFFFFFF/FFFFFFFF", "1/00000001"}) {
            assertEquals(text, Lsn.format(Lsn.parse(text)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "0", "16B374D848", "16/", "/B374D848", "0/0/0", "G/0", "0/G", "0x1/0",
            "123456789/0", "0/123456789", " 0/0", "0/0 ", "0 /0", "16-B374D848"})
    void invalidTextThrowsIllegalArgument(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lsn.parse(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    /**
     * PostgreSQL's pg_lsn input takes ASCII hexadecimal digits only (strspn over
     * "0123456789abcdefABCDEF"): no sign on either half, no other script's digits.
     */
    @ParameterizedTest
    @ValueSource(strings = {"-1/0", "+1/0", "0/-1", "0/+1", "-0/0", "1/-FFFFFFF", "\uFF11/0", "0/\u0661"})
    void onlyAsciiHexDigitsMakeAnLsn(String text) {
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse(text));
    }
}
