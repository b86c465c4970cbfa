"""psycopg2.tz's FixedOffsetTimezone, defined here because the cursor's default tzinfo_factory
is it on Python 2 (psycopg2 2.8's default; Python 2 has no datetime.timezone), and that default.
"""
import datetime

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
        return "psycopg2.tz.FixedOffsetTimezone(offset=%r, name=%r)" % (self._offset, self._name)

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


FixedOffsetTimezone.__module__ = 'psycopg2.tz'

# cursor.tzinfo_factory's default: psycopg2 2.9's on Python 3, 2.8's on Python 2.
DEFAULT_TZINFO_FACTORY = FixedOffsetTimezone if PY2 else datetime.timezone
