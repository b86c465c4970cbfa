package dev.pgjvm.core.protocol;

/** 'C': a statement finished; tag is e.g. "SELECT 3", "INSERT 0 1", "CREATE TABLE". */
public record CommandComplete(String tag) implements BackendMessage {
}
