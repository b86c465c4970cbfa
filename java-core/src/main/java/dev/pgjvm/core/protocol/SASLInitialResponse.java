package dev.pgjvm.core.protocol;

/** 'p': the chosen SASL mechanism and its first message (null: no initial response). */
public record SASLInitialResponse(String mechanism, Bytes data) implements FrontendMessage {
}
