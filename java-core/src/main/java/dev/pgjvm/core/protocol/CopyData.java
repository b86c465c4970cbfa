package dev.pgjvm.core.protocol;

import java.util.Arrays;

/** 'd': a chunk of COPY data; the same message travels in both directions. */
public record CopyData(byte[] data) implements BackendMessage, FrontendMessage {
    public CopyData {
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
        return o instanceof CopyData other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CopyData[" + data.length + " bytes]";
    }
}
