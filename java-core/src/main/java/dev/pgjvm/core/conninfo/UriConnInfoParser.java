package dev.pgjvm.core.conninfo;

import dev.pgjvm.core.ConnInfoException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * libpq's connection URI syntax:
 * {@code postgresql://[user[:password]@][host][:port][,...][/dbname][?param=value&...]},
 * with percent-encoding anywhere, IPv6 hosts in brackets, and several host[:port] entries
 * kept as comma-separated lists (as libpq stores them).
 */
final class UriConnInfoParser {
    private static final String LONG_PREFIX = "postgresql://";
    private static final String SHORT_PREFIX = "postgres://";

    private UriConnInfoParser() {
    }

    static boolean isUri(String s) {
        return s.startsWith(LONG_PREFIX) || s.startsWith(SHORT_PREFIX);
    }

    static Map<String, String> parse(String uri) {
        Map<String, String> options = new LinkedHashMap<>();
        int p = uri.startsWith(LONG_PREFIX) ? LONG_PREFIX.length() : SHORT_PREFIX.length();
        int n = uri.length();

        // Credentials: only when an '@' comes before the first '/'.
        int at = p;
        while (at < n && uri.charAt(at) != '@' && uri.charAt(at) != '/') {
            at++;
        }
        if (at < n && uri.charAt(at) == '@') {
            int colon = uri.indexOf(':', p);
            int userEnd = colon >= 0 && colon < at ? colon : at;
            String user = uri.substring(p, userEnd);
            if (!user.isEmpty()) {
                options.put("user", decode(user));
            }
            if (userEnd < at) {
                String password = uri.substring(userEnd + 1, at);
                if (!password.isEmpty()) {
                    options.put("password", decode(password));
                }
            }
            p = at + 1;
        }

        StringBuilder hosts = new StringBuilder();
        StringBuilder ports = new StringBuilder();
        char terminator;
        while (true) {
            String host;
            if (p < n && uri.charAt(p) == '[') {
                int close = uri.indexOf(']', p + 1);
                if (close < 0) {
                    throw new ConnInfoException("end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"" + uri + "\"\n");
                }
                if (close == p + 1) {
                    throw new ConnInfoException("IPv6 host address may not be empty in URI: \"" + uri + "\"\n");
                }
                host = uri.substring(p + 1, close);
                p = close + 1;
                if (p < n && ":/?,".indexOf(uri.charAt(p)) < 0) {
                    throw new ConnInfoException("unexpected character \"" + uri.charAt(p) + "\" at position "
                            + (p + 1) + " in URI (expected \":\" or \"/\"): \"" + uri + "\"\n");
                }
            } else {
                int start = p;
                while (p < n && ":/?,".indexOf(uri.charAt(p)) < 0) {
                    p++;
                }
                host = uri.substring(start, p);
            }
            hosts.append(host);
            terminator = p < n ? uri.charAt(p) : 0;
            if (terminator == ':') {
                int start = ++p;
                while (p < n && "/?,".indexOf(uri.charAt(p)) < 0) {
                    p++;
                }
                ports.append(uri, start, p);
                terminator = p < n ? uri.charAt(p) : 0;
            }
            if (terminator != ',') {
                break;
            }
            p++;
            hosts.append(',');
            ports.append(',');
        }
        if (!hosts.isEmpty()) {
            options.put("host", decode(hosts.toString()));
        }
        if (!ports.isEmpty()) {
            options.put("port", decode(ports.toString()));
        }

        if (terminator == '/') {
            int start = ++p;
            while (p < n && uri.charAt(p) != '?') {
                p++;
            }
            String dbname = uri.substring(start, p);
            // An empty path must not set dbname: that would hide PGDATABASE.
            if (!dbname.isEmpty()) {
                options.put("dbname", decode(dbname));
            }
            terminator = p < n ? '?' : 0;
        }
        if (terminator == '?') {
            parseQuery(uri.substring(p + 1), options);
        }
        return options;
    }

    private static void parseQuery(String query, Map<String, String> options) {
        int i = 0;
        int n = query.length();
        while (i < n) {
            int start = i;
            int eq = -1;
            while (i < n && query.charAt(i) != '&') {
                if (query.charAt(i) == '=') {
                    if (eq >= 0) {
                        throw new ConnInfoException("extra key/value separator \"=\" in URI query parameter: \""
                                + query.substring(start, eq) + "\"\n");
                    }
                    eq = i;
                }
                i++;
            }
            if (eq < 0) {
                throw new ConnInfoException("missing key/value separator \"=\" in URI query parameter: \""
                        + query.substring(start, i) + "\"\n");
            }
            String keyword = decode(query.substring(start, eq));
            String value = decode(query.substring(eq + 1, i));
            if (i < n) {
                i++; // past '&'
            }
            // JDBC's ssl=true, as libpq accepts it.
            if (keyword.equals("ssl") && value.equals("true")) {
                keyword = "sslmode";
                value = "require";
            }
            KeyValueConnInfoParser.store(options, keyword, value,
                    "invalid URI query parameter: \"" + keyword + "\"\n");
        }
    }

    /** Percent-decoding of UTF-8 text; %00 is refused, as libpq does. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b != '%') {
                out.write(b);
                continue;
            }
            int hi = i + 1 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
            int lo = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new ConnInfoException("invalid percent-encoded token: \"" + s + "\"\n");
            }
            int c = (hi << 4) | lo;
            if (c == 0) {
                throw new ConnInfoException("forbidden value %00 in percent-encoded value: \"" + s + "\"\n");
            }
            out.write(c);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
