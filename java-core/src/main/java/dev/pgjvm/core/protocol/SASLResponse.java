package dev.pgjvm.core.protocol;

import java.util.Arrays;

/** 'p': a further SASL message (SCRAM client-final-message). */
public record SASLResponse(byte[] data) implements FrontendMessage {
    public SASLResponse {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SASLResponse other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SASLResponse[" + data.length + " bytes]";
    }
}
