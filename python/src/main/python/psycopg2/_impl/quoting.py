"""SQL quoting shared by the adapters, COPY and callproc: identifiers, and string and bytea
literals escaped for the connection (standard_conforming_strings, client encoding)."""
from binascii import hexlify

from .compat import PY2, text_type
from .escaping import escape_string


def quote_ident(name, scope):
    """``name`` quoted as an SQL identifier (scope: a connection or cursor)."""
    # A connection holds a PGconn; a cursor's connection does (duck-typed: this module sits
    # below both classes).
    if not (hasattr(scope, '_pgconn') or hasattr(getattr(scope, 'connection', None), '_pgconn')):
        raise TypeError("argument 2 must be a connection or a cursor")
    if not isinstance(name, text_type):
        if isinstance(name, bytes):
            name = name.decode('utf8')
        else:
            raise TypeError("Expected bytes or unicode string, got %s instead"
                            % type(name).__name__)
    if '\x00' in name:
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    quoted = '"%s"' % name.replace('"', '""')
    if PY2:     # psycopg2 2.8 gives a str there: the bytes in the connection's encoding
        conn = scope if hasattr(scope, '_pgconn') else scope.connection
        return quoted.encode(conn._py_encoding)
    return quoted


def doubles_backslashes(conn):
    # Without a connection, libpq's PQescapeString assumes standard_conforming_strings on.
    return conn is not None and not conn._standard_strings


def quote_prefix(conn):
    return b"E'" if conn is not None and conn._e_prefix else b"'"


def string_literal(data, conn):
    """Bytes in the connection's encoding as a quoted literal, escaped as PQescapeStringConn
    does (by the rules of the encoding the server reads)."""
    if b'\x00' in data:
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    if conn is None:
        return b"'" + escape_string(data, None, True) + b"'"
    return (quote_prefix(conn) + escape_string(data, conn._literal_rules, conn._standard_strings)
            + b"'")


def bytea_literal(data, conn):
    if conn is None:
        # No connection to ask: libpq's PQescapeBytea, the escape format, which servers of
        # every version read.
        parts = []
        for b in bytearray(data):         # ints on Python 2 too
            if b == 0x27:
                parts.append("''")
            elif b == 0x5c:
                parts.append('\\\\')
            elif 0x20 <= b < 0x7f:
                parts.append(chr(b))
            else:
                parts.append('\\%03o' % b)
        return ("'%s'::bytea" % ''.join(parts)).encode('ascii')
    hex_mark = b'\\\\x' if doubles_backslashes(conn) else b'\\x'
    return quote_prefix(conn) + hex_mark + hexlify(data) + b"'::bytea"
