package dev.pgjvm.core.protocol;

import java.util.Map;

/** 'E': an error; the statement (or the connection, for FATAL) failed. Fields: {@link ErrorOrNotice}. */
public record ErrorResponse(Map<Character, String> fields) implements BackendMessage, ErrorOrNotice {
    public ErrorResponse {
        fields = ErrorOrNotice.copyOf(fields);
    }
}
