package dev.pgjvm.core.protocol;

/** 'Z': the server is idle; status is 'I' (idle), 'T' (in a transaction) or 'E' (failed transaction). */
public record ReadyForQuery(char status) implements BackendMessage {
    public static final char IDLE = 'I';
    public static final char IN_TRANSACTION = 'T';
    public static final char FAILED_TRANSACTION = 'E';
}
