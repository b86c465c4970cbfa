package dev.pgjvm.core.testing;

import java.util.Map;

/** Canned backend messages, byte for byte as a server sends them. */
public final class ServerMessages {
    private ServerMessages() {
    }

    public static byte[] authenticationOk() {
        return Wire.of().int32(0).message('R');
    }

    public static byte[] authenticationCleartext() {
        return Wire.of().int32(3).message('R');
    }

    public static byte[] authenticationMd5(byte[] salt) {
        return Wire.of().int32(5).bytes(salt).message('R');
    }

    public static byte[] authenticationSasl(String... mechanisms) {
        Wire w = Wire.of().int32(10);
        for (String m : mechanisms) {
            w.cstring(m);
        }
        return w.int8(0).message('R');
    }

    public static byte[] authenticationSaslContinue(String data) {
        return Wire.of().int32(11).ascii(data).message('R');
    }

    public static byte[] authenticationSaslFinal(String data) {
        return Wire.of().int32(12).ascii(data).message('R');
    }

    public static byte[] parameterStatus(String name, String value) {
        return Wire.of().cstring(name).cstring(value).message('S');
    }

    public static byte[] backendKeyData(int pid, int key) {
        return Wire.of().int32(pid).int32(key).message('K');
    }

    public static byte[] readyForQuery(char status) {
        return Wire.of().int8(status).message('Z');
    }

    /** A RowDescription of text columns, each described as (name, type OID). */
    public static byte[] rowDescription(Object... nameAndOid) {
        Wire w = Wire.of().int16(nameAndOid.length / 2);
        for (int i = 0; i < nameAndOid.length; i += 2) {
            w.cstring((String) nameAndOid[i]).int32(0).int16(0).int32((Integer) nameAndOid[i + 1])
                    .int16(-1).int32(-1).int16(0);
        }
        return w.message('T');
    }

    /** A DataRow of UTF-8 text values; null is SQL NULL. */
    public static byte[] dataRow(String... values) {
        Wire w = Wire.of().int16(values.length);
        for (String v : values) {
            if (v == null) {
                w.int32(-1);
            } else {
                byte[] b = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                w.int32(b.length).bytes(b);
            }
        }
        return w.message('D');
    }

    public static byte[] commandComplete(String tag) {
        return Wire.of().cstring(tag).message('C');
    }

    public static byte[] emptyQueryResponse() {
        return Wire.of().message('I');
    }

    public static byte[] errorResponse(Map<Character, String> fields) {
        return fieldsMessage('E', fields);
    }

    public static byte[] noticeResponse(Map<Character, String> fields) {
        return fieldsMessage('N', fields);
    }

    private static byte[] fieldsMessage(char type, Map<Character, String> fields) {
        Wire w = Wire.of();
        fields.forEach((code, value) -> w.int8(code).cstring(value));
        return w.int8(0).message(type);
    }

    /** An ordered field map from alternating codes and values: fields("S", "ERROR", "M", "boom"). */
    public static Map<Character, String> fields(String... codesAndValues) {
        Map<Character, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < codesAndValues.length; i += 2) {
            m.put(codesAndValues[i].charAt(0), codesAndValues[i + 1]);
        }
        return m;
    }

    public static byte[] notification(int pid, String channel, String payload) {
        return Wire.of().int32(pid).cstring(channel).cstring(payload).message('A');
    }

    /** CopyBothResponse ('W') as a walsender sends it for START_REPLICATION: text, no columns. */
    public static byte[] copyBothResponse() {
        return Wire.of().int8(0).int16(0).message('W');
    }

    /** One CopyData ('d') message carrying these bytes. */
    public static byte[] copyData(byte[] data) {
        return Wire.of().bytes(data).message('d');
    }

    /** CopyDone ('c'). */
    public static byte[] copyDone() {
        return Wire.of().message('c');
    }
}
