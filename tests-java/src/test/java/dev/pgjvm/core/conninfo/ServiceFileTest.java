package dev.pgjvm.core.conninfo;

import dev.pgjvm.core.ConnInfoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ServiceFileTest {
    @TempDir
    Path tmp;

    private ClientEnvironment env(Map<String, String> variables) {
        return new ClientEnvironment(variables, "me", tmp.resolve("home"));
    }

    @Test
    void theServicesSectionGivesItsOptions() throws IOException {
        Path file = tmp.resolve("services");
        Files.writeString(file, """
                # comment
                [other]
                host=elsewhere

                [main]
                  host=db.example
                port=6543
                options=-c search_path=x
                [after]
                port=1
                """);
        assertEquals(Map.of("host", "db.example", "port", "6543", "options", "-c search_path=x"),
                ServiceFile.read(file, "main"));
        assertNull(ServiceFile.read(file, "missing"));
    }

    @Test
    void theUsersFileComesBeforeTheSystemsAndMissingServicesFail() throws IOException {
        Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(tmp.resolve("home/.pg_service.conf"), "[s]\nhost=mine\n");
        Files.writeString(tmp.resolve("etc/pg_service.conf"), "[s]\nhost=system\n[t]\nhost=system-t\n");
        ClientEnvironment env = env(Map.of("PGSYSCONFDIR", tmp.resolve("etc").toString()));
        assertEquals("mine", ServiceFile.lookup("s", env).get("host"));
        assertEquals("system-t", ServiceFile.lookup("t", env).get("host"));
        assertEquals("definition of service \"u\" not found\n",
                assertThrows(ConnInfoException.class, () -> ServiceFile.lookup("u", env)).getMessage());
        ClientEnvironment missingFile = env(Map.of("PGSERVICEFILE", tmp.resolve("nope").toString()));
        assertEquals("service file \"" + tmp.resolve("nope") + "\" not found\n",
                assertThrows(ConnInfoException.class, () -> ServiceFile.lookup("s", missingFile)).getMessage());
    }

    @Test
    void syntaxErrorsNameTheLine() throws IOException {
        Path file = tmp.resolve("services");
        Files.writeString(file, "[a]\nhost=x\nnonsense\n[b]\nservice=a\n[c]\nnot_a_keyword=1\n");
        assertEquals("syntax error in service file \"" + file + "\", line 3\n",
                assertThrows(ConnInfoException.class, () -> ServiceFile.read(file, "a")).getMessage());
        assertEquals("nested service specifications not supported in service file \"" + file + "\", line 5\n",
                assertThrows(ConnInfoException.class, () -> ServiceFile.read(file, "b")).getMessage());
        assertEquals("syntax error in service file \"" + file + "\", line 7\n",
                assertThrows(ConnInfoException.class, () -> ServiceFile.read(file, "c")).getMessage());
    }

    @Test
    void theDsnWinsOverTheServiceAndTheServiceOverTheEnvironment() throws IOException {
        Path file = tmp.resolve("services");
        Files.writeString(file, "[s]\nhost=from-service\nport=7000\ndbname=svcdb\n");
        ClientEnvironment env = env(Map.of("PGSERVICEFILE", file.toString(), "PGPORT", "8000", "PGUSER", "envuser"));
        ConnectionSettings s = ConnectionSettings.resolve(ConnInfo.parse("service=s dbname=mine"), env);
        assertEquals("from-service", s.get("host"));
        assertEquals("7000", s.get("port"));
        assertEquals("mine", s.get("dbname"));
        assertEquals("envuser", s.get("user"));
        ClientEnvironment byVariable = env(Map.of("PGSERVICEFILE", file.toString(), "PGSERVICE", "s"));
        assertEquals("svcdb", ConnectionSettings.resolve(ConnInfo.parse(""), byVariable).get("dbname"));
    }
}
