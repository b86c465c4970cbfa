package dev.pgjvm.core.protocol;

import dev.pgjvm.core.PgProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Cuts the server's byte stream into whole messages. Bytes may arrive torn anywhere (inside the
 * header, inside the payload, several messages at once); {@link #next()} only ever yields whole
 * messages.
 *
 * <p>Each payload byte of a message up to 1 MiB is copied exactly once: as soon as the 5-byte
 * header is complete, an array of the exact payload size is allocated and filled as bytes
 * arrive (a longer one grows by doubling as its bytes come). A length word that
 * cannot be right (below 4, above the cap, or above 30000 for a type that is always short) is
 * reported as a protocol error at once, in libpq's words, before any allocation, so garbage from
 * a non-PostgreSQL peer cannot make us allocate gigabytes.
 */
public final class MessageFramer {
    /** The default cap on one message: PostgreSQL itself never sends a message of 1 GiB or more. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1 << 30;

    private static final int HEADER_LENGTH = 5;
    /** Only these message types may be longer than {@link #MAX_SHORT_MESSAGE_LENGTH} (libpq's VALID_LONG_MESSAGE_TYPE). */
    private static final String LONG_MESSAGE_TYPES = "TDdVENA";
    private static final int MAX_SHORT_MESSAGE_LENGTH = 30000;
    private static final int EAGER_ALLOCATION = 1 << 20;

    private final int maxMessageLength;
    private final byte[] header = new byte[HEADER_LENGTH];
    private int headerFill;
    private byte[] payload;
    private int payloadFill;
    private int payloadLength;
    private final ArrayDeque<RawMessage> complete = new ArrayDeque<>();
    private PgProtocolException failure;
    private HeaderCheck headerCheck;

    /** A check of each header before the general ones: libpq's complaint about it, or null. */
    @FunctionalInterface
    public interface HeaderCheck {
        String complaint(char type, int length);
    }

    public MessageFramer() {
        this(DEFAULT_MAX_MESSAGE_LENGTH);
    }

    /** @param maxMessageLength the largest acceptable value of a length word (which counts itself) */
    public MessageFramer(int maxMessageLength) {
        if (maxMessageLength < 4) {
            throw new IllegalArgumentException("maxMessageLength must be at least 4");
        }
        this.maxMessageLength = maxMessageLength;
    }

    /**
     * Adds a check that runs on each header before the general ones (the protocol machine's,
     * stricter while the server authenticates us, as libpq's PQconnectPoll is).
     */
    public void setHeaderCheck(HeaderCheck check) {
        this.headerCheck = check;
    }

    /** Feeds bytes; throws PgProtocolException (now and on every later call) on an impossible length. */
    public void feed(byte[] bytes, int offset, int length) {
        feed(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Feeds all remaining bytes of the buffer (its position advances to its limit). */
    public void feed(ByteBuffer bytes) {
        if (failure != null) {
            throw failure;
        }
        while (bytes.hasRemaining()) {
            if (payload == null) {
                int n = Math.min(HEADER_LENGTH - headerFill, bytes.remaining());
                bytes.get(header, headerFill, n);
                headerFill += n;
                if (headerFill == HEADER_LENGTH) {
                    startPayload();
                }
            } else {
                if (payloadFill == payload.length) {
                    payload = Arrays.copyOf(payload, (int) Math.min(payloadLength, 2L * payload.length));
                }
                int n = Math.min(payload.length - payloadFill, bytes.remaining());
                bytes.get(payload, payloadFill, n);
                payloadFill += n;
                if (payloadFill == payloadLength) {
                    finishMessage();
                }
            }
        }
    }

    private void startPayload() {
        int length = ((header[1] & 0xff) << 24) | ((header[2] & 0xff) << 16)
                | ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        char type = (char) (header[0] & 0xff);
        String complaint = headerCheck == null ? null : headerCheck.complaint(type, length);
        if (complaint != null) {
            throw fail(complaint);
        }
        // libpq's checks and words (pqParseInput3): a length below 4, or a short message type
        // said to be long, is a stream out of step; a length past the cap is not allocated.
        if (length < 4 || (length > MAX_SHORT_MESSAGE_LENGTH && LONG_MESSAGE_TYPES.indexOf(type) < 0)) {
            throw fail(lostSync(type, length));
        }
        if (length > maxMessageLength) {
            throw fail("cannot allocate memory for input buffer\n" + lostSync(type, length - 4));
        }
        payloadLength = length - 4;
        // Up to 1 MiB is allocated at once; a longer message grows as its bytes arrive, so a
        // length word alone (garbage, or a lie) cannot make us allocate more than was sent.
        payload = new byte[Math.min(payloadLength, EAGER_ALLOCATION)];
        payloadFill = 0;
        if (payloadLength == 0) {
            finishMessage();
        }
    }

    private static String lostSync(char type, int length) {
        return "lost synchronization with server: got message type \"" + type + "\", length " + length + "\n";
    }

    private PgProtocolException fail(String message) {
        failure = new PgProtocolException(message);
        return failure;
    }

    private void finishMessage() {
        complete.add(new RawMessage(header[0], payload));
        payload = null;
        headerFill = 0;
    }

    /** The next whole message, or null when none is complete yet. */
    public RawMessage next() {
        return complete.poll();
    }

    /** Whether a whole message is waiting in {@link #next()}. */
    public boolean hasNext() {
        return !complete.isEmpty();
    }

    /** Whether a message has been started but not completed (bytes are buffered). */
    public boolean isMidMessage() {
        return headerFill > 0;
    }
}
