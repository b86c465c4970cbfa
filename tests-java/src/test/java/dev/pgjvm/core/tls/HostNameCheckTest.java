package dev.pgjvm.core.tls;

import dev.pgjvm.core.PgConnectionException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * sslmode=verify-full's host name check against libpq 17's rules
 * (pgtls_verify_peer_name_matches_certificate_guts and pq_verify_peer_name_matches_certificate):
 * the subjectAltName dNSName entries (case-insensitive, a leading "*." standing for exactly one
 * label), the iPAddress entries compared as addresses, the Common Name only when the certificate
 * has no subjectAltName of the host's own type (DNS for a name, IP for an address), and libpq's
 * messages. Certificates are made here with Bouncy Castle, and the test server's own is read
 * from bin/test-postgres' files when they are there.
 */
class HostNameCheckTest {
    private static KeyPair keys;
    private static final AtomicLong SERIAL = new AtomicLong(1);

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        keys = generator.generateKeyPair();
    }

    /** A self-signed certificate with the given subject (null: an empty one) and subjectAltNames. */
    static X509Certificate certificate(String subject, GeneralName... altNames) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=test issuer"),
                BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))), subject == null ? new X500Name(new org.bouncycastle.asn1.x500.RDN[0])
                : new X500Name(subject), keys.getPublic());
        if (altNames.length > 0) {
            // RFC 5280 (and the JDK's parser): critical when the subject is empty.
            builder.addExtension(Extension.subjectAlternativeName, subject == null, new GeneralNames(altNames));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    private static void matches(X509Certificate certificate, String host) {
        assertDoesNotThrow(() -> HostNameCheck.verify(certificate, host), host);
    }

    private static void mismatch(X509Certificate certificate, String host, String message) {
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> HostNameCheck.verify(certificate, host));
        assertEquals(message, e.getMessage());
    }

    private static String doesNotMatch(String first, String others, String host) {
        return "server certificate for \"" + first + "\"" + others + " does not match host name \"" + host + "\"\n";
    }

    // ------------------------------------------------------------ DNS names

    @Test
    void dnsNameMatchesExactly() throws Exception {
        X509Certificate c = certificate("CN=ignored.example.com", dns("db.example.com"));
        matches(c, "db.example.com");
        mismatch(c, "db.example.org", doesNotMatch("db.example.com", "", "db.example.org"));
        mismatch(c, "db.example.com.evil", doesNotMatch("db.example.com", "", "db.example.com.evil"));
        mismatch(c, "example.com", doesNotMatch("db.example.com", "", "example.com"));
    }

    @Test
    void dnsNamesCompareWithoutCase() throws Exception {
        matches(certificate("CN=x", dns("db.example.com")), "DB.Example.COM");
        matches(certificate("CN=x", dns("DB.EXAMPLE.com")), "db.example.com");
    }

    @Test
    void anyOfSeveralDnsNamesMatches() throws Exception {
        X509Certificate c = certificate("CN=x", dns("a.example.com"), dns("b.example.com"), dns("c.example.com"));
        matches(c, "a.example.com");
        matches(c, "c.example.com");
    }

    @Test
    void wildcardMatchesOneLabelOnly() throws Exception {
        X509Certificate c = certificate("CN=x", dns("*.example.com"));
        matches(c, "db.example.com");
        matches(c, "DB.EXAMPLE.COM");
        mismatch(c, "a.b.example.com", doesNotMatch("*.example.com", "", "a.b.example.com"));
        mismatch(c, "example.com", doesNotMatch("*.example.com", "", "example.com"));
        mismatch(c, ".example.com", doesNotMatch("*.example.com", "", ".example.com"));
        mismatch(c, "db.example.org", doesNotMatch("*.example.com", "", "db.example.org"));
    }

    @Test
    void aStarElsewhereIsNoWildcard() throws Exception {
        X509Certificate c = certificate("CN=x", dns("db*.example.com"));
        mismatch(c, "db1.example.com", doesNotMatch("db*.example.com", "", "db1.example.com"));
        matches(c, "db*.example.com"); // compared as text, as libpq does
    }

    // ------------------------------------------------------------ IP addresses

    @Test
    void ipAddressMatchesAnIpHost() throws Exception {
        X509Certificate c = certificate("CN=x", ip("127.0.0.1"));
        matches(c, "127.0.0.1");
        mismatch(c, "127.0.0.2", doesNotMatch("127.0.0.1", "", "127.0.0.2"));
    }

    @Test
    void ipv6AddressMatchesWhateverItsSpelling() throws Exception {
        X509Certificate c = certificate("CN=x", ip("::1"));
        matches(c, "::1");
        matches(c, "0:0:0:0:0:0:0:1");
    }

    @Test
    void ipv6AddressIsNamedAsInet_ntopWritesIt() throws Exception {
        // libpq formats the certificate's address with pg_inet_net_ntop: "::1", not Java's long form.
        X509Certificate c = certificate("CN=x", ip("::1"));
        mismatch(c, "::2", doesNotMatch("::1", "", "::2"));
    }

    @Test
    void ipAddressNeverMatchesAHostName() throws Exception {
        X509Certificate c = certificate("CN=x", ip("127.0.0.1"), dns("db.example.com"));
        mismatch(c, "localhost", doesNotMatch("127.0.0.1", " (and 1 other name)", "localhost"));
    }

    @Test
    void aHostNameIsNotLookedUp() throws Exception {
        // "localhost" resolves to 127.0.0.1, but the check compares the certificate with the name given.
        X509Certificate c = certificate(null, ip("127.0.0.1"));
        mismatch(c, "localhost", doesNotMatch("127.0.0.1", "", "localhost"));
    }

    @Test
    void aDnsNameSpellingTheAddressMatchesAsText() throws Exception {
        // libpq compares every dNSName with the host as text, whatever the host is.
        matches(certificate("CN=x", dns("127.0.0.1")), "127.0.0.1");
    }

    // ------------------------------------------------------------ the Common Name

    @Test
    void commonNameCountsWithoutSubjectAltNames() throws Exception {
        X509Certificate c = certificate("O=Example, CN=db.example.com");
        matches(c, "db.example.com");
        matches(c, "DB.example.com");
        mismatch(c, "other.example.com", doesNotMatch("db.example.com", "", "other.example.com"));
    }

    @Test
    void commonNameMayBeAWildcard() throws Exception {
        X509Certificate c = certificate("CN=*.example.com");
        matches(c, "db.example.com");
        mismatch(c, "a.b.example.com", doesNotMatch("*.example.com", "", "a.b.example.com"));
    }

    @Test
    void commonNameIsIgnoredWhenADnsNameIsThere() throws Exception {
        X509Certificate c = certificate("CN=db.example.com", dns("other.example.com"));
        mismatch(c, "db.example.com", doesNotMatch("other.example.com", "", "db.example.com"));
    }

    @Test
    void commonNameCountsForAHostNameWhenOnlyAddressesAreThere() throws Exception {
        // No dNSName: a host name falls back to the CN (an iPAddress is not of the host's type).
        X509Certificate c = certificate("CN=db.example.com", ip("10.0.0.1"));
        matches(c, "db.example.com");
        mismatch(c, "x.example.com", doesNotMatch("10.0.0.1", " (and 1 other name)", "x.example.com"));
    }

    @Test
    void commonNameCountsForAnAddressWhenNoIpAddressIsThere() throws Exception {
        // libpq 14+: for an IP host only an iPAddress entry rules the CN out; a dNSName does not.
        X509Certificate c = certificate("CN=10.0.0.1", dns("db.example.com"));
        matches(c, "10.0.0.1");
    }

    @Test
    void commonNameIsIgnoredForAnAddressWhenAnIpAddressIsThere() throws Exception {
        // The certificate names 10.0.0.2 in its subjectAltName: its CN must not vouch for 10.0.0.1.
        X509Certificate c = certificate("CN=10.0.0.1", ip("10.0.0.2"));
        mismatch(c, "10.0.0.1", doesNotMatch("10.0.0.2", "", "10.0.0.1"));
    }

    // ------------------------------------------------------------ messages

    @Test
    void countsTheOtherNames() throws Exception {
        mismatch(certificate("CN=x", dns("a.example.com"), dns("b.example.com")), "c.example.com",
                doesNotMatch("a.example.com", " (and 1 other name)", "c.example.com"));
        mismatch(certificate("CN=x", dns("a.example.com"), dns("b.example.com"), ip("10.1.2.3")), "c.example.com",
                doesNotMatch("a.example.com", " (and 2 other names)", "c.example.com"));
        mismatch(certificate("CN=x", dns("a.example.com"), dns("b.example.com"), dns("d.example.com"),
                dns("e.example.com")), "c.example.com", doesNotMatch("a.example.com", " (and 3 other names)", "c.example.com"));
    }

    @Test
    void noNameAtAll() throws Exception {
        mismatch(certificate("O=No Name Inc"), "db.example.com",
                "could not get server's host name from server certificate\n");
        mismatch(certificate(null), "10.0.0.1", "could not get server's host name from server certificate\n");
    }

    @Test
    void theHostMustBeGiven() throws Exception {
        X509Certificate c = certificate("CN=localhost", dns("localhost"));
        mismatch(c, "", "host name must be specified for a verified SSL connection\n");
        mismatch(c, null, "host name must be specified for a verified SSL connection\n");
    }

    // ------------------------------------------------------------ the test server's certificate

    @Test
    void theTestServersCertificate() throws Exception {
        String root = System.getenv("PGJVM_TEST_SSL_ROOTCERT");
        assumeTrue(root != null && !root.isEmpty(), "PGJVM_TEST_SSL_ROOTCERT not set");
        Path file = Path.of(root).resolveSibling("server.crt");
        assumeTrue(Files.isReadable(file), file + " not readable");
        X509Certificate c;
        try (InputStream in = Files.newInputStream(file)) {
            c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        // bin/test-postgres: subject CN=localhost, subjectAltName DNS:localhost, IP:127.0.0.1
        matches(c, "localhost");
        matches(c, "LocalHost");
        matches(c, "127.0.0.1");
        mismatch(c, "wrong.example", doesNotMatch("localhost", " (and 1 other name)", "wrong.example"));
        mismatch(c, "127.0.0.2", doesNotMatch("localhost", " (and 1 other name)", "127.0.0.2"));
    }
}
