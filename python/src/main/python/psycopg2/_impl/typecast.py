# -*- coding: utf-8 -*-
"""Typecasting machinery: psycopg2's typecaster objects, the global caster registry and, per
result, which values java-core decodes alone and which go through a Python caster.

The casters themselves live with their type family in ``types/``; ``types.register_defaults()``
registers the built-in ones. java-core decodes every value of a row to a Java String, or
straight to a number or bool when the column's caster is a builtin that Java can do alone
(``java_kind``), so most columns cross the boundary already final and never call Python code
per value.
"""
from .compat import PY2, integer_types, text_type
from . import pq
from .exceptions import DataError


class Typecaster(object):
    """A typecaster: ``caster(value, cursor)`` turns a str (or None) into a Python object.

    It compares equal to each OID it handles, which is how the DB-API type objects work
    (``description[0].type_code == psycopg2.NUMBER``).
    """

    # See builtin_type(): what column_plan() calls, instead of the caster, on values java-core
    # decoded by java_kind (bytea's bytes: the caster itself parses bytea's text form).
    java_cast = None

    def __init__(self, values, name, cast, base=None, java_kind=None):
        self.values = tuple(int(v) for v in values)
        self.name = name
        self._cast = cast
        self._base = base
        # For the builtins only: the decoding java-core does for this caster by itself.
        self.java_kind = java_kind

    def __call__(self, value, cursor=None):
        if isinstance(value, bytes):
            # psycopg2's casters take bytes as well (as C strings), which they read as text
            # in the cursor's connection's encoding.
            value = _decoded(value, cursor)
        if self._base is not None:
            return self._cast(value, cursor, self._base)
        return self._cast(value, cursor)

    def __eq__(self, other):
        if isinstance(other, Typecaster):
            return self is other
        if isinstance(other, integer_types):
            return other in self.values
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return '<psycopg2._psycopg.type %r at 0x%x>' % (self.name, id(self))


def _decoded(value, cursor):
    conn = getattr(cursor, 'connection', None)
    return value.decode(conn._py_encoding if conn is not None else 'utf_8')


Typecaster.__name__ = Typecaster.__qualname__ = 'type'
Typecaster.__module__ = 'psycopg2._psycopg'


def cast_string(value, cursor):
    """The caster of text types: the str as it is."""
    return value


def cast_bytes(value, cursor):
    """The text as the server sent it, in the client encoding, undecoded (java-core decoded
    it: encoding it back gives the same bytes)."""
    if value is None:
        return None
    conn = getattr(cursor, 'connection', None)
    return value.encode(conn._py_encoding if conn is not None else 'utf_8')


def new_type(values, name, castobj=None):
    """A typecaster calling ``castobj(value, cursor)`` for the given OIDs."""
    if castobj is None:
        castobj = cast_string
    if not isinstance(values, tuple):
        raise TypeError("argument 1 must be tuple, not %s" % type(values).__name__)
    if PY2:
        castobj = _given_bytes(castobj)
    return Typecaster(values, name, castobj)


def _given_bytes(castobj):
    """castobj as psycopg2 2.8 calls it on Python 2: with a str, the value's bytes in the
    connection's encoding."""
    def cast(value, cursor):
        if isinstance(value, text_type):
            value = cast_bytes(value, cursor)
        return castobj(value, cursor)
    return cast


def new_array_type(values, name, baseobj):
    """A typecaster for arrays whose elements ``baseobj`` casts."""
    if not isinstance(values, tuple):
        raise TypeError("argument 1 must be tuple, not %s" % type(values).__name__)
    if not isinstance(baseobj, Typecaster):
        raise TypeError("argument 3 must be psycopg2._psycopg.type, not %s"
                        % type(baseobj).__name__)
    return Typecaster(values, name, _cast_array, base=baseobj)


def builtin_type(values, name, cast, java_kind=None, java_cast=None):
    """A built-in typecaster (registered by types.register_defaults()); ``java_kind``: the
    decoding java-core does alone for it, if any; ``java_cast``: the function that finishes
    a value java-core decoded so (``cast`` takes the text form, as psycopg2's does)."""
    caster = Typecaster(values, name, cast, java_kind=java_kind)
    if java_cast is not None:
        caster.java_cast = java_cast
    return caster


# psycopg2.extensions.string_types and binary_types: OID → caster, global scope.
string_types = {}
binary_types = {}


_NO_SCOPE = object()      # what getattr() gives for an object that is no connection or cursor


def register_type(obj, scope=None):
    """Register a typecaster globally, or on a connection or cursor."""
    if scope is None:
        target = string_types
    else:
        target = getattr(scope, 'string_types', _NO_SCOPE)
        if target is _NO_SCOPE:
            raise TypeError("argument 2 must be a connection, cursor or None")
        if target is None:
            # A cursor's dict is made by its first registration, as psycopg2 makes it.
            target = scope.string_types = {}
    for oid in obj.values:
        target[oid] = obj


# -- the text forms of PostgreSQL's container values -------------------------------------------

# psycopg2 nests at most this many arrays inside the outer one (PostgreSQL itself allows 6
# dimensions in all); deeper text is malformed.
_MAX_NESTED_ARRAYS = 16


def _cast_array(value, cursor, base):
    if value is None:
        return None
    return ArrayParser(value, base, cursor).parse()


class ArrayParser(object):
    """PostgreSQL's array text format ('{1,2,NULL}', '{{"a b","c"}}', '[0:1]={1,2}'). Text that
    is not one well-formed array ('', '{', '{}}', ...) raises DataError, as psycopg2's does."""

    def __init__(self, text, base, cursor):
        self.text = text
        self.base = base
        self.cursor = cursor
        self.pos = 0

    def parse(self):
        text = self.text
        if text.startswith('['):               # explicit bounds: dropped, like psycopg2
            self.pos = text.find('=') + 1
        if self.pos >= len(text) or text[self.pos] != '{':
            raise DataError("malformed array: %r" % text)
        items = self._array(0)
        if self.pos != len(text):
            raise DataError("unbalanced braces in array: %r" % text)
        return items

    def _next(self):
        """The character at pos; DataError when the text ends first (an array not closed)."""
        if self.pos >= len(self.text):
            raise DataError("malformed array: %r" % self.text)
        return self.text[self.pos]

    def _array(self, depth):
        if depth > _MAX_NESTED_ARRAYS:
            raise DataError("excessive array dimensions")
        items = []
        self.pos += 1                            # '{'
        if self._next() == '}':
            self.pos += 1
            return items
        while True:
            ch = self._next()
            if ch == '{':
                items.append(self._array(depth + 1))
            elif ch == '"':
                items.append(self.base(self._quoted(), self.cursor))
            else:
                token = self._bare()
                # psycopg2 takes an unquoted NULL in any case.
                if len(token) == 4 and token.upper() == 'NULL':
                    token = None
                items.append(self.base(token, self.cursor))
            ch = self._next()
            self.pos += 1
            if ch == '}':
                return items
            if ch != ',':
                raise DataError("malformed array: %r" % self.text)

    def _quoted(self):
        """The text of the quoted element at pos, its backslash escapes undone; pos moves past
        its closing quote. Whole runs between escapes are copied at once."""
        text, out = self.text, []
        pos = self.pos + 1
        while True:
            end = text.find('"', pos)
            escape = text.find('\\', pos, end)
            if end < 0:                         # the element is never closed
                raise DataError("malformed array: %r" % text)
            if escape < 0:
                out.append(text[pos:end])
                self.pos = end + 1
                return ''.join(out)
            out.append(text[pos:escape])
            out.append(text[escape + 1])        # the escaped character, maybe a quote
            pos = escape + 2

    def _bare(self):
        text, start, n = self.text, self.pos, len(self.text)
        while self.pos < n and text[self.pos] not in ',}':
            self.pos += 1
        return text[start:self.pos]


def quoted_token(s, pos):
    """The text of the double-quoted token starting at s[pos] (a '"'), with its doubled
    quotes and backslashes undone, and the position after its closing quote; (None, pos)
    if it is not closed. (Range and record output quote values this way.)"""
    start = pos + 1
    end = s.find('"', start)
    while end >= 0 and s.startswith('"', end + 1):     # a doubled quote: go on
        end = s.find('"', end + 2)
    if end < 0:
        return None, pos
    text = s[start:end]
    if '"' in text:
        text = text.replace('""', '"')
    if '\\' in text:
        text = text.replace('\\\\', '\\')
    return text, end + 1


# -- per result ----------------------------------------------------------------------------------

# Casters Java applies alone, whose per-value Python work is then nothing at all.
_JAVA_FINAL = {pq.KIND_INT, pq.KIND_FLOAT, pq.KIND_BOOL, pq.KIND_TEXT}
# The caster of a type no caster is registered for, on Python 2 (on Python 3 the text is final).
_UNKNOWN_AS_BYTES = Typecaster((), 'DEFAULT', cast_bytes) if PY2 else None


def column_plan(oids, cursor):
    """For one result: the java-core decoder string and the (index, caster) pairs that still
    need a Python call per value."""
    own = cursor.string_types
    scopes = ([own] if own else []) + [cursor.connection.string_types, string_types]
    kinds, py_casters = [], []
    for index, oid in enumerate(oids):
        caster = None
        for scope in scopes:
            caster = scope.get(oid)
            if caster is not None:
                break
        if caster is None and PY2:
            caster = _UNKNOWN_AS_BYTES      # psycopg2 2.8 gives str there: the bytes
        kind = caster.java_kind if caster is not None else pq.KIND_TEXT
        kinds.append(kind or pq.KIND_TEXT)
        if caster is not None and kind not in _JAVA_FINAL:
            # A plain Typecaster's function is called directly: one call less per value.
            if type(caster) is Typecaster and caster._base is None:
                caster = caster.java_cast or caster._cast
            py_casters.append((index, caster))
    return ''.join(kinds), py_casters
