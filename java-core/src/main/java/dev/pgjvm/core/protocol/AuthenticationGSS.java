package dev.pgjvm.core.protocol;

/** 'R' code 7: start GSSAPI authentication (not supported; parsed to report it clearly). */
public record AuthenticationGSS() implements AuthenticationRequest {
}
