package dev.pgjvm.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * The server's large objects, as libpq's lo_* functions offer them. Each method is one round
 * trip through {@link PgConnection#executeParams} that calls the server function of the same
 * name (lo_creat, lo_create, lo_open, loread, lowrite, lo_lseek64, lo_tell64, lo_truncate64,
 * lo_close, lo_unlink); {@link #importFile} and {@link #exportFile} move a local file, read or
 * written here, in chunks. Get one from {@link PgConnection#largeObjects()}.
 *
 * <p><b>The caller must be inside a transaction</b> (BEGIN first). A descriptor from
 * {@link #open} lives until {@link #close} or the end of the transaction that opened it: outside
 * a transaction every call is a transaction of its own, and the descriptor is gone by the next
 * call. {@link #importFile} and {@link #exportFile} open one too. A server error (no such
 * object, a descriptor not open for writing) aborts the transaction, as any failed statement
 * does; the connection stays usable.
 *
 * <p>OIDs are unsigned 32-bit numbers, hence {@code long}; positions and lengths are 64-bit
 * (the *64 functions, PostgreSQL 9.3 and later). Errors: {@link PgServerException} from the
 * server, {@link PgFileException} for a local file, {@link PgConnectionException} when the
 * connection is closed or lost. Thread-safe as the connection is: one call at a time, and an
 * import or export holds the connection for all of its calls.
 */
public final class LargeObjects {
    /** {@link #open} mode bit: open for reading. */
    public static final int INV_READ = 0x40000;
    /** {@link #open} mode bit: open for writing (the server allows reading too). */
    public static final int INV_WRITE = 0x20000;
    /** {@link #seek}'s whence: from the start. */
    public static final int SEEK_SET = 0;
    /** {@link #seek}'s whence: from the current position. */
    public static final int SEEK_CUR = 1;
    /** {@link #seek}'s whence: from the end. */
    public static final int SEEK_END = 2;

    /** Import and export move a file in pieces of this many bytes, one round trip each. */
    static final int FILE_CHUNK = 256 * 1024;

    // The parameters' types, given to the server so that each call resolves to one function.
    private static final int BYTEA = 17;
    private static final int INT8 = 20;
    private static final int INT4 = 23;
    private static final int OID = 26;
    private static final long MAX_OID = 0xFFFF_FFFFL;
    private static final Set<OpenOption> EXPORT_OPTIONS =
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    // libpq's lo_export creates the file with mode 0644 (the umask applies).
    private static final String EXPORT_PERMISSIONS = "rw-r--r--";

    private final PgConnection connection;

    LargeObjects(PgConnection connection) {
        this.connection = connection;
    }

    /** Creates an empty large object, its OID picked by the server (lo_creat); returns the OID. */
    public long create() {
        return number("SELECT lo_creat($1)", new int[]{INT4}, text(INV_READ | INV_WRITE));
    }

    /**
     * Creates an empty large object with the given OID, or one the server picks for 0
     * (lo_create); returns the OID.
     *
     * @throws PgServerException when a large object with that OID exists
     */
    public long create(long oid) {
        return number("SELECT lo_create($1)", new int[]{OID}, oidText(oid));
    }

    /**
     * Opens a large object (lo_open) for reading ({@link #INV_READ}), writing ({@link #INV_WRITE})
     * or both, at position 0; returns its descriptor, valid in this transaction only.
     *
     * @throws PgServerException when there is no such large object
     */
    public int open(long oid, int mode) {
        return (int) number("SELECT lo_open($1, $2)", new int[]{OID, INT4}, oidText(oid), text(mode));
    }

    /**
     * Up to {@code length} bytes from the descriptor's position, fewer at the end (loread); the
     * position moves past them.
     */
    public byte[] read(int fd, int length) {
        // Binary results: the bytea arrives as its raw bytes, half the size of its hex text.
        PgResult r = connection.executeParams("SELECT loread($1, $2)", new int[]{INT4, INT4},
                new byte[][]{text(fd), text(length)}, null, true);
        r.setValueKinds(ValueKind.BYTEA);
        return (byte[]) onlyValue(r);
    }

    /** Writes the bytes at the descriptor's position (lowrite); returns how many it wrote. */
    public int write(int fd, byte[] data) {
        return (int) number(connection.executeParams("SELECT lowrite($1, $2)", new int[]{INT4, BYTEA},
                new byte[][]{text(fd), data}, new boolean[]{false, true}, false));
    }

    /**
     * Moves the descriptor's position (lo_lseek64) by {@code offset} from the start
     * ({@link #SEEK_SET}), the current position ({@link #SEEK_CUR}) or the end ({@link #SEEK_END});
     * returns the new position.
     */
    public long seek(int fd, long offset, int whence) {
        return number("SELECT lo_lseek64($1, $2, $3)", new int[]{INT4, INT8, INT4},
                text(fd), text(offset), text(whence));
    }

    /** The descriptor's position (lo_tell64). */
    public long tell(int fd) {
        return number("SELECT lo_tell64($1)", new int[]{INT4}, text(fd));
    }

    /**
     * Cuts the large object to {@code length} bytes, or extends it with zeros (lo_truncate64);
     * the descriptor must be open for writing. Its position does not move.
     */
    public void truncate(int fd, long length) {
        number("SELECT lo_truncate64($1, $2)", new int[]{INT4, INT8}, text(fd), text(length));
    }

    /** Closes the descriptor (lo_close). */
    public void close(int fd) {
        number("SELECT lo_close($1)", new int[]{INT4}, text(fd));
    }

    /**
     * Removes the large object (lo_unlink).
     *
     * @throws PgServerException when there is no such large object
     */
    public void unlink(long oid) {
        number("SELECT lo_unlink($1)", new int[]{OID}, oidText(oid));
    }

    /** As {@link #importFile(String, long)}, the OID picked by the server. */
    public long importFile(String path) {
        return importFile(path, 0);
    }

    /**
     * Creates a large object holding a local file's bytes (libpq's lo_import, or
     * lo_import_with_oid for an OID other than 0); returns its OID. The file is read here, not
     * by the server. As libpq does, the file is opened first; a failure to read it later closes
     * the descriptor and leaves the object created so far to the transaction.
     *
     * @throws PgFileException   when the file cannot be opened or read
     * @throws PgServerException when the server refuses (an OID in use, no transaction)
     */
    public long importFile(String path, long oid) {
        synchronized (connection) { // all the calls in a row, no other thread's in between
            FileChannel file = openFile(path, Set.of(StandardOpenOption.READ), "could not open file");
            try {
                long created = oid == 0 ? create() : create(oid);
                int fd = open(created, INV_WRITE);
                byte[] chunk = new byte[FILE_CHUNK];
                try {
                    for (int n; (n = fill(file, chunk)) > 0; ) {
                        write(fd, n == chunk.length ? chunk : Arrays.copyOf(chunk, n));
                    }
                } catch (IOException e) {
                    close(fd);
                    throw fileError("could not read from file", path, e);
                }
                close(fd);
                return created;
            } finally {
                closeQuietly(file);
            }
        }
    }

    /**
     * Writes a large object's bytes to a local file, created or truncated, mode 0644 before the
     * umask when it is created (libpq's lo_export). The file is written here, not by the server.
     *
     * @throws PgFileException   when the file cannot be created or written
     * @throws PgServerException when there is no such large object
     */
    public void exportFile(long oid, String path) {
        synchronized (connection) {
            int fd = open(oid, INV_READ);
            FileChannel file;
            try {
                file = openFile(path, EXPORT_OPTIONS, "could not open file", exportAttributes());
            } catch (PgFileException e) {
                close(fd);
                throw e;
            }
            try {
                for (byte[] data; (data = read(fd, FILE_CHUNK)).length > 0; ) {
                    ByteBuffer buffer = ByteBuffer.wrap(data);
                    while (buffer.hasRemaining()) {
                        file.write(buffer);
                    }
                }
                file.close(); // where a full disk may show first
            } catch (IOException e) {
                close(fd);
                throw fileError("could not write to file", path, e);
            } finally {
                closeQuietly(file);
            }
            close(fd);
        }
    }

    // ---------------------------------------------------------------- calls

    /** Runs a function call, its parameters in text format, whose value is an integer (int4, int8 or oid). */
    private long number(String sql, int[] types, byte[]... values) {
        return number(connection.executeParams(sql, types, values, null, false));
    }

    private static long number(PgResult r) {
        r.setValueKinds(ValueKind.INT8);
        return (Long) onlyValue(r);
    }

    /** The one value of a function call's result: one row, one column, not NULL. */
    private static Object onlyValue(PgResult r) {
        Object value = r.rowCount() == 1 && r.columnCount() == 1 ? r.rows(0, 1)[0][0] : null;
        if (value == null) {
            throw new PgProtocolException("a large-object function returned " + r.rowCount() + " rows of "
                    + r.columnCount() + " columns, or NULL, instead of one value");
        }
        return value;
    }

    /** A number as a text-format parameter. */
    private static byte[] text(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] oidText(long oid) {
        if (oid < 0 || oid > MAX_OID) {
            throw new IllegalArgumentException("not an OID (0 to 4294967295): " + oid);
        }
        return text(oid);
    }

    // ---------------------------------------------------------------- local files

    private static FileChannel openFile(String path, Set<OpenOption> options, String failure,
                                        FileAttribute<?>... attributes) {
        try {
            return FileChannel.open(Path.of(path), options, attributes);
        } catch (IOException e) {
            throw fileError(failure, path, e);
        }
    }

    private static FileAttribute<?>[] exportAttributes() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[]{
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(EXPORT_PERMISSIONS))};
    }

    /** Reads until the chunk is full or the file ends; how many bytes it holds. */
    private static int fill(FileChannel file, byte[] chunk) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        while (buffer.hasRemaining() && file.read(buffer) >= 0) {
            // a short read is not the end: go on until read() says -1
        }
        return buffer.position();
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException e) {
            // only after the data was handled (or an error is already on its way)
        }
    }

    /** libpq's message: what failed, the file, and the system's reason ("... \"/tmp/x\": Permission denied\n"). */
    private static PgFileException fileError(String what, String path, IOException e) {
        return new PgFileException(what + " \"" + path + "\": " + reason(e) + "\n", e);
    }

    /** The C library's words (strerror) for the usual failures, which Java tells apart by class. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
