package dev.pgjvm.core.auth;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.protocol.*;
import dev.pgjvm.core.testing.ScramServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ClientAuthenticatorTest {
    @Test
    void cleartextAndMd5() {
        ClientAuthenticator auth = new ClientAuthenticator("postgres", PasswordSource.of("secret"));
        assertEquals(new PasswordMessage("secret"), auth.respond(new AuthenticationCleartextPassword()));
        assertEquals(new PasswordMessage("md5bb41a296aab6baccb36ff243a562abff"),
                auth.respond(new AuthenticationMD5Password(Bytes.copyOf(new byte[]{1, 2, 3, 4}))));
        assertNull(auth.respond(new AuthenticationOk()));
    }

    @Test
    void noPasswordSupplied() {
        for (PasswordSource none : List.of(PasswordSource.none(), PasswordSource.of(""))) {
            ClientAuthenticator auth = new ClientAuthenticator("u", none);
            PgConnectionException e = assertThrows(PgConnectionException.class,
                    () -> auth.respond(new AuthenticationCleartextPassword()));
            assertEquals("fe_sendauth: no password supplied\n", e.getMessage());
            assertThrows(PgConnectionException.class, () -> auth.respond(new AuthenticationSASL(List.of("SCRAM-SHA-256"))));
        }
    }

    @Test
    void passwordIsOnlyAskedForWhenNeeded() {
        ClientAuthenticator auth = new ClientAuthenticator("u", () -> {
            throw new AssertionError("trust authentication must not read passwords");
        });
        assertNull(auth.respond(new AuthenticationOk()));
    }

    @Test
    void scramAgainstAServerHalf() {
        ScramServer server = new ScramServer("pencil", "salty-salt".getBytes(StandardCharsets.US_ASCII), 4096, "SRV");
        ClientAuthenticator auth = new ClientAuthenticator("u", PasswordSource.of("pencil"));
        SASLInitialResponse first = (SASLInitialResponse) auth.respond(
                new AuthenticationSASL(List.of("SCRAM-SHA-256")));
        assertEquals("SCRAM-SHA-256", first.mechanism());
        String serverFirst = server.serverFirst(new String(first.data().toArray(), StandardCharsets.UTF_8));
        SASLResponse finalMessage = (SASLResponse) auth.respond(
                new AuthenticationSASLContinue(Bytes.copyOf(serverFirst.getBytes(StandardCharsets.UTF_8))));
        String serverFinal = server.serverFinal(new String(finalMessage.data().toArray(), StandardCharsets.UTF_8));
        assertTrue(serverFinal.startsWith("v="), serverFinal);
        assertNull(auth.respond(new AuthenticationSASLFinal(Bytes.copyOf(serverFinal.getBytes(StandardCharsets.UTF_8)))));
        assertNull(auth.respond(new AuthenticationOk()));
    }

    @Test
    void okBeforeScramFinishedIsRefused() {
        ClientAuthenticator auth = new ClientAuthenticator("u", PasswordSource.of("pw"));
        auth.respond(new AuthenticationSASL(List.of("SCRAM-SHA-256")));
        assertThrows(PgConnectionException.class, () -> auth.respond(new AuthenticationOk()));
    }

    @Test
    void unsupportedMethodsSaySo() {
        ClientAuthenticator auth = new ClientAuthenticator("u", PasswordSource.of("pw"));
        assertEquals("none of the server's SASL authentication mechanisms are supported\n",
                assertThrows(PgConnectionException.class,
                        () -> auth.respond(new AuthenticationSASL(List.of("OAUTHBEARER")))).getMessage());
        assertEquals("server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection\n",
                assertThrows(PgConnectionException.class,
                        () -> auth.respond(new AuthenticationSASL(List.of("SCRAM-SHA-256-PLUS")))).getMessage());
        assertEquals("GSSAPI authentication not supported\n",
                assertThrows(PgConnectionException.class, () -> auth.respond(new AuthenticationGSS())).getMessage());
        assertEquals("SSPI authentication not supported\n",
                assertThrows(PgConnectionException.class, () -> auth.respond(new AuthenticationSSPI())).getMessage());
        assertEquals("Kerberos 5 authentication not supported\n",
                assertThrows(PgConnectionException.class, () -> auth.respond(new AuthenticationKerberosV5())).getMessage());
    }
}
