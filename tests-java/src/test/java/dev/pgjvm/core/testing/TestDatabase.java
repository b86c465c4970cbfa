package dev.pgjvm.core.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which PostgreSQL server the tests that need one run against, chosen once per run:
 * <ol>
 *   <li>the one the PG* variables name when PGHOST and PGPORT are set (the throwaway cluster
 *       of bin/test-postgres, with its PGJVM_TEST_* extras);</li>
 *   <li>else, when a Docker engine answers, one {@value #IMAGE} container started through
 *       Testcontainers for the whole run (removed by Testcontainers when the JVM ends);</li>
 *   <li>else none, and those tests are skipped.</li>
 * </ol>
 * {@link #env} gives the chosen server's PG* variables, so that TestServer and EmbeddingServer
 * read them in one place.
 */
public final class TestDatabase {
    /** The image of the container, when it comes to one. */
    public static final String IMAGE = "postgres:15";
    /** The variables that describe the server, which the container's values replace. */
    public static final List<String> SERVER_VARIABLES = List.of("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE");

    public enum Kind { CLUSTER, CONTAINER, NONE }

    /** A choice and why it was made. */
    public record Choice(Kind kind, String reason) {
    }

    private static Choice choice;
    private static Map<String, String> containerVariables = Map.of();
    private static RuntimeException containerFailure;

    private TestDatabase() {
    }

    /**
     * The rule, apart from its inputs: {@code dockerAvailable} is asked only when the
     * environment names no server.
     */
    public static Choice choose(Map<String, String> environment, BooleanSupplier dockerAvailable) {
        if (!blank(environment.get("PGHOST")) && !blank(environment.get("PGPORT"))) {
            return new Choice(Kind.CLUSTER, "PGHOST/PGPORT set: the server they name (bin/test-postgres's cluster)");
        }
        if (dockerAvailable.getAsBoolean()) {
            return new Choice(Kind.CONTAINER, "PGHOST/PGPORT not set and a Docker engine answers: a "
                    + IMAGE + " container (Testcontainers)");
        }
        return new Choice(Kind.NONE, "PGHOST/PGPORT not set and no Docker engine: no test server"
                + " (eval \"$(bin/test-postgres env)\")");
    }

    /** Whether Testcontainers finds a Docker engine that answers. */
    public static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** This run's choice; the first call starts the container when it is the one. */
    public static synchronized Choice choice() {
        if (choice == null) {
            Choice chosen = choose(System.getenv(), TestDatabase::dockerAvailable);
            if (chosen.kind() == Kind.CONTAINER) {
                try {
                    containerVariables = startContainer();
                } catch (RuntimeException e) {
                    containerFailure = e;
                }
            }
            choice = chosen;
        }
        if (containerFailure != null) {
            throw new IllegalStateException("a Docker engine answers, but the " + IMAGE
                    + " container did not start", containerFailure);
        }
        return choice;
    }

    /** Skips the calling test when there is no server. */
    public static void assumeAvailable() {
        Choice chosen = choice();
        assumeTrue(chosen.kind() != Kind.NONE, chosen.reason());
    }

    /**
     * A variable of the environment, null when unset or empty; for the {@link #SERVER_VARIABLES},
     * the container's value when the container is the server.
     */
    public static String env(String name) {
        if (SERVER_VARIABLES.contains(name) && choice().kind() == Kind.CONTAINER) {
            return containerVariables.get(name);
        }
        String value = System.getenv(name);
        return blank(value) ? null : value;
    }

    /** The server's variables that are set, for a child process's environment. */
    public static Map<String, String> serverEnvironment() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String name : SERVER_VARIABLES) {
            String value = env(name);
            if (value != null) {
                variables.put(name, value);
            }
        }
        return variables;
    }

    private static Map<String, String> startContainer() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(IMAGE));
        container.start();
        return Map.of(
                "PGHOST", container.getHost(),
                "PGPORT", String.valueOf(container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT)),
                "PGUSER", container.getUsername(),
                "PGPASSWORD", container.getPassword(),
                "PGDATABASE", container.getDatabaseName());
    }

    private static boolean blank(String value) {
        return value == null || value.isEmpty();
    }
}
