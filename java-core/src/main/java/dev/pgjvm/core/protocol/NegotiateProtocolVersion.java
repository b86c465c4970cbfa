package dev.pgjvm.core.protocol;

import java.util.List;

/** 'v': the server does not support the requested minor version or some protocol options. */
public record NegotiateProtocolVersion(int newestMinorVersion, List<String> unrecognizedOptions)
        implements BackendMessage {
    public NegotiateProtocolVersion {
        unrecognizedOptions = List.copyOf(unrecognizedOptions);
    }
}
