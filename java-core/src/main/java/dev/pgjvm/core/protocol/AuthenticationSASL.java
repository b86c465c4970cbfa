package dev.pgjvm.core.protocol;

import java.util.List;

/** 'R' code 10: start SASL; lists the mechanisms the server accepts, in its order of preference. */
public record AuthenticationSASL(List<String> mechanisms) implements AuthenticationRequest {
    public AuthenticationSASL {
        mechanisms = List.copyOf(mechanisms);
    }
}
