package dev.pgjvm.core.session;

import dev.pgjvm.core.protocol.ErrorResponse;

import java.util.List;

/**
 * Everything a finished simple query produced: one result per statement that completed, and the
 * first ErrorResponse if any statement failed (the server skips the rest after an error), with
 * the query's text for that error's context (null when no statement failed).
 */
public record QueryResults(String sql, List<StatementResult> results, ErrorResponse error) {
    public QueryResults {
        results = List.copyOf(results);
    }

    /** The last statement's result, or null when there is none. */
    public StatementResult lastResult() {
        return results.isEmpty() ? null : results.get(results.size() - 1);
    }
}
