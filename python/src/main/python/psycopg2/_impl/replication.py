"""Replication, as psycopg2's C extension has it (psycopg2.extensions' ReplicationConnection,
ReplicationCursor, ReplicationMessage): not supported yet, so the names exist and using them
raises NotSupportedError. psycopg2.extras builds its replication classes on these."""
from .connection import connection
from .cursor import cursor
from .exceptions import NotSupportedError

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


_replicationConnection.__name__ = _replicationConnection.__qualname__ = 'ReplicationConnection'
_replicationConnection.__module__ = 'psycopg2.extensions'


class _replicationCursor(cursor):
    """The cursor of a replication connection (psycopg2.extensions.ReplicationCursor)."""

    io_timestamp = None
    feedback_timestamp = None
    wal_end = None

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

    def __init__(self, *args, **kwargs):
        raise NotSupportedError(NO_REPLICATION)
