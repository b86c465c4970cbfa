package dev.pgjvm.embedding;

import org.junit.jupiter.api.Test;
import org.python.util.PythonInterpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Java application embedding Jython 2.7 (PythonInterpreter): the psycopg2 package imported
 * from its jar (the .py files GraalPy reads there are class-path resources to Jython), on
 * java-core, behaving as psycopg2 2.8 does on Python 2.
 */
class JythonEmbeddingTest {

    @Test
    void queriesThroughThePackageFromTheJar() {
        EmbeddingServer.assumeAvailable();
        try (PythonInterpreter python = new PythonInterpreter()) {
            python.set("dsn", EmbeddingServer.dsn());
            python.exec("""
                    import sys
                    sys.path.append('__pyclasspath__/org.graalvm.python.vfs/src')
                    import psycopg2
                    conn = psycopg2.connect(dsn)
                    cur = conn.cursor()
                    cur.execute("SELECT %s::int4 + 1, %s", (41, u'from Java \\u2603'))
                    row = cur.fetchone()
                    conn.close()
                    """);
            assertEquals(42, python.eval("row[0]").asInt());
            // Text comes back as str, its UTF-8 bytes, as psycopg2 2.8 gives it on Python 2.
            assertEquals("str", python.eval("type(row[1]).__name__").toString());
            assertEquals("from Java \u2603", python.eval("row[1].decode('utf-8')").toString());
            assertEquals("2.8.6 (dt dec pq3 ext lo64)", python.eval("psycopg2.__version__").toString());
            String file = python.eval("psycopg2.__file__").toString();
            assertTrue(file.startsWith("__pyclasspath__/org.graalvm.python.vfs/src/psycopg2/"),
                    "psycopg2 must come from the jar, got " + file);
        }
    }
}
