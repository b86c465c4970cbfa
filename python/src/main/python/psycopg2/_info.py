"""connection.info: psycopg2's ConnectionInfo, read from java-core's session state."""
from ._exceptions import InterfaceError

# libpq's ConnStatusType values that a live connection can show.
_CONNECTION_OK = 0
_CONNECTION_BAD = 1


class ConnectionInfo:
    """Details about a connection (psycopg2.extensions.ConnectionInfo)."""

    __module__ = 'psycopg2.extensions'

    def __init__(self, connection):
        if not hasattr(connection, '_pg'):
            raise TypeError("argument 1 must be psycopg2.extensions.connection")
        self._conn = connection

    def _pg(self):
        conn = self._conn
        if conn.closed:
            raise InterfaceError("connection already closed")
        return conn._pg

    @staticmethod
    def _text(value):
        return None if value is None else str(value)

    @property
    def dbname(self):
        return self._text(self._pg().dbname())

    @property
    def user(self):
        return self._text(self._pg().user())

    @property
    def password(self):
        return self._text(self._pg().password())

    @property
    def host(self):
        return self._text(self._pg().host())

    @property
    def port(self):
        port = self._pg().port()
        return None if port is None else int(str(port))

    @property
    def options(self):
        return self._text(self._pg().options())

    @property
    def dsn_parameters(self):
        return self._conn.get_dsn_parameters()

    @property
    def status(self):
        return _CONNECTION_BAD if self._conn.closed else _CONNECTION_OK

    @property
    def transaction_status(self):
        return self._conn.get_transaction_status()

    def parameter_status(self, name):
        return self._text(self._pg().parameterStatus(name))

    @property
    def protocol_version(self):
        return int(self._pg().protocolVersion())

    @property
    def server_version(self):
        return int(self._pg().serverVersion())

    @property
    def error_message(self):
        return None

    @property
    def socket(self):
        return self._conn.fileno()

    @property
    def backend_pid(self):
        return int(self._pg().backendPid())

    @property
    def needs_password(self):
        return False

    @property
    def used_password(self):
        return self._pg().password() is not None

    @property
    def ssl_in_use(self):
        return False

    def ssl_attribute(self, name):
        return None

    @property
    def ssl_attribute_names(self):
        return ['library', 'key_bits', 'cipher', 'compression', 'protocol']
