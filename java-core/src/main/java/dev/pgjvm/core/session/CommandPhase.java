package dev.pgjvm.core.session;

/**
 * Where one {@link Command} stands on the wire. Each kind of command allows its own moves
 * between these ({@link Command#moveTo}); {@link #DONE} is final.
 */
public enum CommandPhase {
    /** Sent (or queued to be sent); nothing of its answer has arrived yet. */
    SENT,
    /** Start-up: the server asked for credentials and the exchange is under way. */
    AUTHENTICATING,
    /** Start-up: credentials accepted, the backend is starting. */
    STARTING,
    /** Results are arriving (rows, command completions, errors). */
    RESULTS,
    /** COPY FROM STDIN: the server waits for the client's data, then CopyDone or CopyFail. */
    COPY_IN,
    /** COPY TO STDOUT: the server sends CopyData until CopyDone. */
    COPY_OUT,
    /** COPY BOTH (replication streaming): CopyData flows both ways until each side sends CopyDone. */
    COPY_BOTH,
    /** ReadyForQuery arrived: the command is over and its outcome is final. */
    DONE
}
