package dev.pgjvm.core.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first message of a connection (no type byte): protocol version and start-up parameters
 * (user, database, options, application_name, client_encoding, replication, ...), in order.
 */
public record StartupMessage(int protocolVersion, Map<String, String> parameters) implements FrontendMessage {
    /** Protocol 3.0, the only version we speak. */
    public static final int PROTOCOL_3_0 = 3 << 16;

    public StartupMessage {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public StartupMessage(Map<String, String> parameters) {
        this(PROTOCOL_3_0, parameters);
    }
}
