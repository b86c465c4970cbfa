package dev.pgjvm.core.protocol;

/** 'R' code 11: the server's next SASL message (SCRAM server-first-message). */
public record AuthenticationSASLContinue(Bytes data) implements AuthenticationRequest {
}
