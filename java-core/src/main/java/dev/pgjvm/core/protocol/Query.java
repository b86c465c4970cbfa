package dev.pgjvm.core.protocol;

/** 'Q': a simple query; may hold several statements separated by semicolons. */
public record Query(String sql) implements FrontendMessage {
}
