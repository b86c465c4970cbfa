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
        assertEquals(SessionPhase.AUTHENTICATING, m.phase());
        String expectedHash = dev.pgjvm.core.auth.Md5Password.encode("alice", "secret", new byte[]{1, 2, 3, 4});
        assertArrayEquals(Wire.of().cstring(expectedHash).message('p'), m.takeOutput());
        assertFalse(m.isOperationComplete());

        feed(m, serverStartupTail());
        assertEquals(SessionPhase.READY, m.phase());
        assertTrue(m.isOperationComplete());
        assertEquals(4242, m.backendPid());
        assertEquals(777, m.secretKey());
        assertEquals("15.4 (Debian 15.4-1)", m.parameterStatus("server_version"));
        assertEquals('I', m.transactionStatus());

        m.startQuery("SELECT 1; SELECT 'a', NULL");
        assertEquals(SessionPhase.BUSY, m.phase());
        assertArrayEquals(Wire.of().cstring("SELECT 1; SELECT 'a', NULL").message('Q'), m.takeOutput());
        feed(m, rowDescription("?column?", 23), dataRow("1"), commandComplete("SELECT 1"),
                rowDescription("?column?", 25, "?column?", 25), dataRow("a", null), commandComplete("SELECT 1"));
        assertEquals(SessionPhase.BUSY, m.phase());
        assertNull(m.takeQueryResults(), "no results before ReadyForQuery");
        feed(m, readyForQuery('I'));
        QueryResults results = m.takeQueryResults();
        assertNull(results.error());
        assertEquals(2, results.results().size());
        StatementResult last = results.lastResult();
        assertEquals(ResultStatus.TUPLES_OK, last.status());
        assertEquals("SELECT 1", last.commandTag());
        assertEquals("a", last.rows().get(0).text(0, last.charset()));
        assertTrue(last.rows().get(0).isNull(1));
        assertNull(m.takeQueryResults(), "the results are handed out once");
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
        feed(m, authenticationSasl("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"));
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
        assertTrue(m.isOperationComplete());
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
        m.startQuery("SELECT 1");
        byte[] reply = Wire.concat(rowDescription("x", 23), noticeResponse(fields("S", "NOTICE", "M", "mid-query")),
                dataRow("1"), notification(9, "ch", "p"), commandComplete("SELECT 1"), readyForQuery('I'));
        for (int i = 0; i < reply.length; i++) {
            m.receive(reply, i, 1);
        }
        assertEquals(SessionPhase.READY, m.phase());
        assertEquals("1", m.takeQueryResults().lastResult().rows().get(0).text(0, StandardCharsets.UTF_8));
        assertEquals(List.of("NOTICE:  mid-query\n"), m.drainNotices());
        assertEquals(List.of(new NotificationResponse(9, "ch", "p")), m.drainNotifications());
    }

    @Test
    void errorThenReadyForQueryReportsTheFirstErrorAndTransactionState() {
        ProtocolMachine m = ready();
        m.startQuery("BEGIN; SELEC 1; SELECT 2");
        feed(m, commandComplete("BEGIN"),
                errorResponse(fields("S", "ERROR", "V", "ERROR", "C", "42601", "M", "syntax error at or near \"SELEC\"", "P", "8")));
        assertEquals(SessionPhase.BUSY, m.phase(), "an error alone does not end the query");
        feed(m, readyForQuery('E'));
        QueryResults results = m.takeQueryResults();
        assertEquals("42601", results.error().sqlState());
        assertEquals(1, results.results().size());
        assertEquals('E', m.transactionStatus());
        PgServerException e = new PgServerException(results.error().fields(), results.sql());
        assertEquals("ERROR:  syntax error at or near \"SELEC\"\nLINE 1: BEGIN; SELEC 1; SELECT 2\n               ^\n",
                e.getMessage());

        m.startQuery("ROLLBACK");
        feed(m, commandComplete("ROLLBACK"), readyForQuery('I'));
        assertEquals('I', m.transactionStatus());
        assertNull(m.takeQueryResults().error());
    }

    @Test
    void emptyQuery() {
        ProtocolMachine m = ready();
        m.startQuery("");
        feed(m, emptyQueryResponse(), readyForQuery('I'));
        StatementResult r = m.takeQueryResults().lastResult();
        assertEquals(ResultStatus.EMPTY_QUERY, r.status());
        assertNull(r.commandTag());
    }

    @Test
    void commandWithoutRows() {
        ProtocolMachine m = ready();
        m.startQuery("CREATE TABLE t ()");
        feed(m, commandComplete("CREATE TABLE"), readyForQuery('I'));
        StatementResult r = m.takeQueryResults().lastResult();
        assertEquals(ResultStatus.COMMAND_OK, r.status());
        assertNull(r.description());
        assertEquals(List.of(), r.rows());
    }

    @Test
    void clientEncodingChangeAppliesToLaterMessages() {
        ProtocolMachine m = ready();
        m.startQuery("SET client_encoding TO LATIN1; SELECT 'é'");
        byte[] latin1Row = Wire.of().int16(1).int32(1).int8(0xE9).message('D');
        feed(m, parameterStatus("client_encoding", "LATIN1"), commandComplete("SET"),
                rowDescription("?column?", 25), latin1Row, commandComplete("SELECT 1"), readyForQuery('I'));
        StatementResult r = m.takeQueryResults().lastResult();
        assertEquals(StandardCharsets.ISO_8859_1, r.charset());
        assertEquals("é", r.rows().get(0).text(0, r.charset()));
        assertEquals(StandardCharsets.ISO_8859_1, m.charset());
    }

    @Test
    void dataRowWithoutDescriptionIsAProtocolError() {
        ProtocolMachine m = ready();
        m.startQuery("SELECT 1");
        feed(m, dataRow("1"));
        assertEquals(SessionPhase.FAILED, m.phase());
        assertInstanceOf(PgProtocolException.class, m.failure());
    }

    @Test
    void copyFromStdinIsRefusedPolitely() {
        ProtocolMachine m = ready();
        m.startQuery("COPY t FROM STDIN");
        m.takeOutput();
        feed(m, Wire.of().int8(0).int16(1).int16(0).message('G'));
        byte[] out = m.takeOutput();
        assertEquals('f', out[0], "CopyFail is sent");
        feed(m, errorResponse(fields("S", "ERROR", "C", "57014", "M", "COPY from stdin failed")), readyForQuery('I'));
        assertEquals("57014", m.takeQueryResults().error().sqlState());
        assertEquals(CopyDirection.IN, m.refusedCopyDirection());
    }

    @Test
    void copyToStdoutDataIsSkipped() {
        ProtocolMachine m = ready();
        m.startQuery("COPY t TO STDOUT");
        feed(m, Wire.of().int8(0).int16(1).int16(0).message('H'), Wire.of().ascii("1\n").message('d'),
                Wire.of().message('c'), commandComplete("COPY 1"), readyForQuery('I'));
        StatementResult r = m.takeQueryResults().lastResult();
        assertEquals(ResultStatus.COPY_OUT, r.status());
        assertEquals("COPY 1", r.commandTag());
        assertEquals(CopyDirection.OUT, m.refusedCopyDirection());
    }

    @Test
    void copyInStopsForTheCallersDataAndEndsWithCopyDone() {
        ProtocolMachine m = ready();
        m.startCopy("COPY t FROM STDIN");
        m.takeOutput();
        feed(m, Wire.of().int8(0).int16(1).int16(0).message('G'));
        assertEquals(SessionPhase.COPY_IN, m.phase());
        assertTrue(m.isOperationComplete(), "the machine waits for the caller, not the server");
        m.sendCopyData("1\tx\n", java.nio.charset.StandardCharsets.UTF_8);
        m.endCopy();
        byte[] out = m.takeOutput();
        assertEquals('d', out[0]);
        assertEquals(4 + 4, out[4], "CopyData length: 4 + 4 bytes of data");
        assertEquals('c', out[9], "then CopyDone");
        assertEquals(SessionPhase.BUSY, m.phase());
        feed(m, commandComplete("COPY 1"), readyForQuery('I'));
        StatementResult r = m.takeQueryResults().lastResult();
        assertEquals(ResultStatus.COPY_IN, r.status());
        assertNull(m.refusedCopyDirection());
    }

    @Test
    void copyInErrorFromTheServerDropsFurtherData() {
        ProtocolMachine m = ready();
        m.startCopy("COPY t FROM STDIN");
        m.takeOutput();
        feed(m, Wire.of().int8(0).int16(1).int16(0).message('G'),
                errorResponse(fields("S", "ERROR", "C", "22P02", "M", "invalid input syntax")), readyForQuery('I'));
        assertEquals(SessionPhase.READY, m.phase());
        m.sendCopyData("more\n", java.nio.charset.StandardCharsets.UTF_8);
        m.endCopy();
        assertFalse(m.hasOutput(), "nothing is sent after the server ended the COPY");
        assertEquals("22P02", m.takeQueryResults().error().sqlState());
    }

    @Test
    void copyOutDataIsQueuedForTheCaller() {
        ProtocolMachine m = ready();
        m.startCopy("COPY t TO STDOUT");
        feed(m, Wire.of().int8(0).int16(1).int16(0).message('H'), Wire.of().ascii("1\n").message('d'),
                Wire.of().ascii("2\n").message('d'));
        assertTrue(m.hasCopyData());
        assertEquals("1\n2\n", new String(m.takeCopyData(), java.nio.charset.StandardCharsets.US_ASCII));
        assertFalse(m.hasCopyData());
        feed(m, Wire.of().message('c'), commandComplete("COPY 2"), readyForQuery('I'));
        assertEquals("COPY 2", m.takeQueryResults().lastResult().commandTag());
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
        m.startQuery("SELECT 1");
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
        m.startQuery("SELECT 1");
        m.connectionLost(new java.io.IOException("Connection reset"));
        assertEquals(ProtocolMachine.CONNECTION_LOST, m.failure().getMessage());
    }

    @Test
    void startQueryOnlyWhenReady() {
        ProtocolMachine m = new ProtocolMachine(startup(), PasswordSource.none());
        assertThrows(IllegalStateException.class, () -> m.startQuery("SELECT 1"));
        ProtocolMachine r = ready();
        r.startQuery("SELECT 1");
        assertThrows(IllegalStateException.class, () -> r.startQuery("SELECT 2"));
    }

    @Test
    void badQueryTextLeavesTheMachineReady() {
        ProtocolMachine m = ready();
        assertThrows(IllegalArgumentException.class, () -> m.startQuery("SELECT '\0'"));
        assertEquals(SessionPhase.READY, m.phase());
        assertFalse(m.hasOutput());
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
        m.startQuery("SELECT 1");
        byte[] a = m.takeOutput();
        assertFalse(m.hasOutput());
        assertTrue(Arrays.equals(Wire.of().cstring("SELECT 1").message('Q'), a));
    }
}
