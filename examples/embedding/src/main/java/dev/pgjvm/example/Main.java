package dev.pgjvm.example;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.ValueKind;
import dev.pgjvm.embedding.Psycopg2Contexts;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * A Java application that queries PostgreSQL through java-core and hands work to two psycopg2
 * scripts (src/main/resources/scripts), each run in its own sandboxed context on one engine.
 *
 * <p>Argument: a DSN (default: the PG* environment variables, as libpq reads them).
 */
public final class Main {
    public static void main(String[] args) throws IOException {
        String dsn = args.length > 0 ? args[0] : "";
        String table = "embedding_example_" + ProcessHandle.current().pid();
        try (PgConnection java = PgConnection.connect(dsn, Map.of())) {
            // 1. From Java, through java-core.
            Object[] row = firstRow(java, "SELECT current_database(), current_setting('server_version_num')::int8");
            System.out.println("java: database " + row[0] + ", server version " + row[1]);
            java.execute("CREATE TABLE " + table + " (city text, minutes int4)");
            try {
                // 2. From Python: the scripts see no environment variables in their sandbox,
                // so they get the options this connection used.
                String scriptDsn = dsnOf(java);
                // One engine for both contexts: what one compiles, the other reuses.
                try (Engine engine = Engine.newBuilder("python")
                        .option("engine.WarnInterpreterOnly", "false")
                        .build()) {
                    System.out.println("engine: " + engine.getImplementationName());
                    int loaded = runScript(engine, "scripts/load_visits.py", scriptDsn, table, Value::asInt);
                    System.out.println("python load_visits.py: inserted " + loaded + " rows");
                    String[] summary = runScript(engine, "scripts/summarize_visits.py", scriptDsn, table,
                            lines -> lines.as(String[].class));
                    for (String line : summary) {
                        System.out.println("python summarize_visits.py: " + line);
                    }
                }
                // 3. Back in Java: what the scripts committed.
                Object[] total = firstRow(java, "SELECT count(*)::int8, sum(minutes)::int8 FROM " + table);
                System.out.println("java: " + total[0] + " rows, " + total[1] + " minutes in all");
            } finally {
                java.execute("DROP TABLE " + table);
            }
        }
    }

    /**
     * Runs the script's main(dsn, table) in a new sandboxed context; its result, taken out by
     * {@code copy} (a Value lives only as long as its context).
     */
    private static <T> T runScript(Engine engine, String resource, String dsn, String table,
                                   Function<Value, T> copy) throws IOException {
        try (Context context = Psycopg2Contexts.sandboxed(engine);
             Reader code = new InputStreamReader(Main.class.getResourceAsStream("/" + resource),
                     StandardCharsets.UTF_8)) {
            context.eval(Source.newBuilder("python", code, resource).build());
            return copy.apply(context.getBindings("python").getMember("main").execute(dsn, table));
        }
    }

    private static Object[] firstRow(PgConnection connection, String sql) {
        var result = connection.execute(sql);
        ValueKind[] kinds = new ValueKind[result.columns().size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = result.columns().get(i).typeOid() == 20 ? ValueKind.INT8 : ValueKind.TEXT;
        }
        result.setValueKinds(kinds);
        return result.rows(0, 1)[0];
    }

    /** The connection's effective options (and its password, if one was given) as a DSN. */
    private static String dsnOf(PgConnection connection) {
        StringJoiner dsn = new StringJoiner(" ");
        connection.dsnParameters().forEach((key, value) -> dsn.add(key + "=" + quote(value)));
        if (connection.password() != null) {
            dsn.add("password=" + quote(connection.password()));
        }
        return dsn.toString();
    }

    /** A value in libpq's quoting: in single quotes, with \ and ' escaped. */
    private static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
