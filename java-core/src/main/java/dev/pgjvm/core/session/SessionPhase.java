package dev.pgjvm.core.session;

/** Where a {@link ProtocolMachine} stands. */
public enum SessionPhase {
    /** The start-up packet is out; the server has not asked for credentials yet, or has accepted them and is still starting the backend. */
    STARTUP,
    /** The server asked for credentials and the exchange is under way. */
    AUTHENTICATING,
    /** Idle: ReadyForQuery arrived; a new query may be started. */
    READY,
    /** A query is in progress; its results are being collected. */
    BUSY,
    /** A COPY FROM STDIN is under way: the server waits for the client's data (CopyData, then CopyDone or CopyFail). */
    COPY_IN,
    /** Terminate was queued; nothing more will be sent or accepted. */
    CLOSED,
    /** Start-up failed, the server sent something invalid, or the connection was lost. See {@code failure()}. */
    FAILED
}
