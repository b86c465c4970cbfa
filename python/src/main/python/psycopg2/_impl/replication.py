"""Streaming replication, as psycopg2's C extension has it (psycopg2.extensions'
ReplicationConnection, ReplicationCursor, ReplicationMessage), on java-core's ReplicationStream:
the stream's state (positions, keepalives, status updates on time) lives in Java; this module
adds psycopg2's checks, its messages as Python objects, and the consume_stream() loop.
psycopg2.extras builds its replication classes (slots, START_REPLICATION's syntax) on these."""
import datetime as _dt

from . import tpc as _tpc, waiting as _waiting
from .compat import raise_from, string_types
from .connection import connection
from .cursor import cursor
from .dsn import make_dsn
from .exceptions import DatabaseError, Error, OperationalError, ProgrammingError
from .members import readonly

REPLICATION_PHYSICAL = 12345678
REPLICATION_LOGICAL = 87654321

# What the connection adds to the DSN: a physical walsender takes replication commands only; a
# logical one also SQL, in the database named. dbname=replication is what .pgpass is looked up
# with for a physical connection, as libpq's documentation says.
_DSN_OPTIONS = {
    REPLICATION_PHYSICAL: {'replication': 'true', 'dbname': 'replication'},
    REPLICATION_LOGICAL: {'replication': 'database'},
}

# consume_stream() waits for the server in slices this long (seconds), so that a signal (Ctrl-C)
# is handled promptly: a Python thread waiting in Java runs no Python signal handler.
_WAIT_SLICE = 1.0

# The server's times count from 2000-01-01 UTC, in microseconds.
_POSTGRES_EPOCH = 946684800


def parse_lsn(value, what):
    """An LSN given as an int or as PostgreSQL writes it ('16/B374D848')."""
    if isinstance(value, string_types):
        try:
            high, low = value.split('/')
            return int(high, 16) << 32 | int(low, 16)
        except ValueError:
            raise_from(ValueError("invalid LSN for %s: %r" % (what, value)), None)
    return int(value)


def use_cursor_class(cls):
    """The class of a replication connection's cursors: psycopg2.extras.ReplicationCursor,
    which extras registers here when it is imported (psycopg2's C code imports extras for it;
    _impl never imports a public module)."""
    global _cursor_class
    _cursor_class = cls


class _replicationConnection(connection):
    """A replication connection (psycopg2.extensions.ReplicationConnection): always in
    autocommit, its cursors are psycopg2.extras.ReplicationCursor."""

    def __init__(self, dsn, async_=False, replication_type=None, **kwargs):
        if 'async' in kwargs:
            async_ = kwargs.pop('async')
        if kwargs:
            raise TypeError("'%s' is an invalid keyword argument for this function"
                            % next(iter(kwargs)))
        options = _DSN_OPTIONS.get(replication_type)
        if options is None:
            raise TypeError("replication_type must be either "
                            "REPLICATION_PHYSICAL or REPLICATION_LOGICAL")
        dsn = make_dsn(dsn, **options)
        super(_replicationConnection, self).__init__(dsn, async_)
        self._replication_type = replication_type
        self._autocommit = True
        self._cursor_factory = _cursor_class

    @property
    def replication_type(self):
        """REPLICATION_PHYSICAL or REPLICATION_LOGICAL."""
        return self._replication_type

    def __repr__(self):
        return "<ReplicationConnection object at 0x%x; dsn: '%s', closed: %d>" % (
            id(self), self.dsn, self.closed)

    __str__ = __repr__


def _unreadable(name):
    """What psycopg2 puts over the connection's settings on a replication connection: a
    descriptor that can be neither read nor written (nor called)."""
    def refuse(self, value=None):
        raise AttributeError("attribute '%s' of 'psycopg2.extensions.ReplicationConnection' "
                             "objects is not readable" % name)
    return property(refuse, refuse)


for _name in ('autocommit', 'isolation_level', 'set_session', 'set_isolation_level', 'reset'):
    setattr(_replicationConnection, _name, _unreadable(_name))
del _name


_replicationConnection.__name__ = _replicationConnection.__qualname__ = 'ReplicationConnection'
_replicationConnection.__module__ = 'psycopg2.extensions'


class _replicationCursor(cursor):
    """The cursor of a replication connection (psycopg2.extensions.ReplicationCursor)."""

    def __init__(self, *args, **kwargs):
        super(_replicationCursor, self).__init__(*args, **kwargs)
        self._consuming = False
        self._decode = False
        # java-core's stream state (see pq.ReplicationStream): made by start_replication_expert.
        self._stream = None

    def __repr__(self):
        return '<ReplicationCursor object at 0x%x; closed: %d>' % (
            id(self), -1 if self._closed else 0)

    def _check_streaming_allowed(self, what):
        self._check()
        if _waiting.green():
            raise ProgrammingError("%s cannot be used with an asynchronous callback." % what)
        _tpc.check_not_prepared(self.connection, what)

    def start_replication_expert(self, command, decode=False, status_interval=10):
        """Run a START_REPLICATION command as given (str, bytes or a psycopg2.sql object): the
        connection streams from then on. ``decode``: payloads as str in the connection's
        encoding; ``status_interval``: seconds between status updates sent unasked."""
        self._check_streaming_allowed('start_replication_expert')
        if not command:
            raise ProgrammingError("can't execute an empty query")
        text = self._query_bytes(command, None)
        status_interval = float(status_interval)
        if status_interval < 1.0:
            raise ProgrammingError("status_interval must be >= 1 (sec)")
        decode = bool(int(decode))
        conn = self.connection
        self._query = text
        self._reset()
        stream = conn._pgconn.replication_stream(status_interval)
        if conn._async:
            conn._send(text, self)      # streaming starts once poll() says POLL_OK
        else:
            self._set_result(conn._execute(text, self, begin=False))
        self._stream = stream
        self._decode = decode

    def consume_stream(self, consume, keepalive_interval=None):
        """Call ``consume(msg)`` with each ReplicationMessage, for ever: between messages it
        waits for the server, answers keepalives and sends a status update every
        ``keepalive_interval`` seconds (start_replication's status_interval by default). It
        ends when ``consume`` raises (StopReplication, to stop), or when the server ends the
        stream (psycopg2 would go on waiting)."""
        self._check()
        if self.connection._async:
            raise ProgrammingError("consume_stream cannot be used in asynchronous mode")
        self._check_streaming_allowed('consume_stream')
        interval = None
        if keepalive_interval is not None:
            if not isinstance(keepalive_interval, (int, float)):
                raise ProgrammingError("keepalive_interval must be int or float")
            interval = float(keepalive_interval)
            if interval < 1.0:
                raise ProgrammingError("keepalive_interval must be >= 1 (sec)")
        if self._consuming:
            raise ProgrammingError(
                "consume_stream cannot be used when already in the consume loop")
        if not self._copy_both:
            raise ProgrammingError(
                "consume_stream: not replicating, call start_replication first")
        if not callable(consume):
            raise TypeError("consume_stream: the consumer must be callable")
        self._copy_both = False
        stream = self._stream
        if interval is not None:
            stream.set_status_interval(interval)
        self._consuming = True
        try:
            while True:
                message = self._next_message(_WAIT_SLICE)
                if message is not None:
                    consume(message)
                elif stream.ended:
                    return
        finally:
            self._consuming = False

    def read_message(self):
        """The next ReplicationMessage if one has arrived, else None, never blocking: for a
        loop that waits on the cursor's fileno() with select(). Keepalives are answered and a
        due status update is sent here."""
        self._check_streaming_allowed('read_message')
        return self._next_message(0)

    def _next_message(self, wait):
        stream = self._stream
        if stream is None:
            raise OperationalError("no COPY in progress\n")
        try:
            data = stream.read(wait, self._decode)
        except Error as e:
            raise self._stream_failed(e)
        if data is None:
            # Between messages: what else arrived (notices) goes where psycopg2 puts it.
            self.connection._collect_messages()
            return None
        message = ReplicationMessage.__new__(ReplicationMessage)
        message._cursor = self
        (message._data_start, message._wal_end, message._send_time_raw, message._payload,
         message._data_size) = data
        return message

    def send_feedback(self, write_lsn=0, flush_lsn=0, apply_lsn=0, reply=False, force=False):
        """Tell the server how far the client has written, flushed (the slot may advance and
        the server drop the WAL before it) and applied; positions only move forward. Sent
        with the next status update, or now when ``reply`` (asking for an answer) or ``force``."""
        self._check()
        if self._stream is None:
            raise OperationalError("no COPY in progress\n")
        try:
            self._stream.send_feedback(parse_lsn(write_lsn, 'write_lsn'), parse_lsn(flush_lsn, 'flush_lsn'),
                                       parse_lsn(apply_lsn, 'apply_lsn'), int(reply), int(force))
        except Error as e:
            raise self._stream_failed(e)

    def _stream_failed(self, error):
        """What psycopg2 raises when the stream fails with ``error``. When the session broke
        (the connection lost) the connection is closed 2 at once, as psycopg2's pq_raise leaves
        it; unless the server said why first (a FATAL, with its SQLSTATE), libpq's
        PQconsumeInput or PQgetCopyData fail leaving no message on START_REPLICATION's result,
        and psycopg2 raises about that result's status."""
        conn = self.connection
        if conn._pgconn is None or not conn._pgconn.closed:
            return error
        conn._mark_broken()
        if error.pgcode is not None:
            return error
        broken = DatabaseError('error with status PGRES_COPY_BOTH and no message from the libpq')
        broken.__cause__ = error
        return broken

    @property
    def io_timestamp(self):
        """When a message was last received from or sent to the server (a local datetime)."""
        self._check()
        return _dt.datetime.fromtimestamp(self._stream.io_time if self._stream else 0)

    @property
    def feedback_timestamp(self):
        """When a status update was last sent (a local datetime; the epoch before any)."""
        self._check()
        return _dt.datetime.fromtimestamp(self._stream.feedback_time if self._stream else 0)

    @property
    def wal_end(self):
        """The server's end of WAL as of the last message received (an LSN, as int)."""
        return self._stream.wal_end if self._stream else 0


_replicationCursor.__name__ = _replicationCursor.__qualname__ = 'ReplicationCursor'
_replicationCursor.__module__ = 'psycopg2.extensions'

# Until psycopg2.extras is imported: the C type's own methods only.
_cursor_class = _replicationCursor


class ReplicationMessage(object):
    """A message of the replication stream (psycopg2.extensions.ReplicationMessage): one
    XLogData, its payload as bytes, or str when the stream decodes."""

    __module__ = 'psycopg2.extensions'

    cursor = readonly('cursor', "The replication cursor the message came from.")
    payload = readonly('payload', "The message's data (bytes, or str when decoding).")
    data_size = readonly('data_size', "The payload's size in bytes, as it arrived.")
    data_start = readonly('data_start', "The LSN the data starts at.")
    wal_end = readonly('wal_end', "The server's end of WAL when it sent the message.")

    def __init__(self, cursor_, payload):
        if not isinstance(cursor_, cursor):
            raise TypeError("argument 1 must be psycopg2.extensions.cursor, not %s"
                            % type(cursor_).__name__)
        self._cursor = cursor_
        self._payload = payload
        self._data_size = self._data_start = self._wal_end = self._send_time_raw = 0

    @property
    def send_time(self):
        """When the server sent the message (a local datetime)."""
        return _dt.datetime.fromtimestamp(self._send_time_raw / 1e6 + _POSTGRES_EPOCH)

    def __repr__(self):
        return ('<ReplicationMessage object at 0x%x; data_size: %d; data_start: %x/%x; '
                'wal_end: %x/%x; send_time: %d>' % (
                    id(self), self._data_size, self._data_start >> 32,
                    self._data_start & 0xFFFFFFFF, self._wal_end >> 32,
                    self._wal_end & 0xFFFFFFFF, self._send_time_raw))
