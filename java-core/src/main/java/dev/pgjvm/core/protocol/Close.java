package dev.pgjvm.core.protocol;

/** 'C': close a prepared statement (kind 'S') or a portal (kind 'P'). */
public record Close(char kind, String name) implements FrontendMessage {
    public Close {
        if (kind != 'S' && kind != 'P') {
            throw new IllegalArgumentException("kind must be 'S' or 'P'");
        }
    }
}
