package dev.pgjvm.core;

/**
 * How {@link PgResult#rows(int, int)} decodes a column's text-format values, chosen per column
 * with {@link PgResult#setValueKinds}. SQL NULL is null whatever the kind.
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
