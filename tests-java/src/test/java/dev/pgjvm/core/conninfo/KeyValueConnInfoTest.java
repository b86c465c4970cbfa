package dev.pgjvm.core.conninfo;

import dev.pgjvm.core.ConnInfoException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class KeyValueConnInfoTest {
    private static Map<String, String> parse(String dsn) {
        return ConnInfo.parse(dsn).asMap();
    }

    @Test
    void emptyAndBlankStringsGiveNoOptions() {
        assertEquals(Map.of(), parse(""));
        assertEquals(Map.of(), parse("   \t\n "));
        assertEquals(Map.of(), ConnInfo.parse(null).asMap());
    }

    @Test
    void plainPairsWithWhitespaceAroundEquals() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("host", "localhost");
        expected.put("port", "5433");
        expected.put("dbname", "test");
        assertEquals(expected, parse("host=localhost port = 5433   dbname=\ttest "));
    }

    @Test
    void quotedValuesWithEscapes() {
        assertEquals("it's a \\ test", parse("password='it\\'s a \\\\ test'").get("password"));
        assertEquals("", parse("password=''").get("password"));
        assertEquals("a b", parse("application_name = 'a b' ").get("application_name"));
    }

    @Test
    void unquotedValuesHonourBackslashToo() {
        assertEquals("a b", parse("application_name=a\\ b").get("application_name"));
    }

    @Test
    void emptyValues() {
        assertEquals("", parse("host=").get("host"));
        assertEquals("", parse("host='' port=1").get("host"));
        // libpq skips blanks after '=', so a bare "host= " swallows the next word.
        assertEquals("port=1", parse("host= port=1").get("host"));
    }

    @Test
    void laterPairsOverrideEarlier() {
        assertEquals("b", parse("dbname=a dbname=b").get("dbname"));
    }

    @Test
    void missingEquals() {
        ConnInfoException e = assertThrows(ConnInfoException.class, () -> ConnInfo.parse("abc"));
        assertEquals("missing \"=\" after \"abc\" in connection info string\n", e.getMessage());
        e = assertThrows(ConnInfoException.class, () -> ConnInfo.parse("host=x abc def=1"));
        assertEquals("missing \"=\" after \"abc\" in connection info string\n", e.getMessage());
    }

    @Test
    void unterminatedQuote() {
        ConnInfoException e = assertThrows(ConnInfoException.class, () -> ConnInfo.parse("password='abc"));
        assertEquals("unterminated quoted string in connection info string\n", e.getMessage());
        assertThrows(ConnInfoException.class, () -> ConnInfo.parse("password='abc\\'"));
    }

    @Test
    void invalidKeyword() {
        ConnInfoException e = assertThrows(ConnInfoException.class, () -> ConnInfo.parse("foo=bar"));
        assertEquals("invalid connection option \"foo\"\n", e.getMessage());
    }

    @Test
    void everyLibpq17KeywordIsAccepted() {
        String[] keywords = ("host hostaddr port dbname user password passfile channel_binding connect_timeout "
                + "client_encoding options application_name fallback_application_name keepalives keepalives_idle "
                + "keepalives_interval keepalives_count tcp_user_timeout sslmode sslcompression sslcert sslkey "
                + "sslpassword sslrootcert sslcrl sslcrldir sslsni requirepeer ssl_min_protocol_version "
                + "ssl_max_protocol_version gssencmode krbsrvname gsslib service target_session_attrs replication "
                + "sslnegotiation sslcertmode require_auth gssdelegation load_balance_hosts").split(" ");
        for (String k : keywords) {
            assertEquals("v", parse(k + "=v").get(k), k);
        }
        assertEquals(keywords.length, ConnInfoKeyword.ALL.size());
    }

    @Test
    void requiresslIsTranslated() {
        assertEquals("require", parse("requiressl=1").get("sslmode"));
        assertEquals("prefer", parse("requiressl=0").get("sslmode"));
    }

    @Test
    void overridesReplaceAndSkipNulls() {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("user", "bob");
        overrides.put("dbname", null);
        ConnInfo info = ConnInfo.parse("user=alice dbname=d").withOverrides(overrides);
        assertEquals("bob", info.get("user"));
        assertEquals("d", info.get("dbname"));
        ConnInfoException e = assertThrows(ConnInfoException.class,
                () -> ConnInfo.empty().withOverrides(Map.of("nope", "1")));
        assertEquals("invalid connection option \"nope\"\n", e.getMessage());
    }

    @Test
    void toStringHidesThePassword() {
        assertFalse(ConnInfo.parse("password=hunter2").toString().contains("hunter2"));
    }
}
