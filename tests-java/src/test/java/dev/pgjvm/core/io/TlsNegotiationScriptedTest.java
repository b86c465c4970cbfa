package dev.pgjvm.core.io;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.conninfo.ClientEnvironment;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pgjvm.core.testing.ServerMessages.authenticationOk;
import static dev.pgjvm.core.testing.ServerMessages.backendKeyData;
import static dev.pgjvm.core.testing.ServerMessages.errorResponse;
import static dev.pgjvm.core.testing.ServerMessages.fields;
import static dev.pgjvm.core.testing.ServerMessages.parameterStatus;
import static dev.pgjvm.core.testing.ServerMessages.readyForQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSLRequest exchange against a server scripted in the test (a ServerSocket speaking just
 * enough protocol), for the answers a real server does not give: 'N', an invalid byte, an error,
 * a hang-up, plaintext after 'S', a broken handshake. Each connection the server accepts is
 * recorded with the packets that opened it, so the tests see whether the client tried again.
 */
class TlsNegotiationScriptedTest {
    private static final int SSL_REQUEST = 80877103;
    private static final int PROTOCOL_3 = 196608;

    @TempDir
    Path home;

    private Server server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** What the server does with one accepted connection (its number from 0). */
    interface Script {
        void serve(int index, Connection connection) throws IOException;
    }

    /** One accepted connection: the start-up packets it opened with (codes), and its streams. */
    static final class Connection {
        final List<Integer> codes = Collections.synchronizedList(new ArrayList<>());
        final DataInputStream in;
        final OutputStream out;
        final Socket socket;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Reads a start-up packet (length, code, rest): its code. */
        int readStartupPacket() throws IOException {
            int length = in.readInt();
            byte[] rest = new byte[length - 4];
            in.readFully(rest);
            int code = ByteBuffer.wrap(rest).getInt();
            codes.add(code);
            return code;
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Trust start-up for a StartupMessage already read, then reads until Terminate or EOF. */
        void trustSession() throws IOException {
            send(Wire.concat(authenticationOk(), parameterStatus("server_version", "15.4"),
                    parameterStatus("client_encoding", "UTF8"), parameterStatus("integer_datetimes", "on"),
                    backendKeyData(4242, 1), readyForQuery('I')));
            while (true) {
                int type = in.readUnsignedByte();
                byte[] payload = new byte[in.readInt() - 4];
                in.readFully(payload);
                if (type == 'X') {
                    return;
                }
            }
        }
    }

    static final class Server implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        final List<Connection> connections = Collections.synchronizedList(new ArrayList<>());
        final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        Server(Script script) throws IOException {
            thread = new Thread(() -> {
                for (int i = 0; !listener.isClosed(); i++) {
                    try (Socket s = listener.accept()) {
                        Connection c = new Connection(s);
                        connections.add(c);
                        script.serve(i, c);
                    } catch (EOFException | SocketException e) {
                        // the client went away, or the test is over
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                    }
                }
            }, "scripted-tls-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        /** The connections accepted, once the client had time to make any further one. */
        int connectionCount() throws InterruptedException {
            Thread.sleep(300);
            return connections.size();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (connections) {
                for (Connection c : connections) {
                    c.socket.close();
                }
            }
        }
    }

    private String dsn(String sslmode) {
        return "host=127.0.0.1 port=" + server.port() + " user=u dbname=d gssencmode=disable connect_timeout=10 sslmode=" + sslmode;
    }

    private ClientEnvironment env() {
        return new ClientEnvironment(new HashMap<>(), "nobody", home, List.of(home.resolve("no-socket")));
    }

    private PgConnection connect(String sslmode) {
        return PgConnection.connect(dsn(sslmode), Map.of(), env());
    }

    private String prefix() {
        return "connection to server at \"127.0.0.1\", port " + server.port() + " failed: ";
    }

    /** Answers the SSLRequest with {@code answer}, then the start-up of a trust server. */
    private static Script answering(byte[] answer) {
        return (index, c) -> {
            if (c.readStartupPacket() == SSL_REQUEST) {
                c.send(answer);
                if (c.readStartupPacket() != PROTOCOL_3) {
                    throw new IOException("not a StartupMessage");
                }
            }
            c.trustSession();
        };
    }

    private static void connectPolling(PgConnection c) throws IOException {
        try (Selector selector = Selector.open()) {
            for (PollingStatus s; (s = c.connectPoll()) != PollingStatus.OK; ) {
                SelectionKey key = c.socketChannel().register(selector,
                        s == PollingStatus.READING ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
                selector.select(1000);
                key.cancel();
                selector.selectNow();
            }
        }
    }

    // ------------------------------------------------------------------ 'N'

    @Test
    void preferGoesOnWithoutTlsOnTheSameConnection() throws Exception {
        server = new Server(answering(new byte[] {'N'}));
        try (PgConnection c = connect("prefer")) {
            assertFalse(c.sslInUse());
            assertEquals(4242, c.backendPid());
        }
        assertEquals(1, server.connectionCount());
        assertEquals(List.of(SSL_REQUEST, PROTOCOL_3), server.connections.get(0).codes);
        assertTrue(server.failures.isEmpty(), server.failures.toString());
    }

    @Test
    void preferGoesOnWithoutTlsWhenPolled() throws Exception {
        server = new Server(answering(new byte[] {'N'}));
        try (PgConnection c = PgConnection.connectStart(dsn("prefer"), Map.of(), env())) {
            connectPolling(c);
            assertFalse(c.sslInUse());
        }
        assertEquals(1, server.connectionCount());
        assertEquals(List.of(SSL_REQUEST, PROTOCOL_3), server.connections.get(0).codes);
    }

    @Test
    void allowStartsWithoutTls() throws Exception {
        server = new Server(answering(new byte[] {'N'}));
        try (PgConnection c = connect("allow")) {
            assertFalse(c.sslInUse());
        }
        assertEquals(List.of(PROTOCOL_3), server.connections.get(0).codes, "no SSLRequest");
    }

    @Test
    void requireRefusesAServerWithoutTls() throws Exception {
        server = new Server(answering(new byte[] {'N'}));
        for (String mode : List.of("require", "verify-ca", "verify-full")) {
            PgConnectionException e = assertThrows(PgConnectionException.class, () -> connect(mode));
            assertEquals(prefix() + "server does not support SSL, but SSL was required\n", e.getMessage(), mode);
        }
        assertEquals(3, server.connectionCount(), "one attempt per connect");
    }

    @Test
    void requireRefusesAServerWithoutTlsWhenPolled() throws Exception {
        server = new Server(answering(new byte[] {'N'}));
        PgConnection c = PgConnection.connectStart(dsn("require"), Map.of(), env());
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> connectPolling(c));
        // PQconnectPoll's words: the first attempt's without where it went.
        assertEquals("server does not support SSL, but SSL was required\n", e.getMessage());
        assertTrue(c.isClosed());
        assertEquals(1, server.connectionCount());
    }

    // ------------------------------------------------------------------ other answers

    @Test
    void anInvalidAnswer() throws Exception {
        server = new Server(answering(new byte[] {'X'}));
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> connect("prefer"));
        assertEquals(prefix() + "received invalid response to SSL negotiation: X\n", e.getMessage());
        assertEquals(1, server.connectionCount(), "no other try on the host");
    }

    @Test
    void anErrorAnswer() throws Exception {
        // A server that cannot start a backend answers the SSLRequest with an ErrorResponse;
        // libpq 17 does not trust its text (the server is not authenticated yet).
        server = new Server(answering(errorResponse(fields("S", "FATAL", "V", "FATAL", "C", "53300",
                "M", "sorry, too many clients already"))));
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> connect("prefer"));
        assertEquals(prefix() + "server sent an error response during SSL exchange\n", e.getMessage());
        assertEquals(1, server.connectionCount());
    }

    @Test
    void aHangUpAfterTheSslRequest() throws Exception {
        server = new Server((index, c) -> c.readStartupPacket()); // then closes
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> connect("prefer"));
        assertEquals(prefix() + "server closed the connection unexpectedly\n"
                + "\tThis probably means the server terminated abnormally\n"
                + "\tbefore or while processing the request.\n", e.getMessage());
        assertEquals(1, server.connectionCount(), "no second try on the same host");
        assertEquals(List.of(SSL_REQUEST), server.connections.get(0).codes);
    }

    @Test
    void aHangUpAfterTheSslRequestWhenPolled() throws Exception {
        server = new Server((index, c) -> c.readStartupPacket());
        PgConnectionException blocking = assertThrows(PgConnectionException.class, () -> connect("prefer"));
        PgConnection c = PgConnection.connectStart(dsn("prefer"), Map.of(), env());
        PgConnectionException polled = assertThrows(PgConnectionException.class, () -> connectPolling(c));
        assertEquals(blocking.getMessage().substring(prefix().length()), polled.getMessage());
        assertEquals(2, server.connectionCount(), "one per connect");
    }

    @Test
    void aHangUpMovesOnToTheNextHost() throws Exception {
        server = new Server((index, c) -> {
            if (index == 0) {
                c.readStartupPacket(); // the first host hangs up
                return;
            }
            if (c.readStartupPacket() == SSL_REQUEST) {
                c.send(new byte[] {'N'});
                c.readStartupPacket();
            }
            c.trustSession();
        });
        String dsn = "host=127.0.0.1,127.0.0.1 port=" + server.port() + " user=u dbname=d gssencmode=disable sslmode=prefer";
        try (PgConnection c = PgConnection.connect(dsn, Map.of(), env())) {
            assertFalse(c.sslInUse());
        }
        assertEquals(2, server.connectionCount());
        assertEquals(List.of(SSL_REQUEST), server.connections.get(0).codes);
        assertEquals(List.of(SSL_REQUEST, PROTOCOL_3), server.connections.get(1).codes);
    }

    /** A server-side TLS context with a self-signed certificate (the clients here do not verify it). */
    private static SSLContext serverContext() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=localhost");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                name, keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        char[] secret = "changeit".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), secret, new Certificate[] {certificate});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, secret);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    @Test
    void plaintextAfterTheSslAnswerIsRefused() throws Exception {
        // CVE-2021-23222: bytes that came with the 'S' were not encrypted (a man in the middle may
        // have injected them). libpq completes the handshake, finds them still buffered, and
        // fails without another try, whatever the sslmode.
        SSLContext context = serverContext();
        server = new Server((index, c) -> {
            if (c.readStartupPacket() == SSL_REQUEST) {
                c.send(Wire.concat(new byte[] {'S'}, authenticationOk(), readyForQuery('I')));
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(c.socket, null, c.socket.getPort(), false);
                tls.setUseClientMode(false);
                tls.startHandshake();
                tls.getInputStream().read(); // until the client goes
                return;
            }
            c.trustSession();
        });
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> connect("prefer"));
        assertEquals(prefix() + "received unencrypted data after SSL response\n", e.getMessage());
        assertEquals(1, server.connectionCount());
    }

    @Test
    void aScriptedTlsServerIsUsable() throws Exception {
        // The same server without the injected bytes: the handshake and a session over it work.
        SSLContext context = serverContext();
        server = new Server((index, c) -> {
            if (c.readStartupPacket() == SSL_REQUEST) {
                c.send(new byte[] {'S'});
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(c.socket, null, c.socket.getPort(), false);
                tls.setUseClientMode(false);
                tls.startHandshake();
                Connection inner = new Connection(tls);
                if (inner.readStartupPacket() != PROTOCOL_3) {
                    throw new IOException("not a StartupMessage");
                }
                inner.trustSession();
                return;
            }
            c.trustSession();
        });
        try (PgConnection c = connect("require")) {
            assertTrue(c.sslInUse());
            assertEquals("TLSv1.3", c.sslAttribute("protocol"));
            assertEquals(4242, c.backendPid());
        }
        assertEquals(1, server.connectionCount());
    }

    // ------------------------------------------------------------------ a broken handshake

    /** Says 'S', then answers the ClientHello with something that is not TLS; plain start-up on later connections. */
    private static Script brokenHandshake() {
        return (index, c) -> {
            if (c.readStartupPacket() == SSL_REQUEST) {
                c.send(new byte[] {'S'});
                c.in.read(new byte[4096]); // the ClientHello (at least its start)
                c.send("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                return;
            }
            c.trustSession();
        };
    }

    @Test
    void preferTriesAgainWithoutTlsAfterAFailedHandshake() throws Exception {
        server = new Server(brokenHandshake());
        try (PgConnection c = connect("prefer")) {
            assertFalse(c.sslInUse());
        }
        assertEquals(2, server.connectionCount());
        assertEquals(List.of(SSL_REQUEST), server.connections.get(0).codes);
        assertEquals(List.of(PROTOCOL_3), server.connections.get(1).codes, "the second try without SSLRequest");
    }

    @Test
    void preferTriesAgainWithoutTlsAfterAFailedHandshakeWhenPolled() throws Exception {
        server = new Server(brokenHandshake());
        try (PgConnection c = PgConnection.connectStart(dsn("prefer"), Map.of(), env())) {
            connectPolling(c);
            assertFalse(c.sslInUse());
        }
        assertEquals(2, server.connectionCount());
        assertEquals(List.of(PROTOCOL_3), server.connections.get(1).codes);
    }

    @Test
    void aStalledHandshakeTimesOut() throws Exception {
        server = new Server((index, c) -> {
            if (c.readStartupPacket() == SSL_REQUEST) {
                c.send(new byte[] {'S'});
                c.in.read(new byte[4096]);
                try {
                    Thread.sleep(10_000); // never answers the ClientHello
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            c.trustSession();
        });
        long start = System.nanoTime();
        PgConnectionException e = assertThrows(PgConnectionException.class,
                () -> PgConnection.connect(dsn("require").replace("connect_timeout=10", "connect_timeout=2"), Map.of(), env()));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(prefix() + "timeout expired\n", e.getMessage());
        assertTrue(seconds < 9, "bounded by connect_timeout: " + seconds + " s");
    }

    @Test
    void requireFailsWithTheHandshake() throws Exception {
        server = new Server(brokenHandshake());
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> connect("require"));
        assertTrue(e.getMessage().startsWith(prefix() + "SSL error: "), e.getMessage());
        assertEquals(1, server.connectionCount());
    }
}
