package dev.pgjvm.core.protocol;

/** '2': Bind succeeded. */
public record BindComplete() implements BackendMessage {
}
