package dev.pgjvm.core.protocol;

/** 'D': describe a prepared statement (kind 'S') or a portal (kind 'P'). */
public record Describe(char kind, String name) implements FrontendMessage {
    public Describe {
        if (kind != 'S' && kind != 'P') {
            throw new IllegalArgumentException("kind must be 'S' or 'P'");
        }
    }
}
