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
    assert info.ssl_in_use is False


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
    with pytest.raises(psycopg2.InterfaceError):
        info.dbname
