package dev.pgjvm.core.conninfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * The password file (~/.pgpass or PGPASSFILE): lines of hostname:port:database:username:password
 * where '*' matches anything and '\' escapes ':' or '\'. Like libpq, a file that is not a plain
 * file, or that group or others may access, is ignored; so is one that cannot be read.
 */
public final class PgPassFile {
    private PgPassFile() {
    }

    /** The password of the first matching line, or null. */
    public static String lookup(Path file, String host, String port, String database, String user) {
        if (file == null || database == null || database.isEmpty() || user == null || user.isEmpty()) {
            return null;
        }
        List<String> lines;
        try {
            if (!Files.isRegularFile(file) || isAccessibleByOthers(file)) {
                return null;
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null; // an unreadable password file is as good as none
        }
        for (String line : lines) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            int at = matchField(line, 0, host);
            at = at < 0 ? -1 : matchField(line, at, port);
            at = at < 0 ? -1 : matchField(line, at, database);
            at = at < 0 ? -1 : matchField(line, at, user);
            if (at >= 0) {
                return unescapePassword(line, at);
            }
        }
        return null;
    }

    private static boolean isAccessibleByOthers(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return false; // not a POSIX file system: nothing to check
        }
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Matches one field starting at {@code at} against {@code token}; returns where the next
     * field starts, or -1. A field of exactly "*" matches anything.
     */
    static int matchField(String line, int at, String token) {
        if (line.startsWith("*:", at)) {
            return at + 2;
        }
        int i = at;
        int t = 0;
        while (i < line.length()) {
            boolean escaped = false;
            if (line.charAt(i) == '\\') {
                i++;
                escaped = true;
            }
            char c = i < line.length() ? line.charAt(i) : 0;
            if (c == ':' && !escaped && t == token.length()) {
                return i + 1;
            }
            if (t == token.length() || c != token.charAt(t)) {
                return -1;
            }
            i++;
            t++;
        }
        return -1;
    }

    private static String unescapePassword(String line, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = at; i < line.length() && line.charAt(i) != ':'; i++) {
            if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                i++;
            }
            sb.append(line.charAt(i));
        }
        return sb.toString();
    }
}
