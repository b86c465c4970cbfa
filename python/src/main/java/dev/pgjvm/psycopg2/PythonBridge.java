package dev.pgjvm.psycopg2;

import dev.pgjvm.core.FieldDescription;
import dev.pgjvm.core.Notification;
import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.ValueKind;

import dev.pgjvm.core.replication.ReplicationStream;
import dev.pgjvm.core.replication.XLogData;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Python package's one door into java-core: everything java-core returns typed, flattened
 * here into strings, boxed numbers and arrays of them, so that each call crosses the boundary
 * once and carries a whole batch. Its only caller is the package's boundary module; java-core
 * itself has no Python-shaped API. The Python side also calls the {@link PgConnection} and
 * {@link PgResult} methods that already return a String, an int, a long or a boolean.
 *
 * <table>
 * <caption>What each method gives Python</caption>
 * <tr><th>method</th><th>Python gets</th></tr>
 * <tr><td>{@link #setKinds(PgResult, String)}</td><td>nothing: one letter per column sets how
 *     rows decode ({@link #TEXT} 's', {@link #INT8} 'i', {@link #FLOAT8} 'f', {@link #BOOL} 'b',
 *     {@link #BYTEA} 'x')</td></tr>
 * <tr><td>{@link #window(PgResult, int, int, String)}</td><td>String[]: the rows column by
 *     column, one String per column and one for its form and NULLs, then the UTC offsets of
 *     packed timestamptz values ({@link ColumnWindow}; timestamps, dates and numerics packed by
 *     {@link PackedValues})</td></tr>
 * <tr><td>{@link #columns(PgResult)}</td><td>Object[][]: per column {String name, Long typeOid,
 *     Long tableOid, Integer tableColumn, Integer typeSize, Integer typeModifier, Integer format}</td></tr>
 * <tr><td>{@link #status(PgResult)}</td><td>String: "TUPLES_OK", "COMMAND_OK", "EMPTY_QUERY",
 *     "COPY_OUT", "COPY_IN" or "COPY_BOTH"</td></tr>
 * <tr><td>{@link #notifications(PgConnection)}</td><td>Object[][]: per notification {Integer pid,
 *     String channel, String payload}, drained</td></tr>
 * <tr><td>{@link #notices(PgConnection)}</td><td>String[]: libpq-formatted notices, drained</td></tr>
 * <tr><td>{@link #dsnParameters(PgConnection)}</td><td>String[][]: {keyword, value} pairs in libpq's
 *     order, password left out</td></tr>
 * <tr><td>{@link #transactionStatus(PgConnection)}</td><td>int: 0 idle, 1 active, 2 in transaction,
 *     3 in error, 4 unknown (libpq's and psycopg2's numbers)</td></tr>
 * <tr><td>{@link #copyStart(PgConnection, byte[])}</td><td>String: "IN", "OUT", "BOTH" or "NONE"</td></tr>
 * <tr><td>{@link #connectPoll(PgConnection)}, {@link #poll(PgConnection)}</td><td>int: psycopg2's
 *     POLL_OK 0, POLL_READ 1, POLL_WRITE 2</td></tr>
 * <tr><td>{@link #loRead(PgConnection, int, int)}</td><td>String: a large object's bytes, latin-1
 *     (one char per byte)</td></tr>
 * <tr><td>{@link #readReplicationMessage}</td><td>Object[]: {Long dataStart, Long walEnd, Long
 *     sendTime in microseconds since 2000, String payload, Integer size}, or null</td></tr>
 * <tr><td>{@link #describe(Throwable)}</td><td>String: "class.Name: message" of an exception java-core
 *     did not foresee</td></tr>
 * <tr><td>{@link #replicationStream}</td><td>the ReplicationStream (Python calls its sendFeedback,
 *     walEnd, lastIoMicros, lastFeedbackMicros, isEnded, setStatusInterval)</td></tr>
 * </table>
 *
 * <p>Exceptions are java-core's ({@code PgException} and its subclasses), plus
 * IllegalArgumentException (NumberFormatException among them) for what the caller got wrong or
 * a value that does not decode as its kind.
 */
public final class PythonBridge {
    /** The letter of {@link ValueKind#TEXT} in {@link #setKinds}. */
    public static final char TEXT = 's';
    /** The letter of {@link ValueKind#INT8} in {@link #setKinds}. */
    public static final char INT8 = 'i';
    /** The letter of {@link ValueKind#FLOAT8} in {@link #setKinds}. */
    public static final char FLOAT8 = 'f';
    /** The letter of {@link ValueKind#BOOL} in {@link #setKinds}. */
    public static final char BOOL = 'b';
    /** The letter of {@link ValueKind#BYTEA} in {@link #setKinds}: values come back as latin-1 Strings. */
    public static final char BYTEA = 'x';

    private PythonBridge() {
    }

    // ---------------------------------------------------------------- results

    /**
     * How the result's columns decode, one letter per column: {@link #TEXT}, {@link #INT8},
     * {@link #FLOAT8}, {@link #BOOL} or {@link #BYTEA}, or a type {@link PackedValues} packs
     * ('t' timestamp, 'z' timestamptz, 'd' date, 'n' numeric: text for java-core).
     *
     * @throws IllegalArgumentException for a wrong number of letters or an unknown letter
     */
    public static void setKinds(PgResult result, String letters) {
        ValueKind[] kinds = new ValueKind[letters.length()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = kindOf(letters.charAt(i), i);
        }
        result.setValueKinds(kinds); // checks the count
    }

    private static ValueKind kindOf(char letter, int column) {
        return switch (letter) {
            case TEXT, PackedValues.TIMESTAMP, PackedValues.TIMESTAMPTZ, PackedValues.DATE,
                 PackedValues.NUMERIC -> ValueKind.TEXT;
            case INT8 -> ValueKind.INT8;
            case FLOAT8 -> ValueKind.FLOAT8;
            case BOOL -> ValueKind.BOOL;
            case BYTEA -> ValueKind.BYTEA;
            default -> throw new IllegalArgumentException("unknown value kind '" + letter + "' for column " + column);
        };
    }

    /**
     * Rows [from, to) column by column, one String per column (see {@link ColumnWindow}): the
     * form Python reads fastest, with no Java array to walk.
     */
    public static String[] window(PgResult result, int from, int to, String letters) {
        return ColumnWindow.encode(result.rows(from, to), letters);
    }

    /**
     * Per column {String name, Long typeOid, Long tableOid, Integer tableColumn, Integer typeSize,
     * Integer typeModifier, Integer format}; empty when the statement returns no rows.
     */
    public static Object[][] columns(PgResult result) {
        List<FieldDescription> columns = result.columns();
        Object[][] out = new Object[columns.size()][];
        for (int i = 0; i < out.length; i++) {
            FieldDescription f = columns.get(i);
            out[i] = new Object[]{f.name(), f.typeOid(), f.tableOid(), f.tableColumn(), f.typeSize(),
                    f.typeModifier(), f.format()};
        }
        return out;
    }

    /** The name of the result's {@link dev.pgjvm.core.ResultStatus}: "TUPLES_OK", "COMMAND_OK", ... */
    public static String status(PgResult result) {
        return result.status().name();
    }

    // ---------------------------------------------------------------- connection state

    /** The notifications received since the last call, {Integer pid, String channel, String payload} each. */
    public static Object[][] notifications(PgConnection connection) {
        List<Notification> drained = connection.drainNotifications();
        Object[][] out = new Object[drained.size()][];
        for (int i = 0; i < out.length; i++) {
            Notification n = drained.get(i);
            out[i] = new Object[]{n.pid(), n.channel(), n.payload()};
        }
        return out;
    }

    /** The notices received since the last call, libpq-formatted ("NOTICE:  hello\n"). */
    public static String[] notices(PgConnection connection) {
        return connection.drainNotices().toArray(new String[0]);
    }

    /** The effective connection options as {keyword, value} pairs in libpq's order, password left out. */
    public static String[][] dsnParameters(PgConnection connection) {
        Map<String, String> parameters = connection.dsnParameters();
        String[][] out = new String[parameters.size()][];
        int i = 0;
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            out[i++] = new String[]{e.getKey(), e.getValue()};
        }
        return out;
    }

    /** libpq's PQTRANS_* number: 0 idle, 1 active, 2 in transaction, 3 in error, 4 unknown. */
    public static int transactionStatus(PgConnection connection) {
        return connection.transactionStatus().ordinal();
    }

    /**
     * Starts a COPY statement already encoded in the client encoding; "IN", "OUT" or "NONE", as
     * {@link PgConnection#copyStart(byte[])}.
     */
    public static String copyStart(PgConnection connection, byte[] sql) {
        return connection.copyStart(sql).name();
    }

    /** psycopg2's POLL_* number of a non-blocking step: 0 OK, 1 READ, 2 WRITE. */
    static int pollNumber(PollingStatus status) {
        return switch (status) {
            case OK -> 0;
            case READING -> 1;
            case WRITING -> 2;
        };
    }

    /** One step of a connection started without blocking ({@link PgConnection#connectPoll()}), as a POLL_* number. */
    public static int connectPoll(PgConnection connection) {
        return pollNumber(connection.connectPoll());
    }

    /** One step of the query sent without blocking ({@link PgConnection#poll()}), as a POLL_* number. */
    public static int poll(PgConnection connection) {
        return pollNumber(connection.poll());
    }

    /**
     * "class.Name: message" (an empty message when there is none), for a Java exception that is
     * not one of java-core's: Python reports it as InterfaceError. Here rather than through
     * {@code getClass()} in Python, which a sandboxed context may not call.
     */
    public static String describe(Throwable exception) {
        String message = exception.getMessage();
        return exception.getClass().getName() + ": " + (message == null ? "" : message);
    }

    // ---------------------------------------------------------------- large objects

    /**
     * Up to {@code length} bytes of a large object from the descriptor's position, as
     * {@link dev.pgjvm.core.LargeObjects#read(int, int)}, as a latin-1 String, one char per
     * byte (see {@link #window}). The other large-object calls return plain numbers: Python makes
     * them on {@link PgConnection#largeObjects()} directly.
     */
    public static String loRead(PgConnection connection, int fd, int length) {
        return new String(connection.largeObjects().read(fd, length), StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- replication

    /**
     * The next WAL data message of the stream ({@link ReplicationStream#read(long)}), as
     * {Long dataStart, Long walEnd, Long sendTime (microseconds since 2000-01-01 UTC), String
     * payload, Integer payload size in bytes}: the payload decoded from the client encoding when {@code decode}, else latin-1
     * (one char per byte). Null when none came in time, or the stream ended.
     */
    public static Object[] readReplicationMessage(PgConnection connection, ReplicationStream stream,
                                                  long waitMillis, boolean decode) {
        XLogData data = stream.read(waitMillis);
        if (data == null) {
            return null;
        }
        String payload = new String(data.payload(), decode ? connection.clientCharset() : StandardCharsets.ISO_8859_1);
        return new Object[] {data.dataStart(), data.walEnd(), data.sendTime(), payload, data.payload().length};
    }

    /** A stream on the connection, with its status interval in seconds (see {@link ReplicationStream}). */
    public static ReplicationStream replicationStream(PgConnection connection, double statusIntervalSeconds) {
        return new ReplicationStream(connection, Duration.ofNanos((long) (statusIntervalSeconds * 1e9)));
    }
}
