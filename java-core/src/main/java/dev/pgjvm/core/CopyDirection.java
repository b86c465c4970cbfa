package dev.pgjvm.core;

/** Which way the COPY data of a statement flows ({@link PgConnection#copyStart(String)}). */
public enum CopyDirection {
    /** COPY FROM STDIN: the client sends the data. */
    IN,
    /** COPY TO STDOUT: the server sends the data. */
    OUT,
    /** COPY BOTH: data flows both ways (replication streaming). */
    BOTH,
    /** The statement finished without COPY data (it was no COPY, or it failed before the data). */
    NONE
}
