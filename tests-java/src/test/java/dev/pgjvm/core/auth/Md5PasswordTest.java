package dev.pgjvm.core.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Md5PasswordTest {
    @Test
    void knownVector() {
        // md5(md5("secret" + "postgres").hex + 01 02 03 04).hex, computed independently with Python's hashlib.
        assertEquals("md5bb41a296aab6baccb36ff243a562abff",
                Md5Password.encode("postgres", "secret", new byte[]{1, 2, 3, 4}));
    }

    @Test
    void innerHashIsWhatTheServerStores() {
        // The server stores "md5" + md5(password + user); the salted hash is built from that hex.
        String stored = "md57541d4e65fae11bd07f18dc6fe2b02bc"; // md5pass / md5user
        byte[] salt = {9, 8, 7, 6};
        String viaStored = "md5" + md5Hex((stored.substring(3) + new String(salt, java.nio.charset.StandardCharsets.ISO_8859_1))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(viaStored, Md5Password.encode("md5user", "md5pass", salt));
    }

    private static String md5Hex(byte[] b) {
        try {
            StringBuilder sb = new StringBuilder();
            for (byte x : java.security.MessageDigest.getInstance("MD5").digest(b)) {
                sb.append(String.format("%02x", x));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
