"""Range types: the Range classes, the builtin range casters and adapters, register_range()
and RangeCaster (types/ranges.py). Expected values come from psycopg2 2.9.10 run against the
same server."""
import pickle
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

import psycopg2
import psycopg2.extensions as ext
from psycopg2.extras import (
    DateRange, DateTimeRange, DateTimeTZRange, NumericRange, Range, RangeAdapter, RangeCaster,
    register_range)

from _helpers import one

BUILTIN = ('int4range', 'int8range', 'numrange', 'daterange', 'tsrange', 'tstzrange')


# -- the Range object -------------------------------------------------------------------------

def props(r):
    return (r.lower, r.upper, r.isempty, r.lower_inf, r.upper_inf, r.lower_inc, r.upper_inc)


def test_range_properties():
    assert props(Range()) == (None, None, False, True, True, False, False)
    assert props(Range(empty=True)) == (None, None, True, False, False, False, False)
    assert props(Range(10, 20)) == (10, 20, False, False, False, True, False)
    assert props(Range(upper=20)) == (None, 20, False, True, False, False, False)
    assert props(Range(lower=10, bounds='(]')) == (10, None, False, False, True, False, False)
    for bounds, lower_inc, upper_inc in (('[)', True, False), ('(]', False, True),
                                         ('()', False, False), ('[]', True, True)):
        assert props(Range(10, 20, bounds))[5:] == (lower_inc, upper_inc)
    for bounds in ('(', '[}', 'xx'):
        with pytest.raises(ValueError) as exc:
            Range(bounds=bounds)
        assert str(exc.value) == "bound flags not valid: %r" % bounds


def test_range_contains_and_bool():
    assert 10 not in Range(empty=True) and 10 in Range()
    assert [x in Range(10, 20) for x in (9, 10, 11, 19, 20, 21)] == [
        False, True, True, True, False, False]
    assert [x in Range(10, 20, '(]') for x in (9, 10, 11, 19, 20, 21)] == [
        False, False, True, True, True, False]
    assert [x in Range(lower=10, bounds='()') for x in (9, 10, 11)] == [False, False, True]
    assert [x in Range(upper=20, bounds='(]') for x in (19, 20, 21)] == [True, True, False]
    assert not any(x in Range(20, 10) for x in (9, 10, 11, 19, 20, 21))
    assert Range() and Range(10, 20) and not Range(empty=True)


def test_range_equality_and_hash():
    for a, b in ((Range(empty=True), Range(empty=True)), (Range(), Range()),
                 (Range(10, None), Range(10, None)), (Range(10, 20), Range(10, 20, '[)'))):
        assert a == b and hash(a) == hash(b)
    for a, b in ((Range(10, 20), Range(10, 21)), (Range(10, 20), Range(10, 20, '[]'))):
        assert a != b and hash(a) != hash(b)
    assert Range(10, 20) != () and not (Range(10, 20) == ())

    class IntRange(NumericRange):
        pass

    assert Range(10, 20) == IntRange(10, 20) == NumericRange(10, 20)


def test_range_ordering():
    assert Range(empty=True) < Range(0, 4) and not Range(1, 2) < Range(0, 4)
    assert Range(0, 4) < Range(1, 2) and Range() < Range(1, 2)
    assert not Range(1) < Range(upper=1) and not Range() < Range()
    assert Range(1) > Range(upper=1) and Range(1, 2) > Range()
    assert Range() <= Range() and Range(1, 2) >= Range(1, 2) and not Range(0, 4) >= Range(1, 2)
    assert sorted([Range(3), Range(empty=True), Range(1, 5), Range()]) == [
        Range(empty=True), Range(), Range(1, 5), Range(3)]
    for compare in (lambda: Range(1, 2) < 1, lambda: 1 <= Range(1, 2),
                    lambda: Range(1, 2) > 1, lambda: Range(1, 2) >= 1):
        with pytest.raises(TypeError):
            compare()


def test_range_text_and_pickle():
    assert repr(Range(1, 2)) == "Range(1, 2, '[)')"
    assert repr(NumericRange(empty=True)) == 'NumericRange(empty=True)'
    assert [str(Range(0, 4, b)) for b in ('()', '[]', '(]', '[)')] + [
        str(Range(empty=True)), str(Range(1, None, '(]'))] == [
        '(0, 4)', '[0, 4]', '(0, 4]', '[0, 4)', 'empty', '(1, None]']
    tz = timezone(timedelta(hours=-5), "EST")
    assert str(DateTimeTZRange(datetime(2010, 1, 1, tzinfo=tz), datetime(2011, 1, 1, tzinfo=tz))) \
        == '[2010-01-01 00:00:00-05:00, 2011-01-01 00:00:00-05:00)'
    for r in (Range(0, 4), NumericRange(1, 2, '(]'), DateRange(empty=True)):
        again = pickle.loads(pickle.dumps(r))
        assert again == r and type(again) is type(r)


# -- builtin casters and adapters -------------------------------------------------------------

def test_cast_null_empty_infinite(cur):
    classes = (NumericRange, NumericRange, NumericRange, DateRange, DateTimeRange,
               DateTimeTZRange)
    for name, cls in zip(BUILTIN, classes):
        empty, inf, null = one(cur, "select 'empty'::%s, '(,)'::%s, null::%s"
                               % (name, name, name))
        assert type(empty) is cls and empty.isempty
        assert type(inf) is cls and inf == cls(None, None, '()') and inf.lower_inf
        assert null is None


def test_cast_values(cur):
    tz = timezone.utc
    assert one(cur, """select '(10,20)'::int4range, '(10,20)'::int8range,
                      '(10.2,20.6)'::numrange, '(2000-01-01,2012-12-31)'::daterange,
                      '[2000-01-01 10:00,2000-01-01 11:00)'::tsrange,
                      '(2000-01-01 10:00+02,)'::tstzrange""") == (
        NumericRange(11, 20), NumericRange(11, 20),
        NumericRange(Decimal('10.2'), Decimal('20.6'), '()'),
        DateRange(date(2000, 1, 2), date(2012, 12, 31)),
        DateTimeRange(datetime(2000, 1, 1, 10), datetime(2000, 1, 1, 11)),
        DateTimeTZRange(datetime(2000, 1, 1, 8, tzinfo=tz), None, '()'))
    assert one(cur, "select array['[1,2)','empty']::int4range[], "
               "array['[2000-01-01,2001-01-01)']::daterange[], null::numrange[]") == (
        [NumericRange(1, 2), NumericRange(empty=True)],
        [DateRange(date(2000, 1, 1), date(2001, 1, 1))], None)
    ts1 = datetime(2000, 1, 1, tzinfo=timezone(timedelta(minutes=600)))
    ts2 = datetime(2000, 12, 31, 23, 59, 59, 999, tzinfo=timezone(timedelta(minutes=600)))
    r = one(cur, "select tstzrange(%s, %s, '[]')", (ts1, ts2))
    # Equal instants; the server's time zone (UTC here) is in the offset.
    assert r == DateTimeTZRange(ts1, ts2, '[]') and type(r.lower.tzinfo) is timezone


def test_adapt(cur):
    values = [NumericRange(1, 5), NumericRange(empty=True),
              NumericRange(None, Decimal('2.5'), '(]'), NumericRange(-1, 1.5),
              DateRange(date(2020, 1, 1), None), DateTimeRange(empty=True),
              DateTimeTZRange(datetime(2020, 1, 1, tzinfo=timezone.utc), None, '()'),
              [NumericRange(1, 2), DateRange(empty=True)]]
    assert [cur.mogrify("%s", (v,)) for v in values] == [
        b"'[1,5)'", b"'empty'", b"'(,2.5]'", b"'[ -1,1.5)'",
        b"daterange('2020-01-01'::date, NULL, '[)')", b"'empty'::tsrange",
        b"tstzrange('2020-01-01T00:00:00+00:00'::timestamptz, NULL, '()')",
        b"ARRAY['[1,2)','empty'::daterange]"]


def test_roundtrip(cur):
    assert one(cur, "select %s::int4range, %s::int8range, %s::numrange, %s, %s, %s", (
        NumericRange(empty=True), NumericRange(10, 20, '[]'),
        NumericRange(Decimal('10.2'), Decimal('20.5'), '(]'),
        DateRange(date(2020, 1, 1), date(2020, 2, 1), '(]'),
        DateTimeRange(datetime(2020, 1, 1), None), [DateRange(date(2020, 1, 1), None)])) == (
        NumericRange(empty=True), NumericRange(10, 21),
        NumericRange(Decimal('10.2'), Decimal('20.5'), '(]'),
        DateRange(date(2020, 1, 2), date(2020, 2, 2)),
        DateTimeRange(datetime(2020, 1, 1), None), [DateRange(date(2020, 1, 1), None)])


def test_builtin_caster_names():
    import psycopg2._range as r
    assert [(c.typecaster.name, c.typecaster.values, c.array_typecaster.name,
             c.array_typecaster.values, c.subtype_oid) for c in (
        r.int4range_caster, r.int8range_caster, r.numrange_caster, r.daterange_caster,
        r.tsrange_caster, r.tstzrange_caster)] == [
        ('type', (3904,), 'typeARRAY', (3905,), 23), ('type', (3926,), 'typeARRAY', (3927,), 20),
        ('type', (3906,), 'typeARRAY', (3907,), 1700),
        ('daterange', (3912,), 'daterangeARRAY', (3913,), 1082),
        ('tsrange', (3908,), 'tsrangeARRAY', (3909,), 1114),
        ('tstzrange', (3910,), 'tstzrangeARRAY', (3911,), 1184)]


# -- RangeCaster, register_range --------------------------------------------------------------

def test_range_caster():
    rc = RangeCaster('myr', 'MyR', 1, 25, 2)
    assert (rc.typecaster.name, rc.typecaster.values, rc.array_typecaster.name) == (
        'myr', (1,), 'myrARRAY')
    assert rc.range.__name__ == 'MyR' and issubclass(rc.range, Range)
    assert issubclass(rc.adapter, RangeAdapter) and rc.adapter.name == 'myr'
    assert [rc.parse(s) for s in ('[a,"b c")', '(,"x""y\\\\z"]', 'empty', None, '[,]',
                                  '("","")')] == [
        rc.range('a', 'b c', '[)'), rc.range(None, 'x"y\\z', '(]'), rc.range(empty=True),
        None, rc.range(None, None, '[]'), rc.range('', '', '()')]
    with pytest.raises(psycopg2.InterfaceError) as exc:
        rc.parse('[a')
    assert str(exc.value) == "failed to parse range: '[a'"
    assert RangeCaster('x', NumericRange, 1, 2).array_typecaster is None
    with pytest.raises(TypeError, match='pgrange must be a string or a RangeAdapter strict'):
        RangeCaster(RangeAdapter, 'y', 1, 2)
    with pytest.raises(TypeError, match='pyrange must be a type or a Range strict subclass'):
        RangeCaster('x', Range, 1, 2)
    with pytest.raises(NotImplementedError, match='RangeAdapter must be subclassed'):
        RangeAdapter(Range(1, 2)).getquoted()


def test_register_range(conn, restore_types):
    cur = conn.cursor()
    cur.execute("create type textrange as range (subtype=text)")
    rc = register_range('textrange', 'TextRange', cur)
    TextRange = rc.range
    assert TextRange.__name__ == 'TextRange' and issubclass(TextRange, Range)
    assert (rc.adapter.name, rc.typecaster.name, rc.array_typecaster.name, rc.subtype_oid) == (
        'textrange', 'textrange', 'textrangeARRAY', 25)
    assert cur.mogrify("%s", (TextRange('a', "b'c", '(]'),)) == \
        b"textrange('a', 'b''c', '(]')"
    r = TextRange('a', 'b c"d\\', '(]')
    assert one(cur, "select %s, %s", (r, [TextRange(None, 'z'), TextRange(empty=True), r])) == (
        r, [TextRange(None, 'z', '()'), TextRange(empty=True), r])
    # Registered on the cursor: another one gets text.
    assert one(conn.cursor(), "select '[a,b]'::textrange") == '[a,b]'


def test_range_escaping(conn, restore_types):
    cur = conn.cursor()
    cur.execute("create type textrange as range (subtype=text, collation=\"C\")")
    TextRange = register_range('textrange', 'TextRange', cur).range
    chars = [chr(i) for i in range(1, 128)]
    bounds = ['[)', '(]', '()', '[]']
    ranges = [TextRange(low, up, bounds[i % 4])
              for i, (low, up) in enumerate(zip([None] + chars, chars + [None]))]
    ranges += [TextRange(), TextRange(empty=True)]
    cur.execute("select %s", (ranges,))
    assert [props(r) for r in cur.fetchone()[0]] == [props(r) for r in ranges]


def test_register_range_not_found(conn):
    cur = conn.cursor()
    with pytest.raises(psycopg2.ProgrammingError) as exc:
        register_range('nosuchrange', 'FailRange', cur)
    assert str(exc.value) == "PostgreSQL range 'nosuchrange' not found"
    assert conn.status == ext.STATUS_READY
    cur.execute("select 1")
    with pytest.raises(psycopg2.ProgrammingError):
        register_range('nosuchrange', 'FailRange', cur)
    assert conn.status == ext.STATUS_IN_TRANSACTION and one(cur, "select 2") == 2
    conn.rollback()
    conn.autocommit = True
    with pytest.raises(psycopg2.ProgrammingError):
        register_range('nosuchrange', 'FailRange', cur)


def test_register_range_schemas(conn, restore_types):
    cur = conn.cursor()
    cur.execute("create schema rs")
    cur.execute("create type r1 as range (subtype=text)")
    cur.execute("create type r2 as range (subtype=text)")
    cur.execute("create type rs.r2 as range (subtype=text)")
    cur.execute("create type rs.r3 as range (subtype=text)")
    cur.execute('create schema "qux.quux"')
    cur.execute('create type "qux.quux"."foo.range" as range (subtype=text)')
    cur.execute("savepoint x")
    register_range('r1', 'r1', cur)
    ra2 = register_range('r2', 'r2', cur)
    rars2 = register_range('rs.r2', 'r2', cur)
    rars3 = register_range('rs.r3', 'r3', cur)
    assert ra2.typecaster.values[0] != rars2.typecaster.values[0]
    with pytest.raises(psycopg2.ProgrammingError):
        register_range('r3', 'FailRange', cur)
    with pytest.raises(psycopg2.ProgrammingError):
        register_range('rs.r1', 'FailRange', cur)
    cur.execute("set local search_path to rs, public")
    ra3 = register_range('r3', 'r3', cur)
    assert ra3.typecaster.values[0] == rars3.typecaster.values[0]
    r = register_range('"qux.quux"."foo.range"', 'foorange', cur)
    assert one(cur, """select '[a,z]'::"qux.quux"."foo.range" """) == r.range('a', 'z', '[]')
