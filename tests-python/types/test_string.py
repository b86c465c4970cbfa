"""Text: the text types cast to str, the str literal and QuotedString (types/string.py), and
the client encodings and server settings text crosses with.

Expected values were taken from psycopg2 2.9.10 run against the same server.
"""
import pytest

import psycopg2
import psycopg2.extensions as ext
from psycopg2.extensions import QuotedString

from _helpers import check_mogrify, check_select


# -- casting ----------------------------------------------------------------------------------

def test_strings(cur):
    check_select(cur, [
        ("'abc'::text", 'abc', str), ("'x'::varchar(10)", 'x', str),
        ("'c'::char(3)", 'c  ', str),                    # bpchar keeps its padding
        ("'ab'::bpchar", 'ab', str),
        ("'relname'::name", 'relname', str),
        ("'x'::\"char\"", 'x', str),
        ("'unknown literal'", 'unknown literal', str),
        ("''::text", '', str),
        ("'with\ttab\nand newline'::text", 'with\ttab\nand newline', str),
    ])


def test_non_ascii_text(cur):
    values = ['àéîõü', '日本語テキスト', '😀🐘', 'mixed é 中 😀']
    cur.execute('SELECT %s, %s, %s, %s', values)
    assert list(cur.fetchone()) == values
    cur.execute("SELECT length(%s), octet_length(%s)", ('😀🐘', '😀🐘'))
    assert cur.fetchone() == (2, 8)


# -- adapting ---------------------------------------------------------------------------------

def test_str(cur):
    check_mogrify(cur, [
        ('', b"''"),
        ("it's", b"'it''s'"),
        ("'", b"''''"),
        ('a\\b', b"'a\\b'"),            # standard_conforming_strings: no doubling
        ('tab\tnl\n', b"'tab\tnl\n'"),
        ('é€😀', "'é€😀'".encode('utf8')),
    ])


def test_str_with_nul(cur):
    with pytest.raises(ValueError) as info:
        cur.mogrify('%s', ('a\x00b',))
    assert type(info.value) is ValueError
    assert str(info.value) == 'A string literal cannot contain NUL (0x00) characters.'


def test_quoted_string(conn):
    q = QuotedString("it's")
    assert q.encoding == 'latin1'
    assert q.getquoted() == b"'it''s'"
    assert QuotedString(b"it's").getquoted() == b"'it''s'"
    q = QuotedString('é')
    q.prepare(conn)
    assert q.encoding == 'utf_8'
    assert q.getquoted() == b"'\xc3\xa9'"
    conn.set_client_encoding('LATIN1')
    q = QuotedString('é')
    q.prepare(conn)
    assert q.encoding == 'iso8859_1'
    assert q.getquoted() == b"'\xe9'"


# -- client encodings and server settings -----------------------------------------------------

def test_latin1_client_encoding(conn):
    conn.set_client_encoding('LATIN1')
    assert conn.encoding == 'LATIN1'
    cur = conn.cursor()
    cur.execute("SELECT %s, 'àé', octet_length(%s::text)", ('àé', 'àé'))
    assert cur.fetchone() == ('àé', 'àé', 4)     # the server stores UTF8: 4 bytes
    cur.execute('SHOW client_encoding')
    assert cur.fetchone() == ('LATIN1',)
    conn.set_client_encoding('UTF8')
    assert conn.encoding == 'UTF8'


def test_client_encoding_names(conn):
    # psycopg2 keeps the name cleaned of punctuation, as it sent it, not the server's.
    cur = conn.cursor()
    for name, expected, server in [('latin1', 'LATIN1', 'LATIN1'), ('utf-8', 'UTF8', 'UTF8'),
                                   ('iso-8859-1', 'ISO88591', 'LATIN1'),
                                   ('Win1252', 'WIN1252', 'WIN1252'),
                                   ('sql_ascii', 'SQLASCII', 'SQL_ASCII'),
                                   ('koi8', 'KOI8', 'KOI8R'), ('EUC_JP', 'EUCJP', 'EUC_JP')]:
        conn.set_client_encoding(name)
        assert conn.encoding == expected, name
        cur.execute('SHOW client_encoding')
        assert cur.fetchone()[0] == server, name
        conn.rollback()


def test_client_encoding_unknown(conn):
    conn.cursor().execute('SELECT 1')
    with pytest.raises(psycopg2.errors.InvalidParameterValue) as info:
        conn.set_client_encoding('nosuch')
    assert str(info.value) == 'invalid value for parameter "client_encoding": "NOSUCH"\n'
    assert conn.encoding == 'UTF8'
    assert conn.status == ext.STATUS_READY      # rolled back before the SET


def test_client_encoding_unchanged_sends_nothing(conn):
    conn.cursor().execute('SELECT 1')
    conn.set_client_encoding('utf-8')           # the same: no rollback
    assert conn.status == ext.STATUS_BEGIN


def test_encodings_table():
    assert len(ext.encodings) == 92
    for name, codec in [('UTF8', 'utf_8'), ('UNICODE', 'utf_8'), ('LATIN1', 'iso8859_1'),
                        ('ISO_8859_1', 'iso8859_1'), ('ISO88591', 'iso8859_1'),
                        ('SQL_ASCII', 'ascii'), ('SQLASCII', 'ascii'), ('EUCJP', 'euc_jp'),
                        ('WIN1252', 'cp1252'), ('Windows950', 'cp950'), ('WINDOWS950', 'cp950'),
                        ('SHIFTJIS', 'cp932')]:
        assert ext.encodings[name] == codec, name


def test_latin1_connection(conn):
    conn.set_client_encoding('LATIN1')
    cur = conn.cursor()
    assert cur.mogrify('%s', ('é',)) == b"'\xe9'"
    with pytest.raises(UnicodeEncodeError):
        cur.mogrify('%s', ('€',))


def test_standard_conforming_strings_off_at_connect(connect):
    # psycopg2 then writes every string with E'' and doubles the backslashes.
    conn = connect(options='-c standard_conforming_strings=off')
    assert conn.get_parameter_status('standard_conforming_strings') == 'off'
    cur = conn.cursor()
    assert cur.mogrify('%s %s %s', ('a\\b', b'x', "it's")) == \
        b"E'a\\\\b' E'\\\\x78'::bytea E'it''s'"
    cur.execute('SELECT %s, %s', ('a\\b', b'\\'))
    text, data = cur.fetchone()
    assert text == 'a\\b'
    assert data.tobytes() == b'\\'


def test_standard_conforming_strings_turned_off(conn):
    # E'' is decided at connection time, the escaping follows the live setting (as libpq's).
    cur = conn.cursor()
    cur.execute('SET standard_conforming_strings TO off')
    assert cur.mogrify('%s %s', ('a\\b', b'x')) == b"'a\\\\b' '\\\\x78'::bytea"
    cur.execute('SELECT %s, %s', ('a\\b', b'\\'))
    text, data = cur.fetchone()
    assert text == 'a\\b'
    assert data.tobytes() == b'\\'
    cur.execute('RESET standard_conforming_strings')
    assert cur.mogrify('%s', ('a\\b',)) == b"'a\\b'"


def test_bytes_casters(conn):
    conn.set_client_encoding('UTF8')
    psycopg2.extensions.register_type(psycopg2.extensions.BYTES, conn)
    psycopg2.extensions.register_type(psycopg2.extensions.BYTESARRAY, conn)
    cur = conn.cursor()
    cur.execute("SELECT %s::text, '{a,b}'::text[], NULL::text", ('\u2603',))
    assert cur.fetchone() == ('\u2603'.encode('utf8'), [b'a', b'b'], None)
