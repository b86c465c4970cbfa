package dev.pgjvm.core.auth;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.protocol.AuthenticationCleartextPassword;
import dev.pgjvm.core.protocol.AuthenticationGSS;
import dev.pgjvm.core.protocol.AuthenticationGSSContinue;
import dev.pgjvm.core.protocol.AuthenticationKerberosV5;
import dev.pgjvm.core.protocol.AuthenticationMD5Password;
import dev.pgjvm.core.protocol.AuthenticationOk;
import dev.pgjvm.core.protocol.AuthenticationSASL;
import dev.pgjvm.core.protocol.AuthenticationSASLContinue;
import dev.pgjvm.core.protocol.AuthenticationSASLFinal;
import dev.pgjvm.core.protocol.AuthenticationSSPI;
import dev.pgjvm.core.protocol.BackendMessage;
import dev.pgjvm.core.protocol.Bytes;
import dev.pgjvm.core.protocol.FrontendMessage;
import dev.pgjvm.core.protocol.PasswordMessage;
import dev.pgjvm.core.protocol.SASLInitialResponse;
import dev.pgjvm.core.protocol.SASLResponse;

import java.util.function.Supplier;

/**
 * Answers the server's Authentication* requests for one connection attempt. Stateful only for
 * SASL, whose exchange spans three messages. Failures are PgConnectionExceptions with libpq's
 * wording (without the "connection to server ... failed: " prefix, which the connector adds).
 */
public final class ClientAuthenticator {
    private final String user;
    private final PasswordSource passwords;
    private final Supplier<String> scramNonce;
    private final AuthPolicy policy;
    private final ChannelBinding binding;
    private ScramSha256Exchange scram;
    /** A SCRAM exchange bound to the TLS channel completed (what channel_binding=require wants). */
    private boolean boundToChannel;
    /** The client has done its part: a password sent, or a SCRAM exchange verified (require_auth). */
    private boolean finished;

    public ClientAuthenticator(String user, PasswordSource passwords) {
        this(user, passwords, null, AuthPolicy.NONE);
    }

    public ClientAuthenticator(String user, PasswordSource passwords, AuthPolicy policy) {
        this(user, passwords, null, policy);
    }

    /** @param scramNonce fixes the SCRAM client nonce (tests only); null for a random one */
    public ClientAuthenticator(String user, PasswordSource passwords, Supplier<String> scramNonce) {
        this(user, passwords, scramNonce, AuthPolicy.NONE);
    }

    public ClientAuthenticator(String user, PasswordSource passwords, Supplier<String> scramNonce,
                               AuthPolicy policy) {
        this.user = user;
        this.passwords = passwords;
        this.scramNonce = scramNonce;
        this.policy = policy;
        this.binding = policy.binding();
    }

    /**
     * The reply to an authentication request, or null when none is due (AuthenticationOk,
     * AuthenticationSASLFinal).
     */
    public FrontendMessage respond(BackendMessage request) {
        checkExpected(request);
        return switch (request) {
            case AuthenticationOk ok -> {
                if (scram != null) {
                    // libpq insists the server finish SCRAM with its proof before saying OK.
                    throw new PgConnectionException("server sent AuthenticationOk before finishing the SCRAM exchange\n");
                }
                if (binding.required() && !boundToChannel) {
                    throw new PgConnectionException("channel binding required, but server authenticated client without channel binding\n");
                }
                yield null;
            }
            case AuthenticationCleartextPassword r -> sent(new PasswordMessage(passwordWithoutBinding()));
            case AuthenticationMD5Password r -> sent(new PasswordMessage(Md5Password.encode(user, passwordWithoutBinding(), r.salt().toArray())));
            case AuthenticationSASL r -> {
                // libpq's order of checks.
                if (binding.required() && binding.endPointData() == null) {
                    throw new PgConnectionException("channel binding required, but SSL not in use\n");
                }
                if (r.mechanisms().contains(ScramSha256Exchange.MECHANISM_PLUS) && binding.endPointData() == null) {
                    // Not sane: perhaps a proxy stripped TLS. The server would refuse the unbound exchange anyway.
                    throw new PgConnectionException("server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection\n");
                }
                if (!ScramSha256Exchange.supported(r.mechanisms())) {
                    throw new PgConnectionException("none of the server's SASL authentication mechanisms are supported\n");
                }
                if (binding.required() && !r.mechanisms().contains(ScramSha256Exchange.MECHANISM_PLUS)) {
                    throw new PgConnectionException("channel binding is required, but server did not offer an "
                            + "authentication method that supports channel binding\n");
                }
                String password = requirePassword();
                scram = new ScramSha256Exchange(ScramSha256Exchange.IGNORED_USER_NAME, password, scramNonce,
                        r.mechanisms(), binding);
                yield new SASLInitialResponse(scram.mechanism(), Bytes.copyOf(scram.clientFirstMessage()));
            }
            case AuthenticationSASLContinue r -> new SASLResponse(
                    Bytes.copyOf(activeScram().clientFinalMessage(r.data().toArray())));
            case AuthenticationSASLFinal r -> {
                activeScram().verifyServerFinalMessage(r.data().toArray());
                boundToChannel = scram.bound();
                finished = true;
                scram = null;
                yield null;
            }
            case AuthenticationKerberosV5 r -> throw new PgConnectionException("Kerberos 5 authentication not supported\n");
            case AuthenticationGSS r -> throw new PgConnectionException("GSSAPI authentication not supported\n");
            case AuthenticationGSSContinue r -> throw new PgConnectionException("GSSAPI authentication not supported\n");
            case AuthenticationSSPI r -> throw new PgConnectionException("SSPI authentication not supported\n");
            default -> throw new IllegalArgumentException("not an authentication request: " + request);
        };
    }

    private ScramSha256Exchange activeScram() {
        if (scram == null) {
            throw new PgProtocolException("server sent a SASL message but no SASL exchange is in progress");
        }
        return scram;
    }

    private FrontendMessage sent(FrontendMessage password) {
        finished = true; // no further request is expected
        return password;
    }

    /**
     * libpq's check of each request against what the client insists on: sslcertmode=require
     * and require_auth (the channel binding is checked where each request is answered).
     */
    private void checkExpected(BackendMessage request) {
        if (policy.certificateRequired() && request instanceof AuthenticationOk) {
            if (!policy.certificateRequested().getAsBoolean()) {
                throw new PgConnectionException("server did not request an SSL certificate\n");
            }
            if (!policy.certificateSent().getAsBoolean()) {
                throw new PgConnectionException("server accepted connection without a valid SSL certificate\n");
            }
        }
        RequireAuth rules = policy.requireAuth();
        if (rules == null) {
            return;
        }
        String reason = switch (request) {
            case AuthenticationOk ok -> rules.authRequired() && !finished ? "server did not complete authentication" : null;
            case AuthenticationCleartextPassword r -> rules.allows(RequireAuth.Request.PASSWORD) ? null
                    : "server requested a cleartext password";
            case AuthenticationMD5Password r -> rules.allows(RequireAuth.Request.MD5) ? null : "server requested a hashed password";
            case AuthenticationGSS r -> rules.allows(RequireAuth.Request.GSS) ? null : "server requested GSSAPI authentication";
            case AuthenticationGSSContinue r -> rules.allows(RequireAuth.Request.GSS) || rules.allows(RequireAuth.Request.SSPI)
                    ? null : "server requested GSSAPI authentication";
            case AuthenticationSSPI r -> rules.allows(RequireAuth.Request.SSPI) ? null : "server requested SSPI authentication";
            case AuthenticationSASL r -> rules.allows(RequireAuth.Request.SASL) ? null : "server requested SASL authentication";
            case AuthenticationSASLContinue r -> rules.allows(RequireAuth.Request.SASL) ? null : "server requested SASL authentication";
            case AuthenticationSASLFinal r -> rules.allows(RequireAuth.Request.SASL) ? null : "server requested SASL authentication";
            default -> "server requested an unknown authentication type";
        };
        if (reason != null) {
            throw new PgConnectionException("authentication method requirement \"" + rules.raw() + "\" failed: " + reason + "\n");
        }
    }

    /** A password sent as it is or MD5-hashed: nothing binds it to the channel. */
    private String passwordWithoutBinding() {
        if (binding.required()) {
            throw new PgConnectionException("channel binding required but not supported by server's authentication request\n");
        }
        return requirePassword();
    }

    private String requirePassword() {
        String password = passwords.password();
        if (password == null || password.isEmpty()) {
            throw new PgConnectionException("fe_sendauth: no password supplied\n");
        }
        return password;
    }
}
