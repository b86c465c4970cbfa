package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.TransactionStatus;
import dev.pgjvm.core.PgServerException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class ConnectionLossIntegrationTest {
    @BeforeEach
    void needServer() {
        TestServer.assumeAvailable();
    }

    @Test
    void terminatedBackend() {
        PgConnection victim = TestServer.connect();
        try (PgConnection admin = TestServer.connect()) {
            // The timeout form waits until the backend has exited (PostgreSQL 14+).
            Object done = admin.execute("SELECT pg_terminate_backend(" + victim.backendPid() + ", 5000)").rows(0, 1)[0][0];
            assertEquals("t", done);
        }
        boolean tls = victim.sslInUse();
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> victim.execute("SELECT 1"));
        // libpq's words only; the server's FATAL error, when it was read, is the cause. Over
        // TLS the server's close_notify ends the session first (OpenSSL's SSL_ERROR_ZERO_RETURN).
        assertEquals(tls ? "SSL connection has been closed unexpectedly\n"
                : "server closed the connection unexpectedly\n"
                + "\tThis probably means the server terminated abnormally\n"
                + "\tbefore or while processing the request.\n", e.getMessage());
        if (e.serverError() != null) {
            assertEquals("57P01", e.sqlState());
        }
        assertTrue(victim.isClosed());
        assertTrue(victim.isBroken());
        assertEquals(TransactionStatus.UNKNOWN, victim.transactionStatus());
        assertEquals("connection already closed",
                assertThrows(PgConnectionException.class, () -> victim.execute("SELECT 1")).getMessage());
        victim.close();
        victim.close();
    }

    @Test
    void cancelFromAnotherThread() throws Exception {
        try (PgConnection c = TestServer.connect()) {
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
                try {
                    c.execute("SELECT pg_sleep(5)");
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            long start = System.nanoTime();
            // Keep cancelling until the query is gone: the first request may beat the query to the server.
            Throwable outcome = null;
            while (outcome == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4)) {
                Thread.sleep(200);
                c.cancel();
                try {
                    outcome = running.get(300, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException ignored) {
                    // still running
                }
            }
            assertNotNull(outcome, "the query was not cancelled");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            PgServerException e = assertInstanceOf(PgServerException.class, outcome);
            assertEquals("57014", e.sqlState());
            assertEquals("ERROR:  canceling statement due to user request\n", e.getMessage());
            assertTrue(took.toMillis() < 4000, "took " + took);
            assertEquals("1", c.execute("SELECT 1").rows(0, 1)[0][0], "the connection stays usable");
        } catch (ExecutionException e) {
            fail(e);
        }
    }
}
