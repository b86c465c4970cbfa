"""psycopg2.tz's classes, defined here because the layers below the public modules need them on
Python 2, which has no datetime.timezone: FixedOffsetTimezone is the cursor's default
tzinfo_factory there (psycopg2 2.8's), LOCAL the zone of TimestampFromTicks().
"""
import datetime
import time

from .compat import PY2

ZERO = datetime.timedelta(0)


class FixedOffsetTimezone(datetime.tzinfo):
    """A fixed offset from UTC, in minutes or as a timedelta; instances are shared per
    (offset, name), so that datetimes compare and pickle cheaply."""

    _name = None
    _offset = ZERO
    _cache = {}

    def __new__(cls, offset=None, name=None):
        key = (offset, name)
        tz = cls._cache.get(key)
        if tz is None:
            tz = super(FixedOffsetTimezone, cls).__new__(cls)
            cls._cache[key] = tz
        return tz

    def __init__(self, offset=None, name=None):
        if offset is not None:
            if not isinstance(offset, datetime.timedelta):
                offset = datetime.timedelta(minutes=offset)
            self._offset = offset
        if name is not None:
            self._name = name

    def __repr__(self):
        # The offset as given: psycopg2 2.8 took minutes only, 2.9 a timedelta too.
        offset = self._offset
        if PY2:
            offset = offset.days * 1440 + offset.seconds // 60
        return "psycopg2.tz.FixedOffsetTimezone(offset=%r, name=%r)" % (offset, self._name)

    def __eq__(self, other):
        if isinstance(other, FixedOffsetTimezone):
            return self._offset == other._offset
        return NotImplemented

    def __ne__(self, other):
        if isinstance(other, FixedOffsetTimezone):
            return self._offset != other._offset
        return NotImplemented

    def __getinitargs__(self):
        return self._offset, self._name

    def utcoffset(self, dt):
        return self._offset

    def tzname(self, dt):
        if self._name is not None:
            return self._name
        # Floor division, as psycopg2 does: -05:30 is named '-06:30' (whole hours towards
        # minus infinity, then the positive remainder).
        hours, rest = divmod(int(self._offset.total_seconds()), 3600)
        minutes, seconds = divmod(rest, 60)
        name = '%+03d' % hours
        if minutes or seconds:
            name += ':%02d' % minutes
            if seconds:
                name += ':%02d' % seconds
        return name

    def dst(self, dt):
        return ZERO


STDOFFSET = datetime.timedelta(seconds=-time.timezone)
DSTOFFSET = datetime.timedelta(seconds=-time.altzone) if time.daylight else STDOFFSET
DSTDIFF = DSTOFFSET - STDOFFSET


class LocalTimezone(datetime.tzinfo):
    """The platform's idea of the local time zone, through the time module."""

    def utcoffset(self, dt):
        return DSTOFFSET if self._isdst(dt) else STDOFFSET

    def dst(self, dt):
        return DSTDIFF if self._isdst(dt) else ZERO

    def tzname(self, dt):
        return time.tzname[self._isdst(dt)]

    def _isdst(self, dt):
        fields = (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.weekday(), 0, -1)
        return time.localtime(time.mktime(fields)).tm_isdst > 0


LOCAL = LocalTimezone()


FixedOffsetTimezone.__module__ = LocalTimezone.__module__ = 'psycopg2.tz'

# cursor.tzinfo_factory's default: psycopg2 2.9's on Python 3, 2.8's on Python 2.
DEFAULT_TZINFO_FACTORY = FixedOffsetTimezone if PY2 else datetime.timezone
