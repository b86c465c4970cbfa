package dev.pgjvm.core.protocol;

import java.util.Arrays;

/** 'R' code 8: more GSSAPI or SSPI data (not supported). */
public record AuthenticationGSSContinue(byte[] data) implements BackendMessage {
    public AuthenticationGSSContinue {
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
        return o instanceof AuthenticationGSSContinue other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AuthenticationGSSContinue[" + data.length + " bytes]";
    }
}
