"""How the connection waits for the server: three strategies over one set of java-core steps.

- **Blocking** (no wait callback): java-core's blocking driver runs the whole exchange in one
  call (PGconn.exec_, PGconn.connect); no Python code runs per step.
- **Green** (``extensions.set_wait_callback(f)``): the exchange starts without blocking
  (PGconn.send_query, connect_start) and ``f(conn)`` waits, calling ``conn.poll()`` until
  POLL_OK: extras.wait_select, or a coroutine library's callback.
- **Async** (``connect(async_=True)``): ``execute()`` only sends; the user calls ``poll()``.

``poll()`` is psycopg2's conn_poll: what a step does depends on the connection's status (still
connecting, setting the date style up, or running a query), and an async query's result goes
to the cursor that ran it. Both drivers of java-core take the same steps; only who waits differs.
"""
import weakref

from . import pq
from .consts import POLL_OK, POLL_WRITE, STATUS_READY, STATUS_SETUP
from .exceptions import Error, InterfaceError, OperationalError, ProgrammingError

# psycopg2's connection statuses while an async connection is being set up.
STATUS_CONNECTING = 20
STATUS_DATESTYLE = 21

_DATESTYLE_ISO = b"SET DATESTYLE TO 'ISO'"

_wait_callback = None


def set_wait_callback(f):
    """Make every blocking operation wait through ``f(conn)`` (None: block in java-core)."""
    global _wait_callback
    _wait_callback = f


def get_wait_callback():
    return _wait_callback


def green():
    return _wait_callback is not None


class _Green(object):
    """What a connection's ``_async_cursor`` holds while a query runs that no cursor waits
    for: a green one (the operation that started it takes its outcome from the connection),
    or an async connection's set-up query."""


_GREEN = _Green()


# -- connecting ------------------------------------------------------------------------------

def connect(conn, dsn, environ):
    """The PGconn of a new connection: at once for async (poll() completes it), through the
    wait callback in green mode, else from java-core's blocking connect."""
    if conn._async:
        return pq.PGconn.connect_start(dsn, environ)
    callback = _wait_callback
    if callback is None:
        return pq.PGconn.connect(dsn, environ)
    pgconn = conn._pgconn = pq.PGconn.connect_start(dsn, environ)
    try:
        callback(conn)
        if conn.status != STATUS_CONNECTING or pgconn.connect_poll() != POLL_OK:
            raise OperationalError("the wait callback returned before the connection was made")
    except BaseException:
        pgconn.close()
        raise
    return pgconn


# -- running a query -------------------------------------------------------------------------

def execute(conn, sql):
    """Run one simple query to its end (bytes in the client encoding): its PGresult, or its
    error raised."""
    callback = _wait_callback
    if callback is None:
        return conn._pgconn.exec_(sql)
    if conn._async_cursor is not None:
        raise ProgrammingError("a single async query can be executed on the same connection")
    conn._pgconn.send_query(sql)
    conn._async_cursor = _GREEN
    conn._outcome = None
    try:
        callback(conn)
    except BaseException:
        _panic(conn)
        raise
    finally:
        conn._async_cursor = None
    outcome, conn._outcome = conn._outcome, None
    if outcome is None:
        # The callback returned early: the query's fate is unknown, as psycopg2 closes.
        _panic(conn)
        raise OperationalError("the wait callback returned before the query finished")
    result, error = outcome
    if error is not None:
        raise error
    return result


def _panic(conn):
    # psycopg2's green_panic: the exchange was broken off half-way (the callback failed, or
    # was interrupted) and there is no way back without blocking, so the connection closes.
    conn._pgconn.close()
    conn._closed = 2


def send(conn, sql, cursor):
    """Send an async cursor's query; its result arrives through poll()."""
    if conn._async_cursor is not None:
        raise ProgrammingError("execute cannot be used while an asynchronous query is underway")
    conn._pgconn.send_query(sql)
    conn._async_cursor = weakref.ref(cursor)


def isexecuting(conn):
    if not conn._async:
        return False
    return conn.status != STATUS_READY or conn._async_cursor is not None


# -- poll() ----------------------------------------------------------------------------------

def poll(conn):
    """One step of what the connection is doing; POLL_OK, POLL_READ or POLL_WRITE. The error
    of a failed step is raised (for an async query, with its cursor set)."""
    status = conn.status
    if status == STATUS_SETUP:
        # The first step opens the socket (fileno() works after it, as after PQconnectStart)
        # and, as psycopg2's first step, says POLL_WRITE whatever it got to.
        conn._status = STATUS_CONNECTING
        _connect_step(conn)
        return POLL_WRITE
    if status == STATUS_CONNECTING:
        state = _connect_step(conn)
        if state == POLL_OK and conn._async:
            return _setup_async(conn)
        return state
    state = _query_step(conn)
    if state != POLL_OK:
        return state
    if status == STATUS_DATESTYLE:
        conn._status = STATUS_READY
    return POLL_OK


def _connect_step(conn):
    try:
        return conn._pgconn.connect_poll()
    except Error:
        conn._closed = 2
        raise


def _setup_async(conn):
    # psycopg2's _conn_poll_setup_async: an async connection is always in autocommit (the
    # user sends BEGIN/COMMIT), and the date style is set without blocking when it must be.
    conn._autocommit = True
    conn._read_settings()
    if not conn._datestyle_needs_setting():
        conn._status = STATUS_READY
        return POLL_OK
    conn._status = STATUS_DATESTYLE
    conn._pgconn.send_query(_DATESTYLE_ISO)
    conn._async_cursor = _GREEN
    return POLL_WRITE


def _query_step(conn):
    """Advance the query in flight, or read what arrived when there is none."""
    pgconn = conn._pgconn
    waiting_for = conn._async_cursor
    try:
        if waiting_for is None:
            pgconn.consume_input()
            return POLL_OK
        state = pgconn.poll()
    except Error as e:
        conn._async_cursor = None
        conn._after_failure(e, None)
        raise
    finally:
        conn._collect_messages()
    if state != POLL_OK:
        return state
    conn._async_cursor = None
    try:
        result, error = pgconn.get_result(), None
    except Error as e:
        result, error = None, e
    conn._after_statement()
    if waiting_for is _GREEN:
        if conn._status == STATUS_DATESTYLE:
            if error is not None or result is None or result.status != 'COMMAND_OK':
                raise OperationalError("can't set datestyle to ISO")
        else:
            conn._outcome = (result, error)
        return POLL_OK
    cursor = waiting_for()
    if cursor is None:
        raise InterfaceError("the asynchronous cursor has disappeared")
    if error is not None:
        error._cursor = cursor
        raise error
    cursor._set_result(result)
    return POLL_OK
