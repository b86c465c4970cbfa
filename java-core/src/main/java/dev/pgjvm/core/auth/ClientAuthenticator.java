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
    private ScramSha256Exchange scram;

    public ClientAuthenticator(String user, PasswordSource passwords) {
        this(user, passwords, null);
    }

    /** @param scramNonce fixes the SCRAM client nonce (tests only); null for a random one */
    public ClientAuthenticator(String user, PasswordSource passwords, Supplier<String> scramNonce) {
        this.user = user;
        this.passwords = passwords;
        this.scramNonce = scramNonce;
    }

    /**
     * The reply to an authentication request, or null when none is due (AuthenticationOk,
     * AuthenticationSASLFinal).
     */
    public FrontendMessage respond(BackendMessage request) {
        return switch (request) {
            case AuthenticationOk ok -> {
                if (scram != null) {
                    // libpq insists the server finish SCRAM with its proof before saying OK.
                    throw new PgConnectionException("server sent AuthenticationOk before finishing the SCRAM exchange\n");
                }
                yield null;
            }
            case AuthenticationCleartextPassword r -> new PasswordMessage(requirePassword());
            case AuthenticationMD5Password r -> new PasswordMessage(Md5Password.encode(user, requirePassword(), r.salt().toArray()));
            case AuthenticationSASL r -> {
                if (!ScramSha256Exchange.supported(r.mechanisms())) {
                    throw new PgConnectionException("none of the server's SASL authentication mechanisms are supported\n");
                }
                String password = requirePassword();
                scram = new ScramSha256Exchange(ScramSha256Exchange.IGNORED_USER_NAME, password, scramNonce);
                yield new SASLInitialResponse(ScramSha256Exchange.MECHANISM,
                        Bytes.copyOf(scram.clientFirstMessage()));
            }
            case AuthenticationSASLContinue r -> new SASLResponse(
                    Bytes.copyOf(activeScram().clientFinalMessage(r.data().toArray())));
            case AuthenticationSASLFinal r -> {
                activeScram().verifyServerFinalMessage(r.data().toArray());
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

    private String requirePassword() {
        String password = passwords.password();
        if (password == null || password.isEmpty()) {
            throw new PgConnectionException("fe_sendauth: no password supplied\n");
        }
        return password;
    }
}
