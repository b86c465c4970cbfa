# -*- coding: utf-8 -*-
"""Quickstart: plain psycopg2 code, run unchanged on GraalPy with bin/pg-python (Python 3,
psycopg2 2.9) and on Jython with bin/pg-jython (Python 2.7, psycopg2 2.8).

It connects with libpq's PG* environment defaults (or the DSN given as the first argument),
creates a table, inserts rows with parameters, and reads them back as Python objects.
"""
from __future__ import print_function

import datetime
import decimal
import platform
import sys

import psycopg2
import psycopg2.tz

# datetime.timezone.utc where there is one; Python 2 has psycopg2's tzinfo class only.
UTC = getattr(datetime, 'timezone', None) and datetime.timezone.utc \
    or psycopg2.tz.FixedOffsetTimezone(offset=0)

dsn = sys.argv[1] if len(sys.argv) > 1 else ''

with psycopg2.connect(dsn) as conn:
    with conn.cursor() as cur:
        cur.execute("""
            CREATE TEMP TABLE quickstart (
                id serial PRIMARY KEY,
                name text NOT NULL,
                price numeric(10, 2),
                in_stock boolean,
                added timestamptz,
                tags text[]
            )""")
        rows = [
            ('tea', decimal.Decimal('3.50'), True,
             datetime.datetime(2024, 5, 1, 9, 30, tzinfo=UTC), ['hot', 'leaf']),
            ("o'clock biscuits", decimal.Decimal('2.25'), False,
             datetime.datetime(2024, 5, 2, 16, 0, tzinfo=UTC), []),
            (u'café crème', None, True, None, ['hot']),
        ]
        cur.executemany(
            "INSERT INTO quickstart (name, price, in_stock, added, tags) "
            "VALUES (%s, %s, %s, %s, %s)", rows)
        print("inserted %d rows" % cur.rowcount)

        cur.execute("SELECT id, name, price, in_stock, added, tags FROM quickstart "
                    "WHERE price IS NULL OR price < %(limit)s ORDER BY id",
                    {'limit': decimal.Decimal('10')})
        print("columns:", ', '.join(col.name for col in cur.description))
        for row in cur:
            print(row)
            print("    types:", ', '.join(type(value).__name__ for value in row))

        cur.execute("SELECT version()")
        print("server:", cur.fetchone()[0].split(',')[0])
    impl = getattr(sys, 'implementation', None)         # Python 3.3+ only
    print("running on", impl.name if impl else platform.python_implementation(),
          platform.python_version())
