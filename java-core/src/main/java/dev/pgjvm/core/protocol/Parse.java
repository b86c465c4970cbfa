package dev.pgjvm.core.protocol;

import java.util.List;

/** 'P': prepares a statement ("" = the unnamed one); parameter type OIDs may be 0 (unspecified). */
public record Parse(String statementName, String sql, List<Integer> parameterTypeOids) implements FrontendMessage {
    public Parse {
        parameterTypeOids = List.copyOf(parameterTypeOids);
    }
}
