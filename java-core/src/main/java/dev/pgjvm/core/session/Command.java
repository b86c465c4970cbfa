package dev.pgjvm.core.session;

import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.protocol.BackendMessage;
import dev.pgjvm.core.protocol.MessageWriter;

import java.nio.charset.Charset;
import java.util.Map;
import java.util.Set;

/**
 * One exchange with the server, from the messages it sends to the ReadyForQuery that ends it:
 * start-up, a simple query (with its COPY sub-exchanges), an extended query. A command owns
 * its state and its outcome; the {@link ProtocolMachine} keeps the commands in flight in a
 * queue, routes each backend message to the one at the head, and completes it on
 * ReadyForQuery. Several may be in flight at once: each ends in exactly one ReadyForQuery.
 *
 * <p>Phase changes go through {@link #moveTo}, which refuses a move the command's kind does not
 * allow: a message that does not fit is a protocol error naming the command, its phase and the
 * message.
 */
public abstract sealed class Command permits Startup, SimpleQuery, ExtendedQuery {
    private CommandPhase phase = CommandPhase.SENT;
    /** Set by the machine when it queues the command: a command goes on the wire once. */
    boolean submitted;

    /** The moves this kind of command allows, from each phase. */
    abstract Map<CommandPhase, Set<CommandPhase>> moves();

    /** Appends the messages that start the command (all or nothing: see FrontendEncoder). */
    abstract void encode(MessageWriter out, Charset charset);

    /** Handles a message meant for this command (never ParameterStatus, notices, notifications or ReadyForQuery). */
    abstract void handle(BackendMessage message, ProtocolMachine machine);

    /** ReadyForQuery arrived for this command: its outcome is final. */
    void ready(ProtocolMachine machine) {
        moveTo(CommandPhase.DONE, null);
    }

    /** The query text as sent, for the LINE/caret context of errors and notices; null when none. */
    String queryText() {
        return null;
    }

    public final CommandPhase phase() {
        return phase;
    }

    public final boolean isDone() {
        return phase == CommandPhase.DONE;
    }

    /**
     * The one way a command changes phase. Staying in a phase is always allowed.
     *
     * @param cause the message that makes the move, named in the error when it is not allowed
     */
    final void moveTo(CommandPhase next, BackendMessage cause) {
        if (next == phase) {
            return;
        }
        if (!moves().getOrDefault(phase, Set.of()).contains(next)) {
            throw new PgProtocolException("unexpected " + describe(cause) + " in phase " + phase + " of " + name() + "\n");
        }
        phase = next;
    }

    /** The protocol error for a message this command has no use for in its phase. */
    final PgProtocolException unexpected(BackendMessage message) {
        return new PgProtocolException("unexpected " + describe(message) + " in phase " + phase + " of " + name() + "\n");
    }

    private static String describe(BackendMessage message) {
        return message == null ? "move" : "message " + message.getClass().getSimpleName();
    }

    /** The command's kind, as errors name it. */
    String name() {
        return getClass().getSimpleName();
    }
}
