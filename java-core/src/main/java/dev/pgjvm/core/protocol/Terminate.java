package dev.pgjvm.core.protocol;

/** 'X': the client is closing the connection. */
public record Terminate() implements FrontendMessage {
}
