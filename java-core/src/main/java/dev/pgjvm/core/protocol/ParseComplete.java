package dev.pgjvm.core.protocol;

/** '1': Parse succeeded. */
public record ParseComplete() implements BackendMessage {
}
