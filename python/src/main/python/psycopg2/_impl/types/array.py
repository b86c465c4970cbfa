"""Sequences: a list as an ARRAY[...] literal, a tuple as a parenthesised list for ``IN``.
(Arrays coming back are cast by typecast.new_array_type()'s casters, one per element type.)"""
from ..adapt import PreparedAdapter, quote


class List(PreparedAdapter):
    """A list as ARRAY[...] (nested lists nest ARRAY[...]); an empty one as '{}'."""

    def getquoted(self):
        return self._quoted(self._adapted, True)

    def _quoted(self, items, outer):
        if not items:
            return b"'{}'" if outer else b'ARRAY[]'
        parts = []
        all_nulls = True
        for item in items:
            if item is None:
                parts.append(b'NULL')
                continue
            if isinstance(item, list):
                part = self._quoted(item, False)
                # A sublist of NULLs only comes back as '{...}': it is still "all NULLs".
                all_nulls = all_nulls and part.startswith(b"'")
            else:
                part = quote(item, self._conn)
                all_nulls = False
            parts.append(part)
        if all_nulls:
            # ARRAY[NULL] has no type the server can infer; '{NULL}' is an untyped literal.
            return b"'{%s}'" % b','.join(part.strip(b"'") for part in parts)
        return b'ARRAY[%s]' % b','.join(parts)


class SQL_IN(object):
    """A tuple as a parenthesised list, for ``WHERE x IN %s``."""

    def __init__(self, seq):
        self._seq = seq
        self._conn = None

    def prepare(self, conn):
        self._conn = conn

    def getquoted(self):
        return b'(%s)' % b', '.join([quote(item, self._conn) for item in self._seq])

    def __str__(self):
        # As psycopg2's (a Python class there too): the str() of the bytes.
        return str(self.getquoted())


List.__module__ = 'psycopg2._psycopg'
SQL_IN.__module__ = 'psycopg2.extensions'
