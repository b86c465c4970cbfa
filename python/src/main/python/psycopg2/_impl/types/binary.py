"""bytea to memoryview, and bytes-like objects to bytea literals."""
from .. import pq
from ..adapt import Adapter
from ..oids import TYPE_OIDS
from ..quoting import bytea_literal
from ..typecast import builtin_type, new_array_type


def cast_binary(value, cursor):
    if value is None:
        return None
    if isinstance(value, str):
        if value.startswith('\\x'):
            return memoryview(bytes.fromhex(value[2:]))
        # java-core hands bytea over already decoded, one char per byte.
        return memoryview(value.encode('latin-1'))
    return memoryview(bytes(value))


BINARY = builtin_type((TYPE_OIDS['bytea'],), 'BINARY', cast_binary, pq.KIND_BYTEA)
BINARYARRAY = new_array_type((TYPE_OIDS['_bytea'],), 'BINARYARRAY', BINARY)


class Binary(Adapter):
    """bytes-like objects as a bytea literal (hex format when a connection is known)."""

    def getquoted(self):
        if self.adapted is None:
            return b'NULL'
        return bytea_literal(memoryview(self.adapted).tobytes(), self._conn)

    def __str__(self):
        return self.getquoted().decode('ascii')


Binary.__module__ = 'psycopg2.extensions'
