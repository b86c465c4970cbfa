package dev.pgjvm.core.protocol;

import java.util.List;

/** 'T': the columns of the rows that follow. */
public record RowDescription(List<Field> fields) implements BackendMessage {
    public RowDescription {
        fields = List.copyOf(fields);
    }

    /**
     * One column. OIDs are unsigned 32-bit on the wire and kept in an int here;
     * use {@link Integer#toUnsignedLong} to widen them.
     */
    public record Field(String name, int tableOid, int columnAttribute, int typeOid,
                        int typeSize, int typeModifier, int format) {
    }
}
