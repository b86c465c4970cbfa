package dev.pgjvm.core.conninfo;

import dev.pgjvm.core.ConnInfoException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class UriConnInfoTest {
    private static Map<String, String> parse(String dsn) {
        return ConnInfo.parse(dsn).asMap();
    }

    @Test
    void fullUri() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("user", "alice");
        expected.put("password", "secret");
        expected.put("host", "db.example.com");
        expected.put("port", "5433");
        expected.put("dbname", "mydb");
        expected.put("connect_timeout", "10");
        expected.put("application_name", "app");
        assertEquals(expected, parse("postgresql://alice:secret@db.example.com:5433/mydb?connect_timeout=10&application_name=app"));
    }

    @Test
    void shortPrefixAndMinimalForms() {
        assertEquals(Map.of(), parse("postgres://"));
        assertEquals(Map.of(), parse("postgresql://"));
        assertEquals(Map.of("host", "localhost"), parse("postgresql://localhost"));
        assertEquals(Map.of("dbname", "db"), parse("postgresql:///db"));
        assertEquals(Map.of("user", "u"), parse("postgresql://u@"));
        assertEquals(Map.of("host", "h", "port", "1"), parse("postgresql://h:1"));
    }

    @Test
    void emptyPathDoesNotSetDbname() {
        assertEquals(Map.of("host", "h"), parse("postgresql://h/"));
    }

    @Test
    void percentDecoding() {
        Map<String, String> m = parse("postgresql://us%40er:p%3Ass%2Fw@h/d%20b?options=-c%20x%3D1");
        assertEquals("us@er", m.get("user"));
        assertEquals("p:ss/w", m.get("password"));
        assertEquals("d b", m.get("dbname"));
        assertEquals("-c x=1", m.get("options"));
        assertEquals("é", parse("postgresql:///%C3%A9").get("dbname"));
    }

    @Test
    void unixSocketDirectoryAsEncodedHost() {
        assertEquals("/var/run/postgresql", parse("postgresql://%2Fvar%2Frun%2Fpostgresql/db").get("host"));
        assertEquals("/tmp", parse("postgresql:///db?host=/tmp").get("host"));
    }

    @Test
    void ipv6Hosts() {
        Map<String, String> m = parse("postgresql://[::1]:5433/db");
        assertEquals("::1", m.get("host"));
        assertEquals("5433", m.get("port"));
        assertEquals("fe80::1%eth0", parse("postgresql://[fe80::1%25eth0]").get("host"));
    }

    @Test
    void hostListsStayCommaSeparated() {
        Map<String, String> m = parse("postgresql://h1:1,[::1]:2,h3/db");
        assertEquals("h1,::1,h3", m.get("host"));
        assertEquals("1,2,", m.get("port"));
    }

    @Test
    void jdbcSslTrue() {
        assertEquals("require", parse("postgresql://h?ssl=true").get("sslmode"));
    }

    @Test
    void errors() {
        assertError("end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://[::1\"\n",
                "postgresql://[::1");
        assertError("IPv6 host address may not be empty in URI: \"postgresql://[]\"\n", "postgresql://[]");
        assertError("unexpected character \"x\" at position 19 in URI (expected \":\" or \"/\"): \"postgresql://[::1]x\"\n",
                "postgresql://[::1]x");
        assertError("invalid URI query parameter: \"foo\"\n", "postgresql://h?foo=1");
        assertError("missing key/value separator \"=\" in URI query parameter: \"foo\"\n", "postgresql://h?foo");
        assertError("extra key/value separator \"=\" in URI query parameter: \"port\"\n", "postgresql://h?port=1=2");
        assertError("invalid percent-encoded token: \"a%zz\"\n", "postgresql://a%zz@h");
        assertError("invalid percent-encoded token: \"a%2\"\n", "postgresql:///a%2");
        assertError("forbidden value %00 in percent-encoded value: \"a%00\"\n", "postgresql:///a%00");
    }

    private static void assertError(String message, String uri) {
        ConnInfoException e = assertThrows(ConnInfoException.class, () -> ConnInfo.parse(uri));
        assertEquals(message, e.getMessage());
    }
}
