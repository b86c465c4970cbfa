"""Seeded random values go to the server and come back unchanged, by every road a value takes:
``execute("SELECT %s")``, ``executemany`` into a table, ``extras.execute_values`` (also with
``fetch``), and COPY (``copy_from`` then ``copy_to``, text columns, escaped as COPY's text
format wants).

Every row carries a nonce drawn per test, which the test checks beside the value: a value that
broke out of its literal could change the row, but not guess the nonce; and a table the
payloads name must survive. Floats are compared by repr and sign (so -0.0 and the infinities
too), NaN by isnan; other values by == and by type.

Strings and bytes go by every road under every client encoding the server offers, with
standard_conforming_strings on and off: as parameters, in a text[], through sql.Literal,
executemany (positional and named), execute_values, read back by a server-side cursor, and
COPY with text and with byte files. The text is made of characters that the encoding's Python
codec writes and reads back and that the server takes in that encoding (asked once per test).

What comes back is what psycopg2 2.9.13 gives for the same values (learned from
psycopg2-binary on CPython): a date/time 'infinity' from the server is the type's max (min for
'-infinity'); Decimal infinities and sNaN are sent as 'NaN'; -0.0 keeps its sign when cast to
float8 in the query, not when stored through a numeric literal in a float8 column (nor in an
ARRAY[...], whose literals are numeric first).
"""
import datetime as dt
import decimal
import io
import math
import random
import struct

import pytest

import psycopg2
import psycopg2.extensions as ext
import psycopg2.extras
from psycopg2 import sql

D = decimal.Decimal
SEED = 20261205
PER_ENCODING = 14       # random strings per client encoding and setting


# -- comparing ------------------------------------------------------------------------------

def same(expected, got):
    """Whether ``got`` is exactly ``expected``: floats by repr (NaN by isnan), bytes from a
    memoryview, lists element by element, everything else by type and ==."""
    if isinstance(expected, float):
        if not isinstance(got, float):
            return False
        if math.isnan(expected):
            return math.isnan(got)
        return repr(got) == repr(expected) and math.copysign(1, got) == math.copysign(1, expected)
    if isinstance(expected, D):
        if type(got) is not D:
            return False
        return got.is_nan() if expected.is_nan() else got == expected
    if isinstance(expected, bytes):
        return isinstance(got, memoryview) and bytes(got) == expected
    if isinstance(expected, list):
        return (isinstance(got, list) and len(got) == len(expected)
                and all(same(e, g) for e, g in zip(expected, got)))
    if isinstance(expected, dt.datetime) and expected.tzinfo is not None:
        # timestamptz comes back in the session's time zone: the same instant.
        return type(got) is dt.datetime and got.tzinfo is not None and got == expected
    return type(got) is type(expected) and got == expected


def check_rows(expected, rows, nonce):
    """rows: (id, nonce, value) ordered by id, for expected[id]."""
    assert [r[0] for r in rows] == list(range(len(expected)))
    assert all(r[1] == nonce for r in rows), rows
    bad = [(e, r[2]) for e, r in zip(expected, rows) if not same(e, r[2])]
    assert not bad, bad[:5]


# -- values, drawn from one seeded generator --------------------------------------------------

def _text(rng, alphabet, size):
    return ''.join(rng.choice(alphabet) for _ in range(size))


# Characters of every kind: ASCII controls but NUL, the quotes, backslash, %, $$, a non-BMP
# emoji, combining marks, right-to-left text and marks, noncharacters near U+FFFF, the BOM.
SPECIAL = (
    [chr(c) for c in range(1, 32)] + ['\x7f', "'", '"', '\\', '%', '$', '$$', '%s', '%(x)s',
                                        '--', '/*', '*/', ';', '{', '}', ',', 'NULL', '\\N']
    + ['\U0001f600', '\U0001f468\u200d\U0001f469', 'e\u0301', '\u0301', '\u20dd',
       '\u05d0\u05d1', '\u0627\u0644', '\u200f', '\u202e', '\u2066', '\ufeff', '\ufffd',
       '\ufffe', '\uffff', '\U0010fffd', '\U0010ffff', '\u00a0', '\u2028', '\u3000'])


def unicode_strings(rng, count):
    pool = SPECIAL + [chr(rng.randrange(0x80, 0xd800)) for _ in range(200)]
    pool += [chr(rng.randrange(0xe000, 0x110000)) for _ in range(100)]
    values = ['', ' ', "'", "''", '\\', "\\'", '$$', '%', '%%s', "'; DROP TABLE victim; --"]
    values += [_text(rng, pool, rng.randrange(1, 30)) for _ in range(count)]
    return values


def byte_strings(rng, count):
    values = [b'', bytes(range(256)), bytes(range(255, -1, -1)), b'\x00', b"\\'\x00'",
              b'\\x41']
    values += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
               for _ in range(count)]
    return values


INT_EDGES = [0, 1, -1, 2**31 - 1, -2**31, 2**31, -2**31 - 1, 2**63 - 1, -2**63]
BIG_INTS = [2**63, -2**63 - 1, 2**64, -2**64, 10**40, -10**40, 10**1000 + 7]


def ints(rng, count):
    return INT_EDGES + [rng.randrange(-2**63, 2**63) for _ in range(count)]


def big_ints(rng, count):
    return BIG_INTS + [rng.randrange(-10**60, 10**60) for _ in range(count)]


FLOAT_EDGES = [0.0, -0.0, float('inf'), float('-inf'), float('nan'), 5e-324, -5e-324,
               2.2250738585072009e-308, 2.2250738585072014e-308, 1.7976931348623157e+308,
               -1.7976931348623157e+308, 0.1, 1 / 3, 2.0**53 + 2, 1e22, 1e23]


def floats(rng, count):
    values = list(FLOAT_EDGES)
    while len(values) < len(FLOAT_EDGES) + count:
        bits = rng.getrandbits(64)
        if rng.random() < 0.2:          # subnormals: exponent field 0
            bits &= 0x800fffffffffffff
        value = struct.unpack('>d', struct.pack('>Q', bits))[0]
        if not math.isnan(value) and not math.isinf(value):
            values.append(value)
    return values


DECIMAL_EDGES = [D('0'), D('-0'), D('0.000'), D('1.2300'), D('-1.5'), D('NaN'), D('1E+1000'),
                 D('-1E+1000'), D('1E-1000'), D('123456789012345678901234567890.0123456789'),
                 D('9' * 300), D('0.' + '0' * 500 + '1')]
# psycopg2 sends these as 'NaN'::numeric.
DECIMAL_AS_NAN = [D('Infinity'), D('-Infinity'), D('sNaN')]


def decimals(rng, count):
    values = list(DECIMAL_EDGES)
    for _ in range(count):
        digits = ''.join(rng.choice('0123456789') for _ in range(rng.randrange(1, 40)))
        sign = rng.choice(['', '-'])
        values.append(D('%s%sE%d' % (sign, digits, rng.randrange(-300, 300))))
    return values


def dates(rng, count):
    values = [dt.date.min, dt.date.max, dt.date(1970, 1, 1), dt.date(2000, 2, 29)]
    return values + [dt.date.fromordinal(rng.randrange(1, dt.date.max.toordinal() + 1))
                     for _ in range(count)]


def _time(rng):
    return dt.time(rng.randrange(24), rng.randrange(60), rng.randrange(60),
                   rng.choice([0, rng.randrange(1000000)]))


def times(rng, count):
    return [dt.time.min, dt.time.max, dt.time(12)] + [_time(rng) for _ in range(count)]


def timestamps(rng, count):
    values = [dt.datetime.min, dt.datetime.max, dt.datetime(1970, 1, 1)]
    return values + [dt.datetime.combine(dates(rng, 1)[-1], _time(rng)) for _ in range(count)]


def timestamptzs(rng, count):
    utc = dt.timezone.utc
    values = [dt.datetime(1, 1, 2, tzinfo=utc), dt.datetime(9999, 12, 30, 23, 59, 59, 999999,
                                                            tzinfo=utc)]
    for _ in range(count):
        offset = dt.timedelta(seconds=rng.randrange(-15 * 3600, 15 * 3600 + 1))
        day = dt.date.fromordinal(rng.randrange(2, dt.date.max.toordinal()))
        values.append(dt.datetime.combine(day, _time(rng), dt.timezone(offset)))
    return values


def intervals(rng, count):
    values = [dt.timedelta(0), dt.timedelta(days=-1, microseconds=1),
              dt.timedelta(days=999999999, hours=23)]
    return values + [dt.timedelta(days=rng.randrange(-10**6, 10**6),
                                  microseconds=rng.randrange(86400 * 10**6))
                     for _ in range(count)]


def int_arrays(rng, count):
    values = [[], [None], [1, None, 3], [[1, None], [None, 2]], [[[1]], [[None]]],
              [2**63 - 1, -2**63]]
    for _ in range(count):
        rows, cols = rng.randrange(1, 4), rng.randrange(1, 4)
        cell = (lambda: None if rng.random() < 0.2 else rng.randrange(-2**63, 2**63))
        values.append([cell() for _ in range(cols)] if rng.random() < 0.5
                      else [[cell() for _ in range(cols)] for _ in range(rows)])
    return values


def text_arrays(rng, count):
    values = [['NULL', None, 'null', '', '""', '{}', ',', '\\', '"', "'", ' a ', '\t\n']]
    pool = SPECIAL + ['a', 'b', ' ']
    for _ in range(count):
        rows, cols = rng.randrange(1, 4), rng.randrange(1, 4)
        cell = (lambda: None if rng.random() < 0.2 else _text(rng, pool, rng.randrange(0, 8)))
        values.append([cell() for _ in range(cols)] if rng.random() < 0.5
                      else [[cell() for _ in range(cols)] for _ in range(rows)])
    return values


def float_arrays(rng, count):
    # In an ARRAY[...] the literals are numeric first, so -0.0 comes back 0.0 (as psycopg2's).
    values = [[float('nan'), None, float('inf'), float('-inf'), 5e-324]]
    for _ in range(count):
        values.append([None if rng.random() < 0.2 else v
                       for v in floats(rng, 3)[-3:]])
    return values


def bytea_arrays(rng, count):
    return [[b'', None, bytes(range(256))]] + [
        [None if rng.random() < 0.2 else v for v in byte_strings(rng, 2)[-2:]]
        for _ in range(count)]


def date_arrays(rng, count):
    return [[None, dt.date.max, dt.date.min]] + [
        [None if rng.random() < 0.2 else v for v in dates(rng, 3)[-3:]] for _ in range(count)]


def _array_of(make, empty=True):
    """Arrays of the values ``make`` draws, with NULLs, flat or 2-D; '{}' first."""
    def arrays(rng, count):
        values = [[]] if empty else []
        for _ in range(count):
            cells = [None if rng.random() < 0.2 else v for v in make(rng, 4)[-4:]]
            values.append(cells if rng.random() < 0.5 else [cells[:2], cells[2:]])
        return values
    return arrays


# name: (SQL type, generator of values)
TYPES = {
    'text': ('text', unicode_strings),
    'bytea': ('bytea', byte_strings),
    'int8': ('int8', ints),
    'numeric_int': ('numeric', big_ints),
    'float8': ('float8', floats),
    'numeric': ('numeric', decimals),
    'date': ('date', dates),
    'time': ('time', times),
    'timestamp': ('timestamp', timestamps),
    'timestamptz': ('timestamptz', timestamptzs),
    'interval': ('interval', intervals),
    'int8_array': ('int8[]', int_arrays),
    'text_array': ('text[]', text_arrays),
    'float8_array': ('float8[]', float_arrays),
    'bytea_array': ('bytea[]', bytea_arrays),
    'date_array': ('date[]', date_arrays),
    'numeric_array': ('numeric[]', _array_of(decimals)),
    'timestamptz_array': ('timestamptz[]', _array_of(timestamptzs)),
    'interval_array': ('interval[]', _array_of(intervals)),
    'time_array': ('time[]', _array_of(times)),
}
COUNT = 25


def _expected_for(kind, value, stored):
    """What psycopg2 gives back: ints above int8 from numeric are Decimals, as are the
    integers a numeric column holds; -0.0 loses its sign when stored through a literal."""
    if kind == 'numeric_int':
        return D(value)
    if kind == 'float8' and stored and value == 0.0:
        return 0.0
    return value


def _cast(sqltype):
    """A placeholder cast to the type. CAST(), as ``-9223372036854775808::int8`` would cast
    before negating and overflow; but ``%s::float8`` for floats, so that -0.0 is negated as a
    float8 (through CAST it would be a numeric first, where zero has no sign)."""
    if sqltype.startswith('float8'):
        return '%%s::%s' % sqltype
    return 'CAST(%%s AS %s)' % sqltype


def _values(kind):
    rng = random.Random('%s-%s' % (SEED, kind))
    return TYPES[kind][1](rng, COUNT)


@pytest.fixture
def session(conn):
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SET TimeZone TO 'Asia/Kathmandu'")        # +05:45, not a whole hour
    return cur


@pytest.mark.parametrize('kind', list(TYPES))
def test_select_parameter(session, kind):
    sqltype = TYPES[kind][0]
    values = _values(kind)
    nonce = random.Random(kind).randrange(1 << 40)
    # All of them side by side in one query, the nonce last.
    session.execute('SELECT %s' % ', '.join([_cast(sqltype)] * len(values)) + ', %s',
                    values + [nonce])
    row = session.fetchone()
    assert len(row) == len(values) + 1 and row[-1] == nonce
    for value, got in zip(values, row):
        assert same(_expected_for(kind, value, False), got), (value, got)


def _table(cur, sqltype):
    cur.execute('CREATE TEMPORARY TABLE IF NOT EXISTS victim (x int)')
    cur.execute('DROP TABLE IF EXISTS rt')
    cur.execute('CREATE TEMPORARY TABLE rt (id int PRIMARY KEY, nonce bigint, v %s)' % sqltype)


def _stored(cur):
    cur.execute('SELECT id, nonce, v FROM rt ORDER BY id')
    return cur.fetchall()


def _victim_survived(cur):
    cur.execute("SELECT to_regclass('pg_temp.victim') IS NOT NULL")
    return cur.fetchone()[0]


@pytest.mark.parametrize('kind', list(TYPES))
def test_executemany_then_execute_values(session, kind):
    sqltype = TYPES[kind][0]
    values = _values(kind)
    # executemany sends the values bare: -0.0 is a numeric there and loses its sign.
    expected = [_expected_for(kind, v, True) for v in values]
    cast_expected = [_expected_for(kind, v, False) for v in values]
    nonce = random.Random('many' + kind).randrange(1 << 40)
    rows = [(i, nonce, v) for i, v in enumerate(values)]

    _table(session, sqltype)
    session.executemany('INSERT INTO rt (id, nonce, v) VALUES (%s, %s, %s)', rows)
    assert session.rowcount == len(rows)
    check_rows(expected, _stored(session), nonce)

    _table(session, sqltype)
    psycopg2.extras.execute_values(
        session, 'INSERT INTO rt (id, nonce, v) VALUES %s', rows,
        template='(%%s, %%s, %s)' % _cast(sqltype), page_size=7)
    check_rows(cast_expected, _stored(session), nonce)
    # execute_values with fetch: the rows come back from RETURNING, through the same casts.
    session.execute('TRUNCATE rt')
    got = psycopg2.extras.execute_values(
        session, 'INSERT INTO rt (id, nonce, v) VALUES %s RETURNING id, nonce, v', rows,
        template='(%%s, %%s, %s)' % _cast(sqltype), page_size=9, fetch=True)
    check_rows(cast_expected, sorted(got), nonce)
    assert _victim_survived(session)


def test_server_infinities_map_to_the_extremes(session):
    utc = dt.timezone.utc
    session.execute("SELECT 'infinity'::date, '-infinity'::date, 'infinity'::timestamp, "
                    "'-infinity'::timestamp, 'infinity'::timestamptz, '-infinity'::timestamptz, "
                    "'infinity'::float8, '-infinity'::float8, 'NaN'::float8, 'NaN'::numeric")
    row = session.fetchone()
    assert row[:4] == (dt.date.max, dt.date.min, dt.datetime.max, dt.datetime.min)
    assert row[4] == dt.datetime.max.replace(tzinfo=utc)
    assert row[5] == dt.datetime.min.replace(tzinfo=utc)
    assert row[6:8] == (float('inf'), float('-inf'))
    assert math.isnan(row[8]) and row[9].is_nan()


def test_decimal_infinities_are_sent_as_nan(session):
    for value in DECIMAL_AS_NAN:
        assert session.mogrify('%s', [value]) == b"'NaN'::numeric"
        session.execute('SELECT %s', [value])
        assert session.fetchone()[0].is_nan()


NUL_MESSAGE = 'A string literal cannot contain NUL (0x00) characters.'


def test_nul_in_a_string_is_refused_by_every_road(session):
    _table(session, 'text')
    for run in [
            lambda: session.execute('SELECT %s', ['a\x00b']),
            lambda: session.execute('SELECT %s', [['ok', '\x00']]),
            lambda: session.executemany('INSERT INTO rt VALUES (%s, 1, %s)',
                                        [(0, 'ok'), (1, 'a\x00')]),
            lambda: psycopg2.extras.execute_values(session, 'INSERT INTO rt VALUES %s',
                                                   [(0, 1, 'ok'), (1, 1, '\x00')])]:
        with pytest.raises(ValueError) as info:
            run()
        assert str(info.value) == NUL_MESSAGE
    # executemany runs row by row, as psycopg2's: its first row is in; execute_values
    # refused its page before sending any of it.
    assert _stored(session) == [(0, 1, 'ok')]
    # bytes may hold NUL: they go as bytea.
    session.execute('SELECT %s', [psycopg2.Binary(b'a\x00b')])
    assert bytes(session.fetchone()[0]) == b'a\x00b'


def test_lone_surrogate_is_refused(session):
    with pytest.raises(UnicodeEncodeError):
        session.execute('SELECT %s', ['a\ud800b'])
    session.execute('SELECT 1')        # the connection is still usable
    assert session.fetchone() == (1,)


def test_long_string_round_trip(session):
    value = "ab'\\c\U0001f600\t" * 150000         # about 1.2 MB, a quote in every 7 chars
    session.execute('SELECT %s, length(%s)', [value, value])
    assert session.fetchone() == (value, len(value))


def test_numeric_overflow_is_the_servers_error(session):
    with pytest.raises(psycopg2.errors.NumericValueOutOfRange):
        session.execute('SELECT %s', [D('1E+200000')])


def test_negative_zero_keeps_its_sign_when_cast(session):
    session.execute('SELECT %s::float8, %s::float8', [-0.0, 0.0])
    neg, pos = session.fetchone()
    assert math.copysign(1, neg) == -1 and math.copysign(1, pos) == 1


# -- strings and bytes, under every client encoding --------------------------------------------

# Every client encoding the server offers that a UTF8 database converts to and that has a
# Python codec here (not EUC_TW, MULE_INTERNAL, EUC_JIS_2004, SHIFT_JIS_2004: see
# test_literal_escaping.py).
CLIENT_ENCODINGS = [
    'UTF8', 'SQL_ASCII', 'EUC_JP', 'EUC_CN', 'EUC_KR', 'LATIN1', 'LATIN2', 'LATIN3', 'LATIN4',
    'LATIN5', 'LATIN6', 'LATIN7', 'LATIN8', 'LATIN9', 'LATIN10', 'WIN1256', 'WIN1258', 'WIN866',
    'WIN874', 'KOI8R', 'WIN1251', 'WIN1252', 'ISO_8859_5', 'ISO_8859_6', 'ISO_8859_7',
    'ISO_8859_8', 'WIN1250', 'WIN1253', 'WIN1254', 'WIN1255', 'WIN1257', 'KOI8U', 'SJIS',
    'BIG5', 'GBK', 'UHC', 'GB18030', 'JOHAB',
]

def _encodable(text, codec):
    """Whether the codec writes the text without a NUL and reads it back the same (cp932
    writes U+00BB as the bytes it reads as U+226B)."""
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return False
    return b'\x00' not in data and data.decode(codec) == text


# Which of the bytes given (one character each, as the Python codec wrote it) the server
# takes in the encoding and writes back the same. Python's codecs and PostgreSQL's tables do
# not agree everywhere (cp874 writes a byte WIN874 lacks, johab hanja PostgreSQL refuses);
# what a driver cannot change is left out of the alphabet.
_SERVER_KEEPS = """
CREATE FUNCTION pg_temp.server_keeps(chars bytea[], enc name) RETURNS bool[] AS $f$
DECLARE
    kept bool[] := '{}';
    c bytea;
BEGIN
    FOREACH c IN ARRAY chars LOOP
        BEGIN
            kept := kept || (convert_to(convert_from(c, enc), enc) = c);
        EXCEPTION WHEN OTHERS THEN
            kept := kept || false;
        END;
    END LOOP;
    RETURN kept;
END $f$ LANGUAGE plpgsql
"""


# Characters one of whose bytes after the first is 0x5C (backslash) or 0x27 (quote) in some
# encoding (Shift-JIS, Big5, GBK, UHC, Johab), then those that some codecs write as 0x5C or
# 0x7E (YEN SIGN, OVERLINE, WON SIGN), the fullwidth apostrophe and reverse solidus.
TRAIL_BYTES = '\u8868\u30bd\u80fd\u529f\u8a31\u4e58\u5f0f\u5c07\uac5c\ub15c\ud15c'
LOOKALIKES = '\u00a5\u203e\u20a9\uff07\uff3c'


def _alphabet(cur, encoding, rng):
    codec = ext.encodings[encoding]
    pool = SPECIAL + list(TRAIL_BYTES + LOOKALIKES) + [chr(c) for c in range(0x20, 0x7f)]
    pool += [chr(rng.randrange(0x80, 0x3000)) for _ in range(400)]
    pool += [chr(rng.randrange(0x3000, 0xd800)) for _ in range(400)]
    pool += [chr(rng.randrange(0xe000, 0x110000)) for _ in range(100)]
    pool = [ch for ch in pool if _encodable(ch, codec)]
    cur.execute(_SERVER_KEEPS)
    cur.execute('SELECT pg_temp.server_keeps(%s::bytea[], %s)',
                [[psycopg2.Binary(ch.encode(codec)) for ch in pool], encoding])
    return [ch for ch, kept in zip(pool, cur.fetchone()[0]) if kept]


def _encoded_strings(cur, encoding, rng):
    alphabet = _alphabet(cur, encoding, rng)
    assert len(alphabet) > 60, alphabet
    hostile = ["'", '\\', '\t', '\n', '\r', '%', '$$']
    values = ['', "'", '\\', "\\'", '\\N', '\t\n\r\\', "'; DROP TABLE victim; --"]
    # Each such character the encoding has, before a quote and a backslash.
    values += [ch + "'\\" + ch for ch in TRAIL_BYTES + LOOKALIKES if ch in alphabet]
    for _ in range(PER_ENCODING):
        values.append(''.join(rng.choice(alphabet if rng.random() < 0.8 else hostile)
                              for _ in range(rng.randrange(1, 30))))
    return values


def _copy_escape(text):
    """A value as COPY's text format writes it (backslash, then the characters that end a
    field or a row)."""
    return (text.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n')
            .replace('\r', '\\r'))


def _copy_written(text):
    """A value as the server writes it in COPY TO: \\b, \\f and \\v escaped too."""
    return (_copy_escape(text).replace('\b', '\\b').replace('\f', '\\f')
            .replace('\v', '\\v'))


def _copy_unescape(field):
    if field == '\\N':
        return None
    out, i = [], 0
    named = {'t': '\t', 'n': '\n', 'r': '\r', 'b': '\b', 'f': '\f', 'v': '\v', '\\': '\\'}
    while i < len(field):
        ch = field[i]
        if ch == '\\' and i + 1 < len(field):
            out.append(named.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return ''.join(out)


def _params():
    for encoding in CLIENT_ENCODINGS:
        for scs in ('on', 'off'):
            yield pytest.param(encoding, scs, id='%s-scs_%s' % (encoding, scs))


@pytest.mark.parametrize('encoding, scs', list(_params()))
def test_strings_and_bytes_by_every_road(conn, encoding, scs):
    rng = random.Random('%s-%s-%s' % (SEED, encoding, scs))
    nonce = rng.randrange(1 << 40)
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute('CREATE TEMPORARY TABLE victim (x int)')
    cur.execute('SET standard_conforming_strings TO %s' % scs)
    cur.execute('SET escape_string_warning TO off')
    conn.set_client_encoding(encoding)
    texts = _encoded_strings(cur, encoding, rng)
    blobs = byte_strings(rng, 3)

    # execute: all values in one SELECT with the nonce last.
    cur.execute('SELECT ' + ', '.join(['%s'] * (len(texts) + len(blobs) + 1)),
                texts + [psycopg2.Binary(b) for b in blobs] + [nonce])
    row = cur.fetchone()
    assert row[-1] == nonce
    assert list(row[:len(texts)]) == texts
    assert [bytes(b) for b in row[len(texts):-1]] == blobs

    # As an array (with a NULL among them): the server quotes and backslashes the elements
    # in the client encoding, where a trail byte may be 0x5C.
    cur.execute('SELECT %s::text[], %s', [texts + [None], nonce])
    assert cur.fetchone() == (texts + [None], nonce)
    # Composed with sql.Literal rather than passed as parameters.
    cur.execute(sql.SQL('SELECT {}, {}').format(
        sql.SQL(', ').join(sql.Literal(t) for t in texts), sql.Literal(nonce)))
    assert list(cur.fetchone()) == texts + [nonce]

    cur.execute('CREATE TEMPORARY TABLE rt (id int PRIMARY KEY, nonce bigint, v text, b bytea)')
    rows = [(i, nonce, t, psycopg2.Binary(blobs[i % len(blobs)])) for i, t in enumerate(texts)]
    expected = [(i, nonce, t, blobs[i % len(blobs)]) for i, t in enumerate(texts)]

    def stored():
        cur.execute('SELECT id, nonce, v, b FROM rt ORDER BY id')
        return [(i, n, v, bytes(b)) for i, n, v, b in cur.fetchall()]

    cur.executemany('INSERT INTO rt VALUES (%s, %s, %s, %s)', rows)
    assert stored() == expected
    cur.execute('TRUNCATE rt')
    psycopg2.extras.execute_values(cur, 'INSERT INTO rt VALUES %s', rows, page_size=6)
    assert stored() == expected
    cur.execute('TRUNCATE rt')
    cur.executemany('INSERT INTO rt VALUES (%(i)s, %(n)s, %(v)s, %(b)s)',
                    [dict(zip('invb', r)) for r in rows])
    assert stored() == expected
    # Read back through a server-side cursor too (DECLARE and FETCH), a few rows at a time.
    conn.autocommit = False
    with conn.cursor('rt_reader') as named:
        named.itersize = 4
        named.execute('SELECT id, nonce, v, b FROM rt ORDER BY id')
        assert [(i, n, v, bytes(b)) for i, n, v, b in named] == expected
    conn.rollback()
    conn.autocommit = True

    # COPY, text columns: in with copy_from, back with copy_to, and read back by SELECT.
    cur.execute('DROP TABLE rt')
    cur.execute('CREATE TEMPORARY TABLE rt (id int PRIMARY KEY, nonce bigint, v text)')
    data = ''.join('%d\t%d\t%s\n' % (i, nonce, _copy_escape(t)) for i, t in enumerate(texts))
    cur.copy_from(io.StringIO(data + '%d\t%d\t\\N\n' % (len(texts), nonce)), 'rt')
    out = io.StringIO()
    cur.copy_to(out, 'rt')
    back = {}
    for line in out.getvalue().split('\n')[:-1]:
        ident, got_nonce, field = line.split('\t')
        assert int(got_nonce) == nonce
        back[int(ident)] = _copy_unescape(field)
    assert [back[i] for i in range(len(texts))] == texts
    assert back[len(texts)] is None
    cur.execute('SELECT id, nonce, v FROM rt ORDER BY id')
    assert cur.fetchall() == ([(i, nonce, t) for i, t in enumerate(texts)]
                              + [(len(texts), nonce, None)])
    # Files of bytes: copy_to writes the client encoding's bytes, copy_from reads them.
    raw = io.BytesIO()
    cur.copy_to(raw, 'rt', columns=['id', 'v'])
    codec = ext.encodings[encoding]
    lines = raw.getvalue().decode(codec).split('\n')[:-1]
    assert sorted(lines, key=lambda line: int(line.split('\t')[0])) == (
        ['%d\t%s' % (i, _copy_written(t)) for i, t in enumerate(texts)]
        + ['%d\t\\N' % len(texts)])
    cur.execute('TRUNCATE rt')
    cur.copy_from(io.BytesIO(data.encode(codec)), 'rt', size=7)
    cur.execute('SELECT id, nonce, v FROM rt ORDER BY id')
    assert cur.fetchall() == [(i, nonce, t) for i, t in enumerate(texts)]
    assert _victim_survived(cur)


COPY_OPTIONS = [('|', "n'l"), ("'", '\\N'), ('|', "x\\'; DROP TABLE victim; --"),
                (',', '\u00e9\u20ac'), ('\t', "''")]


@pytest.mark.parametrize('scs', ['on', 'off'])
def test_copy_separator_and_null_are_quoted(session, scs):
    # copy_from's and copy_to's sep and null go into the COPY statement as literals.
    session.execute('CREATE TEMPORARY TABLE victim (x int)')
    session.execute('CREATE TEMPORARY TABLE rt (a text, b text)')
    session.execute('SET standard_conforming_strings TO %s' % scs)
    for sep, null in COPY_OPTIONS:
        session.execute('TRUNCATE rt')
        session.copy_from(io.StringIO('p%sq\nr%s%s\n' % (sep, sep, null)), 'rt',
                          sep=sep, null=null)
        session.execute('SELECT a, b FROM rt ORDER BY a')
        assert session.fetchall() == [('p', 'q'), ('r', None)], (sep, null)
        out = io.StringIO()
        session.copy_to(out, 'rt', sep=sep, null=null)
        assert sorted(out.getvalue().split('\n')) == ['', 'p%sq' % sep, 'r%s%s' % (sep, null)]
    with pytest.raises(psycopg2.errors.InvalidParameterValue):
        session.copy_from(io.StringIO(''), 'rt', sep='\\')
    assert _victim_survived(session)
