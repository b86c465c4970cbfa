"""bool: cast to True and False, and back; NULL of any type comes back as None and None goes
as NULL (types/boolean.py).

Expected values were taken from psycopg2 2.9.10 run against the same server.
"""
from _helpers import check_mogrify, check_select


def test_bool_and_null(cur):
    check_select(cur, [
        ('true', True, bool), ('false', False, bool),
        ('NULL', None, type(None)), ('NULL::int', None, type(None)),
        ('NULL::text', None, type(None)), ('NULL::bool', None, type(None)),
        ('NULL::date', None, type(None)), ('NULL::numeric', None, type(None)),
        ('NULL::bytea', None, type(None)), ('NULL::int[]', None, type(None)),
    ])


def test_none_and_bool(cur):
    check_mogrify(cur, [(None, b'NULL'), (True, b'true'), (False, b'false')])
