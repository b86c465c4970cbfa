package dev.pgjvm.core;

import dev.pgjvm.core.protocol.RowDescription;

/**
 * One column of a result ({@link PgResult#columns()}), as libpq's PQfname, PQftype, PQftable,
 * PQftablecol, PQfsize, PQfmod and PQfformat report it. OIDs are unsigned 32-bit numbers, hence
 * {@code long}; {@code tableOid} and {@code tableColumn} are 0 when the column is not a plain
 * table column; {@code format} is 0 for text, 1 for binary.
 */
public record FieldDescription(String name, long typeOid, long tableOid, int tableColumn, int typeSize,
                               int typeModifier, int format) {

    static FieldDescription of(RowDescription.Field f) {
        return new FieldDescription(f.name(), Integer.toUnsignedLong(f.typeOid()), Integer.toUnsignedLong(f.tableOid()),
                f.columnAttribute(), f.typeSize(), f.typeModifier(), f.format());
    }
}
