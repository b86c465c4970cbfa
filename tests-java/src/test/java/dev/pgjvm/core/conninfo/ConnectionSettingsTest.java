package dev.pgjvm.core.conninfo;

import dev.pgjvm.core.ConnInfoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConnectionSettingsTest {
    @TempDir
    Path tmp;

    private ClientEnvironment env(Map<String, String> vars) {
        return new ClientEnvironment(vars, "osuser", tmp.resolve("home"),
                List.of(tmp.resolve("run"), tmp.resolve("tmp")));
    }

    private ConnectionSettings resolve(String dsn, Map<String, String> vars) {
        return ConnectionSettings.resolve(ConnInfo.parse(dsn), env(vars));
    }

    @Test
    void defaultsWithNothingGiven() {
        ConnectionSettings s = resolve("", Map.of());
        assertEquals("osuser", s.user());
        assertEquals("osuser", s.dbname());
        assertEquals(List.of(new HostTarget(HostTarget.Kind.UNIX_SOCKET, tmp.resolve("run").toString(), null, 5432)),
                s.targets());
        assertEquals("5432", s.get("port"));
        assertEquals("prefer", s.get("sslmode"));
        assertEquals(tmp.resolve("home").resolve(".pgpass").toString(), s.get("passfile"));
        assertNull(resolve("password=given", Map.of()).get("passfile"), "libpq: no password file when a password is given");
        assertNull(s.get("host"), "like PQconninfo, the default host is not an option value");
        assertEquals(0, s.connectTimeoutSeconds());
    }

    @Test
    void libpq17DefaultsOfItsNewerKeywords() {
        ConnectionSettings s = resolve("", Map.of());
        assertEquals("prefer", s.get("gssencmode"));
        assertEquals("0", s.get("gssdelegation"));
        assertEquals("disable", s.get("load_balance_hosts"));
        assertEquals("postgres", s.get("sslnegotiation"));
        assertEquals("allow", s.get("sslcertmode"));
        assertNull(s.get("require_auth"));
        assertEquals("random", resolve("", Map.of("PGLOADBALANCEHOSTS", "random")).get("load_balance_hosts"));
    }

    @Test
    void newerChoicesAreChecked() {
        for (String dsn : List.of("sslnegotiation=indirect", "sslcertmode=maybe", "load_balance_hosts=roundrobin")) {
            ConnInfoException e = assertThrows(ConnInfoException.class, () -> resolve(dsn, Map.of()));
            String[] kv = dsn.split("=");
            assertEquals("invalid " + kv[0] + " value: \"" + kv[1] + "\"\n", e.getMessage());
        }
    }

    @Test
    void environmentFillsWhatTheDsnLacks() {
        Map<String, String> vars = new HashMap<>();
        vars.put("PGHOST", "envhost");
        vars.put("PGPORT", "6000");
        vars.put("PGUSER", "envuser");
        vars.put("PGDATABASE", "envdb");
        vars.put("PGPASSWORD", "envpw");
        vars.put("PGOPTIONS", "-c search_path=x");
        vars.put("PGAPPNAME", "envapp");
        vars.put("PGCONNECT_TIMEOUT", "1");
        vars.put("PGCLIENTENCODING", "LATIN1");
        vars.put("PGSSLMODE", "disable");
        ConnectionSettings s = resolve("dbname=given", vars);
        assertEquals("envuser", s.user());
        assertEquals("given", s.dbname());
        assertEquals(List.of(new HostTarget(HostTarget.Kind.TCP, "envhost", null, 6000)), s.targets());
        assertEquals("envpw", s.get("password"));
        assertEquals("disable", s.get("sslmode"));
        assertEquals(2, s.connectTimeoutSeconds(), "libpq raises 1 second to 2");
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", "envuser");
        startup.put("database", "given");
        startup.put("options", "-c search_path=x");
        startup.put("application_name", "envapp");
        startup.put("client_encoding", "LATIN1");
        assertEquals(startup, s.startupParameters());
    }

    @Test
    void startupParametersFollowLibpq() {
        ConnectionSettings s = resolve("user=u dbname=d replication=database fallback_application_name=fb client_encoding=auto", Map.of());
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", "u");
        startup.put("database", "d");
        startup.put("replication", "database");
        startup.put("application_name", "fb");
        startup.put("client_encoding", "UTF8");
        assertEquals(startup, s.startupParameters());
        assertEquals("app", resolve("application_name=app fallback_application_name=fb", Map.of())
                .startupParameters().get("application_name"));
    }

    @Test
    void explicitEmptyValueBeatsTheEnvironment() {
        ConnectionSettings s = resolve("host=''", Map.of("PGHOST", "envhost"));
        assertEquals(HostTarget.Kind.UNIX_SOCKET, s.targets().get(0).kind());
    }

    @Test
    void defaultSocketDirectoryFallsBackWhereTheSocketExists() throws IOException {
        Files.createDirectories(tmp.resolve("tmp"));
        Files.createFile(tmp.resolve("tmp").resolve(".s.PGSQL.5433"));
        HostTarget t = resolve("port=5433", Map.of()).targets().get(0);
        assertEquals(tmp.resolve("tmp").toString(), t.host());
        assertEquals(tmp.resolve("tmp").resolve(".s.PGSQL.5433"), t.socketPath());
    }

    @Test
    void hostListsAndPorts() {
        ConnectionSettings s = resolve("host=a,/sock,b port=1,2,3", Map.of());
        assertEquals(List.of(
                new HostTarget(HostTarget.Kind.TCP, "a", null, 1),
                new HostTarget(HostTarget.Kind.UNIX_SOCKET, "/sock", null, 2),
                new HostTarget(HostTarget.Kind.TCP, "b", null, 3)), s.targets());
        assertEquals(List.of(5, 5), resolve("host=a,b port=5", Map.of()).targets().stream().map(HostTarget::port).toList());
        assertEquals(List.of(5432, 7), resolve("host=a,b port=,7", Map.of()).targets().stream().map(HostTarget::port).toList());
        ConnInfoException e = assertThrows(ConnInfoException.class, () -> resolve("host=a,b port=1,2,3", Map.of()));
        assertEquals("could not match 3 port numbers to 2 hosts\n", e.getMessage());
    }

    @Test
    void hostaddr() {
        assertEquals(List.of(new HostTarget(HostTarget.Kind.TCP, "name", "10.0.0.1", 5432)),
                resolve("host=name hostaddr=10.0.0.1", Map.of()).targets());
        // Only an address: shown as the host, but no host name to check a certificate against.
        assertEquals(List.of(new HostTarget(HostTarget.Kind.TCP, "10.0.0.1", "10.0.0.1", 5432, false)),
                resolve("hostaddr=10.0.0.1", Map.of()).targets());
        assertNull(resolve("hostaddr=10.0.0.1", Map.of()).targets().get(0).givenHost());
        ConnInfoException e = assertThrows(ConnInfoException.class, () -> resolve("host=a,b hostaddr=1.2.3.4", Map.of()));
        assertEquals("could not match 2 host names to 1 hostaddr values\n", e.getMessage());
    }

    @Test
    void invalidValuesUseLibpqWording() {
        assertEquals("invalid integer value \"abc\" for connection option \"port\"\n",
                assertThrows(ConnInfoException.class, () -> resolve("port=abc", Map.of())).getMessage());
        assertEquals("invalid port number: \"70000\"\n",
                assertThrows(ConnInfoException.class, () -> resolve("port=70000", Map.of())).getMessage());
        assertEquals("invalid sslmode value: \"sometimes\"\n",
                assertThrows(ConnInfoException.class, () -> resolve("sslmode=sometimes", Map.of())).getMessage());
        assertEquals("invalid integer value \"soon\" for connection option \"connect_timeout\"\n",
                assertThrows(ConnInfoException.class, () -> resolve("connect_timeout=soon", Map.of())).getMessage());
        assertEquals("invalid target_session_attrs value: \"x\"\n",
                assertThrows(ConnInfoException.class, () -> resolve("target_session_attrs=x", Map.of())).getMessage());
    }

    @Test
    void dsnParametersLeaveThePasswordOut() {
        Map<String, String> m = resolve("host=h user=u password=secret dbname=d", Map.of()).dsnParameters();
        assertFalse(m.containsKey("password"));
        assertEquals("h", m.get("host"));
        assertEquals("u", m.get("user"));
        assertEquals("d", m.get("dbname"));
        assertEquals("5432", m.get("port"));
        assertEquals("any", m.get("target_session_attrs"));
        List<String> libpqOrder = ConnInfoKeyword.ALL.stream().map(ConnInfoKeyword::name).filter(m::containsKey).toList();
        assertEquals(libpqOrder, List.copyOf(m.keySet()), "in libpq's keyword order");
        assertThrows(UnsupportedOperationException.class, () -> m.put("password", "x"));
    }

    @Test
    void passwordComesFromTheDsnFirstThenThePasswordFile() throws IOException {
        Path pgpass = tmp.resolve("pgpass");
        Files.writeString(pgpass, "h:5432:d:u:frompgpass\nlocalhost:*:*:u:forsocket\n");
        PgPassFileTest.restrict(pgpass);
        Map<String, String> vars = Map.of("PGPASSFILE", pgpass.toString());
        ConnectionSettings explicit = resolve("host=h user=u dbname=d password=given", vars);
        assertEquals("given", explicit.passwordFor(explicit.targets().get(0)).password());
        ConnectionSettings fromFile = resolve("host=h user=u dbname=d", vars);
        assertEquals("frompgpass", fromFile.passwordFor(fromFile.targets().get(0)).password());
        ConnectionSettings socket = resolve("user=u dbname=d", vars);
        assertEquals("forsocket", socket.passwordFor(socket.targets().get(0)).password(),
                "the default socket directory matches 'localhost'");
        ConnectionSettings otherSocket = resolve("host=/elsewhere user=u dbname=d", vars);
        assertNull(otherSocket.passwordFor(otherSocket.targets().get(0)).password());
    }
}
