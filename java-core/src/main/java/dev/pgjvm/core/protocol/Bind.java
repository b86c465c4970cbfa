package dev.pgjvm.core.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * 'B': binds parameter values to a prepared statement, creating a portal. A null entry in
 * parameterValues is SQL NULL. Format lists follow the protocol's rules (empty = all text,
 * one entry = applies to all).
 */
public record Bind(String portalName, String statementName, List<Integer> parameterFormats,
                   List<byte[]> parameterValues, List<Integer> resultFormats) implements FrontendMessage {
    public Bind {
        parameterFormats = List.copyOf(parameterFormats);
        List<byte[]> copies = new ArrayList<>(parameterValues.size());
        for (byte[] v : parameterValues) {
            copies.add(v == null ? null : v.clone());
        }
        parameterValues = Collections.unmodifiableList(copies);
        resultFormats = List.copyOf(resultFormats);
    }
}
