package dev.pgjvm.core.protocol;

import java.util.Arrays;

/** 'R' code 11: the server's next SASL message (SCRAM server-first-message). */
public record AuthenticationSASLContinue(byte[] data) implements BackendMessage {
    public AuthenticationSASLContinue {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The length of {@link #data()} without copying it. */
    public int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationSASLContinue other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AuthenticationSASLContinue[" + data.length + " bytes]";
    }
}
