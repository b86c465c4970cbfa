package dev.pgjvm.core.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BytesTest {
    @Test
    void copiesInAndOut() {
        byte[] source = {1, 2, 3};
        Bytes bytes = Bytes.copyOf(source);
        source[0] = 9;
        assertArrayEquals(new byte[]{1, 2, 3}, bytes.toArray(), "a later change to the source does not show");
        bytes.toArray()[1] = 9;
        assertArrayEquals(new byte[]{1, 2, 3}, bytes.toArray(), "a change to a returned array does not show");
        assertEquals(3, bytes.length());
    }

    @Test
    void equalByContent() {
        assertEquals(Bytes.copyOf(new byte[]{1, 2}), Bytes.copyOf(new byte[]{1, 2}));
        assertEquals(Bytes.copyOf(new byte[]{1, 2}).hashCode(), Bytes.copyOf(new byte[]{1, 2}).hashCode());
        assertNotEquals(Bytes.copyOf(new byte[]{1, 2}), Bytes.copyOf(new byte[]{1, 3}));
        assertNotEquals(Bytes.copyOf(new byte[]{1}), Bytes.copyOf(new byte[]{1, 0}));
        assertEquals(Bytes.copyOf(new byte[0]), Bytes.copyOf(new byte[0]));
    }

    @Test
    void messagesHoldingBytesCompareByContentAndShowOnlyTheLength() {
        assertEquals(new CopyData(Bytes.copyOf(new byte[]{7})), new CopyData(Bytes.copyOf(new byte[]{7})));
        assertNotEquals(new CopyData(Bytes.copyOf(new byte[]{7})), new CopyData(Bytes.copyOf(new byte[]{8})));
        assertNotEquals(new AuthenticationSASLContinue(Bytes.copyOf(new byte[]{7})),
                new AuthenticationSASLFinal(Bytes.copyOf(new byte[]{7})));
        assertEquals("CopyData[data=3 bytes]", new CopyData(Bytes.copyOf("abc".getBytes())).toString());
        assertEquals("SASLResponse[data=6 bytes]", new SASLResponse(Bytes.copyOf("secret".getBytes())).toString());
    }

    @Test
    void md5SaltMustBeFourBytes() {
        assertThrows(IllegalArgumentException.class, () -> new AuthenticationMD5Password(Bytes.copyOf(new byte[3])));
        assertEquals(4, new AuthenticationMD5Password(Bytes.copyOf(new byte[4])).salt().length());
    }
}
