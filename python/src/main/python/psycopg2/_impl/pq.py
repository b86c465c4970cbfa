# -*- coding: utf-8 -*-
"""The boundary with java-core: the one module that touches Java, on GraalPy (through its
``java`` module) and on Jython (which imports Java classes directly).

What psycopg's ``pq`` package is to libpq, this module is to java-core: the layers above see
``PGconn`` and ``PGresult`` with Python values (text, int, bytes, tuples) and psycopg2's
exceptions, never a Java object or a Java exception. The two Pythons differ here in how a Java
class is found, how bytes become a byte[] and Java strings become Python text (see the
``if JYTHON`` block below), and in the typecode of 64-bit numbers (``_TYPECODES``).

The Java members it calls, its whole contract with java-core (see java-core/README.md):

==========================================  ==================================================
Java                                         here
==========================================  ==================================================
PgConnection.connect(dsn, map, env)          PGconn.connect()
PgConnectionPool.borrow(), giveBack(c)       PGconn.connect(), close() of a DSN bound by the host
PgConnection.connectStart(dsn, map, env)     PGconn.connect_start()
PythonBridge.connectPoll(c)                  PGconn.connect_poll(): POLL_OK/READ/WRITE
PgConnection.sendQuery(byte[])               PGconn.send_query()
PythonBridge.poll(c)                         PGconn.poll(): POLL_OK/READ/WRITE
PgConnection.getResult(), isBusy()           PGconn.get_result(), busy
PgConnection.consumeInput()                  PGconn.consume_input()
ClientEnvironment.withVariables(map)         PGconn.connect(): os.environ's PG* and HOME
PgConnection.execute(byte[])                 PGconn.exec_()
PgConnection.executePipelined(byte[][])      PGconn.exec_pipelined()
  PipelineOutcome's completed, affectedRows,
  result, failure
PythonBridge.copyStart(c, byte[])            PGconn.copy_start(): 'in', 'out' or 'none'
PgConnection.copyWrite(str, raw)             PGconn.copy_write()
PgConnection.copyWriteFile(path, offset)     PGconn.copy_write_file()
PgConnection.copyRead(raw)                   PGconn.copy_read()
  UndecodableTextException's bytes, row,       UndecodableText (rows() and copy_read())
  decodedBefore
PgConnection.copyEnd(failure)                PGconn.copy_end()
PythonBridge.notices(c), notifications(c)    PGconn.notices(), notifies()
PythonBridge.transactionStatus(c)            PGconn.transaction_status (libpq's PQTRANS_*)
PythonBridge.dsnParameters(c)                PGconn.dsn_parameters()
PgConnection.parameterStatus, serverVersion, PGconn.parameter_status(), server_version,
  protocolVersion, backendPid, host, port,     protocol_version, backend_pid, host, port,
  user, dbname, password, options              user, dbname, password, options
PgConnection.sslInUse, sslAttribute          PGconn.ssl_in_use, ssl_attribute()
PgConnection.fileDescriptor, cancel, close,  PGconn.fileno(), cancel(), close(), closed
  isClosed
the PgConnection object itself               PGconn.native()
PythonBridge.status(r), columns(r)           PGresult.status, columns()
PythonBridge.setKinds(r, letters)            PGresult.set_kinds()
PythonBridge.window(r, from, to, letters)    PGresult.values(), rows()
PgResult.commandTag, affectedRows,           PGresult.command_tag, rowcount, oid, ntuples
  insertedOid, rowCount
ConnInfo.parse(dsn).asMap()                  parse_conninfo()
PasswordEncryption.encrypt(pw, user, algo)   encrypt_password()
PgConnection.largeObjects(): LargeObjects's  PGconn.lo_creat(), lo_create(), lo_open(),
  create, open, write, seek, tell, truncate,   lo_write(), lo_lseek(), lo_tell(), lo_truncate(),
  close, unlink, importFile, exportFile        lo_close(), lo_unlink(), lo_import(), lo_export()
PythonBridge.loRead(c, fd, length)           PGconn.lo_read(): bytes
PythonBridge.replicationStream(c, seconds)   PGconn.replication_stream()
PythonBridge.describe(exception)             (an unforeseen Java exception's class and text)
PythonBridge.readReplicationMessage(c, s,    ReplicationStream.read(): a tuple, or None
  wait, decode)
ReplicationStream.sendFeedback, walEnd,      ReplicationStream.send_feedback(), wal_end,
  lastIoMicros, lastFeedbackMicros,            io_time, feedback_time, ended,
  isEnded, setStatusInterval                   set_status_interval()
java.as_java_byte_array(bytes), on Jython    (every byte[] argument)
  array('b', bytes)
==========================================  ==================================================

Every failure of a Java call comes out as the psycopg2 exception a user would catch (see
``_translate``): a server error as its SQLSTATE's class (but for the lo_* calls, whose errors
psycopg2 reports as OperationalError with libpq's message), a lost connection as
OperationalError, a value java-core cannot decode as ValueError, anything unforeseen as
InterfaceError, never as a Java exception that ``except Exception`` would miss.
"""
import atexit
import re
import sys
import weakref
from array import array

from .compat import JYTHON, raise_from, text_type
from .errors import _for_sqlstate
from .exceptions import (
    DatabaseError, DIAG_FIELDS, InterfaceError, OperationalError, ProgrammingError)

if JYTHON:
    def _java_class(name):
        # Jython imports Java classes as the members of their packages; where it has not
        # indexed the class path (python.cachedir.skip, as an embedding host may set it), the
        # package is made known first.
        package, _, simple = name.rpartition('.')
        try:
            module = __import__(package, None, None, [simple], 0)
        except ImportError:
            sys.add_package(package)
            module = __import__(package, None, None, [simple], 0)
        return getattr(module, simple)

    def _java_bytes(data):
        # An array('b') is passed as the byte[] it holds.
        return array('b', data if type(data) is str else bytes(bytearray(data)))

    # A Java String as psycopg2 2.8 gives names, messages and settings on Python 2: a str (the
    # UTF-8 bytes); data text (COPY, replication) stays unicode.
    def _str(value):
        return unicode(value).encode('utf-8')       # noqa: F821 (Python 2 only)

    def _java_string(value):
        return value.decode('utf-8') if isinstance(value, str) else unicode(value)  # noqa: F821
else:
    import java
    _java_class = java.type
    _str = _java_string = str
    # A bytes-like object as a Java byte[], copied in bulk when the call converts it (bytes
    # passed as they are would be converted element by element). Not a Java method that reads
    # the buffer through the polyglot API: a signal handler can run inside such a call-back,
    # and what it raises (sys.exit()'s SystemExit, KeyboardInterrupt) then reaches Python as a
    # Java exception with the original lost. Converted on the Python side of the call, it is
    # raised as itself.
    _java_bytes = java.as_java_byte_array

_PgConnection = _java_class('dev.pgjvm.core.PgConnection')
_ConnInfo = _java_class('dev.pgjvm.core.conninfo.ConnInfo')
_ClientEnvironment = _java_class('dev.pgjvm.core.conninfo.ClientEnvironment')
_PgException = _java_class('dev.pgjvm.core.PgException')
_PgServerException = _java_class('dev.pgjvm.core.PgServerException')
_PgConnectionException = _java_class('dev.pgjvm.core.PgConnectionException')
_ConnInfoException = _java_class('dev.pgjvm.core.ConnInfoException')
_PgCopyRefusedException = _java_class('dev.pgjvm.core.PgCopyRefusedException')
_UndecodableTextException = _java_class('dev.pgjvm.core.UndecodableTextException')
_IllegalArgumentException = _java_class('java.lang.IllegalArgumentException')
# Whatever java-core throws: every Java exception a call may raise is one of these.
_RuntimeException = _java_class('java.lang.RuntimeException')
_HashMap = _java_class('java.util.HashMap')
_Duration = _java_class('java.time.Duration')
_Bridge = _java_class('dev.pgjvm.psycopg2.PythonBridge')

# Decoder kinds, one letter per column for PGresult.set_kinds(): the Java value each column's
# values arrive as (PythonBridge defines the same letters).
KIND_TEXT = 's'
KIND_INT = 'i'
KIND_FLOAT = 'f'
KIND_BOOL = 'b'
KIND_BYTEA = 'x'      # bytes, carried as a str of chars 0-255 (see PGresult.rows)
# Packed by PythonBridge (see PackedValues.java for the layouts), or the text when unusual.
KIND_TIMESTAMP = 't'  # an int: year << 46 | month << 42 | day << 37 | hour << 32 | ...
KIND_TIMESTAMPTZ = 'z'  # the same | offset index << 60 (into PGresult.tz_offsets)
KIND_DATE = 'd'       # an int: year << 9 | month << 5 | day
KIND_NUMERIC = 'n'    # a str: chr(0x80 + 2 * scale + negative), then the digits


class ConversionError(ValueError):
    """A value java-core could not convert: text with characters the client encoding lacks
    (nothing was sent), or server text that is not what its type promises."""


class UndecodableText(ValueError):
    """Text from the server not valid in the client encoding (java-core never replaces it):
    ``data`` the bytes of the value (``row`` its row in the result) or of the COPY row,
    ``before`` the COPY data decoded ahead of it. The layer above raises what psycopg2 raises,
    the UnicodeDecodeError of the connection's codec (decode_error())."""

    def __init__(self, data, row=-1, before=''):
        super(UndecodableText, self).__init__('text not valid in the client encoding')
        self.data = data
        self.row = row
        self.before = before

    @classmethod
    def _from_java(cls, jexc):
        # A value or a row: small, so converting the byte[] (signed) element by element is fine.
        return cls(bytes(bytearray(b & 0xff for b in jexc.bytes())), int(jexc.row()),
                   text_type(jexc.decodedBefore()))

    def decode_error(self, codec):
        """The UnicodeDecodeError that decoding ``data`` with the Python codec gives."""
        try:
            self.data.decode(codec)
        except UnicodeDecodeError as e:
            return e
        # Java's decoder refused what Python's codec takes: still not decoded silently.
        return UnicodeDecodeError(codec, self.data, 0, len(self.data),
                                  'not valid in the client encoding')


# A str holding a character outside ASCII (the SQL_ASCII check, see PGresult.ascii_only).
_NON_ASCII = re.compile('[^\x00-\x7f]')


def _message(jexc):
    msg = jexc.getMessage()
    return '' if msg is None else _str(msg)


def _strip_severity(message):
    """'ERROR:  text\\n' → 'text\\n': the exception's str(), as psycopg2 shows it (only
    the severities that end a statement are stripped)."""
    for prefix in ('ERROR:  ', 'FATAL:  ', 'PANIC:  '):
        if message.startswith(prefix) and len(message) > len(prefix):
            return message[len(prefix):]
    return message


def _translate(jexc, connecting=False):
    """The psycopg2 exception for a Java exception thrown by java-core (the connection layer
    sets its ``cursor``)."""
    if isinstance(jexc, _PgServerException):
        pgerror = _message(jexc)
        fields = {}
        for code in DIAG_FIELDS.values():
            value = jexc.field(code)
            if value is not None:
                fields[code] = _str(value)
        sqlstate = fields.get('C')
        if sqlstate is not None:
            sqlstate = str(sqlstate)        # ASCII: the native str on Python 2 too
        cls = _for_sqlstate(sqlstate) if sqlstate else DatabaseError
        return cls(_strip_severity(pgerror), pgerror=pgerror, pgcode=sqlstate,
                   diag_fields=fields)
    if isinstance(jexc, _PgConnectionException):
        message = _message(jexc)
        if connecting:
            # A failed connect(): psycopg2 leaves pgerror unset.
            return OperationalError(message)
        # Lost while running a statement: psycopg2 reports it as a query error, the full text
        # in pgerror and the text without its severity as str().
        return OperationalError(_strip_severity(message), pgerror=message)
    if isinstance(jexc, _PgCopyRefusedException):
        if jexc.copyIn():
            return ProgrammingError("can't execute COPY FROM: use the copy_from() method instead")
        return ProgrammingError("can't execute COPY TO: use the copy_to() method instead")
    if isinstance(jexc, _ConnInfoException):
        # A value libpq refuses at connect time (port=abc, sslmode=bad, PGPORT=abc): the
        # DSN's syntax was checked before (make_dsn), as psycopg2 checks it.
        return OperationalError(_message(jexc))
    if not isinstance(jexc, _PgException):
        # Not a failure java-core reports but a fault of its own: still a psycopg2 error.
        # Through the bridge: a sandboxed context may not call getClass() (Psycopg2Contexts).
        return InterfaceError('java-core: %s' % _Bridge.describe(jexc))
    return OperationalError(_message(jexc))


_PasswordEncryption = _java_class('dev.pgjvm.core.auth.PasswordEncryption')


def encrypt_password(password, user, algorithm):
    """The encrypted form of a password for pg_authid ('md5' or 'scram-sha-256', computed
    here); ValueError, in libpq's words, for another algorithm."""
    try:
        return _str(_PasswordEncryption.encrypt(password, user, algorithm))
    except _IllegalArgumentException as e:
        raise_from(ValueError(_message(e)), None)


def _lo_error(jexc):
    """The psycopg2 exception for a failed large-object call. psycopg2 reports what libpq's
    lo_* functions say as OperationalError with libpq's whole message and no pgcode, the
    server's errors too (not as their SQLSTATE's class)."""
    if isinstance(jexc, _PgServerException):
        return OperationalError(_message(jexc))
    # A local file that cannot be read or written is a PgException: OperationalError too.
    return _translate(jexc)


def _java_map(d):
    m = _HashMap()
    for k, v in d.items():
        if v is not None:
            m.put(_java_string(k), _java_string(v))
    return m


def _text(value):
    return None if value is None else _str(value)


def parse_conninfo(dsn):
    """The options a DSN (key=value or URI) sets, as a dict of str; ProgrammingError (with
    libpq's reason) when it is malformed."""
    try:
        parsed = _ConnInfo.parse(dsn)
    except _RuntimeException as e:
        raise_from(ProgrammingError("invalid dsn: %s\n" % _message(e).rstrip('\n')), None)
    return {_str(k): _str(v) for k, v in parsed.asMap().items()}


# The sessions opened in this interpreter and not closed yet, closed when it ends: a Java
# application that closes a context (Context.close() runs the atexit functions) ends the
# sessions its script left open, their transactions rolled back by the server, instead of
# leaving them to the JVM's exit. Weak: a connection dropped unclosed still goes when it is
# collected (connection.__del__).
_OPEN = weakref.WeakSet()


def _close_open_sessions():
    for pgconn in list(_OPEN):
        try:
            pgconn.close()
        except BaseException:
            pass



if not JYTHON:
    # Not on Jython, where sys.exit() in a signal handler (which runs in a thread of its own)
    # runs the atexit functions while the main thread may still be using its connection: that
    # thread would see it closed under it. The JVM's exit closes the sockets there.
    atexit.register(_close_open_sessions)

# The host's connection pools bound to this interpreter (Psycopg2Contexts.bindPool in the
# psycopg2 jar), by the DSN connect() is given: that DSN borrows from the pool.
_POOLS = {}


def bind_pool(dsn, pool):
    """Called by the host: PGconn.connect(dsn) borrows from ``pool`` (a PgConnectionPool) and
    close() gives the connection back to it, reset."""
    _POOLS[_str(dsn)] = pool


class PGconn(object):
    """A java-core connection, with Python values in and out."""

    __slots__ = ('_jconn', '_pool', '__weakref__')

    def __init__(self, jconn, pool=None):
        self._jconn = jconn
        self._pool = pool          # the PgConnectionPool it was borrowed from, or None
        _OPEN.add(self)

    @classmethod
    def connect(cls, dsn, environ):
        """Connect with libpq's rules, blocking; ``environ``: the variables libpq would read
        (PG*, HOME), as a dict."""
        pool = _POOLS.get(dsn)
        try:
            if pool is not None:
                return cls(pool.borrow(), pool)
            env = _ClientEnvironment.withVariables(_java_map(environ))
            return cls(_PgConnection.connect(dsn, _java_map({}), env))
        except _RuntimeException as e:
            raise_from(_translate(e, connecting=True), None)

    @classmethod
    def connect_start(cls, dsn, environ):
        """Start connecting without blocking (as connect() for the arguments): connect_poll()
        until POLL_OK. The socket exists after the first connect_poll()."""
        try:
            env = _ClientEnvironment.withVariables(_java_map(environ))
            return cls(_PgConnection.connectStart(dsn, _java_map({}), env))
        except _RuntimeException as e:
            raise_from(_translate(e, connecting=True), None)

    def connect_poll(self):
        """One step of the connection attempt: POLL_OK (0) once connected, POLL_READ (1) or
        POLL_WRITE (2) to wait for; OperationalError when every host failed."""
        try:
            return _Bridge.connectPoll(self._jconn)
        except _RuntimeException as e:
            raise_from(_translate(e, connecting=True), None)

    # -- statements -----------------------------------------------------------------------

    def exec_(self, sql):
        """Run a simple query (bytes in the client encoding, cut at a NUL as libpq does);
        the result of its last statement."""
        try:
            return PGresult(self._jconn.execute(_java_bytes(sql)))
        except _RuntimeException as e:
            raise_from(_translate(e), None)

    def exec_pipelined(self, statements):
        """Run simple queries (a list of bytes, each as for exec_()) back to back, without
        waiting for each result before sending the next: (the row counts of the statements
        that completed, the PGresult of the last of them or None, the error of the first that
        failed or None). The caller keeps the list to a few tens of KB (see
        PgConnection.executePipelined)."""
        try:
            outcome = self._jconn.executePipelined([_java_bytes(sql) for sql in statements])
        except _RuntimeException as e:
            raise_from(_translate(e), None)
        completed = int(outcome.completed())
        counts = [int(n) for n in outcome.affectedRows()]
        last = PGresult(outcome.result(completed - 1)) if completed else None
        failure = outcome.failure()
        return counts, last, None if failure is None else _translate(failure)

    def send_query(self, sql):
        """Send a simple query (bytes, as for exec_()) without waiting for it: poll() until
        POLL_OK, then get_result()."""
        try:
            self._jconn.sendQuery(_java_bytes(sql))
        except _RuntimeException as e:
            raise_from(_translate(e), None)

    def poll(self):
        """Advance the query sent by send_query() without blocking: POLL_OK (0) once its
        result is ready (or when none is in flight), POLL_READ (1) or POLL_WRITE (2)."""
        try:
            return _Bridge.poll(self._jconn)
        except _RuntimeException as e:
            raise_from(_translate(e), None)

    @property
    def busy(self):
        """Whether the query sent by send_query() is still under way."""
        return bool(self._jconn.isBusy())

    def get_result(self):
        """The result of the query sent by send_query(), once poll() gave POLL_OK (its error
        raised as exec_() raises it); None when there is none."""
        try:
            jresult = self._jconn.getResult()
        except _RuntimeException as e:
            raise_from(_translate(e), None)
        return None if jresult is None else PGresult(jresult)

    def consume_input(self):
        """Read what has arrived without blocking (notifications, notices)."""
        try:
            self._jconn.consumeInput()
        except _RuntimeException as e:
            raise_from(_translate(e), None)

    def copy_start(self, sql):
        """Start a statement that may be a COPY: 'in' (send data, then copy_end), 'out'
        (copy_read until None, then copy_end) or 'none' (copy_end gives its result)."""
        try:
            return _str(_Bridge.copyStart(self._jconn, _java_bytes(sql))).lower()
        except _RuntimeException as e:
            raise_from(_translate(e), None)

    def copy_write(self, data):
        """Send COPY FROM STDIN data: a str (encoded in the client encoding; ConversionError
        when it cannot be) or a bytes-like object, sent as it is."""
        try:
            if isinstance(data, text_type):
                self._jconn.copyWrite(data, False)
            else:
                # One char per byte: a Java String crosses far cheaper than a bytes object.
                self._jconn.copyWrite(bytes(data).decode('latin-1'), True)
        except _IllegalArgumentException as e:
            raise_from(ConversionError(_message(e)), None)
        except _RuntimeException as e:
            raise_from(_translate(e), None)

    def copy_write_file(self, path, offset):
        """Send a file's bytes from ``offset`` as COPY data, read by Java; how many it sent."""
        try:
            return int(self._jconn.copyWriteFile(path, offset))
        except _RuntimeException as e:
            raise_from(_translate(e), None)

    def copy_read(self, decode, ascii_only=False):
        """The next COPY TO STDOUT data (str when ``decode``, else bytes), None at its end;
        UndecodableText for a row not valid in the client encoding (or, ``ascii_only``,
        outside ASCII)."""
        try:
            chunk = self._jconn.copyRead(not decode)
        except _UndecodableTextException as e:
            raise_from(UndecodableText._from_java(e), None)
        except _RuntimeException as e:
            raise_from(_translate(e), None)
        if chunk is None:
            return None
        if not decode:
            return chunk.encode('latin-1')
        chunk = text_type(chunk)
        outside = _NON_ASCII.search(chunk) if ascii_only else None
        if outside is not None:
            # The row (a line in text COPY) with the first character outside ASCII, in the
            # UTF-8 java-core decoded it from, and the rows before it.
            bad = outside.start()
            begin = chunk.rfind('\n', 0, bad) + 1
            end = chunk.find('\n', bad) + 1 or len(chunk)
            raise UndecodableText(chunk[begin:end].encode('utf-8'), before=chunk[:begin])
        return chunk

    def copy_end(self, failure=None):
        """End the COPY (CopyFail with ``failure`` when given): the statement's result."""
        try:
            return PGresult(self._jconn.copyEnd(failure))
        except _RuntimeException as e:
            raise_from(_translate(e), None)

    # -- large objects: libpq's lo_* functions ---------------------------------------------
    # A descriptor (fd) lives until lo_close() or the end of the transaction that opened it.
    # OIDs are 0 to 2**32-1; positions and lengths 64-bit. Failures: see _lo_error().

    def _lo(self, call):
        """``call`` applied to the connection's java-core LargeObjects."""
        try:
            return call(self._jconn.largeObjects())
        except _RuntimeException as e:
            raise_from(_lo_error(e), None)

    def lo_creat(self):
        """Create an empty large object; its OID, picked by the server."""
        return int(self._lo(lambda lo: lo.create()))

    def lo_create(self, oid):
        """Create an empty large object with this OID (OperationalError when it is taken)."""
        return int(self._lo(lambda lo: lo.create(oid)))

    def lo_import(self, path, oid=0):
        """Create a large object holding the file's bytes (read by Java: give an absolute
        path); its OID, picked by the server when ``oid`` is 0."""
        return int(self._lo(lambda lo: lo.importFile(path, oid)))

    def lo_export(self, oid, path):
        """Write the large object's bytes to the file, created or truncated (by Java: give an
        absolute path)."""
        self._lo(lambda lo: lo.exportFile(oid, path))

    def lo_open(self, oid, mode):
        """A descriptor for the large object; ``mode``: INV_READ (0x40000) | INV_WRITE (0x20000)."""
        return int(self._lo(lambda lo: lo.open(oid, mode)))

    def lo_read(self, fd, size):
        """Up to ``size`` (at most 2**31-1) bytes from the descriptor's position, as bytes."""
        try:
            data = _Bridge.loRead(self._jconn, fd, size)
        except _RuntimeException as e:
            raise_from(_lo_error(e), None)
        return data.encode('latin-1')

    def lo_write(self, fd, data):
        """Write bytes at the descriptor's position; how many it wrote."""
        jdata = _java_bytes(data)
        return int(self._lo(lambda lo: lo.write(fd, jdata)))

    def lo_lseek(self, fd, offset, whence):
        """Move the descriptor's position (whence: 0 start, 1 current, 2 end); the new one."""
        return int(self._lo(lambda lo: lo.seek(fd, offset, whence)))

    def lo_tell(self, fd):
        return int(self._lo(lambda lo: lo.tell(fd)))

    def lo_truncate(self, fd, length):
        """Cut the large object to ``length`` bytes, or extend it with zeros."""
        self._lo(lambda lo: lo.truncate(fd, length))

    def lo_close(self, fd):
        self._lo(lambda lo: lo.close(fd))

    def lo_unlink(self, oid):
        """Remove the large object."""
        self._lo(lambda lo: lo.unlink(oid))

    # -- replication ----------------------------------------------------------------------

    def replication_stream(self, status_interval):
        """The client side of this connection's replication stream (its COPY BOTH, started or
        about to be), sending a status update every ``status_interval`` seconds (>= 1)."""
        return ReplicationStream(_Bridge.replicationStream(self._jconn, float(status_interval)),
                                 self._jconn)

    # -- what arrived besides results -----------------------------------------------------

    def notices(self):
        """The notices received since the last call, libpq-formatted ('NOTICE:  ...\\n')."""
        return [_str(text) for text in _Bridge.notices(self._jconn)]

    def notifies(self):
        """The notifications received since the last call, as (pid, channel, payload)."""
        return [(int(pid), _str(channel), _str(payload))
                for pid, channel, payload in _Bridge.notifications(self._jconn)]

    # -- session state --------------------------------------------------------------------

    @property
    def transaction_status(self):
        """libpq's PQtransactionStatus number (0 idle ... 4 unknown)."""
        return int(_Bridge.transactionStatus(self._jconn))

    def parameter_status(self, name):
        return _text(self._jconn.parameterStatus(name))

    @property
    def server_version(self):
        return int(self._jconn.serverVersion())

    @property
    def protocol_version(self):
        return int(self._jconn.protocolVersion())

    @property
    def backend_pid(self):
        return int(self._jconn.backendPid())

    def dsn_parameters(self):
        """The effective connection options, password left out."""
        return {_str(k): _str(v) for k, v in _Bridge.dsnParameters(self._jconn)}

    @property
    def host(self):
        return _text(self._jconn.host())

    @property
    def port(self):
        return _text(self._jconn.port())

    @property
    def user(self):
        return _text(self._jconn.user())

    @property
    def dbname(self):
        return _text(self._jconn.dbname())

    @property
    def password(self):
        """The password given in the DSN or PGPASSWORD, or None."""
        return _text(self._jconn.password())

    @property
    def options(self):
        return _text(self._jconn.options())

    @property
    def ssl_in_use(self):
        return bool(self._jconn.sslInUse())

    def ssl_attribute(self, name):
        return _text(self._jconn.sslAttribute(name))

    def fileno(self):
        """The socket's OS file descriptor, -1 when unknown."""
        return int(self._jconn.fileDescriptor())

    def cancel(self):
        try:
            self._jconn.cancel()
        except _RuntimeException as e:
            raise_from(_translate(e, connecting=True), None)

    def native(self):
        """java-core's PgConnection itself (connection.get_native_connection())."""
        return self._jconn

    def close(self):
        """Close the session, or give it back to its pool; again, nothing."""
        _OPEN.discard(self)
        pool, self._pool = self._pool, None
        if pool is None:
            if self._jconn is not None:
                self._jconn.close()
            return
        # Given back, the Java connection is the pool's: this object lets go of it.
        jconn, self._jconn = self._jconn, None
        try:
            pool.giveBack(jconn)
        except _RuntimeException as e:
            raise_from(_translate(e), None)

    @property
    def closed(self):
        """True once closed (or given back to its pool), or once the session broke (a lost
        socket, a protocol error)."""
        return self._jconn is None or bool(self._jconn.isClosed())


class PGresult(object):
    """The result of one statement; its rows are decoded in Java, a slice at a time."""

    __slots__ = ('_jresult', 'status', 'command_tag', 'ntuples', 'ascii_only', '_kinds',
                 'tz_offsets')

    def __init__(self, jresult):
        self._jresult = jresult
        # 'TUPLES_OK', 'COMMAND_OK', 'EMPTY_QUERY', 'COPY_OUT' or 'COPY_IN'.
        self.status = _str(_Bridge.status(jresult))
        self.command_tag = _text(jresult.commandTag())
        self.ntuples = int(jresult.rowCount())
        # psycopg2 decodes SQL_ASCII text as ASCII (java-core as UTF-8): the layer above sets
        # this for such a connection, and rows() refuses text outside ASCII.
        self.ascii_only = False
        self._kinds = ''
        # The UTC offsets (seconds east) the packed timestamptz values of the last rows() refer to.
        self.tz_offsets = ()

    @property
    def rowcount(self):
        """The row count of the command tag (libpq's PQcmdTuples), -1 when it has none."""
        return int(self._jresult.affectedRows())

    @property
    def oid(self):
        """The OID of a row INSERTed into a table with OIDs, else 0 (libpq's PQoidValue)."""
        return int(self._jresult.insertedOid())

    def columns(self):
        """(name, type oid, table oid, table column, type size, type modifier) per column."""
        return [(_str(c[0]), int(c[1]), int(c[2]), int(c[3]), int(c[4]), int(c[5]))
                for c in _Bridge.columns(self._jresult)]

    def set_kinds(self, kinds):
        """How Java decodes each column: a str of KIND_* letters, one per column."""
        _Bridge.setKinds(self._jresult, kinds)
        self._kinds = kinds

    def values(self, start, stop):
        """Rows [start, stop) column by column: a list per column of its Python values (SQL
        NULL as None), in the forms set_kinds() chose; ValueError for a value Java could not
        decode (UndecodableText for text not valid in the client encoding, with its row)."""
        try:
            parts = list(_Bridge.window(self._jresult, start, stop, self._kinds))
        except _UndecodableTextException as e:
            raise_from(UndecodableText._from_java(e), None)
        except _IllegalArgumentException as e:
            # Garbage where a number is due: psycopg2's typecasters raise ValueError.
            raise_from(ConversionError(_message(e)), None)
        except _RuntimeException as e:
            raise_from(_translate(e), None)
        count = stop - start
        columns = [_column(parts[i], parts[i + 1], count) for i in range(0, len(parts) - 1, 2)]
        if KIND_TIMESTAMPTZ in self._kinds:
            self.tz_offsets = _numbers('q', parts[-1])
        if self.ascii_only:
            _refuse_non_ascii(columns, start,
                              [i for i, kind in enumerate(self._kinds) if kind == KIND_TEXT])
        return columns

    def rows(self, start, stop, mutable=False):
        """Rows [start, stop) as tuples (lists when ``mutable``) of Python values, as values()
        gives them."""
        columns = self.values(start, stop)
        if not columns:                     # SELECT FROM t: rows without columns
            return [[] if mutable else () for _ in range(stop - start)]
        if mutable:
            return [list(row) for row in zip(*columns)]
        return list(zip(*columns))


# How PythonBridge.window() hands a column over (see ColumnWindow.java): values, then the form
# letter and the indexes of the NULLs. Built-in calls only, per column: a Python loop over
# the rows would run interpreted on a cold GraalPy, at tens of microseconds per value.
_LITTLE_ENDIAN = sys.byteorder == 'little'


# The array type codes of the forms: Jython's 'l' is the 64-bit one (it has no 'q').
_TYPECODES = {'q': 'l' if JYTHON else 'q', 'd': 'd', 'i': 'i'}


def _numbers(code, latin1):
    numbers = array(_TYPECODES[code], latin1.encode('latin-1'))
    if not _LITTLE_ENDIAN:
        numbers.byteswap()
    if JYTHON and code == 'q':
        return [int(n) for n in numbers]    # an int where it fits, as psycopg2 2.8 gives
    return numbers.tolist()


def _column(values, form_and_nulls, count):
    form = form_and_nulls[0]
    if form == 's':
        column = values.split('\0') if count else []
    elif form == 'q' or form == 'd':
        column = _numbers(form, values)
    elif form == 'b':
        column = [flag == '\x01' for flag in values]
    else:                                   # 'x': the lengths, then the values
        column = []
        at = 4 * count
        for length in _numbers('i', values[:at]):
            column.append(values[at:at + length])
            at += length
    if len(form_and_nulls) > 1:
        for index in _numbers('i', form_and_nulls[1:]):
            column[index] = None
    return column


def _refuse_non_ascii(columns, start, text_columns):
    first = None                            # (row, value): the first in row order
    for column in text_columns:
        for row, value in enumerate(columns[column]):
            if value is not None and _NON_ASCII.search(value):
                if first is None or row < first[0]:
                    first = (row, value)
                break
    if first is not None:
        raise UndecodableText(first[1].encode('utf-8'), start + first[0])


_LSN_MASK = (1 << 64) - 1


def _signed64(lsn):
    """An unsigned 64-bit LSN as the Java long with its bits."""
    lsn &= _LSN_MASK
    return lsn - (1 << 64) if lsn >= 1 << 63 else lsn


class ReplicationStream(object):
    """java-core's ReplicationStream: WAL data messages out, the client's progress in; it
    answers keepalives and sends status updates on time by itself (see its Javadoc)."""

    __slots__ = ('_jstream', '_jconn')

    def __init__(self, jstream, jconn):
        self._jstream = jstream
        self._jconn = jconn

    def read(self, wait, decode):
        """The next XLogData as (data_start, wal_end, send_time, payload, size), waiting up to
        ``wait`` seconds (0: never blocks); None when none came, or the stream has ended (its
        error raised when the server ended it with one). ``send_time``: microseconds since
        2000-01-01 UTC; ``payload``: str when ``decode``, else bytes; ``size``: its bytes."""
        try:
            data = _Bridge.readReplicationMessage(self._jconn, self._jstream,
                                                  int(wait * 1000), bool(decode))
        except _RuntimeException as e:
            raise_from(_translate(e), None)
        if data is None:
            return None
        start, end, sent, payload, size = data
        payload = text_type(payload) if decode else payload.encode('latin-1')
        return int(start) & _LSN_MASK, int(end) & _LSN_MASK, int(sent), payload, int(size)

    def send_feedback(self, write, flush, apply, reply, force):
        """Record the client's progress (unsigned LSNs; 0 leaves a position as it is) and send
        it now when ``reply`` or ``force``."""
        try:
            self._jstream.sendFeedback(_signed64(write), _signed64(flush), _signed64(apply),
                                       bool(reply), bool(force))
        except _RuntimeException as e:
            raise_from(_translate(e), None)

    def set_status_interval(self, seconds):
        self._jstream.setStatusInterval(_Duration.ofNanos(int(seconds * 1e9)))

    @property
    def wal_end(self):
        return int(self._jstream.walEnd()) & _LSN_MASK

    @property
    def io_time(self):
        """When a message was last received or sent, in seconds since the Unix epoch."""
        return int(self._jstream.lastIoMicros()) / 1e6

    @property
    def feedback_time(self):
        """When a status update was last sent, in seconds since the Unix epoch (0: never)."""
        return int(self._jstream.lastFeedbackMicros()) / 1e6

    @property
    def ended(self):
        return bool(self._jstream.isEnded())
