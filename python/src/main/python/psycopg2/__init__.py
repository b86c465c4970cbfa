"""psycopg2 for GraalPy: the psycopg2 2.9 API on java-core, a PostgreSQL client in Java."""
from ._psycopg import (  # noqa: F401
    BINARY, NUMBER, STRING, DATETIME, ROWID,
    Binary, Date, Time, Timestamp, DateFromTicks, TimeFromTicks, TimestampFromTicks,
    Error, Warning, DataError, DatabaseError, ProgrammingError, IntegrityError,
    InterfaceError, InternalError, NotSupportedError, OperationalError,
    apilevel, threadsafety, paramstyle, __libpq_version__)
from ._version import __version__  # noqa: F401
from ._impl.compat import PY2 as _PY2
from ._impl.connection import connect as _connect
from ._impl.dsn import make_dsn as _make_dsn
from ._impl.types import register_defaults as _register_defaults

from . import extensions as _ext  # noqa: F401  (registers psycopg2.extensions, as upstream)
# psycopg2's C module loads psycopg2.errors at import: `psycopg2.errors` works without an import.
from . import errors as _errors  # noqa: F401,E402

# The built-in typecasters and adapters, registered once, as psycopg2's C module does on import.
_register_defaults()
del _register_defaults


def connect(dsn=None, connection_factory=None, cursor_factory=None, **kwargs):
    """Create a new database connection (see psycopg2's documentation for the arguments)."""
    # `async` is a keyword since Python 3.7: it can only come through **kwargs.
    kwasync = {key: kwargs.pop(key) for key in ('async', 'async_') if key in kwargs}
    if _PY2 and dsn is None and not kwargs:
        # psycopg2 2.8 wanted something (2.9 connects with the PG* defaults).
        raise TypeError('missing dsn and no parameters')
    dsn = _make_dsn(dsn, **kwargs)
    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)
    if cursor_factory is not None:
        conn.cursor_factory = cursor_factory
    return conn
