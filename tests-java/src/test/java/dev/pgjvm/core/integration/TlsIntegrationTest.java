package dev.pgjvm.core.integration;

import dev.pgjvm.core.testing.Polling;

import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.conninfo.ClientEnvironment;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.pgjvm.core.ValueKind.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS against the real server of bin/test-postgres (ssl=on, our CA, a server certificate for
 * DNS:localhost and IP:127.0.0.1, pg_hba lines that let the certificate user in over TLS only
 * and the "nossl" user without TLS only): every sslmode, certificate checks, client
 * certificates, SCRAM channel binding, the retries of prefer and allow, the non-blocking API and
 * large transfers over TLS, cancel. Connections use an isolated environment (an empty HOME, no
 * PG* variables) so that no ~/.postgresql file of the machine's user changes what is tested.
 */
class TlsIntegrationTest {
    @TempDir
    Path home;

    private final List<PgConnection> opened = new ArrayList<>();

    @BeforeEach
    void server() {
        TestServer.assumeEnv("PGJVM_TEST_SSL_ROOTCERT");
    }

    @AfterEach
    void closeAll() {
        opened.forEach(PgConnection::close);
    }

    // ------------------------------------------------------------------ helpers

    private ClientEnvironment env() {
        return TestServer.isolatedEnvironment(home, Map.of());
    }

    private PgConnection connect(String... extra) {
        PgConnection c = PgConnection.connect(TestServer.dsn(extra), Map.of(), env());
        opened.add(c);
        return c;
    }

    private PgConnectionException connectFails(String... extra) {
        return assertThrows(PgConnectionException.class, () -> connect(extra));
    }

    private static String root() {
        return TestServer.env("PGJVM_TEST_SSL_ROOTCERT");
    }

    /** libpq's prefix for an attempt on the test server's host. */
    private static String prefix() {
        return "connection to server at \"" + TestServer.host() + "\", port " + TestServer.port() + " failed: ";
    }

    /** Skips unless the cluster has the client-certificate set-up (roles, pg_hba lines, files). */
    private static void assumeCertificateCluster() {
        TestServer.assumeEnv("PGJVM_TEST_CERT_USER", "PGJVM_TEST_NOSSL_USER", "PGJVM_TEST_SSL_CLIENT_CERT",
                "PGJVM_TEST_SSL_CLIENT_KEY", "PGJVM_TEST_SSL_CLIENT_KEY_ENC", "PGJVM_TEST_SSL_CLIENT_KEY_PASSWORD");
        assumeTrue(Files.isReadable(Path.of(TestServer.env("PGJVM_TEST_SSL_CLIENT_CERT"))),
                "the cluster predates client certificates: bin/test-postgres start recreates it");
    }

    private static String certUser() {
        return "user=" + TestServer.env("PGJVM_TEST_CERT_USER");
    }

    private static String nosslUser() {
        return "user=" + TestServer.env("PGJVM_TEST_NOSSL_USER");
    }

    private static String clientCert() {
        return "sslcert=" + TestServer.env("PGJVM_TEST_SSL_CLIENT_CERT");
    }

    /** What pg_stat_ssl says of this connection: ssl, version, cipher, bits, client_dn. */
    private static Object[] serverSide(PgConnection c) {
        PgResult r = c.execute("SELECT ssl, version, cipher, bits, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        r.setValueKinds(TEXT, TEXT, TEXT, TEXT, TEXT);
        return r.rows(0, 1)[0];
    }

    private static String one(PgResult r) {
        r.setValueKinds(TEXT);
        return (String) r.rows(0, 1)[0][0];
    }

    /** A PEM file, owner-only, in the test's home. */
    private Path write(String name, String content) throws IOException {
        Path file = home.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private Path copy(Path from, String name) throws IOException {
        return write(name, Files.readString(from));
    }

    /** The PEM of a CA certificate that did not sign the server's. */
    private static String otherCa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=pgjvm test CA");  // the same name as the real one: only the key differs
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        var certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(certificate);
        }
        return out.toString();
    }

    private static List<PollingStatus> waitUntilOk(PgConnection c, Supplier<PollingStatus> step) throws IOException {
        return Polling.waitUntilOk(c, step, 1_000_000);
    }

    private PgConnection connectNonBlocking(String... extra) throws IOException {
        PgConnection c = PgConnection.connectStart(TestServer.dsn(extra), Map.of(), env());
        opened.add(c);
        waitUntilOk(c, c::connectPoll);
        return c;
    }

    private static String md5Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------ sslmode

    @ParameterizedTest
    @CsvSource({"disable, false", "allow, false", "prefer, true", "require, true", "verify-ca, true", "verify-full, true"})
    void sslmodeDecidesAsLibpq(String mode, boolean tls) {
        PgConnection c = connect("sslmode=" + mode, "sslrootcert=" + root());
        assertEquals(tls, c.sslInUse(), mode);
        assertEquals(tls ? "t" : "f", serverSide(c)[0], "the server agrees");
        assertEquals("1", one(c.execute("SELECT 1")));
    }

    @ParameterizedTest
    @CsvSource({"disable, false", "allow, false", "prefer, true", "require, true"})
    void sslmodeWithoutRootCertificate(String mode, boolean tls) {
        PgConnection c = connect("sslmode=" + mode);
        assertEquals(tls, c.sslInUse(), mode);
    }

    @Test
    void theDefaultIsPrefer() {
        assertTrue(connect().sslInUse());
    }

    @Test
    void attributesOfATlsConnectionAreTheServersToo() {
        PgConnection c = connect("sslmode=require");
        Object[] server = serverSide(c);
        assertEquals("OpenSSL", c.sslAttribute("library"));
        assertEquals(server[1], c.sslAttribute("protocol"));
        assertEquals(server[2], c.sslAttribute("cipher"), "OpenSSL's name, as the server (OpenSSL) reports it");
        assertEquals(server[3], c.sslAttribute("key_bits"));
        assertEquals("off", c.sslAttribute("compression"));
        assertNull(c.sslAttribute("no_such_attribute"));
        for (String name : List.of("library", "protocol", "cipher", "key_bits", "compression")) {
            assertNotNull(c.sslAttribute(name), name);
        }
    }

    @Test
    void alpnIsEmptyWhenTheServerAgreedToNone() {
        // libpq 17 (PQsslAttribute "alpn"): "" when no protocol was selected, NULL only without TLS.
        PgConnection c = connect("sslmode=require");
        assumeTrue(c.serverVersion() < 170000, "a server of 17 or later agrees to \"postgresql\"");
        assertEquals("", c.sslAttribute("alpn"));
    }

    @Test
    void attributesOverTls12() {
        PgConnection c = connect("sslmode=require", "ssl_max_protocol_version=TLSv1.2");
        Object[] server = serverSide(c);
        assertEquals("TLSv1.2", c.sslAttribute("protocol"));
        assertEquals("TLSv1.2", server[1]);
        assertEquals(server[2], c.sslAttribute("cipher"));
        assertFalse(c.sslAttribute("cipher").startsWith("TLS_"), c.sslAttribute("cipher"));
        assertEquals(server[3], c.sslAttribute("key_bits"));
    }

    @Test
    void tls13Only() {
        PgConnection c = connect("sslmode=require", "ssl_min_protocol_version=TLSv1.3");
        assertEquals("TLSv1.3", c.sslAttribute("protocol"));
        assertEquals(serverSide(c)[2], c.sslAttribute("cipher"));
    }

    @Test
    void noAttributesWithoutTls() {
        PgConnection c = connect("sslmode=disable");
        for (String name : List.of("library", "protocol", "cipher", "key_bits", "compression", "alpn")) {
            assertNull(c.sslAttribute(name), name);
        }
    }

    @Test
    void unixSocketsNeverUseTls() {
        TestServer.assumeEnv("PGJVM_TEST_SOCKET_DIR");
        // As libpq: sslmode is not applied to a Unix-domain socket, require included.
        for (String mode : List.of("prefer", "require")) {
            PgConnection c = PgConnection.connect("host=" + TestServer.env("PGJVM_TEST_SOCKET_DIR") + " port="
                    + TestServer.port() + " user=" + TestServer.env("PGUSER") + " dbname=" + TestServer.env("PGDATABASE")
                    + " sslmode=" + mode, Map.of(), env());
            opened.add(c);
            assertFalse(c.sslInUse(), mode);
        }
    }

    // ------------------------------------------------------------------ certificate checks

    @Test
    void verifyFullChecksTheHostNameGiven() {
        PgConnectionException e = connectFails("sslmode=verify-full", "sslrootcert=" + root(),
                "host=wrong.example", "hostaddr=127.0.0.1");
        // As libpq: with hostaddr= the prefix names the address; the check, the host= name.
        assertEquals("connection to server at \"127.0.0.1\", port " + TestServer.port() + " failed: "
                + "server certificate for \"localhost\" (and 1 other name) does not match host name \"wrong.example\"\n",
                e.getMessage());
    }

    @Test
    void verifyFullAcceptsEitherNameOfTheCertificate() {
        assertTrue(connect("sslmode=verify-full", "sslrootcert=" + root(), "host=localhost", "hostaddr=127.0.0.1").sslInUse());
        assertTrue(connect("sslmode=verify-full", "sslrootcert=" + root(), "host=127.0.0.1").sslInUse());
    }

    @Test
    void verifyFullNeedsAHostName() {
        // hostaddr= alone: nothing to check the certificate against.
        String dsn = "hostaddr=127.0.0.1 port=" + TestServer.port() + " user=" + TestServer.env("PGUSER")
                + " dbname=" + TestServer.env("PGDATABASE") + " sslmode=verify-full sslrootcert=" + root();
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> PgConnection.connect(dsn, Map.of(), env()));
        assertEquals(prefix() + "host name must be specified for a verified SSL connection\n", e.getMessage());
        PgConnection c = PgConnection.connect(dsn.replace("verify-full", "verify-ca"), Map.of(), env());
        opened.add(c);
        assertTrue(c.sslInUse());
    }

    @Test
    void verifyCaDoesNotCheckTheName() {
        assertTrue(connect("sslmode=verify-ca", "sslrootcert=" + root(), "host=wrong.example", "hostaddr=127.0.0.1").sslInUse());
    }

    @Test
    void verifyModesNeedARootCertificate() {
        PgConnectionException e = connectFails("sslmode=verify-ca");
        assertEquals(prefix() + "root certificate file \"" + home.resolve(".postgresql/root.crt") + "\" does not exist\n"
                + "Either provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode "
                + "to disable server certificate verification.\n", e.getMessage());
    }

    @Test
    void anotherCaFailsTheChain() throws Exception {
        Path other = write("other-ca.crt", otherCa());
        for (String mode : List.of("verify-ca", "verify-full", "require")) {
            // require checks the chain too once a root certificate is given
            PgConnectionException e = connectFails("sslmode=" + mode, "sslrootcert=" + other);
            assertEquals(prefix() + "SSL error: certificate verify failed\n", e.getMessage(), mode);
        }
    }

    @Test
    void rootCrtInHomeIsUsedByDefault() throws Exception {
        copy(Path.of(root()), ".postgresql/root.crt");
        assertTrue(connect("sslmode=verify-full").sslInUse());
        assertTrue(connect("sslmode=require").sslInUse());
    }

    @Test
    void preferFallsBackToPlainWhenTheHandshakeFails() throws Exception {
        write(".postgresql/root.crt", otherCa());
        PgConnection c = connect("sslmode=prefer");
        assertFalse(c.sslInUse(), "libpq retries without TLS after a failed handshake");
        assertEquals("f", serverSide(c)[0]);
        PgConnectionException e = connectFails("sslmode=require");
        assertEquals(prefix() + "SSL error: certificate verify failed\n", e.getMessage(),
                "require checks the chain once ~/.postgresql/root.crt exists");
    }

    // ------------------------------------------------------------------ client certificates

    @ParameterizedTest
    @CsvSource({"PGJVM_TEST_SSL_CLIENT_KEY, false", "PGJVM_TEST_SSL_CLIENT_KEY_ENC, true"})
    void clientCertificateLogin(String keyVariable, boolean encrypted) {
        assumeCertificateCluster();
        String password = encrypted ? "sslpassword=" + TestServer.env("PGJVM_TEST_SSL_CLIENT_KEY_PASSWORD") : "";
        PgConnection c = connect(certUser(), "sslmode=verify-full", "sslrootcert=" + root(), clientCert(),
                "sslkey=" + TestServer.env(keyVariable), password);
        assertTrue(c.sslInUse());
        assertEquals(TestServer.env("PGJVM_TEST_CERT_USER"), one(c.execute("SELECT current_user")));
        assertEquals("/CN=" + TestServer.env("PGJVM_TEST_CERT_USER"), serverSide(c)[4]);
    }

    @Test
    void clientCertificateFromHome() throws Exception {
        assumeCertificateCluster();
        copy(Path.of(TestServer.env("PGJVM_TEST_SSL_CLIENT_CERT")), ".postgresql/postgresql.crt");
        copy(Path.of(TestServer.env("PGJVM_TEST_SSL_CLIENT_KEY")), ".postgresql/postgresql.key");
        copy(Path.of(root()), ".postgresql/root.crt");
        PgConnection c = connect(certUser(), "sslmode=verify-full");
        assertEquals("/CN=" + TestServer.env("PGJVM_TEST_CERT_USER"), serverSide(c)[4]);
    }

    @Test
    void wrongKeyPassword() {
        assumeCertificateCluster();
        String key = TestServer.env("PGJVM_TEST_SSL_CLIENT_KEY_ENC");
        PgConnectionException e = connectFails(certUser(), "sslmode=require", clientCert(), "sslkey=" + key,
                "sslpassword=not-the-password");
        assertEquals(prefix() + "could not load private key file \"" + key + "\": bad decrypt\n", e.getMessage());
    }

    @Test
    void aKeyOthersCanReadIsRefused() throws Exception {
        assumeCertificateCluster();
        Path key = copy(Path.of(TestServer.env("PGJVM_TEST_SSL_CLIENT_KEY")), "open.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        PgConnectionException e = connectFails(certUser(), "sslmode=require", clientCert(), "sslkey=" + key);
        assertTrue(e.getMessage().startsWith(prefix() + "private key file \"" + key + "\" has group or world access; "),
                e.getMessage());
    }

    @Test
    void certificateWithoutKey() {
        assumeCertificateCluster();
        Path missing = home.resolve("missing.key");
        PgConnectionException e = connectFails(certUser(), "sslmode=require", clientCert(), "sslkey=" + missing);
        assertEquals(prefix() + "certificate present, but not private key file \"" + missing + "\"\n", e.getMessage());
    }

    @Test
    void preferFallsBackToPlainWhenTheClientKeyCannotBeLoaded() throws Exception {
        // libpq: a failure to set TLS up (initialize_SSL: unreadable key, bad password) fails the
        // TLS try like a failed handshake, and prefer tries again without TLS.
        assumeCertificateCluster();
        Path key = copy(Path.of(TestServer.env("PGJVM_TEST_SSL_CLIENT_KEY")), "open.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        PgConnection c = connect("sslmode=prefer", clientCert(), "sslkey=" + key);
        assertFalse(c.sslInUse());
        PgConnection d = connect("sslmode=prefer", clientCert(), "sslkey=" + TestServer.env("PGJVM_TEST_SSL_CLIENT_KEY_ENC"),
                "sslpassword=not-the-password");
        assertFalse(d.sslInUse());
    }

    @Test
    void preferRepeatsARefusalOnlyWhileAuthenticating() {
        // The server refused the client over TLS while authenticating it: prefer tries again
        // without TLS, as libpq does, and reports both refusals.
        PgConnectionException e = connectFails("sslmode=prefer", "user=" + TestServer.env("PGJVM_TEST_SCRAM_USER"),
                "password=wrong");
        String refusal = prefix() + "FATAL:  password authentication failed for user \""
                + TestServer.env("PGJVM_TEST_SCRAM_USER") + "\"\n";
        assertEquals(refusal + refusal, e.getMessage());
        // Once the client is in (AuthenticationOk), an error ends the host: no second try.
        String once = prefix() + "FATAL:  database \"pgjvm_no_such_database\" does not exist\n";
        PgConnectionException late = connectFails("sslmode=prefer", "dbname=pgjvm_no_such_database");
        assertEquals(once, late.getMessage());
        assertEquals("3D000", late.sqlState());
    }

    @Test
    void theCertificateUserNeedsItsCertificate() {
        assumeCertificateCluster();
        PgConnectionException e = connectFails(certUser(), "sslmode=require");
        assertEquals("28000", e.sqlState());
        assertTrue(e.getMessage().contains("connection requires a valid client certificate"), e.getMessage());
    }

    // ------------------------------------------------------------------ prefer and allow retries

    @Test
    void preferRetriesWithoutTlsWhenTheServerRefusesTls() {
        assumeCertificateCluster();
        PgConnection c = connect(nosslUser(), "sslmode=prefer");
        assertFalse(c.sslInUse());
        assertEquals(TestServer.env("PGJVM_TEST_NOSSL_USER"), one(c.execute("SELECT current_user")));
    }

    @Test
    void requireDoesNotRetry() {
        assumeCertificateCluster();
        PgConnectionException e = connectFails(nosslUser(), "sslmode=require");
        assertTrue(e.getMessage().startsWith(prefix() + "FATAL:  pg_hba.conf rejects connection for host"), e.getMessage());
        assertTrue(e.getMessage().endsWith("SSL encryption\n"), e.getMessage());
        assertEquals(1, e.getMessage().split("connection to server at", -1).length - 1, "one attempt: " + e.getMessage());
    }

    @Test
    void allowRetriesWithTlsWhenTheServerRefusesPlain() {
        assumeCertificateCluster();
        PgConnection c = connect(certUser(), "sslmode=allow", clientCert(),
                "sslkey=" + TestServer.env("PGJVM_TEST_SSL_CLIENT_KEY"));
        assertTrue(c.sslInUse());
        assertEquals(TestServer.env("PGJVM_TEST_CERT_USER"), one(c.execute("SELECT current_user")));
    }

    @Test
    void allowReportsBothAttempts() {
        assumeCertificateCluster();
        PgConnectionException e = connectFails(certUser(), "sslmode=allow");
        String m = e.getMessage();
        assertTrue(m.startsWith(prefix() + "FATAL:  pg_hba.conf rejects connection for host"), m);
        assertTrue(m.contains("no encryption\n" + prefix() + "FATAL:  connection requires a valid client certificate\n"), m);
    }

    @Test
    void disableDoesNotRetry() {
        assumeCertificateCluster();
        PgConnectionException e = connectFails(certUser(), "sslmode=disable", clientCert(),
                "sslkey=" + TestServer.env("PGJVM_TEST_SSL_CLIENT_KEY"));
        assertTrue(e.getMessage().endsWith("no encryption\n"), e.getMessage());
        assertEquals(1, e.getMessage().split("connection to server at", -1).length - 1, "one attempt: " + e.getMessage());
    }

    // ------------------------------------------------------------------ channel binding

    private static String scram() {
        TestServer.assumeEnv("PGJVM_TEST_SCRAM_USER", "PGJVM_TEST_SCRAM_PASSWORD");
        return "user=" + TestServer.env("PGJVM_TEST_SCRAM_USER") + " password=" + TestServer.env("PGJVM_TEST_SCRAM_PASSWORD");
    }

    @ParameterizedTest
    @CsvSource({"require", "prefer", "disable"})
    void scramOverTls(String binding) {
        PgConnection c = connect(scram(), "sslmode=require", "channel_binding=" + binding);
        assertTrue(c.sslInUse());
        assertEquals(TestServer.env("PGJVM_TEST_SCRAM_USER"), one(c.execute("SELECT current_user")));
    }

    @Test
    void channelBindingRequiresTls() {
        PgConnectionException e = connectFails(scram(), "sslmode=disable", "channel_binding=require");
        assertEquals(prefix() + "channel binding required, but SSL not in use\n", e.getMessage());
    }

    @Test
    void channelBindingRequiresScram() {
        TestServer.assumeEnv("PGJVM_TEST_MD5_USER", "PGJVM_TEST_MD5_PASSWORD");
        PgConnectionException e = connectFails("user=" + TestServer.env("PGJVM_TEST_MD5_USER"),
                "password=" + TestServer.env("PGJVM_TEST_MD5_PASSWORD"), "sslmode=require", "channel_binding=require");
        assertEquals(prefix() + "channel binding required but not supported by server's authentication request\n",
                e.getMessage());
    }

    @Test
    void channelBindingRequiresAuthentication() {
        PgConnectionException e = connectFails("sslmode=require", "channel_binding=require");
        assertEquals(prefix() + "channel binding required, but server authenticated client without channel binding\n",
                e.getMessage());
    }

    @Test
    void channelBindingRequireWithPreferUsesTls() {
        // prefer gets TLS from this server: the binding can be made.
        assertTrue(connect(scram(), "sslmode=prefer", "channel_binding=require").sslInUse());
    }

    // ------------------------------------------------------------------ non-blocking

    @Test
    void nonBlockingConnectWithRequire() throws IOException {
        PgConnection c = connectNonBlocking("sslmode=require");
        assertTrue(c.sslInUse());
        assertEquals("t", serverSide(c)[0]);
    }

    @Test
    void nonBlockingConnectWithVerifyFullAndScramBinding() throws IOException {
        PgConnection c = connectNonBlocking(scram(), "sslmode=verify-full", "sslrootcert=" + root(), "channel_binding=require");
        assertTrue(c.sslInUse());
    }

    @Test
    void nonBlockingPreferRetriesWithoutTls() throws IOException {
        assumeCertificateCluster();
        PgConnection c = connectNonBlocking(nosslUser(), "sslmode=prefer");
        assertFalse(c.sslInUse());
        assertEquals(TestServer.env("PGJVM_TEST_NOSSL_USER"), one(c.execute("SELECT current_user")));
    }

    @Test
    void nonBlockingPreferFallsBackAfterAFailedHandshake() throws Exception {
        write(".postgresql/root.crt", otherCa());
        PgConnection c = connectNonBlocking("sslmode=prefer");
        assertFalse(c.sslInUse());
    }

    @Test
    void nonBlockingAllowRetriesWithTls() throws IOException {
        assumeCertificateCluster();
        PgConnection c = connectNonBlocking(certUser(), "sslmode=allow", clientCert(),
                "sslkey=" + TestServer.env("PGJVM_TEST_SSL_CLIENT_KEY_ENC"),
                "sslpassword=" + TestServer.env("PGJVM_TEST_SSL_CLIENT_KEY_PASSWORD"));
        assertTrue(c.sslInUse());
        assertEquals(TestServer.env("PGJVM_TEST_CERT_USER"), one(c.execute("SELECT current_user")));
    }

    @Test
    void nonBlockingFailuresSayWhatBlockingOnesSay() {
        String[] extra = {"sslmode=verify-full", "sslrootcert=" + root(), "host=wrong.example", "hostaddr=127.0.0.1"};
        PgConnectionException blocking = connectFails(extra);
        PgConnection c = PgConnection.connectStart(TestServer.dsn(extra), Map.of(), env());
        opened.add(c);
        PgConnectionException nonBlocking = assertThrows(PgConnectionException.class, () -> waitUntilOk(c, c::connectPoll));
        // PQconnectPoll's words: the first attempt's without where it went.
        String text = blocking.getMessage();
        assertEquals(text.substring(text.indexOf(" failed: ") + " failed: ".length()), nonBlocking.getMessage());
        assertTrue(c.isClosed());
    }

    @Test
    void aLargeResultThroughPollOverTls() throws Exception {
        PgConnection c = connectNonBlocking("sslmode=require");
        assertTrue(c.sslInUse());
        int n = 120_000; // 32 hex digits each: 3.8 MB in one value, in some 240 TLS records
        c.sendQuery(("SELECT string_agg(md5(i::text), '' ORDER BY i) FROM generate_series(1, " + n + ") i")
                .getBytes(StandardCharsets.US_ASCII));
        List<PollingStatus> steps = waitUntilOk(c, c::poll);
        assertTrue(steps.contains(PollingStatus.READING), "several reads: " + steps.size());
        StringBuilder expected = new StringBuilder(n * 32);
        for (int i = 1; i <= n; i++) {
            expected.append(md5Hex(Integer.toString(i)));
        }
        String got = one(c.getResult());
        assertEquals(expected.length(), got.length());
        assertTrue(expected.toString().equals(got), "the same bytes");
    }

    @Test
    void manyRowsThroughPollOverTls() throws Exception {
        PgConnection c = connectNonBlocking("sslmode=require");
        int n = 40_000; // ~5 MB of DataRows
        c.sendQuery(("SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, " + n + ") i")
                .getBytes(StandardCharsets.US_ASCII));
        waitUntilOk(c, c::poll);
        PgResult r = c.getResult();
        assertEquals(n, r.rowCount());
        r.setValueKinds(TEXT, TEXT);
        Object[][] rows = r.rows(0, n);
        for (int i : new int[] {0, 1, 9_999, 20_001, n - 1}) {
            assertEquals(Integer.toString(i + 1), rows[i][0]);
            assertEquals(md5Hex(Integer.toString(i + 1)).repeat(4), rows[i][1]);
        }
        assertNull(c.getResult());
        assertEquals("2", one(c.execute("SELECT 2")), "the session goes on, blocking");
    }

    @Test
    void aLargeQueryOverTls() throws IOException {
        PgConnection c = connectNonBlocking("sslmode=require");
        String big = "x".repeat(20 * 1024 * 1024);
        c.sendQuery(("SELECT length('" + big + "'), md5('" + big + "')").getBytes(StandardCharsets.US_ASCII));
        // Whether the socket ever fills depends on how fast the server decrypts: TlsProxyIntegrationTest
        // makes it fill for sure.
        waitUntilOk(c, c::poll);
        PgResult r = c.getResult();
        r.setValueKinds(TEXT, TEXT);
        Object[] row = r.rows(0, 1)[0];
        assertEquals(String.valueOf(big.length()), row[0]);
        assertEquals(one(c.execute("SELECT md5(repeat('x', " + big.length() + "))")), row[1]);
    }

    // ------------------------------------------------------------------ COPY over TLS

    @Test
    void copyInOfSeveralMegabytesOverTls() throws Exception {
        PgConnection c = connect("sslmode=require");
        c.execute("CREATE TEMP TABLE tls_copy_in (i int, s text)");
        assertEquals(CopyDirection.IN, c.copyStart("COPY tls_copy_in FROM STDIN"));
        int n = 60_000; // ~6 MB
        long lengths = 0;
        StringBuilder chunk = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            String s = md5Hex(Integer.toString(i)).repeat(3);
            lengths += s.length();
            chunk.append(i).append('\t').append(s).append('\n');
            if (chunk.length() > 100_000 || i == n) {
                c.copyWrite(chunk.toString(), false);
                chunk.setLength(0);
            }
        }
        assertEquals("COPY " + n, c.copyEnd(null).commandTag());
        PgResult r = c.execute("SELECT count(*), sum(i), sum(length(s)), bool_and(s = repeat(md5(i::text), 3)) FROM tls_copy_in");
        r.setValueKinds(TEXT, TEXT, TEXT, TEXT);
        Object[] row = r.rows(0, 1)[0];
        assertEquals(Integer.toString(n), row[0]);
        assertEquals(Long.toString((long) n * (n + 1) / 2), row[1]);
        assertEquals(Long.toString(lengths), row[2]);
        assertEquals("t", row[3]);
    }

    @Test
    void copyOutOfSeveralMegabytesOverTls() throws Exception {
        PgConnection c = connect("sslmode=require");
        int n = 60_000;
        assertEquals(CopyDirection.OUT, c.copyStart(
                "COPY (SELECT i, repeat(md5(i::text), 3) FROM generate_series(1, " + n + ") i) TO STDOUT"));
        StringBuilder all = new StringBuilder();
        for (String part; (part = c.copyRead(false)) != null; ) {
            all.append(part);
        }
        assertEquals("COPY " + n, c.copyEnd(null).commandTag());
        String[] lines = all.toString().split("\n");
        assertEquals(n, lines.length);
        assertEquals("1\t" + md5Hex("1").repeat(3), lines[0]);
        assertEquals(n + "\t" + md5Hex(Integer.toString(n)).repeat(3), lines[n - 1]);
    }

    @Test
    void copyMessagesOverTls() {
        PgConnection c = connect("sslmode=require");
        int n = 50_000;
        assertEquals(CopyDirection.OUT, c.copyStart("COPY (SELECT i FROM generate_series(1, " + n + ") i) TO STDOUT"));
        int count = 0;
        while (true) {
            byte[] message = c.copyReadMessage(5000);
            if (message == null) {
                assertTrue(c.copyEnded(), "no message in 5 s after " + count);
                break;
            }
            count++;
            assertEquals(count + "\n", new String(message, StandardCharsets.US_ASCII));
        }
        assertEquals(n, count);
        assertEquals("COPY " + n, c.copyEnd(null).commandTag());
    }

    // ------------------------------------------------------------------ notifications, loss

    @Test
    void notificationsArriveOverTlsThroughConsumeInput() throws Exception {
        PgConnection listener = connectNonBlocking("sslmode=require");
        PgConnection sender = connect("sslmode=require");
        listener.execute("LISTEN tls_channel");
        String payload = "p".repeat(7000);
        sender.execute("NOTIFY tls_channel, 'one'; NOTIFY tls_channel, '" + payload + "'");
        List<dev.pgjvm.core.Notification> got = new ArrayList<>();
        for (int i = 0; i < 250 && got.size() < 2; i++) {
            listener.consumeInput();
            got.addAll(listener.drainNotifications());
            if (got.size() < 2) {
                Thread.sleep(20);
            }
        }
        assertEquals(2, got.size());
        assertEquals("one", got.get(0).payload());
        assertEquals(payload, got.get(1).payload());
        assertEquals(sender.backendPid(), got.get(1).pid());
    }

    @Test
    void aTerminatedTlsSessionBreaksCleanly() {
        PgConnection victim = connect("sslmode=require");
        PgConnection admin = connect("sslmode=disable");
        assertEquals("t", one(admin.execute("SELECT pg_terminate_backend(" + victim.backendPid() + ", 5000)")));
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> victim.execute("SELECT 1"));
        if (e.serverError() != null) {
            assertEquals("57P01", e.sqlState());
        }
        assertTrue(victim.isClosed());
        assertTrue(victim.isBroken());
        assertEquals("connection already closed",
                assertThrows(PgConnectionException.class, () -> victim.execute("SELECT 1")).getMessage());
    }

    // ------------------------------------------------------------------ cancel

    @Test
    void cancelStopsABlockingQueryOverTls() throws Exception {
        PgConnection c = connect("sslmode=require");
        assertTrue(c.sslInUse());
        int pid = c.backendPid();
        CompletableFuture<PgException> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                c.execute("SELECT pg_sleep(30)");
                return null;
            } catch (PgException e) {
                return e;
            }
        });
        awaitRunning(pid);
        c.cancel();
        PgException e = outcome.get(20, TimeUnit.SECONDS);
        assertTrue(e instanceof PgServerException, String.valueOf(e));
        assertEquals("57014", ((PgServerException) e).sqlState());
        assertEquals("3", one(c.execute("SELECT 3")), "the TLS session goes on");
        assertTrue(c.sslInUse());
    }

    /**
     * Waits until the backend runs the pg_sleep: a cancel that arrives while it still reads the
     * query is ignored by the server (DoingCommandRead), with or without TLS.
     */
    private void awaitRunning(int pid) throws InterruptedException {
        PgConnection watcher = connect("sslmode=disable");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"1".equals(one(watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid
                + " AND state = 'active' AND query LIKE '%pg_sleep%'")))) {
            assertTrue(System.nanoTime() < deadline, "the query never started");
            Thread.sleep(20);
        }
    }

    @Test
    void cancelStopsANonBlockingQueryOverTls() throws Exception {
        PgConnection c = connectNonBlocking("sslmode=require");
        c.sendQuery("SELECT pg_sleep(30)".getBytes(StandardCharsets.US_ASCII));
        assertEquals(PollingStatus.READING, c.poll());
        awaitRunning(c.backendPid());
        c.cancel();
        waitUntilOk(c, c::poll);
        PgServerException e = assertThrows(PgServerException.class, c::getResult);
        assertEquals("57014", e.sqlState());
        assertEquals("4", one(c.execute("SELECT 4")));
    }
}
