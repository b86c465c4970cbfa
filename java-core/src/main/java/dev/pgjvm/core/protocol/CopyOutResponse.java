package dev.pgjvm.core.protocol;

import java.util.List;

/** 'H': COPY TO STDOUT data follows. overallFormat is 0 (text) or 1 (binary); one format code per column. */
public record CopyOutResponse(int overallFormat, List<Integer> columnFormats) implements BackendMessage {
    public CopyOutResponse {
        columnFormats = List.copyOf(columnFormats);
    }
}
