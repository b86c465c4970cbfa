package dev.pgjvm.core.integration;

import dev.pgjvm.core.testing.Polling;

import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.conninfo.ClientEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static dev.pgjvm.core.ValueKind.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS through a TCP proxy in the test, between the client and the real server, that makes the
 * network awkward on purpose: it can tear what the server sends into small odd-sized pieces
 * (so TLS records, the handshake's included, arrive across many non-blocking reads), and it
 * can stop reading from the client for a while (so the client's socket fills and non-blocking
 * writes of TLS records are partial: TlsTransport.flush()).
 */
class TlsProxyIntegrationTest {
    @TempDir
    Path home;

    private Proxy proxy;
    private final List<PgConnection> opened = new ArrayList<>();

    @BeforeEach
    void server() throws IOException {
        TestServer.assumeEnv("PGJVM_TEST_SSL_ROOTCERT");
        proxy = new Proxy(TestServer.host(), TestServer.port());
    }

    @AfterEach
    void close() throws IOException {
        opened.forEach(PgConnection::close);
        if (proxy != null) {
            proxy.close();
        }
    }

    /** A proxy to host:port; each accepted client gets its own server connection and two pumps. */
    static final class Proxy implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        /** Server-to-client bytes written in small pieces. */
        volatile boolean tear;
        /** Client-to-server bytes not read at all while set. */
        volatile boolean stall;
        final AtomicLong tornPieces = new AtomicLong();

        Proxy(String host, int port) throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket server = new Socket(host, port);
                        client.setTcpNoDelay(true);
                        server.setTcpNoDelay(true);
                        sockets.add(client);
                        sockets.add(server);
                        pump(client.getInputStream(), server.getOutputStream(), false, client, server);
                        pump(server.getInputStream(), client.getOutputStream(), true, client, server);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "tls-proxy-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void pump(InputStream in, OutputStream out, boolean toClient, Socket a, Socket b) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                int[] pieces = {1, 7, 300, 2, 1500, 5, 4000, 3, 16_500};
                int next = 0;
                try {
                    while (true) {
                        while (!toClient && stall) {
                            Thread.sleep(5);
                        }
                        int n = in.read(buffer);
                        if (n < 0) {
                            break;
                        }
                        if (toClient && tear) {
                            for (int at = 0; at < n; ) {
                                int size = Math.min(n - at, pieces[next++ % pieces.length]);
                                out.write(buffer, at, size);
                                out.flush();
                                at += size;
                                if (tornPieces.incrementAndGet() % 8 == 0) {
                                    Thread.sleep(1); // let the client read what is there: a record's part
                                }
                            }
                        } else {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // one side went away
                } finally {
                    try {
                        a.close();
                        b.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }, toClient ? "tls-proxy-to-client" : "tls-proxy-to-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    private ClientEnvironment env() {
        return TestServer.isolatedEnvironment(home, Map.of());
    }

    private String dsn(String... extra) {
        return TestServer.dsn(extra).replace("port=" + TestServer.port(), "port=" + proxy.port())
                .replace("host=" + TestServer.host(), "host=127.0.0.1");
    }

    private static List<PollingStatus> waitUntilOk(PgConnection c, Supplier<PollingStatus> step) throws IOException {
        return Polling.waitUntilOk(c, step, 10_000_000);
    }

    private PgConnection connectNonBlocking(String... extra) throws IOException {
        PgConnection c = PgConnection.connectStart(dsn(extra), Map.of(), env());
        opened.add(c);
        List<PollingStatus> steps = waitUntilOk(c, c::connectPoll);
        // It waited on the socket at least once (how many times depends on how the proxy's
        // pieces fall: a run saw [READING, OK]).
        assertTrue(steps.contains(PollingStatus.READING), "steps " + steps);
        return c;
    }

    private static String one(PgResult r) {
        r.setValueKinds(TEXT);
        return (String) r.rows(0, 1)[0][0];
    }

    private static String md5Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theProxyItselfIsTransparent() {
        try (PgConnection c = PgConnection.connect(dsn("sslmode=disable"), Map.of(), env())) {
            assertEquals("1", one(c.execute("SELECT 1")));
        }
    }

    @Test
    void aHandshakeInTornPieces() throws Exception {
        proxy.tear = true;
        PgConnection c = connectNonBlocking("sslmode=verify-full", "sslrootcert=" + TestServer.env("PGJVM_TEST_SSL_ROOTCERT"));
        assertTrue(c.sslInUse());
        assertEquals("1", one(c.execute("SELECT 1")));
        assertTrue(proxy.tornPieces.get() > 10, "torn: " + proxy.tornPieces.get());
    }

    @Test
    void aLargeResultInTornRecordsThroughPoll() throws Exception {
        proxy.tear = true;
        PgConnection c = connectNonBlocking("sslmode=require");
        assertTrue(c.sslInUse());
        int n = 60_000; // 1.9 MB in one value
        c.sendQuery(("SELECT string_agg(md5(i::text), '' ORDER BY i) FROM generate_series(1, " + n + ") i")
                .getBytes(StandardCharsets.US_ASCII));
        List<PollingStatus> steps = waitUntilOk(c, c::poll);
        assertTrue(steps.size() > 100, "many partial reads: " + steps.size());
        StringBuilder expected = new StringBuilder(n * 32);
        for (int i = 1; i <= n; i++) {
            expected.append(md5Hex(Integer.toString(i)));
        }
        assertTrue(expected.toString().equals(one(c.getResult())), "the same bytes");
    }

    @Test
    void manyRowsInTornRecordsBlocking() throws Exception {
        proxy.tear = true;
        try (PgConnection c = PgConnection.connect(dsn("sslmode=require"), Map.of(), env())) {
            assertTrue(c.sslInUse());
            int n = 20_000;
            PgResult r = c.execute("SELECT i, md5(i::text) FROM generate_series(1, " + n + ") i");
            assertEquals(n, r.rowCount());
            r.setValueKinds(TEXT, TEXT);
            Object[][] rows = r.rows(0, n);
            for (int i = 0; i < n; i += 997) {
                assertEquals(md5Hex(Integer.toString(i + 1)), rows[i][1]);
            }
        }
    }

    @Test
    void aLargeQueryWaitsForAStalledServer() throws Exception {
        PgConnection c = connectNonBlocking("sslmode=require");
        assertTrue(c.sslInUse());
        String big = "y".repeat(24 * 1024 * 1024);
        proxy.stall = true;
        Thread resume = new Thread(() -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException ignored) {
                // resume at once
            }
            proxy.stall = false;
        });
        resume.start();
        c.sendQuery(("SELECT length('" + big + "'), md5('" + big + "')").getBytes(StandardCharsets.US_ASCII));
        List<PollingStatus> steps = waitUntilOk(c, c::poll);
        resume.join();
        assertTrue(steps.contains(PollingStatus.WRITING), "the socket filled while the server stalled: " + steps.size());
        PgResult r = c.getResult();
        r.setValueKinds(TEXT, TEXT);
        Object[] row = r.rows(0, 1)[0];
        assertEquals(String.valueOf(big.length()), row[0]);
        assertEquals(md5Hex(big), row[1]);
        assertEquals("5", one(c.execute("SELECT 5")));
    }

    @Test
    void copyInWhileTheServerStallsAndTears() throws Exception {
        try (PgConnection c = PgConnection.connect(dsn("sslmode=require"), Map.of(), env())) {
            c.execute("CREATE TEMP TABLE tls_proxy_copy (i int, s text)");
            assertEquals(CopyDirection.IN, c.copyStart("COPY tls_proxy_copy FROM STDIN"));
            proxy.stall = true;
            proxy.tear = true;
            Thread resume = new Thread(() -> {
                try {
                    Thread.sleep(700);
                } catch (InterruptedException ignored) {
                    // resume at once
                }
                proxy.stall = false;
            });
            resume.start();
            int n = 50_000;
            StringBuilder chunk = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                chunk.append(i).append('\t').append(md5Hex(Integer.toString(i)).repeat(2)).append('\n');
                if (chunk.length() > 200_000 || i == n) {
                    c.copyWrite(chunk.toString(), false);
                    chunk.setLength(0);
                }
            }
            assertEquals("COPY " + n, c.copyEnd(null).commandTag());
            resume.join();
            PgResult r = c.execute("SELECT count(*), bool_and(s = repeat(md5(i::text), 2)) FROM tls_proxy_copy");
            r.setValueKinds(TEXT, TEXT);
            assertEquals(List.of(Integer.toString(n), "t"), List.of(r.rows(0, 1)[0]));
        }
    }

    @Test
    void cancelThroughTheProxyOverTls() throws Exception {
        PgConnection c = connectNonBlocking("sslmode=require");
        c.sendQuery("SELECT pg_sleep(30)".getBytes(StandardCharsets.US_ASCII));
        assertEquals(PollingStatus.READING, c.poll());
        try (PgConnection watcher = TestServer.connect("sslmode=disable")) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"1".equals(one(watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = "
                    + c.backendPid() + " AND state = 'active'")))) {
                assertTrue(System.nanoTime() < deadline, "the query never started");
                Thread.sleep(20);
            }
        }
        c.cancel();
        waitUntilOk(c, c::poll);
        assertEquals("57014", assertThrows(PgServerException.class, c::getResult).sqlState());
    }
}
