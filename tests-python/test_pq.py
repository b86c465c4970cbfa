"""psycopg2._impl.pq alone, against the real server: the boundary hands out Python values and
raises psycopg2's exceptions, never Java objects or Java exceptions."""
import os

import pytest

import psycopg2
from psycopg2._impl import pq


@pytest.fixture
def pgconn():
    conn = pq.PGconn.connect('', {k: v for k, v in os.environ.items() if k.startswith('PG')})
    yield conn
    conn.close()


def test_exec_gives_python_values(pgconn):
    result = pgconn.exec_(b"SELECT 1::int8 AS a, 'x'::text AS b, NULL::int4 AS c")
    assert result.status == 'TUPLES_OK'
    assert result.command_tag == 'SELECT 1'
    assert result.ntuples == 1
    assert result.columns() == [('a', 20, 0, 0, 8, -1), ('b', 25, 0, 0, -1, -1),
                                ('c', 23, 0, 0, 4, -1)]
    result.set_kinds(pq.KIND_INT + pq.KIND_TEXT + pq.KIND_INT)
    rows = result.rows(0, 1)
    assert rows == [(1, 'x', None)]
    assert type(rows[0]) is tuple and type(rows[0][0]) is int and type(rows[0][1]) is str
    # The real None, not Java's null (which pickle and dict lookups do not know).
    assert rows[0][2] is None and type(rows[0][2]) is type(None)
    assert type(result.rows(0, 1, mutable=True)[0]) is list


def test_bytea_comes_as_latin1_text(pgconn):
    result = pgconn.exec_(b"SELECT '\\x00ff41'::bytea")
    result.set_kinds(pq.KIND_BYTEA)
    assert result.rows(0, 1)[0][0].encode('latin-1') == b'\x00\xffA'


def test_column_windows_keep_every_value_and_every_null(pgconn):
    # Each column crosses as one string (see ColumnWindow.java): an empty text is not NULL,
    # the extremes of int8 and float8 survive, NULLs sit where they were, in any window.
    result = pgconn.exec_((
        "SELECT * FROM (VALUES "
        "(''::text, '-9223372036854775808'::int8, 'NaN'::float8, true, '\\x00'::bytea), "
        "(NULL, NULL, NULL, NULL, NULL), "
        "('a\u00e9\u20ac', 9223372036854775807, '-0'::float8, false, ''::bytea), "
        "('x', 0, '-Infinity', NULL, '\\x0000ff')) v").encode('utf-8'))
    result.set_kinds(pq.KIND_TEXT + pq.KIND_INT + pq.KIND_FLOAT + pq.KIND_BOOL + pq.KIND_BYTEA)
    rows = result.rows(0, 4)
    assert rows[0][:2] == ('', -9223372036854775808) and rows[0][2] != rows[0][2]
    assert rows[0][3:] == (True, '\x00')
    assert rows[1] == (None,) * 5
    assert rows[2] == ('a\u00e9\u20ac', 9223372036854775807, 0.0, False, '')
    assert str(rows[2][2]) == '-0.0'
    assert rows[3] == ('x', 0, float('-inf'), None, '\x00\x00\xff')
    assert [type(v) for v in rows[2]] == [str, int, float, bool, str]
    assert result.rows(1, 3) == rows[1:3]
    assert result.rows(4, 4) == [] and result.values(4, 4) == [[], [], [], [], []]
    assert result.values(0, 2)[3] == [True, None]


def test_rows_without_columns(pgconn):
    result = pgconn.exec_(b'SELECT FROM generate_series(1, 3)')
    result.set_kinds('')
    assert result.rows(0, 3) == [(), (), ()]
    assert result.rows(0, 2, mutable=True) == [[], []]


def test_command_results(pgconn):
    pgconn.exec_(b'CREATE TEMP TABLE pq_t (a int)')
    result = pgconn.exec_(b'INSERT INTO pq_t VALUES (1), (2)')
    assert (result.status, result.rowcount, result.oid, result.ntuples) == \
        ('COMMAND_OK', 2, 0, 0)


def test_server_error_is_the_sqlstate_class(pgconn):
    with pytest.raises(psycopg2.errors.UndefinedTable) as info:
        pgconn.exec_(b'SELECT * FROM pq_no_such_table')
    assert info.value.pgcode == '42P01'
    assert info.value.pgerror.startswith('ERROR:  relation "pq_no_such_table"')
    assert not pgconn.closed
    assert pgconn.transaction_status == 0


def test_undecodable_value_is_a_value_error(pgconn):
    result = pgconn.exec_(b"SELECT 'abc'::text")
    result.set_kinds(pq.KIND_INT)
    with pytest.raises(ValueError):
        result.rows(0, 1)


def test_copy_round_trip(pgconn):
    pgconn.exec_(b'CREATE TEMP TABLE pq_c (a int, b text)')
    assert pgconn.copy_start(b'COPY pq_c FROM STDIN') == 'in'
    pgconn.copy_write('1\tx\n')
    pgconn.copy_write(b'2\ty\n')
    assert pgconn.copy_end().rowcount == 2
    assert pgconn.copy_start(b'COPY pq_c TO STDOUT') == 'out'
    chunks = []
    while True:
        chunk = pgconn.copy_read(decode=False)
        if chunk is None:
            break
        chunks.append(chunk)
    assert b''.join(chunks) == b'1\tx\n2\ty\n'
    assert pgconn.copy_end().rowcount == 2
    assert pgconn.copy_start(b'SELECT 1') == 'none'
    assert pgconn.copy_end().status == 'TUPLES_OK'


def test_notices_and_notifies(pgconn):
    pgconn.exec_(b"LISTEN pq_chan; NOTIFY pq_chan, 'hi'")
    pid = pgconn.backend_pid
    assert pgconn.notifies() == [(pid, 'pq_chan', 'hi')]
    assert pgconn.notifies() == []
    pgconn.exec_(b"DO $$BEGIN RAISE NOTICE 'hello'; END$$")
    assert pgconn.notices() == ['NOTICE:  hello\n']


def test_session_state(pgconn):
    assert isinstance(pgconn.server_version, int) and pgconn.server_version >= 90000
    assert pgconn.protocol_version == 3
    assert pgconn.parameter_status('client_encoding') == 'UTF8'
    assert pgconn.parameter_status('no_such_parameter') is None
    params = pgconn.dsn_parameters()
    assert params['dbname'] == os.environ['PGDATABASE'] and 'password' not in params
    assert pgconn.port == os.environ['PGPORT']
    assert pgconn.fileno() > 2
    pgconn.exec_(b'BEGIN')
    assert pgconn.transaction_status == 2


def test_connect_failure_is_operational_error():
    with pytest.raises(psycopg2.OperationalError) as info:
        pq.PGconn.connect('host=127.0.0.1 port=1 connect_timeout=2', {})
    assert info.value.pgerror is None
    assert 'port 1 failed' in str(info.value)


def test_parse_conninfo():
    assert pq.parse_conninfo('dbname=a port=5') == {'dbname': 'a', 'port': '5'}
    with pytest.raises(psycopg2.ProgrammingError) as info:
        pq.parse_conninfo('dbname')
    assert str(info.value).startswith('invalid dsn: ')


def test_closed_connection(pgconn):
    pgconn.close()
    assert pgconn.closed
    with pytest.raises(psycopg2.OperationalError):
        pgconn.exec_(b'SELECT 1')
