package dev.pgjvm.core.auth;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The encrypted form of a password, as libpq's PQencryptPasswordConn computes it on the client
 * so that the clear text never reaches the server (ALTER ROLE ... PASSWORD '...'): "md5" or
 * "scram-sha-256", the two values of the server's password_encryption. The SCRAM verifier is
 * built with the ongres SCRAM library: a random 16-byte salt, 4096 iterations (libpq's default),
 * the password SASLprepped as PostgreSQL does.
 */
public final class PasswordEncryption {
    /** libpq's SCRAM iteration count and salt length. */
    static final int SCRAM_ITERATIONS = 4096;
    static final int SCRAM_SALT_LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordEncryption() {
    }

    /**
     * @param algorithm "md5" or "scram-sha-256" (the server's names)
     * @throws IllegalArgumentException for another algorithm, in libpq's words
     */
    public static String encrypt(String password, String user, String algorithm) {
        return switch (algorithm) {
            case "md5" -> Md5Password.stored(user, password);
            case "scram-sha-256" -> scramSha256(password, ScramFunctions.salt(SCRAM_SALT_LENGTH, RANDOM), SCRAM_ITERATIONS);
            default -> throw new IllegalArgumentException(
                    "unrecognized password encryption algorithm \"" + algorithm + "\"\n");
        };
    }

    /** "SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey", the parts in base64, as pg_authid holds it. */
    static String scramSha256(String password, byte[] salt, int iterations) {
        ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_256;
        byte[] salted = ScramFunctions.saltedPassword(mechanism, StringPreparation.POSTGRESQL_PREPARATION,
                password.toCharArray(), salt, iterations);
        byte[] storedKey = ScramFunctions.storedKey(mechanism, ScramFunctions.clientKey(mechanism, salted));
        byte[] serverKey = ScramFunctions.serverKey(mechanism, salted);
        Base64.Encoder b64 = Base64.getEncoder();
        return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
    }
}
