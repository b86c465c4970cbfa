"""Fixtures for the tests of the psycopg2 package; they run on GraalPy through bin/pg-python,
against the real PostgreSQL that PG* in the environment names (bin/run-tests sets it)."""
import os

import pytest

import psycopg2
import psycopg2.extensions as ext

# The helpers the tests share (_helpers.py) assert too: their failures get
# pytest's explanations.
pytest.register_assert_rewrite('_helpers')


@pytest.fixture(scope='session')
def dsn():
    """The test database: PGJVM_TEST_DSN, else libpq's PG* defaults (an empty DSN)."""
    return os.environ.get('PGJVM_TEST_DSN', '')


@pytest.fixture
def conn(dsn):
    connection = psycopg2.connect(dsn)
    yield connection
    connection.close()


@pytest.fixture
def cur(conn):
    with conn.cursor() as cursor:
        yield cursor


@pytest.fixture
def connect(dsn):
    """A factory of connections that are all closed at the end of the test."""
    opened = []

    def factory(*args, **kwargs):
        if not args and 'dsn' not in kwargs:
            args = (dsn,)
        connection = psycopg2.connect(*args, **kwargs)
        opened.append(connection)
        return connection

    yield factory
    for connection in opened:
        connection.close()


@pytest.fixture
def restore_types():
    """Undo the global registrations (string_types and adapters) a test makes."""
    casts = ext.string_types.copy()
    adapters = ext.adapters.copy()
    yield
    ext.string_types.clear()
    ext.string_types.update(casts)
    ext.adapters.clear()
    ext.adapters.update(adapters)


@pytest.fixture
def fake_server():
    """A factory of scripted servers (fakeserver.FakeServer), all closed at the end; a script
    that failed fails the test."""
    from fakeserver import FakeServer
    servers = []

    def factory(script, **kwargs):
        server = FakeServer(script, **kwargs)
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.close()
    for server in servers:
        assert not server.errors, server.errors
