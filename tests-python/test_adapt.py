"""Adaptation machinery: adapt() and its lookup, register_adapter(), __conform__, ISQLQuote,
AsIs, quote_ident(), the %s / %(name)s rules, and round trips of every builtin type through the
server. The literals of each type are tested by family in types/.

Expected bytes were taken from psycopg2 2.9.10 run against the same server (UTF8, with
standard_conforming_strings on unless a test changes it). Tables of cases are checked in one
test each, with the case in the assertion message, to keep the suite quick on GraalPy.
"""
import datetime as dt

import pytest

import psycopg2
import psycopg2.extensions as ext
from psycopg2.extensions import AsIs, ISQLQuote, adapt, quote_ident, register_adapter
from _helpers import D, UTC, tz


# -- types without an adapter -----------------------------------------------------------------

def test_cannot_adapt(cur):
    for value, name in [({'a': 1}, 'dict'), (object(), 'object'), ({1, 2}, 'set'),
                        (1j, 'complex')]:
        with pytest.raises(psycopg2.ProgrammingError) as info:
            cur.mogrify('%s', (value,))
        assert type(info.value) is psycopg2.ProgrammingError, name
        assert str(info.value) == "can't adapt type '%s'" % name


# -- placeholders ---------------------------------------------------------------------------

class Pair(tuple):
    def __new__(cls, a, b):
        return super().__new__(cls, (a, b))


def test_placeholders(cur):
    cases = [
        ('100%% %s', (1,), b'100% 1'),
        ('100%% %s', [1], b'100% 1'),
        ('100%%', (), b'100%'),
        ('100%%', {}, b'100%'),
        ('100%%', None, b'100%%'),      # no arguments: the query is left as it is
        ('%%(x)s', {}, b'%(x)s'),
        ('%%s', (), b'%s'),
        ('%(x)s %(x)s', {'x': 'y'}, b"'y' 'y'"),
        ('%(a)s, %(b)s', {'b': 2, 'a': 1, 'unused': 3}, b'1, 2'),
        ('%(a b)s', {'a b': 5}, b'5'),
        ('%s, %s', (1, 'a'), b"1, 'a'"),
        ('%s, %s', Pair(1, 'a'), b"1, 'a'"),       # any sequence, not only tuple and list
        ('%s', range(5, 6), b'5'),
    ]
    for query, args, expected in cases:
        assert cur.mogrify(query, args) == expected, (query, args)
    assert cur.mogrify(b'%s', (1,)) == b'1'


def test_repeated_name_is_adapted_once(cur):
    calls = []

    class Counted:
        pass

    def adapter(obj):
        calls.append(obj)
        return AsIs('7')

    register_adapter(Counted, adapter)
    try:
        value = Counted()
        assert cur.mogrify('%(v)s + %(v)s', {'v': value}) == b'7 + 7'
        assert calls == [value]
    finally:
        del ext.adapters[(Counted, ISQLQuote)]


PLACEHOLDER_ERRORS = [
    ('%s %s', (1,), IndexError, 'tuple index out of range'),
    ('%s', (1, 2), TypeError, 'not all arguments converted during string formatting'),
    ('%(a)s %s', {'a': 1}, psycopg2.ProgrammingError, "argument formats can't be mixed"),
    ('%s %(a)s', (1,), psycopg2.ProgrammingError, "argument formats can't be mixed"),
    ('%(a)s', {'b': 1}, KeyError, "'a'"),
    ('%(a)s', (1,), TypeError, 'tuple indices must be integers or slices, not str'),
    ('%s', {'a': 1}, TypeError, 'dict is not a sequence'),
    ('%d', (1,), ValueError, "unsupported format character 'd' (0x64) at index 1"),
    ('%(x)d', {'x': 1}, ValueError, "unsupported format character 'd' (0x64) at index 4"),
    ('%(a', {'a': 1}, psycopg2.ProgrammingError, "incomplete placeholder: '%(' without ')'"),
    ('%s%', (1,), IndexError, 'tuple index out of range'),
    ('%s', 5, TypeError, "'int' object does not support indexing"),
    ('%s', 'ab', TypeError, 'not all arguments converted during string formatting'),
]


def test_placeholder_errors(cur):
    for query, args, exc, message in PLACEHOLDER_ERRORS:
        with pytest.raises(exc) as info:
            cur.mogrify(query, args)
        assert type(info.value) is exc, (query, args)
        assert str(info.value) == message, (query, args)


# -- adapters -------------------------------------------------------------------------------

def test_adapt_types():
    cases = [
        (None, ext.NoneAdapter, b'NULL'),
        (1, ext.Int, b'1'),
        (1.5, ext.Float, b'1.5'),
        (True, ext.Boolean, b'true'),
        ('x', ext.QuotedString, b"'x'"),
        (b'x', ext.Binary, b"'x'::bytea"),      # no connection: libpq's escape format
        (bytearray(b'x'), ext.Binary, b"'x'::bytea"),
        (memoryview(b'x'), ext.Binary, b"'x'::bytea"),
        ((1,), ext.SQL_IN, b'(1)'),
        ([1], psycopg2._psycopg.List, b'ARRAY[1]'),
        (D('1'), psycopg2._psycopg.Decimal, b'1'),
    ]
    for value, cls, quoted in cases:
        adapter = adapt(value)
        assert type(adapter) is cls, value
        assert adapter.getquoted() == quoted, value
    for value in (dt.date(2020, 1, 1), dt.datetime(2020, 1, 1), dt.time(1), dt.timedelta(1)):
        adapter = adapt(value)
        assert type(adapter).__name__ == 'datetime'
        assert type(adapter).__module__ == 'psycopg2._psycopg'
    assert adapt(dt.timedelta(1)).getquoted() == b"'1 days 0.000000 seconds'::interval"
    assert adapt('x').adapted == 'x'
    assert adapt(1.5).adapted == 1.5


def test_adapt_failure():
    with pytest.raises(psycopg2.ProgrammingError) as info:
        adapt({})
    assert str(info.value) == "can't adapt type 'dict'"
    with pytest.raises(psycopg2.ProgrammingError):
        adapt({}, ISQLQuote, 'alternative')     # psycopg2 2.9 ignores the alternative


def test_asis():
    assert AsIs('x').getquoted() == b'x'
    assert AsIs(5).getquoted() == b'5'
    assert AsIs(1.5).getquoted() == b'1.5'
    assert AsIs(None).getquoted() == b'NULL'
    assert AsIs('é').getquoted() == 'é'.encode('utf8')
    assert AsIs(b'x').getquoted() == b"b'x'"     # str() of the object
    assert str(AsIs(5)) == '5'
    assert AsIs(5).adapted == 5


def test_quote_ident(conn, cur):
    assert quote_ident('a"b', conn) == '"a""b"'
    assert quote_ident('x', cur) == '"x"'
    assert quote_ident('é', conn) == '"é"'
    assert quote_ident(b'x', conn) == '"x"'
    assert type(quote_ident('x', conn)) is str
    with pytest.raises(TypeError) as info:
        quote_ident(1, conn)
    assert str(info.value) == 'Expected bytes or unicode string, got int instead'
    with pytest.raises(TypeError) as info:
        quote_ident('x', 1)
    assert str(info.value) == 'argument 2 must be a connection or a cursor'
    cur.execute('SELECT 1 AS %s' % quote_ident('we"ird name', cur))
    assert cur.description[0].name == 'we"ird name'


# -- custom adapters ------------------------------------------------------------------------

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


class Point3(Point):
    pass


def adapt_point(point):
    return AsIs("'(%s,%s)'::point" % (adapt(point.x).getquoted().decode(),
                                      adapt(point.y).getquoted().decode()))


@pytest.fixture
def point_adapter():
    register_adapter(Point, adapt_point)
    yield
    ext.adapters.pop((Point, ISQLQuote), None)
    ext.adapters.pop((Point3, ISQLQuote), None)


def test_register_adapter(cur, point_adapter):
    assert ext.adapters[(Point, ISQLQuote)] is adapt_point
    assert cur.mogrify('%s', (Point(1, 2.5),)) == b"'(1,2.5)'::point"
    cur.execute('SELECT %s', (Point(1, 2),))
    assert cur.fetchone() == ('(1,2)',)          # point has no caster: a str


def test_register_adapter_subclass(cur, point_adapter):
    # A subclass of a registered type uses its base's adapter ...
    assert cur.mogrify('%s', (Point3(3, 4),)) == b"'(3,4)'::point"
    # ... until it has its own.
    register_adapter(Point3, lambda p: AsIs('NULL'))
    assert cur.mogrify('%s', (Point3(3, 4),)) == b'NULL'
    assert cur.mogrify('%s', (Point(3, 4),)) == b"'(3,4)'::point"


def test_register_adapter_replaces_builtin(cur):
    original = ext.adapters[(int, ISQLQuote)]
    register_adapter(int, lambda i: AsIs("'%d'::text" % i))
    try:
        assert cur.mogrify('%s', (5,)) == b"'5'::text"
        assert cur.mogrify('%s', ([5],)) == b"ARRAY['5'::text]"
    finally:
        register_adapter(int, original)
    assert cur.mogrify('%s', (5,)) == b'5'


def test_conform(cur):
    class Conforming:
        def __conform__(self, proto):
            if proto is ISQLQuote:
                return self

        def getquoted(self):
            return b"'conformed'"

    assert cur.mogrify('%s', (Conforming(),)) == b"'conformed'"
    assert adapt(Conforming()).getquoted() == b"'conformed'"

    class Refusing:
        def __conform__(self, proto):
            return None

    with pytest.raises(psycopg2.ProgrammingError) as info:
        cur.mogrify('%s', (Refusing(),))
    assert str(info.value) == "can't adapt type 'Refusing'"


def test_adapter_prepare_gets_connection(conn, cur):
    seen = []

    class Prepared:
        def __init__(self, obj):
            self.obj = obj

        def prepare(self, connection):
            seen.append(connection)

        def getquoted(self):
            return b'42'

    class Thing:
        pass

    register_adapter(Thing, Prepared)
    try:
        assert cur.mogrify('%s', (Thing(),)) == b'42'
        assert seen == [conn]
    finally:
        del ext.adapters[(Thing, ISQLQuote)]


# -- round trips ------------------------------------------------------------------------------

ROUND_TRIPS = [
    # (value, column type, equal value back, type back)
    (None, 'int', None, type(None)),
    (True, 'boolean', True, bool),
    (-(2 ** 62), 'bigint', -(2 ** 62), int),
    (-12, 'int', -12, int),
    (-1.25, 'float8', -1.25, float),
    (D('-123.4500'), 'numeric', D('-123.4500'), D),
    ("it's \\ \"q\" é€😀\n\t", 'text', "it's \\ \"q\" é€😀\n\t", str),
    (dt.date(2020, 2, 29), 'date', dt.date(2020, 2, 29), dt.date),
    (dt.time(13, 14, 15, 161718), 'time', dt.time(13, 14, 15, 161718), dt.time),
    (dt.datetime(1999, 12, 31, 23, 59, 59, 999999), 'timestamp',
     dt.datetime(1999, 12, 31, 23, 59, 59, 999999), dt.datetime),
    (dt.datetime(2020, 6, 1, 12, 0, tzinfo=tz(hours=-7)), 'timestamptz',
     dt.datetime(2020, 6, 1, 19, 0, tzinfo=UTC), dt.datetime),
    (dt.timedelta(days=-3, seconds=5, microseconds=1), 'interval',
     dt.timedelta(days=-3, seconds=5, microseconds=1), dt.timedelta),
    ([1, None, 3], 'int[]', [1, None, 3], list),
    ([[1, 2], [3, 4]], 'int[]', [[1, 2], [3, 4]], list),
    (['a,b', '"q"', 'back\\slash', None, 'NULL', ''], 'text[]',
     ['a,b', '"q"', 'back\\slash', None, 'NULL', ''], list),
    ([], 'int[]', [], list),
    ([None, None], 'int[]', [None, None], list),
]


def test_round_trips(cur):
    columns = ', '.join('c%d %s' % (i, case[1]) for i, case in enumerate(ROUND_TRIPS))
    cur.execute('CREATE TEMP TABLE trips (%s)' % columns)
    cur.execute('INSERT INTO trips VALUES (%s)' % ', '.join(['%s'] * len(ROUND_TRIPS)),
                [case[0] for case in ROUND_TRIPS])
    cur.execute('SELECT * FROM trips')
    row = cur.fetchone()
    for (value, sqltype, expected, typ), got in zip(ROUND_TRIPS, row):
        assert got == expected, (value, sqltype)
        assert type(got) is typ, (value, sqltype)


def test_round_trip_in_dict_query(cur):
    cur.execute('SELECT %(a)s::text, %(b)s, %(a)s', {'a': 'x', 'b': 2})
    assert cur.fetchone() == ('x', 2, 'x')
