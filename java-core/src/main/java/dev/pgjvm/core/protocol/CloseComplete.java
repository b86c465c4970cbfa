package dev.pgjvm.core.protocol;

/** '3': Close succeeded. */
public record CloseComplete() implements BackendMessage {
}
