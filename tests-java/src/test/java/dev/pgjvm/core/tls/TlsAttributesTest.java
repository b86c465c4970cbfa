package dev.pgjvm.core.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PQsslAttribute's "cipher" and "key_bits" as libpq with OpenSSL reports them: OpenSSL's cipher
 * names (TLS 1.3 suites keep their IANA names) and the cipher's algorithm bits
 * (SSL_get_cipher_bits' second value). The expected values are what `openssl ciphers -V
 * -stdname` prints (OpenSSL 3.0); the last test asks the machine's openssl, when there is one,
 * about every suite the JVM supports.
 */
class TlsAttributesTest {
    @ParameterizedTest
    @CsvSource({
            // IANA (JSSE) name,                         OpenSSL name
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,       ECDHE-RSA-AES256-GCM-SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,       ECDHE-RSA-AES128-GCM-SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,     ECDHE-ECDSA-AES128-GCM-SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,     ECDHE-ECDSA-AES256-GCM-SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, ECDHE-RSA-CHACHA20-POLY1305",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, ECDHE-ECDSA-CHACHA20-POLY1305",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,   DHE-RSA-CHACHA20-POLY1305",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,         DHE-RSA-AES256-GCM-SHA384",
            "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256,         DHE-DSS-AES128-GCM-SHA256",
            "TLS_RSA_WITH_AES_256_CBC_SHA,                AES256-SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA256,             AES128-SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384,             AES256-GCM-SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,       ECDHE-RSA-AES128-SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,       ECDHE-RSA-AES256-SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,          ECDHE-RSA-AES256-SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,        ECDHE-ECDSA-AES128-SHA",
            "TLS_DHE_RSA_WITH_AES_256_CBC_SHA,            DHE-RSA-AES256-SHA",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,         DHE-RSA-AES128-SHA256",
            "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256,         DHE-DSS-AES256-SHA256",
    })
    void tls12SuitesGetOpenSslNames(String iana, String openssl) {
        assertEquals(openssl, TlsAttributes.openSslCipherName(iana));
    }

    @ParameterizedTest
    @CsvSource({"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"})
    void tls13SuitesKeepTheirNames(String suite) {
        assertEquals(suite, TlsAttributes.openSslCipherName(suite));
    }

    @ParameterizedTest
    @CsvSource({
            "TLS_AES_256_GCM_SHA384,                      256",
            "TLS_AES_128_GCM_SHA256,                      128",
            "TLS_CHACHA20_POLY1305_SHA256,                256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,       256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,     128",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, 256",
            "TLS_RSA_WITH_AES_256_CBC_SHA,                256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,       128",
    })
    void keyBitsAreTheCiphersBits(String suite, int bits) {
        assertEquals(bits, TlsAttributes.keyBits(suite));
    }

    /** OpenSSL's own table: IANA name to (OpenSSL name, Enc bits), from `openssl ciphers -V -stdname`. */
    private static Map<String, String[]> opensslTable() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("openssl", "ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0")
                    .redirectErrorStream(false).start();
        } catch (IOException e) {
            return Map.of();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return Map.of();
        }
        // "0xC0,0x30 - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 - ECDHE-RSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH Au=RSA Enc=AESGCM(256) Mac=AEAD"
        Pattern line = Pattern.compile("^\\s*0x\\S+\\s+-\\s+(\\S+)\\s+-\\s+(\\S+)\\s+.*Enc=[^(]*\\((\\d+)\\)");
        Map<String, String[]> table = new HashMap<>();
        for (String l : out.split("\n")) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                table.put(m.group(1), new String[] {m.group(2), m.group(3)});
            }
        }
        return table;
    }

    @Test
    void everySuiteTheJvmSupportsIsNamedAsOpenSslNamesIt() throws Exception {
        Map<String, String[]> table = opensslTable();
        assumeTrue(!table.isEmpty(), "no openssl on this machine");
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        for (String suite : context.getSupportedSSLParameters().getCipherSuites()) {
            String[] truth = table.get(suite);
            if (truth == null) {
                continue; // not a suite OpenSSL has (TLS_EMPTY_RENEGOTIATION_INFO_SCSV, ...)
            }
            compared++;
            String name = TlsAttributes.openSslCipherName(suite);
            int bits = TlsAttributes.keyBits(suite);
            if (!truth[0].equals(name) || Integer.parseInt(truth[1]) != bits) {
                wrong.add(suite + ": OpenSSL " + truth[0] + "/" + truth[1] + ", ours " + name + "/" + bits);
            }
        }
        assertTrue(compared > 10, "compared only " + compared + " suites");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theTable() throws Exception {
        // The rows above were taken from OpenSSL: check that they still agree with it here.
        Map<String, String[]> table = opensslTable();
        assumeTrue(!table.isEmpty(), "no openssl on this machine");
        assertEquals("AES256-SHA", table.get("TLS_RSA_WITH_AES_256_CBC_SHA")[0]);
        assertEquals("ECDHE-RSA-AES128-SHA256", table.get("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")[0]);
        assertEquals("ECDHE-RSA-CHACHA20-POLY1305", table.get("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")[0]);
        assertEquals("TLS_AES_256_GCM_SHA384", table.get("TLS_AES_256_GCM_SHA384")[0]);
        assertFalse(table.containsKey("TLS_EMPTY_RENEGOTIATION_INFO_SCSV"));
    }
}
