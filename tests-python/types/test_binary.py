"""bytea: cast to memoryview, in hex and escape output; the literals of bytes, bytearray and
memoryview, and the Binary adapter (types/binary.py).

Expected values were taken from psycopg2 2.9.10 run against the same server.
"""
import psycopg2
from psycopg2.extensions import Binary

from _helpers import check_mogrify


# -- casting ----------------------------------------------------------------------------------

def test_bytea(cur):
    cur.execute("SELECT '\\x00ff27'::bytea, ''::bytea, %s", (bytes(range(256)),))
    small, empty, full = cur.fetchone()
    assert type(small) is memoryview
    assert small.tobytes() == b'\x00\xff\x27'
    assert empty.tobytes() == b''
    assert full.tobytes() == bytes(range(256))


def test_bytea_escape_output(cur):
    cur.execute("SET bytea_output TO escape")
    cur.execute("SELECT '\\x00ff5c27'::bytea")
    value = cur.fetchone()[0]
    assert type(value) is memoryview
    assert value.tobytes() == b'\x00\xff\\\''


# -- adapting ---------------------------------------------------------------------------------

def test_binary(cur):
    check_mogrify(cur, [
        (b"a'\\\x00", b"'\\x61275c00'::bytea"),
        (b'', b"'\\x'::bytea"),
        (bytearray(b'ab'), b"'\\x6162'::bytea"),
        (memoryview(b'ab'), b"'\\x6162'::bytea"),
    ])


def test_binary_adapter(conn):
    assert Binary(b"x'\x00").getquoted() == b"'x''\\000'::bytea"
    assert Binary(b'\x01\xff').getquoted() == b"'\\001\\377'::bytea"
    assert Binary(bytearray(b'ab')).getquoted() == b"'ab'::bytea"
    assert Binary(None).getquoted() == b'NULL'
    b = Binary(b'x')
    b.prepare(conn)                     # with a connection: the hex format
    assert b.getquoted() == b"'\\x78'::bytea"
    assert psycopg2.Binary is Binary
    assert b.adapted == b'x'


def test_round_trip_bytes(cur):
    data = bytes(range(256))
    cur.execute('SELECT %s, %s, %s', (data, bytearray(b'\x00\x01'), memoryview(b"'\\")))
    row = cur.fetchone()
    assert [type(v) for v in row] == [memoryview] * 3
    assert [v.tobytes() for v in row] == [data, b'\x00\x01', b"'\\"]
