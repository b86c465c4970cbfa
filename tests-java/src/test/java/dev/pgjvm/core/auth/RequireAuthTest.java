package dev.pgjvm.core.auth;

import dev.pgjvm.core.ConnInfoException;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.protocol.AuthenticationCleartextPassword;
import dev.pgjvm.core.protocol.AuthenticationMD5Password;
import dev.pgjvm.core.protocol.AuthenticationOk;
import dev.pgjvm.core.protocol.AuthenticationSASL;
import dev.pgjvm.core.protocol.Bytes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.pgjvm.core.auth.RequireAuth.Request.*;
import static org.junit.jupiter.api.Assertions.*;

class RequireAuthTest {
    @Test
    void allowedMethodsRequireAuthenticationUnlessNone() {
        RequireAuth rules = RequireAuth.parse("md5,scram-sha-256");
        assertTrue(rules.allows(MD5) && rules.allows(SASL));
        assertFalse(rules.allows(PASSWORD) || rules.allows(GSS) || rules.allows(SSPI));
        assertTrue(rules.authRequired());
        assertFalse(RequireAuth.parse("password,none").authRequired());
        assertNull(RequireAuth.parse(""));
        assertNull(RequireAuth.parse(null));
    }

    @Test
    void refusedMethodsAllowTheRest() {
        RequireAuth rules = RequireAuth.parse("!password,!md5");
        assertFalse(rules.allows(PASSWORD) || rules.allows(MD5));
        assertTrue(rules.allows(SASL) && rules.allows(GSS) && rules.allows(SSPI));
        assertFalse(rules.authRequired());
        assertTrue(RequireAuth.parse("!none").authRequired());
    }

    @Test
    void libpqsRefusals() {
        assertEquals("invalid require_auth value: \"ldap\"\n", message("ldap"));
        assertEquals("negative require_auth method \"!md5\" cannot be mixed with non-negative methods\n", message("password,!md5"));
        assertEquals("require_auth method \"md5\" cannot be mixed with negative methods\n", message("!password,md5"));
        assertEquals("require_auth method \"md5\" is specified more than once\n", message("md5,md5"));
        assertEquals("require_auth method \"!none\" is specified more than once\n", message("!none,!none"));
        assertEquals("require_auth method \"none\" is specified more than once\n", message("none,none"));
    }

    private static String message(String value) {
        return assertThrows(ConnInfoException.class, () -> RequireAuth.parse(value)).getMessage();
    }

    private static ClientAuthenticator authenticator(String requireAuth) {
        return new ClientAuthenticator("u", PasswordSource.of("pw"),
                new AuthPolicy(ChannelBinding.NONE, RequireAuth.parse(requireAuth), false, () -> false, () -> false));
    }

    @Test
    void theAuthenticatorChecksEachRequest() {
        assertEquals("authentication method requirement \"scram-sha-256\" failed: server requested a hashed password\n",
                assertThrows(PgConnectionException.class, () -> authenticator("scram-sha-256")
                        .respond(new AuthenticationMD5Password(Bytes.copyOf(new byte[] {1, 2, 3, 4})))).getMessage());
        assertEquals("authentication method requirement \"md5\" failed: server did not complete authentication\n",
                assertThrows(PgConnectionException.class, () -> authenticator("md5").respond(new AuthenticationOk())).getMessage());
        assertEquals("authentication method requirement \"!scram-sha-256\" failed: server requested SASL authentication\n",
                assertThrows(PgConnectionException.class, () -> authenticator("!scram-sha-256")
                        .respond(new AuthenticationSASL(List.of("SCRAM-SHA-256")))).getMessage());
        ClientAuthenticator password = authenticator("password");
        assertNotNull(password.respond(new AuthenticationCleartextPassword()));
        assertNull(password.respond(new AuthenticationOk()), "the password was sent: authentication completed");
        assertNull(authenticator("none").respond(new AuthenticationOk()));
    }

    @Test
    void sslcertmodeRequireWantsTheCertificateAskedForAndSent() {
        ClientAuthenticator notAsked = new ClientAuthenticator("u", PasswordSource.none(),
                new AuthPolicy(ChannelBinding.NONE, null, true, () -> false, () -> false));
        assertEquals("server did not request an SSL certificate\n",
                assertThrows(PgConnectionException.class, () -> notAsked.respond(new AuthenticationOk())).getMessage());
        ClientAuthenticator notSent = new ClientAuthenticator("u", PasswordSource.none(),
                new AuthPolicy(ChannelBinding.NONE, null, true, () -> true, () -> false));
        assertEquals("server accepted connection without a valid SSL certificate\n",
                assertThrows(PgConnectionException.class, () -> notSent.respond(new AuthenticationOk())).getMessage());
        ClientAuthenticator both = new ClientAuthenticator("u", PasswordSource.none(),
                new AuthPolicy(ChannelBinding.NONE, null, true, () -> true, () -> true));
        assertNull(both.respond(new AuthenticationOk()));
    }
}
