"""psycopg2's large objects: the lobject class (psycopg2.extensions.lobject), and what
connection.lobject() does once the connection has checked that it may (open_lobject).

A lobject works on the server's large-object descriptor, which lives until the transaction
ends: psycopg2 refuses its file-like methods in autocommit, and once the transaction it was
opened in is over (the connection's transaction count, ``_txn_generation``, has moved on: it
is psycopg2's "mark"). Every call goes through PGconn's lo_* methods under the connection's
lock.
"""
import operator
import os

from .compat import PY2, string_types, text_type
from .exceptions import Error, InterfaceError, OperationalError, ProgrammingError
from .members import readonly

# libpq's lo_open() mode bits.
INV_WRITE = 0x20000
INV_READ = 0x40000
# lo_lseek()'s whence.
SEEK_SET = 0
SEEK_END = 2

# What a mode string asks for.
_READ = 1
_WRITE = 2
_BINARY = 4
_TEXT = 8
_DEFAULT_FORM = _BINARY if PY2 else _TEXT

# lo_read() and lo_write() take a C int length; lo_lseek64 a 64-bit offset.
_INT_MAX = 2 ** 31 - 1
_SSIZE_MAX = 2 ** 63 - 1


def parse_mode(mode):
    """A mode string's flags: 'r', 'w', 'rw' or 'n' (neither: no descriptor), then 't' (str,
    the default) or 'b' (bytes; the default on Python 2, as in psycopg2 2.8); '' is 'rt'.
    ValueError for anything else."""
    if mode.startswith('rw'):
        flags, pos = _READ | _WRITE, 2
    elif mode[:1] in ('r', 'w', 'n'):
        flags, pos = {'r': _READ, 'w': _WRITE, 'n': 0}[mode[0]], 1
    else:
        flags, pos = _READ, 0
    suffix = mode[pos:pos + 1]
    if suffix in ('b', 't'):
        flags |= _BINARY if suffix == 'b' else _TEXT
        pos += 1
    else:
        flags |= _DEFAULT_FORM
    if pos != len(mode):
        raise ValueError("bad mode for lobject: '%s'" % mode)
    return flags


def mode_name(flags):
    """The ``mode`` attribute for flags: 'r', 'w' or 'rw' then 't' or 'b'; 'n' for neither."""
    name = ('r' if flags & _READ else '') + ('w' if flags & _WRITE else '')
    if not name:
        return 'n'
    return name + ('t' if flags & _TEXT else 'b')


def _oid(value):
    """An OID argument as psycopg2 takes it (a C unsigned int, unchecked): any integer, kept
    modulo 2**32."""
    return operator.index(value) & 0xFFFFFFFF


def _ssize(value):
    """A size or offset argument (a C Py_ssize_t)."""
    value = operator.index(value)
    if not -_SSIZE_MAX - 1 <= value <= _SSIZE_MAX:
        raise OverflowError("Python int too large to convert to C ssize_t")
    return value


def _c_int(value):
    """A C int argument (seek's whence)."""
    value = operator.index(value)
    if not -_INT_MAX - 1 <= value <= _INT_MAX:
        raise OverflowError("signed integer is %s" % ('greater than maximum' if value > 0
                                                        else 'less than minimum'))
    return value


def _c_string(value, position, optional=True):
    """A C string argument (a mode, a file name): a str, or None when ``optional``; no NUL."""
    if value is None and optional:
        return None
    if not isinstance(value, string_types):
        raise TypeError("argument %d must be %s, not %s" % (
            position, 'str or None' if optional else 'str', type(value).__name__))
    if '\x00' in value:
        raise ValueError("embedded null character")
    return value


def _is_connection(obj):
    # isinstance() without importing the connection module, which imports this one: its
    # class is the one named psycopg2.extensions.connection among the object's bases.
    return any(cls.__module__ == 'psycopg2.extensions' and cls.__name__ == 'connection'
               for cls in type(obj).__mro__)


def open_lobject(conn, oid=0, mode='', new_oid=0, new_file=None, lobject_factory=None):
    """connection.lobject(), after the connection's own refusals (closed, async, green, a
    prepared two-phase transaction): a lobject made by ``lobject_factory`` (lobject or a
    subclass) with the arguments as psycopg2 passes them."""
    factory = lobject if lobject_factory is None else lobject_factory
    args = (conn, _oid(oid), _c_string(mode, 2), _oid(new_oid))
    if new_file is not None:
        args += (_c_string(new_file, 4),)
    obj = factory(*args)
    if not isinstance(obj, lobject):
        raise TypeError("lobject factory must be subclass of psycopg2.extensions.lobject")
    return obj


class lobject(object):
    """A large object on the server, read and written like a file
    (psycopg2.extensions.lobject)."""

    __module__ = 'psycopg2.extensions'

    # What an instance whose __init__ never ran shows: closed, no connection.
    _conn = None
    _fd = -1
    _oid = 0
    _mode = None
    _flags = 0
    _mark = None

    def __init__(self, conn, oid=0, mode='', new_oid=0, new_file=None):
        """Open the large object ``oid`` (0: create one, with the OID ``new_oid`` when not 0,
        holding the file ``new_file`` when given) in ``mode``, inside the connection's
        transaction (begun if need be)."""
        if not _is_connection(conn):
            raise TypeError("argument 1 must be psycopg2.extensions.connection, not %s"
                            % type(conn).__name__)
        oid, new_oid = _oid(oid), _oid(new_oid)
        mode = _c_string(mode, 3) or ''
        new_file = _c_string(new_file, 5)
        if conn.autocommit:
            raise ProgrammingError("can't use a lobject outside of transactions")
        self._conn = conn
        self._mark = conn._txn_generation
        flags = parse_mode(mode)
        conn._check()
        with conn._lock:
            conn._begin_if_due(None)
            if oid == 0:
                if new_file is not None:
                    # Java reads the file: its working directory is not necessarily ours.
                    oid = self._server('lo_import', os.path.abspath(new_file))
                elif new_oid:
                    oid = self._server('lo_create', new_oid)
                else:
                    oid = self._server('lo_creat')
                # A new object is opened for writing, whatever the mode said about reading.
                flags = (flags & ~_READ) | _WRITE
            self._oid = oid
            pgmode = (INV_READ if flags & _READ else 0) | (INV_WRITE if flags & _WRITE else 0)
            if pgmode:
                self._fd = self._server('lo_open', oid, pgmode)
        self._flags = flags
        self._mode = mode_name(flags)

    # -- state ----------------------------------------------------------------------------

    oid = readonly('oid', "The large object's OID.")
    mode = readonly('mode', "The mode it was opened in: 'r', 'w' or 'rw' with 't' or 'b', "
                            "or 'n'.")

    @property
    def closed(self):
        """Whether there is no descriptor to use: closed, opened in mode 'n', or the
        connection closed."""
        return self._fd < 0 or self._conn is None or bool(self._conn.closed)

    def _check_usable(self):
        """psycopg2's refusals of the file-like methods, in its order."""
        if self.closed:
            raise InterfaceError("lobject already closed")
        if self._conn.autocommit:
            raise ProgrammingError("can't use a lobject outside of transactions")
        if self._conn._txn_generation != self._mark:
            raise ProgrammingError("lobject isn't valid anymore")

    def _server(self, name, *args):
        """PGconn's lo_* method ``name`` on the connection, under its lock; on failure the
        connection learns whether it broke (closed 2) before the error goes on."""
        conn = self._conn
        with conn._lock:
            try:
                return getattr(conn._pgconn, name)(*args)
            except Error as e:
                conn._after_failure(e, None)
                raise

    def _in_its_transaction(self):
        return not self._conn.autocommit and self._conn._txn_generation == self._mark

    def __repr__(self):
        return '<lobject object at 0x%x; closed: %d>' % (id(self), self.closed)

    __str__ = __repr__

    # No __del__ closing the descriptor as psycopg2's deallocation does: here a finalizer runs
    # whenever the garbage collector gets to it, and a query from it could land in the middle
    # of another call on the connection. The server closes it when the transaction ends.

    # -- file-like methods ----------------------------------------------------------------

    def read(self, size=-1):
        """At most ``size`` bytes (all up to the end when negative), as str in text mode
        (decoded with the connection's encoding) or bytes in binary mode."""
        size = _ssize(size)
        self._check_usable()
        with self._conn._lock:
            if size < 0:
                where = self._server('lo_tell', self._fd)
                end = self._server('lo_lseek', self._fd, 0, SEEK_END)
                self._server('lo_lseek', self._fd, where, SEEK_SET)
                size = end - where
            if size > _INT_MAX:
                raise OperationalError("argument of lo_read exceeds integer range\n")
            data = self._server('lo_read', self._fd, size)
        if self._flags & _BINARY:
            return data
        return data.decode(self._conn._py_encoding)

    def write(self, data):
        """Write bytes, or a str encoded with the connection's encoding (in either mode);
        returns the number of bytes written."""
        self._check_usable()
        if isinstance(data, text_type):
            data = data.encode(self._conn._py_encoding)
        elif not isinstance(data, bytes):
            raise TypeError("lobject.write requires a string; got %s instead"
                            % type(data).__name__)
        if len(data) > _INT_MAX:
            raise OperationalError("argument of lo_write exceeds integer range\n")
        return self._server('lo_write', self._fd, data)

    def seek(self, offset, whence=0):
        """Move the position by ``offset`` from the start (whence 0), the current position
        (1) or the end (2); returns the new position. 64-bit."""
        offset, whence = _ssize(offset), _c_int(whence)
        self._check_usable()
        return self._server('lo_lseek', self._fd, offset, whence)

    def tell(self):
        """The current position."""
        self._check_usable()
        return self._server('lo_tell', self._fd)

    def truncate(self, len=0):  # noqa: A002 - psycopg2's keyword
        """Cut the large object to ``len`` bytes, or extend it with zeros; the position stays."""
        length = _ssize(len)
        self._check_usable()
        self._server('lo_truncate', self._fd, length)

    def close(self):
        """Close the descriptor; again, or once the transaction is over, does nothing."""
        if not self.closed:
            with self._conn._lock:
                self._close_descriptor()

    def _close_descriptor(self):
        # A descriptor of an earlier transaction is gone already; the lobject keeps its
        # number, so that `closed` stays False, as psycopg2's does.
        if not self._in_its_transaction() or self._fd < 0:
            return
        fd, self._fd = self._fd, -1
        self._server('lo_close', fd)

    # -- the whole object -----------------------------------------------------------------

    def unlink(self):
        """Close the descriptor (when still open) and remove the large object; works on a
        closed lobject and after its transaction, in a new one."""
        conn = self._check_connection()
        with conn._lock:
            conn._begin_if_due(None)
            self._close_descriptor()
            self._server('lo_unlink', self._oid)

    def export(self, filename):
        """Write the large object's bytes to the file ``filename`` (created, or truncated);
        works on a closed lobject and after its transaction, in a new one."""
        filename = _c_string(filename, 1, optional=False)
        conn = self._check_connection()
        if conn.autocommit:
            raise ProgrammingError("can't use a lobject outside of transactions")
        with conn._lock:
            conn._begin_if_due(None)
            # Java writes the file: its working directory is not necessarily ours.
            self._server('lo_export', self._oid, os.path.abspath(filename))

    def _check_connection(self):
        conn = self._conn
        if conn is None:
            raise InterfaceError("lobject already closed")
        conn._check()
        return conn
