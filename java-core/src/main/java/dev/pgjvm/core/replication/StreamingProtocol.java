package dev.pgjvm.core.replication;

import dev.pgjvm.core.PgProtocolException;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The messages of streaming replication, carried in CopyData during COPY BOTH (PostgreSQL's
 * "Streaming Replication Protocol"): the server's XLogData ('w') and primary keepalive ('k'),
 * the client's standby status update ('r'). Integers are big-endian; times are microseconds
 * since 2000-01-01 UTC.
 */
public final class StreamingProtocol {
    /** Seconds from the Unix epoch to PostgreSQL's (2000-01-01 00:00 UTC). */
    static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    private static final int XLOG_DATA_HEADER = 1 + 8 + 8 + 8;
    private static final int KEEPALIVE_LENGTH = 1 + 8 + 8 + 1;
    static final int STATUS_UPDATE_LENGTH = 1 + 8 + 8 + 8 + 8 + 1;

    private StreamingProtocol() {
    }

    /** A primary keepalive: the server's end of WAL, and whether it wants a status update at once. */
    record Keepalive(long walEnd, long sendTime, boolean replyRequested) {
    }

    /**
     * One server message: an {@link XLogData} or a {@link Keepalive}.
     *
     * @throws PgProtocolException for anything else, or a message too short for its kind
     *                             (psycopg2's wording)
     */
    static Object parse(byte[] message) {
        if (message.length == 0) {
            throw new PgProtocolException("unrecognized replication message type");
        }
        ByteBuffer in = ByteBuffer.wrap(message);
        switch (in.get()) {
            case 'w' -> {
                if (message.length < XLOG_DATA_HEADER + 1) {
                    throw new PgProtocolException("data message header too small");
                }
                long dataStart = in.getLong();
                long walEnd = in.getLong();
                long sendTime = in.getLong();
                byte[] payload = new byte[in.remaining()];
                in.get(payload);
                return new XLogData(dataStart, walEnd, sendTime, payload);
            }
            case 'k' -> {
                if (message.length < KEEPALIVE_LENGTH) {
                    throw new PgProtocolException("keepalive message header too small");
                }
                return new Keepalive(in.getLong(), in.getLong(), in.get() != 0);
            }
            default -> throw new PgProtocolException("unrecognized replication message type");
        }
    }

    /** The client's standby status update: the positions it has written, flushed and applied. */
    static byte[] statusUpdate(long write, long flush, long apply, long clientTime, boolean replyRequested) {
        return ByteBuffer.allocate(STATUS_UPDATE_LENGTH)
                .put((byte) 'r').putLong(write).putLong(flush).putLong(apply).putLong(clientTime)
                .put((byte) (replyRequested ? 1 : 0))
                .array();
    }

    /** Now, in PostgreSQL's time: microseconds since 2000-01-01 UTC. */
    static long now() {
        return toPostgresMicros(Instant.now());
    }

    static long toPostgresMicros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant) - POSTGRES_EPOCH_SECONDS * 1_000_000L;
    }

    /** A time in PostgreSQL's microseconds since 2000 as microseconds since the Unix epoch. */
    public static long toEpochMicros(long postgresMicros) {
        return postgresMicros + POSTGRES_EPOCH_SECONDS * 1_000_000L;
    }
}
