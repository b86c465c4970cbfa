"""extensions.encrypt_password(): a password's encrypted form, made on the client (libpq's
PQencryptPassword/PQencryptPasswordConn), so that ALTER ROLE never carries the clear text."""
from . import pq
from .compat import raise_from, text_type
from .connection import connection
from .cursor import cursor
from .exceptions import ProgrammingError


def _text(value):
    if isinstance(value, text_type):
        return value
    if isinstance(value, bytes):
        return value.decode('utf-8')
    raise TypeError("Expected bytes or unicode string, got %s instead" % type(value).__name__)


def encrypt_password(password, user, scope=None, algorithm=None):
    """The encrypted password for ``user``: with ``algorithm`` 'md5' or 'scram-sha-256', or,
    when None, the one the server's password_encryption names (asked through ``scope``, a
    connection or a cursor)."""
    conn = None
    if scope is not None:
        if isinstance(scope, cursor):
            conn = scope.connection
        elif isinstance(scope, connection):
            conn = scope
        else:
            raise TypeError("the scope must be a connection or a cursor")
    user = _text(user)
    password = _text(password)
    if algorithm is not None:
        algorithm = _text(algorithm)
    if algorithm != 'md5':
        if conn is None:
            raise ProgrammingError("password encryption (other than 'md5' algorithm)"
                                   " requires a connection or cursor")
        if algorithm is None:
            algorithm = _server_algorithm(conn)
    try:
        return pq.encrypt_password(password, user, algorithm)
    except ValueError as e:
        raise_from(ProgrammingError("password encryption failed: %s" % e), None)


def _server_algorithm(conn):
    # As libpq asks it: a plain SHOW outside the connection's transaction management; the
    # old boolean values of the setting mean md5.
    with conn._lock:
        conn._check()
        result = conn._run(b'SHOW password_encryption')
    result.set_kinds(pq.KIND_TEXT)
    value = result.rows(0, 1)[0][0]
    return 'md5' if value in ('on', 'off') else value
