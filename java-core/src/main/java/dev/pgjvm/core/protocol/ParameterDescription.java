package dev.pgjvm.core.protocol;

import java.util.List;

/** 't': the parameter types of a described prepared statement (OIDs, unsigned in an int). */
public record ParameterDescription(List<Integer> typeOids) implements BackendMessage {
    public ParameterDescription {
        typeOids = List.copyOf(typeOids);
    }
}
