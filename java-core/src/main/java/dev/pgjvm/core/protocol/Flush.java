package dev.pgjvm.core.protocol;

/** 'H': asks the server to send what it has buffered, without ending the batch. */
public record Flush() implements FrontendMessage {
}
