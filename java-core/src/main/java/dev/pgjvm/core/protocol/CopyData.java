package dev.pgjvm.core.protocol;

/** 'd': a chunk of COPY data; the same message travels in both directions. */
public record CopyData(Bytes data) implements BackendMessage, FrontendMessage {
}
