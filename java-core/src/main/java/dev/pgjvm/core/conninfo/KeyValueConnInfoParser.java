package dev.pgjvm.core.conninfo;

import dev.pgjvm.core.ConnInfoException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * libpq's key=value connection string syntax: pairs separated by whitespace, optional
 * whitespace around '=', values either bare (ending at whitespace) or single-quoted; a
 * backslash escapes the next character in both. A later pair overrides an earlier one.
 */
final class KeyValueConnInfoParser {
    private KeyValueConnInfoParser() {
    }

    static Map<String, String> parse(String s) {
        Map<String, String> options = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            if (isSpace(s.charAt(i))) {
                i++;
                continue;
            }
            int nameStart = i;
            while (i < n && s.charAt(i) != '=' && !isSpace(s.charAt(i))) {
                i++;
            }
            String name = s.substring(nameStart, i);
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                throw new ConnInfoException("missing \"=\" after \"" + name + "\" in connection info string\n");
            }
            i++;
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '\'') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new ConnInfoException("unterminated quoted string in connection info string\n");
                    }
                    char c = s.charAt(i);
                    if (c == '\\') {
                        i++;
                        if (i < n) {
                            value.append(s.charAt(i++));
                        }
                        continue;
                    }
                    if (c == '\'') {
                        i++;
                        break;
                    }
                    value.append(c);
                    i++;
                }
            } else {
                while (i < n && !isSpace(s.charAt(i))) {
                    char c = s.charAt(i++);
                    if (c == '\\') {
                        if (i < n) {
                            value.append(s.charAt(i++));
                        }
                    } else {
                        value.append(c);
                    }
                }
            }
            store(options, name, value.toString(), "invalid connection option \"" + name + "\"\n");
        }
        return options;
    }

    /**
     * Stores one option, translating the pre-8.4 "requiressl" into sslmode as libpq still does.
     *
     * @param invalidMessage the error for a keyword libpq does not know (wording differs for URIs)
     */
    static void store(Map<String, String> options, String name, String value, String invalidMessage) {
        if (name.equals("requiressl")) {
            options.put("sslmode", value.startsWith("1") ? "require" : "prefer");
            return;
        }
        if (!ConnInfoKeyword.isValid(name)) {
            throw new ConnInfoException(invalidMessage);
        }
        options.put(name, value);
    }

    /** C's isspace() in the "C" locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
