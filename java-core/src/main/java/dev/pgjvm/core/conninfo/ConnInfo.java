package dev.pgjvm.core.conninfo;

import dev.pgjvm.core.ConnInfoException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options given explicitly in a connection string (key=value or postgresql:// URI),
 * possibly with per-call overrides applied; no defaults. Immutable.
 * {@link ConnectionSettings#resolve} adds the environment and compiled defaults.
 */
public final class ConnInfo {
    private final Map<String, String> options;

    ConnInfo(Map<String, String> options) {
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public static ConnInfo empty() {
        return new ConnInfo(Map.of());
    }

    /**
     * Parses a libpq connection string: "postgresql://..." / "postgres://..." as a URI,
     * anything else as key=value pairs. An empty or blank string gives no options.
     *
     * @throws ConnInfoException with libpq's wording on malformed input or unknown keywords
     */
    public static ConnInfo parse(String dsn) {
        if (dsn == null) {
            return empty();
        }
        if (UriConnInfoParser.isUri(dsn)) {
            return new ConnInfo(UriConnInfoParser.parse(dsn));
        }
        return new ConnInfo(KeyValueConnInfoParser.parse(dsn));
    }

    /**
     * These options with each non-null override replacing the parsed value (psycopg2's
     * connect(dsn, **kwargs)).
     *
     * @throws ConnInfoException for a keyword libpq does not know
     */
    public ConnInfo withOverrides(Map<String, String> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(options);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            KeyValueConnInfoParser.store(merged, e.getKey(), e.getValue(),
                    "invalid connection option \"" + e.getKey() + "\"\n");
        }
        return new ConnInfo(merged);
    }

    /** The explicitly given value, or null. */
    public String get(String keyword) {
        return options.get(keyword);
    }

    /** The explicit options, in the order first given. */
    public Map<String, String> asMap() {
        return options;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(options);
        shown.computeIfPresent("password", (k, v) -> "***");
        return "ConnInfo" + shown;
    }
}
