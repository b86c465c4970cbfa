package dev.pgjvm.core.tls;

/** libpq's sslmode: whether TLS is tried, required, and how the server's certificate is checked. */
public enum SslMode {
    /** Plain only. */
    DISABLE,
    /** Plain first; TLS when the server refuses the plain connection. */
    ALLOW,
    /** TLS first; plain when the server has no TLS or the TLS attempt fails (the default). */
    PREFER,
    /** TLS only; the certificate is checked only when a root certificate file exists. */
    REQUIRE,
    /** TLS, with the server's certificate chain checked against the root certificates. */
    VERIFY_CA,
    /** As VERIFY_CA, and the certificate must name the host connected to. */
    VERIFY_FULL;

    /** The mode of an sslmode value (already validated: one of libpq's six). */
    public static SslMode of(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** Whether a connection without TLS is refused. */
    public boolean requiresTls() {
        return compareTo(REQUIRE) >= 0;
    }

    /** Whether the certificate chain must be checked whatever files exist. */
    public boolean verifiesChain() {
        return compareTo(VERIFY_CA) >= 0;
    }

    /** The value as libpq writes it. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
