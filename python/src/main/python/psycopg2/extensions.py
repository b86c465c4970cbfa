"""psycopg2.extensions: the parts of psycopg2 beyond the DB-API (psycopg2's names, no more)."""
from ._psycopg import (  # noqa: F401
    BINARYARRAY, BOOLEAN, BOOLEANARRAY, BYTES, BYTESARRAY, DATE, DATEARRAY, DATETIMEARRAY,
    DECIMAL, DECIMALARRAY, FLOAT, FLOATARRAY, INTEGER, INTEGERARRAY, INTERVAL, INTERVALARRAY,
    LONGINTEGER, LONGINTEGERARRAY, ROWIDARRAY, STRINGARRAY, TIME, TIMEARRAY, UNICODE,
    UNICODEARRAY, AsIs, Binary, Boolean, Float, Int, QuotedString)
from ._psycopg import (  # noqa: F401
    PYDATE, PYDATETIME, PYDATETIMETZ, PYINTERVAL, PYTIME, PYDATEARRAY, PYDATETIMEARRAY,
    PYDATETIMETZARRAY, PYINTERVALARRAY, PYTIMEARRAY, DateFromPy, TimeFromPy, TimestampFromPy,
    IntervalFromPy)
from ._psycopg import (  # noqa: F401
    adapt, adapters, encodings, connection, cursor, lobject, Xid, libpq_version, parse_dsn,
    quote_ident, string_types, binary_types, new_type, new_array_type, register_type,
    ISQLQuote, Notify, Diagnostics, Column, ConnectionInfo, QueryCanceledError,
    TransactionRollbackError, set_wait_callback, get_wait_callback, encrypt_password)
from ._impl.adapt import NoneAdapter, register_adapter  # noqa: F401
from ._impl.consts import (  # noqa: F401
    POLL_ERROR, POLL_OK, POLL_READ, POLL_WRITE,
    ISOLATION_LEVEL_AUTOCOMMIT, ISOLATION_LEVEL_DEFAULT, ISOLATION_LEVEL_READ_COMMITTED,
    ISOLATION_LEVEL_READ_UNCOMMITTED, ISOLATION_LEVEL_REPEATABLE_READ,
    ISOLATION_LEVEL_SERIALIZABLE, STATUS_ASYNC, STATUS_BEGIN, STATUS_IN_TRANSACTION,
    STATUS_PREPARED, STATUS_READY, STATUS_SETUP, STATUS_SYNC, TRANSACTION_STATUS_ACTIVE,
    TRANSACTION_STATUS_IDLE, TRANSACTION_STATUS_INERROR, TRANSACTION_STATUS_INTRANS,
    TRANSACTION_STATUS_UNKNOWN)
from ._impl.dsn import make_dsn  # noqa: F401
from ._impl.types.array import SQL_IN  # noqa: F401
from ._impl.types.json import JSON, JSONARRAY, JSONB, JSONBARRAY  # noqa: F401

# As upstream's module, importing this one imports these two (their typecasters registered).
from . import _json, _range  # noqa: F401,E402
del _json, _range
