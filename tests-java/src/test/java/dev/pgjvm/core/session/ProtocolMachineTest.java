package dev.pgjvm.core.session;

import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.auth.ClientAuthenticator;
import dev.pgjvm.core.auth.PasswordSource;
import dev.pgjvm.core.protocol.NotificationResponse;
import dev.pgjvm.core.testing.ScramServer;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.pgjvm.core.testing.ServerMessages.*;
import static org.junit.jupiter.api.Assertions.*;

/** The state machine driven by canned server bytes: no socket anywhere. */
class ProtocolMachineTest {
    private static Map<String, String> startup() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", "alice");
        p.put("database", "db");
        return p;
    }

    private static byte[] serverStartupTail() {
        return Wire.concat(authenticationOk(),
                parameterStatus("server_version", "15.4 (Debian 15.4-1)"),
                parameterStatus("client_encoding", "UTF8"),
                backendKeyData(4242, 777),
                readyForQuery('I'));
    }

    private static void feed(ProtocolMachine m, byte[]... messages) {
        byte[] all = Wire.concat(messages);
        m.receive(all, 0, all.length);
    }

    private static byte[] sql(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static SimpleQuery query(ProtocolMachine m, String text) {
        return m.submit(new SimpleQuery(sql(text), false));
    }

    private static SimpleQuery copy(ProtocolMachine m, String text) {
        return m.submit(new SimpleQuery(sql(text), true));
    }

    /** Feeds the bytes one at a time: every message torn at every byte. */
    private static void feedBytewise(ProtocolMachine m, byte[]... messages) {
        byte[] all = Wire.concat(messages);
        for (int i = 0; i < all.length; i++) {
            m.receive(all, i, 1);
        }
    }

    private static byte[] copyInResponse() {
        return Wire.of().int8(0).int16(1).int16(0).message('G');
    }

    private static byte[] copyOutResponse() {
        return Wire.of().int8(0).int16(1).int16(0).message('H');
    }

    private static byte[] copyBothResponse() {
        return Wire.of().int8(0).int16(0).message('W');
    }

    private static byte[] copyData(String text) {
        return Wire.of().ascii(text).message('d');
    }

    private static byte[] copyDone() {
        return Wire.of().message('c');
    }

    /** A machine that went through trust start-up and is READY. */
    private static ProtocolMachine ready() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.none());
        m.takeOutput();
        feed(m, serverStartupTail());
        assertEquals(SessionPhase.READY, m.phase());
        return m;
    }

    @Test
    void md5StartupThenTwoStatementQuery() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.of("secret"));
        assertEquals(SessionPhase.STARTUP, m.phase());
        assertArrayEquals(Wire.of().int32(196608).cstring("user").cstring("alice").cstring("database").cstring("db")
                .int8(0).untypedMessage(), m.takeOutput());
        assertFalse(m.hasOutput());

        feed(m, authenticationMd5(new byte[]{1, 2, 3, 4}));
        assertEquals(SessionPhase.STARTUP, m.phase());
        assertEquals(CommandPhase.AUTHENTICATING, m.startup().phase());
        String expectedHash = dev.pgjvm.core.auth.Md5Password.encode("alice", "secret", new byte[]{1, 2, 3, 4});
        assertArrayEquals(Wire.of().cstring(expectedHash).message('p'), m.takeOutput());
        assertFalse(m.startup().isDone());

        feed(m, serverStartupTail());
        assertEquals(SessionPhase.READY, m.phase());
        assertTrue(m.startup().isDone());
        assertFalse(m.isBusy());
        assertEquals(4242, m.backendPid());
        assertEquals(777, m.secretKey());
        assertEquals("15.4 (Debian 15.4-1)", m.parameterStatus("server_version"));
        assertEquals('I', m.transactionStatus());

        SimpleQuery q = query(m, "SELECT 1; SELECT 'a', NULL");
        assertEquals(CommandPhase.SENT, q.phase());
        assertTrue(m.isBusy());
        assertArrayEquals(Wire.of().cstring("SELECT 1; SELECT 'a', NULL").message('Q'), m.takeOutput());
        feed(m, rowDescription("?column?", 23), dataRow("1"), commandComplete("SELECT 1"),
                rowDescription("?column?", 25, "?column?", 25), dataRow("a", null), commandComplete("SELECT 1"));
        assertEquals(CommandPhase.RESULTS, q.phase());
        assertNull(q.results(), "no results before ReadyForQuery");
        feed(m, readyForQuery('I'));
        assertTrue(q.isDone());
        assertFalse(m.isBusy());
        QueryResults results = q.results();
        assertNull(results.error());
        assertEquals(2, results.results().size());
        StatementResult last = results.lastResult();
        assertEquals(ResultStatus.TUPLES_OK, last.status());
        assertEquals("SELECT 1", last.commandTag());
        assertEquals("a", last.rows().get(0).text(0, last.charset()));
        assertTrue(last.rows().get(0).isNull(1));
    }

    @Test
    void cleartextPassword() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.of("pw"));
        m.takeOutput();
        feed(m, authenticationCleartext());
        assertArrayEquals(Wire.of().cstring("pw").message('p'), m.takeOutput());
        feed(m, serverStartupTail());
        assertEquals(SessionPhase.READY, m.phase());
    }

    @Test
    void scramStartupThroughTheMachine() {
        ScramServer server = new ScramServer("pencil", new byte[]{1, 2, 3, 4, 5, 6, 7, 8}, 4096, "SERVERNONCE");
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.of("pencil"));
        m.takeOutput();
        feed(m, authenticationSasl("SCRAM-SHA-256")); // -PLUS only over TLS (ChannelBindingTest)
        byte[] initial = m.takeOutput();
        // 'p', length, "SCRAM-SHA-256\0", Int32 length, client-first-message
        String clientFirst = new String(initial, 5 + 14 + 4, initial.length - 5 - 14 - 4, StandardCharsets.UTF_8);
        assertTrue(clientFirst.startsWith("n,,n=*,r="), clientFirst);
        feed(m, authenticationSaslContinue(server.serverFirst(clientFirst)));
        byte[] response = m.takeOutput();
        String clientFinal = new String(response, 5, response.length - 5, StandardCharsets.UTF_8);
        String serverFinal = server.serverFinal(clientFinal);
        assertTrue(serverFinal.startsWith("v="));
        feed(m, authenticationSaslFinal(serverFinal));
        assertNotEquals(SessionPhase.FAILED, m.phase(), () -> String.valueOf(m.failure()));
        feed(m, serverStartupTail());
        assertEquals(SessionPhase.READY, m.phase());
    }

    @Test
    void scramWithAForgedServerSignatureFails() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.of("pencil"));
        m.takeOutput();
        ScramServer server = new ScramServer("pencil", new byte[]{1, 2, 3, 4}, 4096, "N");
        feed(m, authenticationSasl("SCRAM-SHA-256"));
        byte[] initial = m.takeOutput();
        feed(m, authenticationSaslContinue(server.serverFirst(new String(initial, 23, initial.length - 23, StandardCharsets.UTF_8))));
        m.takeOutput();
        feed(m, authenticationSaslFinal("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), authenticationOk());
        assertEquals(SessionPhase.FAILED, m.phase());
        assertEquals("incorrect server signature\n", m.failure().getMessage());
    }

    @Test
    void noPasswordSupplied() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.none());
        m.takeOutput();
        feed(m, authenticationMd5(new byte[]{1, 2, 3, 4}));
        assertEquals(SessionPhase.FAILED, m.phase());
        assertInstanceOf(PgConnectionException.class, m.failure());
        assertEquals("fe_sendauth: no password supplied\n", m.failure().getMessage());
        assertFalse(m.hasOutput());
    }

    @Test
    void serverRefusesDuringStartup() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.of("wrong"));
        m.takeOutput();
        feed(m, authenticationCleartext());
        m.takeOutput();
        feed(m, errorResponse(fields("S", "FATAL", "V", "FATAL", "C", "28P01",
                "M", "password authentication failed for user \"alice\"")));
        assertEquals(SessionPhase.FAILED, m.phase());
        PgServerException e = assertInstanceOf(PgServerException.class, m.failure());
        assertEquals("28P01", e.sqlState());
        assertEquals("FATAL:  password authentication failed for user \"alice\"\n", e.getMessage());
    }

    @Test
    void unsupportedAuthenticationFails() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.of("pw"));
        m.takeOutput();
        feed(m, Wire.of().int32(7).message('R'));
        assertEquals(SessionPhase.FAILED, m.phase());
        assertEquals("GSSAPI authentication not supported\n", m.failure().getMessage());
    }

    @Test
    void garbageFromTheServerFails() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.none());
        m.takeOutput();
        byte[] http = "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        m.receive(http, 0, http.length);
        assertEquals(SessionPhase.FAILED, m.phase());
        assertInstanceOf(PgProtocolException.class, m.failure());
    }

    @Test
    void readyForQueryBeforeAuthenticationIsAProtocolError() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.none());
        feed(m, readyForQuery('I'));
        assertEquals(SessionPhase.FAILED, m.phase());
        assertInstanceOf(PgProtocolException.class, m.failure());
    }

    @Test
    void wholeExchangeFedOneByteAtATime() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.of("pw"));
        m.takeOutput();
        byte[] server = Wire.concat(authenticationCleartext(), serverStartupTail());
        for (int i = 0; i < server.length; i++) {
            m.receive(ByteBuffer.wrap(server, i, 1));
        }
        assertEquals(SessionPhase.READY, m.phase());
        SimpleQuery q = query(m, "SELECT 1");
        byte[] reply = Wire.concat(rowDescription("x", 23), noticeResponse(fields("S", "NOTICE", "M", "mid-query")),
                dataRow("1"), notification(9, "ch", "p"), commandComplete("SELECT 1"), readyForQuery('I'));
        for (int i = 0; i < reply.length; i++) {
            m.receive(reply, i, 1);
        }
        assertEquals(SessionPhase.READY, m.phase());
        assertEquals("1", q.results().lastResult().rows().get(0).text(0, StandardCharsets.UTF_8));
        assertEquals(List.of("NOTICE:  mid-query\n"), m.drainNotices());
        assertEquals(List.of(new NotificationResponse(9, "ch", "p")), m.drainNotifications());
    }

    @Test
    void errorThenReadyForQueryReportsTheFirstErrorAndTransactionState() {
        ProtocolMachine m = ready();
        SimpleQuery q = query(m, "BEGIN; SELEC 1; SELECT 2");
        feed(m, commandComplete("BEGIN"),
                errorResponse(fields("S", "ERROR", "V", "ERROR", "C", "42601", "M", "syntax error at or near \"SELEC\"", "P", "8")));
        assertFalse(q.isDone(), "an error alone does not end the query");
        feed(m, readyForQuery('E'));
        QueryResults results = q.results();
        assertEquals("42601", results.error().sqlState());
        assertEquals(1, results.results().size());
        assertEquals('E', m.transactionStatus());
        PgServerException e = new PgServerException(results.error().fields(), results.sql());
        assertEquals("ERROR:  syntax error at or near \"SELEC\"\nLINE 1: BEGIN; SELEC 1; SELECT 2\n               ^\n",
                e.getMessage());

        SimpleQuery rollback = query(m, "ROLLBACK");
        feed(m, commandComplete("ROLLBACK"), readyForQuery('I'));
        assertEquals('I', m.transactionStatus());
        assertNull(rollback.results().error(), "the session goes on after a server error");
    }

    @Test
    void emptyQuery() {
        ProtocolMachine m = ready();
        SimpleQuery q = query(m, "");
        feed(m, emptyQueryResponse(), readyForQuery('I'));
        StatementResult r = q.results().lastResult();
        assertEquals(ResultStatus.EMPTY_QUERY, r.status());
        assertNull(r.commandTag());
    }

    @Test
    void commandWithoutRows() {
        ProtocolMachine m = ready();
        SimpleQuery q = query(m, "CREATE TABLE t ()");
        feed(m, commandComplete("CREATE TABLE"), readyForQuery('I'));
        StatementResult r = q.results().lastResult();
        assertEquals(ResultStatus.COMMAND_OK, r.status());
        assertNull(r.description());
        assertEquals(List.of(), r.rows());
    }

    @Test
    void clientEncodingChangeAppliesToLaterMessages() {
        ProtocolMachine m = ready();
        SimpleQuery q = query(m, "SET client_encoding TO LATIN1; SELECT 'é'");
        byte[] latin1Row = Wire.of().int16(1).int32(1).int8(0xE9).message('D');
        feed(m, parameterStatus("client_encoding", "LATIN1"), commandComplete("SET"),
                rowDescription("?column?", 25), latin1Row, commandComplete("SELECT 1"), readyForQuery('I'));
        StatementResult r = q.results().lastResult();
        assertEquals(StandardCharsets.ISO_8859_1, r.charset());
        assertEquals("é", r.rows().get(0).text(0, r.charset()));
        assertEquals(StandardCharsets.ISO_8859_1, m.charset());
    }

    @Test
    void dataRowWithoutDescriptionIsAProtocolError() {
        ProtocolMachine m = ready();
        query(m, "SELECT 1");
        feed(m, dataRow("1"));
        assertEquals(SessionPhase.FAILED, m.phase());
        assertInstanceOf(PgProtocolException.class, m.failure());
    }

    @Test
    void copyFromStdinIsRefusedPolitely() {
        ProtocolMachine m = ready();
        SimpleQuery q = query(m, "COPY t FROM STDIN");
        m.takeOutput();
        feed(m, copyInResponse());
        byte[] out = m.takeOutput();
        assertEquals('f', out[0], "CopyFail is sent");
        assertFalse(q.acceptsCopyData());
        feed(m, errorResponse(fields("S", "ERROR", "C", "57014", "M", "COPY from stdin failed")), readyForQuery('I'));
        assertEquals("57014", q.results().error().sqlState());
        assertEquals(CopyDirection.IN, q.refusedCopyDirection());
    }

    @Test
    void copyToStdoutDataIsSkipped() {
        ProtocolMachine m = ready();
        SimpleQuery q = query(m, "COPY t TO STDOUT");
        feed(m, copyOutResponse(), copyData("1\n"), copyDone(), commandComplete("COPY 1"), readyForQuery('I'));
        StatementResult r = q.results().lastResult();
        assertEquals(ResultStatus.COPY_OUT, r.status());
        assertEquals("COPY 1", r.commandTag());
        assertEquals(CopyDirection.OUT, q.refusedCopyDirection());
        assertFalse(q.hasCopyData(), "a plain query drops the data");
    }

    @Test
    void copyInStopsForTheCallersDataAndEndsWithCopyDone() {
        ProtocolMachine m = ready();
        SimpleQuery q = copy(m, "COPY t FROM STDIN");
        m.takeOutput();
        feed(m, copyInResponse());
        assertEquals(CommandPhase.COPY_IN, q.phase());
        assertTrue(q.acceptsCopyData(), "the command waits for the caller, not the server");
        m.sendCopyData("1\tx\n", java.nio.charset.StandardCharsets.UTF_8);
        m.endCopy();
        byte[] out = m.takeOutput();
        assertEquals('d', out[0]);
        assertEquals(4 + 4, out[4], "CopyData length: 4 + 4 bytes of data");
        assertEquals('c', out[9], "then CopyDone");
        assertEquals(CommandPhase.RESULTS, q.phase());
        feed(m, commandComplete("COPY 1"), readyForQuery('I'));
        StatementResult r = q.results().lastResult();
        assertEquals(ResultStatus.COPY_IN, r.status());
        assertNull(q.refusedCopyDirection());
    }

    @Test
    void copyInErrorFromTheServerDropsFurtherData() {
        ProtocolMachine m = ready();
        SimpleQuery q = copy(m, "COPY t FROM STDIN");
        m.takeOutput();
        feed(m, copyInResponse(),
                errorResponse(fields("S", "ERROR", "C", "22P02", "M", "invalid input syntax")), readyForQuery('I'));
        assertTrue(q.isDone());
        m.sendCopyData("more\n", java.nio.charset.StandardCharsets.UTF_8);
        m.endCopy();
        assertFalse(m.hasOutput(), "nothing is sent after the server ended the COPY");
        assertEquals("22P02", q.results().error().sqlState());
    }

    @Test
    void copyOutDataIsQueuedForTheCaller() {
        ProtocolMachine m = ready();
        SimpleQuery q = copy(m, "COPY t TO STDOUT");
        feed(m, copyOutResponse(), copyData("1\n"), copyData("2\n"));
        assertTrue(q.hasCopyData());
        assertEquals("1\n2\n", new String(q.takeCopyData(), StandardCharsets.US_ASCII));
        assertFalse(q.hasCopyData());
        feed(m, copyDone(), commandComplete("COPY 2"), readyForQuery('I'));
        assertEquals("COPY 2", q.results().lastResult().commandTag());
    }

    @Test
    void noticesDuringStartupAndErrorsWhileIdleBecomeNotices() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.none());
        feed(m, authenticationOk(), noticeResponse(fields("S", "WARNING", "M", "careful", "D", "details here")),
                readyForQuery('I'));
        feed(m, errorResponse(fields("S", "FATAL", "C", "57P01", "M", "terminating connection due to administrator command")));
        assertEquals(SessionPhase.READY, m.phase());
        assertEquals(List.of("WARNING:  careful\nDETAIL:  details here\n",
                "FATAL:  terminating connection due to administrator command\n"), m.drainNotices());
        assertEquals(List.of(), m.drainNotices());
    }

    @Test
    void connectionLostAfterAFatalErrorSaysSoAsLibpqDoes() {
        ProtocolMachine m = ready();
        query(m, "SELECT 1");
        feed(m, errorResponse(fields("S", "FATAL", "V", "FATAL", "C", "57P01",
                "M", "terminating connection due to administrator command")));
        m.connectionLost(null);
        assertEquals(SessionPhase.FAILED, m.phase());
        PgConnectionException e = assertInstanceOf(PgConnectionException.class, m.failure());
        assertEquals("server closed the connection unexpectedly\n"
                + "\tThis probably means the server terminated abnormally\n"
                + "\tbefore or while processing the request.\n", e.getMessage());
        assertEquals("57P01", e.sqlState());
        feed(m, readyForQuery('I'));
        assertEquals(SessionPhase.FAILED, m.phase(), "nothing is accepted after the loss");
    }

    @Test
    void connectionLostWithoutAnError() {
        ProtocolMachine m = ready();
        query(m, "SELECT 1");
        m.connectionLost(new java.io.IOException("Connection reset"));
        assertEquals(ProtocolMachine.CONNECTION_LOST, m.failure().getMessage());
    }

    @Test
    void commandsOnlyOnceStartedUpAndEachOnce() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.none());
        assertThrows(IllegalStateException.class, () -> query(m, "SELECT 1"));
        ProtocolMachine r = ready();
        SimpleQuery q = query(r, "SELECT 1");
        assertThrows(IllegalStateException.class, () -> r.submit(q));
        r.terminate();
        assertThrows(IllegalStateException.class, () -> query(r, "SELECT 2"), "not after terminate");
    }

    @Test
    void badQueryTextLeavesTheMachineReady() {
        ProtocolMachine m = ready();
        assertThrows(IllegalArgumentException.class, () -> query(m, "SELECT '\0'"));
        assertEquals(SessionPhase.READY, m.phase());
        assertFalse(m.hasOutput());
        assertFalse(m.isBusy(), "nothing was put in flight");
        assertThrows(IllegalArgumentException.class, () -> m.submit(new ExtendedQuery("SELECT $1 || '\0'",
                new int[0], new byte[][]{sql("ok")}, false)), "an extended query: none of its five messages");
        assertFalse(m.hasOutput());
        assertFalse(m.isBusy());
    }

    @Test
    void terminate() {
        ProtocolMachine m = ready();
        m.terminate();
        assertEquals(SessionPhase.CLOSED, m.phase());
        assertArrayEquals(new byte[]{'X', 0, 0, 0, 4}, m.takeOutput());
        m.terminate();
        assertFalse(m.hasOutput());
    }

    @Test
    void drainOutputInPieces() {
        ProtocolMachine m = new ProtocolMachine(startup(), new ClientAuthenticator("alice", PasswordSource.none()));
        byte[] whole = FrontendBytes.startup();
        ByteBuffer small = ByteBuffer.allocate(7);
        byte[] collected = new byte[0];
        while (m.hasOutput()) {
            small.clear();
            m.drainOutput(small);
            small.flip();
            byte[] chunk = new byte[small.remaining()];
            small.get(chunk);
            collected = Wire.concat(collected, chunk);
        }
        assertArrayEquals(whole, collected);
    }

    /** What the start-up packet for {@link #startup()} looks like. */
    private static final class FrontendBytes {
        static byte[] startup() {
            return Wire.of().int32(196608).cstring("user").cstring("alice").cstring("database").cstring("db")
                    .int8(0).untypedMessage();
        }
    }

    @Test
    void outputIsCopiedOut() {
        ProtocolMachine m = ready();
        query(m, "SELECT 1");
        byte[] a = m.takeOutput();
        assertFalse(m.hasOutput());
        assertTrue(Arrays.equals(Wire.of().cstring("SELECT 1").message('Q'), a));
    }

    // ---------------------------------------------------------------- the command queue

    @Test
    void pipelinedQueriesCompleteInOrderAtTheirReadyForQuery() {
        ProtocolMachine m = ready();
        SimpleQuery first = query(m, "SELECT 1");
        SimpleQuery second = query(m, "SELECT x");
        SimpleQuery third = query(m, "SELECT 3");
        assertSame(first, m.head());
        assertArrayEquals(Wire.concat(Wire.of().cstring("SELECT 1").message('Q'), Wire.of().cstring("SELECT x").message('Q'),
                Wire.of().cstring("SELECT 3").message('Q')), m.takeOutput(), "all three are sent at once");
        feedBytewise(m, rowDescription("a", 23), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'),
                errorResponse(fields("S", "ERROR", "V", "ERROR", "C", "42703", "M", "column \"x\" does not exist", "P", "8")),
                readyForQuery('I'));
        assertTrue(first.isDone());
        assertTrue(second.isDone());
        assertFalse(third.isDone());
        assertSame(third, m.head());
        assertEquals("1", first.results().lastResult().rows().get(0).text(0, StandardCharsets.UTF_8));
        assertEquals("42703", second.results().error().sqlState(), "a server error fails its own command only");
        assertEquals("SELECT x", second.results().sql());
        feed(m, rowDescription("a", 23), dataRow("3"), commandComplete("SELECT 1"), readyForQuery('I'));
        assertNull(third.results().error());
        assertFalse(m.isBusy());
        assertNull(m.head());
    }

    @Test
    void extendedQuerySendsParseBindDescribeExecuteSync() {
        ProtocolMachine m = ready();
        ExtendedQuery q = m.submit(new ExtendedQuery("SELECT $1::int + 1", new int[]{23},
                new byte[][]{sql("41")}, false));
        byte[] expected = Wire.concat(
                Wire.of().cstring("").cstring("SELECT $1::int + 1").int16(1).int32(23).message('P'),
                Wire.of().cstring("").cstring("").int16(0).int16(1).int32(2).ascii("41").int16(1).int16(0).message('B'),
                Wire.of().int8('P').cstring("").message('D'),
                Wire.of().cstring("").int32(0).message('E'),
                Wire.of().message('S'));
        assertArrayEquals(expected, m.takeOutput());
        feedBytewise(m, Wire.of().message('1'), Wire.of().message('2'), rowDescription("?column?", 23), dataRow("42"),
                commandComplete("SELECT 1"), readyForQuery('I'));
        assertTrue(q.isDone());
        StatementResult r = q.results().lastResult();
        assertEquals(ResultStatus.TUPLES_OK, r.status());
        assertEquals("42", r.rows().get(0).text(0, StandardCharsets.UTF_8));
        assertEquals("SELECT 1", r.commandTag());
    }

    @Test
    void extendedQueryWithANullParameterAndNoRows() {
        ProtocolMachine m = ready();
        ExtendedQuery q = m.submit(new ExtendedQuery("SELECT lo_unlink($1)", new int[0], new byte[][]{null}, false));
        byte[] out = m.takeOutput();
        assertEquals('P', out[0]);
        feed(m, Wire.of().message('1'), Wire.of().message('2'), Wire.of().message('n'), commandComplete("UPDATE 0"),
                readyForQuery('T'));
        assertEquals(ResultStatus.COMMAND_OK, q.results().lastResult().status());
        assertEquals('T', m.transactionStatus());
    }

    @Test
    void extendedQueryErrorEndsAtTheSyncAndTheSessionGoesOn() {
        ProtocolMachine m = ready();
        ExtendedQuery q = m.submit(new ExtendedQuery("SELEC 1", new int[0], new byte[0][], false));
        m.takeOutput();
        feedBytewise(m, errorResponse(fields("S", "ERROR", "V", "ERROR", "C", "42601", "M", "syntax error at or near \"SELEC\"")),
                readyForQuery('I'));
        assertTrue(q.isDone());
        assertEquals("42601", q.results().error().sqlState());
        assertEquals("SELEC 1", q.results().sql());
        assertEquals(SessionPhase.READY, m.phase());
        SimpleQuery next = query(m, "SELECT 1");
        feed(m, rowDescription("a", 23), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'));
        assertNull(next.results().error());
    }

    @Test
    void copyBothCarriesDataBothWaysUntilEachSideIsDone() {
        ProtocolMachine m = ready();
        SimpleQuery q = copy(m, "START_REPLICATION SLOT s LOGICAL 0/0");
        m.takeOutput();
        feedBytewise(m, copyBothResponse(), copyData("w-one"), copyData("k-two"));
        assertEquals(CommandPhase.COPY_BOTH, q.phase());
        assertTrue(q.acceptsCopyData());
        assertEquals("w-onek-two", new String(q.takeCopyData(), StandardCharsets.US_ASCII));
        m.sendCopyData("r-status".getBytes(StandardCharsets.US_ASCII), 0, 8);
        assertArrayEquals(Wire.of().ascii("r-status").message('d'), m.takeOutput());
        feed(m, copyDone());
        assertEquals(CommandPhase.COPY_BOTH, q.phase(), "the server's CopyDone ends its side only");
        m.endCopy();
        assertArrayEquals(Wire.of().message('c'), m.takeOutput());
        feed(m, commandComplete("COPY 0"), readyForQuery('I'));
        assertTrue(q.isDone());
        assertNull(q.results().error());
    }

    @Test
    void copyBothIsCarriedByAnyPlainQuery() {
        // As libpq: a START_REPLICATION sent as an ordinary query streams (CopyBothMachineTest has the rest).
        ProtocolMachine m = ready();
        SimpleQuery q = query(m, "START_REPLICATION SLOT s LOGICAL 0/0");
        feed(m, copyBothResponse());
        assertEquals(SessionPhase.READY, m.phase());
        assertTrue(q.startedCopyBoth());
        assertTrue(q.acceptsCopyData());
    }

    @Test
    void aMessageThatDoesNotFitNamesTheCommandAndItsPhase() {
        ProtocolMachine m = ready();
        query(m, "SELECT 1");
        feed(m, rowDescription("a", 23), copyData("stray"));
        assertEquals(SessionPhase.FAILED, m.phase());
        assertEquals("unexpected message CopyData in phase RESULTS of SimpleQuery\n", m.failure().getMessage());
    }

    @Test
    void anExtendedQueryRefusesCopy() {
        ProtocolMachine m = ready();
        m.submit(new ExtendedQuery("COPY t FROM STDIN", new int[0], new byte[0][], false));
        feed(m, Wire.of().message('1'), Wire.of().message('2'), copyInResponse());
        assertEquals(SessionPhase.FAILED, m.phase());
        assertEquals("unexpected message CopyInResponse in phase RESULTS of ExtendedQuery\n", m.failure().getMessage());
    }

    @Test
    void readyForQueryWithNothingInFlightIsAProtocolError() {
        ProtocolMachine m = ready();
        feed(m, readyForQuery('I'));
        assertEquals(SessionPhase.FAILED, m.phase());
        assertInstanceOf(PgProtocolException.class, m.failure());
    }

    @Test
    void notificationsAndParameterChangesBetweenCommands() {
        ProtocolMachine m = ready();
        feedBytewise(m, notification(7, "jobs", "42"), parameterStatus("TimeZone", "UTC"));
        assertEquals(List.of(new NotificationResponse(7, "jobs", "42")), m.drainNotifications());
        assertEquals("UTC", m.parameterStatus("TimeZone"));
        assertEquals(SessionPhase.READY, m.phase());
        assertFalse(m.isBusy());
    }

    @Test
    void everyCommandKindTornAtEveryByte() {
        ProtocolMachine m = ready();
        SimpleQuery plain = query(m, "SELECT 1; COPY t TO STDOUT");
        SimpleQuery copyIn = copy(m, "COPY t FROM STDIN");
        ExtendedQuery extended = m.submit(new ExtendedQuery("SELECT $1", new int[0], new byte[][]{sql("x")}, false));
        feedBytewise(m, rowDescription("a", 23), dataRow("1"), commandComplete("SELECT 1"), copyOutResponse(),
                copyData("dropped\n"), copyDone(), commandComplete("COPY 1"), readyForQuery('I'));
        assertTrue(plain.isDone());
        assertEquals(2, plain.results().results().size());
        feedBytewise(m, copyInResponse());
        assertTrue(copyIn.acceptsCopyData());
        m.sendCopyData("1\n", StandardCharsets.UTF_8);
        m.endCopy();
        feedBytewise(m, commandComplete("COPY 1"), readyForQuery('I'),
                Wire.of().message('1'), Wire.of().message('2'), rowDescription("?column?", 25), dataRow("x"),
                commandComplete("SELECT 1"), readyForQuery('I'));
        assertEquals("COPY 1", copyIn.results().lastResult().commandTag());
        assertEquals("x", extended.results().lastResult().rows().get(0).text(0, StandardCharsets.UTF_8));
        assertFalse(m.isBusy());
    }
}
