package dev.pgjvm.core.protocol;

/** 'p': a further SASL message (SCRAM client-final-message). */
public record SASLResponse(Bytes data) implements FrontendMessage {
}
