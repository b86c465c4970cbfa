"""bytea to memoryview, and bytes-like objects to bytea literals."""
import re as _re
from binascii import unhexlify

from .. import pq
from ..adapt import PreparedAdapter
from ..compat import PY2
from ..members import readonly
from ..oids import TYPE_OIDS
from ..quoting import bytea_literal
from ..typecast import builtin_type, new_array_type


if PY2:
    def _chunk(data):
        """bytes as psycopg2 2.8 returns bytea on Python 2: a buffer."""
        return buffer(data)     # noqa: F821 (Python 2 only)
else:
    def _chunk(data):
        """bytes as psycopg2 returns bytea: a memoryview of format 'c', whose items are bytes
        of length 1 (so ``value[0] == b'x'`` and ``ord(value[0])`` work, as with psycopg2)."""
        return memoryview(data).cast('c')


def cast_decoded_binary(value, cursor):
    """A bytea value java-core decoded: its bytes as a str of one char per byte."""
    if value is None:
        return None
    return _chunk(value.encode('latin-1'))


_BYTES = [bytes(bytearray((i,))) for i in range(256)]
_NOT_HEX = _re.compile(r'[^0-9a-fA-F]+')
_ESCAPE = _re.compile(br'\\([0-3][0-7][0-7]|.)', _re.DOTALL)


def _unescape(match):
    code = match.group(1)
    return _BYTES[int(code, 8)] if len(code) == 3 else code


def cast_binary(value, cursor):
    """bytea's text form: hex ('\\x' then two digits a byte) or escape (a backslash before an
    octal code or a character). Like psycopg2's parser it never fails: a hex form skips what
    is not a digit and an odd last digit."""
    if value is None:
        return None
    if value.startswith('\\x'):
        digits = value[2:]
        try:
            return _chunk(unhexlify(digits))
        except (ValueError, TypeError):     # TypeError on Python 2
            digits = _NOT_HEX.sub('', digits)
            return _chunk(unhexlify(digits[:len(digits) & ~1]))
    data = value.encode('utf-8')             # as psycopg2 sees a str (its C string)
    if b'\\' in data:
        data = _ESCAPE.sub(_unescape, data)
    return _chunk(data)


BINARY = builtin_type((TYPE_OIDS['bytea'],), 'BINARY', cast_binary, pq.KIND_BYTEA,
                      cast_decoded_binary)
BINARYARRAY = new_array_type((TYPE_OIDS['_bytea'],), 'BINARYARRAY', BINARY)


class Binary(PreparedAdapter):
    """bytes-like objects as a bytea literal (hex format when a connection is known)."""

    _buffer = None
    buffer = readonly('buffer', "The literal getquoted() returned, None before.")

    def getquoted(self):
        if self._buffer is None:
            obj = self._adapted
            self._buffer = (b'NULL' if obj is None
                            else bytea_literal(memoryview(obj).tobytes(), self._conn))
        return self._buffer

    def __str__(self):
        return self.getquoted().decode('ascii')


Binary.__module__ = 'psycopg2.extensions'
