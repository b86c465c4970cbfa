package dev.pgjvm.core.protocol;

import java.util.List;

/** 'G': the server is ready for COPY FROM STDIN data. overallFormat is 0 (text) or 1 (binary); one format code per column. */
public record CopyInResponse(int overallFormat, List<Integer> columnFormats) implements BackendMessage {
    public CopyInResponse {
        columnFormats = List.copyOf(columnFormats);
    }
}
