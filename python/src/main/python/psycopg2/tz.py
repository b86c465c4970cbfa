"""psycopg2.tz: tzinfo classes (kept for code written before datetime.timezone was the
default cursor.tzinfo_factory)."""
import datetime  # noqa: F401  (names psycopg2.tz has)
import time  # noqa: F401

from psycopg2._impl.tzinfo import (  # noqa: F401
    DSTDIFF, DSTOFFSET, LOCAL, STDOFFSET, ZERO, FixedOffsetTimezone, LocalTimezone)
