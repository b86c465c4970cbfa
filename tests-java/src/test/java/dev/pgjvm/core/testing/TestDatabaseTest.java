package dev.pgjvm.core.testing;

import dev.pgjvm.core.testing.TestDatabase.Choice;
import dev.pgjvm.core.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The switch between the throwaway cluster, a Testcontainers container and no server. The
 * container itself starts only where a Docker engine is (not on these machines); here the
 * rule is checked with its inputs given, and the real Docker probe is run once.
 */
class TestDatabaseTest {

    @Test
    void thePgVariablesWinWithoutAskingDocker() {
        AtomicInteger asked = new AtomicInteger();
        Choice choice = TestDatabase.choose(Map.of("PGHOST", "127.0.0.1", "PGPORT", "5432"), () -> {
            asked.incrementAndGet();
            return true;
        });
        assertEquals(Kind.CLUSTER, choice.kind());
        assertEquals(0, asked.get(), "Docker must not be probed when PG* name a server");
    }

    @Test
    void aContainerWhenNoPgVariablesAndDockerAnswers() {
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", "");            // empty counts as unset, as in libpq
        env.put("PGUSER", "someone");
        Choice choice = TestDatabase.choose(env, () -> true);
        assertEquals(Kind.CONTAINER, choice.kind());
        assertTrue(choice.reason().contains(TestDatabase.IMAGE), choice.reason());
    }

    @Test
    void noneWithItsReasonWhenNeither() {
        Choice choice = TestDatabase.choose(Map.of("PGPORT", "5432"), () -> false);
        assertEquals(Kind.NONE, choice.kind());
        assertEquals("PGHOST/PGPORT not set and no Docker engine: no test server"
                + " (eval \"$(bin/test-postgres env)\")", choice.reason());
    }

    @Test
    void thisRunsChoiceFollowsItsEnvironment() {
        String host = System.getenv("PGHOST");
        String port = System.getenv("PGPORT");
        Choice choice = TestDatabase.choice();
        if (host != null && !host.isEmpty() && port != null && !port.isEmpty()) {
            // The cluster: its variables are read as they are.
            assertEquals(Kind.CLUSTER, choice.kind());
            assertEquals(port, TestDatabase.env("PGPORT"));
            assertEquals(host, TestDatabase.serverEnvironment().get("PGHOST"));
        } else if (choice.kind() == Kind.CONTAINER) {
            // The container: its variables replace the process's.
            assertEquals(TestDatabase.SERVER_VARIABLES.size(), TestDatabase.serverEnvironment().size());
        } else {
            assertEquals(Kind.NONE, choice.kind());
            assertTrue(TestDatabase.serverEnvironment().isEmpty());
        }
    }

    @Test
    void withoutPgVariablesTheRealDockerProbeDecides() {
        // Testcontainers' own probe, whatever this process's PG* say: on a machine without a
        // Docker engine (these) it answers false and the choice is none.
        boolean docker = TestDatabase.dockerAvailable();
        Choice choice = TestDatabase.choose(Map.of(), TestDatabase::dockerAvailable);
        assertEquals(docker ? Kind.CONTAINER : Kind.NONE, choice.kind(), choice.reason());
    }
}
