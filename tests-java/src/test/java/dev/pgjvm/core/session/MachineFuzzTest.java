package dev.pgjvm.core.session;

import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.ValueKind;
import dev.pgjvm.core.auth.PasswordSource;
import dev.pgjvm.core.testing.Allocation;
import dev.pgjvm.core.testing.Gens;
import dev.pgjvm.core.testing.Wire;
import dev.pgjvm.core.testing.WireArbitraries;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.pgjvm.core.testing.Gens.*;
import static dev.pgjvm.core.testing.ServerMessages.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What the server sends into the protocol machine, as QuickTheories properties: random bytes, valid
 * messages whose length words lie, rows with the wrong field count, results torn at random
 * points. The machine makes sense of them or fails the session (FAILED) with a
 * PgProtocolException; nothing else escapes, and it allocates about what arrived. Fixed seeds,
 * bounded tries, shrinking as in {@code protocol/WireFuzzTest}.
 */
class MachineFuzzTest {
    static final long SEED = 20261205L;

    /** A message with the amount its length word lies by (0: honest). */
    record Lying(byte[] message, int lie) {
        byte[] bytes() {
            return WireArbitraries.lyingAboutLength(message, lie);
        }

        @Override
        public String toString() {
            return "Lying[" + Gens.show(message) + ", lie " + lie + "]";
        }
    }

    private static Gen<byte[]> payloads() {
        return bytes(0, 80);
    }

    private static Gen<List<Lying>> lyingMessages() {
        return lists(WireArbitraries.validMessage().zip(WireArbitraries.lie(), Lying::new), 1, 5);
    }

    /** What a server that is not PostgreSQL may answer first: text, TLS, random bytes. */
    private static Gen<byte[]> firstReplies() {
        return weighted(
                weight(3, bytes(1, 200)),
                weight(1, pick("HTTP/1.1 400 Bad Request\r\n\r\n", "SSH-2.0-OpenSSH_9.6\r\n", "+OK\r\n")
                        .map(s -> s.getBytes(StandardCharsets.US_ASCII))),
                weight(1, bytes(0, 40).map(b -> Wire.concat(new byte[] {0x16, 0x03, 0x03}, b))));
    }

    /** Rows of 1 to 4 text columns (NULL now and then): every row as wide as the description. */
    private static Gen<List<List<String>>> rows() {
        return ints(1, 4).flatMap(columns ->
                lists(lists(orNull(WireArbitraries.text(20), 10), columns, columns), 0, 8));
    }

    private static ProtocolMachine startingUp() {
        ProtocolMachine m = new ProtocolMachine(Map.of("user", "u", "database", "d"), PasswordSource.none());
        m.takeOutput();
        return m;
    }

    /** A machine past a trust start-up, READY. */
    private static ProtocolMachine ready() {
        ProtocolMachine m = startingUp();
        feed(m, Wire.concat(authenticationOk(), parameterStatus("client_encoding", "UTF8"), backendKeyData(1, 2),
                readyForQuery('I')));
        assertEquals(SessionPhase.READY, m.phase());
        return m;
    }

    private static SimpleQuery query(ProtocolMachine m) {
        return m.submit(new SimpleQuery("SELECT 1".getBytes(StandardCharsets.UTF_8), false));
    }

    private static void feed(ProtocolMachine m, byte[] bytes) {
        m.receive(bytes, 0, bytes.length);
    }

    /** The machine is in a phase its callers handle; when FAILED, for a protocol error. */
    private static void assertSane(ProtocolMachine m) {
        if (m.phase() == SessionPhase.FAILED) {
            PgProtocolException e = assertInstanceOf(PgProtocolException.class, m.failure());
            assertFalse(e.getMessage().isEmpty());
        } else {
            assertEquals(SessionPhase.READY, m.phase());
        }
    }

    @Test
    void garbageAfterStartupFailsOnlyAsAProtocolError() {
        theory(SEED, 2000).forAll(WireArbitraries.typeByte(), payloads(), booleans())
                .checkAssert(MachineFuzzTest::garbageAfterStartupFailsOnlyAsAProtocolError);
    }

    private static void garbageAfterStartupFailsOnlyAsAProtocolError(byte type, byte[] payload, boolean duringQuery) {
        ProtocolMachine m = ready();
        if (duringQuery) {
            query(m);
        }
        feed(m, ByteBuffer.allocate(payload.length + 5).put(type).putInt(payload.length + 4).put(payload).array());
        assertSane(m);
    }

    @Test
    void validMessagesWithLyingLengths() {
        theory(SEED, 1000).forAll(lyingMessages(), booleans(), WireArbitraries.chunkSizes())
                .checkAssert(MachineFuzzTest::validMessagesWithLyingLengths);
    }

    private static void validMessagesWithLyingLengths(List<Lying> messages, boolean duringQuery, List<Integer> chunks) {
        ProtocolMachine m = ready();
        if (duringQuery) {
            query(m);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        messages.forEach(l -> all.writeBytes(l.bytes()));
        for (byte[] piece : WireArbitraries.cut(all.toByteArray(), chunks)) {
            feed(m, piece);
        }
        assertSane(m);
    }

    @Test
    void aDataRowMustHaveTheDescribedFieldCount() {
        theory(SEED, 300).forAll(ints(0, 12), ints(0, 12))
                .checkAssert(MachineFuzzTest::aDataRowMustHaveTheDescribedFieldCount);
    }

    private static void aDataRowMustHaveTheDescribedFieldCount(int described, int sent) {
        ProtocolMachine m = ready();
        SimpleQuery q = query(m);
        Object[] columns = new Object[2 * described];
        for (int i = 0; i < described; i++) {
            columns[2 * i] = "c" + i;
            columns[2 * i + 1] = 25;
        }
        String[] values = new String[sent];
        Arrays.fill(values, "v");
        feed(m, Wire.concat(rowDescription(columns), dataRow(values), commandComplete("SELECT 1"), readyForQuery('I')));
        if (described == sent) {
            assertEquals(SessionPhase.READY, m.phase());
            assertEquals(1, new PgResult(q.results().lastResult()).rowCount());
        } else {
            assertEquals(SessionPhase.FAILED, m.phase());
            assertEquals("unexpected field count in \"D\" message\n", m.failure().getMessage());
        }
    }

    @Test
    void startupAnswersThatAreNotPostgresFail() {
        theory(SEED, 1000).forAll(firstReplies())
                .checkAssert(MachineFuzzTest::startupAnswersThatAreNotPostgresFail);
    }

    private static void startupAnswersThatAreNotPostgresFail(byte[] bytes) {
        ProtocolMachine m = startingUp();
        feed(m, bytes);
        char first = (char) (bytes[0] & 0xff);
        if (first != 'R' && first != 'E' && first != 'v') {
            assertEquals(SessionPhase.FAILED, m.phase());
            assertEquals("expected authentication request from server, but received " + first + "\n",
                    m.failure().getMessage());
        } else if (m.phase() == SessionPhase.FAILED) {
            // A server error refuses the start-up (PgServerException); anything else is a protocol error.
            assertNotNull(m.failure());
        }
    }

    @Test
    void resultsTornAnywhereComeOutAsSent() {
        theory(SEED, 300).forAll(rows(), WireArbitraries.chunkSizes())
                .checkAssert(MachineFuzzTest::resultsTornAnywhereComeOutAsSent);
    }

    private static void resultsTornAnywhereComeOutAsSent(List<List<String>> rows, List<Integer> chunks) {
        int columns = rows.isEmpty() ? 1 : rows.get(0).size();
        Object[] description = new Object[2 * columns];
        for (int i = 0; i < columns; i++) {
            description[2 * i] = "c" + i;
            description[2 * i + 1] = 25;
        }
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        reply.writeBytes(rowDescription(description));
        rows.forEach(r -> reply.writeBytes(dataRow(r.toArray(String[]::new))));
        reply.writeBytes(Wire.concat(commandComplete("SELECT " + rows.size()), readyForQuery('T')));

        ProtocolMachine m = ready();
        SimpleQuery q = query(m);
        for (byte[] piece : WireArbitraries.cut(reply.toByteArray(), chunks)) {
            feed(m, piece);
        }
        assertTrue(q.isDone());
        assertEquals('T', m.transactionStatus());
        PgResult result = new PgResult(q.results().lastResult());
        ValueKind[] kinds = new ValueKind[columns];
        Arrays.fill(kinds, ValueKind.TEXT);
        result.setValueKinds(kinds);
        Object[][] got = result.rows(0, result.rowCount());
        assertEquals(rows.size(), got.length);
        for (int i = 0; i < got.length; i++) {
            assertEquals(rows.get(i), Arrays.asList(got[i]));
        }
    }

    @Test
    void garbageAllocatesAboutWhatArrived() {
        Allocation.measure(() -> { }); // skipped, not falsified, where the JVM cannot count allocations
        theory(SEED, 300).forAll(lyingMessages(), booleans())
                .checkAssert(MachineFuzzTest::garbageAllocatesAboutWhatArrived);
    }

    private static void garbageAllocatesAboutWhatArrived(List<Lying> messages, boolean duringQuery) {
        ProtocolMachine m = ready();
        if (duringQuery) {
            query(m);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        messages.forEach(l -> all.writeBytes(l.bytes()));
        byte[] bytes = all.toByteArray();
        long allocated = Allocation.measure(() -> feed(m, bytes));
        assertSane(m);
        // A length word may make the framer start with up to 1 MiB; the rest is in step with the
        // bytes (decoded strings, records, an exception's stack trace).
        assertTrue(allocated < (1 << 20) + 64L * bytes.length + (256 << 10),
                allocated + " bytes allocated for " + bytes.length + " that arrived");
    }
}
