package dev.pgjvm.core.session;

import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.protocol.BackendMessage;
import dev.pgjvm.core.protocol.CommandComplete;
import dev.pgjvm.core.protocol.CopyBothResponse;
import dev.pgjvm.core.protocol.CopyData;
import dev.pgjvm.core.protocol.CopyDone;
import dev.pgjvm.core.protocol.CopyFail;
import dev.pgjvm.core.protocol.CopyInResponse;
import dev.pgjvm.core.protocol.CopyOutResponse;
import dev.pgjvm.core.protocol.DataRow;
import dev.pgjvm.core.protocol.EmptyQueryResponse;
import dev.pgjvm.core.protocol.ErrorResponse;
import dev.pgjvm.core.protocol.FrontendEncoder;
import dev.pgjvm.core.protocol.MessageWriter;
import dev.pgjvm.core.protocol.Query;
import dev.pgjvm.core.protocol.RowDescription;

import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.pgjvm.core.session.CommandPhase.COPY_BOTH;
import static dev.pgjvm.core.session.CommandPhase.COPY_IN;
import static dev.pgjvm.core.session.CommandPhase.COPY_OUT;
import static dev.pgjvm.core.session.CommandPhase.DONE;
import static dev.pgjvm.core.session.CommandPhase.RESULTS;
import static dev.pgjvm.core.session.CommandPhase.SENT;

/**
 * A simple query ('Q'): one or more statements, a result per statement, the first error (the
 * server skips the rest after one). A COPY among the statements is a sub-exchange of this
 * command: with {@code carriesCopy} its data goes through the caller (COPY FROM STDIN waits in
 * {@link CommandPhase#COPY_IN} for {@link ProtocolMachine#sendCopyData}, COPY TO STDOUT data
 * queues for {@link #takeCopyData}); without, COPY FROM STDIN is refused (CopyFail) and COPY TO
 * STDOUT data dropped, as a plain query cannot carry them.
 *
 * <p>COPY BOTH (a replication connection's START_REPLICATION) is always carried, as libpq
 * carries it: the command waits in {@link CommandPhase#COPY_BOTH} while messages flow both ways,
 * each CopyData the server sends queued whole for {@link #takeCopyMessage}, until the client ends
 * its side ({@link ProtocolMachine#endCopy}) and the server its own (CopyDone), or an error ends
 * both. Nothing can refuse it: the server starts streaming as soon as it has answered.
 */
public final class SimpleQuery extends Command {
    private static final Set<CommandPhase> ANY_RESULT = EnumSet.of(RESULTS, COPY_IN, COPY_OUT, COPY_BOTH, DONE);
    private static final Map<CommandPhase, Set<CommandPhase>> MOVES = Map.of(
            SENT, ANY_RESULT,
            RESULTS, ANY_RESULT,
            COPY_IN, EnumSet.of(RESULTS, DONE),
            COPY_OUT, EnumSet.of(RESULTS, DONE),
            COPY_BOTH, EnumSet.of(RESULTS, DONE));

    private final byte[] sql;
    private final boolean carriesCopy;
    private Charset sqlCharset;
    private String sqlText;

    private final List<StatementResult> results = new ArrayList<>();
    private RowDescription description;
    private PackedRows rows;
    private ErrorResponse error;
    /** The COPY the statement in progress runs, if any (null: none). */
    private CopyDirection copy;
    private CopyDirection refusedCopy;
    private final ArrayDeque<byte[]> copyData = new ArrayDeque<>();
    /** COPY BOTH: each side's CopyDone (the COPY is over once both are sent, or an error ends it). */
    private boolean serverCopyDone;
    /** COPY TO STDOUT: the server's CopyDone has come (its data is all here). */
    private boolean copyOutEnded;
    private boolean clientCopyDone;
    /** A COPY BOTH started: the caller streams until it takes the outcome, even once the server has ended it. */
    private boolean streams;
    private QueryResults outcome;

    /**
     * @param sql         the statements, already in the client encoding (no NUL: the server reads a C string)
     * @param carriesCopy whether COPY data goes through the caller (see the class comment)
     */
    public SimpleQuery(byte[] sql, boolean carriesCopy) {
        this.sql = sql;
        this.carriesCopy = carriesCopy;
    }

    @Override
    Map<CommandPhase, Set<CommandPhase>> moves() {
        return MOVES;
    }

    @Override
    void encode(MessageWriter out, Charset charset) {
        FrontendEncoder.encode(new Query(sql), charset, out);
        sqlCharset = charset;
    }

    @Override
    String queryText() {
        if (sqlText == null && sqlCharset != null) {
            sqlText = new String(sql, sqlCharset);
        }
        return sqlText;
    }

    @Override
    void handle(BackendMessage message, ProtocolMachine machine) {
        switch (message) {
            case RowDescription d -> {
                moveTo(RESULTS, message);
                description = d;
                rows = new PackedRows();
            }
            case DataRow row -> {
                if (rows == null) {
                    throw new PgProtocolException("server sent data (\"D\" message) without prior row description (\"T\" message)\n");
                }
                if (row.columnCount() != description.fields().size()) {
                    throw new PgProtocolException("unexpected field count in \"D\" message\n");
                }
                rows.append(row);
            }
            case CommandComplete c -> {
                moveTo(RESULTS, message);
                ResultStatus status = copy == CopyDirection.OUT ? ResultStatus.COPY_OUT
                        : copy == CopyDirection.IN ? ResultStatus.COPY_IN
                        : description != null ? ResultStatus.TUPLES_OK : ResultStatus.COMMAND_OK;
                results.add(new StatementResult(status, description, rows == null ? List.of() : rows,
                        c.tag(), machine.charset()));
                endStatement();
            }
            case EmptyQueryResponse e -> {
                moveTo(RESULTS, message);
                results.add(new StatementResult(ResultStatus.EMPTY_QUERY, null, List.of(), null, machine.charset()));
            }
            case ErrorResponse e -> {
                // The server ends a COPY by itself on an error; ReadyForQuery follows.
                moveTo(RESULTS, message);
                if (error == null) {
                    error = e;
                }
                endStatement();
            }
            case CopyInResponse c -> {
                moveTo(COPY_IN, message);
                copy = CopyDirection.IN;
                if (!carriesCopy) {
                    // No data source: refuse; the server answers with an error and ReadyForQuery.
                    refusedCopy = CopyDirection.IN;
                    machine.send(new CopyFail("COPY FROM STDIN is not supported by a plain query"));
                    moveTo(RESULTS, message);
                }
            }
            case CopyOutResponse c -> {
                moveTo(COPY_OUT, message);
                copy = CopyDirection.OUT;
                copyOutEnded = false;
                if (!carriesCopy) {
                    refusedCopy = CopyDirection.OUT;
                }
            }
            case CopyBothResponse c -> {
                moveTo(COPY_BOTH, message);
                copy = CopyDirection.BOTH;
                serverCopyDone = clientCopyDone = false;
                streams = true;
            }
            case CopyData d -> {
                if (phase() == COPY_BOTH && serverCopyDone) {
                    return; // a walsender may still send a keepalive after its CopyDone: libpq drops it too
                }
                if (phase() != COPY_OUT && phase() != COPY_BOTH) {
                    throw unexpected(message);
                }
                if (carriesCopy || phase() == COPY_BOTH) {
                    copyData.add(d.data().toArray());
                }
            }
            case CopyDone d -> {
                if (phase() != COPY_OUT && phase() != COPY_BOTH) {
                    throw unexpected(message);
                }
                // CommandComplete follows (COPY BOTH: once the client has sent its CopyDone too).
                serverCopyDone = true;
                copyOutEnded = phase() == COPY_OUT;
            }
            default -> throw unexpected(message);
        }
    }

    private void endStatement() {
        description = null;
        rows = null;
        copy = null;
    }

    @Override
    void ready(ProtocolMachine machine) {
        super.ready(machine);
        // The text is decoded for an error's context only: a large query is not decoded twice.
        outcome = new QueryResults(error != null ? queryText() : null, results, error);
    }

    /** Whether the caller can send COPY data now (COPY FROM STDIN, or COPY BOTH until its CopyDone). */
    public boolean acceptsCopyData() {
        return phase() == COPY_IN || (phase() == COPY_BOTH && !clientCopyDone);
    }

    /** Whether a COPY BOTH runs: the server answered with CopyBothResponse and has not finished. */
    public boolean inCopyBoth() {
        return phase() == COPY_BOTH;
    }

    /**
     * Whether a COPY BOTH started, whatever happened since: as libpq reports PGRES_COPY_BOTH
     * before it reads further, the stream's end (or its error, when the server fails right
     * after starting) is for the one reading the stream to find, not for whoever started it.
     */
    public boolean startedCopyBoth() {
        return streams;
    }

    /**
     * Whether a COPY TO STDOUT runs: the server answered with CopyOutResponse and the statement
     * has not ended (still true when the session failed in its midst).
     */
    public boolean inCopyOut() {
        return phase() == COPY_OUT;
    }

    /**
     * Whether the server has sent the CopyDone of a COPY TO STDOUT (and the statement may have
     * ended since): its data is all here. libpq's PQgetCopyData says -1 then, before reading
     * further: a connection lost after it is the statement's end's failure, not the COPY's.
     */
    public boolean copyOutEnded() {
        return copyOutEnded;
    }

    /** Whether the server has ended its side of the COPY BOTH (CopyDone): the client should end its own. */
    public boolean serverEndedCopy() {
        return phase() == COPY_BOTH && serverCopyDone;
    }

    /** The client's side of the COPY is over (CopyDone or CopyFail sent). */
    void clientCopyEnded() {
        if (phase() == COPY_IN) {
            moveTo(RESULTS, null);
        } else if (phase() == COPY_BOTH) {
            clientCopyDone = true;
        }
    }

    public boolean hasCopyData() {
        return !copyData.isEmpty();
    }

    /** All COPY data received and not yet taken, in one array, removing it from the command. */
    public byte[] takeCopyData() {
        return concat(takeCopyMessages());
    }

    /** Gives back messages taken but not used: they are taken again first, in the same order. */
    public void putBackCopyMessages(List<byte[]> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            copyData.addFirst(messages.get(i));
        }
    }

    /** The arrays one after the other, in one array. */
    public static byte[] concat(List<byte[]> parts) {
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** All CopyData messages received and not yet taken, each whole, removing them from the command. */
    public List<byte[]> takeCopyMessages() {
        List<byte[]> messages = new ArrayList<>(copyData);
        copyData.clear();
        return messages;
    }

    /** The oldest CopyData message received and not yet taken, whole; null when none waits. */
    public byte[] takeCopyMessage() {
        return copyData.poll();
    }

    /**
     * IN or OUT when the query met a COPY that a plain query does not carry (it refused the
     * COPY FROM STDIN, or dropped the COPY TO STDOUT data); null when it met none.
     */
    public CopyDirection refusedCopyDirection() {
        return refusedCopy;
    }

    /** Everything the query produced, once it is {@link #isDone() done}; null before. */
    public QueryResults results() {
        return outcome;
    }
}
