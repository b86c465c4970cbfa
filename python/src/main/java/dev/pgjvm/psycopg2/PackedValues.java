package dev.pgjvm.psycopg2;

import java.util.Arrays;

/**
 * Timestamps, dates and numerics reshaped from the server's text into what Python turns into
 * its objects cheapest. On GraalPy, parsing {@code '2024-01-02 03:04:05.123456+01'} in Python
 * costs far more than shifting and masking one int, and a Decimal is built fastest from its
 * parts. Only the forms the server writes with DateStyle ISO are packed; anything else (BC,
 * years past 9999, infinity, 24:00:00, leap seconds, NaN, long scales) stays the text, which
 * the Python casters parse as before. The layouts are read back by
 * {@code psycopg2/_impl/types/datetime.py} and {@code numeric.py}:
 *
 * <ul>
 * <li>timestamp: a long, {@code year << 46 | month << 42 | day << 37 | hour << 32 | minute << 26
 *     | second << 20 | microsecond};</li>
 * <li>timestamptz: the same, {@code | offsetIndex << 60}, the index into the UTC offsets
 *     ({@link Offsets}) met in the same call;</li>
 * <li>date: a long, {@code year << 9 | month << 5 | day};</li>
 * <li>numeric: a String, one header char {@code 0x80 + 2 * scale + (negative ? 1 : 0)} (scale at
 *     most 63, so the String stays latin-1), then the digits without the point or leading
 *     zeros ("0" for zero).</li>
 * </ul>
 */
final class PackedValues {
    /** Letters of {@link PythonBridge#setKinds}: decoded as text by java-core, then packed here. */
    static final char TIMESTAMP = 't';
    static final char TIMESTAMPTZ = 'z';
    static final char DATE = 'd';
    static final char NUMERIC = 'n';

    private static final int MAX_SCALE = 63;

    private PackedValues() {
    }

    /** The distinct UTC offsets (seconds east) met by one call: at most 8, an index fits 3 bits. */
    static final class Offsets {
        private final long[] seconds = new long[8];
        private int count;

        /** The offset's index, added if new; -1 when 8 others are already in. */
        int indexOf(long offsetSeconds) {
            for (int i = 0; i < count; i++) {
                if (seconds[i] == offsetSeconds) {
                    return i;
                }
            }
            if (count == seconds.length) {
                return -1;
            }
            seconds[count] = offsetSeconds;
            return count++;
        }

        /** The offsets in index order. */
        long[] toArray() {
            return Arrays.copyOf(seconds, count);
        }
    }

    /** A packed {@code YYYY-MM-DD}, or the text itself. */
    static Object date(String text) {
        if (text.length() != 10) {
            return text;
        }
        long fields = dateFields(text);
        return fields < 0 ? text : fields;
    }

    /**
     * A packed {@code YYYY-MM-DD HH:MM:SS[.ffffff]}, followed by a UTC offset ({@code ±HH[:MM[:SS]]})
     * when {@code offsets} is given, or the text itself.
     */
    static Object timestamp(String text, Offsets offsets) {
        int n = text.length();
        if (n < 19 || text.charAt(10) != ' ' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return text;
        }
        long date = dateFields(text);
        int hour = twoDigits(text, 11);
        int minute = twoDigits(text, 14);
        int second = twoDigits(text, 17);
        if (date < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return text;
        }
        int at = 19;
        int micro = 0;
        if (at < n && text.charAt(at) == '.') {
            int digits = 0;
            for (at++; at < n && isDigit(text.charAt(at)); at++, digits++) {
                micro = micro * 10 + (text.charAt(at) - '0');
            }
            if (digits == 0 || digits > 6) {
                return text;
            }
            for (; digits < 6; digits++) {
                micro *= 10;
            }
        }
        long packed = date << 37 | (long) hour << 32 | (long) minute << 26 | (long) second << 20 | micro;
        if (offsets == null) {
            return at == n ? packed : text;
        }
        long offset = offsetSeconds(text, at);
        if (offset == Long.MIN_VALUE) {
            return text;
        }
        int index = offsets.indexOf(offset);
        return index < 0 ? text : (long) index << 60 | packed;
    }

    /** A numeric's text as a header char and its digits (see the class comment), or the text itself. */
    static Object numeric(String text) {
        int n = text.length();
        boolean negative = n > 0 && text.charAt(0) == '-';
        int start = negative ? 1 : 0;
        int point = -1;
        StringBuilder digits = new StringBuilder(n + 1).append('\0');
        for (int i = start; i < n; i++) {
            char ch = text.charAt(i);
            if (ch == '.' && point < 0) {
                point = i;
            } else if (isDigit(ch)) {
                if (ch != '0' || digits.length() > 1) { // leading zeros dropped
                    digits.append(ch);
                }
            } else {
                return text; // NaN, Infinity, an exponent: not the server's plain form
            }
        }
        int scale = point < 0 ? 0 : n - point - 1;
        if (n == start || point == start || point == n - 1 || scale > MAX_SCALE) {
            return text;
        }
        if (digits.length() == 1) {
            digits.append('0');
        }
        digits.setCharAt(0, (char) (0x80 + 2 * scale + (negative ? 1 : 0)));
        return digits.toString();
    }

    /** {@code year << 9 | month << 5 | day} of the text's first 10 chars, -1 if not a plain ISO date. */
    private static long dateFields(String text) {
        if (text.charAt(4) != '-' || text.charAt(7) != '-') {
            return -1;
        }
        int century = twoDigits(text, 0);
        int yearOf = twoDigits(text, 2);
        int month = twoDigits(text, 5);
        int day = twoDigits(text, 8);
        int year = century * 100 + yearOf;
        if (century < 0 || yearOf < 0 || year < 1 || month < 1 || month > 12 || day < 1 || day > 31) {
            return -1; // a negative part: twoDigits found no digits there
        }
        return (long) year << 9 | month << 5 | day;
    }

    /** Seconds east of UTC of {@code ±HH[:MM[:SS]]} that ends the text at {@code at}; MIN_VALUE if not that. */
    private static long offsetSeconds(String text, int at) {
        int n = text.length();
        if (at + 3 > n || (text.charAt(at) != '+' && text.charAt(at) != '-')) {
            return Long.MIN_VALUE;
        }
        long sign = text.charAt(at) == '-' ? -1 : 1;
        long seconds = 0;
        int unit = 3600;
        for (int pos = at + 1; ; pos += 3, unit /= 60) {
            int part = twoDigits(text, pos);
            if (part < 0) {
                return Long.MIN_VALUE;
            }
            seconds += (long) part * unit;
            if (pos + 2 == n) {
                return sign * seconds;
            }
            if (unit == 1 || text.charAt(pos + 2) != ':' || pos + 5 > n) {
                return Long.MIN_VALUE;
            }
        }
    }

    /** The two-digit number at {@code at}, -1 if either char is not a digit. */
    private static int twoDigits(String text, int at) {
        char high = text.charAt(at);
        char low = text.charAt(at + 1);
        if (!isDigit(high) || !isDigit(low)) {
            return -1;
        }
        return (high - '0') * 10 + (low - '0');
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }
}
