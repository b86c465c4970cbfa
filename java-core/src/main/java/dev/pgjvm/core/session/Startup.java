package dev.pgjvm.core.session;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.auth.ClientAuthenticator;
import dev.pgjvm.core.protocol.AuthenticationOk;
import dev.pgjvm.core.protocol.AuthenticationRequest;
import dev.pgjvm.core.protocol.BackendKeyData;
import dev.pgjvm.core.protocol.BackendMessage;
import dev.pgjvm.core.protocol.ErrorResponse;
import dev.pgjvm.core.protocol.FrontendEncoder;
import dev.pgjvm.core.protocol.FrontendMessage;
import dev.pgjvm.core.protocol.MessageWriter;
import dev.pgjvm.core.protocol.NegotiateProtocolVersion;
import dev.pgjvm.core.protocol.StartupMessage;

import java.nio.charset.Charset;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.pgjvm.core.session.CommandPhase.AUTHENTICATING;
import static dev.pgjvm.core.session.CommandPhase.DONE;
import static dev.pgjvm.core.session.CommandPhase.SENT;
import static dev.pgjvm.core.session.CommandPhase.STARTING;

/**
 * Start-up: the StartupMessage, the authentication exchange (the {@link ClientAuthenticator}
 * answers each request), then BackendKeyData and the ReadyForQuery that opens the session. Any
 * failure here ends the session: there is nothing to go back to.
 */
public final class Startup extends Command {
    private static final Map<CommandPhase, Set<CommandPhase>> MOVES = Map.of(
            SENT, EnumSet.of(AUTHENTICATING, STARTING),
            AUTHENTICATING, EnumSet.of(STARTING),
            STARTING, EnumSet.of(DONE));

    private final Map<String, String> parameters;
    private final ClientAuthenticator authenticator;

    Startup(Map<String, String> parameters, ClientAuthenticator authenticator) {
        this.parameters = parameters;
        this.authenticator = authenticator;
    }

    @Override
    Map<CommandPhase, Set<CommandPhase>> moves() {
        return MOVES;
    }

    @Override
    void encode(MessageWriter out, Charset charset) {
        FrontendEncoder.encode(new StartupMessage(parameters), charset, out);
    }

    @Override
    void handle(BackendMessage message, ProtocolMachine machine) {
        switch (message) {
            case AuthenticationRequest request -> {
                if (phase() == STARTING) {
                    throw new PgProtocolException("server sent an authentication request after AuthenticationOk");
                }
                boolean answered = authenticate(request, machine);
                if (request instanceof AuthenticationOk) {
                    moveTo(STARTING, message);
                } else if (answered) {
                    moveTo(AUTHENTICATING, message);
                }
            }
            case BackendKeyData k -> machine.keyData(k.processId(), k.secretKey());
            case NegotiateProtocolVersion n -> {
                // We ask for 3.0 without protocol options, so the server has nothing to downgrade.
            }
            case ErrorResponse e -> machine.fail(new PgServerException(e.fields(), null));
            // libpq's words (PQconnectPoll); the message itself is not shown (a record's text
            // would hold array identities, different on every run).
            default -> throw new PgProtocolException("unexpected message from server during startup\n");
        }
    }

    /** Answers an authentication request; false when there was nothing to send (or it failed). */
    private boolean authenticate(BackendMessage request, ProtocolMachine machine) {
        try {
            FrontendMessage reply = authenticator.respond(request);
            if (reply != null) {
                machine.send(reply);
                return true;
            }
        } catch (PgConnectionException e) {
            machine.fail(e);
        }
        return false;
    }

    @Override
    void ready(ProtocolMachine machine) {
        if (phase() != STARTING) {
            throw new PgProtocolException("server sent ReadyForQuery before authentication completed");
        }
        super.ready(machine);
    }
}
