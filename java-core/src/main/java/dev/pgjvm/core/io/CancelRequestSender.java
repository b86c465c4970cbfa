package dev.pgjvm.core.io;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.protocol.CancelRequest;
import dev.pgjvm.core.protocol.FrontendEncoder;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Sends a CancelRequest over a fresh connection to the address the session is connected to.
 * Independent of the session's socket and state, so it may run from any thread while another
 * thread waits for the query.
 */
public final class CancelRequestSender {
    private CancelRequestSender() {
    }

    public static void send(SocketAddress remote, int processId, int secretKey, int timeoutSeconds) {
        byte[] packet = FrontendEncoder.encode(new CancelRequest(processId, secretKey), StandardCharsets.UTF_8);
        try (SocketChannel channel = Connector.reopen(remote, timeoutSeconds)) {
            ByteBuffer out = ByteBuffer.wrap(packet);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            // Wait for the server to close its end: the request has been acted on by then, so a
            // caller that cancels and then checks gets a consistent answer (libpq waits likewise).
            ByteBuffer sink = ByteBuffer.allocate(64);
            while (channel.read(sink) >= 0) {
                sink.clear();
            }
        } catch (IOException e) {
            throw new PgConnectionException("could not send cancel request: " + ConnectFailures.strerror(e) + "\n", e);
        }
    }
}
