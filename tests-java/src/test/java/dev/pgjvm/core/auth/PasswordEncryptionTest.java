package dev.pgjvm.core.auth;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

class PasswordEncryptionTest {
    @Test
    void md5IsWhatPgAuthidStores() {
        // The value psycopg2's and libpq's tests expect for this pair.
        assertEquals("md594839d658c28a357126f105b9cb14cfc", PasswordEncryption.encrypt("psycopg2", "ashesh", "md5"));
    }

    @Test
    void scramVerifierMatchesAnIndependentComputation() throws Exception {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        String verifier = PasswordEncryption.scramSha256("pencil", salt, 4096);
        // RFC 5802: SaltedPassword = PBKDF2-HMAC-SHA-256; StoredKey = H(HMAC(SP, "Client Key")).
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("pencil".toCharArray(), salt, 4096, 256)).getEncoded();
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
        byte[] serverKey = hmac(salted, "Server Key");
        Base64.Encoder b64 = Base64.getEncoder();
        assertEquals("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey), verifier);
    }

    @Test
    void eachScramVerifierHasItsOwnSalt() {
        String a = PasswordEncryption.encrypt("secret", "u", "scram-sha-256");
        String b = PasswordEncryption.encrypt("secret", "u", "scram-sha-256");
        assertTrue(a.startsWith("SCRAM-SHA-256$4096:"), a);
        assertNotEquals(a, b);
        assertEquals(16, Base64.getDecoder().decode(a.substring(a.indexOf(':') + 1, a.indexOf('$', 15))).length);
    }

    @Test
    void anUnknownAlgorithmIsRefusedInLibpqsWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PasswordEncryption.encrypt("p", "u", "abc"));
        assertEquals("unrecognized password encryption algorithm \"abc\"\n", e.getMessage());
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
    }
}
