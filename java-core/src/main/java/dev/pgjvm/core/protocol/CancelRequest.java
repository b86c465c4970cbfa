package dev.pgjvm.core.protocol;

/** Sent on a fresh connection to cancel the query running in the backend identified by BackendKeyData. */
public record CancelRequest(int processId, int secretKey) implements FrontendMessage {
    public static final int CODE = 80877102;
}
