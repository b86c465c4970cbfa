package dev.pgjvm.core.auth;

import com.ongres.scram.common.util.TlsServerEndpoint;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * What SCRAM may bind to the TLS channel: libpq's channel_binding setting ("disable", "prefer"
 * or "require") and, over TLS, the tls-server-end-point data (RFC 5929: a hash of the server's
 * certificate); null data when the connection is not encrypted.
 */
public record ChannelBinding(String mode, byte[] endPointData) {
    /** No TLS, channel_binding=prefer: libpq's default outside TLS. */
    public static final ChannelBinding NONE = new ChannelBinding("prefer", null);

    /** The binding of a TLS connection to the server presenting {@code certificate} (null: no TLS). */
    public static ChannelBinding of(String mode, X509Certificate certificate) {
        if (certificate == null) {
            return new ChannelBinding(mode, null);
        }
        try {
            return new ChannelBinding(mode, TlsServerEndpoint.getChannelBindingData(certificate));
        } catch (CertificateEncodingException e) {
            return new ChannelBinding(mode, null);
        }
    }

    public boolean required() {
        return "require".equals(mode);
    }

    /** Whether SCRAM-SHA-256-PLUS can be chosen: TLS in use and channel binding not disabled. */
    public boolean usable() {
        return endPointData != null && !"disable".equals(mode);
    }
}
