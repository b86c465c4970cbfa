package dev.pgjvm.core.integration;

import dev.pgjvm.core.LargeObjects;
import dev.pgjvm.core.PgFileException;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.TransactionStatus;
import dev.pgjvm.psycopg2.PythonBridge;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

import static dev.pgjvm.core.LargeObjects.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Large objects against the test server, each test in a transaction that the closing
 * connection rolls back (nothing it creates outlives it).
 */
class LargeObjectsIntegrationTest extends ConnectedTest {
    private LargeObjects lo;

    @BeforeEach
    void begin() {
        c.execute("BEGIN");
        lo = c.largeObjects();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A large object holding the bytes, open for reading and writing at position 0. */
    private int openWith(byte[] data) {
        int fd = lo.open(lo.create(), INV_READ | INV_WRITE);
        lo.write(fd, data);
        lo.seek(fd, 0, SEEK_SET);
        return fd;
    }

    @Test
    void writeSeekTellRead() {
        long oid = lo.create();
        assertTrue(oid > 0);
        int fd = lo.open(oid, INV_READ | INV_WRITE);
        assertEquals(9, lo.write(fd, ascii("some data")));
        assertEquals(9, lo.tell(fd));
        assertEquals(5, lo.seek(fd, 5, SEEK_SET));
        assertArrayEquals(ascii("data"), lo.read(fd, 100), "fewer bytes at the end");
        assertEquals(7, lo.seek(fd, -2, SEEK_END));
        assertEquals(8, lo.seek(fd, 1, SEEK_CUR));
        assertArrayEquals(ascii("a"), lo.read(fd, 1));
        assertArrayEquals(new byte[0], lo.read(fd, 1));
        lo.close(fd);
        int again = lo.open(oid, INV_READ);
        assertArrayEquals(ascii("some data"), lo.read(again, 9), "a new descriptor starts at 0");
    }

    @Test
    void everyByteValueGoesBothWays() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        int fd = openWith(all);
        assertArrayEquals(all, lo.read(fd, 1000));
    }

    @Test
    void truncateCutsOrExtendsWithZeros() {
        int fd = openWith(ascii("some data"));
        lo.truncate(fd, 4);
        assertEquals(0, lo.tell(fd), "the position does not move");
        assertArrayEquals(ascii("some"), lo.read(fd, 100));
        lo.truncate(fd, 6);
        lo.seek(fd, 0, SEEK_SET);
        assertArrayEquals(new byte[]{'s', 'o', 'm', 'e', 0, 0}, lo.read(fd, 100));
    }

    @Test
    void positionsBeyondTwoGigabytes() {
        int fd = lo.open(lo.create(), INV_WRITE);
        long threeGb = 3L << 30;
        lo.truncate(fd, threeGb);
        assertEquals(threeGb, lo.seek(fd, 0, SEEK_END));
        assertEquals(threeGb - 1, lo.seek(fd, -1, SEEK_CUR));
        assertEquals(threeGb - 1, lo.tell(fd));
    }

    @Test
    void createWithAChosenOid() {
        long oid = lo.create();
        lo.unlink(oid);
        assertEquals(oid, lo.create(oid));
        assertThrows(PgServerException.class, () -> lo.create(oid), "that OID is taken");
        assertEquals(TransactionStatus.INERROR, c.transactionStatus());
    }

    @Test
    void aMissingObjectIsTheServersErrorAndAbortsTheTransaction() {
        long oid = lo.create();
        lo.unlink(oid);
        PgServerException e = assertThrows(PgServerException.class, () -> lo.open(oid, INV_READ));
        assertEquals("42704", e.sqlState());
        assertEquals("ERROR:  large object " + oid + " does not exist\n", e.getMessage());
        assertEquals(TransactionStatus.INERROR, c.transactionStatus());
    }

    @Test
    void oidsAreUnsigned() {
        PgServerException e = assertThrows(PgServerException.class, () -> lo.open(0xFFFF_FFFEL, INV_READ));
        assertTrue(e.getMessage().contains("large object 4294967294 does not exist"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lo.open(-1, INV_READ));
        assertThrows(IllegalArgumentException.class, () -> lo.unlink(1L << 32));
    }

    @Test
    void aDescriptorDiesWithItsTransaction() {
        c.execute("ROLLBACK");
        long oid = lo.create();
        int fd = lo.open(oid, INV_READ);
        PgServerException e = assertThrows(PgServerException.class, () -> lo.read(fd, 1),
                "outside a transaction, each call is one of its own");
        assertTrue(e.getMessage().contains("invalid large-object descriptor"), e.getMessage());
        lo.unlink(oid);
    }

    @Test
    void writingNeedsAWritableDescriptor() {
        int fd = lo.open(lo.create(), INV_READ);
        PgServerException e = assertThrows(PgServerException.class, () -> lo.write(fd, ascii("x")));
        assertTrue(e.getMessage().contains("was not opened for writing"), e.getMessage());
    }

    @Test
    void importAndExportAFileOfSeveralChunks(@TempDir Path dir) throws IOException {
        byte[] data = new byte[600_000];
        new Random(42).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        long oid = lo.importFile(in.toString());
        int fd = lo.open(oid, INV_READ);
        assertArrayEquals(data, lo.read(fd, data.length + 1));
        Path out = dir.resolve("out.bin");
        Files.write(out, new byte[700_000]);
        lo.exportFile(oid, out.toString());
        assertArrayEquals(data, Files.readAllBytes(out), "an existing file is truncated");
        Path created = dir.resolve("created.bin");
        lo.exportFile(oid, created.toString());
        assertTrue(PosixFilePermissions.fromString("rw-r--r--").containsAll(Files.getPosixFilePermissions(created)),
                "libpq's mode 0644, less the umask");
    }

    @Test
    void importAnEmptyFileWithAChosenOid(@TempDir Path dir) throws IOException {
        long free = lo.create();
        lo.unlink(free);
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertEquals(free, lo.importFile(empty.toString(), free));
        assertArrayEquals(new byte[0], lo.read(lo.open(free, INV_READ), 10));
    }

    @Test
    void localFileErrorsInLibpqsWords(@TempDir Path dir) {
        String missing = dir.resolve("missing").toString();
        PgFileException e = assertThrows(PgFileException.class, () -> lo.importFile(missing));
        assertEquals("could not open file \"" + missing + "\": No such file or directory\n", e.getMessage());
        long oid = lo.create();
        PgFileException d = assertThrows(PgFileException.class, () -> lo.exportFile(oid, dir.toString()));
        assertEquals("could not open file \"" + dir + "\": Is a directory\n", d.getMessage());
        PgFileException r = assertThrows(PgFileException.class, () -> lo.importFile(dir.toString()));
        assertEquals("could not read from file \"" + dir + "\": Is a directory\n", r.getMessage());
        assertEquals(TransactionStatus.INTRANS, c.transactionStatus(), "the transaction is untouched");
        lo.unlink(oid);
    }

    @Test
    void pythonReadsBytesAsLatin1() {
        int fd = openWith(new byte[]{0, (byte) 0xff, 'A'});
        assertEquals("\u0000\u00ffA", PythonBridge.loRead(c, fd, 10));
    }
}
