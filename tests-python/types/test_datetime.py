"""Dates and times: date, time, timetz, timestamp, timestamptz and interval cast to the
datetime types, and their literals (types/datetime.py).

Expected values were taken from psycopg2 2.9.10 run against the same server.
"""
import datetime as dt
import time

import pytest

import psycopg2
import psycopg2.extensions as ext

from _helpers import UTC, check_mogrify, check_select, one, tz


# -- casting ----------------------------------------------------------------------------------

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


@pytest.mark.parametrize('caster, text', [
    (ext.PYDATE, '10000-01-01'),
    (ext.PYDATE, '0042-01-01 BC'),
    (ext.PYDATE, '00042-01-01 BC'),
    (ext.PYDATETIME, '10000-01-01 00:00:00'),
    (ext.PYDATETIME, '00042-01-01 13:30:29 BC'),
    (ext.PYDATETIMETZ, '10000-01-01 00:00:00+00'),
    (ext.PYDATETIMETZ, '0044-03-15 12:00:00+00 BC'),
])
def test_out_of_python_range_is_a_value_error(caster, text):
    # psycopg2 reads the year (negative when BC) and lets the datetime types refuse it.
    with pytest.raises(ValueError):
        caster(text, None)


def test_out_of_python_range_from_the_server(cur):
    cur.execute("SET TIME ZONE 'UTC'")
    for sql in ("'10000-01-01'::date", "'0042-01-01 BC'::date",
                "'10000-01-01 00:00:00'::timestamp", "'0042-01-01 13:30:29 BC'::timestamp",
                "'0042-01-01 13:30:29+00 BC'::timestamptz"):
        cur.execute('SELECT ' + sql)
        with pytest.raises(ValueError):
            cur.fetchone()
    assert one(cur, "SELECT '9999-12-31'::date") == dt.date(9999, 12, 31)
    assert one(cur, "SELECT '0001-01-01 13:30:29'::timestamp") == dt.datetime(1, 1, 1, 13, 30, 29)


@pytest.mark.parametrize('caster, text', [
    (ext.PYDATE, '2007'),
    (ext.PYDATE, '2007-01'),
    (ext.PYDATE, 'abc'),
    (ext.PYTIME, '13'),
    (ext.PYTIME, '13:30'),
    (ext.PYDATETIME, '2007'),
    (ext.PYDATETIME, '2007-01'),
    (ext.PYDATETIME, '2007-01-01 13'),
    (ext.PYDATETIME, '2007-01-01 13:30'),
    (ext.PYDATETIMETZ, '2007-01-01 13:30+02'),
])
def test_incomplete_values_are_data_errors(caster, text):
    with pytest.raises(psycopg2.DataError):
        caster(text, None)


@pytest.mark.parametrize('caster, text, expected', [
    (ext.PYDATE, '2007-01-01 13:30', dt.date(2007, 1, 1)),         # the rest is ignored
    (ext.PYDATE, '2007-1-2', dt.date(2007, 1, 2)),
    (ext.PYDATETIME, '2007-01-01', dt.datetime(2007, 1, 1)),       # a date alone: midnight
    (ext.PYDATETIME, '2007-01-01T13:30:29', dt.datetime(2007, 1, 1, 13, 30, 29)),
    (ext.PYDATETIME, '2007-01-01 13:30:60', dt.datetime(2007, 1, 1, 13, 31)),  # leap second
    (ext.PYTIME, '13:30:60', dt.time(13, 31)),
    (ext.PYTIME, '1:2:3', dt.time(1, 2, 3)),
    (ext.PYDATETIMETZ, '2007-01-01 13:30:29 +02',
     dt.datetime(2007, 1, 1, 13, 30, 29, tzinfo=tz(hours=2))),
    (ext.PYINTERVAL, b'1 day', dt.timedelta(days=1)),               # bytes, as psycopg2 takes
])
def test_other_text_forms(caster, text, expected):
    value = caster(text, None)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize('text, expected', [
    # A number alone is microseconds (Redshift's intervals, psycopg2 ticket #558).
    ('0', dt.timedelta(0)),
    ('1', dt.timedelta(microseconds=1)),
    ('-1', dt.timedelta(microseconds=-1)),
    ('86400000000', dt.timedelta(days=1)),
    ('-86400000000', dt.timedelta(days=-1)),
    # Hours and minutes only; a number with no unit after the days is dropped.
    ('12:34', dt.timedelta(hours=12, minutes=34)),
    ('-12:34', -dt.timedelta(hours=12, minutes=34)),
    ('1 day 12', dt.timedelta(days=1)),
    # Fractions of more than 6 digits are rounded; any number of zeros is 0 (bug #1835).
    ('0:0:0.1234567', dt.timedelta(microseconds=123457)),
    ('0:0:0.0000004', dt.timedelta(0)),
    ('0:0:0.999999999', dt.timedelta(seconds=1)),
    (b'0:0:0.' + b'0' * 100, dt.timedelta(0)),
    ('@ 1 day ago', dt.timedelta(days=1)),          # postgres_verbose: read as psycopg2 does
])
def test_interval_other_text_forms(text, expected):
    assert ext.PYINTERVAL(text, None) == expected


@pytest.mark.parametrize('text', [
    '100000000000000000:00:00', '00:100000000000000000:00:00',
    '00:00:100000000000000000:00', '00:00:00.100000000000000000', '3000000000 days',
])
def test_interval_too_big_is_an_overflow_error(text):
    with pytest.raises(OverflowError):
        ext.PYINTERVAL(text, None)


def test_interval_garbage_is_a_value_error():
    for text in ('abc', '', '1-2'):
        with pytest.raises(ValueError):
            ext.PYINTERVAL(text, None)


def test_interval_overflow_and_microseconds_from_the_server(cur):
    # psycopg2's own test: text columns cast by INTERVAL.
    ext.register_type(ext.new_type(psycopg2.STRING.values, 'WAT', ext.INTERVAL), cur)
    assert one(cur, "SELECT '86400000000'::text") == dt.timedelta(days=1)
    cur.execute("SELECT '00:100000000000000000:00:00'::text")
    with pytest.raises(OverflowError):
        cur.fetchone()


def test_interval_iso_8601_is_not_supported(cur):
    cur.execute("SET intervalstyle TO iso_8601")
    cur.execute("SELECT '1 day 2 hours'::interval")
    with pytest.raises(psycopg2.NotSupportedError) as info:
        cur.fetchone()
    assert str(info.value) == 'iso_8601 intervalstyle currently not supported'


# -- the DB-API's constructors ------------------------------------------------------------------

def test_timestamp_from_ticks_is_local_and_aware():
    ticks = 1273173119.99992
    value = psycopg2.TimestampFromTicks(ticks).adapted
    assert value == dt.datetime(2010, 5, 6, 19, 11, 59, 999920, tzinfo=UTC)
    assert value.utcoffset() == dt.timedelta(seconds=time.localtime(ticks).tm_gmtoff)
    assert value.replace(tzinfo=None) == dt.datetime.fromtimestamp(ticks)


# -- adapting ---------------------------------------------------------------------------------

def test_dates_and_times(cur):
    check_mogrify(cur, [
        (dt.date(2020, 1, 2), b"'2020-01-02'::date"),
        (dt.date(1, 1, 1), b"'0001-01-01'::date"),
        (dt.date.max, b"'9999-12-31'::date"),
        (dt.datetime(2020, 1, 2, 3, 4, 5, 6), b"'2020-01-02T03:04:05.000006'::timestamp"),
        (dt.datetime.min, b"'0001-01-01T00:00:00'::timestamp"),
        (dt.datetime.max, b"'9999-12-31T23:59:59.999999'::timestamp"),
        (dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=tz(hours=-5)),
         b"'2020-01-02T03:04:05-05:00'::timestamptz"),
        (dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC), b"'2020-01-02T03:04:05+00:00'::timestamptz"),
        (dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=tz(seconds=3723)),
         b"'2020-01-02T03:04:05+01:02:03'::timestamptz"),
        (dt.time(1, 2, 3), b"'01:02:03'::time"),
        (dt.time(23, 59, 59, 999999), b"'23:59:59.999999'::time"),
        (dt.time(1, 2, 3, tzinfo=tz(hours=5, minutes=30)), b"'01:02:03+05:30'::timetz"),
    ])


class SummerTime(dt.tzinfo):
    """A zone whose offset depends on the date: +02 from April to September, +01 otherwise."""

    def utcoffset(self, d):
        return dt.timedelta(hours=2 if 4 <= d.month <= 9 else 1)

    def dst(self, d):
        return dt.timedelta(0)


def test_datetimes_of_several_zones_in_one_query(cur):
    values = (dt.datetime(2020, 7, 1, 12, tzinfo=SummerTime()),
              dt.datetime(2020, 1, 1, 12, tzinfo=SummerTime()),
              dt.datetime(2020, 1, 1, 12, tzinfo=tz(hours=3)),
              dt.datetime(2020, 1, 1, 12, tzinfo=tz(hours=-3, microseconds=-5)),
              dt.datetime(2020, 1, 1, 12, tzinfo=tz(hours=3)),
              dt.datetime(2020, 1, 1, 12, 0, 0, 10))
    assert cur.mogrify('%s, %s, %s, %s, %s, %s', values) == (
        b"'2020-07-01T12:00:00+02:00'::timestamptz, '2020-01-01T12:00:00+01:00'::timestamptz, "
        b"'2020-01-01T12:00:00+03:00'::timestamptz, "
        b"'2020-01-01T12:00:00-03:00:00.000005'::timestamptz, "
        b"'2020-01-01T12:00:00+03:00'::timestamptz, '2020-01-01T12:00:00.000010'::timestamp")
    cur.execute('SELECT %s = %s', (values[0], dt.datetime(2020, 7, 1, 10, tzinfo=UTC)))
    assert cur.fetchone() == (True,)


def test_timedelta(cur):
    check_mogrify(cur, [
        (dt.timedelta(0), b"'0 days 0.000000 seconds'::interval"),
        (dt.timedelta(days=1, hours=2), b"'1 days 7200.000000 seconds'::interval"),
        (dt.timedelta(days=-1, seconds=5, microseconds=7),
         b"'-1 days 5.000007 seconds'::interval"),
        (dt.timedelta(microseconds=-1), b"'-1 days 86399.999999 seconds'::interval"),
    ])
