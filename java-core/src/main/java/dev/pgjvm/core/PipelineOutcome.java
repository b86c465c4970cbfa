package dev.pgjvm.core;

import java.util.List;

/**
 * What {@link PgConnection#executePipelined} gives back: the results of the statements that ran,
 * in the order they were sent, up to the first one the server refused, and that refusal. The
 * statements after a refused one were sent too; in a transaction block the server skipped them
 * (SQLSTATE 25P02), and their errors are not kept.
 */
public final class PipelineOutcome {
    private final List<PgResult> results;
    private final PgServerException failure;

    PipelineOutcome(List<PgResult> results, PgServerException failure) {
        this.results = List.copyOf(results);
        this.failure = failure;
    }

    /** How many statements ran to their end before the first failure (all of them without one). */
    public int completed() {
        return results.size();
    }

    /** The result of statement {@code index} (its last statement's, for a multi-statement query). */
    public PgResult result(int index) {
        return results.get(index);
    }

    /** The row counts of the completed statements, as {@link PgResult#affectedRows()} gives each. */
    public long[] affectedRows() {
        long[] counts = new long[results.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = results.get(i).affectedRows();
        }
        return counts;
    }

    /** The server's error for statement {@link #completed()}, or null when all of them ran. */
    public PgServerException failure() {
        return failure;
    }
}
