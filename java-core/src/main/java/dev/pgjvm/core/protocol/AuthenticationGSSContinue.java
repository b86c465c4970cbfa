package dev.pgjvm.core.protocol;

/** 'R' code 8: more GSSAPI or SSPI data (not supported). */
public record AuthenticationGSSContinue(Bytes data) implements AuthenticationRequest {
}
