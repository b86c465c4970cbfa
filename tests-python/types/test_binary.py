"""bytea: cast to memoryview, in hex and escape output; the literals of bytes, bytearray and
memoryview, and the Binary adapter (types/binary.py).

Expected values were taken from psycopg2 2.9.10 run against the same server.
"""
import pytest

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


def test_bytea_items_are_bytes(cur):
    # psycopg2's memoryview is of format 'c': its items are bytes of length 1.
    cur.execute('SELECT %s, %s::bytea', (bytearray(range(256)), Binary(b'x')))
    full, x = cur.fetchone()
    assert full.format == 'c'
    assert [ord(c) for c in full] == list(range(256))
    assert x[0] == b'x'
    assert x != b'x'                    # a memoryview of 'c' never equals bytes (as psycopg2)


def test_bytea_that_looks_like_hex(cur):
    # The bytes '\\xAB' themselves (java-core decodes them), not the hex form of b'\xab'.
    cur.execute("SELECT '\\x5c784142'::bytea, ARRAY['\\x5c784142'::bytea]")
    value, (item,) = cur.fetchone()
    assert value.tobytes() == b'\\xAB'
    assert item.tobytes() == b'\\xAB'


@pytest.mark.parametrize('text, expected', [
    ('\\x4142', b'AB'),
    ('\\x4a4B', b'JK'),
    ('\\x', b''),
    ('\\x41 42', b'AB'),             # psycopg2 skips what is not a hex digit ...
    ('\\x4g1', b'A'),
    ('\\x414', b'A'),                # ... and an odd last digit
    ('ab\\001\\\\c', b'ab\x01\\c'),   # the escape format
    ('a\\9b', b'a9b'),
    ('', b''),
    (b'\\x41', b'A'),                # bytes, as psycopg2 takes
])
def test_binary_caster_on_text_forms(text, expected):
    value = psycopg2.BINARY(text, None)
    assert type(value) is memoryview and value.format == 'c'
    assert value.tobytes() == expected


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
