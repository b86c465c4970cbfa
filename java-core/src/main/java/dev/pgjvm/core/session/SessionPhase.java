package dev.pgjvm.core.session;

/**
 * Where a {@link ProtocolMachine}'s session stands. What each command in flight is doing is the
 * command's own {@link CommandPhase}.
 */
public enum SessionPhase {
    /** The start-up command runs: authentication, then the backend's start-up. */
    STARTUP,
    /** Start-up is done: commands may be submitted (whether or not others are in flight). */
    READY,
    /** Terminate was queued; nothing more will be sent or accepted. */
    CLOSED,
    /** Start-up failed, the server sent something invalid, or the connection was lost. See {@code failure()}. */
    FAILED
}
