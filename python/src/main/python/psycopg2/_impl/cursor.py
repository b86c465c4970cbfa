"""psycopg2's cursor class: executes queries and hands out rows, typecast."""

from . import copy as _copy, tpc as _tpc, waiting as _waiting
from .column import Column
from .compat import PY2, raise_from, text_type
from .consts import TRANSACTION_STATUS_INERROR, TRANSACTION_STATUS_UNKNOWN
from .exceptions import InterfaceError, NotSupportedError, ProgrammingError
from .members import readonly, writable
from .pq import UndecodableText
from .query import interpolate
from .quoting import quote_ident
from .typecast import column_plan, string_types as _global_casts
from .tzinfo import DEFAULT_TZINFO_FACTORY

# DECLARE's scroll option for the cursor's `scrollable` (None: the server's default).
_SCROLL = {None: '', False: 'NO SCROLL ', True: 'SCROLL '}

# Rows are converted from java-core in batches of at least this many, so that fetchone() in a
# loop crosses the boundary once per batch, and of at most _WINDOW: a window's intermediates
# (Java's decoded values and column strings, Python's column lists) die young, where a whole
# large result converted at once held them all, for every row, beside the rows it made.
_BATCH = 1000
_WINDOW = 16384


# executemany() runs an INSERT, UPDATE, DELETE or MERGE back to back (see _pipelines) in
# windows of this many bytes of SQL: all of a window is written before its first result is
# read, and a few tens of KB always fit the kernel's socket buffers, however much the results
# hold (java-core's PgConnection.executePipelined).
_PIPELINE_WINDOW = 32768
_PIPELINED_VERBS = frozenset((b'insert', b'update', b'delete', b'merge'))


def _pipelines(conn, query):
    """Whether executemany() can send the statements of ``query`` (bytes) back to back and
    still do exactly what running them one by one does: inside a transaction block (after a
    failure the server skips the statements psycopg2 would not have sent), one statement that
    changes data (no transaction control, no SET changing how the next ones are quoted: each
    window is quoted with the settings the previous one left), no wait callback (green mode
    waits on each statement) and not async."""
    if conn._async or _waiting.green():
        return False
    if conn._autocommit and not conn._entered:
        return False
    head = query[:8].lstrip()[:6].lower().rstrip()
    single = b';' not in query.rstrip().rstrip(b';')
    return single and head in _PIPELINED_VERBS


def _quoting_settings(conn):
    """What the literals of a statement depend on, which a statement can change."""
    return conn._standard_strings, conn._literal_rules, conn._py_encoding


def _sum_rowcounts(total, count):
    """psycopg2 sums executemany()'s row counts; a statement without one makes the total -1."""
    if count == -1:
        return -1
    return total + count if total >= 0 else total


class cursor(object):
    """A cursor (psycopg2.extensions.cursor)."""

    __module__ = 'psycopg2.extensions'

    # psycopg2's members (see members.py), with the zeroed value of a cursor whose __init__
    # never ran. string_types and binary_types stay None until register_type(..., cursor).
    _connection = _name = _query = _description = _statusmessage = _typecaster = None
    _row_factory = _tzinfo_factory = _string_types = _binary_types = None
    _rowcount = _lastrowid = _rownumber = _arraysize = _itersize = 0
    connection = readonly('connection', "The connection the cursor was made from.")
    name = readonly('name', "The name of a server-side cursor, None for a client one.")
    query = readonly('query', "The last query sent, as bytes.")
    description = readonly('description', "The result's columns (Column objects), or None.")
    rowcount = readonly('rowcount', "Rows of the last result or affected, -1 if unknown.")
    lastrowid = readonly('lastrowid', "The OID of the row inserted last (libpq's PQoidValue).")
    rownumber = readonly('rownumber', "The index of the next row to fetch.")
    statusmessage = readonly('statusmessage', "The command tag of the last result.")
    typecaster = readonly('typecaster', "The typecaster running (psycopg2 sets it while it "
                                        "casts a value; None otherwise).")
    arraysize = writable('arraysize', "How many rows fetchmany() returns by default.")
    itersize = writable('itersize', "Rows a server-side cursor fetches per round trip.")
    row_factory = writable('row_factory', "Makes each row from the cursor (None: tuples).")
    tzinfo_factory = writable('tzinfo_factory', "Makes the tzinfo of timestamptz values.")
    string_types = writable('string_types', "This cursor's typecasters by OID, or None.")
    binary_types = writable('binary_types', "Binary typecasters by OID, or None (unused).")

    def __init__(self, conn, name=None, withhold=False, scrollable=None):
        self._connection = conn
        # A named cursor is a server-side one: execute() DECLAREs it, the fetch methods
        # FETCH from it, a page of rows at a time.
        self._name = name
        self._quoted_name = None if name is None else '"%s"' % str(name).replace('"', '""')
        self._txn_generation = conn._txn_generation
        self._withhold = False
        self._scrollable = None
        if withhold:
            self.withhold = withhold
        if scrollable is not None:
            self.scrollable = scrollable
        self._arraysize = 1
        self._itersize = 2000
        self._tzinfo_factory = DEFAULT_TZINFO_FACTORY
        self._closed = False
        self._reset()
        self._query = None

    def _reset(self):
        self._description = None
        self._rowcount = -1
        self._rownumber = 0
        self._statusmessage = None
        # libpq's PQoidValue: 0 (InvalidOid) unless a row went into a table with OIDs.
        self._lastrowid = 0
        self._result = None
        self._ntuples = 0
        self._py_casters = ()
        self._buf = []
        self._buf_start = 0
        # A COPY BOTH started (START_REPLICATION): psycopg2 keeps its PGRES_COPY_BOTH result
        # until a replication cursor's consume_stream() takes it.
        self._copy_both = False

    # -- state --------------------------------------------------------------------------------

    @property
    def closed(self):
        return self._closed or bool(self.connection.closed)

    def _check(self):
        if self._connection is None:
            # A subclass whose __init__ did not call ours.
            raise InterfaceError("the cursor has no connection")
        # psycopg2 gives the same message when it is the connection that is closed.
        if self._closed or self.connection.closed:
            raise InterfaceError("cursor already closed")

    def _check_async_idle(self, what):
        """psycopg2 refuses most of a cursor's work while an async (or green) query runs."""
        if self.connection._async_cursor is not None:
            raise ProgrammingError("%s cannot be used while an asynchronous query is underway"
                                   % what)

    def _check_not_async(self, what):
        if self.connection._async:
            raise ProgrammingError("%s cannot be used in asynchronous mode" % what)
        if _waiting.green():
            raise ProgrammingError("%s cannot be used with an asynchronous callback." % what)
        _tpc.check_not_prepared(self.connection, what)

    def close(self):
        if self._closed:
            return
        if self._quoted_name is not None:
            self._check_async_idle('close_named')
            self._close_named()
        self._closed = True
        self._result = None
        self._buf = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()

    def __repr__(self):
        # psycopg2 stores `closed` in a one-bit signed field: a closed cursor shows -1.
        return '<cursor object at 0x%x; closed: %d>' % (id(self), -1 if self._closed else 0)

    @property
    def pgresult_ptr(self):
        return None

    # -- executing ----------------------------------------------------------------------------

    def _query_bytes(self, query, vars):
        """The query as sent: bytes in the client encoding, with ``vars`` quoted in."""
        conn = self.connection
        if isinstance(query, text_type):
            query = query.encode(conn._py_encoding)
        elif not isinstance(query, bytes):
            if hasattr(query, 'as_string'):            # a psycopg2.sql Composable
                query = query.as_string(self).encode(conn._py_encoding)
            else:
                raise TypeError("argument 1 must be a string or unicode object: got %s instead"
                                % type(query).__name__)
        if vars is None:
            return query
        return interpolate(query, vars, conn)

    def mogrify(self, query, vars=None):
        # Like psycopg2, this works on a closed cursor too: it only formats.
        return self._query_bytes(query, vars)

    def execute(self, query, vars=None):
        self._check()
        self._check_async_idle('execute')
        _tpc.check_not_prepared(self.connection, 'execute')
        if self.name is not None:
            if self.query is not None:
                raise ProgrammingError("can't call .execute() on named cursors more than once")
            if self.connection.autocommit and not self.withhold:
                raise ProgrammingError("can't use a named cursor outside of transactions")
            self._check_txn_generation()
        if not query:
            # '', b'' or None: refused before the cursor changes. A query of blanks or of
            # comments only goes to the server, which answers EmptyQueryResponse.
            raise ProgrammingError("can't execute an empty query")
        self._query = None                  # as psycopg2: None when quoting fails
        text = self._query_bytes(query, vars)
        conn = self.connection
        if self._quoted_name is not None:
            text = ('DECLARE %s %sCURSOR %s HOLD FOR ' % (
                self._quoted_name, _SCROLL[self.scrollable], 'WITH' if self.withhold else 'WITHOUT',
            )).encode(conn._py_encoding) + text
            self._txn_generation = conn._txn_generation
        self._query = text
        self._reset()
        if conn._async:
            conn._send(text, self)          # the result arrives through conn.poll()
            return
        self._set_result(conn._execute(text, self))

    def executemany(self, query, vars_list):
        self._check()
        if self.connection._async:
            raise ProgrammingError("executemany cannot be used in asynchronous mode")
        _tpc.check_not_prepared(self.connection, 'executemany')
        if self.name is not None:
            raise ProgrammingError("can't call .executemany() on named cursors")
        if not query:
            raise ProgrammingError("can't execute an empty query")
        query = self._query_bytes(query, None)      # a Composable rendered once
        if _pipelines(self.connection, query):
            self._executemany_pipelined(query, vars_list)
            return
        # psycopg2 sums the row counts, and any statement without one makes the total -1.
        total = 0
        for vars in vars_list:
            self.execute(query, vars)
            total = _sum_rowcounts(total, self.rowcount)
            # The rows of each statement are dropped: executemany() returns no results.
            self._result = None
            self._description = None
            self._ntuples = 0
            self._buf = []
        self._rowcount = total

    def _executemany_pipelined(self, query, vars_list):
        """executemany() as psycopg2 runs it (the same statements in the same order, the first
        error raised, the same row count and transaction state), without a round trip per
        statement: the statements go to the server back to back, a window at a time. Inside
        the transaction this is exact: after a failed statement the server skips the rest."""
        conn = self.connection
        total = 0
        window = []
        size = 0
        for vars in vars_list:
            text = self._quoted_or_flushed(query, vars, window)
            if window and size + len(text) > _PIPELINE_WINDOW:
                # A statement that would overfill the window goes in the next one (alone if
                # it is that big): never more than a window written before reading.
                quoting = _quoting_settings(conn)
                total = self._run_window(window, total)
                window = []
                size = 0
                if _quoting_settings(conn) != quoting:
                    text = self._quoted_or_flushed(query, vars, window)  # as the window set
            window.append(text)
            size += len(text)
        if window:
            total = self._run_window(window, total)
        self._rowcount = total

    def _quoted_or_flushed(self, query, vars, window):
        """One statement of executemany() with ``vars`` quoted in; when adapting them fails,
        the window before it is run first: psycopg2 had run those statements."""
        try:
            return interpolate(query, vars, self.connection)
        except BaseException:
            if window:
                self._run_window(window)
            self._query = None              # as after a failed execute()
            raise

    def _run_window(self, window, total=0):
        """Run a window of executemany()'s statements; the row-count total with theirs added.
        The cursor is left as the last statement run leaves it (its query, status, oid)."""
        self._reset()
        counts, last, error = self.connection._execute_pipelined(window, self)
        if error is not None:
            self._query = window[len(counts)]
            raise error
        self._query = window[-1]
        self._statusmessage = last.command_tag
        self._lastrowid = last.oid
        for count in counts:
            total = _sum_rowcounts(total, count)
        return total

    def callproc(self, procname, parameters=None):
        self._check()
        self._check_async_idle('callproc')
        _tpc.check_not_prepared(self.connection, 'callproc')
        if self.name is not None:
            raise ProgrammingError("can't call .callproc() on named cursors")
        named = isinstance(parameters, dict) and len(parameters) > 0
        if named:
            # Positional placeholders: a key is any string, `)` and `%` included.
            placeholders = ','.join('%s:=%%s' % quote_ident(k, self) for k in parameters)
            values = list(parameters.values())
        else:
            placeholders = ','.join(['%s'] * len(parameters or ()))
            values = parameters
        self.execute('SELECT * FROM %s(%s)' % (procname, placeholders), values or None)
        # psycopg2 returns the sequence it was given, but None for named arguments (they are
        # outside the DB-API).
        return None if named else parameters

    def _set_result(self, result):
        status = result.status
        self._statusmessage = result.command_tag
        if status == 'TUPLES_OK':
            self._description = tuple(Column._from_wire(*c) for c in result.columns())
            kinds, self._py_casters = column_plan([c.type_code for c in self.description],
                                                  self)
            result.set_kinds(kinds)
            result.ascii_only = self.connection._py_encoding == 'ascii'
            self._result = result
            self._ntuples = result.ntuples
            self._rowcount = self._ntuples
            self._lastrowid = 0
        elif status == 'COPY_BOTH':
            self._rowcount = -1
            self._copy_both = True
        elif status == 'EMPTY_QUERY':
            self._statusmessage = ''
            raise ProgrammingError("can't execute an empty query")
        else:
            self._rowcount = result.rowcount
            self._lastrowid = result.oid

    # -- fetching -----------------------------------------------------------------------------

    def _check_fetch(self):
        self._check()
        if self._result is None:
            raise ProgrammingError("no results to fetch")

    def _rows(self, start, stop):
        """Rows [start, stop) of the result, typecast and made by the row factory."""
        casters, factory = self._py_casters, self.row_factory
        if not casters and factory is None:
            return self._result.rows(start, stop)
        columns = self._result.values(start, stop)
        # Column by column: one comprehension per caster. (A value's caster sees only that
        # value and the cursor, so the order of the calls changes nothing a caster sees.)
        for index, caster in casters:
            columns[index] = [caster(value, self) for value in columns[index]]
        table = zip(*columns) if columns else [()] * (stop - start)   # SELECT FROM t
        if factory is None:
            return list(table)
        # Row classes of extras (DictRow, RealDictRow) build a whole row in one call (see
        # rows.py); any other factory gets psycopg2's protocol: factory(cursor), then
        # row[i] = value.
        build = getattr(factory, '_from_values', None)
        if build is not None:
            return [build(self, list(values)) for values in table]
        rows = []
        for values in table:
            row = factory(self)
            for index, value in enumerate(values):
                row[index] = value
            rows.append(row)
        return rows

    def _fill(self, start, fill_stop, stop):
        """Rows [start, fill_stop) converted, a window at a time; when a text does not decode,
        the rows before it if it lies at or past ``stop`` (the caller did not ask for it yet)."""
        buf = []
        for at in range(start, fill_stop, _WINDOW):
            end = min(at + _WINDOW, fill_stop)
            try:
                rows = self._rows(at, end)
            except UndecodableText as e:
                if e.row < stop:
                    # As psycopg2, which decodes row by row: the fetch fails at that row, and
                    # the position moves past it.
                    self._rownumber = e.row + 1
                    raise_from(e.decode_error(self.connection._py_encoding), None)
                buf.extend(self._rows(at, e.row))
                break
            if not buf:
                buf = rows
            else:
                buf.extend(rows)
        return buf

    def _take(self, count):
        """Up to ``count`` rows from the current position, converted."""
        start = self._rownumber
        stop = min(start + count, self._ntuples)
        if start >= stop:
            return []
        buf, buf_start = self._buf, self._buf_start
        if not (buf_start <= start and stop <= buf_start + len(buf)):
            # Refill the window from `start`: at least a batch, at most what is left.
            fill_stop = min(self._ntuples, start + max(count, _BATCH))
            buf = self._fill(start, fill_stop, stop)
            self._buf = buf
            buf_start = self._buf_start = start
        self._rownumber = stop
        return buf[start - buf_start:stop - buf_start]

    def _next_buffered(self):
        """The row at the current position when it is already converted (and the cursor
        usable), advancing past it; None otherwise. Iterating a result costs one list index
        per row this way, not a window slice."""
        buf = self._buf
        index = self._rownumber - self._buf_start
        if 0 <= index < len(buf) and not self._closed and not self.connection.closed:
            self._rownumber += 1
            return buf[index]
        return None

    def fetchone(self):
        if self._quoted_name is not None:
            self._run_named('FETCH FORWARD 1', 'fetchone')
        else:
            row = self._next_buffered()
            if row is not None:
                return row
            self._check_fetch()
        rows = self._take(1)
        return rows[0] if rows else None

    def fetchmany(self, size=None):
        if size is None:
            size = self.arraysize
        if self._quoted_name is not None:
            self._run_named('FETCH FORWARD %d' % size, 'fetchone')
        else:
            self._check_fetch()
        return self._take(size)

    def fetchall(self):
        if self._quoted_name is not None:
            self._run_named('FETCH FORWARD ALL', 'fetchall')
        else:
            self._check_fetch()
        return self._take(self._ntuples - self._rownumber)

    def __iter__(self):
        return self

    def __next__(self):
        row = self._next_buffered()
        if row is not None:
            return row
        if self._quoted_name is not None:
            # A page of itersize rows per round trip; the rows of a page come from memory.
            if self._rownumber >= self._ntuples:
                self._run_named('FETCH FORWARD %d' % self.itersize, 'next')
            rows = self._take(1)
            if not rows:
                raise StopIteration
            return rows[0]
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    if PY2:
        next = __next__                     # the iterator protocol's name on Python 2

    # -- named (server-side) cursors ----------------------------------------------------------

    @property
    def withhold(self):
        return self._withhold

    @withhold.setter
    def withhold(self, value):
        if value and self.name is None:
            raise ProgrammingError("trying to set .withhold on unnamed cursor")
        self._withhold = bool(value)

    @property
    def scrollable(self):
        return self._scrollable

    @scrollable.setter
    def scrollable(self, value):
        if value is not None and self.name is None:
            raise ProgrammingError("trying to set .scrollable on unnamed cursor")
        self._scrollable = None if value is None else bool(value)

    def _check_txn_generation(self):
        if self._txn_generation != self.connection._txn_generation and not self.withhold:
            raise ProgrammingError("named cursor isn't valid anymore")

    def _run_named(self, command, what):
        """FETCH or MOVE on the server cursor; its result becomes the cursor's result.
        ``what``: the method's name as psycopg2's errors give it."""
        self._check()
        self._check_txn_generation()
        _tpc.check_not_prepared(self.connection, what)
        # Like psycopg2, no BEGIN for a WITH HOLD cursor: it outlives transactions.
        result = self.connection._execute('%s FROM %s' % (command, self._quoted_name), self,
                                          begin=not self.withhold)
        self._reset()
        self._set_result(result)

    def _close_named(self):
        conn = self.connection
        status = conn.get_transaction_status()
        if status in (TRANSACTION_STATUS_UNKNOWN, TRANSACTION_STATUS_INERROR):
            return          # the server cursor is gone, or cannot be closed before rollback
        if self.query is None:
            # Never executed here: it may be a cursor DECLAREd by other means, or none at all.
            found = conn._execute("SELECT 1 FROM pg_catalog.pg_cursors WHERE name = %s"
                                  % self._literal_name(), self, begin=False)
            if found.ntuples == 0:
                return
        self._check_txn_generation()
        conn._execute('CLOSE ' + self._quoted_name, self, begin=False)

    def _literal_name(self):
        return "'%s'" % str(self.name).replace("'", "''")

    def scroll(self, value, mode='relative'):
        self._check()
        if self._quoted_name is not None:
            # The server does the moving (and refuses backwards on a NO SCROLL cursor).
            value = int(value)
            self._run_named('MOVE ABSOLUTE %d' % value if mode == 'absolute'
                            else 'MOVE %d' % value, 'scroll')
            return
        if mode == 'relative':
            target = self._rownumber + value
        elif mode == 'absolute':
            target = value
        else:
            raise ProgrammingError("scroll mode must be 'relative' or 'absolute'")
        # psycopg2 checks against rowcount (so without a result every position is out of
        # bounds) and raises ProgrammingError, not the IndexError the DB-API suggests.
        if target < 0 or target >= self.rowcount:
            raise ProgrammingError("scroll destination out of bounds")
        self._rownumber = target

    def nextset(self):
        self._check()
        raise NotSupportedError("not supported by PostgreSQL")

    # -- COPY ---------------------------------------------------------------------------------

    def copy_from(self, file, table, sep='\t', null='\\N', size=_copy.DEFAULT_SIZE,
                  columns=None):
        if not hasattr(file, 'read'):
            raise TypeError("argument 1 must have a .read() method")
        self._check()
        self._check_not_async('copy_from')
        self._copy(_copy.copy_statement(self, 'FROM stdin', table, sep, null, columns),
                   file, size)

    def copy_to(self, file, table, sep='\t', null='\\N', columns=None):
        if not hasattr(file, 'write'):
            raise TypeError("argument 1 must have a .write() method")
        self._check()
        self._check_not_async('copy_to')
        self._copy(_copy.copy_statement(self, 'TO stdout', table, sep, null, columns),
                   file, _copy.DEFAULT_SIZE)

    def copy_expert(self, sql, file, size=_copy.DEFAULT_SIZE):
        self._check()
        self._check_not_async('copy_expert')
        if not hasattr(file, 'read') and not hasattr(file, 'write'):
            raise TypeError("file must be a readable file-like object for COPY FROM; "
                            "a writable file-like object for COPY TO.")
        self._copy(self._query_bytes(sql, None), file, size)

    def _copy(self, sql, file, size):
        conn = self.connection
        self._query = sql
        self._reset()
        result = conn._copy(sql, self, file, size)
        self._rowcount = result.rowcount
        # psycopg2 reads the status of the COPY's first result (PGRES_COPY_*), which is empty.
        self._statusmessage = ''

    def setinputsizes(self, sizes):
        self._check()

    def setoutputsize(self, size, column=None):
        self._check()

    def cast(self, oid, s):
        caster = ((self._string_types or {}).get(oid)
                  or self._connection.string_types.get(oid) or _global_casts.get(oid))
        if caster is None:
            return s
        return caster(s, self)
