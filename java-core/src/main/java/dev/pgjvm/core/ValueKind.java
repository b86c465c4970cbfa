package dev.pgjvm.core;

/**
 * How {@link PgResult#rows(int, int)} decodes a column's values, chosen per column with
 * {@link PgResult#setValueKinds}. SQL NULL is null whatever the kind. Each kind describes the
 * text format; a binary-format column (binary results, {@link PgConnection#executeParams})
 * gives the same Java type from the type's binary form: BYTEA the bytes as they are, TEXT the
 * bytes in the client encoding, INT8 a 2-, 4- or 8-byte integer (an oid unsigned), FLOAT8 a
 * float4 or float8, BOOL one byte.
 */
public enum ValueKind {
    /** A {@link String}, decoded from the client encoding the rows arrived in. The default. */
    TEXT,
    /** A {@link Long}: for int2, int4, int8 and oid. */
    INT8,
    /** A {@link Double}: for float4 and float8, including NaN, Infinity and -Infinity. */
    FLOAT8,
    /** A {@link Boolean}: for bool ('t' or 'f'). */
    BOOL,
    /** A {@code byte[]}: for bytea, in the hex or the older escape output format. */
    BYTEA
}
