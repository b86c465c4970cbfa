package dev.pgjvm.core.auth;

import dev.pgjvm.core.PgConnectionException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** RFC 7677 section 3's example exchange, run through our wrapper of the ongres client. */
class ScramSha256ExchangeTest {
    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL =
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    /** RFC 7677's ServerSignature: base64 of HMAC(ServerKey, AuthMessage), 44 characters. */
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static ScramSha256Exchange rfcExchange() {
        return new ScramSha256Exchange("user", "pencil", () -> CLIENT_NONCE);
    }

    @Test
    void rfc7677Example() {
        ScramSha256Exchange scram = rfcExchange();
        assertEquals("n,,n=user,r=" + CLIENT_NONCE, new String(scram.clientFirstMessage(), StandardCharsets.US_ASCII));
        assertEquals(CLIENT_FINAL, new String(scram.clientFinalMessage(ascii(SERVER_FIRST)), StandardCharsets.US_ASCII));
        assertDoesNotThrow(() -> scram.verifyServerFinalMessage(ascii(SERVER_FINAL)));
    }

    @Test
    void aWrongServerSignatureIsRefused() {
        ScramSha256Exchange scram = rfcExchange();
        scram.clientFirstMessage();
        scram.clientFinalMessage(ascii(SERVER_FIRST));
        PgConnectionException e = assertThrows(PgConnectionException.class,
                () -> scram.verifyServerFinalMessage(ascii("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        assertEquals("incorrect server signature\n", e.getMessage());
    }

    @Test
    void aServerNonceNotExtendingOursIsRefused() {
        ScramSha256Exchange scram = rfcExchange();
        scram.clientFirstMessage();
        assertThrows(PgConnectionException.class,
                () -> scram.clientFinalMessage(ascii("r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
    }

    @Test
    void serverErrorIsReported() {
        ScramSha256Exchange scram = rfcExchange();
        scram.clientFirstMessage();
        scram.clientFinalMessage(ascii(SERVER_FIRST));
        assertThrows(PgConnectionException.class, () -> scram.verifyServerFinalMessage(ascii("e=invalid-proof")));
    }

    @Test
    void postgresUsesAPlaceholderUserName() {
        String first = new String(new ScramSha256Exchange("pw").clientFirstMessage(), StandardCharsets.US_ASCII);
        assertTrue(first.startsWith("n,,n=*,r="), first);
    }
}
