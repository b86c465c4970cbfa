"""connection.info: psycopg2's ConnectionInfo, read from java-core's session state."""
from .exceptions import InterfaceError

# libpq's ConnStatusType values that a live connection can show.
_CONNECTION_OK = 0
_CONNECTION_BAD = 1


class ConnectionInfo:
    """Details about a connection (psycopg2.extensions.ConnectionInfo)."""

    __module__ = 'psycopg2.extensions'

    def __init__(self, connection):
        if not hasattr(connection, '_pgconn'):
            raise TypeError("argument 1 must be psycopg2.extensions.connection")
        self._conn = connection

    def _pgconn(self):
        conn = self._conn
        if conn.closed:
            raise InterfaceError("connection already closed")
        return conn._pgconn

    @property
    def dbname(self):
        return self._pgconn().dbname

    @property
    def user(self):
        return self._pgconn().user

    @property
    def password(self):
        return self._pgconn().password

    @property
    def host(self):
        return self._pgconn().host

    @property
    def port(self):
        port = self._pgconn().port
        return None if port is None else int(port)

    @property
    def options(self):
        return self._pgconn().options

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
        return self._pgconn().parameter_status(name)

    @property
    def protocol_version(self):
        return self._pgconn().protocol_version

    @property
    def server_version(self):
        return self._pgconn().server_version

    @property
    def error_message(self):
        return None

    @property
    def socket(self):
        return self._conn.fileno()

    @property
    def backend_pid(self):
        return self._pgconn().backend_pid

    @property
    def needs_password(self):
        return False

    @property
    def used_password(self):
        return self._pgconn().password is not None

    @property
    def ssl_in_use(self):
        return False

    def ssl_attribute(self, name):
        return None

    @property
    def ssl_attribute_names(self):
        return ['library', 'key_bits', 'cipher', 'compression', 'protocol']
