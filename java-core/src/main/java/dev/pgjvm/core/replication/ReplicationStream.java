package dev.pgjvm.core.replication;

import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PgResult;

import java.time.Duration;

/**
 * The client side of a replication stream (START_REPLICATION's COPY BOTH) on a replication
 * connection (one made with {@code replication=database} for logical slots, {@code
 * replication=true} for physical ones). It hands out the server's {@link XLogData} messages,
 * answers keepalives, and reports the client's progress (standby status updates) when asked,
 * when the server asks, and every status interval: the server keeps WAL (and a slot's changes)
 * until the client says it has flushed them.
 *
 * <p>Blocking or not as the caller chooses: {@link #read(long)} with 0 never blocks (wait on
 * {@link PgConnection#fileDescriptor()} between calls), with a positive time it waits up to that
 * long. Either way, feedback that falls due is sent from inside {@code read}, so call it at least
 * every status interval. The positions only move forward, as psycopg2's do.
 *
 * <pre>{@code
 * try (PgConnection c = PgConnection.connect("dbname=app replication=database", Map.of())) {
 *     c.execute("CREATE_REPLICATION_SLOT cdc LOGICAL test_decoding");
 *     ReplicationStream stream = ReplicationStream.start(c, "START_REPLICATION SLOT cdc LOGICAL 0/0",
 *             Duration.ofSeconds(10));
 *     while (running) {
 *         XLogData m = stream.read(1000);
 *         if (m != null) {
 *             handle(m.payload());
 *             stream.sendFeedback(0, m.dataStart(), 0, false, false); // flushed: the slot may advance
 *         }
 *     }
 *     stream.end();
 * }
 * }</pre>
 *
 * <p>Not thread-safe (as the connection is busy streaming, one thread reads it).
 */
public final class ReplicationStream {
    private final PgConnection connection;
    private long statusIntervalMillis;
    private long writeLsn;
    private long flushLsn;
    private long applyLsn;
    /** The highest flush position the caller reported itself (the server's keepalives move flushLsn too). */
    private long explicitlyFlushedLsn;
    /** The start of the last XLogData handed out. */
    private long lastDataStart;
    private long walEnd;
    /** Wall-clock times, microseconds since the Unix epoch: last message received or sent, last feedback. */
    private long lastIoMicros;
    private long lastFeedbackMicros;
    private boolean ended;

    /**
     * A stream on a connection whose COPY BOTH has started, or is about to (a START_REPLICATION
     * sent without waiting: {@link #read} works once it has). No feedback was sent yet, so the
     * first {@code read} sends one.
     *
     * @param statusInterval how often to send a status update unasked (at least a second)
     */
    public ReplicationStream(PgConnection connection, Duration statusInterval) {
        this.connection = connection;
        setStatusInterval(statusInterval);
        this.lastIoMicros = epochMicrosNow();
    }

    /**
     * Runs the replication command (START_REPLICATION ...) and returns its stream.
     *
     * @throws dev.pgjvm.core.PgServerException when the server refused the command (no such
     *                                          slot, a bad plugin option...)
     * @throws PgException                      when the command did not start streaming
     */
    public static ReplicationStream start(PgConnection connection, String command, Duration statusInterval) {
        CopyDirection started = connection.copyStart(command);
        if (started != CopyDirection.BOTH) {
            connection.copyEnd(null);
            throw new PgException("the command did not start a replication stream: " + command + "\n");
        }
        return new ReplicationStream(connection, statusInterval);
    }

    public void setStatusInterval(Duration interval) {
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("status_interval must be >= 1 (sec)");
        }
        statusIntervalMillis = interval.toMillis();
    }

    /**
     * The next WAL data message, waiting for one up to {@code waitMillis} (0: never blocks);
     * null when none arrived in time or the stream has ended ({@link #isEnded()}). Keepalives are
     * answered here and never returned; a status update is sent first when one is due.
     *
     * @throws dev.pgjvm.core.PgServerException when the server ended the stream with an error
     * @throws dev.pgjvm.core.PgProtocolException for a message that is not streaming protocol
     * @throws dev.pgjvm.core.PgConnectionException when the connection broke
     */
    public XLogData read(long waitMillis) {
        if (ended) {
            return null;
        }
        long deadline = System.nanoTime() + Math.max(0, waitMillis) * 1_000_000;
        while (true) {
            if (feedbackDueInMillis() <= 0) {
                sendStatus(false);
            }
            long wait = Math.min(Math.max(0, (deadline - System.nanoTime()) / 1_000_000), feedbackDueInMillis());
            byte[] raw = connection.copyReadMessage(Math.max(0, wait));
            if (raw == null) {
                if (connection.copyEnded()) {
                    finish();
                    return null;
                }
                if (System.nanoTime() - deadline >= 0) {
                    return null;
                }
                continue;
            }
            lastIoMicros = epochMicrosNow();
            Object message = StreamingProtocol.parse(raw);
            if (message instanceof XLogData data) {
                walEnd = data.walEnd();
                lastDataStart = data.dataStart();
                return data;
            }
            keepalive((StreamingProtocol.Keepalive) message);
        }
    }

    private void keepalive(StreamingProtocol.Keepalive keepalive) {
        walEnd = keepalive.walEnd();
        // Once the caller has confirmed the last data it was given, nothing it still has to
        // flush lies before the server's end of WAL: report that far, so that an idle slot's
        // position (and the WAL it holds back) follows the server.
        if (explicitlyFlushedLsn >= lastDataStart && Long.compareUnsigned(walEnd, explicitlyFlushedLsn) > 0
                && Long.compareUnsigned(walEnd, flushLsn) > 0) {
            flushLsn = walEnd;
        }
        if (keepalive.replyRequested()) {
            sendStatus(false);
        }
    }

    /**
     * Records the client's progress (each position only ever moves forward; 0 leaves it) and,
     * when {@code reply} or {@code force}, sends it now (asking the server to answer at once
     * when {@code reply}); otherwise it goes with the next status update.
     */
    public void sendFeedback(long write, long flush, long apply, boolean reply, boolean force) {
        if (Long.compareUnsigned(write, writeLsn) > 0) {
            writeLsn = write;
        }
        if (Long.compareUnsigned(flush, explicitlyFlushedLsn) > 0) {
            explicitlyFlushedLsn = flush;
        }
        if (Long.compareUnsigned(flush, flushLsn) > 0) {
            flushLsn = flush;
        }
        if (Long.compareUnsigned(apply, applyLsn) > 0) {
            applyLsn = apply;
        }
        if ((reply || force) && !ended) {
            sendStatus(reply);
        }
    }

    private void sendStatus(boolean replyRequested) {
        connection.copyWriteMessage(StreamingProtocol.statusUpdate(writeLsn, flushLsn, applyLsn,
                StreamingProtocol.now(), replyRequested));
        lastFeedbackMicros = epochMicrosNow();
        lastIoMicros = lastFeedbackMicros;
    }

    private long feedbackDueInMillis() {
        return (lastFeedbackMicros + statusIntervalMillis * 1000 - epochMicrosNow()) / 1000;
    }

    /** The server ended the stream (CopyDone, or an error): end ours and take the outcome. */
    private void finish() {
        ended = true;
        connection.copyEnd(null); // throws the server's error, if it sent one
    }

    /**
     * Ends the stream from the client's side (CopyDone) and waits for the server to end its
     * own; returns the command's result. The connection can run commands again afterwards.
     */
    public PgResult end() {
        ended = true;
        return connection.copyEnd(null);
    }

    /** Whether the stream is over: ended by {@link #end()}, or by the server. */
    public boolean isEnded() {
        return ended;
    }

    /** The server's end of WAL as of the last message (data or keepalive); 0 before any. */
    public long walEnd() {
        return walEnd;
    }

    /** When a message was last received or sent, in microseconds since the Unix epoch. */
    public long lastIoMicros() {
        return lastIoMicros;
    }

    /** When a status update was last sent, in microseconds since the Unix epoch (0: never). */
    public long lastFeedbackMicros() {
        return lastFeedbackMicros;
    }

    /** The positions reported to the server: write, flush, apply. */
    public long[] positions() {
        return new long[] {writeLsn, flushLsn, applyLsn};
    }

    private static long epochMicrosNow() {
        return StreamingProtocol.toEpochMicros(StreamingProtocol.now());
    }
}
