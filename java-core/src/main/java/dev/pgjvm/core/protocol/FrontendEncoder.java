package dev.pgjvm.core.protocol;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes frontend messages in their wire layout. Query text and other SQL-level strings use the
 * connection's client charset; start-up parameters and passwords are always UTF-8, because the
 * server applies no encoding conversion before authentication completes.
 */
public final class FrontendEncoder {
    private FrontendEncoder() {
    }

    public static byte[] encode(FrontendMessage message, Charset charset) {
        MessageWriter w = new MessageWriter();
        encode(message, charset, w);
        return w.take();
    }

    /**
     * Appends the message to w. If it cannot be encoded (NUL in a string, a character the
     * charset lacks) nothing is appended and IllegalArgumentException is thrown.
     */
    public static void encode(FrontendMessage message, Charset charset, MessageWriter w) {
        int mark = w.size();
        try {
            write(message, charset, w);
        } catch (RuntimeException e) {
            w.truncate(mark);
            throw e;
        }
    }

    private static void write(FrontendMessage message, Charset charset, MessageWriter w) {
        switch (message) {
            case StartupMessage m -> {
                w.begin((char) 0).int32(m.protocolVersion());
                for (Map.Entry<String, String> e : m.parameters().entrySet()) {
                    w.cstring(e.getKey(), StandardCharsets.UTF_8).cstring(e.getValue(), StandardCharsets.UTF_8);
                }
                w.int8(0).end();
            }
            case SSLRequest m -> w.begin((char) 0).int32(SSLRequest.CODE).end();
            case GSSENCRequest m -> w.begin((char) 0).int32(GSSENCRequest.CODE).end();
            case CancelRequest m -> w.begin((char) 0).int32(CancelRequest.CODE)
                    .int32(m.processId()).int32(m.secretKey()).end();
            case PasswordMessage m -> w.begin('p').cstring(m.password(), StandardCharsets.UTF_8).end();
            case SASLInitialResponse m -> {
                w.begin('p').cstring(m.mechanism(), StandardCharsets.UTF_8);
                if (m.data() == null) {
                    w.int32(-1);
                } else {
                    w.int32(m.data().length()).bytes(m.data().array());
                }
                w.end();
            }
            case SASLResponse m -> w.begin('p').bytes(m.data().array()).end();
            case Query m -> w.begin('Q').cstring(m.sql()).end();
            case Terminate m -> w.begin('X').end();
            case Sync m -> w.begin('S').end();
            case Flush m -> w.begin('H').end();
            case Parse m -> {
                w.begin('P').cstring(m.statementName(), charset).cstring(m.sql(), charset);
                w.int16(m.parameterTypeOids().size());
                for (int oid : m.parameterTypeOids()) {
                    w.int32(oid);
                }
                w.end();
            }
            case Bind m -> {
                w.begin('B').cstring(m.portalName(), charset).cstring(m.statementName(), charset);
                int16List(w, m.parameterFormats());
                w.int16(m.parameterValues().size());
                for (byte[] v : m.parameterValues()) {
                    if (v == null) {
                        w.int32(-1);
                    } else {
                        w.int32(v.length).bytes(v);
                    }
                }
                int16List(w, m.resultFormats());
                w.end();
            }
            case Describe m -> w.begin('D').int8(m.kind()).cstring(m.name(), charset).end();
            case Execute m -> w.begin('E').cstring(m.portalName(), charset).int32(m.maxRows()).end();
            case Close m -> w.begin('C').int8(m.kind()).cstring(m.name(), charset).end();
            case CopyData m -> w.begin('d').bytes(m.data().array()).end();
            case CopyDone m -> w.begin('c').end();
            case CopyFail m -> w.begin('f').cstring(m.message(), charset).end();
        }
    }

    private static void int16List(MessageWriter w, List<Integer> values) {
        w.int16(values.size());
        for (int v : values) {
            w.int16(v);
        }
    }
}
