package dev.pgjvm.core.auth;

import java.util.function.BooleanSupplier;

/**
 * What the client insists on while the server authenticates it: the channel binding over TLS,
 * require_auth's rules (null: none), and sslcertmode=require's demand that the server asked for
 * the client's certificate and got one (from the TLS handshake, read when AuthenticationOk comes).
 */
public record AuthPolicy(ChannelBinding binding, RequireAuth requireAuth, boolean certificateRequired,
                         BooleanSupplier certificateRequested, BooleanSupplier certificateSent) {
    /** No demands: libpq's defaults outside TLS. */
    public static final AuthPolicy NONE = of(ChannelBinding.NONE);

    public static AuthPolicy of(ChannelBinding binding) {
        return new AuthPolicy(binding, null, false, () -> false, () -> false);
    }
}
