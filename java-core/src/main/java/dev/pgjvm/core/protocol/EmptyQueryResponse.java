package dev.pgjvm.core.protocol;

/** 'I': the query string was empty. */
public record EmptyQueryResponse() implements BackendMessage {
}
