package dev.pgjvm.core.tls;

import dev.pgjvm.core.ConnInfoException;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.conninfo.ConnectionSettings;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * How a connection uses TLS, from its options as libpq reads them: the sslmode; the root
 * certificates (sslrootcert, ~/.postgresql/root.crt by default, or "system" for the JVM's
 * trust store) whose presence alone makes libpq check the server's chain; the client
 * certificate and key (sslcert/sslkey, ~/.postgresql/postgresql.crt/.key by default, used when
 * the certificate file exists; sslpassword for an encrypted key); the revocation lists
 * (sslcrl, ~/.postgresql/root.crl by default, and sslcrldir); SNI; the protocol range.
 * Files are read when a connection attempt negotiates TLS, so that their errors name the host.
 */
public final class TlsConfig {
    /** What libpq 17 offers through ALPN (PostgreSQL 17's direct TLS needs it; others ignore it). */
    static final String ALPN = "postgresql";
    private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private final SslMode mode;
    private final String rootCert;
    private final Path rootCertPath;
    private final Path certPath;
    /** Revocation lists: sslcrl (~/.postgresql/root.crl by default) and every list in sslcrldir. */
    private final Path crlPath;
    private final Path crlDirectory;
    private final Path keyPath;
    private final String password;
    private final boolean sni;
    private final String minProtocol;
    private final String maxProtocol;
    private final String channelBinding;
    /** sslcertmode: disable (never send a certificate), allow, require (the server must ask for one). */
    private final String certMode;

    private TlsConfig(ConnectionSettings settings) {
        this.mode = SslMode.of(value(settings, "sslmode", "prefer"));
        Path dir = settings.environment().homeDirectory() == null ? null
                : settings.environment().homeDirectory().resolve(".postgresql");
        this.rootCert = settings.get("sslrootcert");
        this.rootCertPath = fileOrDefault(rootCert, dir, "root.crt");
        this.certPath = fileOrDefault(settings.get("sslcert"), dir, "postgresql.crt");
        this.crlPath = fileOrDefault(settings.get("sslcrl"), dir, "root.crl");
        String crlDir = settings.get("sslcrldir");
        this.crlDirectory = crlDir == null || crlDir.isEmpty() ? null : Path.of(crlDir);
        this.keyPath = fileOrDefault(settings.get("sslkey"), dir, "postgresql.key");
        this.password = settings.get("sslpassword");
        this.sni = !"0".equals(settings.get("sslsni"));
        this.minProtocol = canonicalProtocol(value(settings, "ssl_min_protocol_version", "TLSv1.2"));
        this.maxProtocol = canonicalProtocol(value(settings, "ssl_max_protocol_version", "TLSv1.3"));
        this.channelBinding = value(settings, "channel_binding", "prefer");
        this.certMode = value(settings, "sslcertmode", "allow");
    }

    /**
     * The TLS side of the settings.
     *
     * @throws ConnInfoException for combinations libpq refuses before connecting
     */
    public static TlsConfig of(ConnectionSettings settings) {
        TlsConfig config = new TlsConfig(settings);
        if ("system".equals(config.rootCert) && config.mode != SslMode.VERIFY_FULL) {
            throw new ConnInfoException("weak sslmode \"" + config.mode.keyword()
                    + "\" may not be used with sslrootcert=system (use \"verify-full\")\n");
        }
        for (String keyword : List.of("ssl_min_protocol_version", "ssl_max_protocol_version")) {
            String v = settings.get(keyword);
            if (v != null && !v.isEmpty() && canonicalProtocol(v) == null) {
                throw new ConnInfoException("invalid \"" + keyword + "\" value: \"" + v + "\"\n");
            }
        }
        if (config.minProtocol != null && config.maxProtocol != null
                && PROTOCOLS.indexOf(config.minProtocol) > PROTOCOLS.indexOf(config.maxProtocol)) {
            throw new ConnInfoException("invalid SSL protocol version range\n");
        }
        return config;
    }

    /** libpq reads protocol versions whatever their case: "tlsv1.2" is TLSv1.2. Null for an unknown one. */
    private static String canonicalProtocol(String value) {
        for (String p : PROTOCOLS) {
            if (p.equalsIgnoreCase(value)) {
                return p;
            }
        }
        return null;
    }

    private static String value(ConnectionSettings settings, String keyword, String fallback) {
        String v = settings.get(keyword);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static Path fileOrDefault(String given, Path dir, String name) {
        if (given != null && !given.isEmpty()) {
            return Path.of(given);
        }
        return dir == null ? null : dir.resolve(name);
    }

    public SslMode mode() {
        return mode;
    }

    /** channel_binding: "disable", "prefer" or "require". */
    public String channelBinding() {
        return channelBinding;
    }

    /** Whether the chain is checked: in verify-ca and verify-full, and whenever root certificates exist. */
    boolean verifiesChain() {
        return mode.verifiesChain() || "system".equals(rootCert) || (rootCertPath != null && Files.exists(rootCertPath));
    }

    /** sslcertmode=require: the server must have asked for the client's certificate, and got one. */
    public boolean certificateRequired() {
        return certMode.equals("require");
    }

    /** Whether the certificate must name the host (verify-full). */
    public boolean verifiesHostName() {
        return mode == SslMode.VERIFY_FULL;
    }

    /**
     * A client engine for one attempt on {@code host} (a name, or null for an address given
     * as such: no SNI then), with the protocol range, ALPN, trust and client key set.
     *
     * @param request records whether the server asks for the client's certificate; its key
     *                manager is the engine's
     * @throws PgConnectionException for a missing or unreadable file, in libpq's words
     */
    public SSLEngine newEngine(String host, int port, CertificateRequest[] request) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            request[0] = new CertificateRequest(certMode.equals("disable") ? null : clientKeyManager());
            context.init(new javax.net.ssl.KeyManager[] {request[0]}, trustManagers(), null);
            SSLEngine engine = host == null ? context.createSSLEngine() : context.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            List<String> enabled = new ArrayList<>();
            List<String> supported = List.of(engine.getSupportedProtocols());
            for (String p : PROTOCOLS.subList(PROTOCOLS.indexOf(minProtocol), PROTOCOLS.indexOf(maxProtocol) + 1)) {
                if (supported.contains(p)) {
                    enabled.add(p);
                }
            }
            parameters.setProtocols(enabled.toArray(String[]::new));
            parameters.setApplicationProtocols(new String[] {ALPN});
            if (sni && host != null && HostNameCheck.ipLiteral(host) == null) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            } else {
                parameters.setServerNames(List.of());
            }
            engine.setSSLParameters(parameters);
            return engine;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new PgConnectionException("could not create SSL context: " + e.getMessage() + "\n", e);
        }
    }

    private TrustManager[] trustManagers() throws GeneralSecurityException {
        if ("system".equals(rootCert)) {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory.getTrustManagers();
        }
        if (rootCertPath == null || !Files.exists(rootCertPath)) {
            if (mode.verifiesChain()) {
                String why = rootCertPath == null ? "could not get home directory to locate root certificate file"
                        : "root certificate file \"" + rootCertPath + "\" does not exist";
                throw new PgConnectionException(why + "\nEither provide the file, use the system's trusted roots with "
                        + "sslrootcert=system, or change sslmode to disable server certificate verification.\n");
            }
            return new TrustManager[] {new UncheckedTrust()};
        }
        KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            roots.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate root : PemFiles.certificates(rootCertPath, "root certificate")) {
            roots.setCertificateEntry("root-" + i++, root);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        List<java.security.cert.X509CRL> crls = revocationLists();
        if (crls.isEmpty()) {
            factory.init(roots);
        } else {
            factory.init(new javax.net.ssl.CertPathTrustManagerParameters(revocationChecking(roots, crls)));
        }
        return factory.getTrustManagers();
    }

    /**
     * The revocation lists libpq would load: sslcrl's file when it exists, and the files of
     * sslcrldir that are lists. With any, every certificate of the server's chain must be
     * covered by its issuer's list, and not revoked in it (OpenSSL's CRL_CHECK_ALL).
     */
    private List<java.security.cert.X509CRL> revocationLists() {
        List<Path> files = new ArrayList<>();
        if (crlPath != null && Files.isRegularFile(crlPath)) {
            files.add(crlPath);
        }
        if (crlDirectory != null && Files.isDirectory(crlDirectory)) {
            try (var listing = Files.list(crlDirectory)) {
                listing.filter(Files::isRegularFile).sorted().forEach(files::add);
            } catch (java.io.IOException e) {
                throw new PgConnectionException("could not read SSL CRL directory \"" + crlDirectory + "\": "
                        + e.getMessage() + "\n", e);
            }
        }
        List<java.security.cert.X509CRL> crls = new ArrayList<>();
        for (Path file : files) {
            crls.addAll(PemFiles.revocationLists(file, crlDirectory != null && file.startsWith(crlDirectory)));
        }
        return crls;
    }

    private static java.security.cert.PKIXBuilderParameters revocationChecking(KeyStore roots,
            List<java.security.cert.X509CRL> crls) throws GeneralSecurityException {
        var parameters = new java.security.cert.PKIXBuilderParameters(roots, new java.security.cert.X509CertSelector());
        parameters.addCertStore(java.security.cert.CertStore.getInstance("Collection",
                new java.security.cert.CollectionCertStoreParameters(crls)));
        var checker = (java.security.cert.PKIXRevocationChecker)
                java.security.cert.CertPathBuilder.getInstance("PKIX").getRevocationChecker();
        // The lists given only: no OCSP, no download from a distribution point.
        checker.setOptions(java.util.EnumSet.of(java.security.cert.PKIXRevocationChecker.Option.PREFER_CRLS,
                java.security.cert.PKIXRevocationChecker.Option.NO_FALLBACK));
        parameters.addCertPathChecker(checker);
        parameters.setRevocationEnabled(false); // the checker above does it
        return parameters;
    }

    private javax.net.ssl.X509KeyManager clientKeyManager() throws GeneralSecurityException {
        if (certPath == null || !Files.exists(certPath)) {
            return null; // as libpq: no certificate file, no client certificate
        }
        List<X509Certificate> chain = PemFiles.certificates(certPath, "certificate");
        if (keyPath == null || !Files.exists(keyPath)) {
            throw new PgConnectionException("certificate present, but not private key file \"" + keyPath + "\"\n");
        }
        PrivateKey key = PemFiles.privateKey(keyPath, password);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        char[] secret = new char[0];
        store.setKeyEntry("client", key, secret, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, secret);
        return (javax.net.ssl.X509KeyManager) factory.getKeyManagers()[0];
    }

    /** sslmode require, prefer or allow without root certificates: libpq checks nothing. */
    private static final class UncheckedTrust implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
