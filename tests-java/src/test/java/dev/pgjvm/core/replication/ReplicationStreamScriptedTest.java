package dev.pgjvm.core.replication;

import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.conninfo.ClientEnvironment;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static dev.pgjvm.core.testing.ServerMessages.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link ReplicationStream} against a scripted server on a loopback socket: what a real server
 * does only now and then (asks for a reply, ends the stream itself, fails mid-stream, sends
 * something that is not streaming protocol) on demand, and every status update the client
 * sends checked byte for byte. Waits are bounded; no duration is asserted.
 */
class ReplicationStreamScriptedTest {
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path home;

    private ScriptedServer server;
    private PgConnection connection;

    @AfterEach
    void close() throws IOException {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** One message the client sent: its type and payload. */
    record Sent(char type, byte[] payload) {
    }

    /**
     * A server speaking just enough protocol: trust start-up, then each client message is
     * recorded and answered with what the test's responder gives (null: nothing).
     */
    static final class ScriptedServer implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final BlockingQueue<Sent> received = new LinkedBlockingQueue<>();
        private volatile Socket socket;
        private volatile OutputStream out;
        private final Thread thread;

        ScriptedServer(Function<Sent, byte[]> responder) throws IOException {
            thread = new Thread(() -> serve(responder), "scripted-server");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(Function<Sent, byte[]> responder) {
            try (Socket s = listener.accept()) {
                socket = s;
                DataInputStream in = new DataInputStream(s.getInputStream());
                out = s.getOutputStream();
                while (true) {
                    byte[] startup = new byte[in.readInt() - 4];
                    in.readFully(startup);
                    int code = ByteBuffer.wrap(startup).getInt();
                    if (code == 80877103 || code == 80877104) { // SSLRequest, GSSENCRequest: no
                        send(new byte[] {'N'});
                        continue;
                    }
                    break;
                }
                send(Wire.concat(authenticationOk(), parameterStatus("server_version", "15.4"),
                        parameterStatus("client_encoding", "UTF8"), parameterStatus("integer_datetimes", "on"),
                        backendKeyData(4242, 1), readyForQuery('I')));
                while (true) {
                    char type = (char) in.readUnsignedByte();
                    byte[] payload = new byte[in.readInt() - 4];
                    in.readFully(payload);
                    Sent sent = new Sent(type, payload);
                    received.add(sent);
                    if (type == 'X') {
                        return;
                    }
                    byte[] answer = responder.apply(sent);
                    if (answer != null) {
                        send(answer);
                    }
                }
            } catch (EOFException | java.net.SocketException e) {
                // the client went away
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }

        synchronized void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Sends the bytes one at a time, each flushed: the client gets them torn. */
        void sendBytewise(byte[] bytes) throws IOException {
            for (byte b : bytes) {
                send(new byte[] {b});
            }
        }

        /** The next message the client sent of this type (others are skipped); fails after a while. */
        Sent next(char type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                Sent s = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertNotNull(s, "the client sent no '" + type + "' message");
                if (s.type() == type) {
                    return s;
                }
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            Socket s = socket;
            if (s != null) {
                s.close();
            }
        }
    }

    /** How a walsender answers: START_REPLICATION starts streaming, the client's CopyDone ends it. */
    private static byte[] walsender(Sent sent) {
        return switch (sent.type()) {
            case 'Q' -> new String(sent.payload(), StandardCharsets.UTF_8).startsWith("START_REPLICATION")
                    ? copyBothResponse()
                    : Wire.concat(rowDescription("systemid", 25), dataRow("1"), commandComplete("IDENTIFY_SYSTEM"),
                    readyForQuery('I'));
            case 'c' -> Wire.concat(copyDone(), commandComplete("COPY 0"), commandComplete("START_REPLICATION"),
                    readyForQuery('I'));
            default -> null;
        };
    }

    private PgConnection connect(Function<Sent, byte[]> responder) throws IOException {
        server = new ScriptedServer(responder);
        ClientEnvironment env = new ClientEnvironment(new HashMap<>(), "nobody", home, List.of(home.resolve("no-socket")));
        connection = PgConnection.connect("host=127.0.0.1 port=" + server.port()
                + " user=u dbname=d replication=database sslmode=disable gssencmode=disable", Map.of(), env);
        return connection;
    }

    private ReplicationStream start(Duration interval) throws IOException, InterruptedException {
        connect(ReplicationStreamScriptedTest::walsender);
        ReplicationStream s = ReplicationStream.start(connection, "START_REPLICATION SLOT s LOGICAL 0/0", interval);
        assertEquals("START_REPLICATION SLOT s LOGICAL 0/0\0",
                new String(server.next('Q').payload(), StandardCharsets.UTF_8));
        return s;
    }

    private static Wire int64(Wire w, long v) {
        return w.int32((int) (v >>> 32)).int32((int) v);
    }

    private static byte[] xlogData(long dataStart, long walEnd, String text) {
        Wire w = Wire.of().int8('w');
        int64(w, dataStart);
        int64(w, walEnd);
        int64(w, 789_012_345_678_901L);
        return copyData(w.bytes(text.getBytes(StandardCharsets.UTF_8)).payload());
    }

    private static byte[] keepalive(long walEnd, boolean reply) {
        Wire w = Wire.of().int8('k');
        int64(w, walEnd);
        int64(w, 789_012_345_678_901L);
        return copyData(w.int8(reply ? 1 : 0).payload());
    }

    /** A standby status update the client sent. */
    record Status(long write, long flush, long apply, long clientTime, boolean reply) {
        static Status of(Sent sent) {
            assertEquals('d', sent.type());
            assertEquals(34, sent.payload().length, "a standby status update is 34 bytes");
            ByteBuffer in = ByteBuffer.wrap(sent.payload());
            assertEquals('r', in.get());
            Status s = new Status(in.getLong(), in.getLong(), in.getLong(), in.getLong(), switch (in.get()) {
                case 0 -> false;
                case 1 -> true;
                default -> fail("reply byte is 0 or 1");
            });
            return s;
        }
    }

    /** Reads (half a second at a time) until the client has sent a status update: that update. */
    private Status readUntilStatus(ReplicationStream s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            Sent sent = server.received.poll();
            if (sent != null && sent.type() == 'd') {
                return Status.of(sent);
            }
            if (sent == null) {
                assertTrue(System.nanoTime() - deadline < 0, "no status update in time");
                assertNull(s.read(100), "no data was sent");
            }
        }
    }

    @Test
    void theFirstReadReportsAtOnce() throws Exception {
        ReplicationStream s = start(Duration.ofSeconds(10));
        assertEquals(0, s.lastFeedbackMicros());
        assertNull(s.read(0));
        Status first = Status.of(server.next('d'));
        assertEquals(new Status(0, 0, 0, first.clientTime(), false), first);
        assertTrue(first.clientTime() > 0, "microseconds since 2000");
        assertNotEquals(0, s.lastFeedbackMicros());
        assertEquals(StreamingProtocol.toEpochMicros(first.clientTime()), s.lastFeedbackMicros(), 60_000_000L);
    }

    @Test
    void dataIsHandedOutWholeEvenWhenItArrivesTorn() throws Exception {
        ReplicationStream s = start(Duration.ofSeconds(10));
        server.sendBytewise(Wire.concat(xlogData(0x16_B374D848L, 0x16_B374D900L, "table public.t: INSERT: id[integer]:1"),
                keepalive(0x16_B374DA00L, false), xlogData(0x16_B374D950L, 0x16_B374DA00L, "COMMIT 741")));
        XLogData first = readData(s);
        assertEquals(0x16_B374D848L, first.dataStart());
        assertEquals(0x16_B374D900L, first.walEnd());
        assertEquals(789_012_345_678_901L, first.sendTime());
        assertEquals("table public.t: INSERT: id[integer]:1", new String(first.payload(), StandardCharsets.UTF_8));
        assertEquals(0x16_B374D900L, s.walEnd());
        XLogData second = readData(s);
        assertEquals("COMMIT 741", new String(second.payload(), StandardCharsets.UTF_8), "the keepalive is not handed out");
        assertEquals(0x16_B374DA00L, s.walEnd());
    }

    private static XLogData readData(ReplicationStream s) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() - deadline < 0) {
            XLogData d = s.read(500);
            if (d != null) {
                return d;
            }
        }
        return fail("no data in time");
    }

    @Test
    void aKeepaliveAskingForAReplyIsAnswered() throws Exception {
        ReplicationStream s = start(Duration.ofSeconds(60));
        assertNull(s.read(0));
        Status.of(server.next('d')); // the first report
        server.send(keepalive(0x5_00000010L, true));
        Status answer = readUntilStatus(s);
        // Nothing handed out, nothing to flush: the client reports the server's end of WAL.
        assertEquals(0x5_00000010L, answer.flush());
        assertEquals(0, answer.write());
        assertEquals(0, answer.apply());
        assertFalse(answer.reply());
        assertEquals(0x5_00000010L, s.walEnd());
        assertArrayEquals(new long[] {0, 0x5_00000010L, 0}, s.positions());
    }

    @Test
    void keepalivesMoveTheFlushPositionOnlyOnceTheDataIsConfirmed() throws Exception {
        ReplicationStream s = start(Duration.ofSeconds(60));
        server.send(xlogData(100, 100, "BEGIN 1"));
        assertEquals(100, readData(s).dataStart());
        Status.of(server.next('d')); // the first report
        server.send(keepalive(300, true));
        Status unconfirmed = readUntilStatus(s);
        assertEquals(0, unconfirmed.flush(), "the data at 100 is not confirmed: the slot must not pass it");

        s.sendFeedback(0, 100, 0, false, false); // recorded only
        assertArrayEquals(new long[] {0, 100, 0}, s.positions());
        server.send(keepalive(400, true));
        Status confirmed = readUntilStatus(s);
        assertEquals(400, confirmed.flush(), "confirmed up to the last data: the server's end of WAL may go too");
    }

    @Test
    void feedbackIsSentWhenForcedOrAReplyIsAsked() throws Exception {
        ReplicationStream s = start(Duration.ofSeconds(60));
        assertNull(s.read(0));
        Status.of(server.next('d'));
        s.sendFeedback(10, 20, 30, false, true);
        assertEquals(new Status(10, 20, 30, 0, false), withoutTime(Status.of(server.next('d'))));
        s.sendFeedback(40, 0, 0, true, false);
        assertEquals(new Status(40, 20, 30, 0, true), withoutTime(Status.of(server.next('d'))), "the reply flag asks the server");
        s.sendFeedback(50, 0, 0, false, false);
        assertArrayEquals(new long[] {50, 20, 30}, s.positions());
        s.end();
        assertEquals('c', server.next('c').type());
        assertTrue(server.received.stream().noneMatch(m -> m.type() == 'd'), "unforced feedback is not sent by itself");
    }

    private static Status withoutTime(Status s) {
        return new Status(s.write(), s.flush(), s.apply(), 0, s.reply());
    }

    @Test
    void statusUpdatesGoOutEveryIntervalUnasked() throws Exception {
        ReplicationStream s = start(Duration.ofSeconds(1));
        Status first = readUntilStatus(s);
        Status second = readUntilStatus(s);
        assertTrue(second.clientTime() > first.clientTime(), "a later update");
        assertFalse(second.reply());
    }

    @Test
    void theServerEndingTheStreamEndsTheRead() throws Exception {
        ReplicationStream s = start(Duration.ofSeconds(60));
        server.send(Wire.concat(xlogData(100, 100, "last"), copyDone()));
        assertEquals("last", new String(readData(s).payload(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!s.isEnded()) {
            assertTrue(System.nanoTime() - deadline < 0, "the stream did not end");
            assertNull(s.read(500));
        }
        assertEquals('c', server.next('c').type(), "the client ended its side too");
        assertNull(s.read(0));
        assertFalse(connection.inCopyBoth());
        assertEquals(ResultStatus.TUPLES_OK, connection.execute("IDENTIFY_SYSTEM").status());
    }

    @Test
    void anErrorMidStreamIsThrownByRead() throws Exception {
        ReplicationStream s = start(Duration.ofSeconds(60));
        server.send(Wire.concat(xlogData(100, 100, "first"),
                errorResponse(fields("S", "ERROR", "V", "ERROR", "C", "XX000", "M", "could not read WAL")),
                readyForQuery('I')));
        assertEquals("first", new String(readData(s).payload(), StandardCharsets.UTF_8), "data before the error comes first");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        PgServerException e = assertThrows(PgServerException.class, () -> {
            while (System.nanoTime() - deadline < 0) {
                s.read(500);
            }
        });
        assertEquals("XX000", e.sqlState());
        assertEquals("could not read WAL", e.primaryMessage());
        assertTrue(s.isEnded());
        assertNull(s.read(0));
        assertFalse(connection.inCopyBoth());
        assertEquals(ResultStatus.TUPLES_OK, connection.execute("IDENTIFY_SYSTEM").status(), "the connection goes on");
    }

    /**
     * An error right behind CopyBothResponse, in the same packet: the command started streaming
     * (libpq reports PGRES_COPY_BOTH first), and the stream's first read finds the error.
     */
    @Test
    void anErrorRightAfterTheStreamStartsIsForTheFirstRead() throws Exception {
        connect(sent -> switch (sent.type()) {
            case 'Q' -> new String(sent.payload(), StandardCharsets.UTF_8).startsWith("START_REPLICATION")
                    ? Wire.concat(copyBothResponse(),
                    errorResponse(fields("S", "ERROR", "V", "ERROR", "C", "55000", "M", "slot is busy")),
                    readyForQuery('I'))
                    : walsender(sent);
            default -> null;
        });
        ReplicationStream s = ReplicationStream.start(connection, "START_REPLICATION SLOT s LOGICAL 0/0", Duration.ofSeconds(60));
        assertTrue(connection.inCopyBoth(), "it started");
        assertTrue(connection.copyEnded(), "and is over already");
        PgServerException e = assertThrows(PgServerException.class, () -> s.read(1000));
        assertEquals("55000", e.sqlState());
        assertTrue(s.isEnded());
        assertFalse(connection.inCopyBoth());
        assertEquals(ResultStatus.TUPLES_OK, connection.execute("IDENTIFY_SYSTEM").status());
    }

    @Test
    void executeGivesCopyBothThenTheErrorComesFromTheStream() throws Exception {
        connect(sent -> switch (sent.type()) {
            case 'Q' -> new String(sent.payload(), StandardCharsets.UTF_8).startsWith("START_REPLICATION")
                    ? Wire.concat(copyBothResponse(),
                    errorResponse(fields("S", "ERROR", "V", "ERROR", "C", "55000", "M", "slot is busy")),
                    readyForQuery('I'))
                    : walsender(sent);
            default -> null;
        });
        assertEquals(ResultStatus.COPY_BOTH, connection.execute("START_REPLICATION SLOT s LOGICAL 0/0").status());
        PgServerException e = assertThrows(PgServerException.class, () -> connection.copyEnd(null));
        assertEquals("slot is busy", e.primaryMessage());
        assertEquals(ResultStatus.TUPLES_OK, connection.execute("IDENTIFY_SYSTEM").status());
    }

    @Test
    void somethingThatIsNotStreamingProtocolIsAProtocolError() throws Exception {
        ReplicationStream s = start(Duration.ofSeconds(60));
        server.send(copyData("x-not-a-replication-message".getBytes(StandardCharsets.US_ASCII)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        PgProtocolException e = assertThrows(PgProtocolException.class, () -> {
            while (System.nanoTime() - deadline < 0) {
                s.read(500);
            }
        });
        assertEquals("unrecognized replication message type", e.getMessage());
    }

    @Test
    void aTruncatedDataMessageIsAProtocolError() throws Exception {
        ReplicationStream s = start(Duration.ofSeconds(60));
        server.send(copyData(new byte[] {'w', 0, 0, 0, 0, 0, 0, 0, 1}));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        PgProtocolException e = assertThrows(PgProtocolException.class, () -> {
            while (System.nanoTime() - deadline < 0) {
                s.read(500);
            }
        });
        assertEquals("data message header too small", e.getMessage());
    }

    @Test
    void anUnackedStreamEndsDespiteAKeepaliveAfterTheServersCopyDone() throws Exception {
        // PostgreSQL 15's walsender, ended by a client that never confirmed anything: CopyDone,
        // then one more keepalive, then the command's end (seen on the wire from a real server).
        connect(sent -> switch (sent.type()) {
            case 'Q' -> copyBothResponse();
            case 'c' -> Wire.concat(copyDone(), keepalive(0x100, false), commandComplete("COPY 0"),
                    commandComplete("START_REPLICATION"), readyForQuery('I'));
            default -> null;
        });
        ReplicationStream s = ReplicationStream.start(connection, "START_REPLICATION SLOT s LOGICAL 0/0", Duration.ofSeconds(60));
        assertNull(s.read(0));
        s.end();
        assertFalse(connection.inCopyBoth());
    }

    @Test
    void copyStartAndTheRawCopyCalls() throws Exception {
        connect(ReplicationStreamScriptedTest::walsender);
        assertEquals(CopyDirection.BOTH, connection.copyStart("START_REPLICATION SLOT s LOGICAL 0/0"));
        assertTrue(connection.inCopyBoth());
        assertFalse(connection.copyEnded());
        assertNull(connection.copyReadMessage(0));
        server.send(Wire.concat(keepalive(7, false), xlogData(8, 8, "x")));
        byte[] raw = connection.copyReadMessage(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertNotNull(raw);
        assertEquals('k', raw[0], "the raw calls hand out keepalives too");
        raw = connection.copyReadMessage(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertNotNull(raw);
        assertEquals('w', raw[0]);
        connection.copyWriteMessage(new byte[] {'r', 1, 2});
        Sent sent = server.next('d');
        assertArrayEquals(new byte[] {'r', 1, 2}, sent.payload());
        PgException e = assertThrows(PgException.class, () -> connection.execute("SELECT 1"));
        assertEquals("PQexec not allowed during COPY BOTH\n", e.getMessage());
        connection.copyEnd(null);
        assertTrue(connection.copyEnded());
        assertFalse(connection.inCopyBoth());
        assertEquals(ResultStatus.TUPLES_OK, connection.execute("IDENTIFY_SYSTEM").status());
    }
}
