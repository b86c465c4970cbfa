"""psycopg2.tz, with psycopg2's naming of offsets."""
import datetime
import pickle

from psycopg2 import tz


def test_fixed_offset_names_and_caching():
    cases = [(0, '+00'), (60, '+01'), (330, '+05:30'), (-60, '-01'),
             # psycopg2 floors the hours: -05:30 is named -06:30.
             (-330, '-06:30'),
             (datetime.timedelta(hours=5, minutes=30, seconds=15), '+05:30:15')]
    for offset, name in cases:
        zone = tz.FixedOffsetTimezone(offset)
        assert zone.tzname(None) == name
        assert zone is tz.FixedOffsetTimezone(offset)
        expected = offset if isinstance(offset, datetime.timedelta) \
            else datetime.timedelta(minutes=offset)
        assert zone.utcoffset(None) == expected
        assert zone.dst(None) == datetime.timedelta(0)


def test_repr_name_equality_pickle():
    zone = tz.FixedOffsetTimezone(60, 'X')
    assert repr(zone) == ("psycopg2.tz.FixedOffsetTimezone("
                          "offset=datetime.timedelta(seconds=3600), name='X')")
    assert zone.tzname(None) == 'X'
    assert tz.FixedOffsetTimezone(60) == zone
    moment = datetime.datetime(2020, 1, 1, tzinfo=zone)
    assert pickle.loads(pickle.dumps(moment)) == moment


def test_timestamptz_with_tzinfo_factory(cur):
    cur.tzinfo_factory = tz.FixedOffsetTimezone
    cur.execute("SET TIME ZONE 'Asia/Kolkata'")
    cur.execute("select '2020-01-01 10:00:00+00'::timestamptz")
    value = cur.fetchone()[0]
    assert value.utcoffset() == datetime.timedelta(hours=5, minutes=30)
    assert isinstance(value.tzinfo, tz.FixedOffsetTimezone)
    assert value == datetime.datetime(2020, 1, 1, 10, 0, tzinfo=datetime.timezone.utc)


def test_local_timezone_offset_matches_time_module():
    now = datetime.datetime(2020, 6, 1, 12, 0)
    assert tz.LOCAL.utcoffset(now) in (tz.STDOFFSET, tz.DSTOFFSET)
