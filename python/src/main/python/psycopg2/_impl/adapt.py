"""Adaptation: Python objects to SQL literals, with psycopg2's protocol and quoting rules.

``adapt(obj)`` returns an object whose ``getquoted()`` gives the literal as bytes in the
connection's encoding. The query builder (_query.py) calls ``quote(obj, conn)``, which takes a
shortcut to the bytes for the builtin types whose adapter the user has not replaced. Literals
are bytes from the start: strings are escaped after encoding (see escaping.py).
"""
import datetime as _dt
import decimal as _decimal
import math as _math

from .exceptions import ProgrammingError
from .quoting import bytea_literal, string_literal


class ISQLQuote:
    """The adaptation protocol object (psycopg2.extensions.ISQLQuote)."""

    def __init__(self, wrapped):
        self._wrapped = wrapped

    def getquoted(self):
        raise NotImplementedError

    def getbinary(self):
        raise NotImplementedError

    def getbuffer(self):
        raise NotImplementedError


# psycopg2.extensions.adapters: (type, protocol) → adapter factory.
adapters = {}


def register_adapter(typ, callable):
    """Use ``callable(obj)`` to adapt objects of type ``typ``."""
    adapters[(typ, ISQLQuote)] = callable


def adapt(obj, proto=ISQLQuote, alt=None):
    """Return the adapter of ``obj`` for ``proto`` (psycopg2's lookup order)."""
    typ = type(obj)
    factory = adapters.get((typ, proto))
    if factory is not None:
        return factory(obj)
    # A subclass of a registered type uses its nearest registered base.
    for base in typ.__mro__[1:]:
        factory = adapters.get((base, proto))
        if factory is not None:
            return factory(obj)
    conform = getattr(proto, '__adapt__', None)
    if conform is not None and proto is not ISQLQuote:
        adapted = conform(obj)
        if adapted is not None:
            return adapted
    conform = getattr(obj, '__conform__', None)
    if conform is not None:
        adapted = conform(proto)
        if adapted is not None:
            return adapted
    # psycopg2 2.9 accepts `alt` but never returns it.
    raise ProgrammingError("can't adapt type '%s'" % typ.__name__)


def _prepared(adapter, conn):
    prepare = getattr(adapter, 'prepare', None)
    if prepare is not None and conn is not None:
        prepare(conn)
    return adapter


class AsIs:
    """The object's str() as the literal: numbers, keywords."""

    def __init__(self, obj):
        self.adapted = obj

    def getquoted(self):
        obj = self.adapted
        if obj is None:
            return b'NULL'
        return str(obj).encode('utf8')

    def __conform__(self, proto):
        if proto is ISQLQuote:
            return self

    def __str__(self):
        return self.getquoted().decode('utf8')


class Boolean(AsIs):
    def getquoted(self):
        return b'true' if self.adapted else b'false'


def _spaced(text):
    # A leading space keeps "x -%s" with a negative number from becoming a "--" comment.
    return ' ' + text if text.startswith('-') else text


class Int(AsIs):
    def getquoted(self):
        return _int_literal(int(self.adapted))


def _int_literal(value):
    # Spaced as _spaced() does.
    return b'%d' % value if value >= 0 else b' %d' % value


class Float(AsIs):
    def getquoted(self):
        return _float_literal(self.adapted).encode('ascii')


def _float_literal(value):
    if _math.isnan(value):
        return "'NaN'::float"
    if _math.isinf(value):
        return "'Infinity'::float" if value > 0 else "'-Infinity'::float"
    return _spaced(repr(float(value)))


class Decimal(AsIs):
    def getquoted(self):
        return _decimal_literal(self.adapted).encode('ascii')


def _decimal_literal(value):
    if not value.is_finite():
        return "'NaN'::numeric"
    return _spaced(str(value))


class QuotedString:
    """A str (or bytes) as a quoted string literal in the connection's encoding."""

    def __init__(self, obj):
        self.adapted = obj
        self.encoding = 'latin1'
        self._conn = None

    def prepare(self, conn):
        self._conn = conn
        self.encoding = conn._py_encoding

    def getquoted(self):
        obj = self.adapted
        if not isinstance(obj, bytes):
            obj = obj.encode(self.encoding)
        return string_literal(obj, self._conn)

    def __conform__(self, proto):
        if proto is ISQLQuote:
            return self

    def __str__(self):
        return self.getquoted().decode(self.encoding)


class Binary:
    """bytes-like objects as a bytea literal (hex format when a connection is known)."""

    def __init__(self, obj):
        self.adapted = obj
        self._conn = None

    def prepare(self, conn):
        self._conn = conn

    def getquoted(self):
        if self.adapted is None:
            return b'NULL'
        return bytea_literal(memoryview(self.adapted).tobytes(), self._conn)

    def __conform__(self, proto):
        if proto is ISQLQuote:
            return self

    def __str__(self):
        return self.getquoted().decode('ascii')


def _temporal_literal(obj):
    if isinstance(obj, _dt.datetime):
        return "'%s'::%s" % (_datetime_text(obj), 'timestamptz' if obj.tzinfo else 'timestamp')
    if isinstance(obj, _dt.date):
        return "'%s'::date" % obj.isoformat()
    if isinstance(obj, _dt.time):
        return "'%s'::%s" % (obj.isoformat(), 'timetz' if obj.tzinfo else 'time')
    if isinstance(obj, _dt.timedelta):
        return "'%d days %d.%06d seconds'::interval" % (
            obj.days, obj.seconds, obj.microseconds)
    raise ProgrammingError("can't adapt type '%s'" % type(obj).__name__)


def _datetime_text(obj):
    """obj.isoformat(), built directly: GraalPy's datetime is pure Python, and its isoformat()
    works out the UTC offset's text through timedelta arithmetic for every value."""
    text = '%04d-%02d-%02dT%02d:%02d:%02d' % (obj.year, obj.month, obj.day, obj.hour, obj.minute,
                                              obj.second)
    micro = obj.microsecond
    if micro:
        text += '.%06d' % micro
    tz = obj.tzinfo
    if tz is None:
        return text
    if type(tz) is _dt.timezone:
        # A fixed offset: its text is kept for the last zone seen (a batch shares one).
        global _last_fixed_offset
        last = _last_fixed_offset
        if last[0] is tz:
            return text + last[1]
        offset = _offset_text(tz.utcoffset(None))
        _last_fixed_offset = (tz, offset)
        return text + offset
    return text + _offset_text(obj.utcoffset())


_last_fixed_offset = (None, '')


def _offset_text(offset):
    """A UTC offset as isoformat() writes it: +HH:MM, then :SS and .ffffff when not zero."""
    if offset is None:
        return ''
    sign = '+'
    if offset.days < 0:
        sign, offset = '-', -offset
    seconds, micro = offset.days * 86400 + offset.seconds, offset.microseconds
    text = '%s%02d:%02d' % (sign, seconds // 3600, seconds // 60 % 60)
    if seconds % 60 or micro:
        text += ':%02d' % (seconds % 60)
    if micro:
        text += '.%06d' % micro
    return text


class DateTime:
    """date, time, datetime and timedelta as typed literals (psycopg2's pydatetime)."""

    def __init__(self, obj):
        self.adapted = obj

    def getquoted(self):
        return _temporal_literal(self.adapted).encode('ascii')

    def __conform__(self, proto):
        if proto is ISQLQuote:
            return self

    def __str__(self):
        return self.getquoted().decode('ascii')


class List:
    """A list as ARRAY[...] (nested lists nest ARRAY[...]); an empty one as '{}'."""

    def __init__(self, obj):
        self.adapted = obj
        self._conn = None

    def prepare(self, conn):
        self._conn = conn

    def getquoted(self):
        return self._quoted(self.adapted, True)

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

    def __conform__(self, proto):
        if proto is ISQLQuote:
            return self


class SQL_IN:
    """A tuple as a parenthesised list, for ``WHERE x IN %s``."""

    def __init__(self, seq):
        self._seq = seq
        self._conn = None

    def prepare(self, conn):
        self._conn = conn

    def getquoted(self):
        return b'(%s)' % b', '.join([quote(item, self._conn) for item in self._seq])

    def __conform__(self, proto):
        if proto is ISQLQuote:
            return self

    def __str__(self):
        return self.getquoted().decode(_encoding(self._conn))


def _encoding(conn):
    return conn._py_encoding if conn is not None else 'utf8'


class NoneAdapter:
    """Adapts None to NULL (psycopg2.extensions.NoneAdapter; adapt(None) gives it)."""

    __module__ = 'psycopg2.extensions'

    def __init__(self, obj):
        pass

    def getquoted(self, _null=b"NULL"):
        return _null


def _register_builtins():
    for typ, factory in (
            (type(None), NoneAdapter),
            (bool, Boolean), (int, Int), (float, Float), (_decimal.Decimal, Decimal),
            (str, QuotedString),
            (bytes, Binary), (bytearray, Binary), (memoryview, Binary),
            (_dt.date, DateTime), (_dt.datetime, DateTime), (_dt.time, DateTime),
            (_dt.timedelta, DateTime),
            (list, List), (tuple, SQL_IN)):
        register_adapter(typ, factory)


_register_builtins()

# The names psycopg2's C types have, which reprs and type() show.
for _cls in (ISQLQuote, AsIs, Boolean, Int, Float, QuotedString, Binary, SQL_IN):
    _cls.__module__ = 'psycopg2.extensions'
for _cls in (List, Decimal, DateTime):
    _cls.__module__ = 'psycopg2._psycopg'
DateTime.__name__ = DateTime.__qualname__ = 'datetime'
del _cls

# The adapters above, by type, for the shortcut in quote(): a builtin type whose entry in
# `adapters` is still ours becomes a str without building an adapter object.
_BUILTIN_FACTORIES = {typ: factory for (typ, _), factory in adapters.items()}


def quote(obj, conn):
    """The SQL literal for ``obj`` as bytes in the connection's encoding (the query builder's
    entry point)."""
    typ = type(obj)
    if obj is None:
        return b'NULL'
    factory = adapters.get((typ, ISQLQuote))
    if factory is not None and factory is _BUILTIN_FACTORIES.get(typ):
        if typ is str:
            return string_literal(obj.encode(_encoding(conn)), conn)
        if typ is int:
            return _int_literal(obj)
        if typ is bool:
            return b'true' if obj else b'false'
        if typ is float:
            return _float_literal(obj).encode('ascii')
        if typ is _decimal.Decimal:
            return _decimal_literal(obj).encode('ascii')
        if typ is bytes:
            return bytea_literal(obj, conn)
        if factory is DateTime:
            return _temporal_literal(obj).encode('ascii')
    quoted = _prepared(adapt(obj), conn).getquoted()
    if isinstance(quoted, bytes):
        return quoted
    # psycopg2 takes a str from getquoted() too, in the connection's encoding.
    return str(quoted).encode(_encoding(conn))
