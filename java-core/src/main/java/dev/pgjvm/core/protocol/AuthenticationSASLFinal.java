package dev.pgjvm.core.protocol;

/** 'R' code 12: the server's last SASL message (SCRAM server-final-message). */
public record AuthenticationSASLFinal(Bytes data) implements AuthenticationRequest {
}
