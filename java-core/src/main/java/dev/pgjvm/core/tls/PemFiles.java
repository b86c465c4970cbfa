package dev.pgjvm.core.tls;

import dev.pgjvm.core.PgConnectionException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * The PEM files of a TLS connection, read as libpq reads them: certificates (one or a chain),
 * and a private key in any of OpenSSL's PEM forms (PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE
 * KEY", PKCS#8 "PRIVATE KEY", each possibly encrypted with sslpassword) through Bouncy Castle's
 * PEM parser. Failures carry libpq's wording.
 */
final class PemFiles {
    /**
     * Bouncy Castle's provider, used for the decryption only and never installed JVM-wide: the
     * JDK's providers lack the cipher names OpenSSL's encrypted keys use (AES/CBC/PKCS7Padding).
     */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private PemFiles() {
    }

    /** The certificates of a PEM file (a chain: the leaf first), for what {@code what} names in errors. */
    static List<X509Certificate> certificates(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (out.isEmpty()) {
                throw new CertificateException("no certificate in the file");
            }
            return out;
        } catch (IOException | CertificateException e) {
            throw new PgConnectionException("could not read " + what + " file \"" + file + "\": " + e.getMessage() + "\n", e);
        }
    }

    /**
     * The revocation lists of a file (PEM, possibly several). In a CRL directory, files that
     * are not lists are skipped, as OpenSSL's lookup skips them.
     */
    static List<java.security.cert.X509CRL> revocationLists(Path file, boolean skipOthers) {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCRLs(in).stream()
                    .map(java.security.cert.X509CRL.class::cast).toList();
        } catch (IOException | java.security.cert.CRLException | CertificateException e) {
            if (skipOthers) {
                return List.of();
            }
            throw new PgConnectionException("could not load SSL certificate revocation list file \"" + file + "\": "
                    + e.getMessage() + "\n", e);
        }
    }

    /**
     * The private key of a PEM file, decrypted with {@code password} when it is encrypted.
     * As libpq, the file must not be readable by others (but the owner's group when root owns it).
     */
    static PrivateKey privateKey(Path file, String password) {
        checkPermissions(file);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            char[] secret = password == null ? new char[0] : password.toCharArray();
            return switch (object) {
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case PEMEncryptedKeyPair encrypted -> converter.getPrivateKey(decrypted(() -> encrypted
                        .decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(secret))
                        .getPrivateKeyInfo()));
                case PKCS8EncryptedPrivateKeyInfo encrypted -> converter.getPrivateKey(decrypted(() -> encrypted
                        .decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(secret))));
                case null -> throw new IOException("no private key in the file");
                default -> throw new IOException("not a private key: " + object.getClass().getSimpleName());
            };
        } catch (Exception e) {
            // A wrong password fails the decryption: OpenSSL says "bad decrypt".
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new PgConnectionException("could not load private key file \"" + file + "\": " + reason + "\n", e);
        }
    }

    private interface Decryption {
        PrivateKeyInfo run() throws Exception;
    }

    /** The decrypted key; a wrong (or missing) password fails as OpenSSL words it. */
    private static PrivateKeyInfo decrypted(Decryption decryption) throws IOException {
        try {
            return decryption.run();
        } catch (Exception e) {
            throw new IOException("bad decrypt", e);
        }
    }

    private static void checkPermissions(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new PgConnectionException("private key file \"" + file + "\" is not a regular file\n");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            boolean ownedByRoot = "root".equals(Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName());
            boolean groupOrWorld = perms.contains(PosixFilePermission.OTHERS_READ)
                    || perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.OTHERS_EXECUTE)
                    || (!ownedByRoot && (perms.contains(PosixFilePermission.GROUP_READ)))
                    || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.GROUP_EXECUTE);
            if (groupOrWorld) {
                throw new PgConnectionException("private key file \"" + file + "\" has group or world access; file must have "
                        + "permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) "
                        + "or less if owned by root\n");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: libpq does not check there either.
        }
    }
}
