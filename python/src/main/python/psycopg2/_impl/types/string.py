"""Text: the string types to str (java-core decodes them alone), and str to quoted literals
escaped in the connection's encoding."""
from .. import pq
from ..adapt import PreparedAdapter, encoding_of
from ..compat import PY2, text_type
from ..members import readonly
from ..oids import TYPE_OIDS
from ..quoting import string_literal
from ..typecast import Typecaster, builtin_type, cast_bytes, cast_string, new_array_type


_TEXT_OIDS = tuple(TYPE_OIDS[n] for n in ('name', 'char', 'text', 'bpchar', 'varchar'))
if PY2:
    # psycopg2 2.8 on Python 2: text as str, its bytes in the client encoding; UNICODE
    # (registered by the user) for unicode.
    STRING = builtin_type(_TEXT_OIDS, 'STRING', cast_bytes)
    UNKNOWN = builtin_type((TYPE_OIDS['unknown'],), 'UNKNOWN', cast_bytes)
else:
    STRING = builtin_type(_TEXT_OIDS, 'STRING', cast_string, pq.KIND_TEXT)
    UNKNOWN = builtin_type((TYPE_OIDS['unknown'],), 'UNKNOWN', cast_string, pq.KIND_TEXT)
# Python 2's text caster; on Python 3 psycopg2 keeps it, unregistered, with STRING's OIDs.
UNICODE = Typecaster(STRING.values, 'UNICODE', cast_string, java_kind=pq.KIND_TEXT)

# Not registered by default: register_type(BYTES, conn) for text as bytes.
BYTES = Typecaster(STRING.values, 'BYTES', cast_bytes)

STRINGARRAY = new_array_type(
    tuple(TYPE_OIDS[n] for n in ('_char', '_name', '_text', '_bpchar', '_varchar')),
    'STRINGARRAY', STRING)
UNICODEARRAY = new_array_type(STRINGARRAY.values, 'UNICODEARRAY', UNICODE)
BYTESARRAY = new_array_type(STRINGARRAY.values, 'BYTESARRAY', BYTES)


def str_literal(value, conn):
    return string_literal(value.encode(encoding_of(conn)), conn)


class QuotedString(PreparedAdapter):
    """A str (or bytes) as a quoted string literal in the connection's encoding."""

    _encoding = 'latin1'           # psycopg2's encoding before prepare()
    _buffer = None
    buffer = readonly('buffer', "The literal getquoted() returned, None before.")

    @property
    def encoding(self):
        """The Python codec str is encoded with: the connection's once prepared."""
        return self._conn._py_encoding if self._conn is not None else self._encoding

    @encoding.setter
    def encoding(self, value):
        self._encoding = value

    def getquoted(self):
        if self._buffer is None:
            obj = self._adapted
            if isinstance(obj, text_type):
                obj = obj.encode(self.encoding)
            elif not isinstance(obj, bytes):
                raise TypeError("can't quote non-string object")
            self._buffer = string_literal(obj, self._conn)
        return self._buffer

    def __str__(self):
        return self.getquoted().decode(self.encoding)


QuotedString.__module__ = 'psycopg2.extensions'
