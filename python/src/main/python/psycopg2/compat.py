"""psycopg2.compat, as psycopg2 2.8 had it on Python 2: the names its code and tests import to
tell the two Pythons apart. psycopg2 2.9 (Python 3 only) has no such module, and neither do we
there."""
import sys

if sys.version_info[0] >= 3:
    raise ImportError("No module named 'psycopg2.compat'", name='psycopg2.compat')

from psycopg2._impl.compat import (  # noqa: E402,F401
    PY2, lru_cache, string_types, text_type)

PY3 = not PY2
