package dev.pgjvm.core;

/**
 * A plain {@link PgConnection#execute} ran into COPY FROM STDIN or COPY TO STDOUT, which need
 * the COPY methods ({@link PgConnection#copyStart}). The statement was ended (COPY FROM STDIN
 * with CopyFail, COPY TO STDOUT data dropped) and the connection is usable.
 */
public final class PgCopyRefusedException extends PgException {
    private final boolean copyIn;

    public PgCopyRefusedException(boolean copyIn) {
        super(copyIn ? "COPY FROM STDIN needs the COPY methods (copyStart)"
                : "COPY TO STDOUT needs the COPY methods (copyStart)", null);
        this.copyIn = copyIn;
    }

    /** True for COPY FROM STDIN, false for COPY TO STDOUT. */
    public boolean copyIn() {
        return copyIn;
    }
}
