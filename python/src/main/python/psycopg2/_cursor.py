"""psycopg2's cursor class: executes queries and hands out rows, typecast."""
import datetime as _dt

from ._column import Column
from ._exceptions import InterfaceError, NotSupportedError, ProgrammingError
from ._query import interpolate
from ._typecast import column_plan, string_types as _global_casts

# Rows are converted from java-core in batches of this many, so that fetchone() in a loop
# crosses the boundary once per batch and fetchall() once per result.
_BATCH = 1000


def _python_row(jrow):
    """A row from java-core as a tuple of Python values.

    A SQL NULL that java-core decoded itself arrives as Java's null, which GraalPy shows as
    polyglot.ForeignNone: equal to None and `is None`, but unknown to pickle, json and dict
    lookups. Rows holding one are rebuilt with the real None (the check is one scan)."""
    values = tuple(jrow)
    if None in values:
        values = tuple([None if v is None else v for v in values])
    return values


class cursor:
    """A cursor (psycopg2.extensions.cursor)."""

    __module__ = 'psycopg2.extensions'

    def __init__(self, conn, name=None, withhold=False, scrollable=None):
        if name is not None:
            raise NotSupportedError("named (server-side) cursors are not supported yet")
        self.connection = conn
        self.name = None
        self.withhold = withhold
        self.scrollable = scrollable
        self.arraysize = 1
        self.itersize = 2000
        self.tzinfo_factory = _dt.timezone
        self.row_factory = None
        self.string_types = {}
        self.binary_types = {}
        self._closed = False
        self._reset()
        self.query = None

    def _reset(self):
        self.description = None
        self.rowcount = -1
        self.rownumber = 0
        self.statusmessage = None
        # libpq's PQoidValue: 0 (InvalidOid) unless a row went into a table with OIDs.
        self.lastrowid = 0
        self._result = None
        self._ntuples = 0
        self._calls = ()
        self._buf = []
        self._buf_start = 0

    # -- state --------------------------------------------------------------------------------

    @property
    def closed(self):
        return self._closed or bool(self.connection.closed)

    def _check(self):
        # psycopg2 gives the same message when it is the connection that is closed.
        if self._closed or self.connection.closed:
            raise InterfaceError("cursor already closed")

    def close(self):
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

    def _query_text(self, query, vars):
        conn = self.connection
        if isinstance(query, bytes):
            query = query.decode(conn._py_encoding)
        elif not isinstance(query, str):
            if hasattr(query, 'as_string'):            # a psycopg2.sql Composable
                query = query.as_string(self)
            else:
                raise TypeError("argument 1 must be a string or unicode object: got %s instead"
                                % type(query).__name__)
        if vars is None:
            return query
        return interpolate(query, vars, conn)

    def mogrify(self, query, vars=None):
        # Like psycopg2, this works on a closed cursor too: it only formats.
        return self._query_text(query, vars).encode(self.connection._py_encoding)

    def execute(self, query, vars=None):
        self._check()
        if not query:
            # '', b'' or None: refused before the cursor changes. A query of blanks or of
            # comments only goes to the server, which answers EmptyQueryResponse.
            raise ProgrammingError("can't execute an empty query")
        text = self._query_text(query, vars)
        conn = self.connection
        self.query = text.encode(conn._py_encoding)
        self._reset()
        self._set_result(conn._execute(text, self))

    def executemany(self, query, vars_list):
        self._check()
        if not query:
            raise ProgrammingError("can't execute an empty query")
        # psycopg2 sums the row counts, and any statement without one makes the total -1.
        total = 0
        for vars in vars_list:
            self.execute(query, vars)
            if self.rowcount == -1:
                total = -1
            elif total >= 0:
                total += self.rowcount
            # The rows of each statement are dropped: executemany() returns no results.
            self._result = None
            self.description = None
            self._ntuples = 0
            self._buf = []
        self.rowcount = total

    def callproc(self, procname, parameters=None):
        self._check()
        named = isinstance(parameters, dict) and len(parameters) > 0
        if named:
            from .extensions import quote_ident
            placeholders = ','.join('%s:=%%(%s)s' % (quote_ident(k, self), k)
                                    for k in parameters)
        else:
            placeholders = ','.join(['%s'] * len(parameters or ()))
        self.execute('SELECT * FROM %s(%s)' % (procname, placeholders), parameters or None)
        # psycopg2 returns the sequence it was given, but None for named arguments (they are
        # outside the DB-API).
        return None if named else parameters

    def _set_result(self, result):
        status = str(result.status())
        tag = result.commandTag()
        self.statusmessage = None if tag is None else str(tag)
        if status == 'TUPLES_OK':
            columns = result.columns()
            self.description = tuple(
                Column.from_wire(str(c[0]), int(c[1]), int(c[2]), int(c[3]), int(c[4]),
                                 int(c[5]))
                for c in columns)
            kinds, self._calls = column_plan([c.type_code for c in self.description], self)
            result.setDecoders(kinds)
            self._result = result
            self._ntuples = int(result.rowCount())
            self.rowcount = self._ntuples
            self.lastrowid = 0
        elif status == 'EMPTY_QUERY':
            self.statusmessage = ''
            raise ProgrammingError("can't execute an empty query")
        else:
            self.rowcount = int(result.affectedRows())
            self.lastrowid = int(result.insertedOid())

    # -- fetching -----------------------------------------------------------------------------

    def _check_fetch(self):
        self._check()
        if self._result is None:
            raise ProgrammingError("no results to fetch")

    def _convert(self, jrows):
        calls, factory = self._calls, self.row_factory
        if not calls and factory is None:
            return [_python_row(r) for r in jrows]
        # Row classes of extras (DictRow, RealDictRow) build a whole row in one call; any
        # other factory gets psycopg2's protocol: factory(cursor), then row[i] = value.
        build = getattr(factory, '_from_values', None)
        rows = []
        for jrow in jrows:
            values = list(_python_row(jrow))
            for index, caster in calls:
                values[index] = caster(values[index], self)
            if factory is None:
                rows.append(tuple(values))
            elif build is not None:
                rows.append(build(self, values))
            else:
                row = factory(self)
                for index, value in enumerate(values):
                    row[index] = value
                rows.append(row)
        return rows

    def _take(self, count):
        """Up to ``count`` rows from the current position, converted."""
        start = self.rownumber
        stop = min(start + count, self._ntuples)
        if start >= stop:
            return []
        buf, buf_start = self._buf, self._buf_start
        if not (buf_start <= start and stop <= buf_start + len(buf)):
            # Refill the window from `start`: at least a batch, at most what is left.
            fill_stop = min(self._ntuples, start + max(count, _BATCH))
            buf = self._buf = self._convert(self._result.rows(start, fill_stop))
            buf_start = self._buf_start = start
        self.rownumber = stop
        return buf[start - buf_start:stop - buf_start]

    def fetchone(self):
        self._check_fetch()
        rows = self._take(1)
        return rows[0] if rows else None

    def fetchmany(self, size=None):
        self._check_fetch()
        if size is None:
            size = self.arraysize
        return self._take(size)

    def fetchall(self):
        self._check_fetch()
        return self._take(self._ntuples - self.rownumber)

    def __iter__(self):
        return self

    def __next__(self):
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    def scroll(self, value, mode='relative'):
        self._check()
        if mode == 'relative':
            target = self.rownumber + value
        elif mode == 'absolute':
            target = value
        else:
            raise ProgrammingError("scroll mode must be 'relative' or 'absolute'")
        # psycopg2 checks against rowcount (so without a result every position is out of
        # bounds) and raises ProgrammingError, not the IndexError the DB-API suggests.
        if target < 0 or target >= self.rowcount:
            raise ProgrammingError("scroll destination out of bounds")
        self.rownumber = target

    def nextset(self):
        self._check()
        raise NotSupportedError("not supported by PostgreSQL")

    def setinputsizes(self, sizes):
        self._check()

    def setoutputsize(self, size, column=None):
        self._check()

    def cast(self, oid, s):
        caster = (self.string_types.get(oid) or self.connection.string_types.get(oid)
                  or _global_casts.get(oid))
        if caster is None:
            return s
        return caster(s, self)
