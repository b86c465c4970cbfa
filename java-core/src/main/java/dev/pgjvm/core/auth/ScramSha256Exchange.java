package dev.pgjvm.core.auth;

import com.ongres.scram.client.ScramClient;
import com.ongres.scram.common.StringPreparation;
import com.ongres.scram.common.exception.ScramException;
import com.ongres.scram.common.util.TlsServerEndpoint;
import dev.pgjvm.core.PgConnectionException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * One SCRAM-SHA-256 exchange (RFC 5802/7677) driven by the ongres scram-client: client-first,
 * then client-final from the server-first, then verification of the server's signature. Over
 * TLS it binds the exchange to the channel (SCRAM-SHA-256-PLUS, tls-server-end-point) when the
 * server offers that and channel_binding allows it, as libpq does.
 */
public final class ScramSha256Exchange {
    public static final String MECHANISM = "SCRAM-SHA-256";
    public static final String MECHANISM_PLUS = "SCRAM-SHA-256-PLUS";

    /**
     * The server ignores the SCRAM user name (it already has the start-up packet's), and the
     * library rejects an empty one, so we send "*" like other PostgreSQL drivers.
     */
    public static final String IGNORED_USER_NAME = "*";

    private final ScramClient client;

    public ScramSha256Exchange(String password) {
        this(IGNORED_USER_NAME, password, null);
    }

    /** @param nonceSupplier fixes the client nonce (tests only); null for a random one */
    public ScramSha256Exchange(String userName, String password, Supplier<String> nonceSupplier) {
        this(userName, password, nonceSupplier, List.of(MECHANISM), ChannelBinding.NONE);
    }

    /**
     * @param serverMechanisms what the server offered
     * @param binding          the channel binding; its data (over TLS) is offered to the
     *                         library, which picks -PLUS when the server offers it, and else
     *                         tells the server the client could have bound ("y")
     */
    public ScramSha256Exchange(String userName, String password, Supplier<String> nonceSupplier,
                               List<String> serverMechanisms, ChannelBinding binding) {
        boolean plus = binding.usable() && serverMechanisms.contains(MECHANISM_PLUS);
        ScramClient.FinalBuildStage builder = ScramClient.builder()
                .advertisedMechanisms(plus ? List.of(MECHANISM_PLUS) : List.of(MECHANISM))
                .username(userName)
                .password(password.toCharArray())
                // PostgreSQL SASLpreps the password but falls back to the raw bytes when that fails.
                .stringPreparation(StringPreparation.POSTGRESQL_PREPARATION);
        if (binding.usable()) {
            builder.channelBinding(TlsServerEndpoint.TLS_SERVER_END_POINT, binding.endPointData());
        }
        if (nonceSupplier != null) {
            builder.nonceSupplier(nonceSupplier);
        }
        this.client = builder.build();
    }

    public static boolean supported(List<String> serverMechanisms) {
        return serverMechanisms.contains(MECHANISM) || serverMechanisms.contains(MECHANISM_PLUS);
    }

    /** The mechanism chosen: SCRAM-SHA-256, or SCRAM-SHA-256-PLUS when bound to the channel. */
    public String mechanism() {
        return client.getScramMechanism().getName();
    }

    /** Whether the exchange is bound to the TLS channel. */
    public boolean bound() {
        return client.getScramMechanism().isPlus();
    }

    public byte[] clientFirstMessage() {
        return client.clientFirstMessage().toString().getBytes(StandardCharsets.UTF_8);
    }

    public byte[] clientFinalMessage(byte[] serverFirstMessage) {
        try {
            client.serverFirstMessage(new String(serverFirstMessage, StandardCharsets.UTF_8));
        } catch (ScramException | RuntimeException e) {
            throw new PgConnectionException("malformed SCRAM message (" + e.getMessage() + ")\n", e);
        }
        return client.clientFinalMessage().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Throws unless the server proved that it knows the password too. */
    public void verifyServerFinalMessage(byte[] serverFinalMessage) {
        try {
            client.serverFinalMessage(new String(serverFinalMessage, StandardCharsets.UTF_8));
        } catch (com.ongres.scram.common.exception.ScramInvalidServerSignatureException e) {
            throw new PgConnectionException("incorrect server signature\n", e);
        } catch (com.ongres.scram.common.exception.ScramServerErrorException e) {
            throw new PgConnectionException("error received from server in SCRAM exchange: "
                    + e.getMessage() + "\n", e);
        } catch (ScramException | RuntimeException e) {
            throw new PgConnectionException("malformed SCRAM message (" + e.getMessage() + ")\n", e);
        }
    }
}
