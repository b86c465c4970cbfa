package dev.pgjvm.core.auth;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.protocol.AuthenticationCleartextPassword;
import dev.pgjvm.core.protocol.AuthenticationMD5Password;
import dev.pgjvm.core.protocol.AuthenticationOk;
import dev.pgjvm.core.protocol.AuthenticationSASL;
import dev.pgjvm.core.protocol.Bytes;
import dev.pgjvm.core.protocol.FrontendMessage;
import dev.pgjvm.core.protocol.SASLInitialResponse;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCRAM channel binding as libpq 17 does it (pg_SASL_init, check_expected_areq): which
 * mechanism is chosen and which GS2 flag is sent ("p=tls-server-end-point", "y" or "n") for
 * each channel_binding over TLS or not, the tls-server-end-point data (RFC 5929), and libpq's
 * messages for what channel_binding=require refuses. No server: the authenticator answers
 * authentication requests built here.
 */
class ChannelBindingTest {
    private static final List<String> PLUS_AND_PLAIN = List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256");
    private static final List<String> PLAIN = List.of("SCRAM-SHA-256");

    private static X509Certificate serverCertificate;
    private static X509Certificate sha384Certificate;

    @BeforeAll
    static void certificates() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        serverCertificate = certificate(keys, "SHA256withECDSA");
        sha384Certificate = certificate(keys, "SHA384withECDSA");
    }

    private static X509Certificate certificate(KeyPair keys, String signature) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=localhost");
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
    }

    private static ClientAuthenticator authenticator(String mode, boolean tls) {
        return new ClientAuthenticator("u", PasswordSource.of("secret"),
                AuthPolicy.of(ChannelBinding.of(mode, tls ? serverCertificate : null)));
    }

    private static SASLInitialResponse first(ClientAuthenticator auth, List<String> mechanisms) {
        FrontendMessage m = auth.respond(new AuthenticationSASL(mechanisms));
        return (SASLInitialResponse) m;
    }

    private static String gs2(SASLInitialResponse r) {
        String text = new String(r.data().toArray(), StandardCharsets.UTF_8);
        return text.substring(0, text.indexOf(",,") + 2);
    }

    private static void refused(String message, Runnable action) {
        PgConnectionException e = assertThrows(PgConnectionException.class, action::run);
        assertEquals(message, e.getMessage());
    }

    // ------------------------------------------------------------------ the binding data

    @Test
    void endPointDataIsTheCertificatesHash() throws Exception {
        // RFC 5929: the certificate's signature hash (SHA-256 here; MD5 and SHA-1 become SHA-256).
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(serverCertificate.getEncoded()),
                ChannelBinding.of("prefer", serverCertificate).endPointData());
        assertArrayEquals(MessageDigest.getInstance("SHA-384").digest(sha384Certificate.getEncoded()),
                ChannelBinding.of("prefer", sha384Certificate).endPointData());
    }

    @Test
    void usableOnlyOverTlsAndNotDisabled() {
        assertTrue(ChannelBinding.of("prefer", serverCertificate).usable());
        assertTrue(ChannelBinding.of("require", serverCertificate).usable());
        assertFalse(ChannelBinding.of("disable", serverCertificate).usable());
        assertFalse(ChannelBinding.of("prefer", null).usable());
        assertNull(ChannelBinding.of("require", null).endPointData());
        assertTrue(ChannelBinding.of("require", null).required());
        assertFalse(ChannelBinding.NONE.required());
    }

    // ------------------------------------------------------------------ the choice

    @Test
    void preferOverTlsBindsWhenTheServerOffersPlus() {
        SASLInitialResponse r = first(authenticator("prefer", true), PLUS_AND_PLAIN);
        assertEquals("SCRAM-SHA-256-PLUS", r.mechanism());
        assertEquals("p=tls-server-end-point,,", gs2(r));
    }

    @Test
    void preferOverTlsSaysItCouldHaveBound() {
        // "y": the client supports binding but thinks the server does not (a downgrade shows).
        SASLInitialResponse r = first(authenticator("prefer", true), PLAIN);
        assertEquals("SCRAM-SHA-256", r.mechanism());
        assertEquals("y,,", gs2(r));
    }

    @Test
    void disableOverTlsNeverBinds() {
        SASLInitialResponse r = first(authenticator("disable", true), PLUS_AND_PLAIN);
        assertEquals("SCRAM-SHA-256", r.mechanism());
        assertEquals("n,,", gs2(r));
    }

    @Test
    void withoutTlsNoBinding() {
        SASLInitialResponse r = first(authenticator("prefer", false), PLAIN);
        assertEquals("SCRAM-SHA-256", r.mechanism());
        assertEquals("n,,", gs2(r));
    }

    @Test
    void plusOfferedWithoutTlsIsRefused() {
        // libpq: the server offers binding on a connection that is not encrypted: TLS was stripped
        // on the way (a proxy), so it gives up rather than authenticate unbound.
        for (String mode : List.of("prefer", "disable")) {
            refused("server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection\n",
                    () -> first(authenticator(mode, false), PLUS_AND_PLAIN));
        }
    }

    @Test
    void requireOverTlsBinds() {
        SASLInitialResponse r = first(authenticator("require", true), PLUS_AND_PLAIN);
        assertEquals("SCRAM-SHA-256-PLUS", r.mechanism());
        assertEquals("p=tls-server-end-point,,", gs2(r));
    }

    // ------------------------------------------------------------------ what require refuses

    @Test
    void requireWithoutTls() {
        refused("channel binding required, but SSL not in use\n", () -> first(authenticator("require", false), PLAIN));
    }

    @Test
    void requireWithoutPlusOffered() {
        refused("channel binding is required, but server did not offer an authentication method that supports "
                + "channel binding\n", () -> first(authenticator("require", true), PLAIN));
    }

    @Test
    void requireRefusesPasswordRequests() {
        String message = "channel binding required but not supported by server's authentication request\n";
        refused(message, () -> authenticator("require", true).respond(new AuthenticationCleartextPassword()));
        refused(message, () -> authenticator("require", true)
                .respond(new AuthenticationMD5Password(Bytes.copyOf(new byte[] {1, 2, 3, 4}))));
    }

    @Test
    void requireRefusesAnUnboundOk() {
        refused("channel binding required, but server authenticated client without channel binding\n",
                () -> authenticator("require", true).respond(new AuthenticationOk()));
        assertNull(authenticator("prefer", true).respond(new AuthenticationOk()), "prefer takes trust");
    }
}
