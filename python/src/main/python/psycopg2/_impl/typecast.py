"""Typecasting: PostgreSQL text values to Python objects, with psycopg2's typecaster objects.

java-core decodes every value of a row to a Java String, or straight to a number or bool when
the column's caster is one of the builtins that Java can do alone (``java_kind``), so most
columns cross the boundary already final and never call Python code per value.
"""
import datetime as _dt
import decimal as _decimal
import re as _re

from . import pq
from .exceptions import DataError
from .oids import TYPE_OIDS


class Typecaster:
    """A typecaster: ``caster(value, cursor)`` turns a str (or None) into a Python object.

    It compares equal to each OID it handles, which is how the DB-API type objects work
    (``description[0].type_code == psycopg2.NUMBER``).
    """

    def __init__(self, values, name, cast, base=None, java_kind=None):
        self.values = tuple(int(v) for v in values)
        self.name = name
        self._cast = cast
        self._base = base
        # For the builtins only: the decoding java-core does for this caster by itself.
        self.java_kind = java_kind

    def __call__(self, value, cursor=None):
        if self._base is not None:
            return self._cast(value, cursor, self._base)
        return self._cast(value, cursor)

    def __eq__(self, other):
        if isinstance(other, Typecaster):
            return self is other
        if isinstance(other, int):
            return other in self.values
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return '<psycopg2._psycopg.type %r at 0x%x>' % (self.name, id(self))


Typecaster.__name__ = Typecaster.__qualname__ = 'type'
Typecaster.__module__ = 'psycopg2._psycopg'


def new_type(values, name, castobj=None):
    """A typecaster calling ``castobj(value, cursor)`` for the given OIDs."""
    if castobj is None:
        castobj = _cast_string
    if not isinstance(values, tuple):
        raise TypeError("argument 1 must be tuple, not %s" % type(values).__name__)
    return Typecaster(values, name, castobj)


def new_array_type(values, name, baseobj):
    """A typecaster for arrays whose elements ``baseobj`` casts."""
    if not isinstance(values, tuple):
        raise TypeError("argument 1 must be tuple, not %s" % type(values).__name__)
    if not isinstance(baseobj, Typecaster):
        raise TypeError("argument 3 must be psycopg2._psycopg.type, not %s"
                        % type(baseobj).__name__)
    return Typecaster(values, name, _cast_array, base=baseobj)


# psycopg2.extensions.string_types and binary_types: OID → caster, global scope.
string_types = {}
binary_types = {}


def register_type(obj, scope=None):
    """Register a typecaster globally, or on a connection or cursor."""
    if scope is None:
        target = string_types
    else:
        target = getattr(scope, 'string_types', None)
        if target is None:
            raise TypeError("argument 2 must be a connection, cursor or None")
    for oid in obj.values:
        target[oid] = obj


# -- cast functions ---------------------------------------------------------------------------

def _cast_string(value, cursor):
    return value


def _cast_int(value, cursor):
    return None if value is None else int(value)


def _cast_float(value, cursor):
    return None if value is None else float(value)


# GraalPy's decimal is the pure-Python _pydecimal, whose Decimal(str) runs a regular
# expression per value; numeric's output is simpler ([-]digits[.digits]), so build the Decimal
# from its parts. CPython's C decimal has no such internal: it keeps Decimal(str).
try:
    from _pydecimal import Decimal as _PyDecimal, _dec_from_triple
except ImportError:                                      # pragma: no cover
    _PyDecimal = _dec_from_triple = None
_FAST_DECIMAL = _dec_from_triple is not None and _decimal.Decimal is _PyDecimal


def _cast_decimal(value, cursor):
    if value is None:
        return None
    if _FAST_DECIMAL:
        negative = value.startswith('-')
        whole, _, frac = (value[1:] if negative else value).partition('.')
        if value.isascii() and whole.isdigit() and (frac.isdigit() or not frac):
            return _dec_from_triple(1 if negative else 0, (whole + frac).lstrip('0') or '0',
                                    -len(frac))
    return _decimal.Decimal(value)        # NaN, Infinity, and any other form


def _cast_bool(value, cursor):
    return None if value is None else value == 't'


def _cast_binary(value, cursor):
    if value is None:
        return None
    if isinstance(value, str):
        if value.startswith('\\x'):
            return memoryview(bytes.fromhex(value[2:]))
        # java-core hands bytea over already decoded, one char per byte.
        return memoryview(value.encode('latin-1'))
    return memoryview(bytes(value))


def _cast_date(value, cursor):
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        if value == 'infinity':
            return _dt.date.max
        if value == '-infinity':
            return _dt.date.min
        raise DataError("unable to parse date %r" % value) from None


_TIME = _re.compile(r'(\d+):(\d+)(?::(\d+)(?:\.(\d+))?)?(?:([-+])(\d+)(?::(\d+)(?::(\d+))?)?)?$')


def _parse_time(value, cursor):
    m = _TIME.match(value)
    if m is None:
        raise DataError("unable to parse time %r" % value)
    hh, mm, ss, frac, sign, th, tm, ts = m.groups()
    hour, minute, second = int(hh), int(mm), int(ss or 0)
    micro = int((frac or '0')[:6].ljust(6, '0'))
    if frac and len(frac) > 6 and frac[6] >= '5':
        micro += 1  # PostgreSQL rounds, it never shows more than 6 digits, but be safe
    tz = _tzinfo(cursor, _signed_offset(sign, th, tm, ts)) if sign else None
    if hour == 24:      # '24:00:00' is valid in PostgreSQL, not in Python
        hour = 0
    return _dt.time(hour, minute, second, micro, tz)


# The tzinfo objects built per (factory, offset text), e.g. (datetime.timezone, '+02'):
# a column of timestamptz repeats a handful of offsets.
_TZ_CACHE = {}


def _cached_tzinfo(cursor, text):
    factory = _tz_factory(cursor)
    key = (factory, text)
    tz = _TZ_CACHE.get(key)
    if tz is None and key not in _TZ_CACHE:
        m = _OFFSET.match(text)
        if m is None:
            raise ValueError(text)
        tz = _tzinfo(cursor, _signed_offset(*m.groups()), factory)
        if len(_TZ_CACHE) < 1000:
            _TZ_CACHE[key] = tz
    return tz


_OFFSET = _re.compile(r'([-+])(\d+)(?::(\d+)(?::(\d+))?)?$')


def _fast_timestamp(value, cursor):
    """'YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]]' by slicing; None for any other form."""
    n = len(value)
    if n < 19 or value[4] != '-' or value[10] != ' ' or value[13] != ':' or value[16] != ':':
        return None
    tz_at = value.find('+', 19)
    if tz_at < 0:
        tz_at = value.find('-', 19)
        if tz_at < 0:
            tz_at = n
    micro = 0
    if tz_at > 19:
        if value[19] != '.' or tz_at - 20 > 6:
            return None
        micro = int(value[20:tz_at].ljust(6, '0'))
    hour = int(value[11:13])
    if hour == 24:
        return None
    tz = _cached_tzinfo(cursor, value[tz_at:]) if tz_at < n else None
    return _dt.datetime(int(value[0:4]), int(value[5:7]), int(value[8:10]), hour,
                        int(value[14:16]), int(value[17:19]), micro, tz)


def _signed_offset(sign, hours, minutes, seconds):
    """A UTC offset from its text parts ('-', '04', '56', '02'; the last two may be None)."""
    offset = _dt.timedelta(hours=int(hours), minutes=int(minutes or 0), seconds=int(seconds or 0))
    return -offset if sign == '-' else offset


def _tz_factory(cursor):
    return getattr(cursor, 'tzinfo_factory', _dt.timezone) if cursor is not None \
        else _dt.timezone


def _tzinfo(cursor, offset, factory=None):
    if factory is None:
        factory = _tz_factory(cursor)
    if factory is None:
        return None
    if factory is _dt.timezone:
        return _dt.timezone(offset)
    return factory(offset)


def _cast_time(value, cursor):
    if value is None:
        return None
    return _parse_time(value, cursor)


def _cast_timestamptz(value, cursor):
    if value == 'infinity' or value == '-infinity':
        limit = _dt.datetime.max if value == 'infinity' else _dt.datetime.min
        return limit.replace(tzinfo=_tzinfo(cursor, _dt.timedelta(0)))
    return _cast_timestamp(value, cursor)


def _cast_timestamp(value, cursor):
    if value is None:
        return None
    try:
        fast = _fast_timestamp(value, cursor)
    except ValueError:
        fast = None        # not digits where expected (or ' BC'): the general parser says why
    if fast is not None:
        return fast
    date_part, sep, time_part = value.partition(' ')
    if not sep:
        if value == 'infinity':
            return _dt.datetime.max
        if value == '-infinity':
            return _dt.datetime.min
        raise DataError("unable to parse timestamp %r" % value)
    if time_part.endswith(' BC'):
        raise DataError("unable to parse timestamp %r: BC dates are out of Python's range"
                        % value)
    try:
        day = _dt.date.fromisoformat(date_part)
    except ValueError:
        raise DataError("unable to parse timestamp %r" % value) from None
    t = _parse_time(time_part, cursor)
    return _dt.datetime.combine(day, t, t.tzinfo)


_INTERVAL = _re.compile(
    r'(?:([-+]?\d+) years? ?)?(?:([-+]?\d+) mons? ?)?(?:([-+]?\d+) days? ?)?'
    r'(?:([-+])?(\d+):(\d+):(\d+)(?:\.(\d+))?)?$')


def _cast_interval(value, cursor):
    if value is None:
        return None
    m = _INTERVAL.match(value)
    if m is None:
        raise DataError("unable to parse interval %r" % value)
    years, months, days, sign, hh, mm, ss, frac = m.groups()
    # psycopg2's calendar: a year is 365 days, a month 30.
    total_days = int(years or 0) * 365 + int(months or 0) * 30 + int(days or 0)
    secs = _dt.timedelta(hours=int(hh or 0), minutes=int(mm or 0), seconds=int(ss or 0),
                         microseconds=int((frac or '0')[:6].ljust(6, '0')))
    if sign == '-':
        secs = -secs
    return _dt.timedelta(days=total_days) + secs


def _cast_array(value, cursor, base):
    if value is None:
        return None
    return ArrayParser(value, base, cursor).parse()


class ArrayParser:
    """PostgreSQL's array text format ('{1,2,NULL}', '{{"a b","c"}}', '[0:1]={1,2}')."""

    def __init__(self, text, base, cursor):
        self.text = text
        self.base = base
        self.cursor = cursor
        self.pos = 0

    def parse(self):
        text = self.text
        if text.startswith('['):               # explicit bounds: dropped, like psycopg2
            self.pos = text.index('=') + 1
        if self.pos >= len(text) or text[self.pos] != '{':
            raise DataError("malformed array: %r" % text)
        result = self._array()
        return result

    def _array(self):
        text, items = self.text, []
        self.pos += 1                            # '{'
        if text[self.pos] == '}':
            self.pos += 1
            return items
        while True:
            ch = text[self.pos]
            if ch == '{':
                items.append(self._array())
            elif ch == '"':
                items.append(self.base(self._quoted(), self.cursor))
            else:
                token = self._bare()
                items.append(self.base(None if token == 'NULL' else token, self.cursor))
            ch = text[self.pos]
            self.pos += 1
            if ch == '}':
                return items
            if ch != ',':
                raise DataError("malformed array: %r" % text)

    def _quoted(self):
        text, out = self.text, []
        self.pos += 1
        while True:
            ch = text[self.pos]
            if ch == '\\':
                out.append(text[self.pos + 1])
                self.pos += 2
            elif ch == '"':
                self.pos += 1
                return ''.join(out)
            else:
                out.append(ch)
                self.pos += 1

    def _bare(self):
        text, start = self.text, self.pos
        while text[self.pos] not in ',}':
            self.pos += 1
        return text[start:self.pos]


_TINTERVAL_OID = 704


def _oids(*names):
    """The OIDs of builtin types, by name, from the generated table."""
    return tuple(TYPE_OIDS[name] for name in names)


def _builtin(values, name, cast, java_kind=None):
    caster = Typecaster(values, name, cast, java_kind=java_kind)
    register_type(caster)
    return caster


# Registered in psycopg2's order: where two share an OID the later one wins, and the broad
# DB-API type object NUMBER keeps its full OID set for comparisons.
NUMBER = _builtin(_oids('int8', 'int4', 'int2', 'float8', 'float4', 'numeric'), 'NUMBER',
                  _cast_float, pq.KIND_FLOAT)
LONGINTEGER = _builtin(_oids('int8'), 'LONGINTEGER', _cast_int, pq.KIND_INT)
INTEGER = _builtin(_oids('int4', 'int2'), 'INTEGER', _cast_int, pq.KIND_INT)
FLOAT = _builtin(_oids('float8', 'float4'), 'FLOAT', _cast_float, pq.KIND_FLOAT)
DECIMAL = _builtin(_oids('numeric'), 'DECIMAL', _cast_decimal)
STRING = _builtin(_oids('name', 'char', 'text', 'bpchar', 'varchar'),
                  'STRING', _cast_string, pq.KIND_TEXT)
# Python 2's text caster; on Python 3 psycopg2 keeps it, unregistered, with STRING's OIDs.
UNICODE = Typecaster(STRING.values, 'UNICODE', _cast_string, java_kind=pq.KIND_TEXT)
BOOLEAN = _builtin(_oids('bool'), 'BOOLEAN', _cast_bool, pq.KIND_BOOL)
DATETIME = _builtin(_oids('timestamp'), 'DATETIME', _cast_timestamp)
DATETIMETZ = _builtin(_oids('timestamptz'), 'DATETIMETZ', _cast_timestamptz)
TIME = _builtin(_oids('time', 'timetz'), 'TIME', _cast_time)
DATE = _builtin(_oids('date'), 'DATE', _cast_date)
# 704 is tinterval, gone from PostgreSQL 12 on (not in the generated table): psycopg2 keeps it.
INTERVAL = _builtin((_TINTERVAL_OID,) + _oids('interval'), 'INTERVAL', _cast_interval)
BINARY = _builtin(_oids('bytea'), 'BINARY', _cast_binary, pq.KIND_BYTEA)
ROWID = _builtin(_oids('oid'), 'ROWID', _cast_int, pq.KIND_INT)
UNKNOWN = _builtin(_oids('unknown'), 'UNKNOWN', _cast_string, pq.KIND_TEXT)

PYDATE = DATE
PYTIME = TIME
PYDATETIME = DATETIME
PYDATETIMETZ = DATETIMETZ
PYINTERVAL = INTERVAL
DATETIME_TYPES = (DATETIME, DATETIMETZ, TIME, DATE, INTERVAL)


def _array(values, name, base):
    caster = new_array_type(values, name, base)
    register_type(caster)
    return caster


LONGINTEGERARRAY = _array(_oids('_int8'), 'LONGINTEGERARRAY', LONGINTEGER)
INTEGERARRAY = _array(_oids('_int2', '_int2vector', '_int4'), 'INTEGERARRAY', INTEGER)
FLOATARRAY = _array(_oids('_float4', '_float8'), 'FLOATARRAY', FLOAT)
DECIMALARRAY = _array(_oids('_numeric'), 'DECIMALARRAY', DECIMAL)
STRINGARRAY = _array(_oids('_char', '_name', '_text', '_bpchar', '_varchar'), 'STRINGARRAY',
                     STRING)
UNICODEARRAY = new_array_type(STRINGARRAY.values, 'UNICODEARRAY', UNICODE)
BOOLEANARRAY = _array(_oids('_bool'), 'BOOLEANARRAY', BOOLEAN)
DATETIMEARRAY = _array(_oids('_timestamp'), 'DATETIMEARRAY', DATETIME)
DATETIMETZARRAY = _array(_oids('_timestamptz'), 'DATETIMETZARRAY', DATETIMETZ)
TIMEARRAY = _array(_oids('_time', '_timetz'), 'TIMEARRAY', TIME)
DATEARRAY = _array(_oids('_date'), 'DATEARRAY', DATE)
INTERVALARRAY = _array(_oids('_interval'), 'INTERVALARRAY', INTERVAL)
BINARYARRAY = _array(_oids('_bytea'), 'BINARYARRAY', BINARY)
ROWIDARRAY = _array(_oids('_oid', '_oidvector'), 'ROWIDARRAY', ROWID)
INETARRAY = _array(_oids('_inet'), 'INETARRAY', STRING)
CIDRARRAY = _array(_oids('_cidr'), 'CIDRARRAY', STRING)
MACADDRARRAY = _array(_oids('_macaddr'), 'MACADDRARRAY', STRING)
PYDATEARRAY = DATEARRAY
PYTIMEARRAY = TIMEARRAY
PYDATETIMEARRAY = DATETIMEARRAY
PYDATETIMETZARRAY = DATETIMETZARRAY
PYINTERVALARRAY = INTERVALARRAY

# Casters Java applies alone, whose per-value Python work is then nothing at all.
_JAVA_FINAL = {pq.KIND_INT, pq.KIND_FLOAT, pq.KIND_BOOL, pq.KIND_TEXT}


def column_plan(oids, cursor):
    """For one result: the java-core decoder string and the (index, caster) pairs that still
    need a Python call per value."""
    scopes = [cursor.string_types, cursor.connection.string_types, string_types]
    kinds, py_casters = [], []
    for index, oid in enumerate(oids):
        caster = None
        for scope in scopes:
            caster = scope.get(oid)
            if caster is not None:
                break
        kind = caster.java_kind if caster is not None else pq.KIND_TEXT
        if kind == pq.KIND_FLOAT and caster is NUMBER:
            kind = pq.KIND_TEXT        # NUMBER casts numeric too: let Python do it
        kinds.append(kind or pq.KIND_TEXT)
        if caster is not None and kind not in _JAVA_FINAL:
            # A plain Typecaster's function is called directly: one call less per value.
            if type(caster) is Typecaster and caster._base is None:
                caster = caster._cast
            py_casters.append((index, caster))
    return ''.join(kinds), py_casters

