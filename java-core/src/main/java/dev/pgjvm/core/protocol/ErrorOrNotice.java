package dev.pgjvm.core.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an ErrorResponse and a NoticeResponse share: their fields, keyed by their one-letter
 * code (S severity, V non-localized severity, C SQLSTATE, M message, D detail, H hint,
 * P position, p internal position, q internal query, W context, s schema, t table, c column,
 * d data type, n constraint, F file, L line, R routine) and kept in arrival order.
 */
public sealed interface ErrorOrNotice permits ErrorResponse, NoticeResponse {
    /** All fields, unmodifiable, in arrival order. */
    Map<Character, String> fields();

    /** A field by code, or null when absent. */
    default String field(char code) {
        return fields().get(code);
    }

    default String sqlState() {
        return field('C');
    }

    default String message() {
        return field('M');
    }

    /** An unmodifiable copy in the same order, for the records' constructors. */
    static Map<Character, String> copyOf(Map<Character, String> fields) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
