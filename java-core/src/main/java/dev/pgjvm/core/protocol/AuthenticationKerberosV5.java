package dev.pgjvm.core.protocol;

/** 'R' code 2: Kerberos V5 (long removed from the server; parsed only to report it clearly). */
public record AuthenticationKerberosV5() implements AuthenticationRequest {
}
