"""Numbers: int2/int4/int8/oid, float4/float8 and numeric to int, float and Decimal, and back.

The integer, float and oid casters are ones java-core applies alone (``java_kind``); numeric
goes through Python, as a Decimal.
"""
import decimal as _decimal
import math as _math

from .. import pq
from ..adapt import CoreAdapter
from ..oids import TYPE_OIDS
from ..typecast import builtin_type, new_array_type


def cast_int(value, cursor):
    return None if value is None else int(value)


def cast_float(value, cursor):
    return None if value is None else float(value)


# GraalPy's decimal is the pure-Python _pydecimal, whose Decimal(str) runs a regular
# expression per value; numeric's output is simpler ([-]digits[.digits]), so build the Decimal
# from its parts. CPython's C decimal has no such internal: it keeps Decimal(str).
try:
    from _pydecimal import Decimal as _PyDecimal, _dec_from_triple
except ImportError:                                      # pragma: no cover
    _PyDecimal = _dec_from_triple = None
_FAST_DECIMAL = _dec_from_triple is not None and _decimal.Decimal is _PyDecimal


def cast_decimal(value, cursor):
    if value is None:
        return None
    if _FAST_DECIMAL:
        negative = value.startswith('-')
        whole, _, frac = (value[1:] if negative else value).partition('.')
        if value.isascii() and whole.isdigit() and (frac.isdigit() or not frac):
            return _dec_from_triple(1 if negative else 0, (whole + frac).lstrip('0') or '0',
                                    -len(frac))
    return _decimal.Decimal(value)        # NaN, Infinity, and any other form


def cast_packed_decimal(value, cursor):
    """cast_decimal for a column java-core's bridge packed (pq.KIND_NUMERIC): a header char
    (sign and scale) then the digits; anything unusual (NaN) comes as the text."""
    if value is None:
        return None
    head = ord(value[0]) - 0x80
    if head >= 0:
        return _dec_from_triple(head & 1, value[1:], -(head >> 1))
    return cast_decimal(value, cursor)


def _oids(*names):
    return tuple(TYPE_OIDS[name] for name in names)


# The DB-API's NUMBER compares equal to every numeric OID; as a caster (psycopg2 registers it
# first, the narrower ones below take its OIDs over) it makes floats of them all, numeric too,
# so java-core leaves its values to Python.
NUMBER = builtin_type(_oids('int8', 'int4', 'int2', 'float8', 'float4', 'numeric'), 'NUMBER',
                      cast_float)
LONGINTEGER = builtin_type(_oids('int8'), 'LONGINTEGER', cast_int, pq.KIND_INT)
INTEGER = builtin_type(_oids('int4', 'int2'), 'INTEGER', cast_int, pq.KIND_INT)
FLOAT = builtin_type(_oids('float8', 'float4'), 'FLOAT', cast_float, pq.KIND_FLOAT)
# Packed in Java only where the parts make a Decimal directly (_pydecimal).
DECIMAL = builtin_type(_oids('numeric'), 'DECIMAL', cast_decimal,
                       pq.KIND_NUMERIC if _FAST_DECIMAL else None,
                       cast_packed_decimal if _FAST_DECIMAL else None)
ROWID = builtin_type(_oids('oid'), 'ROWID', cast_int, pq.KIND_INT)

LONGINTEGERARRAY = new_array_type(_oids('_int8'), 'LONGINTEGERARRAY', LONGINTEGER)
INTEGERARRAY = new_array_type(_oids('_int2', '_int2vector', '_int4'), 'INTEGERARRAY', INTEGER)
FLOATARRAY = new_array_type(_oids('_float4', '_float8'), 'FLOATARRAY', FLOAT)
DECIMALARRAY = new_array_type(_oids('_numeric'), 'DECIMALARRAY', DECIMAL)
ROWIDARRAY = new_array_type(_oids('_oid', '_oidvector'), 'ROWIDARRAY', ROWID)


# -- adapters ---------------------------------------------------------------------------------

def _spaced(text):
    # A leading space keeps "x -%s" with a negative number from becoming a "--" comment.
    return ' ' + text if text.startswith('-') else text


def int_literal(value, conn=None):
    # Spaced as _spaced() does.
    return b'%d' % value if value >= 0 else b' %d' % value


def float_literal(value, conn=None):
    if _math.isnan(value):
        return b"'NaN'::float"
    if _math.isinf(value):
        return b"'Infinity'::float" if value > 0 else b"'-Infinity'::float"
    return _spaced(repr(float(value))).encode('ascii')


def decimal_literal(value, conn=None):
    if not value.is_finite():
        return b"'NaN'::numeric"
    return _spaced(str(value)).encode('ascii')


class Int(CoreAdapter):
    def getquoted(self):
        return int_literal(int(self._adapted))


class Float(CoreAdapter):
    def getquoted(self):
        return float_literal(self._adapted)


class Decimal(CoreAdapter):
    def getquoted(self):
        return decimal_literal(self._adapted)


# The names psycopg2's C types have, which reprs and type() show.
Int.__module__ = Float.__module__ = 'psycopg2.extensions'
Decimal.__module__ = 'psycopg2._psycopg'
