package dev.pgjvm.core.conninfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

class PgPassFileTest {
    @TempDir
    Path tmp;

    static void restrict(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private Path write(String content) throws IOException {
        Path file = tmp.resolve("pgpass");
        Files.writeString(file, content);
        restrict(file);
        return file;
    }

    @Test
    void firstMatchingLineWins() throws IOException {
        Path f = write("""
                # a comment line
                other:5432:db:user:wrong
                myhost:5432:db:user:right
                *:*:*:*:fallback
                """);
        assertEquals("right", PgPassFile.lookup(f, "myhost", "5432", "db", "user"));
        assertEquals("fallback", PgPassFile.lookup(f, "x", "1", "y", "z"));
    }

    @Test
    void wildcardsPerField() throws IOException {
        Path f = write("h:*:*:u:p1\n*:5433:db:*:p2\n");
        assertEquals("p1", PgPassFile.lookup(f, "h", "9", "any", "u"));
        assertEquals("p2", PgPassFile.lookup(f, "k", "5433", "db", "anyone"));
        assertNull(PgPassFile.lookup(f, "k", "5432", "db", "anyone"));
    }

    @Test
    void escapedColonsAndBackslashes() throws IOException {
        Path f = write("h\\:x:5432:d\\\\b:u:pa\\:ss\\\\word\n");
        assertEquals("pa:ss\\word", PgPassFile.lookup(f, "h:x", "5432", "d\\b", "u"));
        assertNull(PgPassFile.lookup(f, "h", "5432", "d\\b", "u"));
    }

    @Test
    void starMatchesOnlyAsAWholeField() throws IOException {
        Path f = write("*x:5432:d:u:p\n");
        assertNull(PgPassFile.lookup(f, "ax", "5432", "d", "u"));
        assertEquals("p", PgPassFile.lookup(f, "*x", "5432", "d", "u"));
    }

    @Test
    void passwordEndsAtAnUnescapedColonAndCrlfIsStripped() throws IOException {
        Path f = write("h:1:d:u:pw:extra\r\nh:2:d:u:crlf\r\n");
        assertEquals("pw", PgPassFile.lookup(f, "h", "1", "d", "u"));
        assertEquals("crlf", PgPassFile.lookup(f, "h", "2", "d", "u"));
    }

    @Test
    void groupOrWorldReadableFileIsIgnored() throws IOException {
        Path f = write("*:*:*:*:pw\n");
        assertEquals("pw", PgPassFile.lookup(f, "h", "1", "d", "u"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        assertNull(PgPassFile.lookup(f, "h", "1", "d", "u"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw----r--"));
        assertNull(PgPassFile.lookup(f, "h", "1", "d", "u"));
    }

    @Test
    void missingFileDirectoryOrEmptyKeysGiveNothing() throws IOException {
        assertNull(PgPassFile.lookup(tmp.resolve("absent"), "h", "1", "d", "u"));
        assertNull(PgPassFile.lookup(tmp, "h", "1", "d", "u"));
        Path f = write("*:*:*:*:pw\n");
        assertNull(PgPassFile.lookup(f, "h", "1", "", "u"));
        assertNull(PgPassFile.lookup(f, "h", "1", "d", ""));
    }
}
