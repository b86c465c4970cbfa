package dev.pgjvm.core.protocol;

import dev.pgjvm.core.PgProtocolException;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a (type byte, payload) pair into its message record. Strings are decoded with the
 * charset given, which the session keeps in step with the server's client_encoding. An unknown
 * type, a short payload or trailing garbage is a PgProtocolException.
 */
public final class BackendMessageParser {
    private BackendMessageParser() {
    }

    public static BackendMessage parse(RawMessage raw, Charset charset) {
        return parse(raw.type(), raw.payload(), charset);
    }

    public static BackendMessage parse(byte type, byte[] payload, Charset charset) {
        char t = (char) (type & 0xff);
        PayloadReader in = new PayloadReader(payload, t);
        BackendMessage message = switch (t) {
            case 'R' -> authentication(in, charset);
            case 'K' -> new BackendKeyData(in.int32(), in.int32());
            case 'S' -> parameterStatus(in, charset);
            case 'Z' -> readyForQuery(in);
            case 'v' -> negotiate(in, charset);
            case 'T' -> rowDescription(in, charset);
            case 'D' -> dataRow(payload, in);
            case 'C' -> new CommandComplete(in.cstring(charset));
            case 'I' -> new EmptyQueryResponse();
            case 'E' -> new ErrorResponse(fields(in, charset));
            case 'N' -> new NoticeResponse(noticeFields(in, charset));
            case 'A' -> notification(in, charset);
            case '1' -> new ParseComplete();
            case '2' -> new BindComplete();
            case '3' -> new CloseComplete();
            case 'n' -> new NoData();
            case 's' -> new PortalSuspended();
            case 't' -> parameterDescription(in);
            case 'G' -> {
                int overall = in.int8();
                yield new CopyInResponse(overall, formats(in));
            }
            case 'H' -> {
                int overall = in.int8();
                yield new CopyOutResponse(overall, formats(in));
            }
            case 'W' -> {
                int overall = in.int8();
                yield new CopyBothResponse(overall, formats(in));
            }
            case 'd' -> new CopyData(Bytes.owning(in.rest()));
            case 'c' -> new CopyDone();
            default -> throw new PgProtocolException(
                    "unexpected response from server; first received character was \"" + (char) (type & 0xff) + "\"\n");
        };
        if (t != 'N' && t != 'A') {
            in.expectEnd();
        }
        return message;
    }

    /**
     * Bytes after a notification's payload are ignored, as libpq ends up doing: it complains
     * about the length, but while idle (where notifications come) that complaint is dropped
     * before the next query, and the notification is delivered.
     */
    private static NotificationResponse notification(PayloadReader in, Charset charset) {
        return new NotificationResponse(in.int32(), in.cstring(charset), in.cstring(charset));
    }

    /**
     * A notice's fields, read as libpq reads them: the terminating zero byte may be missing at
     * the end of the payload, and bytes after it are ignored (a notice is never worth the
     * session; libpq delivers it).
     */
    private static Map<Character, String> noticeFields(PayloadReader in, Charset charset) {
        Map<Character, String> fields = new LinkedHashMap<>();
        while (in.remaining() > 0) {
            byte code = in.int8();
            if (code == 0) {
                break;
            }
            fields.put((char) (code & 0xff), in.cstring(charset));
        }
        return fields;
    }

    private static BackendMessage authentication(PayloadReader in, Charset charset) {
        int code = in.int32();
        return switch (code) {
            case 0 -> new AuthenticationOk();
            case 2 -> new AuthenticationKerberosV5();
            case 3 -> new AuthenticationCleartextPassword();
            case 5 -> new AuthenticationMD5Password(Bytes.owning(in.bytes(4)));
            case 7 -> new AuthenticationGSS();
            case 8 -> new AuthenticationGSSContinue(Bytes.owning(in.rest()));
            case 9 -> new AuthenticationSSPI();
            case 10 -> saslMechanisms(in, charset);
            case 11 -> new AuthenticationSASLContinue(Bytes.owning(in.rest()));
            case 12 -> new AuthenticationSASLFinal(Bytes.owning(in.rest()));
            default -> throw new PgProtocolException("authentication method " + Integer.toUnsignedString(code)
                    + " not supported\n");
        };
    }

    /** The mechanisms' names, each NUL-terminated, then an empty one; libpq's words when not. */
    private static AuthenticationSASL saslMechanisms(PayloadReader in, Charset charset) {
        List<String> mechanisms = new ArrayList<>();
        try {
            for (String m = in.cstring(charset); !m.isEmpty(); m = in.cstring(charset)) {
                mechanisms.add(m);
            }
        } catch (PgProtocolException e) {
            throw new PgProtocolException("fe_sendauth: invalid authentication request from server: "
                    + "invalid list of authentication mechanisms\n");
        }
        return new AuthenticationSASL(mechanisms);
    }

    /**
     * A name and a value, each NUL-terminated, and nothing after: libpq has one complaint for
     * every way this goes wrong (it reads the strings, then compares where it stopped with the
     * length).
     */
    private static ParameterStatus parameterStatus(PayloadReader in, Charset charset) {
        try {
            ParameterStatus status = new ParameterStatus(in.cstring(charset), in.cstring(charset));
            in.expectEnd();
            return status;
        } catch (PgProtocolException e) {
            throw new PgProtocolException("message contents do not agree with length in message type \"S\"\n");
        }
    }

    private static ReadyForQuery readyForQuery(PayloadReader in) {
        char status = (char) in.int8();
        if (status != 'I' && status != 'T' && status != 'E') {
            throw new PgProtocolException("unexpected transaction status '" + status + "' in ReadyForQuery");
        }
        return new ReadyForQuery(status);
    }

    private static NegotiateProtocolVersion negotiate(PayloadReader in, Charset charset) {
        int minor = in.int32();
        int n = in.int32();
        if (n < 0) {
            throw new PgProtocolException("negative option count in NegotiateProtocolVersion");
        }
        List<String> options = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            options.add(in.cstring(charset));
        }
        return new NegotiateProtocolVersion(minor, options);
    }

    private static RowDescription rowDescription(PayloadReader in, Charset charset) {
        int n = in.count16();
        List<RowDescription.Field> fields = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fields.add(new RowDescription.Field(in.cstring(charset), in.int32(), in.int16(), in.int32(),
                    in.int16(), in.int32(), in.int16()));
        }
        return new RowDescription(fields);
    }

    /** Records where each value lies in the payload; the payload itself becomes the row's buffer. */
    private static DataRow dataRow(byte[] payload, PayloadReader in) {
        int n = in.count16();
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            int len = in.int32();
            if (len < -1) {
                throw new PgProtocolException("invalid value length " + len + " in DataRow");
            }
            lengths[i] = len;
            offsets[i] = len < 0 ? 0 : in.skip(len);
        }
        return new DataRow(payload, offsets, lengths);
    }

    private static Map<Character, String> fields(PayloadReader in, Charset charset) {
        Map<Character, String> fields = new LinkedHashMap<>();
        for (byte code = in.int8(); code != 0; code = in.int8()) {
            fields.put((char) (code & 0xff), in.cstring(charset));
        }
        return fields;
    }

    private static ParameterDescription parameterDescription(PayloadReader in) {
        int n = in.count16();
        List<Integer> oids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            oids.add(in.int32());
        }
        return new ParameterDescription(oids);
    }

    private static List<Integer> formats(PayloadReader in) {
        int n = in.count16();
        List<Integer> formats = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            formats.add(in.int16());
        }
        return formats;
    }
}
