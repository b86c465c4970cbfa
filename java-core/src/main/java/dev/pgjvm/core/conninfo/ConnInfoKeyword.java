package dev.pgjvm.core.conninfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection option libpq 17 knows: its keyword, the environment variable that supplies
 * its default, and the compiled-in default of a libpq built with TLS and GSSAPI (as
 * psycopg2-binary's is). The table's order is libpq's, which is also the order
 * {@code dsnParameters()} reports in.
 */
public record ConnInfoKeyword(String name, String envVar, String compiledDefault) {

    public static final List<ConnInfoKeyword> ALL = List.of(
            new ConnInfoKeyword("service", "PGSERVICE", null),
            new ConnInfoKeyword("user", "PGUSER", null),
            new ConnInfoKeyword("password", "PGPASSWORD", null),
            new ConnInfoKeyword("passfile", "PGPASSFILE", null),
            new ConnInfoKeyword("channel_binding", "PGCHANNELBINDING", "prefer"),
            new ConnInfoKeyword("connect_timeout", "PGCONNECT_TIMEOUT", null),
            new ConnInfoKeyword("dbname", "PGDATABASE", null),
            new ConnInfoKeyword("host", "PGHOST", null),
            new ConnInfoKeyword("hostaddr", "PGHOSTADDR", null),
            new ConnInfoKeyword("port", "PGPORT", "5432"),
            new ConnInfoKeyword("client_encoding", "PGCLIENTENCODING", null),
            new ConnInfoKeyword("options", "PGOPTIONS", ""),
            new ConnInfoKeyword("application_name", "PGAPPNAME", null),
            new ConnInfoKeyword("fallback_application_name", null, null),
            new ConnInfoKeyword("keepalives", null, null),
            new ConnInfoKeyword("keepalives_idle", null, null),
            new ConnInfoKeyword("keepalives_interval", null, null),
            new ConnInfoKeyword("keepalives_count", null, null),
            new ConnInfoKeyword("tcp_user_timeout", null, null),
            new ConnInfoKeyword("sslmode", "PGSSLMODE", "prefer"),
            new ConnInfoKeyword("sslnegotiation", "PGSSLNEGOTIATION", "postgres"),
            new ConnInfoKeyword("sslcompression", "PGSSLCOMPRESSION", "0"),
            new ConnInfoKeyword("sslcert", "PGSSLCERT", null),
            new ConnInfoKeyword("sslkey", "PGSSLKEY", null),
            new ConnInfoKeyword("sslcertmode", "PGSSLCERTMODE", "allow"),
            new ConnInfoKeyword("sslpassword", null, null),
            new ConnInfoKeyword("sslrootcert", "PGSSLROOTCERT", null),
            new ConnInfoKeyword("sslcrl", "PGSSLCRL", null),
            new ConnInfoKeyword("sslcrldir", "PGSSLCRLDIR", null),
            new ConnInfoKeyword("sslsni", "PGSSLSNI", "1"),
            new ConnInfoKeyword("requirepeer", "PGREQUIREPEER", null),
            new ConnInfoKeyword("require_auth", "PGREQUIREAUTH", null),
            new ConnInfoKeyword("ssl_min_protocol_version", "PGSSLMINPROTOCOLVERSION", "TLSv1.2"),
            new ConnInfoKeyword("ssl_max_protocol_version", "PGSSLMAXPROTOCOLVERSION", null),
            // "prefer" as in a libpq built with GSSAPI: without credentials (always, here) it
            // goes on without GSS encryption.
            new ConnInfoKeyword("gssencmode", "PGGSSENCMODE", "prefer"),
            new ConnInfoKeyword("krbsrvname", "PGKRBSRVNAME", "postgres"),
            new ConnInfoKeyword("gsslib", "PGGSSLIB", null),
            new ConnInfoKeyword("gssdelegation", "PGGSSDELEGATION", "0"),
            new ConnInfoKeyword("replication", null, null),
            new ConnInfoKeyword("target_session_attrs", "PGTARGETSESSIONATTRS", "any"),
            new ConnInfoKeyword("load_balance_hosts", "PGLOADBALANCEHOSTS", "disable"));

    private static final Map<String, ConnInfoKeyword> BY_NAME = new LinkedHashMap<>();

    static {
        for (ConnInfoKeyword k : ALL) {
            BY_NAME.put(k.name(), k);
        }
    }

    /** The keyword of that name, or null when libpq would say "invalid connection option". */
    public static ConnInfoKeyword find(String name) {
        return BY_NAME.get(name);
    }

    public static boolean isValid(String name) {
        return BY_NAME.containsKey(name);
    }
}
