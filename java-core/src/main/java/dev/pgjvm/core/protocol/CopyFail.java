package dev.pgjvm.core.protocol;

/** 'f': aborts a COPY FROM STDIN with the given reason. */
public record CopyFail(String message) implements FrontendMessage {
}
