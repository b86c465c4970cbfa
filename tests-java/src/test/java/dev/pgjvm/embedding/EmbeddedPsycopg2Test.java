package dev.pgjvm.embedding;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.python.embedding.GraalPyResources;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Java application embedding the psycopg2 package from its jar: GraalPy finds the .py files
 * in the jar's virtual file system, and the package reaches java-core on the class path.
 */
class EmbeddedPsycopg2Test {

    @Test
    void queriesThroughThePackageFromTheJar() {
        EmbeddingServer.assumeAvailable();
        try (Context ctx = GraalPyResources.contextBuilder()
                .allowAllAccess(true)
                .allowEnvironmentAccess(org.graalvm.polyglot.EnvironmentAccess.INHERIT)
                .option("engine.WarnInterpreterOnly", "false")
                .build()) {
            ctx.getBindings("python").putMember("dsn", EmbeddingServer.dsn());
            Value result = ctx.eval("python", """
                    import psycopg2
                    conn = psycopg2.connect(dsn)
                    cur = conn.cursor()
                    cur.execute("SELECT %s::int4 + 1, %s", (41, 'from Java'))
                    row = cur.fetchone()
                    conn.close()
                    (psycopg2.__file__, row[0], row[1])
                    """);
            assertEquals(42, result.getArrayElement(1).asInt());
            assertEquals("from Java", result.getArrayElement(2).asString());
            String file = result.getArrayElement(0).asString();
            assertEquals(true, file.contains("graalpy_vfs") || file.contains("org.graalvm.python.vfs"),
                    "psycopg2 must come from the jar's virtual file system, got " + file);
        }
    }
}
