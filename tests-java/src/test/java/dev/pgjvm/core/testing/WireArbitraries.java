package dev.pgjvm.core.testing;

import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.pgjvm.core.testing.Gens.*;
import static dev.pgjvm.core.testing.ServerMessages.*;

/**
 * QuickTheories generators of what a server may send: random bytes, type bytes, valid backend
 * messages of every kind, and lies about their length. Each shrinks towards small, simple input
 * (see {@link Gens}), so a falsified property reports the smallest stream that breaks it.
 */
public final class WireArbitraries {
    /** Every type byte a backend sends (in some phase or other). */
    public static final String BACKEND_TYPES = "RKSZvTDCIENA123nstGHWdcV";
    /** The field codes of ErrorResponse and NoticeResponse. */
    private static final String FIELD_CODES = "SVCMDHPpqWstcdnFLR";

    private WireArbitraries() {
    }

    /** A type byte: mostly one a backend sends, now and then any of the 256. */
    public static Gen<Byte> typeByte() {
        return weighted(
                weight(4, charsOf(BACKEND_TYPES).map(c -> (byte) c.charValue())),
                weight(1, anyByte()));
    }

    /**
     * Text a server may put in a string field: no NUL, one- to three-byte UTF-8 characters (half
     * of them ASCII).
     */
    public static Gen<String> text(int maxLength) {
        return strings(Generate.oneOf(charRange('\u0001', '\u007f'), charRange('\u0080', '\ud7ff')), maxLength);
    }

    /** The fields of an ErrorResponse or NoticeResponse, in arrival order (P now and then a number). */
    public static Gen<Map<Character, String>> errorFields() {
        Gen<Character> code = weighted(weight(5, charsOf(FIELD_CODES)), weight(1, charRange('\u0001', '\u00ff')));
        Gen<String> value = Generate.oneOf(text(40), ints(-5, 400).map(i -> Integer.toString(i)));
        return maps(code, value, 8);
    }

    /** One valid backend message of any kind, with random contents. */
    public static Gen<byte[]> validMessage() {
        Gen<String> name = text(20);
        return shown(Generate.oneOf(
                name.zip(name, ServerMessages::parameterStatus),
                anyInt().zip(anyInt(), ServerMessages::backendKeyData),
                pick('I', 'T', 'E').map(ServerMessages::readyForQuery),
                rowDescriptionOf(ints(0, 6)),
                lists(orNull(text(30), 20), 0, 6).map(v -> dataRow(v.toArray(String[]::new))),
                text(30).map(ServerMessages::commandComplete),
                Generate.constant(emptyQueryResponse()),
                errorFields().map(ServerMessages::errorResponse),
                errorFields().map(ServerMessages::noticeResponse),
                anyInt().zip(name, text(60), ServerMessages::notification),
                Gens.bytes(0, 200).map(ServerMessages::copyData),
                Generate.constant(copyDone()),
                Generate.constant(authenticationOk()),
                pick('1', '2', '3', 'n', 's').map(t -> Wire.of().message(t)),
                pick('G', 'H', 'W').zip(ints(0, 4), WireArbitraries::copyResponse)));
    }

    /** A RowDescription of this many text columns with random names. */
    public static Gen<byte[]> rowDescriptionOf(Gen<Integer> columns) {
        return columns.flatMap(n -> lists(text(12), n, n).map(names -> {
            Object[] nameAndOid = new Object[2 * n];
            for (int i = 0; i < n; i++) {
                nameAndOid[2 * i] = names.get(i);
                nameAndOid[2 * i + 1] = 25;
            }
            return rowDescription(nameAndOid);
        }));
    }

    /** CopyInResponse ('G'), CopyOutResponse ('H') or CopyBothResponse ('W'): text, n columns. */
    public static byte[] copyResponse(char type, int columns) {
        Wire w = Wire.of().int8(0).int16(columns);
        for (int i = 0; i < columns; i++) {
            w.int16(0);
        }
        return w.message(type);
    }

    /**
     * How much a length word lies: mostly not at all, else by a little (off by a few bytes) or
     * by anything at all (negative, absurd).
     */
    public static Gen<Integer> lie() {
        return weighted(
                weight(6, Generate.constant(0)),
                weight(3, ints(-8, 8)),
                weight(1, anyInt()));
    }

    /** A copy of the message with its length word changed by {@code lie} (wrapping as an Int32 does). */
    public static byte[] lyingAboutLength(byte[] message, int lie) {
        byte[] out = message.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(1, b.getInt(1) + lie);
        return out;
    }

    /** Chunk sizes to cut a stream into, used in turn: the bytes arrive torn at random points. */
    public static Gen<List<Integer>> chunkSizes() {
        return lists(ints(1, 64), 1, 12);
    }

    /** The stream cut into pieces of the given sizes (in turn, again from the first when they run out). */
    public static List<byte[]> cut(byte[] all, List<Integer> sizes) {
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        for (int i = 0; at < all.length; i++) {
            int n = Math.min(sizes.get(i % sizes.size()), all.length - at);
            byte[] piece = new byte[n];
            System.arraycopy(all, at, piece, 0, n);
            pieces.add(piece);
            at += n;
        }
        return pieces;
    }
}
