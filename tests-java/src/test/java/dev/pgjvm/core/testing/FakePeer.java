package dev.pgjvm.core.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.pgjvm.core.testing.ServerMessages.*;

/** The server's end of one {@link FakeServer} connection: reads the client's messages, writes the script's. */
public final class FakePeer {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int PROTOCOL_3 = 196608;

    /** One message from the client: its type and payload. */
    public record Received(char type, byte[] payload) {
    }

    private final DataInputStream in;
    private final OutputStream out;

    FakePeer(Socket socket) throws IOException {
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Reads the start-up packet (declining SSL and GSS encryption requests with 'N'). */
    public void readStartup() throws IOException {
        while (true) {
            byte[] packet = new byte[in.readInt() - 4];
            in.readFully(packet);
            int code = ByteBuffer.wrap(packet).getInt();
            if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
                send(new byte[] {'N'});
                continue;
            }
            if (code != PROTOCOL_3) {
                throw new IOException("unexpected start-up code " + code);
            }
            return;
        }
    }

    /** The client's next message. */
    public Received read() throws IOException {
        char type = (char) in.readUnsignedByte();
        byte[] payload = new byte[in.readInt() - 4];
        in.readFully(payload);
        return new Received(type, payload);
    }

    /** The client's next message, which must be of this type (Terminate ends the script). */
    public Received read(char type) throws IOException {
        Received r = read();
        if (r.type() == 'X') {
            throw new EOFException("the client sent Terminate");
        }
        if (r.type() != type) {
            throw new IOException("expected '" + type + "' from the client, got '" + r.type() + "'");
        }
        return r;
    }

    /** Reads client messages up to and including one of this type (e.g. the Sync of an extended query). */
    public void readUntil(char type) throws IOException {
        while (read().type() != type) {
            // skip
        }
    }

    public void send(byte[]... parts) throws IOException {
        out.write(Wire.concat(parts));
        out.flush();
    }

    /** Start-up with trust authentication and a ready session, as a PostgreSQL 15 server. */
    public void handshake() throws IOException {
        readStartup();
        send(authenticationOk(), parameterStatus("server_version", "15.4"), parameterStatus("client_encoding", "UTF8"),
                parameterStatus("standard_conforming_strings", "on"), parameterStatus("integer_datetimes", "on"),
                backendKeyData(4242, 1234), readyForQuery('I'));
    }

    /** Stays silent, reading whatever comes, until the client hangs up (or the socket times out). */
    public void waitForClose() throws IOException {
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // drop it
            }
        } catch (SocketTimeoutException e) {
            // the test is long over
        }
    }

    /** Stays silent (without reading) until the test counts the latch down; then the script goes on. */
    public void silentUntil(CountDownLatch latch) throws InterruptedException {
        latch.await(FakeServer.SOCKET_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }
}
