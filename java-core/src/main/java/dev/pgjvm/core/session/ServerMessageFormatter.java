package dev.pgjvm.core.session;

import java.util.Map;

/**
 * Formats an ErrorResponse or NoticeResponse the way libpq does at its default verbosity
 * (PQERRORS_DEFAULT, context shown for errors only), so that the text psycopg2 users see is the
 * text they know:
 * <pre>
 * ERROR:  syntax error at or near "SELEC"
 * LINE 1: SELEC 1
 *         ^
 * DETAIL:  ...
 * HINT:  ...
 * QUERY:  ...
 * CONTEXT:  ...
 * </pre>
 */
public final class ServerMessageFormatter {
    /** libpq's screen-width limit for the LINE display, and how far from its right end the cursor should stay. */
    private static final int DISPLAY_SIZE = 60;
    private static final int MIN_RIGHT_CUT = 10;

    private ServerMessageFormatter() {
    }

    /**
     * @param fields  the message's fields by one-letter code
     * @param query   the query the message refers to, or null when unknown
     * @param isError true for an ErrorResponse: libpq shows CONTEXT for errors only
     */
    public static String format(Map<Character, String> fields, String query, boolean isError) {
        StringBuilder sb = new StringBuilder(128);
        String severity = fields.containsKey('S') ? fields.get('S') : fields.get('V');
        if (severity != null) {
            sb.append(severity).append(":  ");
        }
        String primary = fields.get('M');
        if (primary != null) {
            sb.append(primary);
        }

        String cursorQuery = null;
        int cursorPosition = 0;
        String position = fields.get('P');
        if (position != null) {
            if (query != null) {
                cursorQuery = query;
                cursorPosition = leadingInt(position);
            } else {
                sb.append(" at character ").append(position);
            }
        } else {
            String internalPosition = fields.get('p');
            if (internalPosition != null) {
                String internalQuery = fields.get('q');
                if (internalQuery != null) {
                    cursorQuery = internalQuery;
                    cursorPosition = leadingInt(internalPosition);
                } else {
                    sb.append(" at character ").append(internalPosition);
                }
            }
        }
        sb.append('\n');

        if (cursorQuery != null && cursorPosition > 0) {
            appendCursor(sb, cursorQuery, cursorPosition);
        }
        appendLabelled(sb, "DETAIL", fields.get('D'));
        appendLabelled(sb, "HINT", fields.get('H'));
        appendLabelled(sb, "QUERY", fields.get('q'));
        if (isError) {
            appendLabelled(sb, "CONTEXT", fields.get('W'));
        }
        return sb.toString();
    }

    private static void appendLabelled(StringBuilder sb, String label, String value) {
        if (value != null) {
            sb.append(label).append(":  ").append(value).append('\n');
        }
    }

    /** atoi(): the leading digits, 0 when there are none. */
    private static int leadingInt(String s) {
        int v = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > 100_000_000) {
                break;
            }
        }
        return v;
    }

    /**
     * Appends "LINE n: text" and a caret under the character at {@code position} (1-based, in
     * characters as the server counts them). Long lines are cut to about 60 screen columns
     * around the cursor with "..." marking each cut, as libpq does.
     */
    static void appendCursor(StringBuilder sb, String query, int position) {
        int loc = position - 1;
        int[] chars = query.codePoints().toArray();
        int count = chars.length;
        int[] column = new int[count + 1]; // screen column where each character starts

        int line = 1;
        int begin = 0;
        int end = -1;
        int screen = 0;
        int cno;
        for (cno = 0; cno < count; cno++) {
            int ch = chars[cno];
            column[cno] = screen;
            if (ch == '\t') {
                chars[cno] = ' '; // tabs have no fixed width; show them as one space
            } else if (ch == '\r' || ch == '\n') {
                if (cno < loc) {
                    // "\r\n" counts as one line break, lone "\r" or "\n" as one each
                    if (ch == '\r' || cno == 0 || chars[cno - 1] != '\r') {
                        line++;
                    }
                    begin = cno + 1;
                } else {
                    end = cno;
                    break;
                }
            }
            screen += displayWidth(chars[cno]);
        }
        if (end < 0) {
            end = cno;
            column[end] = screen;
        }
        if (loc > cno) {
            return; // position beyond the query: nothing sensible to point at
        }

        boolean cutBegin = false;
        boolean cutEnd = false;
        if (column[end] - column[begin] > DISPLAY_SIZE) {
            if (column[begin] + DISPLAY_SIZE >= column[loc] + MIN_RIGHT_CUT) {
                while (column[end] - column[begin] > DISPLAY_SIZE) {
                    end--;
                }
                cutEnd = true;
            } else {
                while (column[loc] + MIN_RIGHT_CUT < column[end]) {
                    end--;
                    cutEnd = true;
                }
                while (column[end] - column[begin] > DISPLAY_SIZE) {
                    begin++;
                    cutBegin = true;
                }
            }
        }

        String prefix = "LINE " + line + ": " + (cutBegin ? "..." : "");
        sb.append(prefix).append(new String(chars, begin, end - begin));
        if (cutEnd) {
            sb.append("...");
        }
        sb.append('\n');
        int caret = prefix.length() + column[loc] - column[begin];
        sb.repeat(' ', caret).append("^\n");
    }

    /**
     * Screen columns of one character: 2 for East Asian wide and fullwidth characters (and the
     * emoji blocks terminals draw wide), 1 otherwise. libpq also treats zero-width and control
     * characters as width 1.
     */
    static int displayWidth(int cp) {
        boolean wide = (cp >= 0x1100 && cp <= 0x115F)
                || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F)
                || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0xFE30 && cp <= 0xFE6F)
                || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6)
                || (cp >= 0x1F300 && cp <= 0x1F64F)
                || (cp >= 0x1F900 && cp <= 0x1F9FF)
                || (cp >= 0x20000 && cp <= 0x2FFFD)
                || (cp >= 0x30000 && cp <= 0x3FFFD);
        return wide ? 2 : 1;
    }
}
