"""psycopg2.extensions: the parts of psycopg2 beyond the DB-API."""
from ._psycopg import (  # noqa: F401
    BINARYARRAY, BOOLEAN, BOOLEANARRAY, DATE, DATEARRAY, DATETIMEARRAY, DECIMAL, DECIMALARRAY,
    FLOAT, FLOATARRAY, INTEGER, INTEGERARRAY, INTERVAL, INTERVALARRAY, LONGINTEGER,
    LONGINTEGERARRAY, PYDATE, PYDATEARRAY, PYDATETIME, PYDATETIMEARRAY, PYDATETIMETZ,
    PYDATETIMETZARRAY, PYINTERVAL, PYINTERVALARRAY, PYTIME, PYTIMEARRAY, ROWIDARRAY,
    STRINGARRAY, TIME, TIMEARRAY, UNICODE, UNICODEARRAY,
    BYTES, BYTESARRAY, AsIs, Binary, Boolean, Column, DateFromPy, Decimal, Diagnostics, Float, ISQLQuote, Int,
    IntervalFromPy, Notify, QueryCanceledError, QuotedString, SQL_IN, TimeFromPy,
    TimestampFromPy, TransactionRollbackError, adapt, adapters, binary_types, connection,
    cursor, encodings, libpq_version, lobject, new_array_type, new_type, parse_dsn, register_adapter,
    register_type, string_types)
from ._impl.consts import (  # noqa: F401
    POLL_ERROR, POLL_OK, POLL_READ, POLL_WRITE,
    ISOLATION_LEVEL_AUTOCOMMIT, ISOLATION_LEVEL_DEFAULT, ISOLATION_LEVEL_READ_COMMITTED,
    ISOLATION_LEVEL_READ_UNCOMMITTED, ISOLATION_LEVEL_REPEATABLE_READ,
    ISOLATION_LEVEL_SERIALIZABLE, STATUS_BEGIN, STATUS_IN_TRANSACTION, STATUS_PREPARED,
    STATUS_READY, STATUS_SETUP, TRANSACTION_STATUS_ACTIVE, TRANSACTION_STATUS_IDLE,
    TRANSACTION_STATUS_INERROR, TRANSACTION_STATUS_INTRANS, TRANSACTION_STATUS_UNKNOWN)
from ._impl.adapt import NoneAdapter  # noqa: F401
from ._impl.types.json import JSON, JSONARRAY, JSONB, JSONBARRAY  # noqa: F401
from ._impl.dsn import make_dsn, parse_dsn  # noqa: F401,F811
from ._impl.info import ConnectionInfo  # noqa: F401
from ._impl.quoting import quote_ident  # noqa: F401
from ._impl.waiting import get_wait_callback, set_wait_callback  # noqa: F401
from ._impl.xid import Xid  # noqa: F401
from ._impl.passwords import encrypt_password  # noqa: F401

# The DB-API names psycopg2 also exports from here.
from ._psycopg import DATETIME, DATETIMETZ, NUMBER, ROWID, STRING, BINARY  # noqa: F401


# As upstream's module: these two public modules are imported with it, and lend it names.
from ._json import register_default_json, register_default_jsonb  # noqa: F401,E402
from ._range import Range  # noqa: F401,E402
