package dev.pgjvm.core.tls;

import dev.pgjvm.core.ConnInfoException;
import dev.pgjvm.core.conninfo.ClientEnvironment;
import dev.pgjvm.core.conninfo.ConnInfo;
import dev.pgjvm.core.conninfo.ConnectionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libpq's six sslmodes, and the option combinations TlsConfig refuses before connecting. */
class SslModeTest {
    @TempDir
    Path home;

    @ParameterizedTest
    @CsvSource({"disable, DISABLE", "allow, ALLOW", "prefer, PREFER", "require, REQUIRE",
            "verify-ca, VERIFY_CA", "verify-full, VERIFY_FULL"})
    void keywordsRoundTrip(String keyword, SslMode mode) {
        assertEquals(mode, SslMode.of(keyword));
        assertEquals(keyword, mode.keyword());
    }

    @ParameterizedTest
    @EnumSource(SslMode.class)
    void onlyTheStrictModesRequireTls(SslMode mode) {
        boolean strict = mode == SslMode.REQUIRE || mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
        assertEquals(strict, mode.requiresTls());
    }

    @ParameterizedTest
    @EnumSource(SslMode.class)
    void onlyTheVerifyModesAlwaysCheckTheChain(SslMode mode) {
        boolean verify = mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
        assertEquals(verify, mode.verifiesChain());
    }

    private TlsConfig config(String dsn) {
        ClientEnvironment env = new ClientEnvironment(new HashMap<>(), "nobody", home, List.of(home.resolve("no-socket")));
        return TlsConfig.of(ConnectionSettings.resolve(ConnInfo.parse("host=127.0.0.1 " + dsn), env));
    }

    @Test
    void preferIsTheDefault() {
        assertEquals(SslMode.PREFER, config("").mode());
        assertEquals("prefer", config("").channelBinding());
        assertFalse(config("").verifiesHostName());
        assertTrue(config("sslmode=verify-full").verifiesHostName());
        assertFalse(config("sslmode=verify-ca").verifiesHostName());
    }

    @Test
    void theSslmodeVariableCounts() {
        ClientEnvironment env = new ClientEnvironment(new HashMap<>(Map.of("PGSSLMODE", "require")), "nobody", home,
                List.of(home.resolve("no-socket")));
        assertEquals(SslMode.REQUIRE, TlsConfig.of(ConnectionSettings.resolve(ConnInfo.parse("host=127.0.0.1"), env)).mode());
    }

    @ParameterizedTest
    @CsvSource({"disable", "allow", "prefer", "require", "verify-ca"})
    void systemRootsWantVerifyFull(String mode) {
        // libpq 16+: any sslmode but verify-full, disable included.
        ConnInfoException e = assertThrows(ConnInfoException.class, () -> config("sslrootcert=system sslmode=" + mode));
        assertEquals("weak sslmode \"" + mode + "\" may not be used with sslrootcert=system (use \"verify-full\")\n",
                e.getMessage());
    }

    @Test
    void systemRootsWithVerifyFull() {
        assertEquals(SslMode.VERIFY_FULL, config("sslrootcert=system sslmode=verify-full").mode());
    }

    @Test
    void systemRootsMakeVerifyFullTheDefault() {
        // libpq (conninfo_add_defaults): "When using sslrootcert=system, the default sslmode is
        // changed to verify-full".
        assertEquals(SslMode.VERIFY_FULL, config("sslrootcert=system").mode());
    }

    @Test
    void protocolVersionsAreChecked() {
        ConnInfoException e = assertThrows(ConnInfoException.class, () -> config("ssl_min_protocol_version=TLSv2"));
        assertEquals("invalid \"ssl_min_protocol_version\" value: \"TLSv2\"\n", e.getMessage()); // libpq 17's wording
        e = assertThrows(ConnInfoException.class, () -> config("ssl_max_protocol_version=SSLv3"));
        assertEquals("invalid \"ssl_max_protocol_version\" value: \"SSLv3\"\n", e.getMessage());
        e = assertThrows(ConnInfoException.class,
                () -> config("ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2"));
        assertEquals("invalid SSL protocol version range\n", e.getMessage());
        e = assertThrows(ConnInfoException.class, () -> config("ssl_max_protocol_version=TLSv1.1"));
        assertEquals("invalid SSL protocol version range\n", e.getMessage(), "against the default minimum, TLSv1.2");
        assertEquals(SslMode.PREFER, config("ssl_min_protocol_version=TLSv1 ssl_max_protocol_version=TLSv1.1").mode());
    }

    @Test
    void protocolVersionsIgnoreCase() {
        // libpq compares them with pg_strcasecmp.
        assertEquals(SslMode.PREFER, config("ssl_min_protocol_version=tlsv1.2 ssl_max_protocol_version=tlsv1.3").mode());
    }
}
