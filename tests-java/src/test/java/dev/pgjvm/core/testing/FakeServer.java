package dev.pgjvm.core.testing;

import dev.pgjvm.core.PgConnection;

import dev.pgjvm.core.conninfo.ClientEnvironment;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A scripted PostgreSQL server on 127.0.0.1, for what a real one cannot be made to do: go
 * silent, send garbage, lie about lengths, miscount columns, hang up half-way (the Java twin of
 * tests-python/fakeserver.py). Each accepted connection plays the script in a thread of its own
 * through a {@link FakePeer}. Every socket has a read timeout and every thread is a daemon, so a
 * test that goes wrong cannot hang the run; {@link #close()} ends it all.
 */
public final class FakeServer implements AutoCloseable {
    /** How long the server's side waits for the client at most, in any read. */
    static final int SOCKET_TIMEOUT_MILLIS = 30_000;

    /** What the server does with one connection; when it returns, the server hangs up. */
    public interface Script {
        void play(FakePeer peer) throws Exception;
    }

    private final ServerSocket listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());

    public FakeServer(Script script) throws IOException {
        Thread acceptor = new Thread(() -> accept(script), "fake-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(Script script) {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
                socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(socket);
            Thread peer = new Thread(() -> serve(script, socket), "fake-server-peer");
            peer.setDaemon(true);
            peer.start();
        }
    }

    private void serve(Script script, Socket socket) {
        try (socket) {
            script.play(new FakePeer(socket));
        } catch (EOFException | SocketTimeoutException | SocketException e) {
            // the client went away (or never came back): the script is over
        } catch (Throwable e) {
            errors.add(e); // a broken script: the test reports it
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** A DSN for this server, plain TCP, with a 10 s connect_timeout; more "key=value" pairs may follow. */
    public String dsn(String... extra) {
        return "host=127.0.0.1 port=" + port() + " user=fake dbname=fake sslmode=disable gssencmode=disable"
                + " connect_timeout=10 " + String.join(" ", extra);
    }

    /** libpq's prefix of a blocking connect's error for this server. */
    public String failedPrefix() {
        return "connection to server at \"127.0.0.1\", port " + port() + " failed: ";
    }

    /** An environment without PG* variables, .pgpass or service files, so only the DSN counts. */
    public static ClientEnvironment environment(Path home) {
        return new ClientEnvironment(new HashMap<>(), "nobody", home, List.of(home.resolve("no-socket")));
    }

    /** What went wrong inside the scripts (not what the client saw): a test checks it is empty. */
    public List<Throwable> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /**
     * A fault test's end: closes the connection it made (if any), then the server (if any), and
     * asserts the script ran as written (no error inside it).
     */
    public static void closeAfterTest(PgConnection connection, FakeServer server) throws IOException {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
            assertEquals(List.of(), server.errors(), "the script ran as written");
        }
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
