package dev.pgjvm.core.protocol;

/** 'S': ends an extended-query batch; the server answers with ReadyForQuery. */
public record Sync() implements FrontendMessage {
}
