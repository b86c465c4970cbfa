package dev.pgjvm.core.session;

import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.auth.PasswordSource;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.pgjvm.core.testing.ServerMessages.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * COPY BOTH (a replication connection's START_REPLICATION) in the state machine, from canned
 * server bytes: every SimpleQuery carries it, each CopyData is handed out whole and in order,
 * and the command remembers that it streamed whatever ends it.
 */
class CopyBothMachineTest {
    /** CopyData payloads shaped like a walsender's: XLogData and keepalives, binary. */
    private static final List<byte[]> PAYLOADS = List.of(
            xlog(0x16_B374D848L, "BEGIN 741"),
            keepaliveBytes(0x16_B374D900L, true),
            xlog(0x16_B374D8A0L, "table public.t: INSERT: id[integer]:1"),
            new byte[] {'w'}, // not for the machine to judge: handed out as it came
            new byte[0],
            xlog(0x16_B374D900L, "COMMIT 741"));

    private static byte[] xlog(long lsn, String text) {
        Wire w = Wire.of().int8('w');
        for (long v : new long[] {lsn, lsn, 789_012_345_678_901L}) {
            w.int32((int) (v >>> 32)).int32((int) v);
        }
        return w.bytes(text.getBytes(StandardCharsets.UTF_8)).payload();
    }

    private static byte[] keepaliveBytes(long walEnd, boolean reply) {
        return Wire.of().int8('k').int32((int) (walEnd >>> 32)).int32((int) walEnd).int32(0).int32(42)
                .int8(reply ? 1 : 0).payload();
    }

    private static byte[] streamBytes() {
        List<byte[]> parts = new ArrayList<>();
        parts.add(copyBothResponse());
        for (int i = 0; i < PAYLOADS.size(); i++) {
            parts.add(copyData(PAYLOADS.get(i)));
            if (i == 2) {
                // What the server says meanwhile is taken as ever, between CopyData messages.
                parts.add(noticeResponse(fields("S", "LOG", "V", "LOG", "C", "00000", "M", "starting logical decoding")));
                parts.add(parameterStatus("TimeZone", "UTC"));
            }
        }
        parts.add(copyDone());
        return Wire.concat(parts.toArray(new byte[0][]));
    }

    private static byte[] tailBytes() {
        // What PostgreSQL 15's walsender sends once both sides are done: two CommandCompletes.
        return Wire.concat(commandComplete("COPY 0"), commandComplete("START_REPLICATION"), readyForQuery('I'));
    }

    private static ProtocolMachine ready() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", "alice");
        p.put("database", "db");
        p.put("replication", "database");
        ProtocolMachine m = new ProtocolMachine(p, PasswordSource.none());
        m.takeOutput();
        byte[] tail = Wire.concat(authenticationOk(), parameterStatus("server_version", "15.4"),
                parameterStatus("client_encoding", "UTF8"), backendKeyData(1, 2), readyForQuery('I'));
        m.receive(tail, 0, tail.length);
        assertEquals(SessionPhase.READY, m.phase());
        return m;
    }

    /** A plain query (not one that carries COPY IN/OUT data): COPY BOTH is carried all the same. */
    private static SimpleQuery startReplication(ProtocolMachine m) {
        SimpleQuery q = m.submit(new SimpleQuery("START_REPLICATION SLOT s LOGICAL 0/0".getBytes(StandardCharsets.UTF_8), false));
        m.takeOutput();
        return q;
    }

    private static List<byte[]> takeAll(SimpleQuery q) {
        List<byte[]> got = new ArrayList<>();
        for (byte[] message; (message = q.takeCopyMessage()) != null; ) {
            got.add(message);
        }
        return got;
    }

    private static void assertMessages(List<byte[]> expected, List<byte[]> got, String context) {
        assertEquals(expected.size(), got.size(), context + ": message count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), got.get(i), context + ": message " + i);
        }
    }

    /** Ends the client's side, then the server its own: START_REPLICATION's outcome. */
    private static void endBothSides(ProtocolMachine m, SimpleQuery q, byte[] tail, int cut) {
        assertTrue(q.serverEndedCopy());
        assertTrue(q.inCopyBoth(), "the server's CopyDone ends its side only");
        assertTrue(q.acceptsCopyData(), "the client may still send status updates");
        m.endCopy();
        assertArrayEquals(Wire.of().message('c'), m.takeOutput());
        assertFalse(q.acceptsCopyData(), "nothing after the client's CopyDone");
        m.sendCopyData(new byte[] {'r'}, 0, 1);
        assertFalse(m.hasOutput(), "CopyData after CopyDone is not sent");
        m.receive(tail, 0, cut);
        m.receive(tail, cut, tail.length - cut);
        assertTrue(q.isDone());
        assertFalse(q.inCopyBoth());
        assertFalse(q.serverEndedCopy());
        assertTrue(q.startedCopyBoth(), "it streamed, and still says so once done");
        assertNull(q.results().error());
        assertEquals("START_REPLICATION", q.results().lastResult().commandTag());
        assertEquals(SessionPhase.READY, m.phase());
        assertFalse(m.isBusy());
    }

    @Test
    void messagesAreTakenWholeAndInOrder() {
        ProtocolMachine m = ready();
        SimpleQuery q = startReplication(m);
        assertFalse(q.startedCopyBoth());
        byte[] all = streamBytes();
        m.receive(all, 0, all.length);
        assertTrue(q.startedCopyBoth());
        assertTrue(q.inCopyBoth());
        assertTrue(q.hasCopyData());
        assertMessages(PAYLOADS, takeAll(q), "whole");
        assertFalse(q.hasCopyData());
        assertNull(q.takeCopyMessage());
        assertEquals(List.of("LOG:  starting logical decoding\n"), m.drainNotices());
        assertEquals("UTC", m.parameterStatus("TimeZone"));
        endBothSides(m, q, tailBytes(), 0);
    }

    @Test
    void statusUpdatesGoOutAsCopyData() {
        ProtocolMachine m = ready();
        SimpleQuery q = startReplication(m);
        byte[] start = copyBothResponse();
        m.receive(start, 0, start.length);
        assertTrue(q.acceptsCopyData());
        byte[] status = new byte[34];
        status[0] = 'r';
        status[33] = 1;
        m.sendCopyData(status, 0, status.length);
        assertArrayEquals(copyData(status), m.takeOutput(), "a CopyData message the server reads like ours");
    }

    @Test
    void theStreamTornAtEveryByteBoundary() {
        byte[] stream = streamBytes();
        byte[] tail = tailBytes();
        for (int cut = 0; cut <= stream.length; cut++) {
            ProtocolMachine m = ready();
            SimpleQuery q = startReplication(m);
            List<byte[]> got = new ArrayList<>();
            m.receive(stream, 0, cut);
            got.addAll(takeAll(q)); // between the pieces: only whole messages come out
            m.receive(stream, cut, stream.length - cut);
            got.addAll(takeAll(q));
            assertMessages(PAYLOADS, got, "cut at " + cut);
            assertTrue(q.startedCopyBoth(), "cut at " + cut);
            endBothSides(m, q, tail, cut % (tail.length + 1));
        }
    }

    @Test
    void theStreamOneByteAtATime() {
        ProtocolMachine m = ready();
        SimpleQuery q = startReplication(m);
        byte[] stream = streamBytes();
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            m.receive(stream, i, 1);
            byte[] message = q.takeCopyMessage();
            if (message != null) {
                got.add(message);
            }
            assertNull(q.takeCopyMessage(), "one message completes per byte at most");
        }
        assertMessages(PAYLOADS, got, "bytewise");
        endBothSides(m, q, tailBytes(), 1);
    }

    @Test
    void messagesNotTakenYetStayAfterTheServerEnds() {
        ProtocolMachine m = ready();
        SimpleQuery q = startReplication(m);
        byte[] stream = streamBytes();
        m.receive(stream, 0, stream.length);
        assertTrue(q.serverEndedCopy());
        assertArrayEquals(PAYLOADS.get(0), q.takeCopyMessage());
        List<byte[]> rest = takeAll(q);
        assertMessages(PAYLOADS.subList(1, PAYLOADS.size()), rest, "after CopyDone");
    }

    @Test
    void errorRightAfterCopyBothResponseEndsTheCommandButItStarted() {
        byte[] bytes = Wire.concat(copyBothResponse(),
                errorResponse(fields("S", "ERROR", "V", "ERROR", "C", "42704",
                        "M", "replication slot \"s\" does not exist")),
                readyForQuery('I'));
        for (int cut = 0; cut <= bytes.length; cut++) {
            ProtocolMachine m = ready();
            SimpleQuery q = startReplication(m);
            m.receive(bytes, 0, cut);
            m.receive(bytes, cut, bytes.length - cut);
            String context = "cut at " + cut;
            assertTrue(q.isDone(), context);
            assertTrue(q.startedCopyBoth(), context + ": the one reading the stream finds the error");
            assertFalse(q.inCopyBoth(), context);
            assertFalse(q.serverEndedCopy(), context);
            assertFalse(q.acceptsCopyData(), context);
            assertNull(q.takeCopyMessage(), context);
            assertEquals("42704", q.results().error().sqlState(), context);
            assertEquals(SessionPhase.READY, m.phase(), context);
            assertFalse(m.isBusy(), context);
            m.endCopy();
            m.sendCopyData(new byte[] {'r'}, 0, 1);
            assertFalse(m.hasOutput(), context + ": nothing to end once the command is done");
        }
    }

    @Test
    void errorAfterSomeDataKeepsTheData() {
        byte[] bytes = Wire.concat(copyBothResponse(), copyData(PAYLOADS.get(0)), copyData(PAYLOADS.get(1)),
                errorResponse(fields("S", "ERROR", "V", "ERROR", "C", "57P01", "M", "terminating connection")),
                readyForQuery('I'));
        ProtocolMachine m = ready();
        SimpleQuery q = startReplication(m);
        for (int i = 0; i < bytes.length; i++) {
            m.receive(bytes, i, 1);
        }
        assertTrue(q.isDone());
        assertTrue(q.startedCopyBoth());
        assertEquals("57P01", q.results().error().sqlState());
        assertMessages(PAYLOADS.subList(0, 2), takeAll(q), "data before the error");
    }

    @Test
    void theSessionGoesOnAfterTheStream() {
        ProtocolMachine m = ready();
        SimpleQuery q = startReplication(m);
        byte[] stream = streamBytes();
        m.receive(stream, 0, stream.length);
        takeAll(q);
        endBothSides(m, q, tailBytes(), 3);
        SimpleQuery next = m.submit(new SimpleQuery("IDENTIFY_SYSTEM".getBytes(StandardCharsets.UTF_8), false));
        m.takeOutput();
        byte[] answer = Wire.concat(rowDescription("systemid", 25, "timeline", 23, "xlogpos", 25, "dbname", 25),
                dataRow("7300000000000000000", "1", "0/16B3748", "db"), commandComplete("IDENTIFY_SYSTEM"),
                readyForQuery('I'));
        m.receive(answer, 0, answer.length);
        assertTrue(next.isDone());
        assertFalse(next.startedCopyBoth());
        assertNull(next.results().error());
        assertEquals(1, next.results().lastResult().rows().size());
    }

    /**
     * A walsender may send a keepalive after its CopyDone (WalSndWaitForWal pings a client whose
     * reported positions are behind; PostgreSQL 15 does so whenever the client ends a stream it
     * never acknowledged). libpq drops CopyData that arrives once the server's CopyDone is in
     * (pqParseInput3 in PGASYNC_BUSY: "just silently drop it"): the byte order below is what a
     * real server sent to a client that ended the stream without feedback.
     */
    @Test
    void aKeepaliveAfterTheServersCopyDoneIsDropped() {
        byte[] keepalive = keepaliveBytes(0x1_0000_0000L, false);
        ProtocolMachine m = ready();
        SimpleQuery q = startReplication(m);
        byte[] head = Wire.concat(copyBothResponse(), copyData(keepalive));
        m.receive(head, 0, head.length);
        m.endCopy();
        m.takeOutput();
        byte[] rest = Wire.concat(copyDone(), copyData(keepalive), commandComplete("COPY 0"),
                commandComplete("START_REPLICATION"), readyForQuery('I'));
        m.receive(rest, 0, rest.length);
        assertNull(m.failure(), "not a protocol error");
        assertEquals(SessionPhase.READY, m.phase());
        assertTrue(q.isDone());
        assertNull(q.results().error());
        assertMessages(List.of(keepalive), takeAll(q), "only the keepalive before CopyDone");
    }

    /** The same when the server ends the stream first: the client's CopyDone comes after the stray keepalive. */
    @Test
    void aKeepaliveAfterTheServersCopyDoneIsDroppedWhenTheServerEndsFirst() {
        byte[] keepalive = keepaliveBytes(0x1_0000_0000L, true);
        ProtocolMachine m = ready();
        SimpleQuery q = startReplication(m);
        byte[] head = Wire.concat(copyBothResponse(), copyDone(), copyData(keepalive));
        m.receive(head, 0, head.length);
        assertNull(m.failure(), "not a protocol error");
        assertTrue(q.serverEndedCopy());
        assertNull(q.takeCopyMessage(), "nothing to hand out after the server's CopyDone");
        endBothSides(m, q, tailBytes(), 0);
    }

    @Test
    void copyDoneBeforeCopyBothIsAProtocolError() {
        ProtocolMachine m = ready();
        startReplication(m);
        byte[] bytes = copyDone();
        m.receive(bytes, 0, bytes.length);
        assertEquals(SessionPhase.FAILED, m.phase());
        assertInstanceOf(PgProtocolException.class, m.failure());
    }

    @Test
    void aQueryThatDoesNotStreamNeverSaysItStarted() {
        ProtocolMachine m = ready();
        SimpleQuery q = startReplication(m);
        byte[] bytes = Wire.concat(rowDescription("a", 23), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'));
        m.receive(bytes, 0, bytes.length);
        assertTrue(q.isDone());
        assertFalse(q.startedCopyBoth());
        assertFalse(q.inCopyBoth());
        assertFalse(q.serverEndedCopy());
        assertNull(q.takeCopyMessage());
        assertTrue(Arrays.equals(new byte[0], q.takeCopyData()));
    }
}
