# -*- coding: utf-8 -*-
"""Client-side parameter interpolation: psycopg2's ``%s`` / ``%(name)s`` / ``%%`` rules.

It works on the query's bytes in the client encoding, as psycopg2 does: the literals are bytes
already escaped for that encoding, and ``%`` is the same byte in every client encoding (never
the second byte of a multibyte character).
"""
from .adapt import quote
from .compat import Mapping, raise_from
from .exceptions import ProgrammingError


def _positional(args, index, mapping):
    if mapping:
        raise TypeError("%s is not a sequence" % type(args).__name__)
    try:
        return args[index]
    except TypeError:
        if not hasattr(args, '__getitem__'):
            raise_from(TypeError("'%s' object does not support indexing"
                                 % type(args).__name__), None)
        raise


def _bad_conversion(query, pos):
    if pos >= len(query):
        return ValueError("incomplete format")
    ch = query[pos]
    return ValueError("unsupported format character '%s' (0x%x) at index %d"
                      % (chr(ch), ch, pos))


def interpolate(query, args, conn):
    """The query with ``args`` quoted in; ``query`` is bytes in the connection's encoding."""
    # An ABC check is slow on GraalPy (pure-Python ABCs): once per call, none for a tuple.
    plain = type(args) is tuple or type(args) is list
    mapping = not plain and isinstance(args, Mapping)
    parts = []
    named = None          # key → literal, so a repeated name is adapted once
    index = 0             # next positional argument
    pos = 0
    while True:
        mark = query.find(b'%', pos)
        if mark < 0:
            parts.append(query[pos:])
            break
        parts.append(query[pos:mark])
        nxt = query[mark + 1:mark + 2]
        if nxt == b'%':
            parts.append(b'%')
            pos = mark + 2
            continue
        if nxt == b'(':
            end = query.find(b')', mark + 2)
            other = query.find(b'%', mark + 2)
            if end < 0 or 0 <= other < end:
                raise ProgrammingError("incomplete placeholder: '%(' without ')'")
            if index:
                raise ProgrammingError("argument formats can't be mixed")
            if named is None:
                named = {}
            key = query[mark + 2:end].decode(conn._py_encoding if conn is not None else 'utf8')
            if key not in named:
                named[key] = quote(args[key], conn)
            if query[end + 1:end + 2] != b's':
                raise _bad_conversion(query, end + 1)
            parts.append(named[key])
            pos = end + 2
            continue
        if named is not None:
            raise ProgrammingError("argument formats can't be mixed")
        if plain and index < len(args):
            value = args[index]
        else:
            value = _positional(args, index, mapping)
        index += 1
        if nxt != b's':
            raise _bad_conversion(query, mark + 1)
        parts.append(quote(value, conn))
        pos = mark + 2
    if named is None and not mapping and index < len(args):
        raise TypeError("not all arguments converted during string formatting")
    return b''.join(parts)
