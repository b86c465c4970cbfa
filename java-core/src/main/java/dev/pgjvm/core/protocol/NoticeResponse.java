package dev.pgjvm.core.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 'N': a notice or warning; nothing failed.
 * Fields are keyed by their one-letter code (S severity, V non-localized severity, C SQLSTATE,
 * M message, D detail, H hint, P position, p internal position, q internal query, W context,
 * s schema, t table, c column, d data type, n constraint, F file, L line, R routine) and kept
 * in arrival order.
 */
public record NoticeResponse(Map<Character, String> fields) implements BackendMessage {
    public NoticeResponse {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A field by code, or null when absent. */
    public String field(char code) {
        return fields.get(code);
    }

    public String sqlState() {
        return fields.get('C');
    }

    public String message() {
        return fields.get('M');
    }
}
