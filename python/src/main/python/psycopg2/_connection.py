"""psycopg2's connection class, on java-core's PgConnection."""
import threading

from . import _java
from ._column import Notify
from ._dsn import obscure_password
from ._encodings import normalize as _normalize_encoding, python_codec
from ._exceptions import (
    DatabaseError, InterfaceError, OperationalError, ProgrammingError, DIAG_FIELDS)

ISOLATION_LEVEL_AUTOCOMMIT = 0
ISOLATION_LEVEL_READ_UNCOMMITTED = 4
ISOLATION_LEVEL_READ_COMMITTED = 1
ISOLATION_LEVEL_REPEATABLE_READ = 2
ISOLATION_LEVEL_SERIALIZABLE = 3
ISOLATION_LEVEL_DEFAULT = None

STATUS_SETUP = 0
STATUS_READY = 1
STATUS_BEGIN = 2
STATUS_PREPARED = 5
STATUS_IN_TRANSACTION = STATUS_BEGIN

TRANSACTION_STATUS_IDLE = 0
TRANSACTION_STATUS_ACTIVE = 1
TRANSACTION_STATUS_INTRANS = 2
TRANSACTION_STATUS_INERROR = 3
TRANSACTION_STATUS_UNKNOWN = 4

_ISOLATION_NAMES = {
    ISOLATION_LEVEL_READ_UNCOMMITTED: 'READ UNCOMMITTED',
    ISOLATION_LEVEL_READ_COMMITTED: 'READ COMMITTED',
    ISOLATION_LEVEL_REPEATABLE_READ: 'REPEATABLE READ',
    ISOLATION_LEVEL_SERIALIZABLE: 'SERIALIZABLE',
}
_ISOLATION_BY_NAME = {name: level for level, name in _ISOLATION_NAMES.items()}

# psycopg2 keeps only the newest notices when `notices` is a plain list.
_MAX_NOTICES = 50


def _strip_severity(message):
    """'ERROR:  text\\n' → 'text\\n': the exception's str(), as psycopg2 shows it."""
    head, sep, rest = message.partition(':  ')
    if sep and head.isupper() and ' ' not in head:
        return rest
    return message


def error_from_java(jexc, cursor=None, conn=None):
    """The psycopg2 exception for a java-core exception."""
    if isinstance(jexc, _java.PgServerException):
        from .errors import _for_sqlstate
        pgerror = _java.message_of(jexc)
        fields = {}
        for code in DIAG_FIELDS.values():
            value = jexc.field(code)
            if value is not None:
                fields[code] = str(value)
        sqlstate = fields.get('C')
        cls = _for_sqlstate(sqlstate) if sqlstate else DatabaseError
        return cls(_strip_severity(pgerror), pgerror=pgerror, pgcode=sqlstate,
                   cursor=cursor, diag_fields=fields)
    if isinstance(jexc, _java.PgConnectionException):
        if conn is not None:
            conn._mark_broken()
        return OperationalError(_java.message_of(jexc), cursor=cursor)
    if isinstance(jexc, _java.ConnInfoException):
        return ProgrammingError("invalid dsn: %s" % _java.message_of(jexc))
    return OperationalError(_java.message_of(jexc), cursor=cursor)


class connection:
    """A connection to a PostgreSQL database (psycopg2.extensions.connection)."""

    __module__ = 'psycopg2.extensions'

    def __init__(self, dsn, async_=0, **kwargs):
        if 'async' in kwargs:
            async_ = kwargs.pop('async')
        if kwargs:
            raise TypeError("'%s' is an invalid keyword argument for this function"
                            % next(iter(kwargs)))
        self._lock = threading.RLock()
        self._pg = None
        self.dsn = obscure_password(dsn)
        self.closed = 1
        self.status = STATUS_SETUP
        self.notices = []
        self.notifies = []
        self.string_types = {}
        self.binary_types = {}
        self.cursor_factory = None
        self._autocommit = False
        self._isolation_level = None
        self._readonly = None
        self._deferrable = None
        self._async = 1 if async_ else 0
        try:
            self._pg = _java.PgConnection.connect(dsn or '', _java.java_map({}))
        except _java.PgException as e:
            raise error_from_java(e) from None
        self.closed = 0
        self._setup()

    def _setup(self):
        pg = self._pg
        self.server_version = int(pg.serverVersion())
        self.protocol_version = int(pg.protocolVersion())
        self._read_encoding()
        scs = pg.parameterStatus('standard_conforming_strings')
        self._standard_conforming_strings = scs is None or str(scs) == 'on'
        datestyle = pg.parameterStatus('DateStyle')
        # Our date/time casters read the ISO format, as psycopg2's do.
        if datestyle is not None and not str(datestyle).startswith('ISO'):
            self._run("SET DATESTYLE TO 'ISO'")
        self.status = STATUS_READY

    def _read_encoding(self):
        name = self._pg.parameterStatus('client_encoding')
        self.encoding = _normalize_encoding(str(name)) if name is not None else 'UTF8'
        self._py_encoding = python_codec(self.encoding) or 'utf-8'

    # -- running statements -------------------------------------------------------------------

    def _check(self):
        if self.closed:
            raise InterfaceError("connection already closed")

    def _mark_broken(self):
        self.closed = 2
        self.status = STATUS_READY

    def _run(self, sql, cursor=None):
        """Send one simple query; collect notices; raise psycopg2's error on failure."""
        try:
            result = self._pg.execute(sql)
        except _java.PgException as e:
            error = error_from_java(e, cursor, self)
            self._collect_messages()
            raise error from None
        self._collect_messages()
        return result

    def _execute(self, sql, cursor):
        """Run a cursor's query, opening the transaction first when one is due."""
        with self._lock:
            self._check()
            if not self._autocommit and self.status == STATUS_READY:
                self._run(self._begin_statement(), cursor)
                self.status = STATUS_BEGIN
            return self._run(sql, cursor)

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
        pg = self._pg
        notices = pg.drainNotices()
        if len(notices):
            for text in notices:
                self.notices.append(str(text))
            if type(self.notices) is list and len(self.notices) > _MAX_NOTICES:
                del self.notices[:-_MAX_NOTICES]
        notifies = pg.drainNotifications()
        for pid, channel, payload in notifies:
            self.notifies.append(Notify(int(pid), str(channel), str(payload)))

    def _end_transaction(self, sql):
        with self._lock:
            self._check()
            if self.status != STATUS_BEGIN:
                return
            try:
                self._run(sql)
            finally:
                if not self.closed:
                    self.status = STATUS_READY

    # -- DB-API -------------------------------------------------------------------------------

    def cursor(self, name=None, cursor_factory=None, withhold=False, scrollable=None):
        self._check()
        factory = cursor_factory or self.cursor_factory
        if factory is None:
            from ._cursor import cursor as factory
        if name is not None:
            return factory(self, name, withhold=withhold, scrollable=scrollable)
        return factory(self)

    def commit(self):
        self._end_transaction('COMMIT')

    def rollback(self):
        self._end_transaction('ROLLBACK')

    def close(self):
        with self._lock:
            if self._pg is not None:
                self._pg.close()
            self.closed = 1

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    def __del__(self):
        pg = getattr(self, '_pg', None)
        if pg is not None and not self.closed:
            try:
                pg.close()
            except BaseException:
                pass

    # -- session characteristics --------------------------------------------------------------

    @property
    def autocommit(self):
        return self._autocommit

    @autocommit.setter
    def autocommit(self, value):
        self._check_no_transaction('autocommit')
        self._autocommit = bool(value)

    def _check_no_transaction(self, what):
        self._check()
        if self.status != STATUS_READY:
            raise ProgrammingError("set_session cannot be used inside a transaction"
                                   if what == 'set_session'
                                   else "%s cannot be used inside a transaction" % what)

    @property
    def isolation_level(self):
        return self._isolation_level

    @isolation_level.setter
    def isolation_level(self, value):
        self._check_no_transaction('isolation_level')
        self._isolation_level = self._parse_isolation(value, allow_autocommit=False)

    @staticmethod
    def _parse_isolation(value, allow_autocommit):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise TypeError("bad value for isolation level: %r" % (value,))
        if isinstance(value, str):
            name = value.upper()
            if name == 'DEFAULT':
                return None
            if name not in _ISOLATION_BY_NAME:
                raise ValueError("bad value for isolation_level: '%s'" % value)
            return _ISOLATION_BY_NAME[name]
        if value == ISOLATION_LEVEL_AUTOCOMMIT and allow_autocommit:
            return value
        if value not in _ISOLATION_NAMES:
            raise ValueError("isolation_level must be between 1 and 4")
        return value

    @property
    def readonly(self):
        return self._readonly

    @readonly.setter
    def readonly(self, value):
        self._check_no_transaction('readonly')
        self._readonly = self._parse_tristate(value, 'readonly')

    @property
    def deferrable(self):
        return self._deferrable

    @deferrable.setter
    def deferrable(self, value):
        self._check_no_transaction('deferrable')
        self._deferrable = self._parse_tristate(value, 'deferrable')

    @staticmethod
    def _parse_tristate(value, what):
        if value is None:
            return None
        if isinstance(value, str):
            if value.upper() == 'DEFAULT':
                return None
            raise ValueError("the only string accepted for %s is 'default'" % what)
        return bool(value)

    def set_session(self, isolation_level=None, readonly=None, deferrable=None,
                    autocommit=None):
        self._check_no_transaction('set_session')
        if isolation_level is not None:
            self._isolation_level = self._parse_isolation(isolation_level, False)
        if readonly is not None:
            self._readonly = self._parse_tristate(readonly, 'readonly')
        if deferrable is not None:
            self._deferrable = self._parse_tristate(deferrable, 'deferrable')
        if autocommit is not None:
            self._autocommit = bool(autocommit)

    def set_isolation_level(self, level):
        self._check()
        level = self._parse_isolation(level, allow_autocommit=True)
        if self.status == STATUS_BEGIN:
            self.rollback()
        if level == ISOLATION_LEVEL_AUTOCOMMIT:
            self._autocommit = True
        else:
            self._autocommit = False
            self._isolation_level = level

    def set_client_encoding(self, encoding):
        self._check()
        name = _normalize_encoding(encoding)
        if python_codec(name) is None:
            raise LookupError("unknown encoding: %s" % encoding)
        with self._lock:
            if self.status == STATUS_BEGIN:
                self.rollback()
            self._run("SET client_encoding TO '%s'" % name.replace("'", "''"))
            self._read_encoding()

    # -- information --------------------------------------------------------------------------

    def get_transaction_status(self):
        if self.closed:
            return TRANSACTION_STATUS_UNKNOWN
        return int(self._pg.transactionStatus())

    def get_parameter_status(self, parameter):
        self._check()
        value = self._pg.parameterStatus(parameter)
        return None if value is None else str(value)

    def get_backend_pid(self):
        self._check()
        return int(self._pg.backendPid())

    def get_dsn_parameters(self):
        self._check()
        return {str(k): str(v) for k, v in self._pg.dsnParameters()}

    def cancel(self):
        self._check()
        try:
            self._pg.cancel()
        except _java.PgException as e:
            raise error_from_java(e) from None

    @property
    def async_(self):
        return self._async

    @property
    def pgconn_ptr(self):
        # There is no libpq PGconn behind this connection.
        return None

    def isexecuting(self):
        return False
