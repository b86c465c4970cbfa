"""extensions.encrypt_password(): md5 and scram-sha-256 computed on the client, the server's
choice when no algorithm is given, and psycopg2's errors."""
import os

import pytest

import psycopg2
from psycopg2.extensions import encrypt_password

MD5 = 'md594839d658c28a357126f105b9cb14cfc'     # psycopg2's and libpq's value for this pair


def test_md5_needs_no_connection():
    assert encrypt_password('psycopg2', 'ashesh', algorithm='md5') == MD5
    assert encrypt_password(password=b'psycopg2', user=b'ashesh', algorithm='md5') == MD5


def test_scram_verifier(conn):
    verifier = encrypt_password('psycopg2', 'ashesh', conn.cursor(), 'scram-sha-256')
    assert verifier.startswith('SCRAM-SHA-256$4096:')
    assert verifier != encrypt_password('psycopg2', 'ashesh', conn, 'scram-sha-256'), 'salted'


def test_the_servers_algorithm_by_default(conn):
    cur = conn.cursor()
    cur.execute('SHOW password_encryption')
    server = cur.fetchone()[0]
    status = conn.status
    encrypted = encrypt_password('psycopg2', 'ashesh', conn)
    assert encrypted == MD5 if server == 'md5' else encrypted.startswith('SCRAM-SHA-256$')
    assert conn.status == status, 'asking the server opens no transaction'


def test_a_scram_verifier_logs_in(conn, dsn):
    user = os.environ.get('PGJVM_TEST_SCRAM_USER')
    if not user:
        pytest.skip('needs bin/test-postgres (a SCRAM user)')
    password = os.environ['PGJVM_TEST_SCRAM_PASSWORD']
    conn.autocommit = True
    conn.cursor().execute('ALTER ROLE %s PASSWORD %%s' % user,
                          (encrypt_password(password, user, conn, 'scram-sha-256'),))
    other = psycopg2.connect(dsn, user=user, password=password, sslmode='disable')
    assert other.info.user == user
    other.close()


def test_errors(conn):
    with pytest.raises(psycopg2.ProgrammingError, match='requires a connection or cursor'):
        encrypt_password('p', 'u', None, 'scram-sha-256')
    with pytest.raises(psycopg2.ProgrammingError,
                       match='^password encryption failed: unrecognized password encryption '
                             'algorithm "abc"\n$'):
        encrypt_password('p', 'u', conn, 'abc')
    with pytest.raises(TypeError):
        encrypt_password()
    with pytest.raises(TypeError):
        encrypt_password('p', 42, conn, 'md5')
    with pytest.raises(TypeError, match='the scope must be a connection or a cursor'):
        encrypt_password('p', 'u', 'wat', 'md5')
