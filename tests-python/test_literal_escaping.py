"""String literals are escaped in the encoding they are sent in: no injection under any client
encoding the server offers, with standard_conforming_strings on or off.

What the server sees is checked on the server itself: each value is sent as a literal, and
also as a bytea of its bytes in the client encoding (hex digits only, which no encoding can
misread) that the server decodes with convert_from(); the two must be equal. A nonce chosen
per run in the same SELECT tells the real result from one a payload could forge, and a table
the payloads try to drop must survive.
"""
import random

import pytest

import psycopg2
import psycopg2.extensions as ext
from psycopg2._impl.escaping import escape_string, rules_for

# Every encoding the server offers to clients, less those without a Python codec on GraalPy
# (EUC_TW as in psycopg2; EUC_JIS_2004 and SHIFT_JIS_2004, whose codecs GraalPy 25 lacks: such
# a client_encoding is refused, see test_encoding_without_a_codec_is_refused) and MULE_INTERNAL,
# which a UTF8 database cannot convert to.
CLIENT_ENCODINGS = [
    'SQL_ASCII', 'UTF8', 'EUC_JP', 'EUC_CN', 'EUC_KR', 'LATIN1', 'LATIN2',
    'LATIN3', 'LATIN4', 'LATIN5', 'LATIN6', 'LATIN7', 'LATIN8', 'LATIN9', 'LATIN10', 'WIN1256',
    'WIN1258', 'WIN866', 'WIN874', 'KOI8R', 'WIN1251', 'WIN1252', 'ISO_8859_5', 'ISO_8859_6',
    'ISO_8859_7', 'ISO_8859_8', 'WIN1250', 'WIN1253', 'WIN1254', 'WIN1255', 'WIN1257', 'KOI8U',
    'SJIS', 'BIG5', 'GBK', 'UHC', 'GB18030', 'JOHAB',
]

PAYLOADS = [
    "'; DROP TABLE victim; --",
    "\\'; DROP TABLE victim; --",
    "\\\\'; DROP TABLE victim; --",
    "\u00a5'; DROP TABLE victim; --",          # YEN SIGN: 0x5C in some Japanese codecs
    "\u00a5\\'; DROP TABLE victim; --",
    "\u203e'; DROP TABLE victim; --",          # OVERLINE: 0x7E in JIS X 0201
    "\u20a9'; DROP TABLE victim; --",          # WON SIGN: 0x5C in some Korean codecs
    "\uff07'; DROP TABLE victim; --",          # FULLWIDTH APOSTROPHE
    "\uff3c'; DROP TABLE victim; --",          # FULLWIDTH REVERSE SOLIDUS
    "%s %(x)s %% '' \\\\ E'\\'' $$ $x$ --",
]

# Characters whose encoding has 0x5C or 0x27 after the first byte somewhere: 表 ソ 能 (Shift-JIS
# 0x5C trail bytes), 功 許 (Big5), 乗 (GBK), and some Hangul (UHC, Johab).
TRAIL_BYTE_CHARS = '\u8868\u30bd\u80fd\u529f\u8a31\u4e58\u5f0f\u5c07\uac5c\ub15c\ud15c'

ROUNDS = 12           # random strings per encoding and setting


def _codec(encoding):
    return ext.encodings[encoding]


def _alphabet(encoding, rng):
    """ASCII, the dangerous characters above and random characters from all of the BMP and
    beyond, kept when the client encoding's codec can write them and not as a NUL."""
    codec = _codec(encoding)
    pool = [chr(c) for c in range(1, 128)] + list(TRAIL_BYTE_CHARS)
    pool += [p[0] for p in PAYLOADS] + ['\u00a5', '\u203e', '\u20a9', '\uff07', '\uff3c']
    pool += [chr(rng.randrange(0x80, 0x3000)) for _ in range(300)]
    pool += [chr(rng.randrange(0x3000, 0xd800)) for _ in range(300)]
    pool += [chr(rng.randrange(0xe000, 0x110000)) for _ in range(100)]
    kept = []
    for ch in pool:
        try:
            data = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        if b'\x00' not in data:
            kept.append(ch)
    return kept


def _strings(encoding, rng):
    alphabet = _alphabet(encoding, rng)
    hostile = "'\\"
    codec = _codec(encoding)
    values = [p for p in PAYLOADS if _encodable(p, codec)]
    values += [ch + q for ch in TRAIL_BYTE_CHARS if _encodable(ch, codec) for q in hostile]
    for _ in range(ROUNDS):
        size = rng.randrange(1, 40)
        values.append(''.join(rng.choice(alphabet if rng.random() < 0.7 else hostile)
                              for _ in range(size)))
    return values


def _encodable(text, codec):
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize('encoding', CLIENT_ENCODINGS)
@pytest.mark.parametrize('standard_strings', ['on', 'off'])
def test_no_injection_and_exact_value(dsn, encoding, standard_strings):
    rng = random.Random('%s-%s' % (encoding, standard_strings))
    conn = psycopg2.connect(dsn)
    try:
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute('CREATE TEMPORARY TABLE victim (x int)')
        cur.execute('SET standard_conforming_strings TO %s' % standard_strings)
        # The most permissive setting: \' is accepted in every encoding.
        cur.execute('SET backslash_quote TO on')
        conn.set_client_encoding(encoding)
        codec = _codec(encoding)
        for value in _strings(encoding, rng):
            nonce = rng.randrange(1 << 30)
            sent = value.encode(codec)
            try:
                cur.execute('SELECT %s = convert_from(%s, %s), %s',
                            [value, psycopg2.Binary(sent), encoding, nonce])
            except psycopg2.errors.CharacterNotInRepertoire:
                # The server refuses some codec output as invalid (Python's johab writes
                # hanja that PostgreSQL's JOHAB does not take): the bytes alone must fail too.
                with pytest.raises(psycopg2.errors.CharacterNotInRepertoire):
                    cur.execute('SELECT convert_from(%s, %s)', [psycopg2.Binary(sent), encoding])
                continue
            assert cur.fetchall() == [(True, nonce)], (encoding, value, cur.query)
        assert _victim_survived(cur)
    finally:
        conn.close()


@pytest.mark.parametrize('encoding', ['SJIS', 'BIG5', 'GBK', 'UHC', 'EUC_JP'])
def test_default_backslash_quote_accepts_the_literals(conn, encoding):
    # backslash_quote=safe_encoding refuses \' in client-only encodings: a literal of ours
    # never has a backslash standing before a quote unescaped.
    conn.autocommit = True      # set_client_encoding() would roll the SET back
    cur = conn.cursor()
    cur.execute('SET standard_conforming_strings TO off')
    conn.set_client_encoding(encoding)
    codec = _codec(encoding)
    for ch in TRAIL_BYTE_CHARS + '\u00a5':
        if not _encodable(ch, codec):
            continue
        value = ch + "\\'" + ch + "'"
        cur.execute('SELECT %s = convert_from(%s, %s)',
                    [value, psycopg2.Binary(value.encode(codec)), encoding])
        assert cur.fetchone() == (True,)


def test_yen_sign_under_euc_jp_cannot_close_the_literal(conn):
    # The reported exploit: with scs off, U+00A5 written as byte 0x5C used to escape the
    # doubled quote after it and end the literal early.
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute('CREATE TEMPORARY TABLE victim (x int)')
    cur.execute('SET standard_conforming_strings TO off')
    conn.set_client_encoding('EUC_JP')
    payload = "\u00a5'; DROP TABLE victim; --"
    cur.execute('SELECT %s', [payload])
    # The server reads byte 0x5C as a backslash: the value comes back as psycopg2 gives it.
    assert cur.fetchall() == [(payload.encode('euc_jp').decode('euc_jp'),)]
    assert cur.query == b"SELECT '\\\\''; DROP TABLE victim; --'"
    assert _victim_survived(cur)


def _victim_survived(cur):
    cur.execute("SELECT count(*) FROM pg_class WHERE relname = 'victim' "
                "AND relnamespace = pg_my_temp_schema()")
    return cur.fetchone() == (1,)


@pytest.mark.parametrize('encoding', ['EUC_JIS_2004', 'SHIFT_JIS_2004'])
def test_encoding_without_a_codec_is_refused(conn, encoding):
    with pytest.raises(psycopg2.OperationalError, match='no Python encoding'):
        conn.set_client_encoding(encoding)


def test_encoding_the_database_cannot_convert_to_is_refused(conn):
    with pytest.raises(psycopg2.NotSupportedError):
        conn.set_client_encoding('MULE_INTERNAL')


def test_mogrify_escapes_the_encoded_bytes(conn):
    conn.autocommit = True
    cur = conn.cursor()
    conn.set_client_encoding('SJIS')
    # 0x95 0x5C is one character (表): its second byte is not a backslash to double.
    cur.execute('SET standard_conforming_strings TO off')
    assert cur.mogrify('SELECT %s', ['\u8868\\']) == b"SELECT '\x95\\\\\\'"
    assert cur.mogrify('SELECT %s', ['\u8868\'']) == b"SELECT '\x95\\'''"


def test_characters_the_codec_lacks_raise_unicode_encode_error(conn):
    cur = conn.cursor()
    conn.set_client_encoding('LATIN1')
    with pytest.raises(UnicodeEncodeError):
        cur.execute('SELECT %s', ['\u20ac'])
    with pytest.raises(UnicodeEncodeError):
        cur.execute('SELECT \'\u20ac\'')
    cur.execute('SELECT %s', ['\u00e9'])
    assert cur.fetchone() == ('\u00e9',)


def test_client_encoding_set_by_a_plain_statement_is_followed(conn):
    # libpq escapes by the client_encoding the server reports, however it was set.
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute('SET standard_conforming_strings TO off')
    cur.execute("SET client_encoding TO 'SJIS'")
    assert conn._literal_rules.encoding == 'SJIS'
    cur.execute('RESET client_encoding')
    assert conn._literal_rules.encoding == 'UTF8'


# -- the scanner on its own, byte by byte ---------------------------------------------------

@pytest.mark.parametrize('encoding, data, expected', [
    ('SJIS', b"\x95\\'", b"\x95\\''"),                  # trail 0x5C kept, quote doubled
    ('SJIS', b"\xb1\\'", b"\xb1\\\\''"),                # half-width kana: one byte
    ('BIG5', b"\xa5\\\\", b"\xa5\\\\\\"),               # trail kept, lone backslash doubled
    ('GBK', b"a'\x81'", b"a''\x81'"),                   # 0x81 0x27 read as one character
    ('GB18030', b"\x81\x30\x81\x30\\", b"\x81\x30\x81\x30\\\\"),
    ('JOHAB', b"\x8f\\\\\\", b"\x8f\\\\\\\\"),          # 0x8F takes three bytes
    ('UTF8', b"\xc3\xa9'\\", b"\xc3\xa9''\\\\"),
    ('EUC_JP', b"\\'", b"\\\\''"),
])
def test_scanner_doubles_only_lone_bytes(encoding, data, expected):
    assert escape_string(data, rules_for(encoding), False) == expected


def test_scanner_leaves_backslashes_alone_with_standard_strings():
    assert escape_string(b"\x95\\'\\", rules_for('SJIS'), True) == b"\x95\\''\\"
    assert escape_string(b"a\\b", rules_for('UTF8'), True) == b"a\\b"
    assert escape_string(b"a\\b'", None, True) == b"a\\b''"


# -- and back: results are decoded as the connection's Python codec decodes -----------------

@pytest.mark.parametrize('encoding', CLIENT_ENCODINGS)
def test_results_decode_as_the_python_codec_does(dsn, encoding):
    # The server's own bytes for each value (convert_to) decoded by the Python codec must equal
    # the text the driver hands out, so that a value reads back as psycopg2 reads it.
    rng = random.Random('decode-%s' % encoding)
    conn = psycopg2.connect(dsn)
    try:
        conn.autocommit = True
        conn.set_client_encoding(encoding)
        codec = _codec(encoding)
        cur = conn.cursor()
        for value in _strings(encoding, rng):
            try:
                cur.execute('SELECT %s::text, convert_to(%s, %s)', [value, value, encoding])
            except psycopg2.errors.CharacterNotInRepertoire:
                continue        # bytes the server refuses, see above
            text, raw = cur.fetchone()
            assert text == bytes(raw).decode(codec), (encoding, value)
    finally:
        conn.close()
