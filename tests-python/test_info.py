"""connection.info (ConnectionInfo)."""
import os

import pytest

import psycopg2
from psycopg2 import extensions


def test_connection_info_fields(conn):
    info = conn.info
    assert isinstance(info, extensions.ConnectionInfo)
    assert info.dbname == os.environ['PGDATABASE']
    assert info.user == os.environ['PGUSER']
    assert info.host == os.environ['PGHOST']
    assert info.port == int(os.environ['PGPORT'])
    assert info.status == 0
    assert info.transaction_status == extensions.TRANSACTION_STATUS_IDLE
    assert info.protocol_version == 3
    assert info.server_version == conn.server_version
    assert info.backend_pid == conn.get_backend_pid()
    assert info.parameter_status('client_encoding') == 'UTF8'
    assert info.parameter_status('nosuch') is None
    assert info.error_message is None
    assert info.socket == conn.fileno() and info.socket > 0
    # The test server has TLS, and sslmode=prefer (the default) uses it over TCP.
    assert info.ssl_in_use is (not info.host.startswith('/'))


def test_info_follows_the_transaction(conn):
    conn.cursor().execute("select 1")
    assert conn.info.transaction_status == extensions.TRANSACTION_STATUS_INTRANS
    conn.rollback()
    assert conn.info.transaction_status == extensions.TRANSACTION_STATUS_IDLE


def test_info_of_closed_connection(dsn):
    conn = psycopg2.connect(dsn)
    info = conn.info
    conn.close()
    assert info.status == 1
    # psycopg2 frees the PGconn on close(): libpq then answers for a NULL one.
    assert (info.dbname, info.host, info.port, info.backend_pid) == (None, None, None, 0)
    assert info.transaction_status == extensions.TRANSACTION_STATUS_UNKNOWN
    assert info.socket == -1
    with pytest.raises(psycopg2.InterfaceError):
        info.dsn_parameters


class NeverConnected(extensions.connection):
    def __init__(self, *args, **kwargs):
        pass             # the base __init__ is not called


def test_info_of_a_connection_that_never_connected(dsn):
    conn = psycopg2.connect(dsn, connection_factory=NeverConnected)
    info = conn.info
    assert (info.dbname, info.user, info.password, info.options) == (None, None, None, None)
    assert (info.status, info.transaction_status, info.protocol_version) == (1, 4, 0)
    assert (info.server_version, info.backend_pid, info.socket) == (0, 0, -1)
    assert info.error_message == 'connection pointer is NULL\n'
    assert info.parameter_status('server_version') is None
    assert (info.needs_password, info.used_password, info.ssl_in_use) == (False, False, False)
    assert repr(conn).endswith("dsn: '<unintialized>', closed: 0>")
    conn.close()
    assert conn.closed == 1


def test_password_and_error_message(conn):
    assert conn.info.password == '', 'PQpass gives "" when no password was given'
    assert conn.info.error_message is None
    cur = conn.cursor()
    with pytest.raises(psycopg2.errors.UndefinedTable):
        cur.execute('SELECT * FROM no_such_table_here')
    assert 'no_such_table_here' in conn.info.error_message
    assert conn.info.error_message.startswith('ERROR:  ')
    conn.rollback()
    assert conn.info.error_message is None, 'cleared by the next statement'
