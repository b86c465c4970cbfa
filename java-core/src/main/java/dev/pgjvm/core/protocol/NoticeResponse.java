package dev.pgjvm.core.protocol;

import java.util.Map;

/** 'N': a notice or warning; nothing failed. Fields: {@link ErrorOrNotice}. */
public record NoticeResponse(Map<Character, String> fields) implements BackendMessage, ErrorOrNotice {
    public NoticeResponse {
        fields = ErrorOrNotice.copyOf(fields);
    }
}
