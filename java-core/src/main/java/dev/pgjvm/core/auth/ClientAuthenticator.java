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
    private final ChannelBinding binding;
    private ScramSha256Exchange scram;
    /** A SCRAM exchange bound to the TLS channel completed (what channel_binding=require wants). */
    private boolean boundToChannel;

    public ClientAuthenticator(String user, PasswordSource passwords) {
        this(user, passwords, null, ChannelBinding.NONE);
    }

    public ClientAuthenticator(String user, PasswordSource passwords, ChannelBinding binding) {
        this(user, passwords, null, binding);
    }

    /** @param scramNonce fixes the SCRAM client nonce (tests only); null for a random one */
    public ClientAuthenticator(String user, PasswordSource passwords, Supplier<String> scramNonce) {
        this(user, passwords, scramNonce, ChannelBinding.NONE);
    }

    public ClientAuthenticator(String user, PasswordSource passwords, Supplier<String> scramNonce,
                               ChannelBinding binding) {
        this.user = user;
        this.passwords = passwords;
        this.scramNonce = scramNonce;
        this.binding = binding;
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
                if (binding.required() && !boundToChannel) {
                    throw new PgConnectionException("channel binding required, but server authenticated client without channel binding\n");
                }
                yield null;
            }
            case AuthenticationCleartextPassword r -> new PasswordMessage(passwordWithoutBinding());
            case AuthenticationMD5Password r -> new PasswordMessage(Md5Password.encode(user, passwordWithoutBinding(), r.salt().toArray()));
            case AuthenticationSASL r -> {
                if (!ScramSha256Exchange.supported(r.mechanisms())) {
                    throw new PgConnectionException("none of the server's SASL authentication mechanisms are supported\n");
                }
                if (!r.mechanisms().contains(ScramSha256Exchange.MECHANISM) && binding.endPointData() == null) {
                    throw new PgConnectionException("server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection\n");
                }
                if (binding.required() && binding.endPointData() == null) {
                    throw new PgConnectionException("channel binding required, but SSL not in use\n");
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
