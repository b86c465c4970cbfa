package dev.pgjvm.core.tls;

import javax.net.ssl.SSLEngine;
import java.util.Locale;

/**
 * libpq's PQsslAttribute for a TLS connection made with JSSE. Values follow libpq with OpenSSL,
 * the only library libpq reports ("library" says "OpenSSL", so that callers reading the cipher
 * name by OpenSSL's conventions read it right): "protocol" (TLSv1.2, TLSv1.3), "cipher" in
 * OpenSSL's naming (TLS 1.3 suites keep their IANA names), "key_bits", "compression" ("off"),
 * "alpn" (empty when none was agreed).
 */
public final class TlsAttributes {
    private TlsAttributes() {
    }

    /** The attribute of libpq's set, or null for an unknown name. */
    public static String of(SSLEngine engine, String name) {
        String suite = engine.getSession().getCipherSuite();
        return switch (name) {
            case "library" -> "OpenSSL";
            case "protocol" -> engine.getSession().getProtocol();
            case "cipher" -> openSslCipherName(suite);
            case "key_bits" -> String.valueOf(keyBits(suite));
            case "compression" -> "off";
            case "alpn" -> {
                String alpn = engine.getApplicationProtocol();
                yield alpn == null ? "" : alpn; // libpq 17: empty when TLS agreed on none
            }
            default -> null;
        };
    }

    /** The symmetric key's size in bits, read off the suite's name. */
    static int keyBits(String suite) {
        if (suite.contains("AES_256") || suite.contains("CHACHA20")) {
            return 256;
        }
        if (suite.contains("AES_128")) {
            return 128;
        }
        return suite.contains("3DES") ? 112 : 0;
    }

    /** A JSSE (IANA) suite name as OpenSSL names it: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 is ECDHE-RSA-AES256-GCM-SHA384. */
    static String openSslCipherName(String suite) {
        int with = suite.indexOf("_WITH_");
        if (!suite.startsWith("TLS_") || with < 0) {
            return suite; // TLS 1.3 (TLS_AES_256_GCM_SHA384): the same name in both
        }
        String exchange = suite.substring(4, with);          // ECDHE_RSA, DHE_RSA, RSA
        String cipher = suite.substring(with + 6);            // AES_256_GCM_SHA384
        String kx = switch (exchange) {
            case "RSA" -> "";
            case "ECDHE_RSA" -> "ECDHE-RSA-";
            case "ECDHE_ECDSA" -> "ECDHE-ECDSA-";
            case "DHE_RSA" -> "DHE-RSA-";
            default -> exchange.replace('_', '-') + "-";
        };
        String body = cipher.replace("AES_128_", "AES128-").replace("AES_256_", "AES256-")
                .replace("CHACHA20_POLY1305_SHA256", "CHACHA20-POLY1305").replace('_', '-');
        if (body.endsWith("-CBC-SHA")) {
            body = body.substring(0, body.length() - "-CBC-SHA".length()) + "-SHA";
        } else if (body.contains("-CBC-")) {
            body = body.replace("-CBC-", "-");
        }
        return (kx + body).toUpperCase(Locale.ROOT);
    }
}
