package dev.pgjvm.core.protocol;

/**
 * 'Q': a simple query; may hold several statements separated by semicolons. The text is already
 * in the client encoding: the caller encodes (and escapes literals) in the encoding the server
 * will read, so that what it escaped is what the server parses.
 */
public record Query(byte[] sql) implements FrontendMessage {
}
