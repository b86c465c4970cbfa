"""Typecasting machinery: the typecaster objects (new_type, new_array_type), register_type() at
every scope, the DB-API type objects, the global registry, and the columns that have no caster.
The values each PostgreSQL type comes back as are tested by family in types/.

Expected values were taken from psycopg2 2.9.10 run against the same server.
"""
import datetime as dt

import pytest

import psycopg2
import psycopg2.extensions as ext
from _helpers import D, check_select


# -- types without a caster -------------------------------------------------------------------

def test_types_without_caster_are_strings(cur):
    check_select(cur, [
        ("'(1,2)'::point", '(1,2)', str),
        ("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
         'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', str),
        ("'192.168.0.1/24'::inet", '192.168.0.1/24', str),
        ("'10.0.0.0/8'::cidr", '10.0.0.0/8', str),
        ("'08:00:2b:01:02:03'::macaddr", '08:00:2b:01:02:03', str),
        ("B'101'::bit(3)", '101', str),
        ("'<a/>'::xml", '<a/>', str),
        ("'a fat cat'::tsvector", "'a' 'cat' 'fat'", str),
        ("'{\"(1,2)\"}'::point[]", '{"(1,2)"}', str),
        ("'pg_class'::regclass", 'pg_class', str),
    ])


# -- DB-API type objects ----------------------------------------------------------------------

def test_type_objects(cur):
    cur.execute("SELECT 1::int2, 1::int4, 1::int8, 1::float4, 1::float8, 1::numeric,"
                " 'x'::text, 'x'::varchar, 'x'::char, 'x'::name,"
                " now()::timestamp, now(), now()::date, now()::time, '1 day'::interval,"
                " ''::bytea, 1::oid, true")
    codes = [c.type_code for c in cur.description]
    expected = [psycopg2.NUMBER] * 6 + [psycopg2.STRING] * 4 + [psycopg2.DATETIME] \
        + [None] * 4 + [psycopg2.BINARY, psycopg2.ROWID, None]
    for code, obj in zip(codes, expected):
        if obj is not None:
            assert code == obj, code
            assert obj == code, code
    # psycopg2's DATETIME is timestamp only; the other date/time types have their own.
    timestamptz, date, time, interval = codes[11:15]
    assert timestamptz != psycopg2.DATETIME and timestamptz == ext.PYDATETIMETZ
    assert date != psycopg2.DATETIME and date == ext.DATE
    assert time != psycopg2.DATETIME and time == ext.TIME
    assert interval != psycopg2.DATETIME and interval == ext.INTERVAL
    assert codes[17] == ext.BOOLEAN
    assert codes[0] != psycopg2.STRING and codes[6] != psycopg2.NUMBER


def test_type_object_attributes():
    assert psycopg2.NUMBER.values == (20, 23, 21, 701, 700, 1700)
    assert psycopg2.STRING.values == (19, 18, 25, 1042, 1043)
    assert psycopg2.DATETIME.values == (1114,)
    assert psycopg2.BINARY.values == (17,)
    assert psycopg2.ROWID.values == (26,)
    assert ext.DATE.values == (1082,)
    assert ext.TIME.values == (1083, 1266)
    assert ext.INTERVAL.values == (704, 1186)
    assert ext.PYDATETIMETZ.values == (1184,)
    assert ext.INTEGER.name == 'INTEGER'
    assert type(ext.INTEGER).__name__ == 'type'
    assert repr(ext.INTEGER).startswith("<psycopg2._psycopg.type 'INTEGER' at 0x")


def test_builtin_casters_called_directly():
    assert ext.INTEGER('5', None) == 5
    assert ext.INTEGER(None, None) is None
    assert ext.FLOAT('1.5', None) == 1.5
    assert ext.BOOLEAN('t', None) is True
    assert ext.DECIMAL('1.0', None) == D('1.0')
    assert ext.DATE('2020-01-01', None) == dt.date(2020, 1, 1)
    assert ext.INTERVAL('1 day', None) == dt.timedelta(days=1)
    assert ext.UNICODE('x', None) == 'x'
    assert ext.INTEGERARRAY('{1,2}', None) == [1, 2]
    assert ext.STRINGARRAY('{a,"b c"}', None) == ['a', 'b c']


# -- the global registry ----------------------------------------------------------------------

def test_string_types_are_psycopg2s():
    expected = {
        16: 'BOOLEAN', 17: 'BINARY', 18: 'STRING', 19: 'STRING', 20: 'LONGINTEGER',
        21: 'INTEGER', 23: 'INTEGER', 25: 'STRING', 26: 'ROWID', 114: 'JSON',
        199: 'JSONARRAY', 651: 'CIDRARRAY', 700: 'FLOAT', 701: 'FLOAT', 704: 'INTERVAL',
        705: 'UNKNOWN', 1000: 'BOOLEANARRAY', 1001: 'BINARYARRAY', 1002: 'STRINGARRAY',
        1003: 'STRINGARRAY', 1005: 'INTEGERARRAY', 1006: 'INTEGERARRAY',
        1007: 'INTEGERARRAY', 1009: 'STRINGARRAY', 1013: 'ROWIDARRAY', 1014: 'STRINGARRAY',
        1015: 'STRINGARRAY', 1016: 'LONGINTEGERARRAY', 1021: 'FLOATARRAY',
        1022: 'FLOATARRAY', 1028: 'ROWIDARRAY', 1040: 'MACADDRARRAY', 1041: 'INETARRAY',
        1042: 'STRING', 1043: 'STRING', 1082: 'DATE', 1083: 'TIME', 1114: 'DATETIME',
        1115: 'DATETIMEARRAY', 1182: 'DATEARRAY', 1183: 'TIMEARRAY', 1184: 'DATETIMETZ',
        1185: 'DATETIMETZARRAY', 1186: 'INTERVAL', 1187: 'INTERVALARRAY',
        1231: 'DECIMALARRAY', 1266: 'TIME', 1270: 'TIMEARRAY', 1700: 'DECIMAL',
        3802: 'JSONB', 3807: 'JSONBARRAY', 3904: 'type', 3905: 'typeARRAY', 3906: 'type',
        3907: 'typeARRAY', 3908: 'tsrange', 3909: 'tsrangeARRAY', 3910: 'tstzrange',
        3911: 'tstzrangeARRAY', 3912: 'daterange', 3913: 'daterangeARRAY', 3926: 'type',
        3927: 'typeARRAY'}
    assert {oid: caster.name for oid, caster in ext.string_types.items()} == expected


# -- custom casters ---------------------------------------------------------------------------

class Recorder:
    """A cast function that records what it is called with."""

    def __init__(self, convert=lambda s: 'cast:' + s):
        self.calls = []
        self.convert = convert

    def __call__(self, value, cursor):
        self.calls.append((value, cursor))
        return None if value is None else self.convert(value)


def test_new_type(cur):
    recorder = Recorder()
    caster = ext.new_type((25, 1043), 'MYTEXT', recorder)
    assert type(caster) is type(ext.INTEGER)
    assert caster.values == (25, 1043)
    assert caster.name == 'MYTEXT'
    assert caster == 25 and caster == 1043 and caster != 23
    assert caster('abc', cur) == 'cast:abc'
    assert recorder.calls == [('abc', cur)]


def test_new_type_errors():
    cases = [
        (lambda: ext.new_type([25], 'X', str), 'argument 1 must be tuple, not list'),
        (lambda: ext.new_array_type((1,), 'X', lambda v, c: v),
         'argument 3 must be psycopg2._psycopg.type, not function'),
        (lambda: ext.register_type(ext.INTEGER, 5),
         'argument 2 must be a connection, cursor or None'),
    ]
    for call, message in cases:
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == message


def test_register_type_cursor_scope(conn):
    recorder = Recorder()
    cur = conn.cursor()
    ext.register_type(ext.new_type((25,), 'MYTEXT', recorder), cur)
    assert 25 in cur.string_types
    cur.execute("SELECT 'a'::text, NULL::text, 'b'::varchar")
    # Called with the string and with None for NULL, and with the cursor; varchar untouched.
    assert cur.fetchone() == ('cast:a', None, 'b')
    assert recorder.calls == [('a', cur), (None, cur)]
    other = conn.cursor()
    other.execute("SELECT 'a'::text")
    assert other.fetchone() == ('a',)


def test_register_type_connection_scope(connect):
    conn = connect()
    recorder = Recorder(int)
    ext.register_type(ext.new_type((25,), 'TEXT_AS_INT', recorder), conn)
    assert 25 in conn.string_types
    cur = conn.cursor()
    cur.execute("SELECT '42'::text, '7'::text")
    assert cur.fetchone() == (42, 7)
    assert len(recorder.calls) == 2
    # The cursor's own caster wins over the connection's.
    ext.register_type(ext.new_type((25,), 'CURSOR_TEXT', Recorder()), cur)
    cur.execute("SELECT '42'::text")
    assert cur.fetchone() == ('cast:42',)
    fresh = connect()                   # other connections are not affected
    fc = fresh.cursor()
    fc.execute("SELECT '42'::text")
    assert fc.fetchone() == ('42',)


def test_register_type_global_scope(connect):
    recorder = Recorder(lambda s: s.upper())
    caster = ext.new_type((1043,), 'UPPER_VARCHAR', recorder)
    saved = ext.string_types[1043]
    ext.register_type(caster)
    try:
        assert ext.string_types[1043] is caster
        cur = connect().cursor()
        cur.execute("SELECT 'abc'::varchar, NULL::varchar")
        assert cur.fetchone() == ('ABC', None)
        assert [value for value, _ in recorder.calls] == ['abc', None]
    finally:
        ext.register_type(saved)
    cur.execute("SELECT 'abc'::varchar")
    assert cur.fetchone() == ('abc',)


def test_override_builtin_numeric(cur):
    ext.register_type(ext.new_type((1700,), 'FLOATDEC', lambda v, c: None if v is None
                                   else float(v)), cur)
    cur.execute('SELECT 1.25::numeric, NULL::numeric')
    row = cur.fetchone()
    assert row == (1.25, None)
    assert type(row[0]) is float


def test_new_array_type(cur):
    recorder = Recorder()
    base = ext.new_type((25,), 'MYTEXT', recorder)
    array = ext.new_array_type((1009,), 'MYTEXT[]', base)
    assert array.values == (1009,) and array.name == 'MYTEXT[]'
    ext.register_type(array, cur)
    cur.execute("SELECT ARRAY['a', NULL, 'b c'], '{{x},{y}}'::text[], 'plain'::text")
    assert cur.fetchone() == (['cast:a', None, 'cast:b c'], [['cast:x'], ['cast:y']], 'plain')
    assert [value for value, _ in recorder.calls] == ['a', None, 'b c', 'x', 'y']


def test_new_array_type_of_builtin(cur):
    ext.register_type(ext.new_array_type((1009,), 'TEXT_TO_INT[]', ext.INTEGER), cur)
    cur.execute("SELECT '{1,2,NULL}'::text[]")
    assert cur.fetchone() == ([1, 2, None],)


def test_caster_for_type_without_one(cur):
    cur.execute("SELECT 'point'::regtype::oid")
    point_oid = cur.fetchone()[0]
    ext.register_type(ext.new_type((point_oid,), 'POINT', lambda v, c: None if v is None
                                   else tuple(float(x) for x in v[1:-1].split(','))), cur)
    cur.execute("SELECT '(1.5,2)'::point, NULL::point")
    assert cur.fetchone() == ((1.5, 2.0), None)


def test_caster_error_propagates(cur):
    def broken(value, cursor):
        raise ValueError('bad value %r' % value)

    ext.register_type(ext.new_type((23,), 'BROKEN', broken), cur)
    cur.execute('SELECT 1')
    with pytest.raises(ValueError) as info:
        cur.fetchone()
    assert str(info.value) == "bad value '1'"


class Incomparable:
    """A caster's result that refuses to be compared, as a numpy array does."""

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        raise ValueError('the truth value is ambiguous')

    __hash__ = object.__hash__


def test_caster_results_are_not_compared(cur):
    ext.register_type(ext.new_type((23,), 'ARRAYISH', lambda v, c: Incomparable(v)), cur)
    cur.execute('SELECT 1, NULL::text UNION ALL SELECT 2, NULL')
    rows = cur.fetchall()
    assert [row[0].value for row in rows] == ['1', '2']
    assert [row[1] for row in rows] == [None, None]
    assert all(type(row[1]) is type(None) for row in rows)
