package dev.pgjvm.core.protocol;

/** 'R' code 9: start SSPI authentication (not supported; parsed to report it clearly). */
public record AuthenticationSSPI() implements AuthenticationRequest {
}
