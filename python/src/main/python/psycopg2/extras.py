"""psycopg2.extras: cursors returning dicts and named tuples, logging connections, fast
batch execution, and adapters and typecasters for more PostgreSQL types (uuid, inet, json,
ranges, hstore, composite types)."""
import logging as _logging
import os as _os
import re as _re
import time as _time
from collections import OrderedDict, namedtuple
from functools import lru_cache

import psycopg2  # noqa: F401  (psycopg2.extras.psycopg2 exists upstream too)
from psycopg2 import extensions as _ext
from psycopg2.extensions import adapt as _A, quote_ident  # noqa: F401
from psycopg2.extensions import connection as _connection, cursor as _cursor
from psycopg2._impl.exceptions import (
    DataError, InterfaceError, NotSupportedError, OperationalError, ProgrammingError)
from psycopg2._impl.consts import POLL_OK as _POLL_OK, POLL_READ as _POLL_READ, POLL_WRITE as _POLL_WRITE
from psycopg2._impl.oids import TYPE_OIDS as _TYPE_OIDS
from psycopg2._impl.typeinfo import (
    fetch_rows as _fetch_type_rows, solve_conn_curs as _solve_conn_curs,  # noqa: F401
    split_name as _split_name)
from psycopg2._range import _quoted_token
from psycopg2.sql import Composable as _Composable

from psycopg2._json import (  # noqa: F401
    json, Json, register_json, register_default_json, register_default_jsonb)
from psycopg2._range import (  # noqa: F401
    Range, NumericRange, DateRange, DateTimeRange, DateTimeTZRange,
    register_range, RangeAdapter, RangeCaster)
from psycopg2._ipaddress import register_ipaddress  # noqa: F401


def _codec(conn):
    """The Python codec of the connection's client encoding."""
    return _ext.encodings.get(conn.encoding, 'utf-8')


# -- dict cursors ------------------------------------------------------------------------------

class DictCursorBase(_cursor):
    """The base class of the cursors returning dict-like rows (it needs a ``row_factory``
    keyword argument: the class of the rows)."""

    def __init__(self, *args, **kwargs):
        if 'row_factory' not in kwargs:
            raise NotImplementedError(
                "DictCursorBase can't be instantiated without a row factory.")
        row_factory = kwargs.pop('row_factory')
        super().__init__(*args, **kwargs)
        self._query_executed = False
        # True: the rows are fetched before the column index is built (a named cursor knows
        # its description only once it has fetched); the rows share the index object.
        self._prefetch = False
        self.row_factory = row_factory

    def _index_if_due(self):
        if self._query_executed:
            self._build_index()

    def fetchone(self):
        if self._prefetch:
            row = super().fetchone()
            self._index_if_due()
        else:
            self._index_if_due()
            row = super().fetchone()
        return row

    def fetchmany(self, size=None):
        if self._prefetch:
            rows = super().fetchmany(size)
            self._index_if_due()
        else:
            self._index_if_due()
            rows = super().fetchmany(size)
        return rows

    def fetchall(self):
        if self._prefetch:
            rows = super().fetchall()
            self._index_if_due()
        else:
            self._index_if_due()
            rows = super().fetchall()
        return rows

    def __iter__(self):
        if not self._prefetch:
            self._index_if_due()
        rows = super().__iter__()
        try:
            first = next(rows)
        except StopIteration:
            return
        if self._prefetch:
            self._index_if_due()
        yield first
        yield from rows


def _fill_row(factory, cursor, values):
    """A row as a cursor builds it with a row_factory: ``factory(cursor)``, then each
    value set by position."""
    row = factory(cursor)
    for position, value in enumerate(values):
        row[position] = value
    return row


class DictConnection(_connection):
    """A connection whose cursors are DictCursor by default."""

    def cursor(self, *args, **kwargs):
        kwargs.setdefault('cursor_factory', self.cursor_factory or DictCursor)
        return super().cursor(*args, **kwargs)


class DictCursor(DictCursorBase):
    """A cursor returning DictRow rows: lists that can be indexed by column name too."""

    def __init__(self, *args, **kwargs):
        kwargs['row_factory'] = DictRow
        super().__init__(*args, **kwargs)
        self._prefetch = True

    def execute(self, query, vars=None):
        self.index = OrderedDict()
        self._query_executed = True
        return super().execute(query, vars)

    def callproc(self, procname, vars=None):
        self.index = OrderedDict()
        self._query_executed = True
        return super().callproc(procname, vars)

    def _build_index(self):
        if self._query_executed and self.description:
            index = self.index
            for position, column in enumerate(self.description):
                index[column[0]] = position
            self._query_executed = False


class DictRow(list):
    """A row of DictCursor: a list whose items can also be read and set by column name."""

    __slots__ = ('_index',)

    def __init__(self, cursor):
        self._index = cursor.index
        self[:] = [None] * len(cursor.description)

    @classmethod
    def _from_values(cls, cursor, values):
        """The row of *values*, built in one go (what ``row = DictRow(cursor)`` and then
        ``row[i] = value`` per column give, much faster here); a cursor may use it."""
        if cls is not DictRow:
            return _fill_row(cls, cursor, values)      # a subclass: its own methods
        row = list.__new__(cls)
        list.__init__(row, values)
        row._index = cursor.index
        return row

    def __getitem__(self, x):
        if not isinstance(x, (int, slice)):
            x = self._index[x]
        return super().__getitem__(x)

    def __setitem__(self, x, v):
        if not isinstance(x, (int, slice)):
            x = self._index[x]
        super().__setitem__(x, v)

    def items(self):
        get = super().__getitem__
        return ((name, get(position)) for name, position in self._index.items())

    def keys(self):
        return iter(self._index)

    def values(self):
        get = super().__getitem__
        return (get(position) for position in self._index.values())

    def get(self, x, default=None):
        try:
            return self[x]
        except Exception:
            return default

    def copy(self):
        return OrderedDict(self.items())

    def __contains__(self, x):
        # As a mapping: the column names.
        return x in self._index

    def __reduce__(self):
        # Pickle and copy as a list with extra state (psycopg2 ticket #1073).
        return super().__reduce__()

    def __getstate__(self):
        return self[:], self._index.copy()

    def __setstate__(self, data):
        self[:] = data[0]
        self._index = data[1]


class RealDictConnection(_connection):
    """A connection whose cursors are RealDictCursor by default."""

    def cursor(self, *args, **kwargs):
        kwargs.setdefault('cursor_factory', self.cursor_factory or RealDictCursor)
        return super().cursor(*args, **kwargs)


class RealDictCursor(DictCursorBase):
    """A cursor returning RealDictRow rows: real dicts (columns in order), with no access by
    position; use DictCursor for both."""

    def __init__(self, *args, **kwargs):
        kwargs['row_factory'] = RealDictRow
        super().__init__(*args, **kwargs)

    def execute(self, query, vars=None):
        self.column_mapping = []
        self._query_executed = True
        return super().execute(query, vars)

    def callproc(self, procname, vars=None):
        self.column_mapping = []
        self._query_executed = True
        return super().callproc(procname, vars)

    def _build_index(self):
        if self._query_executed and self.description:
            self.column_mapping = [column[0] for column in self.description]
            self._query_executed = False


class RealDictRow(OrderedDict):
    """A row of RealDictCursor: an OrderedDict of column name → value.

    Built by the cursor as ``RealDictRow(cursor)`` and then ``row[position] = value`` for
    each column in turn: until the last column is set, positions are mapped to names.
    """

    def __init__(self, *args, **kwargs):
        cursor = None
        if args and isinstance(args[0], _cursor):
            cursor, args = args[0], args[1:]
        super().__init__(*args, **kwargs)
        if cursor is not None:
            if cursor.description and not cursor.column_mapping:
                cursor._build_index()       # a named cursor: description known just now
            if cursor.column_mapping:
                self.__dict__['_pending_columns'] = cursor.column_mapping

    @classmethod
    def _from_values(cls, cursor, values):
        """The row of *values*, built in one go (as DictRow._from_values())."""
        if cls is not RealDictRow:
            return _fill_row(cls, cursor, values)
        if cursor.description and not cursor.column_mapping:
            cursor._build_index()
        row = cls()
        setitem = OrderedDict.__setitem__
        for name, value in zip(cursor.column_mapping, values):
            setitem(row, name, value)
        return row

    def __setitem__(self, key, value):
        columns = self.__dict__.get('_pending_columns')
        if columns is None:
            super().__setitem__(key, value)
            return
        super().__setitem__(columns[key], value)
        if key == len(columns) - 1:
            del self.__dict__['_pending_columns']


# -- named tuple cursor ------------------------------------------------------------------------

class NamedTupleConnection(_connection):
    """A connection whose cursors are NamedTupleCursor by default."""

    def cursor(self, *args, **kwargs):
        kwargs.setdefault('cursor_factory', self.cursor_factory or NamedTupleCursor)
        return super().cursor(*args, **kwargs)


class NamedTupleCursor(_cursor):
    """A cursor returning rows as namedtuples (class ``Record``), whose items are read by
    position or as attributes named after the columns.

    The Record classes are cached by column names across cursors. A column name that is not
    a valid identifier is cleaned up: punctuation becomes ``_`` and a name starting with
    ``_`` or a digit is prefixed with ``f`` (``"?column?"`` → ``f_column_``).
    """
    Record = None
    MAX_CACHE = 1024

    def execute(self, query, vars=None):
        self.Record = None
        return super().execute(query, vars)

    def executemany(self, query, vars):
        self.Record = None
        return super().executemany(query, vars)

    def callproc(self, procname, vars=None):
        self.Record = None
        return super().callproc(procname, vars)

    def _record(self):
        record = self.Record
        if record is None:
            record = self.Record = self._make_nt()
        return record

    def fetchone(self):
        row = super().fetchone()
        if row is None:
            return None
        return self._record()._make(row)

    def fetchmany(self, size=None):
        rows = super().fetchmany(size)
        make = self._record()._make
        return [make(row) for row in rows]

    def fetchall(self):
        rows = super().fetchall()
        make = self._record()._make
        return [make(row) for row in rows]

    def __iter__(self):
        rows = super().__iter__()
        try:
            first = next(rows)
        except StopIteration:
            return
        record = self._record()
        # The base cursor may already go through our fetchone(): don't convert twice.
        yield first if type(first) is record else record._make(first)
        for row in rows:
            yield row if type(row) is record else record._make(row)

    def _make_nt(self):
        key = tuple(column[0] for column in self.description) if self.description else ()
        return self._cached_make_nt(key)

    @classmethod
    def _do_make_nt(cls, key):
        fields = []
        for name in key:
            name = _re_clean.sub('_', name)
            # A field can't start with a digit (not an identifier) nor with '_' (namedtuple).
            if name[0] == '_' or '0' <= name[0] <= '9':
                name = 'f' + name
            fields.append(name)
        return namedtuple('Record', fields)


@lru_cache(512)
def _cached_make_nt(cls, key):
    return cls._do_make_nt(key)


# A class method with its lru_cache reachable (cache_info(), cache_clear(), __wrapped__), to
# inspect or resize the cache.
NamedTupleCursor._cached_make_nt = classmethod(_cached_make_nt)


# -- logging -----------------------------------------------------------------------------------

class LoggingConnection(_connection):
    """A connection that logs every query of its cursors to a file-like object or to a
    logging.Logger (or LoggerAdapter): call initialize() before cursor()."""

    def initialize(self, logobj):
        """Log to *logobj*: an open file or a Logger/LoggerAdapter."""
        self._logobj = logobj
        if isinstance(logobj, (_logging.Logger, _logging.LoggerAdapter)):
            self.log = self._logtologger
        else:
            self.log = self._logtofile

    def filter(self, msg, curs):
        """What to log for the query *msg* run by *curs* (nothing when false). Override to
        leave out queries or add details; this one keeps the query as it is."""
        return msg

    def _logtofile(self, msg, curs):
        msg = self.filter(msg, curs)
        if msg:
            if isinstance(msg, bytes):
                msg = msg.decode(_codec(self), 'replace')
            self._logobj.write(msg + _os.linesep)

    def _logtologger(self, msg, curs):
        msg = self.filter(msg, curs)
        if msg:
            self._logobj.debug(msg)

    def _check_initialized(self):
        # (psycopg2 calls this _check(); that name is taken by our connection class.)
        if not hasattr(self, '_logobj'):
            raise ProgrammingError("LoggingConnection object has not been initialize()d")

    def cursor(self, *args, **kwargs):
        self._check_initialized()
        kwargs.setdefault('cursor_factory', self.cursor_factory or LoggingCursor)
        return super().cursor(*args, **kwargs)


class LoggingCursor(_cursor):
    """A cursor that logs its queries through its LoggingConnection."""

    _in_callproc = False

    def execute(self, query, vars=None):
        try:
            return super().execute(query, vars)
        finally:
            # callproc() may run through execute(): it logs once, itself.
            if not self._in_callproc:
                self.connection.log(self.query, self)

    def callproc(self, procname, vars=None):
        self._in_callproc = True
        try:
            return super().callproc(procname, vars)
        finally:
            self._in_callproc = False
            self.connection.log(self.query, self)


class MinTimeLoggingConnection(LoggingConnection):
    """A LoggingConnection that logs only the queries that took longer than *mintime*
    milliseconds, with their execution time (its cursors are MinTimeLoggingCursor)."""

    def initialize(self, logobj, mintime=0):
        LoggingConnection.initialize(self, logobj)
        self._mintime = mintime

    def filter(self, msg, curs):
        elapsed = (_time.time() - curs.timestamp) * 1000
        if elapsed > self._mintime:
            if isinstance(msg, bytes):
                msg = msg.decode(_codec(self), 'replace')
            return '%s%s  (execution time: %s ms)' % (msg, _os.linesep, elapsed)

    def cursor(self, *args, **kwargs):
        kwargs.setdefault('cursor_factory', self.cursor_factory or MinTimeLoggingCursor)
        return LoggingConnection.cursor(self, *args, **kwargs)


class MinTimeLoggingCursor(LoggingCursor):
    """The cursor of MinTimeLoggingConnection: it times its queries."""

    def execute(self, query, vars=None):
        self.timestamp = _time.time()
        return LoggingCursor.execute(self, query, vars)

    def callproc(self, procname, vars=None):
        self.timestamp = _time.time()
        return LoggingCursor.callproc(self, procname, vars)


# -- replication (not supported yet: the names exist, using them raises) ------------------------

REPLICATION_PHYSICAL = 12345678
REPLICATION_LOGICAL = 87654321

_NO_REPLICATION = "replication is not supported yet"


class _replicationConnection(_connection):
    """A replication connection (psycopg2.extensions.ReplicationConnection): not supported
    yet, making one raises NotSupportedError (before connecting)."""

    def __init__(self, *args, **kwargs):
        raise NotSupportedError(_NO_REPLICATION)

    @property
    def replication_type(self):
        raise NotSupportedError(_NO_REPLICATION)


_replicationConnection.__name__ = _replicationConnection.__qualname__ = 'ReplicationConnection'
_replicationConnection.__module__ = 'psycopg2.extensions'


class _replicationCursor(_cursor):
    """The cursor of a replication connection (psycopg2.extensions.ReplicationCursor)."""

    io_timestamp = None
    feedback_timestamp = None
    wal_end = None

    def start_replication_expert(self, command, decode=False, status_interval=10):
        raise NotSupportedError(_NO_REPLICATION)

    def consume_stream(self, consume, keepalive_interval=None):
        raise NotSupportedError(_NO_REPLICATION)

    def read_message(self):
        raise NotSupportedError(_NO_REPLICATION)

    def send_feedback(self, write_lsn=0, flush_lsn=0, apply_lsn=0, reply=False, force=False):
        raise NotSupportedError(_NO_REPLICATION)


_replicationCursor.__name__ = _replicationCursor.__qualname__ = 'ReplicationCursor'
_replicationCursor.__module__ = 'psycopg2.extensions'


class ReplicationMessage:
    """A message of the replication stream (psycopg2.extensions.ReplicationMessage)."""

    __module__ = 'psycopg2.extensions'

    def __init__(self, *args, **kwargs):
        raise NotSupportedError(_NO_REPLICATION)


class LogicalReplicationConnection(_replicationConnection):
    """A logical replication connection (not supported yet)."""

    def __init__(self, *args, **kwargs):
        kwargs['replication_type'] = REPLICATION_LOGICAL
        super().__init__(*args, **kwargs)


class PhysicalReplicationConnection(_replicationConnection):
    """A physical replication connection (not supported yet)."""

    def __init__(self, *args, **kwargs):
        kwargs['replication_type'] = REPLICATION_PHYSICAL
        super().__init__(*args, **kwargs)


class StopReplication(Exception):
    """Raise it from a consume_stream() callback to end the loop (not a psycopg2.Error:
    nothing went wrong)."""


class ReplicationCursor(_replicationCursor):
    """The cursor used on replication connections (not supported yet)."""

    def create_replication_slot(self, slot_name, slot_type=None, output_plugin=None):
        raise NotSupportedError(_NO_REPLICATION)

    def drop_replication_slot(self, slot_name):
        raise NotSupportedError(_NO_REPLICATION)

    def start_replication(self, slot_name=None, slot_type=None, start_lsn=0, timeline=0,
                          options=None, decode=False, status_interval=10):
        raise NotSupportedError(_NO_REPLICATION)

    def fileno(self):
        return self.connection.fileno()


# -- uuid ---------------------------------------------------------------------------------------

class UUID_adapter:
    """Adapts uuid.UUID to a PostgreSQL uuid literal."""

    def __init__(self, uuid):
        self._uuid = uuid

    def __conform__(self, proto):
        if proto is _ext.ISQLQuote:
            return self

    def getquoted(self):
        return ("'%s'::uuid" % self._uuid).encode('utf8')

    def __str__(self):
        return "'%s'::uuid" % self._uuid


def register_uuid(oids=None, conn_or_curs=None):
    """Cast uuid (and uuid[]) values to uuid.UUID, on *conn_or_curs* or globally, and adapt
    uuid.UUID. *oids*: the type's OID, or the pair (type, array); PostgreSQL's by default.
    Returns the typecaster (also set as psycopg2.extensions.UUID)."""
    import uuid

    if not oids:
        oid, array_oid = _TYPE_OIDS['uuid'], _TYPE_OIDS['_uuid']
    elif isinstance(oids, (list, tuple)):
        oid, array_oid = oids
    else:
        oid, array_oid = oids, _TYPE_OIDS['_uuid']

    def cast_uuid(data, cursor):
        return uuid.UUID(data) if data else None

    _ext.UUID = _ext.new_type((oid,), 'UUID', cast_uuid)
    _ext.UUIDARRAY = _ext.new_array_type((array_oid,), 'UUID[]', _ext.UUID)
    _ext.register_type(_ext.UUID, conn_or_curs)
    _ext.register_type(_ext.UUIDARRAY, conn_or_curs)
    _ext.register_adapter(uuid.UUID, UUID_adapter)
    return _ext.UUID


# -- inet (deprecated) --------------------------------------------------------------------------

class Inet:
    """Wraps a string to pass it as an inet value. The address is not checked, but it is
    quoted as a string, so it can't inject SQL."""

    def __init__(self, addr):
        self.addr = addr
        self._conn = None

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self.addr)

    def prepare(self, conn):
        self._conn = conn

    def getquoted(self):
        adapter = _A(self.addr)
        if self._conn is not None and hasattr(adapter, 'prepare'):
            adapter.prepare(self._conn)
        return adapter.getquoted() + b'::inet'

    def __conform__(self, proto):
        if proto is _ext.ISQLQuote:
            return self

    def __str__(self):
        return str(self.addr)


def register_inet(oid=None, conn_or_curs=None):
    """Cast inet (and inet[]) values to Inet objects, on *conn_or_curs* or globally
    (deprecated: register_ipaddress() is more useful). *oid*: the type's OID, or the pair
    (type, array). Returns the typecaster (also set as psycopg2.extensions.INET)."""
    import warnings
    warnings.warn("the inet adapter is deprecated, it's not very useful", DeprecationWarning)

    if not oid:
        oid, array_oid = _TYPE_OIDS['inet'], _TYPE_OIDS['_inet']
    elif isinstance(oid, (list, tuple)):
        oid, array_oid = oid
    else:
        array_oid = _TYPE_OIDS['_inet']

    def cast_inet(data, cursor):
        return Inet(data) if data else None

    _ext.INET = _ext.new_type((oid,), 'INET', cast_inet)
    _ext.INETARRAY = _ext.new_array_type((array_oid,), 'INETARRAY', _ext.INET)
    _ext.register_type(_ext.INET, conn_or_curs)
    _ext.register_type(_ext.INETARRAY, conn_or_curs)
    return _ext.INET


# -- asynchronous connections -------------------------------------------------------------------

def wait_select(conn):
    """Wait until an asynchronous connection (or cursor) is ready, with select(): a wait
    callback for psycopg2.extensions.set_wait_callback(). Ctrl-C cancels the query."""
    import select

    while True:
        try:
            state = conn.poll()
            if state == _POLL_OK:
                break
            if state == _POLL_READ:
                select.select([conn.fileno()], [], [])
            elif state == _POLL_WRITE:
                select.select([], [conn.fileno()], [])
            else:
                raise OperationalError("bad state from poll: %s" % state)
        except KeyboardInterrupt:
            conn.cancel()
            # The server ends the query with an error, which ends the loop.
            continue


# -- hstore -------------------------------------------------------------------------------------

# One "key"=>"value" (or "key"=>NULL) pair of hstore's output, and what follows it.
_HSTORE_PAIR = _re.compile(r'''
    "((?:[^"\\]|\\.)*)"            # the key: a quoted string, backslash escapes
    \s*=>\s*
    (?:NULL|"((?:[^"\\]|\\.)*)")   # the value: NULL or a quoted string
    (?:\s*,\s*|$)                  # a comma, or the end
''', _re.VERBOSE)
_BACKSLASHED = _re.compile(r'\\(.)')


def _parse_hstore_plain(s):
    """The fast path of HstoreAdapter.parse(): the dict for hstore's output without
    backslashes ('"a"=>"1", "b"=>NULL'), with str.find rather than a regular expression per
    pair (much faster here); None for anything else, which the full parser then reads."""
    result = {}
    n = len(s)
    pos = 0
    while pos < n:
        if s[pos] != '"':
            return None
        end = s.find('"', pos + 1)
        if end < 0:
            return None
        key = s[pos + 1:end]
        pos = end + 1
        while pos < n and s[pos].isspace():
            pos += 1
        if not s.startswith('=>', pos):
            return None
        pos += 2
        while pos < n and s[pos].isspace():
            pos += 1
        if s.startswith('NULL', pos):
            value = None
            pos += 4
        elif s.startswith('"', pos):
            end = s.find('"', pos + 1)
            if end < 0:
                return None
            value = s[pos + 1:end]
            if '\\' in value:
                return None
            pos = end + 1
        else:
            return None
        if '\\' in key:
            return None
        result[key] = value
        if pos == n:
            break
        # A comma (spaces around it allowed), or the end.
        while pos < n and s[pos].isspace():
            pos += 1
        if pos == n or s[pos] != ',':
            return None
        pos += 1
        while pos < n and s[pos].isspace():
            pos += 1
    return result


class HstoreAdapter:
    """Adapts a dict to an hstore value (keys and values strings, values may be None)."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        self.conn = None

    def prepare(self, conn):
        self.conn = conn
        if conn.server_version < 90000:
            self.getquoted = self._getquoted_8

    def _quoted(self, obj):
        adapter = _ext.adapt(obj)
        if self.conn is not None and hasattr(adapter, 'prepare'):
            adapter.prepare(self.conn)
        return adapter.getquoted()

    def _getquoted_8(self):
        """With the => operator of PostgreSQL before 9.0."""
        if not self.wrapped:
            return b"''::hstore"
        pairs = []
        for key, value in self.wrapped.items():
            quoted = b'NULL' if value is None else self._quoted(value)
            pairs.append(b'(' + self._quoted(key) + b' => ' + quoted + b')')
        return b'(' + b'||'.join(pairs) + b')'

    def _getquoted_9(self):
        """With the hstore(text[], text[]) function."""
        if not self.wrapped:
            return b"''::hstore"
        return (b'hstore(' + self._quoted(list(self.wrapped.keys())) + b', '
                + self._quoted(list(self.wrapped.values())) + b')')

    getquoted = _getquoted_9

    @classmethod
    def parse(cls, s, cur, _bsdec=_BACKSLASHED):
        """The dict of an hstore's text, such as ``"a"=>"1", "b"=>NULL``."""
        if s is None:
            return None
        result = _parse_hstore_plain(s)
        if result is not None:
            return result
        # Escapes, or not hstore's usual output: pair by pair with the full grammar.
        result = {}
        pos = 0
        while True:
            m = _HSTORE_PAIR.search(s, pos)
            if m is None:
                break
            if m.start() != pos:
                raise InterfaceError("error parsing hstore pair at char %d" % pos)
            value = m.group(2)
            if value is not None:
                value = _bsdec.sub(r'\1', value)
            result[_bsdec.sub(r'\1', m.group(1))] = value
            pos = m.end()
        if pos < len(s):
            raise InterfaceError("error parsing hstore: unparsed data after char %d" % pos)
        return result

    @classmethod
    def parse_unicode(cls, s, cur):
        """parse() for text as bytes in the connection's encoding (Python 2's need)."""
        if s is None:
            return None
        if isinstance(s, bytes):
            s = s.decode(_codec(cur.connection))
        return cls.parse(s, cur)

    @classmethod
    def get_oids(cls, conn_or_curs):
        """The OIDs of the hstore types of the database and of their arrays, as two tuples."""
        conn, rows = _fetch_type_rows(conn_or_curs, """\
SELECT t.oid, typarray
FROM pg_type t JOIN pg_namespace ns ON typnamespace = ns.oid
WHERE typname = 'hstore';
""")
        oids = [oid for oid, _ in rows]
        array_oids = [array_oid for _, array_oid in rows]
        return tuple(oids), tuple(array_oids)


def register_hstore(conn_or_curs, globally=False, unicode=False, oid=None, array_oid=None):
    """Cast hstore values to dicts and adapt dicts to hstore.

    The typecasters go on *conn_or_curs* (or globally with *globally*); the dict adapter is
    always global. Without *oid* the OIDs are read from the catalog through *conn_or_curs*
    (ProgrammingError if the hstore extension is not installed). *unicode* is accepted for
    compatibility: keys and values are always str.
    """
    if oid is None:
        oid = HstoreAdapter.get_oids(conn_or_curs)
        if oid is None or not oid[0]:
            raise ProgrammingError(
                "hstore type not found in the database. "
                "please install it from your 'contrib/hstore.sql' file")
        oid, array_oid = oid[0], oid[1]

    if isinstance(oid, int):
        oid = (oid,)
    if array_oid is not None:
        if isinstance(array_oid, int):
            array_oid = (array_oid,)
        else:
            array_oid = tuple(x for x in array_oid if x)

    scope = None if globally else (conn_or_curs or None)
    caster = _ext.new_type(oid, 'HSTORE', HstoreAdapter.parse)
    _ext.register_type(caster, scope)
    _ext.register_adapter(dict, HstoreAdapter)
    if array_oid:
        _ext.register_type(_ext.new_array_type(array_oid, 'HSTOREARRAY', caster), scope)


# -- composite types ----------------------------------------------------------------------------

class CompositeCaster:
    """Casts a PostgreSQL composite type to a Python object: a namedtuple by default
    (`type`); subclass and override `make()` for another one.

    register_composite() builds it from the catalog; build one directly (with the OIDs) to
    avoid querying. *attrs* is the list of (attribute name, type OID) pairs.
    """

    def __init__(self, name, oid, attrs, array_oid=None, schema=None):
        self.name = name
        self.schema = schema
        self.oid = oid
        self.array_oid = array_oid
        self.attnames = [a[0] for a in attrs]
        self.atttypes = [a[1] for a in attrs]
        self._create_type(name, self.attnames)
        self.typecaster = _ext.new_type((oid,), name, self.parse)
        self.array_typecaster = None
        if array_oid:
            self.array_typecaster = _ext.new_array_type(
                (array_oid,), '%sARRAY' % name, self.typecaster)

    def parse(self, s, curs):
        if s is None:
            return None
        tokens = self.tokenize(s)
        if len(tokens) != len(self.atttypes):
            raise DataError("expecting %d components for the type %s, %d found instead"
                            % (len(self.atttypes), self.name, len(tokens)))
        if curs is None:
            values = tokens
        else:
            values = [curs.cast(oid, token) for oid, token in zip(self.atttypes, tokens)]
        return self.make(values)

    def make(self, values):
        """The Python object for the attributes *values* (already cast): override it to
        customize the cast."""
        return self._ctor(values)

    @classmethod
    def tokenize(cls, s):
        """The attributes of a record's text ('(1,"a b",)') as strings, None for NULL."""
        tokens = []
        pos = 1 if s.startswith('(') else 0
        n = len(s)
        while pos < n:
            if s[pos] == '"':
                token, pos = _quoted_token(s, pos)
                if token is None:
                    raise InterfaceError("can't parse type: %r" % s)
            else:
                comma, paren = s.find(',', pos), s.find(')', pos)
                end = comma if comma >= 0 and (paren < 0 or comma < paren) else paren
                if end < 0 or '"' in s[pos:end]:
                    raise InterfaceError("can't parse type: %r" % s)
                token = s[pos:end] if end > pos else None
                pos = end
            tokens.append(token)
            if pos >= n or s[pos] not in ',)':
                raise InterfaceError("can't parse type: %r" % s)
            if s[pos] == ')':
                break
            pos += 1
        return tokens

    def _create_type(self, name, attnames):
        self.type = namedtuple(_re_clean.sub('_', name), attnames)
        self._ctor = self.type._make

    @classmethod
    def _from_db(cls, name, conn_or_curs):
        """An instance for the composite type called *name*, read from the catalog; raise
        ProgrammingError if there is none."""
        schema, tname = _split_name(name)
        conn, rows = _fetch_type_rows(conn_or_curs, """\
SELECT t.oid, typarray, attname, atttypid
FROM pg_type t
JOIN pg_namespace ns ON typnamespace = ns.oid
JOIN pg_attribute a ON attrelid = typrelid
WHERE typname = %s AND nspname = %s
    AND attnum > 0 AND NOT attisdropped
ORDER BY attnum;
""", (tname, schema), regtype_sql="""\
SELECT t.oid, typarray, attname, atttypid, typname, nspname
FROM pg_type t
JOIN pg_namespace ns ON typnamespace = ns.oid
JOIN pg_attribute a ON attrelid = typrelid
WHERE t.oid = %s::regtype
    AND attnum > 0 AND NOT attisdropped
ORDER BY attnum;
""", name=name)
        if rows and len(rows[0]) > 4:
            tname, schema = rows[0][4], rows[0][5]
        if not rows:
            raise ProgrammingError("PostgreSQL type '%s' not found" % name)
        return cls(tname, rows[0][0], [(r[2], r[3]) for r in rows],
                   array_oid=rows[0][1], schema=schema)


def register_composite(name, conn_or_curs, globally=False, factory=None):
    """Cast the composite type *name* (and its array) to namedtuples, or to what *factory*
    (a CompositeCaster subclass) makes. The type is looked up through *conn_or_curs*, where
    the casters are registered, or globally with *globally*. Returns the caster."""
    if factory is None:
        factory = CompositeCaster
    caster = factory._from_db(name, conn_or_curs)
    scope = None if globally else (conn_or_curs or None)
    _ext.register_type(caster.typecaster, scope)
    if caster.array_typecaster is not None:
        _ext.register_type(caster.array_typecaster, scope)
    return caster


# -- batch execution ----------------------------------------------------------------------------

def _paginate(seq, page_size):
    """The items of *seq* in lists of at most *page_size* (never an empty one)."""
    page = []
    for item in seq:
        page.append(item)
        if len(page) >= page_size:
            yield page
            page = []
    if page:
        yield page


def execute_batch(cur, sql, argslist, page_size=100):
    """Run *sql* with each item of *argslist*, joining up to *page_size* statements in each
    query sent: fewer round trips than executemany(). cur.rowcount is not a total after."""
    for page in _paginate(argslist, page_size=page_size):
        cur.execute(b';'.join([cur.mogrify(sql, args) for args in page]))


def execute_values(cur, sql, argslist, template=None, page_size=100, fetch=False):
    """Run *sql*, whose single ``%s`` is replaced by a VALUES list made of the items of
    *argslist*, up to *page_size* of them in each query.

    *template* is what each item becomes, e.g. ``'(%s, %s, 42)'``, or ``'(%(id)s, %(v)s)'``
    for mappings; by default ``(%s, ...)`` with as many placeholders as the first item has
    values. With *fetch* the rows the queries return are collected and returned (RETURNING).
    cur.rowcount is not a total after.
    """
    if isinstance(sql, _Composable):
        sql = sql.as_string(cur)
    # Work in bytes: the arguments come back from mogrify() as bytes.
    if not isinstance(sql, bytes):
        sql = sql.encode(_codec(cur.connection))
    pre, post = _split_sql(sql)

    result = [] if fetch else None
    for page in _paginate(argslist, page_size=page_size):
        if template is None:
            template = b'(' + b','.join([b'%s'] * len(page[0])) + b')'
        parts = list(pre)
        for args in page:
            parts.append(cur.mogrify(template, args))
            parts.append(b',')
        parts[-1:] = post
        cur.execute(b''.join(parts))
        if fetch:
            result.extend(cur.fetchall())
    return result


def _split_sql(sql):
    """*sql* (bytes) split at its single %s placeholder, '%%' made '%': (pre, post) lists of
    byte strings."""
    pre, post = [], []
    current = pre
    for token in _re.split(br'(%.)', sql):
        if len(token) != 2 or token[:1] != b'%':
            current.append(token)
        elif token == b'%s':
            if current is post:
                raise ValueError("the query contains more than one '%s' placeholder")
            current = post
        elif token == b'%%':
            current.append(b'%')
        else:
            raise ValueError("unsupported format character: '%s'"
                             % token[1:].decode('ascii', 'replace'))
    if current is pre:
        raise ValueError("the query doesn't contain any '%s' placeholder")
    return pre, post


# The ASCII punctuation, which can't be in a Python identifier (namedtuple field names).
_re_clean = _re.compile('[' + _re.escape(' !"#$%&\'()*+,-./:;<=>?@[\\]^`{|}~') + ']')
