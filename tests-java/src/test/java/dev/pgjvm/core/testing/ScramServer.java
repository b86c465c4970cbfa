package dev.pgjvm.core.testing;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The server half of SCRAM-SHA-256 (RFC 5802), just enough to check a client end to end
 * without a real server: builds server-first, checks the client proof, signs server-final.
 */
public final class ScramServer {
    private final String password;
    private final byte[] salt;
    private final int iterations;
    private final String serverNonce;
    private String clientFirstBare;
    private String serverFirst;

    public ScramServer(String password, byte[] salt, int iterations, String serverNonce) {
        this.password = password;
        this.salt = salt;
        this.iterations = iterations;
        this.serverNonce = serverNonce;
    }

    /** Takes "n,,n=user,r=nonce"; returns server-first-message. */
    public String serverFirst(String clientFirst) {
        clientFirstBare = clientFirst.substring(clientFirst.indexOf("n=", 3));
        String clientNonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3);
        serverFirst = "r=" + clientNonce + serverNonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
        return serverFirst;
    }

    /** Takes client-final-message; returns server-final-message, or "e=invalid-proof". */
    public String serverFinal(String clientFinal) {
        try {
            int proofAt = clientFinal.lastIndexOf(",p=");
            String withoutProof = clientFinal.substring(0, proofAt);
            byte[] proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] clientSignature = hmac(storedKey, authMessage);
            byte[] recovered = new byte[clientKey.length];
            for (int i = 0; i < recovered.length; i++) {
                recovered[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
            if (!MessageDigest.isEqual(storedKey, MessageDigest.getInstance("SHA-256").digest(recovered))) {
                return "e=invalid-proof";
            }
            byte[] serverKey = hmac(salted, "Server Key");
            return "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
