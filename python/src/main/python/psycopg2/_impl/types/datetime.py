"""Dates and times: date, time, timetz, timestamp, timestamptz and interval to the datetime
module's objects and back, and the DB-API's constructors (Date, Timestamp, ...FromTicks) and
psycopg2's ...FromPy adapters."""
# Python 2 would import this package's module of the same name.
from __future__ import absolute_import
import datetime as _dt
import re as _re
import time as _time

from .. import pq
from ..adapt import CoreAdapter
from ..compat import PY2, raise_from
from ..exceptions import DataError, NotSupportedError, ProgrammingError
from ..oids import TYPE_OIDS
from ..typecast import builtin_type, new_array_type
from ..tzinfo import DEFAULT_TZINFO_FACTORY, LOCAL

# -- casters -------------------------------------------------------------------------------------


_DATE = _re.compile(r'(\d+)-(\d+)-(\d+)')


def _date_fields(value):
    """(year, month, day, where the date ends) of the date value starts with, None if none.
    As psycopg2 does, the year may have more than 4 digits and ' BC' at the very end makes it
    negative: the datetime constructors then raise their ValueError ('year 10000 is out of
    range'), the error psycopg2 gives for dates Python cannot hold."""
    m = _DATE.match(value)
    if m is None:
        return None
    year = int(m.group(1))
    if value.endswith(' BC'):
        year = -year
    return year, int(m.group(2)), int(m.group(3)), m.end()


# Packed dates and timestamps arrive as int; on Jython as long past 32 bits. (On Python 3,
# `_LONG` is int again: a packed value passes the first `is` test, as fast as before.)
_LONG = long if PY2 else int  # noqa: F821 (Python 2 only)


def cast_packed_date(value, cursor):
    """cast_date for a column java-core's bridge packed (pq.KIND_DATE): an int
    year << 9 | month << 5 | day, or the text when unusual (infinity, BC, ...)."""
    if type(value) is int or type(value) is _LONG:
        return _dt.date(value >> 9, value >> 5 & 15, value & 31)
    return cast_date(value, cursor)


if PY2:
    def _iso_date(value):
        return _dt.date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
else:
    _iso_date = _dt.date.fromisoformat


def cast_date(value, cursor):
    if value is None:
        return None
    if len(value) == 10:            # 'YYYY-MM-DD', what the server sends: the quick way
        try:
            return _iso_date(value)
        except ValueError:
            pass
    if value == 'infinity':
        return _dt.date.max
    if value == '-infinity':
        return _dt.date.min
    fields = _date_fields(value)
    if fields is None:
        raise DataError("unable to parse date %r" % value)
    return _dt.date(*fields[:3])    # what follows the date is ignored, as psycopg2 does


# Seconds are required, as psycopg2 requires them; a space may come before the UTC offset.
_TIME = _re.compile(r'(\d+):(\d+):(\d+)(?:\.(\d+))?(?: ?([-+])(\d+)(?::(\d+)(?::(\d+))?)?)?$')


def _time_fields(value, cursor):
    """(hour, minute, second, microsecond, tzinfo) of a time's text."""
    m = _TIME.match(value)
    if m is None:
        raise DataError("unable to parse time %r" % value)
    hh, mm, ss, frac, sign, th, tm, ts = m.groups()
    hour, minute, second = int(hh), int(mm), int(ss)
    micro = int((frac or '0')[:6].ljust(6, '0'))
    if frac and len(frac) > 6 and frac[6] >= '5':
        micro += 1  # PostgreSQL rounds, it never shows more than 6 digits, but be safe
    tz = _tzinfo(cursor, _signed_offset(sign, th, tm, ts)) if sign else None
    if hour == 24:      # '24:00:00' is valid in PostgreSQL, not in Python
        hour = 0
    if second > 59:     # a leap second, which Python lacks: psycopg2 makes it the next minute
        minute += 1
        second -= 60
    return hour, minute, second, micro, tz


# The tzinfo objects built per (factory, offset as met), e.g. (datetime.timezone, '+02') for
# the text casters, (datetime.timezone, 7200) for packed values: a column of timestamptz
# repeats a handful of offsets.
_TZ_CACHE = {}


def _memoized_tzinfo(cursor, found, to_offset):
    """The cursor's tzinfo for an offset met as ``found`` (its text, or its seconds east of
    UTC), which ``to_offset(found)`` turns into a timedelta the first time only."""
    factory = _tz_factory(cursor)
    key = (factory, found)
    tz = _TZ_CACHE.get(key)
    if tz is None and key not in _TZ_CACHE:
        tz = _tzinfo(cursor, to_offset(found), factory)
        if len(_TZ_CACHE) < 1000:
            _TZ_CACHE[key] = tz
    return tz


def _offset_of_text(text):
    m = _OFFSET.match(text)
    if m is None:
        raise ValueError(text)
    return _signed_offset(*m.groups())


if PY2:
    def _offset_of_seconds(seconds):
        # Python 2's tzinfo takes whole minutes: psycopg2 2.8 rounds to the nearest one.
        minutes = (abs(seconds) + 30) // 60
        return _dt.timedelta(minutes=-minutes if seconds < 0 else minutes)
else:
    def _offset_of_seconds(seconds):
        return _dt.timedelta(seconds=seconds)


def _cached_tzinfo(cursor, text):
    return _memoized_tzinfo(cursor, text, _offset_of_text)


_OFFSET = _re.compile(r'([-+])(\d+)(?::(\d+)(?::(\d+))?)?$')


def _fast_timestamp(value, cursor):
    """'YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]]' by slicing; None for any other form."""
    n = len(value)
    if n < 19 or value[4] != '-' or value[10] != ' ' or value[13] != ':' or value[16] != ':':
        return None
    tz_at = value.find('+', 19)
    if tz_at < 0:
        tz_at = value.find('-', 19)
        if tz_at < 0:
            tz_at = n
    micro = 0
    if tz_at > 19:
        if value[19] != '.' or tz_at - 20 > 6:
            return None
        micro = int(value[20:tz_at].ljust(6, '0'))
    hour = int(value[11:13])
    if hour == 24:
        return None
    tz = _cached_tzinfo(cursor, value[tz_at:]) if tz_at < n else None
    return _dt.datetime(int(value[0:4]), int(value[5:7]), int(value[8:10]), hour,
                        int(value[14:16]), int(value[17:19]), micro, tz)


def _signed_offset(sign, hours, minutes, seconds):
    """A UTC offset from its text parts ('-', '04', '56', '02'; the last two may be None)."""
    offset = int(hours) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    return _offset_of_seconds(-offset if sign == '-' else offset)


def _tz_factory(cursor):
    return getattr(cursor, 'tzinfo_factory', DEFAULT_TZINFO_FACTORY) if cursor is not None \
        else DEFAULT_TZINFO_FACTORY


def _tzinfo(cursor, offset, factory=None):
    if factory is None:
        factory = _tz_factory(cursor)
    if factory is None:
        return None
    return factory(offset)


def cast_time(value, cursor):
    if value is None:
        return None
    return _dt.time(*_time_fields(value, cursor))


def _packed_timestamp(value, tz):
    """The datetime of a timestamp packed by java-core's bridge (see PackedValues.java):
    year << 46 | month << 42 | day << 37 | hour << 32 | minute << 26 | second << 20 | micro."""
    return _dt.datetime(value >> 46 & 0x3fff, value >> 42 & 15, value >> 37 & 31, value >> 32 & 31,
                        value >> 26 & 63, value >> 20 & 63, value & 0xfffff, tz)


def _packed_tzinfo(cursor, index):
    """The tzinfo of offset ``index`` of the rows being cast (see PGresult.tz_offsets)."""
    return _memoized_tzinfo(cursor, cursor._result.tz_offsets[index], _offset_of_seconds)


def cast_packed_timestamptz(value, cursor):
    """cast_timestamptz for a column java-core's bridge packed (pq.KIND_TIMESTAMPTZ)."""
    if type(value) is int or type(value) is _LONG:
        return _packed_timestamp(value, _packed_tzinfo(cursor, value >> 60))
    return cast_timestamptz(value, cursor)


def cast_packed_timestamp(value, cursor):
    """cast_timestamp for a column java-core's bridge packed (pq.KIND_TIMESTAMP)."""
    if type(value) is int or type(value) is _LONG:
        return _packed_timestamp(value, None)
    return cast_timestamp(value, cursor)


def cast_timestamptz(value, cursor):
    if value == 'infinity' or value == '-infinity':
        limit = _dt.datetime.max if value == 'infinity' else _dt.datetime.min
        return limit.replace(tzinfo=_tzinfo(cursor, _dt.timedelta(0)))
    return cast_timestamp(value, cursor)


def cast_timestamp(value, cursor):
    if value is None:
        return None
    try:
        fast = _fast_timestamp(value, cursor)
    except ValueError:
        fast = None        # not digits where expected (or ' BC'): the general parser says why
    if fast is not None:
        return fast
    if value == 'infinity':
        return _dt.datetime.max
    if value == '-infinity':
        return _dt.datetime.min
    fields = _date_fields(value)
    if fields is None:
        raise DataError("unable to parse timestamp %r" % value)
    year, month, day, end = fields
    time_part = value[end + 1:]
    if time_part.endswith(' BC'):
        time_part = time_part[:-3]
    if not time_part:           # a date alone is its midnight, for psycopg2 too
        return _dt.datetime(year, month, day)
    if value[end] not in ' T':
        raise DataError("unable to parse timestamp %r" % value)
    return _dt.datetime(year, month, day, *_time_fields(time_part, cursor))


# The server's interval output (IntervalStyle postgres). Numbers of up to 9 digits, which
# psycopg2's C ints hold: longer ones, and any other text, go to _scan_interval().
_INTERVAL = _re.compile(
    r'(?:([-+]?\d{1,9}) years? ?)?(?:([-+]?\d{1,9}) mons? ?)?(?:([-+]?\d{1,9}) days? ?)?'
    r'(?:([-+])?(\d{1,9}):(\d{1,9}):(\d{1,9})(?:\.(\d{1,6}))?)?$')


def cast_interval(value, cursor):
    if value is None:
        return None
    m = _INTERVAL.match(value)
    if m is None or not value:
        return _scan_interval(value)
    years, months, days, sign, hh, mm, ss, frac = m.groups()
    # psycopg2's calendar: a year is 365 days, a month 30.
    total_days = int(years or 0) * 365 + int(months or 0) * 30 + int(days or 0)
    secs = _dt.timedelta(hours=int(hh or 0), minutes=int(mm or 0), seconds=int(ss or 0),
                         microseconds=int((frac or '0')[:6].ljust(6, '0')))
    if sign == '-':
        secs = -secs
    return _dt.timedelta(days=total_days) + secs


_INT_MAX = 2 ** 31 - 1         # psycopg2 holds each number of an interval in a C int


def _scan_interval(value):
    """An interval's text read as psycopg2 reads it, for what _INTERVAL does not match: digits
    make a number, which the next 'y', 'm' or 'd' makes the years, months or days (the rest
    of that word is skipped), and ':' and '.' the hours, minutes and seconds; a '-' makes the
    next of those negative (the time as a whole); anything else is skipped. A number alone is
    microseconds (Redshift sends those); 'P' starts IntervalStyle iso_8601, not supported."""
    ymd = [0, 0, 0]
    hours = minutes = seconds = micros = 0
    # part: how far the reading got: 1-3 past the years, months, days; 4-6 past the hours,
    # minutes, seconds. digits: those of the fraction of a second.
    number, sign, part, digits = 0, 1, 0, 0
    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if '0' <= ch <= '9':
            number = number * 10 + ord(ch) - 48
            if number > _INT_MAX:
                return _interval_from_micros(value, OverflowError("interval component too big"))
            if part == 6:
                digits += 1
        elif ch == '-':
            sign = -1
        elif ch in 'ymd' and part <= 'ymd'.index(ch):
            unit = 'ymd'.index(ch)
            ymd[unit] = sign * number
            number, sign, part = 0, 1, unit + 1
            space = value.find(' ', i)
            i = n if space < 0 else space
        elif ch == ':' and part <= 4:
            if part <= 3:
                hours, part = number, 4
            else:
                minutes, part = number, 5
            number = 0
        elif ch == '.' and part == 5:
            seconds, number, part = number, 0, 6
        elif ch == 'P':
            raise NotSupportedError("iso_8601 intervalstyle currently not supported")
        i += 1
    if part == 0:
        return _interval_from_micros(value, None)
    if part == 4:
        minutes = number
    elif part == 5:
        seconds = number
    elif part == 6:
        # The fraction's digits: psycopg2 counts at most 9 of them and rounds to microseconds.
        denom = 10 ** min(digits, 9)
        micros = (number * 2000000 + denom) // (2 * denom)
    seconds += 60 * minutes + 3600 * hours
    if sign < 0:
        seconds, micros = -seconds, -micros
    years, months, days = ymd
    # psycopg2's calendar: a year is 365 days, a month 30.
    return _dt.timedelta(days + 30 * months + 365 * years, seconds, micros)


def _interval_from_micros(value, error):
    """The interval of value read as a number of microseconds; when it is not one, ``error``
    (a number too big for psycopg2), or a ValueError."""
    try:
        micros = int(value, 0)
    except ValueError:
        if error is not None:
            raise_from(error, None)
        raise_from(ValueError("expected number of microseconds, got %s" % value), None)
    return _dt.timedelta(microseconds=micros)


def _oids(*names):
    return tuple(TYPE_OIDS[name] for name in names)


# 704 is tinterval, gone from PostgreSQL 12 on (not in the generated table): psycopg2 keeps it.
_TINTERVAL_OID = 704

DATETIME = builtin_type(_oids('timestamp'), 'DATETIME', cast_timestamp, pq.KIND_TIMESTAMP,
                          cast_packed_timestamp)
DATETIMETZ = builtin_type(_oids('timestamptz'), 'DATETIMETZ', cast_timestamptz, pq.KIND_TIMESTAMPTZ,
                            cast_packed_timestamptz)
TIME = builtin_type(_oids('time', 'timetz'), 'TIME', cast_time)
DATE = builtin_type(_oids('date'), 'DATE', cast_date, pq.KIND_DATE, cast_packed_date)
INTERVAL = builtin_type((_TINTERVAL_OID,) + _oids('interval'), 'INTERVAL', cast_interval)

DATETIMEARRAY = new_array_type(_oids('_timestamp'), 'DATETIMEARRAY', DATETIME)
DATETIMETZARRAY = new_array_type(_oids('_timestamptz'), 'DATETIMETZARRAY', DATETIMETZ)
TIMEARRAY = new_array_type(_oids('_time', '_timetz'), 'TIMEARRAY', TIME)
DATEARRAY = new_array_type(_oids('_date'), 'DATEARRAY', DATE)
INTERVALARRAY = new_array_type(_oids('_interval'), 'INTERVALARRAY', INTERVAL)

# psycopg2's casters to the datetime module's objects under their own names: on Python 3 they
# cast as the ones above (those are registered), but are objects of their own, named PY*.
PYDATETIME = builtin_type(DATETIME.values, 'PYDATETIME', cast_timestamp, pq.KIND_TIMESTAMP,
                          cast_packed_timestamp)
PYDATETIMETZ = builtin_type(DATETIMETZ.values, 'PYDATETIMETZ', cast_timestamptz, pq.KIND_TIMESTAMPTZ,
                            cast_packed_timestamptz)
PYTIME = builtin_type(TIME.values, 'PYTIME', cast_time)
PYDATE = builtin_type(DATE.values, 'PYDATE', cast_date, pq.KIND_DATE, cast_packed_date)
PYINTERVAL = builtin_type(INTERVAL.values, 'PYINTERVAL', cast_interval)

PYDATETIMEARRAY = new_array_type(DATETIMEARRAY.values, 'PYDATETIMEARRAY', PYDATETIME)
PYDATETIMETZARRAY = new_array_type(DATETIMETZARRAY.values, 'PYDATETIMETZARRAY', PYDATETIMETZ)
PYTIMEARRAY = new_array_type(TIMEARRAY.values, 'PYTIMEARRAY', PYTIME)
PYDATEARRAY = new_array_type(DATEARRAY.values, 'PYDATEARRAY', PYDATE)
PYINTERVALARRAY = new_array_type(INTERVALARRAY.values, 'PYINTERVALARRAY', PYINTERVAL)


# -- adapter -------------------------------------------------------------------------------------

def temporal_literal(obj, conn=None):
    """The typed literal of a date, time, datetime or timedelta, as bytes."""
    if isinstance(obj, _dt.datetime):
        text = "'%s'::%s" % (_datetime_text(obj), 'timestamptz' if obj.tzinfo else 'timestamp')
    elif isinstance(obj, _dt.date):
        text = "'%s'::date" % obj.isoformat()
    elif isinstance(obj, _dt.time):
        text = "'%s'::%s" % (obj.isoformat(), 'timetz' if obj.tzinfo else 'time')
    elif isinstance(obj, _dt.timedelta):
        text = "'%d days %d.%06d seconds'::interval" % (obj.days, obj.seconds, obj.microseconds)
    else:
        raise ProgrammingError("can't adapt type '%s'" % type(obj).__name__)
    return text.encode('ascii')


def _datetime_text(obj):
    """obj.isoformat(), built directly: GraalPy's datetime is pure Python, and its isoformat()
    works out the UTC offset's text through timedelta arithmetic for every value."""
    text = '%04d-%02d-%02dT%02d:%02d:%02d' % (obj.year, obj.month, obj.day, obj.hour, obj.minute,
                                              obj.second)
    micro = obj.microsecond
    if micro:
        text += '.%06d' % micro
    tz = obj.tzinfo
    if tz is None:
        return text
    if type(tz) is DEFAULT_TZINFO_FACTORY:
        # A fixed offset: its text is kept for the last zone seen (a batch shares one).
        global _last_fixed_offset
        last = _last_fixed_offset
        if last[0] is tz:
            return text + last[1]
        offset = _offset_text(tz.utcoffset(None))
        _last_fixed_offset = (tz, offset)
        return text + offset
    return text + _offset_text(obj.utcoffset())


_last_fixed_offset = (None, '')


def _offset_text(offset):
    """A UTC offset as isoformat() writes it: +HH:MM, then :SS and .ffffff when not zero."""
    if offset is None:
        return ''
    sign = '+'
    if offset.days < 0:
        sign, offset = '-', -offset
    seconds, micro = offset.days * 86400 + offset.seconds, offset.microseconds
    text = '%s%02d:%02d' % (sign, seconds // 3600, seconds // 60 % 60)
    if seconds % 60 or micro:
        text += ':%02d' % (seconds % 60)
    if micro:
        text += '.%06d' % micro
    return text


class _TemporalAdapter(CoreAdapter):
    """date, time, datetime and timedelta as typed literals: what psycopg2's DateFromPy,
    TimeFromPy, TimestampFromPy and IntervalFromPy return (its C type `datetime`, which
    _psycopg does not export)."""

    def getquoted(self):
        return temporal_literal(self._adapted)

    def __str__(self):
        return self.getquoted().decode('ascii')


_TemporalAdapter.__module__ = 'psycopg2._psycopg'
_TemporalAdapter.__name__ = _TemporalAdapter.__qualname__ = 'datetime'


# -- the DB-API's constructors and psycopg2's ...FromPy ------------------------------------------

def Date(year, month, day):
    return _TemporalAdapter(_dt.date(year, month, day))


def Time(hour, minute, second, tzinfo=None):
    whole = int(second)
    micro = int(round((second - whole) * 1000000))
    return _TemporalAdapter(_dt.time(hour, minute, whole, micro, tzinfo))


def Timestamp(year, month, day, hour=0, minute=0, second=0, tzinfo=None):
    whole = int(second)
    micro = int(round((second - whole) * 1000000))
    return _TemporalAdapter(_dt.datetime(year, month, day, hour, minute, whole, micro, tzinfo))


def DateFromTicks(ticks):
    return _TemporalAdapter(_dt.date.fromtimestamp(ticks))


def TimeFromTicks(ticks):
    t = _time.localtime(ticks)
    micro = int(round((ticks - int(ticks)) * 1000000)) % 1000000
    return _TemporalAdapter(_dt.time(t.tm_hour, t.tm_min, t.tm_sec, micro))


def TimestampFromTicks(ticks):
    # Local time with the local UTC offset attached, as psycopg2 gives (not a naive datetime).
    if PY2:     # no astimezone() without a zone there: psycopg2 2.8 used psycopg2.tz's
        return _TemporalAdapter(_dt.datetime.fromtimestamp(ticks, LOCAL))
    return _TemporalAdapter(_dt.datetime.fromtimestamp(ticks).astimezone())


def _checked(obj, kind, name):
    if not isinstance(obj, kind):
        raise TypeError("argument 1 must be %s, not %s" % (name, type(obj).__name__))
    return _TemporalAdapter(obj)


def DateFromPy(obj):
    return _checked(obj, _dt.date, 'datetime.date')


def TimeFromPy(obj):
    return _checked(obj, _dt.time, 'datetime.time')


def TimestampFromPy(obj):
    return _checked(obj, _dt.datetime, 'datetime.datetime')


def IntervalFromPy(obj):
    return _checked(obj, _dt.timedelta, 'datetime.timedelta')
