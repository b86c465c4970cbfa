package dev.pgjvm.core.protocol;

/** 'n': the described statement or portal returns no rows. */
public record NoData() implements BackendMessage {
}
