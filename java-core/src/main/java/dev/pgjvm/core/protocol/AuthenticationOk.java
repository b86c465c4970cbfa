package dev.pgjvm.core.protocol;

/** 'R' code 0: authentication succeeded. */
public record AuthenticationOk() implements AuthenticationRequest {
}
