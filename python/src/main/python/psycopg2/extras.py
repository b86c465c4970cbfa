# -*- coding: utf-8 -*-
"""psycopg2.extras: cursors returning dicts and named tuples, logging connections, fast
batch execution, and adapters and typecasters for more PostgreSQL types (uuid, inet, json,
ranges, hstore, composite types)."""
import logging as _logging
import os as _os
import re as _re
import time as _time
from collections import OrderedDict, namedtuple  # noqa: F401  (upstream's module has both)

import psycopg2  # noqa: F401  (psycopg2.extras.psycopg2 exists upstream too)
from psycopg2 import extensions as _ext
from psycopg2.extensions import adapt as _A, quote_ident  # noqa: F401
from psycopg2.extensions import connection as _connection, cursor as _cursor
from psycopg2._impl.exceptions import (
    OperationalError as _OperationalError,
    ProgrammingError as _ProgrammingError)
from psycopg2._impl.consts import POLL_OK as _POLL_OK, POLL_READ as _POLL_READ, POLL_WRITE as _POLL_WRITE
from psycopg2._impl import replication as _replication
from psycopg2._impl.compat import lru_cache
from psycopg2._impl.replication import (  # noqa: F401
    REPLICATION_LOGICAL, REPLICATION_PHYSICAL,
    ReplicationMessage, _replicationConnection, _replicationCursor)
from psycopg2._impl.rows import (  # noqa: F401
    DictRow, RealDictRow, _re_clean, record_class as _record_class)
from psycopg2._impl.typeinfo import solve_conn_curs as _solve_conn_curs  # noqa: F401
from psycopg2._impl.types import net as _net, uuid as _uuid
from psycopg2._impl.types.composite import CompositeCaster, register_composite  # noqa: F401
from psycopg2._impl.types.hstore import HstoreAdapter, register_hstore  # noqa: F401
from psycopg2._impl.types.net import Inet  # noqa: F401
from psycopg2._impl.types.uuid import UUID_adapter  # noqa: F401
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
        super(DictCursorBase, self).__init__(*args, **kwargs)
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
            row = super(DictCursorBase, self).fetchone()
            self._index_if_due()
        else:
            self._index_if_due()
            row = super(DictCursorBase, self).fetchone()
        return row

    def fetchmany(self, size=None):
        if self._prefetch:
            rows = super(DictCursorBase, self).fetchmany(size)
            self._index_if_due()
        else:
            self._index_if_due()
            rows = super(DictCursorBase, self).fetchmany(size)
        return rows

    def fetchall(self):
        if self._prefetch:
            rows = super(DictCursorBase, self).fetchall()
            self._index_if_due()
        else:
            self._index_if_due()
            rows = super(DictCursorBase, self).fetchall()
        return rows

    def __iter__(self):
        if not self._prefetch:
            self._index_if_due()
        rows = super(DictCursorBase, self).__iter__()
        try:
            first = next(rows)
        except StopIteration:
            return
        if self._prefetch:
            self._index_if_due()
        yield first
        for row in rows:
            yield row


class DictConnection(_connection):
    """A connection whose cursors are DictCursor by default."""

    def cursor(self, *args, **kwargs):
        kwargs.setdefault('cursor_factory', self.cursor_factory or DictCursor)
        return super(DictConnection, self).cursor(*args, **kwargs)


class DictCursor(DictCursorBase):
    """A cursor returning DictRow rows: lists that can be indexed by column name too."""

    def __init__(self, *args, **kwargs):
        kwargs['row_factory'] = DictRow
        super(DictCursor, self).__init__(*args, **kwargs)
        self._prefetch = True

    def execute(self, query, vars=None):
        self.index = OrderedDict()
        self._query_executed = True
        return super(DictCursor, self).execute(query, vars)

    def callproc(self, procname, vars=None):
        self.index = OrderedDict()
        self._query_executed = True
        return super(DictCursor, self).callproc(procname, vars)

    def _build_index(self):
        if self._query_executed and self.description:
            index = self.index
            for position, column in enumerate(self.description):
                index[column[0]] = position
            self._query_executed = False


class RealDictConnection(_connection):
    """A connection whose cursors are RealDictCursor by default."""

    def cursor(self, *args, **kwargs):
        kwargs.setdefault('cursor_factory', self.cursor_factory or RealDictCursor)
        return super(RealDictConnection, self).cursor(*args, **kwargs)


class RealDictCursor(DictCursorBase):
    """A cursor returning RealDictRow rows: real dicts (columns in order), with no access by
    position; use DictCursor for both."""

    def __init__(self, *args, **kwargs):
        kwargs['row_factory'] = RealDictRow
        super(RealDictCursor, self).__init__(*args, **kwargs)

    def execute(self, query, vars=None):
        self.column_mapping = []
        self._query_executed = True
        return super(RealDictCursor, self).execute(query, vars)

    def callproc(self, procname, vars=None):
        self.column_mapping = []
        self._query_executed = True
        return super(RealDictCursor, self).callproc(procname, vars)

    def _build_index(self):
        if self._query_executed and self.description:
            self.column_mapping = [column[0] for column in self.description]
            self._query_executed = False


# -- named tuple cursor ------------------------------------------------------------------------

class NamedTupleConnection(_connection):
    """A connection whose cursors are NamedTupleCursor by default."""

    def cursor(self, *args, **kwargs):
        kwargs.setdefault('cursor_factory', self.cursor_factory or NamedTupleCursor)
        return super(NamedTupleConnection, self).cursor(*args, **kwargs)


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
        return super(NamedTupleCursor, self).execute(query, vars)

    def executemany(self, query, vars):
        self.Record = None
        return super(NamedTupleCursor, self).executemany(query, vars)

    def callproc(self, procname, vars=None):
        self.Record = None
        return super(NamedTupleCursor, self).callproc(procname, vars)

    def _record(self):
        record = self.Record
        if record is None:
            record = self.Record = self._make_nt()
        return record

    def fetchone(self):
        row = super(NamedTupleCursor, self).fetchone()
        if row is None:
            return None
        return self._record()._make(row)

    def fetchmany(self, size=None):
        rows = super(NamedTupleCursor, self).fetchmany(size)
        make = self._record()._make
        return [make(row) for row in rows]

    def fetchall(self):
        rows = super(NamedTupleCursor, self).fetchall()
        make = self._record()._make
        return [make(row) for row in rows]

    def __iter__(self):
        rows = super(NamedTupleCursor, self).__iter__()
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
        return _record_class(key)


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
            raise _ProgrammingError("LoggingConnection object has not been initialize()d")

    def cursor(self, *args, **kwargs):
        self._check_initialized()
        kwargs.setdefault('cursor_factory', self.cursor_factory or LoggingCursor)
        return super(LoggingConnection, self).cursor(*args, **kwargs)


class LoggingCursor(_cursor):
    """A cursor that logs its queries through its LoggingConnection."""

    _in_callproc = False

    def execute(self, query, vars=None):
        try:
            return super(LoggingCursor, self).execute(query, vars)
        finally:
            # callproc() may run through execute(): it logs once, itself.
            if not self._in_callproc:
                self.connection.log(self.query, self)

    def callproc(self, procname, vars=None):
        self._in_callproc = True
        try:
            return super(LoggingCursor, self).callproc(procname, vars)
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


# -- replication --------------------------------------------------------------------------------

class LogicalReplicationConnection(_replicationConnection):
    """A logical replication connection (replication=database): decoded changes from a
    logical slot, and SQL in the database named."""

    def __init__(self, *args, **kwargs):
        kwargs['replication_type'] = REPLICATION_LOGICAL
        super(LogicalReplicationConnection, self).__init__(*args, **kwargs)


class PhysicalReplicationConnection(_replicationConnection):
    """A physical replication connection (replication=true): raw WAL, replication commands
    only."""

    def __init__(self, *args, **kwargs):
        kwargs['replication_type'] = REPLICATION_PHYSICAL
        super(PhysicalReplicationConnection, self).__init__(*args, **kwargs)


class StopReplication(Exception):
    """Raise it from a consume_stream() callback to end the loop (not a psycopg2.Error:
    nothing went wrong)."""


def _lsn_text(lsn):
    """An LSN (an int, or text 'XXX/XXX') as START_REPLICATION takes it."""
    lsn = _replication.parse_lsn(lsn, 'start_lsn')
    return '%X/%08X' % (lsn >> 32 & 0xFFFFFFFF, lsn & 0xFFFFFFFF)


class ReplicationCursor(_replicationCursor):
    """The cursor of replication connections: slots, and the replication stream."""

    def _slot_type(self, slot_type):
        if slot_type is None:
            slot_type = self.connection.replication_type
        if slot_type not in (REPLICATION_LOGICAL, REPLICATION_PHYSICAL):
            raise _ProgrammingError("unrecognized replication type: %r" % (slot_type,))
        return slot_type

    def create_replication_slot(self, slot_name, slot_type=None, output_plugin=None):
        """Create a slot: logical (decoded by ``output_plugin``) or physical; by default of
        the connection's kind."""
        command = 'CREATE_REPLICATION_SLOT %s ' % quote_ident(slot_name, self)
        if self._slot_type(slot_type) == REPLICATION_LOGICAL:
            if output_plugin is None:
                raise _ProgrammingError("output plugin name is required to create "
                                        "logical replication slot")
            command += 'LOGICAL %s' % quote_ident(output_plugin, self)
        else:
            if output_plugin is not None:
                raise _ProgrammingError("cannot specify output plugin name when creating "
                                        "physical replication slot")
            command += 'PHYSICAL'
        self.execute(command)

    def drop_replication_slot(self, slot_name):
        """Drop a slot (it must not be in use)."""
        self.execute('DROP_REPLICATION_SLOT %s' % quote_ident(slot_name, self))

    def start_replication(self, slot_name=None, slot_type=None, start_lsn=0, timeline=0,
                          options=None, decode=False, status_interval=10):
        """Start streaming: from a slot (required for logical replication, whose plugin takes
        ``options``), at ``start_lsn`` (an int or 'XXX/XXX'), on ``timeline`` (physical)."""
        slot_type = self._slot_type(slot_type)
        parts = ['START_REPLICATION']
        if slot_name:
            parts.append('SLOT %s' % quote_ident(slot_name, self))
        elif slot_type == REPLICATION_LOGICAL:
            raise _ProgrammingError("slot name is required for logical replication")
        if slot_type == REPLICATION_LOGICAL:
            parts.append('LOGICAL')
        # Physical: no PHYSICAL keyword, so that servers before 9.4 read it too.
        parts.append(_lsn_text(start_lsn))
        if timeline != 0:
            if slot_type == REPLICATION_LOGICAL:
                raise _ProgrammingError("cannot specify timeline for logical replication")
            parts.append('TIMELINE %s' % timeline)
        command = ' '.join(parts)
        if options:
            if slot_type == REPLICATION_PHYSICAL:
                raise _ProgrammingError(
                    "cannot specify output plugin options for physical replication")
            command += ' (%s)' % ', '.join(
                '%s %s' % (quote_ident(k, self), str(_A(str(v))))
                for k, v in options.items())
        self.start_replication_expert(command, decode=decode, status_interval=status_interval)

    def fileno(self):
        """The connection's socket, so that the cursor itself can be given to select()."""
        return self.connection.fileno()


_replication.use_cursor_class(ReplicationCursor)


# -- uuid and inet (the rest of their support: psycopg2._impl.types) ---------------------------

def register_uuid(oids=None, conn_or_curs=None):
    """Cast uuid (and uuid[]) values to uuid.UUID, on *conn_or_curs* or globally, and adapt
    uuid.UUID. *oids*: the type's OID, or the pair (type, array); PostgreSQL's by default.
    Returns the typecaster (also set as psycopg2.extensions.UUID)."""
    _ext.UUID, _ext.UUIDARRAY = _uuid.register_uuid(oids, conn_or_curs)
    return _ext.UUID


def register_inet(oid=None, conn_or_curs=None):
    """Cast inet (and inet[]) values to Inet objects, on *conn_or_curs* or globally
    (deprecated: register_ipaddress() is more useful). *oid*: the type's OID, or the pair
    (type, array). Returns the typecaster (also set as psycopg2.extensions.INET)."""
    _ext.INET, _ext.INETARRAY = _net.register_inet(oid, conn_or_curs)
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
                raise _OperationalError("bad state from poll: %s" % state)
        except KeyboardInterrupt:
            conn.cancel()
            # The server ends the query with an error, which ends the loop.
            continue


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

