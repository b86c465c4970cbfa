package dev.pgjvm.core.protocol;

/** 'R' code 3: send the password in clear text. */
public record AuthenticationCleartextPassword() implements AuthenticationRequest {
}
