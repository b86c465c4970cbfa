"""psycopg2._psycopg: the module that holds psycopg2's core objects.

In psycopg2 it is the C extension; code in the wild imports from it directly, so the same
names live here, gathered from our modules.
"""
from ._impl.adapt import (  # noqa: F401
    AsIs, ISQLQuote, adapt, adapters, register_adapter)
from ._impl.column import Column, Notify  # noqa: F401
from ._impl.connection import connect as _connect, connection  # noqa: F401
from ._impl.cursor import cursor  # noqa: F401
from ._impl.lobject import lobject  # noqa: F401
from ._impl.dsn import make_dsn as _make_dsn, parse_dsn  # noqa: F401
from ._impl.encodings import encodings  # noqa: F401
from ._impl.exceptions import (  # noqa: F401
    DataError, DatabaseError, Diagnostics, Error, IntegrityError, InterfaceError, InternalError,
    NotSupportedError, OperationalError, ProgrammingError, QueryCanceledError,
    TransactionRollbackError, Warning)
from ._impl.typecast import (  # noqa: F401
    binary_types, new_array_type, new_type, register_type, string_types)
from ._impl.types.array import List, SQL_IN  # noqa: F401
from ._impl.types.binary import BINARY, BINARYARRAY, Binary  # noqa: F401
from ._impl.types.boolean import BOOLEAN, BOOLEANARRAY, Boolean  # noqa: F401
from ._impl.types.datetime import (  # noqa: F401
    DATE, DATEARRAY, DATETIME, DATETIMEARRAY, DATETIMETZ, DATETIMETZARRAY, INTERVAL,
    INTERVALARRAY, PYDATE, PYDATEARRAY, PYDATETIME, PYDATETIMEARRAY, PYDATETIMETZ,
    PYDATETIMETZARRAY, PYINTERVAL, PYINTERVALARRAY, PYTIME, PYTIMEARRAY, TIME, TIMEARRAY,
    Date, DateFromPy, DateFromTicks, DateTime, IntervalFromPy, Time, TimeFromPy,
    TimeFromTicks, Timestamp, TimestampFromPy, TimestampFromTicks)
from ._impl.types.numeric import (  # noqa: F401
    DECIMAL, DECIMALARRAY, FLOAT, FLOATARRAY, INTEGER, INTEGERARRAY, LONGINTEGER,
    LONGINTEGERARRAY, NUMBER, ROWID, ROWIDARRAY, Decimal, Float, Int)
from ._impl.types.string import (  # noqa: F401
    BYTES, BYTESARRAY, STRING, STRINGARRAY, UNICODE, UNICODEARRAY, UNKNOWN, QuotedString)
from ._impl.errors import _by_sqlstate as sqlstate_errors  # noqa: F401  (SQLSTATE -> class)
from ._impl.waiting import get_wait_callback, set_wait_callback  # noqa: F401
from ._impl.xid import Xid  # noqa: F401

# The libpq whose behaviour we follow (PostgreSQL 15's), as psycopg2 reports it.
__libpq_version__ = 150000
apilevel = '2.0'
threadsafety = 2
paramstyle = 'pyformat'


def libpq_version():
    return __libpq_version__
