package dev.pgjvm.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * PostgreSQL's MD5 passwords: what pg_authid stores, "md5" + md5hex(password + user)
 * ({@link #stored}), and the authentication response, "md5" + md5hex(md5hex(password + user) +
 * salt) ({@link #encode}).
 */
public final class Md5Password {
    private Md5Password() {
    }

    /** The hash the server stores for the password (what CREATE ROLE ... PASSWORD takes). */
    public static String stored(String user, String password) {
        return "md5" + md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
    }

    public static String encode(String user, String password, byte[] salt) {
        byte[] inner = (password + user).getBytes(StandardCharsets.UTF_8);
        String innerHex = md5Hex(inner);
        byte[] hexBytes = innerHex.getBytes(StandardCharsets.US_ASCII);
        byte[] salted = new byte[hexBytes.length + salt.length];
        System.arraycopy(hexBytes, 0, salted, 0, hexBytes.length);
        System.arraycopy(salt, 0, salted, hexBytes.length, salt.length);
        return "md5" + md5Hex(salted);
    }

    private static String md5Hex(byte[] input) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(input);
            StringBuilder sb = new StringBuilder(32);
            for (byte b : digest) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
