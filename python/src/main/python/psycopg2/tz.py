"""psycopg2.tz: tzinfo classes (kept for code written before datetime.timezone was the
default cursor.tzinfo_factory)."""
import datetime
import time

from psycopg2._impl.tzinfo import ZERO, FixedOffsetTimezone  # noqa: F401


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
