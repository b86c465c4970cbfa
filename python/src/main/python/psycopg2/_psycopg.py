"""psycopg2._psycopg: the module that holds psycopg2's core objects.

In psycopg2 it is the C extension; code in the wild imports from it directly, so the same
names live here (psycopg2's set, no more), gathered from our modules.
"""
if '.' not in __name__:
    # Imported "naked" (`import _psycopg` with the package's own folder on sys.path), which
    # psycopg2's C module allows for import juggling (its ticket #201, its test_import_internal).
    # Our names live in the package: load it from this file's folder when it is not loaded,
    # then resolve this module's relative imports against it.
    import os as _os
    import sys as _sys
    if 'psycopg2' not in _sys.modules:
        _here = _os.path.dirname(_os.path.abspath(__file__))
        if _sys.version_info[0] == 2:
            import imp as _imp      # Jython: no importlib.util (it cleans up after a failure)
            _imp.load_module('psycopg2', None, _here, ('', '', _imp.PKG_DIRECTORY))
        else:
            from importlib import util as _util
            _spec = _util.spec_from_file_location(
                'psycopg2', _os.path.join(_here, '__init__.py'), submodule_search_locations=[_here])
            _sys.modules['psycopg2'] = _util.module_from_spec(_spec)
            try:
                _spec.loader.exec_module(_sys.modules['psycopg2'])
            except BaseException:
                del _sys.modules['psycopg2']
                raise
    __package__ = 'psycopg2'
    del _os, _sys

from ._impl.adapt import AsIs, ISQLQuote, adapt, adapters  # noqa: F401
from ._impl.column import Column, Notify  # noqa: F401
from ._impl.connection import connect as _connect, connection  # noqa: F401
from ._impl.cursor import cursor  # noqa: F401
from ._impl.lobject import lobject  # noqa: F401
from ._impl.dsn import parse_dsn  # noqa: F401
from ._impl.encodings import encodings  # noqa: F401
from ._impl.errors import _by_sqlstate as sqlstate_errors  # noqa: F401  (SQLSTATE -> class)
from ._impl.exceptions import (  # noqa: F401
    DataError, DatabaseError, Diagnostics, Error, IntegrityError, InterfaceError, InternalError,
    NotSupportedError, OperationalError, ProgrammingError, QueryCanceledError,
    TransactionRollbackError, Warning)
from ._impl.info import ConnectionInfo  # noqa: F401
from ._impl.passwords import encrypt_password  # noqa: F401
from ._impl.quoting import quote_ident  # noqa: F401
from ._impl.replication import (  # noqa: F401
    REPLICATION_LOGICAL, REPLICATION_PHYSICAL, ReplicationMessage,
    _replicationConnection as ReplicationConnection, _replicationCursor as ReplicationCursor)
from ._impl.typecast import (  # noqa: F401
    binary_types, new_array_type, new_type, register_type, string_types)
from ._impl.types.array import List  # noqa: F401
from ._impl.types.binary import BINARY, BINARYARRAY, Binary  # noqa: F401
from ._impl.types.boolean import BOOLEAN, BOOLEANARRAY, Boolean  # noqa: F401
from ._impl.types.datetime import (  # noqa: F401
    DATE, DATEARRAY, DATETIME, DATETIMEARRAY, DATETIMETZ, DATETIMETZARRAY, INTERVAL,
    INTERVALARRAY, PYDATE, PYDATEARRAY, PYDATETIME, PYDATETIMEARRAY, PYDATETIMETZ,
    PYDATETIMETZARRAY, PYINTERVAL, PYINTERVALARRAY, PYTIME, PYTIMEARRAY, TIME, TIMEARRAY,
    Date, DateFromPy, DateFromTicks, IntervalFromPy, Time, TimeFromPy, TimeFromTicks,
    Timestamp, TimestampFromPy, TimestampFromTicks)
from ._impl.types.net import CIDRARRAY, INETARRAY, MACADDRARRAY  # noqa: F401
from ._impl.types.numeric import (  # noqa: F401
    DECIMAL, DECIMALARRAY, FLOAT, FLOATARRAY, INTEGER, INTEGERARRAY, LONGINTEGER,
    LONGINTEGERARRAY, NUMBER, ROWID, ROWIDARRAY, Decimal, Float, Int)
from ._impl.types.string import (  # noqa: F401
    BYTES, BYTESARRAY, STRING, STRINGARRAY, UNICODE, UNICODEARRAY, UNKNOWN, QuotedString)
from ._impl.waiting import get_wait_callback, set_wait_callback  # noqa: F401
from ._impl.xid import Xid  # noqa: F401
from ._version import __version__  # noqa: F401

# The libpq whose behaviour java-core follows, as psycopg2 reports it: 17.11, the one
# psycopg2-binary 2.9.13 ships (README, "Compatibility").
__libpq_version__ = 170011
apilevel = '2.0'
threadsafety = 2
paramstyle = 'pyformat'


def libpq_version():
    return __libpq_version__
