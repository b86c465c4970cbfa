package dev.pgjvm.core.protocol;

/** 'K': the backend's process id and the secret key a CancelRequest must quote. */
public record BackendKeyData(int processId, int secretKey) implements BackendMessage {
}
