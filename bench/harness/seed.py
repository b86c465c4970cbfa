"""The seed data of the database pgjvm_bench: fixed rows from generate_series, no randomness,
kept between runs and built again when SEED_VERSION changes; and the COPY data file."""
import os
import time

from .config import CACHE, DBNAME, ITEMS, SEED_VERSION
from .util import say

COPY_COLUMNS = 'id, i4, f8, num, txt, ts, flag'
# The same rows that batch_insert.make_rows() builds, as SQL, for the COPY data file.
COPY_SELECT = """SELECT i, (i * 2654435761) %% 2147483647, i / 7.0::float8,
       ((i * 7919) %% 10000000) / 100.0, 'row ' || i || ' ' || repeat('x', (i %% 24)::int),
       timestamptz '2024-01-01 00:00:00+00' + i * interval '37 seconds', i %% 3 = 0
FROM generate_series(1::int8, %d) AS i"""


def seed_sql_items():
    return """
DROP TABLE IF EXISTS bench_items;
CREATE TABLE bench_items (id int8 PRIMARY KEY, grp int4 NOT NULL, name text NOT NULL,
    email text, price numeric(12,2), created_at timestamptz, active bool);
INSERT INTO bench_items
SELECT i, i %% 97, 'item ' || i, 'user' || i || '@example.com', ((i * 7919) %% 1000000) / 100.0,
       timestamptz '2024-01-01 00:00:00+00' + i * interval '61 seconds', i %% 4 <> 0
FROM generate_series(1::int8, %d) AS i;
""" % ITEMS


def seed_sql_wide(n):
    # Each column is NULL in a tenth of the rows (a different tenth per column).
    return """
DROP TABLE IF EXISTS bench_wide_{n};
CREATE TABLE bench_wide_{n} (c_int8 int8, c_int4 int4, c_float8 float8, c_numeric numeric(12,2),
    c_text text, c_ts timestamptz, c_bool bool);
INSERT INTO bench_wide_{n}
SELECT CASE WHEN i % 10 = 0 THEN NULL ELSE i * 1000003 END,
       CASE WHEN i % 10 = 1 THEN NULL ELSE (i * 7919) % 2000000000 END,
       CASE WHEN i % 10 = 2 THEN NULL ELSE i / 3.0::float8 END,
       CASE WHEN i % 10 = 3 THEN NULL ELSE ((i * 7919) % 100000000) / 100.0 END,
       CASE WHEN i % 10 = 4 THEN NULL ELSE md5(i::text) END,
       CASE WHEN i % 10 = 5 THEN NULL
            ELSE timestamptz '2020-01-01 00:00:00+00' + i * interval '7 seconds' END,
       CASE WHEN i % 10 = 6 THEN NULL ELSE i % 3 = 0 END
FROM generate_series(1::int8, {n}) AS i;
""".format(n=n)


SEED_TARGETS = """
CREATE TABLE IF NOT EXISTS bench_insert (id int8 PRIMARY KEY, i4 int4, f8 float8,
    num numeric(12,2), txt text, ts timestamptz, flag bool);
CREATE TABLE IF NOT EXISTS bench_copy (id int8 PRIMARY KEY, i4 int4, f8 float8,
    num numeric(12,2), txt text, ts timestamptz, flag bool);
"""


def seed(psql, sizes):
    """Create the database and the fixed seed data this run needs (kept for later runs)."""
    t0 = time.perf_counter()
    if psql.run("SELECT 1 FROM pg_database WHERE datname = '%s'" % DBNAME, db='postgres') != '1':
        psql.run('CREATE DATABASE %s' % DBNAME, db='postgres')
    psql.run('CREATE TABLE IF NOT EXISTS bench_meta (name text PRIMARY KEY, version int);'
             + SEED_TARGETS)
    _seed_tables(psql, sizes['large_fetch']['rows'])
    path = _copy_file(psql, sizes['copy_from']['rows'])
    return {'copy_file': path, 'seconds': time.perf_counter() - t0}


def _seed_tables(psql, wide_rows):
    """(Re)build the tables that bench_meta does not list at SEED_VERSION."""
    done = set(psql.run('SELECT name FROM bench_meta WHERE version = %d' % SEED_VERSION)
               .split())
    wanted = [('bench_items', seed_sql_items())]
    wanted.append(('bench_wide_%d' % wide_rows, seed_sql_wide(wide_rows)))
    for name, sql in wanted:
        if name in done:
            continue
        say('seeding %s' % name)
        psql.run('BEGIN;' + sql + "INSERT INTO bench_meta VALUES ('%s', %d) ON CONFLICT (name) "
                 "DO UPDATE SET version = EXCLUDED.version; COMMIT; ANALYZE %s;"
                 % (name, SEED_VERSION, name))


def _copy_file(psql, n):
    """The COPY data file of n rows, written by the server's own text output (TimeZone UTC),
    in the cache: written once per SEED_VERSION and size."""
    data_dir = os.path.join(CACHE, 'data')
    os.makedirs(data_dir, exist_ok=True)
    path = os.path.join(data_dir, 'copy-v%d-%d.tsv' % (SEED_VERSION, n))
    if not os.path.isfile(path):
        say('writing %s' % path)
        tmp = path + '.tmp'  # renamed when complete: an interrupted run leaves no short file
        psql.run("SET TimeZone = 'UTC';\n\\copy (%s) TO '%s'\n"
                 % (' '.join((COPY_SELECT % n).split()), tmp))
        os.replace(tmp, path)
    return path
