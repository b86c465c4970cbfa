package dev.pgjvm.core.session;

import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.protocol.BackendMessage;
import dev.pgjvm.core.protocol.Bind;
import dev.pgjvm.core.protocol.BindComplete;
import dev.pgjvm.core.protocol.CommandComplete;
import dev.pgjvm.core.protocol.DataRow;
import dev.pgjvm.core.protocol.Describe;
import dev.pgjvm.core.protocol.EmptyQueryResponse;
import dev.pgjvm.core.protocol.ErrorResponse;
import dev.pgjvm.core.protocol.Execute;
import dev.pgjvm.core.protocol.FrontendEncoder;
import dev.pgjvm.core.protocol.MessageWriter;
import dev.pgjvm.core.protocol.NoData;
import dev.pgjvm.core.protocol.Parse;
import dev.pgjvm.core.protocol.ParseComplete;
import dev.pgjvm.core.protocol.PortalSuspended;
import dev.pgjvm.core.protocol.RowDescription;
import dev.pgjvm.core.protocol.Sync;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.pgjvm.core.session.CommandPhase.DONE;
import static dev.pgjvm.core.session.CommandPhase.RESULTS;
import static dev.pgjvm.core.session.CommandPhase.SENT;

/**
 * One statement through the extended protocol: Parse (the unnamed statement), Bind (parameters
 * in text or binary format, null for NULL), Describe (the portal), Execute (all rows), Sync.
 * Parameters travel apart from the SQL, so nothing needs quoting: the way to call a server
 * function with arbitrary bytes (large objects' lo_* functions), and the unit that pipelined
 * batches repeat.
 * After an error the server skips to the Sync; its ReadyForQuery ends the command either way.
 */
public final class ExtendedQuery extends Command {
    private static final Map<CommandPhase, Set<CommandPhase>> MOVES = Map.of(
            SENT, EnumSet.of(RESULTS, DONE),
            RESULTS, EnumSet.of(DONE));

    private final String sql;
    private final List<Integer> parameterTypes;
    private final List<byte[]> parameters;
    private final List<Integer> parameterFormats;
    private final List<Integer> resultFormats;

    private RowDescription description;
    private final PackedRows rows = new PackedRows();
    private StatementResult result;
    private ErrorResponse error;
    private QueryResults outcome;

    /**
     * A statement whose parameters are all in text format.
     *
     * @param sql            one statement, $1, $2... for the parameters
     * @param parameterTypes the parameters' type OIDs (0: let the server infer it); empty: all inferred
     * @param parameters     the values in text format, already in the client encoding; null for NULL
     * @param binaryResults  whether the result columns come back in binary format
     */
    public ExtendedQuery(String sql, int[] parameterTypes, byte[][] parameters, boolean binaryResults) {
        this(sql, parameterTypes, parameters, null, binaryResults);
    }

    /**
     * A statement whose parameters each have their own format.
     *
     * @param sql              one statement, $1, $2... for the parameters
     * @param parameterTypes   the parameters' type OIDs (0: let the server infer it); empty: all inferred
     * @param parameters       the values, null for NULL: in text format already in the client
     *                         encoding, or in the type's binary format (for bytea, the bytes themselves)
     * @param binaryParameters per parameter, whether its value is in binary format; null: all text
     * @param binaryResults    whether the result columns come back in binary format
     * @throws IllegalArgumentException when binaryParameters is not null and not one per parameter
     */
    public ExtendedQuery(String sql, int[] parameterTypes, byte[][] parameters, boolean[] binaryParameters,
                         boolean binaryResults) {
        this.sql = sql;
        this.parameterTypes = Arrays.stream(parameterTypes).boxed().toList();
        this.parameters = Arrays.asList(parameters.clone());
        this.parameterFormats = formatCodes(binaryParameters, parameters.length);
        this.resultFormats = List.of(binaryResults ? 1 : 0);
    }

    /**
     * Bind's parameter format codes: none when every value is text (the protocol's default, and
     * the shortest message), else one code per parameter, 1 for binary.
     */
    private static List<Integer> formatCodes(boolean[] binary, int count) {
        if (binary == null) {
            return List.of();
        }
        if (binary.length != count) {
            throw new IllegalArgumentException(binary.length + " parameter formats for " + count + " parameters");
        }
        List<Integer> codes = new ArrayList<>(count);
        boolean anyBinary = false;
        for (boolean b : binary) {
            codes.add(b ? 1 : 0);
            anyBinary |= b;
        }
        return anyBinary ? codes : List.of();
    }

    @Override
    Map<CommandPhase, Set<CommandPhase>> moves() {
        return MOVES;
    }

    @Override
    void encode(MessageWriter out, Charset charset) {
        int mark = out.size();
        try {
            FrontendEncoder.encode(new Parse("", sql, parameterTypes), charset, out);
            FrontendEncoder.encode(new Bind("", "", parameterFormats, parameters, resultFormats), charset, out);
            FrontendEncoder.encode(new Describe('P', ""), charset, out);
            FrontendEncoder.encode(new Execute("", 0), charset, out);
            FrontendEncoder.encode(new Sync(), charset, out);
        } catch (RuntimeException e) {
            out.truncate(mark); // all five messages or none
            throw e;
        }
    }

    @Override
    String queryText() {
        return sql;
    }

    @Override
    void handle(BackendMessage message, ProtocolMachine machine) {
        switch (message) {
            case ParseComplete p -> moveTo(RESULTS, message);
            case BindComplete b -> moveTo(RESULTS, message);
            case NoData n -> moveTo(RESULTS, message);
            case RowDescription d -> {
                moveTo(RESULTS, message);
                description = d;
            }
            case DataRow row -> {
                // libpq's words, as for a simple query: both go through the same parser there.
                if (description == null) {
                    throw new PgProtocolException("server sent data (\"D\" message) without prior row description (\"T\" message)\n");
                }
                if (row.columnCount() != description.fields().size()) {
                    throw new PgProtocolException("unexpected field count in \"D\" message\n");
                }
                rows.append(row);
            }
            case CommandComplete c -> {
                moveTo(RESULTS, message);
                result = new StatementResult(description != null ? ResultStatus.TUPLES_OK : ResultStatus.COMMAND_OK,
                        description, rows, c.tag(), machine.charset());
            }
            case EmptyQueryResponse e -> {
                moveTo(RESULTS, message);
                result = new StatementResult(ResultStatus.EMPTY_QUERY, null, List.of(), null, machine.charset());
            }
            case PortalSuspended s -> throw unexpected(message); // Execute asks for all rows
            case ErrorResponse e -> {
                moveTo(RESULTS, message);
                if (error == null) {
                    error = e;
                }
            }
            default -> throw unexpected(message);
        }
    }

    @Override
    void ready(ProtocolMachine machine) {
        super.ready(machine);
        outcome = new QueryResults(error != null ? sql : null, result == null ? List.of() : List.of(result), error);
    }

    /** The statement's outcome, once it is {@link #isDone() done}; null before. */
    public QueryResults results() {
        return outcome;
    }
}
