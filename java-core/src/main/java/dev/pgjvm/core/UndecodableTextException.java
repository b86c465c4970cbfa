package dev.pgjvm.core;

/**
 * Text from the server that is not valid in the client encoding: a value of a row, or a row of
 * COPY TO STDOUT data. The server checks what it converts, so this happens when nothing is
 * converted (a SQL_ASCII database holding other bytes) or the peer is not a sound server.
 * Nothing is replaced: a silent U+FFFD would lose the bytes for good, so the caller gets them
 * and decides (psycopg2 raises UnicodeDecodeError).
 */
public final class UndecodableTextException extends PgException {
    private final byte[] bytes;
    private final String charsetName;
    private final int row;
    private final String decodedBefore;

    public UndecodableTextException(byte[] bytes, String charsetName) {
        this(bytes, charsetName, -1, "");
    }

    private UndecodableTextException(byte[] bytes, String charsetName, int row, String decodedBefore) {
        super((row >= 0 ? "row " + row + ": " : "") + "text not valid in the client encoding ("
                + charsetName + "), " + bytes.length + " bytes");
        this.bytes = bytes;
        this.charsetName = charsetName;
        this.row = row;
        this.decodedBefore = decodedBefore;
    }

    /** The same failure, found in row {@code row} of a result (counted from its first row). */
    UndecodableTextException inRow(int row) {
        return new UndecodableTextException(bytes, charsetName, row, decodedBefore);
    }

    /** The same failure, after COPY data that decoded well and is handed over with it. */
    UndecodableTextException after(String decodedBefore) {
        return new UndecodableTextException(bytes, charsetName, row, decodedBefore);
    }

    /** The undecodable text: a value, or a whole CopyData message (one row in text COPY). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The Java charset it failed in. */
    public String charsetName() {
        return charsetName;
    }

    /** The result row holding the value, -1 when not from a result's rows. */
    public int row() {
        return row;
    }

    /** COPY: the data that arrived before the undecodable row, decoded; empty otherwise. */
    public String decodedBefore() {
        return decodedBefore;
    }
}
