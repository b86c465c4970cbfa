"""Typecasting: the Python values (and their types) that each PostgreSQL type comes back as,
custom casters at every scope, the DB-API type objects and client encodings.

Expected values were taken from psycopg2 2.9.10 run against the same server.
"""
import datetime as dt
import decimal

import pytest

import psycopg2
import psycopg2.extensions as ext

D = decimal.Decimal
UTC = dt.timezone.utc


def tz(**kwargs):
    return dt.timezone(dt.timedelta(**kwargs))


def check_select(cur, cases):
    """cases: (SQL expression, expected value, expected type); all in one SELECT."""
    cur.execute('SELECT ' + ', '.join(sql for sql, _, _ in cases))
    row = cur.fetchone()
    assert len(row) == len(cases)
    for (sql, expected, typ), got in zip(cases, row):
        assert got == expected, sql
        assert type(got) is typ, sql


# -- scalars ----------------------------------------------------------------------------------

def test_bool_and_null(cur):
    check_select(cur, [
        ('true', True, bool), ('false', False, bool),
        ('NULL', None, type(None)), ('NULL::int', None, type(None)),
        ('NULL::text', None, type(None)), ('NULL::bool', None, type(None)),
        ('NULL::date', None, type(None)), ('NULL::numeric', None, type(None)),
        ('NULL::bytea', None, type(None)), ('NULL::int[]', None, type(None)),
    ])


def test_integers(cur):
    check_select(cur, [
        ('1::int2', 1, int), ("'-32768'::int2", -32768, int),
        ('2147483647::int4', 2147483647, int),
        ("'-9223372036854775808'::int8", -9223372036854775808, int),
        ('4294967295::oid', 4294967295, int),
        ("'pg_class'::regclass::oid", 1259, int),
    ])


def test_floats(cur):
    check_select(cur, [
        ('1.5::float4', 1.5, float), ('0.1::float4', 0.1, float),     # float4's shortest text
        ('0.1::float8', 0.1, float), ('-1e300::float8', -1e300, float),
        ("'Infinity'::float8", float('inf'), float), ("'-Infinity'::float4", float('-inf'), float),
    ])
    cur.execute("SELECT 'NaN'::float8, 'NaN'::float4")
    for value in cur.fetchone():
        assert type(value) is float and value != value


def test_numeric(cur):
    check_select(cur, [
        ('2.50::numeric(5,2)', D('2.50'), D), ('-0.000001::numeric', D('-0.000001'), D),
        ('12345678901234567890.123456789::numeric', D('12345678901234567890.123456789'), D),
        ('0::numeric', D('0'), D), ('1e20::numeric', D('100000000000000000000'), D),
    ])
    cur.execute("SELECT 'NaN'::numeric, 2.50::numeric(5,2)")
    nan, exact = cur.fetchone()
    assert type(nan) is D and nan.is_nan()
    assert str(exact) == '2.50'             # the scale is kept


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


# -- dates and times --------------------------------------------------------------------------

def test_dates(cur):
    check_select(cur, [
        ("'2020-02-29'::date", dt.date(2020, 2, 29), dt.date),
        ("'0001-01-01'::date", dt.date(1, 1, 1), dt.date),
        ("'infinity'::date", dt.date.max, dt.date),
        ("'-infinity'::date", dt.date.min, dt.date),
    ])


def test_times(cur):
    check_select(cur, [
        ("'13:14:15'::time", dt.time(13, 14, 15), dt.time),
        ("'13:14:15.5'::time", dt.time(13, 14, 15, 500000), dt.time),
        ("'00:00:00.000001'::time", dt.time(0, 0, 0, 1), dt.time),
        ("'12:34:56.123+05:30'::timetz", dt.time(12, 34, 56, 123000, tz(hours=5, minutes=30)),
         dt.time),
        ("'01:02:03-08'::timetz", dt.time(1, 2, 3, tzinfo=tz(hours=-8)), dt.time),
    ])


def test_timestamps(cur):
    cur.execute("SET TIME ZONE 'UTC'")
    check_select(cur, [
        ("'2020-01-02 03:04:05.678'::timestamp",
         dt.datetime(2020, 1, 2, 3, 4, 5, 678000), dt.datetime),
        ("'2020-01-02 03:04:05+02'::timestamptz",
         dt.datetime(2020, 1, 2, 1, 4, 5, tzinfo=UTC), dt.datetime),
        ("'infinity'::timestamp", dt.datetime.max, dt.datetime),
        ("'-infinity'::timestamp", dt.datetime.min, dt.datetime),
    ])
    cur.execute("SELECT '2020-01-02 03:04:05'::timestamptz, 'infinity'::timestamptz")
    aware, infinite = cur.fetchone()
    assert aware.tzinfo == dt.timezone(dt.timedelta(0))
    assert type(aware.tzinfo) is dt.timezone
    assert infinite == dt.datetime.max.replace(tzinfo=UTC)
    assert infinite.tzinfo is not None


def test_timestamptz_takes_the_session_time_zone(cur):
    cur.execute("SET TIME ZONE 'Asia/Kolkata'")
    cur.execute("SELECT '2020-01-01 00:00:00+00'::timestamptz")
    value = cur.fetchone()[0]
    assert value == dt.datetime(2020, 1, 1, 5, 30, tzinfo=tz(hours=5, minutes=30))
    assert value.utcoffset() == dt.timedelta(hours=5, minutes=30)
    assert type(value.tzinfo) is dt.timezone
    assert value.replace(tzinfo=None) == dt.datetime(2020, 1, 1, 5, 30)
    cur.execute("SET TIME ZONE 'America/New_York'")
    cur.execute("SELECT '2020-07-01 12:00:00+00'::timestamptz,"
                " '2020-01-01 12:00:00+00'::timestamptz")
    summer, winter = cur.fetchone()
    assert summer.utcoffset() == dt.timedelta(hours=-4)
    assert winter.utcoffset() == dt.timedelta(hours=-5)
    assert (summer.hour, winter.hour) == (8, 7)


def test_timestamptz_offset_with_seconds(cur):
    # Before standard time, Amsterdam was 19 minutes 32 seconds ahead.
    cur.execute("SET TIME ZONE 'Europe/Amsterdam'")
    cur.execute("SELECT '1900-01-01 12:00:00'::timestamptz")
    value = cur.fetchone()[0]
    assert value.utcoffset() == dt.timedelta(minutes=19, seconds=32)
    assert value.replace(tzinfo=None) == dt.datetime(1900, 1, 1, 12, 0)


def test_intervals(cur):
    check_select(cur, [
        ("'1 year 2 mons 3 days 04:05:06.7'::interval",
         dt.timedelta(days=428, seconds=14706, microseconds=700000), dt.timedelta),
        ("'-1 days +02:00:00'::interval", dt.timedelta(days=-1, seconds=7200), dt.timedelta),
        ("'-00:00:01.5'::interval", dt.timedelta(seconds=-1.5), dt.timedelta),
        ("'1 year -1 mons'::interval", dt.timedelta(days=330), dt.timedelta),  # '11 mons'
        ("'-2 years'::interval", dt.timedelta(days=-730), dt.timedelta),
        ("'0'::interval", dt.timedelta(0), dt.timedelta),
        ("'00:00:00.000001'::interval", dt.timedelta(microseconds=1), dt.timedelta),
        ("'100 hours'::interval", dt.timedelta(hours=100), dt.timedelta),
        ("'-3 days -04:00:00'::interval", dt.timedelta(days=-3, hours=-4), dt.timedelta),
        ("'1 mon -00:00:00.5'::interval", dt.timedelta(days=30, seconds=-0.5), dt.timedelta),
    ])


# -- arrays ---------------------------------------------------------------------------------

def test_arrays(cur):
    check_select(cur, [
        ("'{1,2,NULL}'::int[]", [1, 2, None], list),
        ("'{}'::int[]", [], list),
        ("'{{1,2},{3,4}}'::int8[]", [[1, 2], [3, 4]], list),
        ("'[0:1]={5,6}'::int2[]", [5, 6], list),
        ("'{t,f,NULL}'::bool[]", [True, False, None], list),
        ("'{1.5,-2}'::float8[]", [1.5, -2.0], list),
        ("ARRAY['a,b', 'q\"uote', 'back\\slash', NULL, 'NULL', '', ' sp ', '{}']",
         ['a,b', 'q"uote', 'back\\slash', None, 'NULL', '', ' sp ', '{}'], list),
        ("'{{\"a b\",c},{\"d\\\\\\\"\",NULL}}'::text[]", [['a b', 'c'], ['d\\"', None]], list),
        ("'{x,y}'::varchar[]", ['x', 'y'], list),
        ("'{a}'::char(2)[]", ['a '], list),
        ("'{pg_class}'::name[]", ['pg_class'], list),
        ("'{1,2}'::oid[]", [1, 2], list),
        ("'{2020-01-02,1999-12-31}'::date[]", [dt.date(2020, 1, 2), dt.date(1999, 12, 31)],
         list),
        ("'{\"1 day\",\"-01:00:00\"}'::interval[]",
         [dt.timedelta(days=1), dt.timedelta(hours=-1)], list),
    ])


def test_array_element_types(cur):
    cur.execute("SELECT '{1.50,NaN}'::numeric[], ARRAY['\\x01ff'::bytea, NULL],"
                " '{\"2020-01-02 03:04:05\"}'::timestamp[], '{10:00}'::time[]")
    numbers, blobs, stamps, times = cur.fetchone()
    assert numbers[0] == D('1.50') and type(numbers[0]) is D and numbers[1].is_nan()
    assert type(blobs[0]) is memoryview and blobs[0].tobytes() == b'\x01\xff'
    assert blobs[1] is None
    assert stamps == [dt.datetime(2020, 1, 2, 3, 4, 5)]
    assert times == [dt.time(10, 0)]


def test_array_of_timestamptz(cur):
    cur.execute("SET TIME ZONE 'Asia/Kolkata'")
    cur.execute("SELECT ARRAY['2020-01-01 00:00:00+00'::timestamptz]")
    (value,) = cur.fetchone()[0]
    assert value == dt.datetime(2020, 1, 1, 5, 30, tzinfo=tz(hours=5, minutes=30))
    assert value.utcoffset() == dt.timedelta(hours=5, minutes=30)


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


def test_json_is_parsed(cur):
    check_select(cur, [
        ('\'{"a": [1, 2.5, null, "x"]}\'::json', {'a': [1, 2.5, None, 'x']}, dict),
        ('\'{"b": true}\'::jsonb', {'b': True}, dict),
        ("'[1]'::json", [1], list),
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


@pytest.mark.parametrize('text, expected', [
    ('0', '0'), ('-0.00', '-0.00'), ('007.50', '7.50'), ('123456789012345678901234.5678',
                                                         '123456789012345678901234.5678'),
    ('-1.5', '-1.5'), ('0.001', '0.001'), ('NaN', 'NaN'), ('Infinity', 'Infinity'),
    ('-Infinity', '-Infinity'), ('1.\u0663', '1.3'),     # Decimal() reads any Unicode digit
])
def test_numeric_text_forms(text, expected):
    value = psycopg2.extensions.DECIMAL(text, None)
    assert isinstance(value, decimal.Decimal)
    assert str(value) == expected
    assert value.as_tuple() == decimal.Decimal(text).as_tuple()


@pytest.mark.parametrize('text, expected', [
    ('2024-02-29 23:59:59.5+05:30', dt.datetime(2024, 2, 29, 23, 59, 59, 500000,
                                               dt.timezone(dt.timedelta(hours=5, minutes=30)))),
    ('1883-11-18 12:00:00-04:56:02', dt.datetime(1883, 11, 18, 12, 0, 0, 0, dt.timezone(
        -dt.timedelta(hours=4, minutes=56, seconds=2)))),
    ('2000-01-01 00:00:00.000001-03', dt.datetime(2000, 1, 1, 0, 0, 0, 1,
                                                 dt.timezone(dt.timedelta(hours=-3)))),
    ('2000-01-01 24:00:00+00', dt.datetime(2000, 1, 1, 0, 0, 0, 0, dt.timezone.utc)),
])
def test_timestamptz_text_forms(text, expected):
    value = psycopg2.extensions.PYDATETIMETZ(text, None)
    assert value == expected
    assert value.utcoffset() == expected.utcoffset()


def test_timestamptz_out_of_python_range_is_a_data_error():
    with pytest.raises(psycopg2.DataError):
        psycopg2.extensions.PYDATETIMETZ('10000-01-01 00:00:00+00', None)
    with pytest.raises(psycopg2.DataError):
        psycopg2.extensions.PYDATETIMETZ('0044-03-15 12:00:00+00 BC', None)
