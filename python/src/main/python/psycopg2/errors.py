"""psycopg2.errors: one exception class per SQLSTATE of PostgreSQL's errors, and lookup().

The classes are generated into psycopg2._impl.errors (python/tools/generate_tables.py); their
``__module__`` is this module's name, so repr and pickling show psycopg2.errors.
"""
from ._impl.errors import *  # noqa: F401,F403
from ._impl.errors import _for_sqlstate, lookup  # noqa: F401
