package dev.pgjvm.core.protocol;

import java.util.Arrays;

/** 'p': the chosen SASL mechanism and its first message (null: no initial response). */
public record SASLInitialResponse(String mechanism, byte[] data) implements FrontendMessage {
    public SASLInitialResponse {
        data = data == null ? null : data.clone();
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SASLInitialResponse other && mechanism.equals(other.mechanism)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return mechanism.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SASLInitialResponse[" + mechanism + "]";
    }
}
