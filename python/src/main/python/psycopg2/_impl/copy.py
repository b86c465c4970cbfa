"""COPY FROM STDIN and COPY TO STDOUT: cursor.copy_from(), copy_to() and copy_expert().

The data crosses to java-core a chunk at a time, as a Java String: text the file gave (or the
COPY produced) in the client encoding, or bytes carried one per character as latin-1, which
is far cheaper than handing over a bytes object.
"""
import io
import os

from .compat import raise_from
from .exceptions import DatabaseError, Error
from .pq import ConversionError, UndecodableText
from .quoting import quote_ident, string_literal

# psycopg2's default read size for COPY FROM.
DEFAULT_SIZE = 8192


def copy_statement(cursor, direction, table, sep, null, columns):
    """copy_from()'s (direction 'FROM stdin') or copy_to()'s ('TO stdout') statement. Since
    psycopg2 2.9 the table and column names are quoted identifiers (a schema-qualified table
    needs copy_expert())."""
    conn = cursor.connection
    codec = conn._py_encoding
    return b'COPY %s%s %s WITH DELIMITER AS %s NULL AS %s' % (
        quote_ident(table, cursor).encode(codec), _column_list(columns, cursor).encode(codec),
        direction.encode('ascii'),
        string_literal(sep.encode(codec), conn), string_literal(null.encode(codec), conn))


def _column_list(columns, cursor):
    if columns is None:
        return ''
    names = [quote_ident(c, cursor) for c in columns]
    return '(%s)' % ','.join(names) if names else ''


def transfer(pg, sql, file, size, codec):
    """Run a statement whose COPY data moves between the server (``pg``, a PGconn) and
    ``file``; returns its final result. ``codec``: the Python codec of the client encoding,
    whose error a text file gets for data it cannot decode."""
    direction = pg.copy_start(sql)
    if direction == 'in':
        return _send(pg, file, size)
    if direction == 'out':
        return _receive(pg, file, codec)
    return pg.copy_end(None)


def _send(pg, file, size):
    path = _plain_file(file)
    if path is not None:
        # A binary file on disk: java-core reads it itself, with no Python per chunk. The
        # file is left at its end, as if it had been read.
        start = file.tell()
        file.seek(start + pg.copy_write_file(path, start))
        return pg.copy_end(None)
    read = file.read
    try:
        while True:
            data = read(size)
            if not data:
                break
            pg.copy_write(data)
    except ConversionError:
        # Text with characters the client encoding lacks.
        _abandon(pg, 'COPY data could not be encoded')
        raise
    except Error:
        raise
    except Exception as e:
        # As psycopg2 does: the server fails the COPY with the reason, and that error (a
        # QueryCanceledError naming the Python exception) is what the caller gets.
        return pg.copy_end('error in .read() call: %s %s' % (type(e).__name__, e))
    except BaseException:
        _abandon(pg, 'COPY interrupted by the client')
        raise
    return pg.copy_end(None)


def _plain_file(file):
    """The /proc path of a seekable binary file on disk, or None for anything else (a
    subclass may read differently, a text file decodes, a pipe cannot be reopened)."""
    if type(file) not in (io.BufferedReader, io.FileIO):
        return None
    try:
        if not file.seekable():
            return None
        path = '/proc/self/fd/%d' % file.fileno()
    except (OSError, ValueError):
        return None
    return path if os.path.exists(path) else None


def _receive(pg, file, codec):
    write = file.write
    decode = isinstance(file, io.TextIOBase)
    ascii_only = codec == 'ascii'
    try:
        while True:
            try:
                chunk = _read(pg, decode, ascii_only)
            except UndecodableText as e:
                # As psycopg2, which decodes each row as it comes: the rows before the bad
                # one are written, then the codec's error is raised.
                if e.before:
                    write(e.before)
                raise_from(e.decode_error(codec), None)
            if chunk is None:
                break
            write(chunk)
    except Error:
        raise
    except BaseException:
        # The file refused the data: finish the statement so the connection stays usable,
        # then let the file's exception through, as psycopg2 does.
        _drain(pg)
        raise
    return pg.copy_end(None)


def _read(pg, decode, ascii_only):
    try:
        return pg.copy_read(decode, ascii_only)
    except Error as e:
        if not pg.closed:
            raise               # the server's error: the COPY failed, the session goes on
        # The session broke mid-COPY (lost, or a protocol error): libpq's PQgetCopyData says
        # only -2, and psycopg2 raises about the COPY's own result, which has no message.
        raise_from(DatabaseError(
            'error with status PGRES_COPY_OUT and no message from the libpq'), e)


def _drain(pg):
    try:
        while pg.copy_read(False) is not None:
            pass
        pg.copy_end(None)
    except Error:
        pass


def _abandon(pg, reason):
    try:
        pg.copy_end(reason)
    except Error:
        pass
