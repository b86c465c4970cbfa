"""Arrays: the arrays of the builtin types cast to (nested) lists; lists as ARRAY literals and
tuples for IN (types/array.py).

Expected values were taken from psycopg2 2.9.10 run against the same server.
"""
import datetime as dt

import pytest

import psycopg2
import psycopg2.extensions as ext

from _helpers import D, check_mogrify, check_select, tz


# -- casting ----------------------------------------------------------------------------------

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


@pytest.mark.parametrize('text', [
    '', '{', '{}}', '{' * 20 + '}' * 20, '{a}x', '{a,b', '{"a}', '[1:2{a}', 'a',
])
def test_malformed_arrays_are_data_errors(cur, text):
    with pytest.raises(psycopg2.DataError):
        ext.STRINGARRAY(text, cur)
    with pytest.raises(psycopg2.DataError):
        ext.STRINGARRAY(text.encode(), cur)        # bytes, as psycopg2's upstream test


def test_array_text_forms(cur):
    # 17 levels (psycopg2's limit; PostgreSQL sends at most 6).
    nested = ext.STRINGARRAY('{' * 17 + '}' * 17, cur)
    for _ in range(16):
        (nested,) = nested
    assert nested == []
    assert ext.STRINGARRAY(b'{a,"b c"}', cur) == ['a', 'b c']
    assert ext.STRINGARRAY('{null,NULL,"NULL",Null}', cur) == [None, None, 'NULL', None]
    assert ext.STRINGARRAY('{"a\\"b","\\\\"}', cur) == ['a"b', '\\']
    assert ext.STRINGARRAY('[1:2]={a,b}', cur) == ['a', 'b']


# -- adapting ---------------------------------------------------------------------------------

def test_lists(cur):
    check_mogrify(cur, [
        ([1, 2, None], b'ARRAY[1,2,NULL]'),
        ([], b"'{}'"),
        ([[1, 2], [3, 4]], b'ARRAY[ARRAY[1,2],ARRAY[3,4]]'),
        ([[1], [2, 3]], b'ARRAY[ARRAY[1],ARRAY[2,3]]'),
        (['a', [1]], b"ARRAY['a',ARRAY[1]]"),
        (["it's", None], b"ARRAY['it''s',NULL]"),
        ([dt.date(2020, 1, 2)], b"ARRAY['2020-01-02'::date]"),
        ([b'x'], b"ARRAY['\\x78'::bytea]"),
        ([1.5, D('2')], b'ARRAY[1.5,2]'),
        ([True], b'ARRAY[true]'),
        ([(1, 2)], b'ARRAY[(1, 2)]'),
        # Empty lists inside a list stay ARRAY[] ...
        ([[], []], b'ARRAY[ARRAY[],ARRAY[]]'),
        ([[]], b'ARRAY[ARRAY[]]'),
        ([None, []], b'ARRAY[NULL,ARRAY[]]'),
        # ... and lists of NULLs only become '{...}' literals (ARRAY[NULL] has no type).
        ([None], b"'{NULL}'"),
        ([None, None], b"'{NULL,NULL}'"),
        ([[None]], b"'{{NULL}}'"),
        ([[None], [None]], b"'{{NULL},{NULL}}'"),
        ([None, [None]], b"'{NULL,{NULL}}'"),
        ([[[None]]], b"'{{{NULL}}}'"),
        ([[None], [1]], b"ARRAY['{NULL}',ARRAY[1]]"),
        ([[], [None]], b"ARRAY[ARRAY[],'{NULL}']"),
        ([None, 1], b'ARRAY[NULL,1]'),
    ])


def test_tuples_for_in(cur):
    check_mogrify(cur, [
        ((1, 'a', None), b"(1, 'a', NULL)"),
        ((1,), b'(1)'),
        (('a', 'b'), b"('a', 'b')"),
        ((), b'()'),
    ])
    cur.execute('SELECT 2 IN %s, 5 IN %s', ((1, 2, 3), (1, 2, 3)))
    assert cur.fetchone() == (True, False)


def test_tuple_subclass_that_conforms_is_its_own_adapter():
    # psycopg2 asks __conform__ before the adapter of a registered base class (tuple's).
    class Foo(tuple):
        def __conform__(self, proto):
            return self

        def getquoted(self):
            return 'bar'

    assert ext.adapt(Foo((1, 2, 3))).getquoted() == 'bar'

    class Unsure(tuple):
        def __conform__(self):          # a TypeError when called: taken as no answer
            return self

    assert ext.adapt(Unsure((1, 2))).getquoted() == b'(1, 2)'
