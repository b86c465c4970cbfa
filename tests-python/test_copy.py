"""copy_from, copy_to and copy_expert against the server."""
import io

import pytest

import psycopg2


@pytest.fixture
def table(cur):
    cur.execute("CREATE TEMP TABLE copied (id int, name text)")
    return 'copied'


def test_copy_from_text_file_then_copy_to(cur, table):
    cur.copy_from(io.StringIO('1\tä\n2\t\\N\n'), table)
    assert cur.rowcount == 2
    assert cur.query == b"COPY \"copied\" FROM stdin WITH DELIMITER AS '\t' NULL AS '\\N'"
    out = io.StringIO()
    cur.copy_to(out, table, sep='|', null='-', columns=['name', 'id'])
    assert out.getvalue() == 'ä|1\n-|2\n'
    assert cur.rowcount == 2


def test_copy_expert_with_bytes_files(cur, table):
    cur.copy_expert("COPY copied FROM STDIN WITH (FORMAT csv)", io.BytesIO(b'1,"a,b"\n'))
    out = io.BytesIO()
    cur.copy_expert("COPY copied TO STDOUT WITH (FORMAT csv)", out)
    assert out.getvalue() == b'1,"a,b"\n'


def test_many_rows_in_small_reads(cur, table):
    data = ''.join('%d\tname %d\n' % (i, i) for i in range(20000))
    cur.copy_expert("COPY copied FROM STDIN", io.StringIO(data), size=100)
    assert cur.rowcount == 20000
    cur.execute("SELECT count(*), sum(id) FROM copied")
    assert cur.fetchone() == (20000, sum(range(20000)))


def test_bad_data_raises_the_server_error(cur, table):
    with pytest.raises(psycopg2.errors.InvalidTextRepresentation):
        cur.copy_from(io.StringIO('1\ta\nx\tb\n'), table)
    assert cur.rowcount == -1


def test_read_error_fails_the_copy(conn, cur, table):
    class Broken(io.TextIOBase):
        def read(self, size):
            raise ZeroDivisionError('boom')

    with pytest.raises(psycopg2.extensions.QueryCanceledError, match='ZeroDivisionError boom'):
        cur.copy_from(Broken(), table)
    conn.rollback()
    cur.execute("SELECT 1")
    assert cur.fetchone() == (1,)


def test_write_error_propagates_and_connection_stays_usable(conn, cur, table):
    cur.execute("INSERT INTO copied SELECT g, 'x' FROM generate_series(1, 5000) g")

    class Broken(io.TextIOBase):
        def write(self, data):
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        cur.copy_to(Broken(), table)
    cur.execute("SELECT count(*) FROM copied")
    assert cur.fetchone() == (5000,)


def test_execute_refuses_copy_with_psycopg2_messages(conn, cur, table):
    with pytest.raises(psycopg2.ProgrammingError, match=r"use the copy_to\(\) method"):
        cur.execute("COPY copied TO STDOUT")
    with pytest.raises(psycopg2.ProgrammingError, match=r"use the copy_from\(\) method"):
        cur.execute("COPY copied FROM STDIN")


def test_file_without_read_or_write_is_a_type_error(cur, table):
    with pytest.raises(TypeError):
        cur.copy_from(object(), table)
    with pytest.raises(TypeError):
        cur.copy_to(object(), table)
    with pytest.raises(TypeError):
        cur.copy_expert("COPY copied TO STDOUT", object())


def test_binary_file_on_disk_is_sent_from_its_position(cur, table, tmp_path):
    path = tmp_path / 'rows.tsv'
    path.write_bytes(b'skipped line\n' + b''.join(b'%d\tr\xc3\xa9 %d\n' % (i, i) for i in range(30000)))
    with open(path, 'rb') as f:
        f.readline()                            # the data starts after this line
        cur.copy_expert("COPY copied FROM STDIN", f)
        assert f.read() == b''                  # consumed, as a read loop would leave it
    assert cur.rowcount == 30000
    cur.execute("SELECT count(*), min(name) FROM copied")
    assert cur.fetchone() == (30000, 'ré 0')


def test_binary_file_with_bad_data_fails_cleanly(conn, cur, table, tmp_path):
    path = tmp_path / 'bad.tsv'
    path.write_bytes(b'1\ta\nnot-a-number\tb\n')
    with open(path, 'rb') as f, pytest.raises(psycopg2.errors.InvalidTextRepresentation):
        cur.copy_expert("COPY copied FROM STDIN", f)
    conn.rollback()
    cur.execute("SELECT 1")
    assert cur.fetchone() == (1,)
