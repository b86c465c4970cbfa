"""The DB-API date/time constructors (Date, Timestamp, ...FromTicks) and psycopg2's
...FromPy adapters."""
import datetime as _dt
import time as _time

from .adapt import DateTime


def Date(year, month, day):
    return DateTime(_dt.date(year, month, day))


def Time(hour, minute, second, tzinfo=None):
    whole = int(second)
    micro = int(round((second - whole) * 1000000))
    return DateTime(_dt.time(hour, minute, whole, micro, tzinfo))


def Timestamp(year, month, day, hour=0, minute=0, second=0, tzinfo=None):
    whole = int(second)
    micro = int(round((second - whole) * 1000000))
    return DateTime(_dt.datetime(year, month, day, hour, minute, whole, micro, tzinfo))


def DateFromTicks(ticks):
    return DateTime(_dt.date.fromtimestamp(ticks))


def TimeFromTicks(ticks):
    t = _time.localtime(ticks)
    micro = int(round((ticks - int(ticks)) * 1000000)) % 1000000
    return DateTime(_dt.time(t.tm_hour, t.tm_min, t.tm_sec, micro))


def TimestampFromTicks(ticks):
    return DateTime(_dt.datetime.fromtimestamp(ticks))


def _checked(obj, kind, name):
    if not isinstance(obj, kind):
        raise TypeError("argument 1 must be %s, not %s" % (name, type(obj).__name__))
    return DateTime(obj)


def DateFromPy(obj):
    return _checked(obj, _dt.date, 'datetime.date')


def TimeFromPy(obj):
    return _checked(obj, _dt.time, 'datetime.time')


def TimestampFromPy(obj):
    return _checked(obj, _dt.datetime, 'datetime.datetime')


def IntervalFromPy(obj):
    return _checked(obj, _dt.timedelta, 'datetime.timedelta')
