package dev.pgjvm.core.replication;

/**
 * Log sequence numbers (LSNs): WAL positions, unsigned 64-bit, written by PostgreSQL as two
 * hexadecimal halves, "16/B374D848". Carried as a Java long (its bits, read as unsigned).
 */
public final class Lsn {
    private Lsn() {
    }

    /**
     * The LSN written "high/low" (each half hexadecimal, at most 8 digits).
     *
     * @throws IllegalArgumentException when the text is not an LSN
     */
    public static long parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("invalid LSN: \"" + text + "\"");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // Only ASCII hex digits, as pg_lsn_in: Long.parseLong would take signs and other scripts' digits.
            if (i != slash && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                throw new IllegalArgumentException("invalid LSN: \"" + text + "\"");
            }
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            return high << 32 | low;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid LSN: \"" + text + "\"");
        }
    }

    /** The LSN as PostgreSQL writes it: "16/B374D848" (upper case, the low half on 8 digits). */
    public static String format(long lsn) {
        return String.format("%X/%08X", lsn >>> 32, lsn & 0xFFFFFFFFL);
    }
}
