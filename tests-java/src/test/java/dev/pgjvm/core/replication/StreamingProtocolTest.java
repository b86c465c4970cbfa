package dev.pgjvm.core.replication;

import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The streaming replication messages inside CopyData, laid out by hand from PostgreSQL's
 * "Streaming Replication Protocol" page: XLogData 'w', primary keepalive 'k', standby status
 * update 'r'. Int64s are big-endian.
 */
class StreamingProtocolTest {
    private static Wire int64(Wire w, long v) {
        return w.int32((int) (v >>> 32)).int32((int) v);
    }

    private static byte[] xlogData(long dataStart, long walEnd, long sendTime, byte[] payload) {
        Wire w = Wire.of().int8('w');
        int64(w, dataStart);
        int64(w, walEnd);
        int64(w, sendTime);
        return w.bytes(payload).payload();
    }

    private static byte[] keepalive(long walEnd, long sendTime, int reply) {
        Wire w = Wire.of().int8('k');
        int64(w, walEnd);
        int64(w, sendTime);
        return w.int8(reply).payload();
    }

    @Test
    void xlogDataFieldsAndPayload() {
        byte[] payload = "table public.t: INSERT: id[integer]:1".getBytes(StandardCharsets.UTF_8);
        byte[] message = xlogData(0x16_B374D848L, 0x16_B374D900L, 789_012_345_678_901L, payload);
        XLogData d = assertInstanceOf(XLogData.class, StreamingProtocol.parse(message));
        assertEquals(0x16_B374D848L, d.dataStart());
        assertEquals(0x16_B374D900L, d.walEnd());
        assertEquals(789_012_345_678_901L, d.sendTime());
        assertArrayEquals(payload, d.payload());
    }

    @Test
    void xlogDataPayloadIsACopyOfTheRestOfTheMessage() {
        byte[] message = xlogData(1, 2, 3, new byte[] {0, (byte) 0xFF, 'x'});
        XLogData d = (XLogData) StreamingProtocol.parse(message);
        assertArrayEquals(new byte[] {0, (byte) 0xFF, 'x'}, d.payload(), "binary bytes as sent (physical WAL)");
        message[message.length - 1] = 'y';
        assertEquals('x', d.payload()[2], "the payload does not share the message's array");
    }

    @Test
    void xlogDataWithOneByteOfPayloadIsTheSmallest() {
        XLogData d = (XLogData) StreamingProtocol.parse(xlogData(0, 0, 0, new byte[] {'B'}));
        assertEquals(0, d.dataStart(), "0: a logical message that is not the last of its write");
        assertArrayEquals(new byte[] {'B'}, d.payload());
    }

    @Test
    void xlogDataFieldsAreUnsigned64Bits() {
        XLogData d = (XLogData) StreamingProtocol.parse(xlogData(-1L, Long.MIN_VALUE, -2L, new byte[] {1}));
        assertEquals(-1L, d.dataStart());
        assertEquals(Long.MIN_VALUE, d.walEnd());
        assertEquals(-2L, d.sendTime());
    }

    @Test
    void xlogDataTooShortForItsHeader() {
        byte[] full = xlogData(1, 2, 3, new byte[] {'x'});
        for (int length = 1; length < full.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(full, length);
            PgProtocolException e = assertThrows(PgProtocolException.class, () -> StreamingProtocol.parse(cut),
                    "length " + length);
            assertEquals("data message header too small", e.getMessage());
        }
    }

    @Test
    void keepaliveWithoutReply() {
        var k = assertInstanceOf(StreamingProtocol.Keepalive.class,
                StreamingProtocol.parse(keepalive(0x5_0000_0001L, 123_456L, 0)));
        assertEquals(0x5_0000_0001L, k.walEnd());
        assertEquals(123_456L, k.sendTime());
        assertFalse(k.replyRequested());
    }

    @Test
    void keepaliveAskingForAReply() {
        var k = (StreamingProtocol.Keepalive) StreamingProtocol.parse(keepalive(-1L, -1L, 1));
        assertEquals(-1L, k.walEnd());
        assertEquals(-1L, k.sendTime());
        assertTrue(k.replyRequested());
    }

    @Test
    void keepaliveTooShort() {
        byte[] full = keepalive(1, 2, 1);
        assertEquals(18, full.length);
        for (int length = 1; length < full.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(full, length);
            PgProtocolException e = assertThrows(PgProtocolException.class, () -> StreamingProtocol.parse(cut),
                    "length " + length);
            assertEquals("keepalive message header too small", e.getMessage());
        }
    }

    @Test
    void unknownMessageType() {
        for (byte[] message : new byte[][] {new byte[] {'r'}, "x123456789012345678901234567".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0}, new byte[] {'W'}, new byte[] {'K', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}) {
            PgProtocolException e = assertThrows(PgProtocolException.class, () -> StreamingProtocol.parse(message));
            assertEquals("unrecognized replication message type", e.getMessage());
        }
    }

    @Test
    void emptyMessageIsNotAReplicationMessage() {
        assertThrows(PgProtocolException.class, () -> StreamingProtocol.parse(new byte[0]));
    }

    @Test
    void statusUpdateLayout() {
        byte[] bytes = StreamingProtocol.statusUpdate(0x16_B374D848L, 0x16_B374D000L, 0x15_00000001L,
                789_012_345_678_901L, true);
        Wire expected = Wire.of().int8('r');
        int64(expected, 0x16_B374D848L);
        int64(expected, 0x16_B374D000L);
        int64(expected, 0x15_00000001L);
        int64(expected, 789_012_345_678_901L);
        expected.int8(1);
        assertEquals(34, bytes.length);
        assertArrayEquals(expected.payload(), bytes);
    }

    @Test
    void statusUpdateWithoutReplyAndExtremeValues() {
        byte[] bytes = StreamingProtocol.statusUpdate(-1L, 0, Long.MIN_VALUE, 0, false);
        assertEquals(34, bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        assertEquals('r', in.get());
        assertEquals(-1L, in.getLong(), "write");
        assertEquals(0L, in.getLong(), "flush");
        assertEquals(Long.MIN_VALUE, in.getLong(), "apply");
        assertEquals(0L, in.getLong(), "client time");
        assertEquals(0, in.get(), "no reply asked");
        assertFalse(in.hasRemaining());
    }

    @Test
    void postgresEpochIsTheYear2000() {
        assertEquals(946_684_800_000_000L, StreamingProtocol.toEpochMicros(0));
        assertEquals(0L, StreamingProtocol.toPostgresMicros(Instant.parse("2000-01-01T00:00:00Z")));
        assertEquals(-1L, StreamingProtocol.toPostgresMicros(Instant.parse("1999-12-31T23:59:59.999999Z")));
        Instant t = Instant.parse("2026-12-05T09:30:15.123456Z");
        long pg = StreamingProtocol.toPostgresMicros(t);
        assertEquals(ChronoUnit.MICROS.between(Instant.EPOCH, t), StreamingProtocol.toEpochMicros(pg));
    }

    @Test
    void nowIsTheWallClockInPostgresTime() {
        long before = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        long now = StreamingProtocol.toEpochMicros(StreamingProtocol.now());
        long after = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        // Generous margins: this checks the epoch shift, not the clock.
        assertTrue(now >= before - 60_000_000L && now <= after + 60_000_000L, now + " not in [" + before + ", " + after + "]");
    }
}
