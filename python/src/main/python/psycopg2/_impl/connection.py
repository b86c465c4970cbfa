# -*- coding: utf-8 -*-
"""psycopg2's connection class, on java-core's PgConnection."""
import os

from .compat import JYTHON, RLock, integer_types, string_types, text_type
from . import copy, tpc, waiting
from . import lobject as _lobject
from .column import Notify
from .consts import (
    ISOLATION_LEVEL_AUTOCOMMIT, ISOLATION_LEVEL_READ_COMMITTED, STATUS_BEGIN, STATUS_PREPARED,
    STATUS_READY, STATUS_SETUP, TRANSACTION_STATUS_UNKNOWN)
from .cursor import cursor as _default_cursor
from .dsn import obscure_password, parse_dsn
from .encodings import clean_name as _clean_encoding, python_codec
from .escaping import rules_for as literal_rules_for
from .exceptions import (
    DatabaseError, DataError, Error, IntegrityError, InterfaceError, InternalError,
    NotSupportedError, OperationalError, ProgrammingError, Warning as Warning_)
from .characteristics import (
    GUC_OF as _GUC_OF, ISOLATION_NAMES as _ISOLATION_NAMES, parse_isolation as _parse_isolation,
    parse_onoff as _parse_onoff)
from .info import ConnectionInfo
from .members import readonly, writable
from .xid import Xid

# psycopg2 keeps only the newest notices when `notices` is a plain list.
_MAX_NOTICES = 50


def _libpq_environment():
    """What libpq reads from the environment, taken from os.environ at each connect(): a
    script's ``os.environ['PGPASSWORD'] = ...`` counts, as it does for libpq's getenv()."""
    # os.environ decodes every key and value it yields, which was a third of a connect() on
    # GraalPy; its mapping of encoded names (what os.environ writes through to) is scanned
    # instead, and only the few variables wanted are decoded.
    encoded = getattr(os.environ, '_data', None)
    if type(encoded) is not dict:
        return {k: v for k, v in os.environ.items() if k.startswith('PG') or k == 'HOME'}
    decode = os.fsdecode
    return {decode(k): decode(v) for k, v in encoded.items()
            if k.startswith(b'PG') or k == b'HOME'}


class connection(object):
    """A connection to a PostgreSQL database (psycopg2.extensions.connection)."""

    __module__ = 'psycopg2.extensions'

    # psycopg2's members (see members.py). What an object of a subclass whose __init__ never
    # called ours shows (psycopg2's C object starts zeroed): no session, not closed, status
    # SETUP, no DSN.
    _pgconn = None
    _closed = _server_version = _protocol_version = 0
    _status = STATUS_SETUP
    _dsn = _encoding = _notices = _notifies = _cursor_factory = None
    _string_types = _binary_types = None
    _error_message = None
    closed = readonly('closed', "0 while open; 1 closed by close(), 2 broken.")
    status = readonly('status', "psycopg2's STATUS_* of the connection.")
    dsn = readonly('dsn', "The connection string, its password obscured.")
    encoding = readonly('encoding', "The client encoding, by PostgreSQL's name.")
    server_version = readonly('server_version', "The server's version as a number (150004).")
    protocol_version = readonly('protocol_version', "The protocol's major version: 3.")
    string_types = readonly('string_types', "This connection's typecasters by OID.")
    binary_types = readonly('binary_types', "Binary typecasters by OID (unused).")
    notices = writable('notices', "The server's notices (a list, or any object with append).")
    notifies = writable('notifies', "Notify objects received (a list, or with append).")
    cursor_factory = writable('cursor_factory', "What cursor() makes when given no factory.")

    def __init__(self, dsn, async_=0, **kwargs):
        if 'async' in kwargs:
            async_ = kwargs.pop('async')
        if kwargs:
            raise TypeError("'%s' is an invalid keyword argument for this function"
                            % next(iter(kwargs)))
        # As psycopg2's C argument parsing ("s") refuses them.
        if not isinstance(dsn, string_types):
            raise TypeError("argument 1 must be str, not %s" % type(dsn).__name__)
        if '\x00' in dsn:
            raise ValueError("embedded null character")
        self._lock = RLock()
        self._pgconn = None
        self._dsn = obscure_password(dsn)
        self._closed = 1
        self._status = STATUS_SETUP
        self._notices = []
        self._notifies = []
        self._string_types = {}
        self._binary_types = {}
        self._cursor_factory = None
        self._autocommit = False
        self._isolation_level = None
        self._readonly = None
        self._deferrable = None
        self._async = 1 if async_ else 0
        # While a query runs without blocking (async, or green): a weak reference to the async
        # cursor waiting for its result, or waiting's marker for a green one (see waiting.py);
        # the green query's (result, error) once poll() has it.
        self._async_cursor = None
        self._outcome = None
        # The Xid of the two-phase transaction in progress (see tpc.py), or None.
        self._tpc_xid = None
        self._entered = False
        # How string literals are escaped, by the server's client_encoding (see _escaping).
        self._literal_rules = literal_rules_for('UTF8')
        # Bumped when a transaction ends: a named cursor declared WITHOUT HOLD in an earlier
        # transaction no longer exists on the server, and says so instead of asking.
        self._txn_generation = 0
        # Open while connecting: a wait callback polls the connection (closed 2 if it fails).
        self._closed = 0
        try:
            self._pgconn = waiting.connect(self, dsn or '', _libpq_environment())
        except BaseException:
            self._closed = 2
            raise
        if not self._async:          # an async connection is set up by poll()
            try:
                self._setup()
            except BaseException:
                # The object is never handed out: its session ends now, not at a collection.
                self._pgconn.close()
                self._closed = 2
                raise

    def _setup(self):
        self._read_settings()
        # Our date/time casters read the ISO format, as psycopg2's do.
        if self._datestyle_needs_setting():
            self._run("SET DATESTYLE TO 'ISO'")
        self._status = STATUS_READY

    def _read_settings(self):
        """What the session reported at start-up: versions, encoding, quoting rules."""
        pgconn = self._pgconn
        self._server_version = pgconn.server_version
        self._protocol_version = pgconn.protocol_version
        self._read_encoding()
        # As psycopg2 does, the E'' prefix is decided once, from the setting at connection
        # time; how backslashes are escaped follows the setting as it changes (libpq's
        # PQescapeStringConn), see _after_statement().
        self._e_prefix = not self._read_standard_strings()
        self._standard_strings = not self._e_prefix
        self._read_literal_rules()

    def _datestyle_needs_setting(self):
        """Whether the session's DateStyle is not ISO and can be set: as psycopg2 does, not
        on a replication connection (whatever its class), where SET may not run."""
        datestyle = self._pgconn.parameter_status('DateStyle')
        if datestyle is None or datestyle.startswith('ISO'):
            return False
        return 'replication' not in parse_dsn(self._dsn)

    def _read_standard_strings(self):
        scs = self._pgconn.parameter_status('standard_conforming_strings')
        return scs is None or scs == 'on'

    def _read_encoding(self):
        name = self._pgconn.parameter_status('client_encoding')
        encoding = _clean_encoding(name) if name is not None else 'UTF8'
        codec = python_codec(encoding)
        if codec is None:
            # As psycopg2's connection set-up: a server reporting an encoding Python has no
            # codec for (or garbage) cannot be talked to.
            raise OperationalError("no Python encoding for PostgreSQL encoding '%s'" % encoding)
        self._encoding = encoding
        self._py_encoding = codec

    # -- running statements -------------------------------------------------------------------

    def _check(self):
        if self.closed:
            raise InterfaceError("connection already closed")

    def _mark_broken(self):
        # psycopg2 leaves `status` as it was: a transaction broken off still shows BEGIN.
        self._closed = 2

    def _run(self, sql, cursor=None):
        """Send one simple query (bytes in the client encoding, or a str of ours to encode);
        collect notices; raise psycopg2's error on failure."""
        if type(sql) is text_type:
            sql = sql.encode(self._py_encoding)
        self._error_message = None          # as libpq clears it when a query starts
        try:
            result = waiting.execute(self, sql)
        except Error as e:
            self._after_failure(e, cursor)
            raise
        self._after_statement()
        return result

    def _after_failure(self, error, cursor):
        error._cursor = cursor
        self._error_message = error.pgerror or str(error)
        if self._pgconn.closed:
            # The session ended (lost, or a protocol error): psycopg2 shows closed 2 at once.
            self._mark_broken()
        self._after_statement()

    def _after_statement(self):
        self._collect_messages()
        # Any statement may have changed them (SET, RESET, a function's SET clause).
        self._standard_strings = self._read_standard_strings()
        self._read_literal_rules()

    def _read_literal_rules(self):
        # As libpq escapes: by the client_encoding the server reads (even one set by a plain
        # SET statement), whatever the Python codec.
        name = self._pgconn.parameter_status('client_encoding')
        if name != self._literal_rules.encoding:
            self._literal_rules = literal_rules_for(name)

    def _send(self, sql, cursor):
        """Send an async cursor's query; poll() delivers its result to the cursor."""
        with self._lock:
            self._check()
            waiting.send(self, sql, cursor)

    def _execute(self, sql, cursor, begin=True):
        """Run a cursor's query, opening the transaction first when one is due (``begin``:
        psycopg2 runs FETCH/MOVE/CLOSE of a WITH HOLD cursor outside any transaction)."""
        with self._lock:
            self._check()
            if begin:
                self._begin_if_due(cursor)
            return self._run(sql, cursor)

    def _execute_pipelined(self, statements, cursor):
        """Run an executemany() window of statements back to back, in the transaction (see
        cursor.executemany): as _execute() would one by one, up to the first that fails."""
        with self._lock:
            self._check()
            self._begin_if_due(cursor)
            self._error_message = None
            try:
                counts, last, error = self._pgconn.exec_pipelined(statements)
            except Error as e:
                self._after_failure(e, cursor)
                raise
            if error is not None:
                self._after_failure(error, cursor)
            else:
                self._after_statement()
            return counts, last, error

    def _begin_if_due(self, cursor):
        # Since psycopg2 2.9 a `with connection:` block is a transaction in autocommit too.
        if (not self._autocommit or self._entered) and self.status == STATUS_READY:
            self._run(self._begin_statement(), cursor)
            self._status = STATUS_BEGIN

    def _copy(self, sql, cursor, file, size):
        """Run a COPY statement whose data moves between the server and ``file``."""
        with self._lock:
            self._check()
            self._begin_if_due(cursor)
            try:
                result = copy.transfer(self._pgconn, sql, file, size, self._py_encoding)
            except Error as e:
                self._after_failure(e, cursor)
                raise
            self._after_statement()
            return result

    def _begin_statement(self):
        sql = 'BEGIN'
        if self._isolation_level is not None:
            sql += ' ISOLATION LEVEL ' + _ISOLATION_NAMES[self._isolation_level]
        if self._readonly is not None:
            sql += ' READ ONLY' if self._readonly else ' READ WRITE'
        if self._deferrable is not None:
            sql += ' DEFERRABLE' if self._deferrable else ' NOT DEFERRABLE'
        return sql

    def _collect_messages(self):
        pgconn = self._pgconn
        notices = pgconn.notices()
        # psycopg2 extends whatever `notices` holds (a deque will do); None drops them.
        if notices and self.notices is not None:
            self.notices.extend(notices)
            if type(self.notices) is list and len(self.notices) > _MAX_NOTICES:
                del self.notices[:-_MAX_NOTICES]
        notifies = self.notifies
        for pid, channel, payload in pgconn.notifies():
            # psycopg2 appends to whatever `notifies` holds (a deque will do); None drops them.
            if notifies is not None:
                notifies.append(Notify(pid, channel, payload))

    def _check_not_async(self, what):
        """psycopg2's refusals of what an async connection (or a wait callback) cannot do."""
        if self._async:
            raise ProgrammingError("%s cannot be used in asynchronous mode" % what)

    def _end_transaction(self, sql):
        with self._lock:
            self._check()
            self._txn_generation += 1
            if self.status != STATUS_BEGIN:
                return
            try:
                self._run(sql)
            finally:
                if not self.closed:
                    self._status = STATUS_READY

    # -- DB-API -------------------------------------------------------------------------------

    def cursor(self, name=None, cursor_factory=None, withhold=False, scrollable=None):
        self._check()
        if self.status not in (STATUS_READY, STATUS_BEGIN, STATUS_PREPARED):
            raise OperationalError("asynchronous connection attempt underway")
        if name is not None and self._async:
            raise ProgrammingError("asynchronous connections cannot produce named cursors")
        factory = cursor_factory or self.cursor_factory
        if factory is None:
            factory = _default_cursor
        if name is None and not withhold and scrollable is None:
            return factory(self)         # the usual case; also for factories taking (conn) only
        return factory(self, name, withhold=withhold, scrollable=scrollable)

    def commit(self):
        self._check()
        self._check_not_async('commit')
        tpc.check_not_two_phase(self, 'commit')
        self._end_transaction('COMMIT')

    def rollback(self):
        self._check()
        self._check_not_async('rollback')
        tpc.check_not_two_phase(self, 'rollback')
        self._end_transaction('ROLLBACK')

    # -- two-phase commit (tpc.py) --------------------------------------------------------------

    def xid(self, format_id, gtrid, bqual):
        """A transaction id for tpc_begin()."""
        self._check()
        tpc.check_supported(self)
        return Xid(format_id, gtrid, bqual)

    def _check_tpc(self, what):
        self._check()
        self._check_not_async(what)
        tpc.check_supported(self)

    def tpc_begin(self, xid):
        self._check_tpc('tpc_begin')
        with self._lock:
            tpc.begin(self, xid)

    def tpc_prepare(self):
        self._check()
        self._check_not_async('tpc_prepare')
        with self._lock:
            tpc.prepare(self)

    def tpc_commit(self, xid=None):
        self._check_tpc('tpc_commit')
        with self._lock:
            tpc.finish(self, xid, committing=True)

    def tpc_rollback(self, xid=None):
        self._check_tpc('tpc_rollback')
        with self._lock:
            tpc.finish(self, xid, committing=False)

    def tpc_recover(self):
        self._check()
        self._check_not_async('tpc_recover')
        tpc.check_not_prepared(self, 'tpc_recover')
        tpc.check_supported(self)
        with self._lock:
            return tpc.recover(self, _default_cursor)

    def close(self):
        if self._pgconn is None:
            self._closed = 1          # never connected (or a subclass that skipped __init__)
            return
        with self._lock:
            self._pgconn.close()
            self._closed = 1

    def __repr__(self):
        return "<connection object at 0x%x; dsn: '%s', closed: %d>" % (
            id(self), self.dsn if self.dsn is not None else '<unintialized>', self.closed)

    def __enter__(self):
        self._check()
        if self._entered:
            raise ProgrammingError("the connection cannot be re-entered recursively")
        self._entered = True
        return self

    def __exit__(self, exc_type, exc, tb):
        self._entered = False      # out of the block even if commit or rollback fails
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    def __del__(self):
        pgconn = getattr(self, '_pgconn', None)
        if pgconn is not None and not self.closed:
            try:
                pgconn.close()
            except BaseException:
                pass

    # -- session characteristics --------------------------------------------------------------
    #
    # As in psycopg2, the characteristics go into the BEGIN that opens each transaction; in
    # autocommit mode no BEGIN is sent, so a change made there is applied to the session's
    # default_transaction_* settings instead, and leaving autocommit puts those back to their
    # defaults for BEGIN to do the work again.

    @property
    def autocommit(self):
        return self._autocommit

    @autocommit.setter
    def autocommit(self, value):
        self._check_can_set_session()
        self._set_session(autocommit=bool(value))

    @property
    def isolation_level(self):
        return self._isolation_level

    @isolation_level.setter
    def isolation_level(self, value):
        self._check_can_set_session()
        self._set_session(isolation_level=_parse_isolation(value))

    @property
    def readonly(self):
        return self._readonly

    @readonly.setter
    def readonly(self, value):
        self._check_can_set_session()
        self._set_session(readonly=_parse_onoff(value))

    @property
    def deferrable(self):
        return self._deferrable

    @deferrable.setter
    def deferrable(self, value):
        self._check_can_set_session()
        self._set_session(deferrable=_parse_onoff(value))

    def set_session(self, isolation_level=None, readonly=None, deferrable=None,
                    autocommit=None):
        # None means "leave as it is" here; 'default' (a string) resets a characteristic.
        self._check_can_set_session()
        changes = {}
        if isolation_level is not None:
            changes['isolation_level'] = _parse_isolation(isolation_level)
        if readonly is not None:
            changes['readonly'] = _parse_onoff(readonly)
        if deferrable is not None:
            changes['deferrable'] = _parse_onoff(deferrable)
        if autocommit is not None:
            changes['autocommit'] = bool(autocommit)
        self._set_session(**changes)

    def set_isolation_level(self, level):
        self._check()
        # (psycopg2 names it in quotes here.)
        self._check_not_async('"isolation_level"')
        tpc.check_not_prepared(self, '"isolation_level"')
        if isinstance(level, integer_types):
            if level < 0 or level > 4:
                raise ValueError("isolation level must be between 0 and 4")
        elif level is not None:
            # psycopg2 ignores a value of any other type and uses READ COMMITTED.
            level = ISOLATION_LEVEL_READ_COMMITTED
        self.rollback()
        if level == ISOLATION_LEVEL_AUTOCOMMIT:
            self._set_session(autocommit=True)
        else:
            self._set_session(autocommit=False, isolation_level=level)

    def _check_can_set_session(self):
        self._check()
        self._check_not_async('set_session')
        if self.status != STATUS_READY:
            # psycopg2 names set_session even when a property setter was used.
            raise ProgrammingError("set_session cannot be used inside a transaction")

    def _set_session(self, **changes):
        """Apply already parsed characteristics (only the keys given change)."""
        autocommit = changes.pop('autocommit', self._autocommit)
        with self._lock:
            if autocommit:
                for name, value in changes.items():
                    self._set_default_guc(name, value)
            elif self._autocommit:
                for name in _GUC_OF:
                    if getattr(self, '_' + name) is not None:
                        self._set_default_guc(name, None)
            self._autocommit = autocommit
            for name, value in changes.items():
                setattr(self, '_' + name, value)

    def _set_default_guc(self, name, value):
        if value is None:
            text = 'DEFAULT'            # the keyword: the setting's default, not a value
        elif name == 'isolation_level':
            text = "'%s'" % _ISOLATION_NAMES[value].lower()
        else:
            text = 'on' if value else 'off'
        self._run('SET %s TO %s' % (_GUC_OF[name], text))

    def set_client_encoding(self, encoding):
        self._check()
        self._check_not_async('set_client_encoding')
        tpc.check_not_prepared(self, 'set_client_encoding')
        # psycopg2 keeps the cleaned name it sends ('iso-8859-1' → 'ISO88591'), not the
        # server's spelling, and lets the server reject a name it does not know.
        name = _clean_encoding(encoding)
        with self._lock:
            if name == self.encoding:
                return
            self.rollback()
            self._run("SET client_encoding TO '%s'" % name)
            codec = python_codec(name)
            if codec is None:
                raise OperationalError(
                    "no Python encoding for PostgreSQL encoding '%s'" % name)
            self._encoding = name
            self._py_encoding = codec

    # -- information --------------------------------------------------------------------------

    def get_transaction_status(self):
        if self.closed:
            return TRANSACTION_STATUS_UNKNOWN
        return self._pgconn.transaction_status

    def get_parameter_status(self, parameter):
        self._check()
        return self._pgconn.parameter_status(parameter)

    def get_backend_pid(self):
        self._check()
        return self._pgconn.backend_pid

    def get_dsn_parameters(self):
        self._check()
        return self._pgconn.dsn_parameters()

    def cancel(self):
        self._check()
        tpc.check_not_prepared(self, 'cancel')
        if self.status not in (STATUS_READY, STATUS_BEGIN):
            raise OperationalError("asynchronous connection attempt underway")
        self._pgconn.cancel()

    @property
    def async_(self):
        return self._async

    @property
    def info(self):
        return ConnectionInfo(self)

    def get_native_connection(self):
        """The connection underneath (psycopg2: a capsule holding libpq's PGconn*): here
        java-core's ``dev.pgjvm.core.PgConnection``, which Java code embedding this package
        can use directly."""
        self._check()
        return self._pgconn.native()

    @property
    def pgconn_ptr(self):
        # There is no libpq PGconn behind this connection.
        return None

    def lobject(self, oid=0, mode='', new_oid=0, new_file=None, lobject_factory=None):
        self._check()
        self._check_not_async('lobject')
        tpc.check_not_prepared(self, 'lobject')
        if waiting.green():
            raise ProgrammingError("lobject cannot be used with an asynchronous callback.")
        return _lobject.open_lobject(self, oid, mode, new_oid, new_file, lobject_factory)

    def isexecuting(self):
        return waiting.isexecuting(self)

    def poll(self):
        """Advance the connection attempt or the query in flight without blocking (or read
        what arrived): POLL_OK, POLL_READ or POLL_WRITE."""
        self._check()
        return waiting.poll(self)

    def reset(self):
        """Back to the state of a new connection: the transaction rolled back, the session's
        settings (SET, prepared statements, LISTEN) discarded, the characteristics default."""
        self._check()
        self._check_not_async('reset')
        with self._lock:
            self._txn_generation += 1
            if self.status == STATUS_BEGIN:
                self._run('ABORT')
            self._run('DISCARD ALL')
            self._tpc_xid = None
            self._status = STATUS_READY
            self._setup()
            self._autocommit = False
            self._isolation_level = self._readonly = self._deferrable = None

    def fileno(self):
        """The socket's OS file descriptor, for select()/selectors."""
        self._check()
        if JYTHON:
            # Jython's select() waits on its own sockets only (it asks them, not the OS).
            raise NotSupportedError("fileno() is not available on Jython: its select() cannot "
                                    "wait on the connection; call poll() until POLL_OK instead")
        fd = self._pgconn.fileno()
        if fd < 0:
            raise OperationalError("the socket's file descriptor is not available "
                                   "(run with bin/pg-python)")
        return fd


def connect(dsn, connection_factory=None, **kwargs):
    """psycopg2._connect: a connection made by ``connection_factory`` (the connection class by
    default) from a complete DSN; ``async``/``async_`` true for an asynchronous one, passed to
    the factory only then (a factory may take the DSN alone)."""
    async_ = kwargs.pop('async', 0)
    async_ = kwargs.pop('async_', 0) or async_
    if kwargs:
        raise TypeError("'%s' is an invalid keyword argument for this function"
                        % next(iter(kwargs)))
    if connection_factory is None:
        connection_factory = connection
    if async_:
        return connection_factory(dsn, async_)
    return connection_factory(dsn)


# The DB-API's optional extension: the exception classes as attributes of the connection
# (read-only properties, as psycopg2's getters are: `conn.Error` is psycopg2.Error).
def _exception_getter(exception):
    return property(lambda self: exception, doc="psycopg2.%s" % exception.__name__)


for _exception in (Warning_, Error, InterfaceError, DatabaseError, DataError, OperationalError,
                   IntegrityError, InternalError, ProgrammingError, NotSupportedError):
    setattr(connection, _exception.__name__, _exception_getter(_exception))
del _exception

# psycopg2 has the attribute under both names; `async` is a keyword, so getattr() reaches it.
setattr(connection, 'async', connection.async_)
connect.__name__ = connect.__qualname__ = '_connect'
connect.__module__ = 'psycopg2._psycopg'
