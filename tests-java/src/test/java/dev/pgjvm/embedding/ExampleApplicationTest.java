package dev.pgjvm.embedding;

import dev.pgjvm.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * examples/embedding, built and run as its README says: a Maven project whose one dependency
 * is dev.pgjvm:psycopg2 as installed in the local repository. It runs during `mvn install`
 * of the whole project, after the psycopg2 module has been installed; offline, with the
 * plugins that build has already fetched.
 */
class ExampleApplicationTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("basedir", "."))
            .toAbsolutePath().resolve("../examples/embedding").normalize();

    @Test
    void buildsWithTheOneDependencyAndRunsJavaAndPythonQueries() throws Exception {
        EmbeddingServer.assumeAvailable();
        String mvn = onPath("mvn");
        assumeTrue(mvn != null, "no mvn on PATH");
        String javaHome = System.getProperty("java.home");

        List<String> build = new ArrayList<>(List.of(mvn, "-o", "-q", "-B", "package"));
        String localRepository = System.getProperty("maven.repo.local");
        if (localRepository != null) {
            build.add("-Dmaven.repo.local=" + localRepository);
        }
        Run built = run(build, javaHome);
        assertEquals(0, built.status, "mvn package of examples/embedding:\n" + built.output);

        String classPath = EXAMPLE.resolve("target/classes") + File.pathSeparator
                + Files.readString(EXAMPLE.resolve("target/classpath.txt")).strip();
        Run ran = run(List.of(Path.of(javaHome, "bin", "java").toString(), "-cp", classPath,
                "dev.pgjvm.example.Main"), javaHome);
        assertEquals(0, ran.status, "the example application:\n" + ran.output);

        List<String> results = ran.output.lines()
                .filter(line -> line.startsWith("java: ") || line.startsWith("python ")
                        || line.startsWith("pool: "))
                .toList();
        assertEquals(7, results.size(), ran.output);
        assertTrue(results.get(0).matches("java: database \\S+, server version \\d+"), results.get(0));
        assertEquals(List.of(
                "python load_visits.py: inserted 5 rows",
                "python summarize_visits.py: Lyon: 2 visits, 45 minutes",
                "python summarize_visits.py: Oslo: 2 visits, 50 minutes",
                "python summarize_visits.py: Quito: 1 visits, 60 minutes",
                "java: 5 rows, 155 minutes in all"), results.subList(1, 6));
        // One pool for both sides: Java borrowed three times, each script's connect() once, all
        // from the one session the pool made (they ran one after the other), which is back.
        assertTrue(results.get(6).matches("pool: 1 session\\(s\\) made, lent 5 times \\(3 to java,"
                + " 2 to the python scripts\\), 0 lent out now; java's backend pid\\(s\\): \\[\\d+]"),
                results.get(6));
    }

    private record Run(int status, String output) {
    }

    /** Runs the command in the example's folder; a generous bound so that a hang fails the test. */
    private static Run run(List<String> command, String javaHome) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(EXAMPLE.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome);
        // The server's PG* variables: inherited for the cluster, a container's spelled out.
        builder.environment().putAll(TestDatabase.serverEnvironment());
        Path log = Files.createTempFile("embedding-example", ".log");
        try {
            builder.redirectOutput(log.toFile());
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                return new Run(-1, "(no end after 10 minutes)\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
