"""The DB-API exception hierarchy, with psycopg2's names, attributes and module."""
from .compat import StandardError
from .members import readonly


class Warning(StandardError):  # noqa: A001 - the DB-API name
    """A database warning (psycopg2 never raises it, but exports it)."""


class Error(StandardError):
    """Base class of psycopg2's errors; carries the server's error when there is one."""

    # Read-only members, as psycopg2's (see members.py); None on an error made by hand.
    _pgerror = _pgcode = _cursor = _diag_fields = _diag = None
    pgerror = readonly('pgerror', "The error message returned by the backend, if available.")
    pgcode = readonly('pgcode', "The error code returned by the backend, if available.")
    cursor = readonly('cursor', "The cursor that raised the exception, if available.")

    def __init__(self, *args, **kwargs):
        super(Error, self).__init__(*args)
        self._pgerror = kwargs.pop('pgerror', None)
        self._pgcode = kwargs.pop('pgcode', None)
        self._cursor = kwargs.pop('cursor', None)
        self._diag_fields = kwargs.pop('diag_fields', None)

    @property
    def diag(self):
        """A Diagnostics object to get further information about the error."""
        if self._diag is None:
            self._diag = Diagnostics(self)
        return self._diag

    def __reduce__(self):
        # Pickle what a user can see (psycopg2 keeps pgerror and pgcode, drops the cursor).
        return (type(self), self.args,
                {'pgerror': self._pgerror, 'pgcode': self._pgcode})

    def __setstate__(self, state):
        self._pgerror = state.get('pgerror')
        self._pgcode = state.get('pgcode')


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    pass


class DataError(DatabaseError):
    pass


class OperationalError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class InternalError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    pass


class QueryCanceledError(OperationalError):
    pass


class TransactionRollbackError(OperationalError):
    pass


# ErrorResponse field codes of the protocol, by the attribute names of psycopg2's Diagnostics.
DIAG_FIELDS = {
    'severity': 'S',
    'severity_nonlocalized': 'V',
    'sqlstate': 'C',
    'message_primary': 'M',
    'message_detail': 'D',
    'message_hint': 'H',
    'statement_position': 'P',
    'internal_position': 'p',
    'internal_query': 'q',
    'context': 'W',
    'schema_name': 's',
    'table_name': 't',
    'column_name': 'c',
    'datatype_name': 'd',
    'constraint_name': 'n',
    'source_file': 'F',
    'source_line': 'L',
    'source_function': 'R',
}


class Diagnostics(object):
    """The fields of the server's error report, as psycopg2's ``Error.diag``: one read-only
    property per field (made below from DIAG_FIELDS), None when the server did not send it.
    It keeps its error alive, and so the error's cursor, as psycopg2's does."""

    def __init__(self, error):
        if not isinstance(error, Error):
            raise TypeError("argument 1 must be psycopg2.Error, not %s" % type(error).__name__)
        self._error = error
        self._fields = error._diag_fields or {}


def _diag_field(code):
    return property(lambda self: self._fields.get(code))


for _name, _code in DIAG_FIELDS.items():
    setattr(Diagnostics, _name, _diag_field(_code))
del _name, _code

Diagnostics.__module__ = 'psycopg2.extensions'
for _cls in (Warning, Error, InterfaceError, DatabaseError, DataError, OperationalError,
             IntegrityError, InternalError, ProgrammingError, NotSupportedError):
    _cls.__module__ = 'psycopg2'
for _cls in (QueryCanceledError, TransactionRollbackError):
    _cls.__module__ = 'psycopg2.extensions'
del _cls
