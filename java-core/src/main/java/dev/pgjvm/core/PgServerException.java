package dev.pgjvm.core;

import dev.pgjvm.core.session.ServerMessageFormatter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ErrorResponse from the server. {@link #getMessage()} is formatted the way libpq's
 * PQresultErrorMessage does at default verbosity, including the LINE/caret display when the
 * error carries a statement position and the query text is known.
 */
public class PgServerException extends PgException {
    private final Map<Character, String> fields;
    private final String query;

    public PgServerException(Map<Character, String> fields, String query) {
        super(ServerMessageFormatter.format(fields, query, true));
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        this.query = query;
    }

    /** All fields of the ErrorResponse, keyed by their one-letter code, in arrival order. */
    public Map<Character, String> fields() {
        return fields;
    }

    /** A field by its one-letter code ("M", "D", "C", ...), or null when the server did not send it. */
    public String field(String code) {
        if (code == null || code.length() != 1) {
            return null;
        }
        return fields.get(code.charAt(0));
    }

    public String sqlState() {
        return fields.get('C');
    }

    /** The localized severity ("ERROR", "FATAL", ...), falling back to the non-localized one. */
    public String severity() {
        String s = fields.get('S');
        return s != null ? s : fields.get('V');
    }

    /** The primary message alone, without severity or decorations. */
    public String primaryMessage() {
        return fields.get('M');
    }

    /** The query the error was raised for, or null (e.g. during start-up). */
    public String query() {
        return query;
    }
}
