"""Replication, as psycopg2's C extension has it (psycopg2.extensions' ReplicationConnection,
ReplicationCursor, ReplicationMessage): not supported yet, so the names exist and using them
raises NotSupportedError. psycopg2.extras builds its replication classes on these."""
from .connection import connection
from .cursor import cursor
from .exceptions import NotSupportedError
from .members import readonly

REPLICATION_PHYSICAL = 12345678
REPLICATION_LOGICAL = 87654321

NO_REPLICATION = "replication is not supported yet"


class _replicationConnection(connection):
    """A replication connection (psycopg2.extensions.ReplicationConnection): not supported
    yet, making one raises NotSupportedError (before connecting)."""

    def __init__(self, *args, **kwargs):
        raise NotSupportedError(NO_REPLICATION)

    @property
    def replication_type(self):
        raise NotSupportedError(NO_REPLICATION)


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

    _io_timestamp = _feedback_timestamp = _wal_end = None
    io_timestamp = readonly('io_timestamp', "When a message was last received (datetime).")
    feedback_timestamp = readonly('feedback_timestamp', "When feedback was last sent.")
    wal_end = readonly('wal_end', "The LSN the server reported last.")

    def start_replication_expert(self, command, decode=False, status_interval=10):
        raise NotSupportedError(NO_REPLICATION)

    def consume_stream(self, consume, keepalive_interval=None):
        raise NotSupportedError(NO_REPLICATION)

    def read_message(self):
        raise NotSupportedError(NO_REPLICATION)

    def send_feedback(self, write_lsn=0, flush_lsn=0, apply_lsn=0, reply=False, force=False):
        raise NotSupportedError(NO_REPLICATION)


_replicationCursor.__name__ = _replicationCursor.__qualname__ = 'ReplicationCursor'
_replicationCursor.__module__ = 'psycopg2.extensions'


class ReplicationMessage:
    """A message of the replication stream (psycopg2.extensions.ReplicationMessage)."""

    __module__ = 'psycopg2.extensions'

    _cursor = _payload = _data_size = _data_start = _wal_end = _send_time = None
    cursor = readonly('cursor', "The replication cursor the message came from.")
    payload = readonly('payload', "The message's data (bytes, or str when decoding).")
    data_size = readonly('data_size', "The payload's size in bytes.")
    data_start = readonly('data_start', "The LSN the data starts at.")
    wal_end = readonly('wal_end', "The server's current end of WAL.")
    send_time = readonly('send_time', "When the server sent the message (datetime).")

    def __init__(self, *args, **kwargs):
        raise NotSupportedError(NO_REPLICATION)
