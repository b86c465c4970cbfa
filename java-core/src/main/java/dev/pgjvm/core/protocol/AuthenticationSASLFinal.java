package dev.pgjvm.core.protocol;

import java.util.Arrays;

/** 'R' code 12: the server's last SASL message (SCRAM server-final-message). */
public record AuthenticationSASLFinal(byte[] data) implements BackendMessage {
    public AuthenticationSASLFinal {
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
        return o instanceof AuthenticationSASLFinal other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AuthenticationSASLFinal[" + data.length + " bytes]";
    }
}
