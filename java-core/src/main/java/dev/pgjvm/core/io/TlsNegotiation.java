package dev.pgjvm.core.io;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.conninfo.HostTarget;
import dev.pgjvm.core.protocol.SSLRequest;
import dev.pgjvm.core.tls.CertificateRequest;
import dev.pgjvm.core.tls.HostNameCheck;
import dev.pgjvm.core.tls.TlsConfig;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

/**
 * The TLS start of a TCP connection, before the start-up packet: SSLRequest, the server's
 * one-byte answer ('S' or 'N'), the handshake, and for verify-full the host name check. Made
 * of non-blocking steps ({@link #step()}), which block instead when the socket does; the
 * outcome is the transport the session runs on: TLS, or the plain socket when the server has
 * no TLS and the sslmode allows that.
 */
final class TlsNegotiation {
    private final Transport raw;
    private final TlsConfig config;
    private final HostTarget target;
    private final ByteBuffer request = ByteBuffer.allocate(8).putInt(8).putInt(SSLRequest.CODE).flip();
    private TlsTransport tls;
    private Transport outcome;
    /** The TLS handshake itself failed (not the socket, not a timeout): sslmode=prefer retries without TLS then. */
    private boolean handshakeFailed;

    TlsNegotiation(Transport raw, TlsConfig config, HostTarget target) {
        this.raw = raw;
        this.config = config;
        this.target = target;
    }

    /** The session's transport once {@link #step()} said OK. */
    Transport transport() {
        return outcome;
    }

    /**
     * One step: OK once negotiated, else what the socket must be ready for.
     *
     * @throws PgConnectionException when TLS fails, or the server has none and the sslmode
     *                               requires it (libpq's words)
     */
    PollingStatus step() {
        try {
            if (outcome != null) {
                return PollingStatus.OK;
            }
            if (tls == null) {
                if (request.hasRemaining()) {
                    raw.write(request);
                    if (request.hasRemaining()) {
                        return PollingStatus.WRITING;
                    }
                }
                ByteBuffer answer = ByteBuffer.allocate(1);
                int n = raw.read(answer);
                if (n == 0) {
                    return PollingStatus.READING;
                }
                if (n < 0) {
                    throw new PgConnectionException("server closed the connection unexpectedly\n"
                            + "\tThis probably means the server terminated abnormally\n"
                            + "\tbefore or while processing the request.\n");
                }
                switch (answer.get(0)) {
                    case 'S' -> {
                        // Anything already behind the 'S' was not encrypted: a man in the middle
                        // (CVE-2021-23222). libpq refuses it, and does not try again.
                        if (raw.read(ByteBuffer.allocate(1)) > 0) {
                            throw new PgConnectionException("received unencrypted data after SSL response\n");
                        }
                        CertificateRequest[] request = new CertificateRequest[1];
                        SSLEngine engine;
                        try {
                            engine = config.newEngine(target.givenHost(), target.port(), request);
                        } catch (PgConnectionException e) {
                            handshakeFailed = true; // the TLS try failed: prefer goes on without it
                            throw e;
                        }
                        tls = new TlsTransport(raw, engine, request[0]);
                    }
                    case 'E' -> throw new PgConnectionException("server sent an error response during SSL exchange\n");
                    case 'N' -> {
                        if (config.mode().requiresTls()) {
                            throw new PgConnectionException("server does not support SSL, but SSL was required\n");
                        }
                        outcome = raw;
                        return PollingStatus.OK;
                    }
                    default -> throw new PgConnectionException("received invalid response to SSL negotiation: "
                            + (char) (answer.get(0) & 0xff) + "\n");
                }
            }
            PollingStatus status = tls.handshake();
            if (status != PollingStatus.OK) {
                return status;
            }
            if (config.verifiesHostName()) {
                HostNameCheck.verify(tls.peerCertificate(), target.givenHost());
            }
            outcome = tls;
            return PollingStatus.OK;
        } catch (SSLException e) {
            handshakeFailed = true;
            throw new PgConnectionException(e instanceof TlsTransport.UnexpectedEof eof
                    ? eof.words : "SSL error: " + reason(e) + "\n", e);
        } catch (IOException e) {
            throw new PgConnectionException("SSL SYSCALL error: " + e.getMessage() + "\n", e);
        }
    }

    /** Whether the failure {@link #step()} threw was the TLS handshake's (libpq retries those under prefer). */
    boolean handshakeFailed() {
        return handshakeFailed;
    }

    /** What went wrong, as OpenSSL says it for the common cases. */
    private static String reason(SSLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException || t instanceof CertificateException
                    || (t.getMessage() != null && t.getMessage().contains("PKIX path"))) {
                return "certificate verify failed";
            }
        }
        return e.getMessage();
    }
}
