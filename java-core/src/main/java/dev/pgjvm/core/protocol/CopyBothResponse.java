package dev.pgjvm.core.protocol;

import java.util.List;

/** 'W': bidirectional copy (streaming replication) starts. overallFormat is 0 (text) or 1 (binary); one format code per column. */
public record CopyBothResponse(int overallFormat, List<Integer> columnFormats) implements BackendMessage {
    public CopyBothResponse {
        columnFormats = List.copyOf(columnFormats);
    }
}
