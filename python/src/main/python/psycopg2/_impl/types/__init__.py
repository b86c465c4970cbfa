"""Type support by family, one module each: the casters of PostgreSQL values to Python objects
and the adapters of Python objects to SQL literals, with their OIDs from the generated table.

register_defaults() is the one list of what psycopg2 has registered as soon as it is
imported; psycopg2/__init__.py calls it once. Nothing registers itself on import.
"""
# Python 2 would import this package's module of the same name.
from __future__ import absolute_import
import datetime as _dt
import decimal as _decimal

from ..adapt import NoneAdapter, register_adapter, register_builtin_adapter
from ..compat import PY2
from ..quoting import bytea_literal, string_literal
from ..typecast import register_type
from . import array, binary, boolean, datetime, json, net, numeric, ranges, string


def register_defaults():
    """Register the built-in typecasters and adapters globally (psycopg2's set)."""
    # Casters in psycopg2's order: where two share an OID the later one wins, and the broad
    # DB-API type object NUMBER keeps its full OID set for comparisons.
    for caster in (
            numeric.NUMBER, numeric.LONGINTEGER, numeric.INTEGER, numeric.FLOAT,
            numeric.DECIMAL, string.STRING, boolean.BOOLEAN, datetime.DATETIME,
            datetime.DATETIMETZ, datetime.TIME, datetime.DATE, datetime.INTERVAL,
            binary.BINARY, numeric.ROWID, string.UNKNOWN,
            numeric.LONGINTEGERARRAY, numeric.INTEGERARRAY, numeric.FLOATARRAY,
            numeric.DECIMALARRAY, string.STRINGARRAY, boolean.BOOLEANARRAY,
            datetime.DATETIMEARRAY, datetime.DATETIMETZARRAY, datetime.TIMEARRAY,
            datetime.DATEARRAY, datetime.INTERVALARRAY, binary.BINARYARRAY,
            numeric.ROWIDARRAY, net.INETARRAY, net.CIDRARRAY, net.MACADDRARRAY,
            json.JSON, json.JSONARRAY, json.JSONB, json.JSONBARRAY):
        register_type(caster)

    register_adapter(type(None), NoneAdapter)
    # With the literal function quote() uses instead of building the adapter object.
    register_builtin_adapter(bool, boolean.Boolean, boolean.bool_literal)
    register_builtin_adapter(int, numeric.Int, numeric.int_literal)
    register_builtin_adapter(float, numeric.Float, numeric.float_literal)
    register_builtin_adapter(_decimal.Decimal, numeric.Decimal, numeric.decimal_literal)
    if PY2:
        # psycopg2 2.8 on Python 2: str (bytes) and unicode are text, buffer is bytea.
        register_builtin_adapter(long, numeric.Int, numeric.int_literal)  # noqa: F821
        register_builtin_adapter(str, string.QuotedString, string_literal)
        register_builtin_adapter(unicode, string.QuotedString, string.str_literal)  # noqa: F821
        register_builtin_adapter(buffer, binary.Binary, bytea_literal)  # noqa: F821
    else:
        register_builtin_adapter(str, string.QuotedString, string.str_literal)
        register_builtin_adapter(bytes, binary.Binary, bytea_literal)
    register_builtin_adapter(bytearray, binary.Binary)
    register_builtin_adapter(memoryview, binary.Binary)
    for typ, factory in ((_dt.date, datetime.DateFromPy), (_dt.datetime, datetime.TimestampFromPy),
                         (_dt.time, datetime.TimeFromPy), (_dt.timedelta, datetime.IntervalFromPy)):
        register_builtin_adapter(typ, factory, datetime.temporal_literal)
    register_adapter(list, array.List)
    register_adapter(tuple, array.SQL_IN)

    # The builtin range types: their casters and the adapters of the matching Range classes.
    register_adapter(ranges.NumericRange, ranges.NumberRangeAdapter)
    for caster in ranges.BUILTIN_CASTERS:
        caster._register()
