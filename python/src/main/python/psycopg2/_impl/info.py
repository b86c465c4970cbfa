"""connection.info: psycopg2's ConnectionInfo, read from java-core's session state.

Each property is what libpq's function of the same name gives, including for a connection
without a session behind it (closed, or an object whose __init__ never connected): libpq then
answers for a NULL PGconn (None, 0, CONNECTION_BAD, PQTRANS_UNKNOWN, -1 for the socket).
"""
from .exceptions import InterfaceError

# libpq's ConnStatusType and PGTransactionStatusType values this class reports.
_CONNECTION_OK = 0
_CONNECTION_BAD = 1
_TRANSACTION_UNKNOWN = 4
# PQerrorMessage(NULL).
_NO_CONNECTION = "connection pointer is NULL\n"


class ConnectionInfo(object):
    """Details about a connection (psycopg2.extensions.ConnectionInfo)."""

    __module__ = 'psycopg2.extensions'

    def __init__(self, connection):
        if not hasattr(connection, '_pgconn'):
            raise TypeError("argument 1 must be psycopg2.extensions.connection")
        self._conn = connection

    def _pgconn(self):
        """The session's PGconn, or None when there is none (libpq's NULL PGconn)."""
        conn = self._conn
        if conn.closed == 1:
            return None
        return conn._pgconn

    def _get(self, name, default=None):
        pgconn = self._pgconn()
        return default if pgconn is None else getattr(pgconn, name)

    @property
    def dbname(self):
        return self._get('dbname')

    @property
    def user(self):
        return self._get('user')

    @property
    def password(self):
        pgconn = self._pgconn()
        if pgconn is None:
            return None
        password = pgconn.password
        return '' if password is None else password        # PQpass: "" when none was given

    @property
    def host(self):
        return self._get('host')

    @property
    def port(self):
        port = self._get('port')
        return None if port is None else int(port)

    @property
    def options(self):
        return self._get('options')

    @property
    def dsn_parameters(self):
        if self._conn.closed:
            raise InterfaceError("connection already closed")
        return self._conn.get_dsn_parameters()

    @property
    def status(self):
        if self._pgconn() is None or self._conn.closed:
            return _CONNECTION_BAD
        return _CONNECTION_OK

    @property
    def transaction_status(self):
        if self._pgconn() is None:
            return _TRANSACTION_UNKNOWN
        return self._conn.get_transaction_status()

    def parameter_status(self, name):
        pgconn = self._pgconn()
        return None if pgconn is None else pgconn.parameter_status(name)

    @property
    def protocol_version(self):
        return self._get('protocol_version', 0)

    @property
    def server_version(self):
        return self._get('server_version', 0)

    @property
    def error_message(self):
        """The last operation's error, as libpq words it; None when it succeeded."""
        if self._pgconn() is None:
            return _NO_CONNECTION
        return getattr(self._conn, '_error_message', None) or None

    @property
    def socket(self):
        pgconn = self._pgconn()
        return -1 if pgconn is None else pgconn.fileno()

    @property
    def backend_pid(self):
        return self._get('backend_pid', 0)

    @property
    def needs_password(self):
        return False

    @property
    def used_password(self):
        pgconn = self._pgconn()
        return pgconn is not None and pgconn.password is not None

    @property
    def ssl_in_use(self):
        return self._get('ssl_in_use', False)

    def ssl_attribute(self, name):
        """libpq's PQsslAttribute: a str, or None without TLS or for an unknown name."""
        pgconn = self._pgconn()
        if pgconn is None:
            # libpq 15+ answers for a NULL PGconn: the library's name only.
            return 'OpenSSL' if name == 'library' else None
        return pgconn.ssl_attribute(name)

    @property
    def ssl_attribute_names(self):
        # libpq 17's PQsslAttributeNames for OpenSSL, which lists them whether TLS is in use
        # or not ('alpn' is new in 17).
        return ['library', 'key_bits', 'cipher', 'compression', 'protocol', 'alpn']
