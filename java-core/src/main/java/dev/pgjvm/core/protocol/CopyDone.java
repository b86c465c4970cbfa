package dev.pgjvm.core.protocol;

/** 'c': the end of COPY data; the same message travels in both directions. */
public record CopyDone() implements BackendMessage, FrontendMessage {
}
