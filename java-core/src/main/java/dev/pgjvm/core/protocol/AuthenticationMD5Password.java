package dev.pgjvm.core.protocol;

/** 'R' code 5: send md5(md5(password + user) + salt). */
public record AuthenticationMD5Password(Bytes salt) implements AuthenticationRequest {
    public AuthenticationMD5Password {
        if (salt.length() != 4) {
            throw new IllegalArgumentException("MD5 salt must be 4 bytes");
        }
    }
}
