package dev.pgjvm.core.io;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * TLS over the plain socket, with JSSE's SSLEngine: records are wrapped and unwrapped here, so
 * that the drivers see plaintext, blocking or not as the socket is. Encrypted bytes the socket
 * did not take wait in {@link #flush()}; decrypted bytes the caller did not take are returned
 * first by the next {@link #read}, and make {@link #awaitReadable} return at once.
 */
public final class TlsTransport implements Transport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Transport raw;
    private final SSLEngine engine;
    private final dev.pgjvm.core.tls.CertificateRequest certificateRequest;
    /** Encrypted bytes read from the socket, not unwrapped yet (write mode: position = count). */
    private ByteBuffer netIn;
    /** Encrypted bytes to send (read mode: position..limit are pending). */
    private ByteBuffer netOut;
    /** Decrypted bytes not yet returned (read mode). */
    private ByteBuffer appIn;

    TlsTransport(Transport raw, SSLEngine engine, dev.pgjvm.core.tls.CertificateRequest certificateRequest) {
        this.raw = raw;
        this.engine = engine;
        this.certificateRequest = certificateRequest;
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize()).flip();
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize()).flip();
    }

    /** The engine (its session: protocol, cipher, the server's certificates). */
    public SSLEngine engine() {
        return engine;
    }

    /** Whether the server asked for the client's certificate during the handshake, and got one. */
    public dev.pgjvm.core.tls.CertificateRequest certificateRequest() {
        return certificateRequest;
    }

    /** The server's own certificate, once the handshake is done. */
    public X509Certificate peerCertificate() {
        try {
            Certificate[] chain = engine.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /**
     * One step of the handshake: OK once it is done, else what the socket must be ready for.
     * In blocking mode it returns only when done.
     */
    dev.pgjvm.core.PollingStatus handshake() throws IOException {
        if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                && !engine.getSession().isValid()) {
            engine.beginHandshake();
        }
        while (true) {
            if (!flush()) {
                return dev.pgjvm.core.PollingStatus.WRITING;
            }
            switch (engine.getHandshakeStatus()) {
                case NOT_HANDSHAKING, FINISHED -> {
                    return dev.pgjvm.core.PollingStatus.OK;
                }
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (unwrap() == 0 && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP
                            && !fill()) {
                        return dev.pgjvm.core.PollingStatus.READING;
                    }
                }
            }
        }
    }

    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    /** Wraps from src into netOut (which must be empty); how many bytes of src it took. */
    private int wrap(ByteBuffer src) throws IOException {
        netOut.compact();
        try {
            while (true) {
                SSLEngineResult result = engine.wrap(src, netOut);
                switch (result.getStatus()) {
                    case OK -> {
                        return result.bytesConsumed();
                    }
                    case BUFFER_OVERFLOW -> netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                    case CLOSED -> throw new SSLException("SSL connection has been closed unexpectedly");
                    case BUFFER_UNDERFLOW -> throw new SSLException("unexpected buffer underflow on wrap");
                }
            }
        } finally {
            netOut.flip();
        }
    }

    /**
     * Unwraps what netIn holds into appIn: the number of plaintext bytes now in appIn (0 when
     * netIn holds no whole record); -1 when the server closed TLS (close_notify).
     */
    private int unwrap() throws IOException {
        appIn.compact();
        netIn.flip();
        try {
            while (true) {
                SSLEngineResult result = engine.unwrap(netIn, appIn);
                switch (result.getStatus()) {
                    case OK -> {
                        if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                            runTasks();
                        }
                        SSLEngineResult.HandshakeStatus next = engine.getHandshakeStatus();
                        boolean wantsOtherStep = next == SSLEngineResult.HandshakeStatus.NEED_WRAP
                                || next == SSLEngineResult.HandshakeStatus.NEED_TASK
                                || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED;
                        if (result.bytesProduced() > 0 || result.bytesConsumed() == 0 || !netIn.hasRemaining()
                                || wantsOtherStep) {
                            return appIn.position();
                        }
                    }
                    case BUFFER_UNDERFLOW -> {
                        if (netIn.limit() == netIn.capacity()) {
                            netIn = growForRead(netIn);
                            continue;
                        }
                        return appIn.position();
                    }
                    case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                    case CLOSED -> {
                        return appIn.position() > 0 ? appIn.position() : -1;
                    }
                }
            }
        } finally {
            netIn.compact();
            appIn.flip();
        }
    }

    /** Reads encrypted bytes into netIn: false when none were waiting (non-blocking mode). */
    private boolean fill() throws IOException {
        if (!netIn.hasRemaining()) {
            netIn = grow(netIn, netIn.capacity());
        }
        int n = raw.read(netIn);
        if (n < 0) {
            throw UnexpectedEof.withoutCloseNotify();
        }
        return n > 0;
    }

    /**
     * The TLS session ended while we still expected the server to speak, in libpq's words with
     * OpenSSL (pgtls_read, open_client_SSL), during the handshake and after it alike.
     */
    static final class UnexpectedEof extends SSLException {
        /** What the session's failure says (ProtocolMachine.connectionLost's words). */
        final String words;

        private UnexpectedEof(String words) {
            super(words.strip());
            this.words = words;
        }

        /** The socket ended without the server's close_notify: the connection was cut, or the server died. */
        static UnexpectedEof withoutCloseNotify() {
            return new UnexpectedEof("SSL SYSCALL error: EOF detected\n");
        }

        /**
         * The server closed the session with its close_notify (a backend ending: terminated,
         * shut down, idle timeout), which OpenSSL reports as SSL_ERROR_ZERO_RETURN.
         */
        static UnexpectedEof afterCloseNotify() {
            return new UnexpectedEof("SSL connection has been closed unexpectedly\n");
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (!appIn.hasRemaining()) {
            int produced = unwrap();
            if (produced < 0) {
                throw UnexpectedEof.afterCloseNotify();
            }
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                wrap(EMPTY); // a post-handshake message (key update) wants an answer
                flush();
                continue;
            }
            if (appIn.hasRemaining()) {
                break;
            }
            if (!netIn.hasRemaining()) {
                netIn = grow(netIn, netIn.capacity());
            }
            int n = raw.read(netIn);
            if (n < 0) {
                throw UnexpectedEof.withoutCloseNotify(); // the end of the stream, but not of TLS
            }
            if (n == 0) {
                return 0; // nothing waiting (non-blocking)
            }
        }
        int count = Math.min(dst.remaining(), appIn.remaining());
        ByteBuffer slice = appIn.slice(appIn.position(), count);
        dst.put(slice);
        appIn.position(appIn.position() + count);
        return count;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!flush()) {
            return 0;
        }
        int consumed = 0;
        while (src.hasRemaining()) {
            consumed += wrap(src);
            if (!flush()) {
                break; // non-blocking: the record waits for flush(), the rest for the next call
            }
        }
        return consumed;
    }

    @Override
    public boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            int n = raw.write(netOut);
            if (n == 0 && netOut.hasRemaining() && !raw.isBlocking()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean finishConnect() throws IOException {
        return raw.finishConnect();
    }

    @Override
    public void setBlocking(boolean blocking) throws IOException {
        raw.setBlocking(blocking);
    }

    @Override
    public boolean isBlocking() {
        return raw.isBlocking();
    }

    @Override
    public boolean awaitReadable(long timeoutMillis) throws IOException {
        return appIn.hasRemaining() || holdsWholeRecord() || raw.awaitReadable(timeoutMillis);
    }

    /** Whether netIn holds a whole TLS record (5-byte header, then its length): it can be unwrapped at once. */
    private boolean holdsWholeRecord() {
        if (netIn.position() < 5) {
            return false;
        }
        int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
        return netIn.position() >= 5 + length;
    }

    @Override
    public SocketChannel channel() {
        return raw.channel();
    }

    @Override
    public SocketAddress remoteAddress() {
        return raw.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return raw.isOpen();
    }

    /** Sends close_notify when the socket takes it at once (best effort), then closes the socket. */
    @Override
    public void close() {
        try {
            if (raw.isOpen()) {
                engine.closeOutbound();
                if (flush()) {
                    wrap(EMPTY);
                    flush();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort
        }
        raw.close();
    }

    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.capacity() + atLeast));
        // Called in write mode (position = content): keep the content.
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }

    /** netIn during unwrap is in read mode; a record larger than it needs more room. */
    private static ByteBuffer growForRead(ByteBuffer buffer) {
        ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2);
        bigger.put(buffer);
        bigger.flip();
        return bigger;
    }
}
