"""Text from the server that the client encoding cannot decode is never replaced: as psycopg2,
the fetch of that row or the COPY into a text file raises the codec's UnicodeDecodeError, the
rows before it arrive, and the connection stays usable. A real server sends such bytes under
SQL_ASCII (psycopg2 decodes it as ASCII); a scripted one sends invalid UTF-8.
"""
import io
import struct

import pytest

import psycopg2
from fakeserver import command_complete, data_row, message, ready, row_description

ONE_COLUMN = row_description('x')
INVALID_UTF8 = b'caf\xe9'


def _copy_out(*rows):
    return (message(b'H', struct.pack('!bhh', 0, 1, 0))
            + b''.join(message(b'd', row) for row in rows) + message(b'c'))


def _connect_answering(fake_server, answer):
    """An autocommit connection to a server that answers the first query with ``answer``,
    then a second one as a sound server would (``_still_usable``)."""
    def script(peer):
        peer.handshake()
        peer.read_query()
        peer.send(answer)
        peer.read_query()
        peer.send(ONE_COLUMN + data_row('1') + command_complete('SELECT 1') + ready())
        peer.wait_for_close()

    conn = psycopg2.connect(fake_server(script).dsn())
    conn.autocommit = True
    return conn


def _still_usable(conn):
    cur = conn.cursor()
    cur.execute('SELECT 1')
    assert cur.fetchall() == [('1',)]


def test_fetching_a_row_of_invalid_utf8(fake_server):
    conn = _connect_answering(fake_server, ONE_COLUMN + data_row('ok') + data_row(INVALID_UTF8)
                              + data_row('after') + command_complete('SELECT 3') + ready())
    cur = conn.cursor()
    cur.execute('SELECT x')
    assert cur.fetchone() == ('ok',)
    with pytest.raises(UnicodeDecodeError) as info:
        cur.fetchone()
    assert info.value.encoding == 'utf-8'
    assert info.value.object == INVALID_UTF8
    assert info.value.start == 3
    assert cur.rownumber == 2                   # past the bad row, as psycopg2
    assert cur.fetchone() == ('after',)
    assert conn.closed == 0
    _still_usable(conn)
    conn.close()


def test_fetchall_over_a_row_of_invalid_utf8(fake_server):
    conn = _connect_answering(fake_server, ONE_COLUMN + data_row('ok') + data_row(INVALID_UTF8)
                              + command_complete('SELECT 2') + ready())
    cur = conn.cursor()
    cur.execute('SELECT x')
    with pytest.raises(UnicodeDecodeError):
        cur.fetchall()
    _still_usable(conn)
    conn.close()


def test_fetchall_over_a_bad_row_in_a_later_window(fake_server):
    # fetchall() converts a large result a window of rows at a time (cursor._WINDOW): a bad row
    # in the second window fails the fetch at that row, as in the first.
    count, bad = 40000, 20000
    rows = b''.join(data_row(INVALID_UTF8 if i == bad else str(i)) for i in range(count))
    conn = _connect_answering(fake_server, ONE_COLUMN + rows
                              + command_complete('SELECT %d' % count) + ready())
    cur = conn.cursor()
    cur.execute('SELECT x')
    with pytest.raises(UnicodeDecodeError) as info:
        cur.fetchall()
    assert info.value.object == INVALID_UTF8
    assert cur.rownumber == bad + 1
    rest = cur.fetchall()
    assert len(rest) == count - bad - 1
    assert rest[0] == (str(bad + 1),) and rest[-1] == (str(count - 1),)
    cur.scroll(0, 'absolute')
    first = cur.fetchmany(bad)
    assert len(first) == bad and first[-1] == (str(bad - 1),)
    _still_usable(conn)
    conn.close()


@pytest.mark.parametrize('into', ['text file', 'binary file'])
def test_copy_to_of_a_row_of_invalid_utf8(fake_server, into):
    conn = _connect_answering(fake_server, _copy_out(b'1\n', INVALID_UTF8 + b'\n', b'3\n')
                              + command_complete('COPY 3') + ready())
    cur = conn.cursor()
    if into == 'binary file':
        out = io.BytesIO()
        cur.copy_expert('COPY t TO STDOUT', out)
        assert out.getvalue() == b'1\n' + INVALID_UTF8 + b'\n3\n'     # the bytes, untouched
    else:
        out = io.StringIO()
        with pytest.raises(UnicodeDecodeError) as info:
            cur.copy_expert('COPY t TO STDOUT', out)
        assert info.value.object == INVALID_UTF8 + b'\n'
        assert out.getvalue() == '1\n'                  # the rows before it, not a U+FFFD
    assert conn.closed == 0
    _still_usable(conn)
    conn.close()


# -- a real server, SQL_ASCII ---------------------------------------------------------------

NON_ASCII_ROWS = "SELECT 'abc' UNION ALL SELECT 'caf' || chr(233) UNION ALL SELECT 'x'"


@pytest.fixture
def sql_ascii(conn):
    conn.set_client_encoding('SQL_ASCII')
    return conn


def test_sql_ascii_text_outside_ascii_is_not_decoded(sql_ascii):
    cur = sql_ascii.cursor()
    cur.execute(NON_ASCII_ROWS)
    assert cur.fetchone() == ('abc',)
    with pytest.raises(UnicodeDecodeError) as info:
        cur.fetchone()
    assert info.value.encoding == 'ascii'
    assert info.value.object == 'café'.encode('utf-8')    # the server's bytes (a UTF8 database)
    assert info.value.start == 3
    assert cur.fetchone() == ('x',)
    cur.execute('SELECT 1')
    assert cur.fetchone() == (1,)


def test_sql_ascii_non_text_columns_still_decode(sql_ascii):
    cur = sql_ascii.cursor()
    cur.execute("SELECT 42, 'caf'::bytea || '\\xe9'::bytea, 'plain'")
    number, data, text = cur.fetchone()
    assert (number, bytes(data), text) == (42, b'caf\xe9', 'plain')


def test_sql_ascii_copy_to_a_text_file(sql_ascii):
    cur = sql_ascii.cursor()
    out = io.StringIO()
    with pytest.raises(UnicodeDecodeError) as info:
        cur.copy_expert('COPY (%s) TO STDOUT' % NON_ASCII_ROWS, out)
    assert info.value.encoding == 'ascii'
    assert info.value.object == 'café\n'.encode('utf-8')
    assert out.getvalue() == 'abc\n'
    cur.execute('SELECT 1')
    assert cur.fetchone() == (1,)
    raw = io.BytesIO()
    cur.copy_expert('COPY (%s) TO STDOUT' % NON_ASCII_ROWS, raw)
    assert raw.getvalue() == 'abc\ncafé\nx\n'.encode('utf-8')


def test_a_nul_in_a_text_shifts_no_value(fake_server):
    # No PostgreSQL text holds a NUL byte, and the rows cross the boundary as one string per
    # column with NUL between values (see ColumnWindow.java): a broken server's NUL must still
    # stay inside its own value, the rows after it whole.
    conn = _connect_answering(fake_server, ONE_COLUMN + data_row(b'a\x00b') + data_row(None)
                              + data_row('\U0001f600') + command_complete('SELECT 3') + ready())
    cur = conn.cursor()
    cur.execute('SELECT x')
    assert cur.fetchall() == [('a\x00b',), (None,), ('\U0001f600',)]
    _still_usable(conn)
