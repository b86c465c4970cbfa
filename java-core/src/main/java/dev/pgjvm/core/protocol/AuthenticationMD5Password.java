package dev.pgjvm.core.protocol;

import java.util.Arrays;

/** 'R' code 5: send md5(md5(password + user) + salt). */
public record AuthenticationMD5Password(byte[] salt) implements BackendMessage {
    public AuthenticationMD5Password {
        if (salt.length != 4) {
            throw new IllegalArgumentException("MD5 salt must be 4 bytes");
        }
        salt = salt.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationMD5Password other && Arrays.equals(salt, other.salt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "AuthenticationMD5Password[salt=" + Arrays.toString(salt) + "]";
    }
}
