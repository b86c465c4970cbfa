package dev.pgjvm.core.protocol;

/** 'S': the current value of a reported run-time parameter (server_version, client_encoding, ...). */
public record ParameterStatus(String name, String value) implements BackendMessage {
}
