"""The benchmark harness behind bin/bench (runs on CPython, standard library only).

For each workload in bench/workloads/ it starts one fresh process per (runtime, driver),
interleaved (the order rotates from workload to workload and round to round), against the
throwaway server of bin/test-postgres over TCP 127.0.0.1 with sslmode=disable. It measures
every process from the outside too (wall time, CPU time of all its threads, peak RSS, from
wait4), runs the server-side references (pgbench, psql \\copy), then prints the tables and
writes a JSON file (and the same tables as Markdown) under target/bench/.

The runtimes other than ours are installed outside the repository, in PGJVM_BENCH_CACHE
(default ~/.cache/pgjvm-bench), once; later runs reuse them.
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORKLOADS = os.path.join(HERE, 'workloads')
sys.path.insert(0, WORKLOADS)
import _common  # noqa: E402  (statistics shared with the workload scripts)

PG_PYTHON = os.path.join(ROOT, 'bin', 'pg-python')
OUR_SRC = os.path.join(ROOT, 'python', 'src', 'main', 'python')
CACHE = os.environ.get('PGJVM_BENCH_CACHE') or os.path.join(
    os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'pgjvm-bench')
DBNAME = 'pgjvm_bench'

# psycopg2 2.9.10 is the newest 2.9.x for which GraalPy 25.0's pip carries a patch; the
# binary wheel on CPython is pinned to the same release so that both run the same C code.
PSYCOPG2_VERSION = '2.9.10'
PG8000_VERSION = '1.31.6'
# Bump when the seed data or the tables change: the harness then seeds again.
SEED_VERSION = 2
ITEMS = 100000  # rows of bench_items (primary-key lookups, ORM reads)

# -- sizes -------------------------------------------------------------------------------------

SIZES = {
    'full': {
        'roundtrip': {'queries': 20000, 'iterations': 6, 'items': ITEMS},
        'large_fetch': {'rows': 1000000, 'iterations': 5, 'itersize': 2000},
        'orm_read': {'queries': 10000, 'iterations': 6, 'items': ITEMS, 'page': 100},
        'batch_insert': {'rows': 10000, 'iterations': 6},
        'copy_from': {'rows': 1000000, 'iterations': 4},
        'startup': {'connects': 200, 'iterations': 5},
        'boundary': {'rows': 200000, 'iterations': 12, 'calls': 2000000},
    },
    # About 1/50 of the full sizes: minutes, not a figure for the README.
    'quick': {
        'roundtrip': {'queries': 400, 'iterations': 6, 'items': ITEMS},
        'large_fetch': {'rows': 20000, 'iterations': 5, 'itersize': 2000},
        'orm_read': {'queries': 200, 'iterations': 6, 'items': ITEMS, 'page': 100},
        'batch_insert': {'rows': 200, 'iterations': 6},
        'copy_from': {'rows': 20000, 'iterations': 4},
        'startup': {'connects': 20, 'iterations': 4},
        'boundary': {'rows': 5000, 'iterations': 8, 'calls': 100000},
    },
    # Only that every script still runs: no figure means anything.
    'smoke': {
        'roundtrip': {'queries': 20, 'iterations': 2, 'items': ITEMS},
        'large_fetch': {'rows': 1000, 'iterations': 2, 'itersize': 100},
        'orm_read': {'queries': 10, 'iterations': 2, 'items': ITEMS, 'page': 100},
        'batch_insert': {'rows': 50, 'iterations': 2},
        'copy_from': {'rows': 1000, 'iterations': 2},
        'startup': {'connects': 3, 'iterations': 2},
        'boundary': {'rows': 1000, 'iterations': 2, 'calls': 1000},
    },
}
WORKLOAD_ORDER = ['roundtrip', 'large_fetch', 'orm_read', 'batch_insert', 'copy_from',
                  'startup']
TIMEOUT = {'full': 3600, 'quick': 600, 'smoke': 600}  # per process, seconds
# Per case: once its iterations took this long, a workload stops iterating (seconds).
BUDGET = {'full': 300, 'quick': 8, 'smoke': 30}

# -- runtimes ----------------------------------------------------------------------------------


class Runtime:
    def __init__(self, key, label, driver, cmd, env=None, expect=None, setup=None,
                 workloads=None, jit=False):
        self.key = key
        self.label = label
        self.driver = driver
        self.cmd = cmd
        self.env = env or {}
        self.expect = expect
        self.setup = setup          # name of the setup step it needs, or None
        self.workloads = workloads  # None: all
        self.jit = jit

    def runs(self, workload):
        return self.workloads is None or workload in self.workloads


CPYTHON_VENV = os.path.join(CACHE, 'cpython-venv')
GRAALPY_VENV = os.path.join(CACHE, 'graalpy-psycopg2-venv')
GRAALPY_PG8000 = os.path.join(CACHE, 'graalpy-pg8000')

RUNTIMES = [
    Runtime('us', 'us (GraalPy JIT)', 'psycopg2', [PG_PYTHON], {'PG_PYTHON_JIT': '1'},
            expect='pure-python', jit=True),
    Runtime('psycopg2-binary', 'psycopg2-binary (CPython)', 'psycopg2',
            [os.path.join(CPYTHON_VENV, 'bin', 'python')], expect='c-extension',
            setup='cpython-venv'),
    Runtime('psycopg2-c-graalpy', 'psycopg2 C ext (GraalPy)', 'psycopg2',
            [os.path.join(GRAALPY_VENV, 'bin', 'python')],
            # The venv's python is our launcher, which puts our package first on sys.path.
            {'PG_PYTHON_JIT': '1', 'BENCH_DROP_PATH': OUR_SRC}, expect='c-extension',
            setup='graalpy-venv', jit=True),
    Runtime('pg8000-graalpy', 'pg8000 (GraalPy)', 'pg8000', [PG_PYTHON],
            {'PG_PYTHON_JIT': '1', 'PYTHONPATH': GRAALPY_PG8000}, setup='graalpy-pg8000',
            jit=True),
    Runtime('pg8000-cpython', 'pg8000 (CPython)', 'pg8000',
            [os.path.join(CPYTHON_VENV, 'bin', 'python')], setup='cpython-venv'),
    # Start-up only: the launcher's interpreter-only mode with its AOT cache.
    Runtime('us-nojit', 'us (GraalPy, PG_PYTHON_JIT=0)', 'psycopg2', [PG_PYTHON],
            {'PG_PYTHON_JIT': '0'}, expect='pure-python', workloads=['startup']),
]
RUNTIME_BY_KEY = {r.key: r for r in RUNTIMES}
SERVER = 'server'  # the column of the server-side references
SMOKE_RUNTIMES = ['us', 'psycopg2-binary']
# --quick leaves out pg8000 on GraalPy, the slowest column to warm up (about a third of a quick
# run's time): the quick run answers "where do we stand against psycopg2", in a few minutes.
QUICK_RUNTIMES = [r.key for r in RUNTIMES if r.key != 'pg8000-graalpy'] + [SERVER]

# -- the rows of the tables --------------------------------------------------------------------

# (id, workload, case, name, figure, kind); kind 'latency' (us, lower is better), 'rate'
# (higher is better) or 'ms' (lower is better).
ROWS = [
    ('1a', 'roundtrip', 'select_int', 'round trip `SELECT %s::int4 + 1`', 'median (p99) us',
     'latency'),
    ('1b', 'roundtrip', 'pk_lookup', 'round trip, primary-key lookup', 'median (p99) us',
     'latency'),
    ('2a', 'large_fetch', 'fetchall', 'large fetch, fetchall()', 'rows/s', 'rate'),
    ('2b', 'large_fetch', 'named_cursor', 'large fetch, named cursor (itersize 2000)', 'rows/s',
     'rate'),
    ('3', 'orm_read', 'range_select', 'ORM-shaped read, 100 rows x 7 columns', 'queries/s',
     'rate'),
    ('4a', 'batch_insert', 'executemany', 'batch insert, executemany', 'rows/s', 'rate'),
    ('4b', 'batch_insert', 'execute_batch', 'batch insert, extras.execute_batch(100)', 'rows/s',
     'rate'),
    ('4c', 'batch_insert', 'execute_values', 'batch insert, extras.execute_values(1000)',
     'rows/s', 'rate'),
    ('5', 'copy_from', 'copy_expert', 'COPY FROM STDIN, copy_expert',
     'rows/s (share of psql \\copy)', 'rate'),
    ('6b', 'startup', 'connect_close', 'connect + close', 'ms per connection', 'ms'),
]
STARTUP_ROW = ('6a', 'startup', None, 'start-up: process start to first row', 'ms', 'ms')

# -- small helpers ------------------------------------------------------------------------------


def say(msg):
    sys.stderr.write('bench: %s\n' % msg)
    sys.stderr.flush()


def geomean(values):
    values = [v for v in values if v and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def fmt_rate(x):
    if x is None:
        return '-'
    if x >= 1e6:
        return '%.2fM' % (x / 1e6)
    if x >= 1e4:
        return '%.0fk' % (x / 1e3)
    if x >= 1e3:
        return '%.1fk' % (x / 1e3)
    if x >= 10:
        return '%.0f' % x
    return '%.2g' % x


def fmt_num(x):
    if x is None:
        return '-'
    if x >= 100:
        return '{:,.0f}'.format(x)
    if x >= 10:
        return '%.1f' % x
    return '%.2f' % x


def fmt_kind(kind, x):
    return fmt_rate(x) if kind == 'rate' else fmt_num(x)


def fmt_ratio(r):
    return '-' if r is None else '%.2f' % r


def markdown_table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda cells: '| ' + ' | '.join(str(c).ljust(w) for c, w in zip(cells, widths)) + ' |'
    out = [line(header), '|' + '|'.join('-' * (w + 2) for w in widths) + '|']
    out += [line(r) for r in rows]
    return '\n'.join(out)


def run_capture(cmd, env=None, timeout=None, cwd=None, input=None):
    return subprocess.run(cmd, env=env, cwd=cwd, input=input, timeout=timeout, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_measured(cmd, env, timeout, label, cwd=ROOT):
    """Run one process, teeing its stderr; wall time and its rusage (all threads) from wait4.

    BENCH_T0_NS is set just before the process starts, for the start-up workload.
    """
    env = dict(env)
    env['BENCH_T0_NS'] = str(time.time_ns())
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.PIPE,
                                start_new_session=True)
        err_lines = []

        def tee():
            for raw in proc.stderr:
                text = raw.decode('utf-8', 'replace')
                err_lines.append(text)
                if text.startswith('  ['):
                    sys.stderr.write(text)
                    sys.stderr.flush()
        reader = threading.Thread(target=tee, daemon=True)
        reader.start()
        killed = []

        def kill():
            killed.append(True)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        reader.join(10)
        out.seek(0)
        stdout = out.read().decode('utf-8', 'replace')
    result = None
    for text in stdout.splitlines():
        if text.startswith(_common.RESULT_PREFIX):
            result = json.loads(text[len(_common.RESULT_PREFIX):])
    stderr = ''.join(err_lines)
    error = None
    if killed:
        error = 'timed out after %d s' % timeout
    elif proc.returncode != 0:
        error = 'exit status %d: %s' % (proc.returncode, stderr.strip()[-2000:])
    elif result is None:
        error = 'no result line; stderr: %s' % stderr.strip()[-2000:]
    return {'label': label, 'cmd': cmd, 'wall_s': wall, 'returncode': proc.returncode,
            'cpu_user_s': usage.ru_utime, 'cpu_sys_s': usage.ru_stime,
            'cpu_s': usage.ru_utime + usage.ru_stime, 'max_rss_mb': usage.ru_maxrss / 1024.0,
            'error': error, 'result': result,
            'stderr_tail': None if error is None else stderr[-4000:]}


# -- the server ----------------------------------------------------------------------------------


def bench_server_dir():
    """The state directory of the benchmark's own throwaway cluster (PGJVM_TEST_PG_DIR of
    bin/test-postgres): not the tests' one, so that neither disturbs the other."""
    tag = hashlib.sha1(ROOT.encode()).hexdigest()[:8]
    return os.path.join(tempfile.gettempdir(), 'pgjvm-bench-postgres-%d-%s' % (os.getuid(), tag))


def test_postgres(command, state_dir):
    env = dict(os.environ)
    if state_dir:
        env['PGJVM_TEST_PG_DIR'] = state_dir
    else:
        env.pop('PGJVM_TEST_PG_DIR', None)
    return run_capture([os.path.join(ROOT, 'bin', 'test-postgres'), command], env=env,
                       timeout=900)


def server_env(state_dir):
    """The PG* variables of the throwaway server, started if it is not running."""
    proc = test_postgres('start', state_dir)
    if proc.returncode != 0:
        raise SystemExit('bin/test-postgres start failed:\n' + proc.stderr)
    env = {}
    for text in proc.stdout.splitlines():
        if text.startswith('export '):
            key, _, value = text[len('export '):].partition('=')
            env[key] = shlex.split(value)[0] if value else ''
    return env


def child_env(pg, extra=None):
    """A clean environment for a measured process: nothing of the caller's Python, PostgreSQL
    or benchmark settings leaks in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('PYTHON', 'PG', 'BENCH_', 'VIRTUAL_ENV', 'PIP_'))
           or k in ('PG_PYTHON_JAVA', 'PG_PYTHON_CACHE')}
    for key in ('PGHOST', 'PGPORT', 'PGUSER'):
        env[key] = pg[key]
    env['PGSSLMODE'] = 'disable'
    env['BENCH_DBNAME'] = DBNAME
    if extra:
        env.update(extra)
    return env


class Psql:
    def __init__(self, pg):
        self.bindir = pg['PGJVM_TEST_PG_BINDIR']
        self.env = child_env(pg)

    def tool(self, name):
        return os.path.join(self.bindir, name)

    def run(self, sql, db=DBNAME, extra_env=None, timeout=1800):
        env = dict(self.env)
        if extra_env:
            env.update(extra_env)
        proc = run_capture([self.tool('psql'), '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1',
                            '-d', db], env=env, input=sql, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError('psql failed: %s\nSQL: %s' % (proc.stderr.strip(), sql[:500]))
        return proc.stdout.strip()


# -- seed data ------------------------------------------------------------------------------------

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
    done = set(psql.run('SELECT name FROM bench_meta WHERE version = %d' % SEED_VERSION)
               .split())
    wanted = [('bench_items', seed_sql_items())]
    n = sizes['large_fetch']['rows']
    wanted.append(('bench_wide_%d' % n, seed_sql_wide(n)))
    for name, sql in wanted:
        if name in done:
            continue
        say('seeding %s' % name)
        psql.run('BEGIN;' + sql + "INSERT INTO bench_meta VALUES ('%s', %d) ON CONFLICT (name) "
                 "DO UPDATE SET version = EXCLUDED.version; COMMIT; ANALYZE %s;"
                 % (name, SEED_VERSION, name))
    # The COPY data file, written by the server's own text output (TimeZone UTC).
    n = sizes['copy_from']['rows']
    data_dir = os.path.join(CACHE, 'data')
    os.makedirs(data_dir, exist_ok=True)
    path = os.path.join(data_dir, 'copy-v%d-%d.tsv' % (SEED_VERSION, n))
    if not os.path.isfile(path):
        say('writing %s' % path)
        tmp = path + '.tmp'
        psql.run("SET TimeZone = 'UTC';\n\\copy (%s) TO '%s'\n"
                 % (' '.join((COPY_SELECT % n).split()), tmp))
        os.replace(tmp, path)
    return {'copy_file': path, 'seconds': time.perf_counter() - t0}


# -- setting up the other runtimes ------------------------------------------------------------------


def _marker(path):
    try:
        with open(os.path.join(path, '.pgjvm-bench.json')) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _write_marker(path, data):
    with open(os.path.join(path, '.pgjvm-bench.json'), 'w') as f:
        json.dump(data, f, indent=1)


def _setup_step(name, path, versions, build):
    """Build ``path`` with ``build()`` unless its marker says it is there with ``versions``."""
    marker = _marker(path)
    if marker and marker.get('versions') == versions:
        return {'status': 'ok', 'cached': True, 'path': path, 'build_s': marker.get('build_s'),
                'built_at': marker.get('built_at'), 'versions': versions}
    say('setting up %s in %s (once; later runs reuse it)...' % (name, path))
    shutil.rmtree(path, ignore_errors=True)
    t0 = time.perf_counter()
    try:
        build()
    except Exception as e:  # reported as n/a (setup failed) in every cell of the runtime
        shutil.rmtree(path + '.failed', ignore_errors=True)
        if os.path.exists(path):
            os.rename(path, path + '.failed')
        say('setting up %s failed: %s' % (name, e))
        return {'status': 'failed', 'error': str(e)[-3000:], 'path': path}
    seconds = time.perf_counter() - t0
    data = {'versions': versions, 'build_s': seconds,
            'built_at': datetime.datetime.now().isoformat(timespec='seconds')}
    _write_marker(path, data)
    say('%s ready in %.0f s' % (name, seconds))
    return dict(data, status='ok', cached=False, path=path)


def _check(proc, what):
    if proc.returncode != 0:
        raise RuntimeError('%s failed (%d): %s' % (what, proc.returncode,
                                                   (proc.stdout + proc.stderr)[-3000:]))
    return proc


def setup_cpython_venv():
    def build():
        _check(run_capture([sys.executable, '-m', 'venv', CPYTHON_VENV], timeout=600),
               'python3 -m venv')
        _check(run_capture([os.path.join(CPYTHON_VENV, 'bin', 'pip'), 'install', '-q',
                            'psycopg2-binary==' + PSYCOPG2_VERSION, 'pg8000==' + PG8000_VERSION],
                           timeout=1200), 'pip install psycopg2-binary pg8000')
    return _setup_step('psycopg2-binary and pg8000 on CPython', CPYTHON_VENV,
                       {'python': platform.python_version(), 'psycopg2-binary': PSYCOPG2_VERSION,
                        'pg8000': PG8000_VERSION}, build)


def setup_graalpy_pg8000():
    def build():
        # CPython's pip, for the launcher's Python version: pg8000 and its dependencies are
        # pure Python.
        _check(run_capture([sys.executable, '-m', 'pip', 'install', '-q', '--target',
                            GRAALPY_PG8000, '--python-version', '3.12', '--implementation', 'py',
                            '--abi', 'none', '--platform', 'any', '--only-binary=:all:',
                            'pg8000==' + PG8000_VERSION], timeout=1200),
               'pip install --target pg8000')
    return _setup_step('pg8000 for GraalPy', GRAALPY_PG8000, {'pg8000': PG8000_VERSION}, build)


def setup_graalpy_venv():
    def build():
        env = dict(os.environ, PIP_EXTRA_INDEX_URL=' ', PIP_GRAALPY_PATCHES_URL='disabled',
                   PG_PYTHON_JIT='0')
        env.pop('PYTHONPATH', None)
        env.pop('VIRTUAL_ENV', None)
        _check(run_capture([PG_PYTHON, '-m', 'venv', GRAALPY_VENV], env=env, timeout=1800),
               'bin/pg-python -m venv')
        # Built from the sdist against the system's libpq (libpq-dev), with GraalPy's patch.
        _check(run_capture([os.path.join(GRAALPY_VENV, 'bin', 'pip'), 'install',
                            '--no-binary', ':all:', 'psycopg2==' + PSYCOPG2_VERSION],
                           env=env, timeout=3600), 'pip install psycopg2 (C extension)')
    if not shutil.which('pg_config'):
        return {'status': 'failed', 'path': GRAALPY_VENV,
                'error': 'pg_config not found: install libpq-dev (apt-get install -y libpq-dev)'}
    return _setup_step('the psycopg2 C extension on GraalPy', GRAALPY_VENV,
                       {'psycopg2': PSYCOPG2_VERSION, 'launcher': PG_PYTHON}, build)


SETUPS = {'cpython-venv': setup_cpython_venv, 'graalpy-pg8000': setup_graalpy_pg8000,
          'graalpy-venv': setup_graalpy_venv}


def preflight(pg):
    """Start our launcher once, untimed: its first run may build java-core and the GraalPy
    runtime, or the start-up cache of PG_PYTHON_JIT=0, which no measured process should pay.
    (Which psycopg2 / pg8000 each runtime really imported is recorded by every workload.)"""
    env = child_env(pg, {'PG_PYTHON_JIT': '0'})
    proc = run_capture([PG_PYTHON, '-c', 'import psycopg2'], env=env, timeout=1800)
    if proc.returncode != 0:
        say('bin/pg-python does not start: %s' % last_line(proc.stderr))
        return {'error': proc.stderr.strip()[-2000:]}
    return {}


def imports_of(runs):
    """runtime -> the driver files its workload processes imported (from their results)."""
    out = {}
    for by_rt in runs.values():
        for key, rounds in by_rt.items():
            for run in rounds:
                drv = (run.get('result') or {}).get('driver')
                if drv:
                    out.setdefault(key, set()).add(drv.get('_psycopg_file') or drv.get('file'))
    return {k: sorted(v) for k, v in out.items()}


# -- the server-side references -----------------------------------------------------------------------


def server_roundtrip(psql, sizes):
    """pgbench -M simple, one client, one query per transaction: the latency floor."""
    p = sizes['roundtrip']
    scripts = {
        'select_int': '\\set x random(0, %d)\nSELECT :x::int4 + 1;\n' % (p['queries'] - 1),
        'pk_lookup': '\\set id random(1, %d)\nSELECT id, grp, name, email, price, created_at, '
                     'active FROM bench_items WHERE id = :id;\n' % p['items'],
    }
    cases = {}
    for case, script in scripts.items():
        iterations = []
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'script.sql')
            with open(path, 'w') as f:
                f.write(script)
            for i in range(p['iterations']):
                prefix = os.path.join(tmp, 'log%d' % i)
                t0 = time.perf_counter()
                proc = run_capture([psql.tool('pgbench'), '-n', '-M', 'simple', '-c', '1', '-j',
                                    '1', '-t', str(p['queries']), '-f', path, '-l',
                                    '--log-prefix', prefix, DBNAME], env=psql.env, cwd=tmp,
                                   timeout=1800)
                wall = time.perf_counter() - t0
                if proc.returncode != 0:
                    cases[case] = {'status': 'error', 'reason': proc.stderr.strip()[-1000:]}
                    break
                lat = []
                for name in os.listdir(tmp):
                    if name.startswith('log%d.' % i):
                        with open(os.path.join(tmp, name)) as f:
                            lat += [int(line.split()[2]) for line in f if line.strip()]
                iterations.append({'wall': wall, 'ops': len(lat),
                                   'median_us': _common.median(lat),
                                   'p99_us': _common.percentile(lat, 99)})
        if case not in cases:
            cases[case] = {'status': 'ok', 'unit': 'us', 'key': 'median_us',
                           'higher_is_better': False, 'iterations': iterations,
                           'summary': _common.steady_state(iterations, 'median_us'),
                           'tool': 'pgbench -M simple -c 1 -t %d' % p['queries']}
    return {'workload': 'roundtrip', 'cases': cases}


def _psql_timed(psql, command, setup_sql='', extra_env=None):
    """The time of one psql meta-command, between two server clock readings in the session."""
    out = psql.run("%s\nSELECT extract(epoch FROM clock_timestamp()) AS t0 \\gset\n%s\n"
                   "SELECT extract(epoch FROM clock_timestamp()) - :t0;\n" % (setup_sql, command),
                   extra_env=extra_env)
    return float(out.splitlines()[-1])


def server_copy_from(psql, sizes, copy_file):
    p = sizes['copy_from']
    iterations = []
    for _ in range(p['iterations']):
        wall = _psql_timed(psql, "\\copy bench_copy (%s) FROM '%s'" % (COPY_COLUMNS, copy_file),
                           setup_sql='TRUNCATE bench_copy;',
                           extra_env={'PGOPTIONS': '-c synchronous_commit=off'})
        iterations.append({'wall': wall, 'ops': p['rows'], 'rate': p['rows'] / wall})
    psql.run('TRUNCATE bench_copy')
    return {'workload': 'copy_from', 'cases': {'copy_expert': {
        'status': 'ok', 'unit': 'rows/s', 'key': 'rate', 'higher_is_better': True,
        'iterations': iterations, 'summary': _common.steady_state(iterations, 'rate'),
        'tool': 'psql \\copy ... FROM file'}}}


def server_large_fetch(psql, sizes):
    """Not a driver: how fast the server produces the rows and libpq takes them (COPY TO)."""
    p = sizes['large_fetch']
    n = p['rows']
    iterations = []
    for _ in range(p['iterations']):
        wall = _psql_timed(psql, "\\copy (SELECT * FROM bench_wide_%d) TO '/dev/null'" % n)
        iterations.append({'wall': wall, 'ops': n, 'rate': n / wall})
    return {'workload': 'large_fetch', 'cases': {'fetchall': {
        'status': 'ok', 'unit': 'rows/s', 'key': 'rate', 'higher_is_better': True,
        'iterations': iterations, 'summary': _common.steady_state(iterations, 'rate'),
        'tool': 'psql \\copy (SELECT ...) TO /dev/null'}}}


def run_server(workload, psql, sizes, copy_file):
    t0 = time.perf_counter()
    try:
        if workload == 'roundtrip':
            result = server_roundtrip(psql, sizes)
        elif workload == 'copy_from':
            result = server_copy_from(psql, sizes, copy_file)
        elif workload == 'large_fetch':
            result = server_large_fetch(psql, sizes)
        else:
            return None
        error = None
    except Exception as e:
        result, error = None, '%s: %s' % (type(e).__name__, e)
    return {'label': SERVER, 'wall_s': time.perf_counter() - t0, 'error': error,
            'result': result}


# -- aggregation ------------------------------------------------------------------------------------


def case_figures(case):
    """Steady, first and warm-up figures of one case of one run, plus the side figures."""
    its = case['iterations']
    s = case['summary']
    last = its[-3:]

    def steady_of(field):
        values = [it[field] for it in last if it.get(field) is not None]
        return _common.median(values) if values else None
    out = {'first': s['first'], 'steady': s['steady'], 'warmup_s': s['warmup_s'],
           'steady_iteration': s['steady_iteration'], 'iterations': s['iterations'],
           'spread_last3': s['spread_last3']}
    if 'p99_us' in its[0]:
        out['p99_steady'] = steady_of('p99_us')
        out['p99_first'] = its[0]['p99_us']
    ops = its[0].get('ops')
    if ops:
        cpu = steady_of('cpu')
        server_cpu = steady_of('server_cpu')
        out['cpu_per_op_us'] = None if cpu is None else cpu / ops * 1e6
        out['server_cpu_per_op_us'] = None if server_cpu is None else server_cpu / ops * 1e6
    return out


def aggregate(runs):
    """runs[workload][runtime] -> list of run dicts over the rounds; the cell figures are the
    median over the rounds."""
    cells = {}
    for workload, by_rt in runs.items():
        for rt, rounds in by_rt.items():
            per_case = {}
            for run in rounds:
                if run.get('error') or not run.get('result'):
                    per_case.setdefault('__error__', []).append(run.get('error') or 'no result')
                    continue
                for case, entry in run['result']['cases'].items():
                    per_case.setdefault(case, []).append(entry)
            for case, entries in per_case.items():
                if case == '__error__':
                    continue
                ok = [e for e in entries if e['status'] == 'ok']
                cell = {'rounds': len(entries)}
                if ok:
                    figs = [case_figures(e) for e in ok]
                    for key in figs[0]:
                        values = [f[key] for f in figs if f.get(key) is not None]
                        cell[key] = _common.median(values) if values else None
                    cell['status'] = 'ok'
                    cell['unit'] = ok[0]['unit']
                else:
                    cell['status'] = entries[0]['status']
                    cell['kind'] = entries[0].get('kind')
                    cell['reason'] = entries[0].get('reason')
                cells[(workload, case, rt)] = cell
            if '__error__' in per_case:
                cells[(workload, '__error__', rt)] = {'status': 'error',
                                                     'reason': per_case['__error__'][0]}
    return cells


def startup_cells(runs):
    out = {}
    for rt, rounds in runs.get('startup', {}).items():
        phases = [r['result']['startup'] for r in rounds
                  if not r.get('error') and r.get('result') and 'startup' in r['result']]
        if phases:
            out[rt] = {k: _common.median([p[k] for p in phases]) for k in phases[0]}
            out[rt]['process_wall_s'] = _common.median([r['wall_s'] for r in rounds])
    return out


# -- tables -------------------------------------------------------------------------------------------


def cell_status(cells, workload, case, rt, setup_failed):
    if rt in setup_failed:
        return 'n/a (setup failed)'
    cell = cells.get((workload, case, rt))
    if cell is None:
        failed = cells.get((workload, '__error__', rt))
        if failed:
            return 'timed out' if failed['reason'].startswith('timed out') else 'error'
        return None
    if cell['status'] == 'n/a':
        return 'n/a (not implemented)' if cell.get('kind') == 'not implemented' \
            else 'n/a (%s)' % (cell.get('kind') or 'n/a')
    if cell['status'] != 'ok':
        return 'error'
    return cell


def last_line(text):
    """The line of an error that says what happened (a traceback's last one)."""
    lines = [x for x in text.strip().splitlines() if x.strip()]
    return lines[-1][:300] if lines else ''


def time_ratio(kind, ours, theirs):
    """How many times as long as the reference we take (lower is better, 1 = parity)."""
    if ours is None or theirs is None or ours <= 0 or theirs <= 0:
        return None
    return ours / theirs if kind in ('latency', 'ms') else theirs / ours


def build_tables(cells, runtimes, setup_failed, startup, boundary):
    cols = [rt for rt in runtimes if rt.key != 'us-nojit']
    has_server = any(k[2] == SERVER for k in cells)
    header = ['#', 'workload'] + [rt.label for rt in cols]
    if has_server:
        header.append('server limit')
    psy_c = 'psycopg2-c-graalpy' in [rt.key for rt in cols]
    ratio_header = ['us / psycopg2-binary']
    if psy_c:
        ratio_header.append('us / psycopg2 C (GraalPy)')
    notes = []
    tables = {}

    def figure(kind, cell, which, rate_share=None):
        value = cell.get(which)
        text = fmt_kind(kind, value)
        if kind == 'latency':
            p99 = cell.get('p99_steady' if which == 'steady' else 'p99_first')
            text += ' (%s)' % fmt_num(p99)
        if rate_share is not None and value is not None:
            text += ' (%.0f%%)' % (100.0 * value / rate_share)
        if which == 'steady' and cell.get('iterations', 3) < 3:
            text += ' *'
        elif which == 'steady' and cell.get('spread_last3', 0) > 0.10:
            text += ' ~'
        return text

    for which, title in (('steady', 'steady'), ('first', 'first')):
        rows = []
        ratios = {h: [] for h in ratio_header}
        for rid, workload, case, name, unit, kind in ROWS:
            row = [rid, '%s: %s' % (name, unit)]
            share = None
            if workload == 'copy_from':
                sc = cells.get((workload, case, SERVER))
                if sc and sc.get('status') == 'ok':
                    share = sc[which]
            for rt in cols:
                c = cell_status(cells, workload, case, rt.key, setup_failed)
                if c is None:
                    row.append('-')
                elif isinstance(c, str):
                    row.append(c)
                    reason = (cells.get((workload, case, rt.key)) or
                              cells.get((workload, '__error__', rt.key)) or {}).get('reason')
                    if reason and which == 'steady':
                        notes.append('%s %s: %s: %s' % (rid, rt.label, c, last_line(reason)))
                else:
                    row.append(figure(kind, c, which, share))
            if has_server:
                sc = cells.get((workload, case, SERVER))
                row.append(figure(kind, sc, which) if sc and sc.get('status') == 'ok'
                           else ('error' if sc else '-'))
            ours = cells.get((workload, case, 'us'), {})
            for h, ref in zip(ratio_header, ['psycopg2-binary', 'psycopg2-c-graalpy']):
                theirs = cells.get((workload, case, ref), {})
                r = time_ratio(kind, ours.get(which) if ours.get('status') == 'ok' else None,
                               theirs.get(which) if theirs.get('status') == 'ok' else None)
                row.append(fmt_ratio(r))
                if r is not None:
                    ratios[h].append(r)
            rows.append(row)
        if which == 'first' and startup:
            rid, workload, _, name, unit, kind = STARTUP_ROW
            row = [rid, '%s: %s' % (name, unit)]
            for rt in cols:
                s = startup.get(rt.key)
                if s:
                    row.append(fmt_num(s['total_ms']))
                elif rt.key in setup_failed:
                    row.append('n/a (setup failed)')
                elif (workload, '__error__', rt.key) in cells:
                    row.append('error')
                else:
                    row.append('-')
            if has_server:
                row.append('-')
            for h, ref in zip(ratio_header, ['psycopg2-binary', 'psycopg2-c-graalpy']):
                o, t = startup.get('us'), startup.get(ref)
                r = time_ratio('ms', o and o['total_ms'], t and t['total_ms'])
                row.append(fmt_ratio(r))
                if r is not None:
                    ratios[h].append(r)
            rows.append(row)
        gm_row = ['', 'geometric mean of the time ratios'] + [''] * len(cols)
        if has_server:
            gm_row.append('')
        for h in ratio_header:
            g = geomean(ratios[h])
            gm_row.append('%s (%d)' % (fmt_ratio(g), len(ratios[h])) if g else '-')
        rows.append(gm_row)
        tables[which] = {'header': header + ratio_header, 'rows': rows,
                         'geomean': {h: geomean(ratios[h]) for h in ratio_header},
                         'ratios': ratios}

    # Warm-up: when each runtime reached its steady figure.
    rows = []
    for rid, workload, case, name, unit, kind in ROWS:
        row = [rid, name]
        for rt in cols:
            c = cell_status(cells, workload, case, rt.key, setup_failed)
            if isinstance(c, dict):
                row.append('%.1f s (it. %d/%d)' % (c['warmup_s'], c['steady_iteration'],
                                                    c['iterations']))
            else:
                row.append(c if isinstance(c, str) else '-')
        rows.append(row)
    tables['warmup'] = {'header': ['#', 'workload'] + [rt.label for rt in cols], 'rows': rows}

    # CPU per operation at steady state: client (server backend).
    rows = []
    for rid, workload, case, name, _, kind in ROWS:
        unit = {'roundtrip': 'query', 'orm_read': 'query', 'startup': 'connection'}.get(
            workload, 'row')
        row = [rid, '%s (per %s)' % (name, unit)]
        for rt in cols:
            c = cell_status(cells, workload, case, rt.key, setup_failed)
            if isinstance(c, dict) and c.get('cpu_per_op_us') is not None:
                srv = c.get('server_cpu_per_op_us')
                row.append('%s (%s)' % (fmt_num(c['cpu_per_op_us']),
                                        '-' if srv is None else fmt_num(srv)))
            else:
                row.append(c if isinstance(c, str) else '-')
        rows.append(row)
    tables['cpu'] = {'header': ['#', 'workload'] + [rt.label for rt in cols], 'rows': rows}

    # Start-up phases.
    rows = []
    for rt in runtimes:
        s = startup.get(rt.key)
        if not s:
            continue
        rows.append([rt.label, fmt_num(s['boot_ms']), fmt_num(s['import_ms']),
                     fmt_num(s['connect_ms']), fmt_num(s['first_row_ms']),
                     fmt_num(s['total_ms'])])
    tables['startup'] = {'header': ['runtime', 'runtime boot ms', 'import ms', 'connect ms',
                                    'first query ms', 'total ms'], 'rows': rows}
    tables['notes'] = sorted(set(notes))
    tables['boundary'] = boundary_table(boundary)
    return tables


def resource_table(runs, runtimes):
    cols = [rt for rt in runtimes]
    rows = []
    for workload in WORKLOAD_ORDER + ['boundary']:
        by_rt = runs.get(workload)
        if not by_rt:
            continue
        row = [workload]
        any_cell = False
        for rt in cols:
            rounds = [r for r in by_rt.get(rt.key, []) if 'cpu_s' in r]
            if not rounds:
                row.append('-')
                continue
            any_cell = True
            row.append('%.1f s / %.1f s / %.0f MB' % (
                _common.median([r['wall_s'] for r in rounds]),
                _common.median([r['cpu_s'] for r in rounds]),
                max(r['max_rss_mb'] for r in rounds)))
        if any_cell:
            rows.append(row)
    return {'header': ['process: wall / CPU (all threads) / peak RSS'] + [rt.label for rt in cols],
            'rows': rows}


BOUNDARY_ROWS = [
    ('end_to_end', 'execute() + fetchall(), with server and network', 'ns/row'),
    ('fetchall_local', 'fetchall() again on the fetched result (client only)', 'ns/row'),
    ('java_decode', 'Java: QueryResult.rows(), decoding every value (1 crossing)', 'ns/row'),
    ('java_decode_strings', 'Java: the same, every value as a String', 'ns/row'),
    ('to_tuples', 'crossing: Java Object[] rows to Python tuples', 'ns/row'),
    ('python_tuples', '  the same from Python lists (no crossing)', 'ns/row'),
    ('convert', 'crossing + Python typecasters (numeric, timestamptz)', 'ns/row'),
    ('crossing_read_Long', 'read one Java Long element', 'ns/value'),
    ('crossing_read_Double', 'read one Java Double element', 'ns/value'),
    ('crossing_read_String', 'read one Java String element', 'ns/value'),
    ('crossing_read_Boolean', 'read one Java Boolean element', 'ns/value'),
    ('crossing_read_any', 'read an element and test it for None', 'ns/value'),
    ('python_read_list', '  read one Python list element', 'ns/value'),
    ('crossing_static_call', 'call a static Java method', 'ns/call'),
    ('python_call', '  call a Python function', 'ns/call'),
]


def boundary_table(boundary):
    if not boundary:
        return None
    if boundary.get('error') or not boundary.get('result'):
        return {'error': boundary.get('error') or 'no result'}
    cases = boundary['result']['cases']
    rows = []
    steady = {}
    for key, label, unit in BOUNDARY_ROWS:
        e = cases.get(key)
        if not e:
            continue
        if e['status'] != 'ok':
            rows.append([label, unit, 'n/a (%s)' % e.get('kind', e['status']), '', ''])
            continue
        s = e['summary']
        steady[key] = s['steady']
        rows.append([label, unit, fmt_num(s['steady']), fmt_num(s['first']),
                     '%.1f s' % s['warmup_s']])
    derived = {}
    if all(k in steady for k in ('fetchall_local', 'java_decode', 'to_tuples', 'python_tuples',
                                 'convert')):
        total = steady['fetchall_local']
        derived = {
            'fetchall_ns': total,
            'java_decode_ns': steady['java_decode'],
            'interop_ns': max(0.0, steady['to_tuples'] - steady['python_tuples']),
            'python_tuple_ns': steady['python_tuples'],
            'typecaster_ns': max(0.0, steady['convert'] - steady['to_tuples']),
        }
        derived['rest_ns'] = total - sum(v for k, v in derived.items() if k != 'fetchall_ns')
    return {'header': ['step (one row = 7 columns)', 'unit', 'steady', 'first', 'warm-up'],
            'rows': rows, 'derived': derived, 'params': boundary['result'].get('params')}


# -- machine description ------------------------------------------------------------------------------


def machine():
    info = {'platform': platform.platform(), 'cpus': os.cpu_count(),
            'python': sys.version.split()[0]}
    try:
        with open('/proc/cpuinfo') as f:
            for text in f:
                if text.startswith('model name'):
                    info['cpu'] = text.split(':', 1)[1].strip()
                    break
        with open('/proc/meminfo') as f:
            info['mem_gb'] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info['loadavg'] = os.getloadavg()
    return info


def git_state():
    rev = run_capture(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'])
    dirty = run_capture(['git', '-C', ROOT, 'status', '--porcelain', '--untracked-files=no'])
    return {'commit': rev.stdout.strip() or None, 'dirty': bool(dirty.stdout.strip())}


# -- main -----------------------------------------------------------------------------------------------


def parse_args(argv):
    ap = argparse.ArgumentParser(prog='bin/bench', description=__doc__.split('\n\n')[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument('--quick', action='store_const', dest='mode', const='quick',
                      help='about 1/50 of the sizes: a few minutes, figures only indicative')
    mode.add_argument('--smoke', action='store_const', dest='mode', const='smoke',
                      help='tiny sizes, ours and psycopg2-binary only: checks that every '
                           'script still runs (for CI); exits non-zero when one fails')
    ap.set_defaults(mode='full')
    ap.add_argument('--rounds', type=int, default=None,
                    help='processes per (workload, runtime); the figures are the median over '
                         'the rounds (default 1; smoke 1)')
    ap.add_argument('--runtimes', help='comma-separated subset of: %s, server'
                    % ', '.join(r.key for r in RUNTIMES))
    ap.add_argument('--workloads', help='comma-separated subset of: %s, boundary'
                    % ', '.join(WORKLOAD_ORDER))
    ap.add_argument('--json', help='where to write the JSON (default '
                                   'target/bench/bench-MODE-TIMESTAMP.json)')
    ap.add_argument('--shared-server', action='store_true',
                    help="use the tests' cluster of bin/test-postgres instead of the "
                         "benchmark's own one (%s)" % bench_server_dir())
    ap.add_argument('--keep-server', action='store_true',
                    help="leave the benchmark's own cluster running (and its seed data) for "
                         "the next run; by default it is stopped and deleted at the end")
    ap.add_argument('--report', metavar='JSON',
                    help='print the tables of a saved run again (from its JSON file)')
    ap.add_argument('--setup-only', action='store_true',
                    help='install the other runtimes and seed the database, then stop')
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.report:
        with open(args.report) as f:
            saved = json.load(f)
        saved['meta'].setdefault('runtimes', list(saved.get('runtimes', {})))
        print(report(saved['meta'], saved['setup'], saved['runs'])[1])
        return 0
    mode = args.mode
    sizes = SIZES[mode]
    rounds = args.rounds or 1
    started = datetime.datetime.now().astimezone()
    wanted_rt = (args.runtimes.split(',') if args.runtimes
                 else SMOKE_RUNTIMES if mode == 'smoke'
                 else QUICK_RUNTIMES if mode == 'quick'
                 else [r.key for r in RUNTIMES] + [SERVER])
    unknown = [k for k in wanted_rt if k not in RUNTIME_BY_KEY and k != SERVER]
    if unknown:
        raise SystemExit('unknown runtime(s): %s' % ', '.join(unknown))
    runtimes = [r for r in RUNTIMES if r.key in wanted_rt]
    with_server = SERVER in wanted_rt
    workloads = args.workloads.split(',') if args.workloads else WORKLOAD_ORDER + ['boundary']
    unknown = [w for w in workloads if w not in WORKLOAD_ORDER + ['boundary']]
    if unknown:
        raise SystemExit('unknown workload(s): %s' % ', '.join(unknown))

    say('mode %s, %d round(s), runtimes: %s%s' % (mode, rounds,
                                                 ', '.join(r.key for r in runtimes),
                                                 ', server' if with_server else ''))
    state_dir = None if args.shared_server else bench_server_dir()
    pg = server_env(state_dir)
    try:
        return run_all(args, mode, sizes, rounds, started, runtimes, with_server, workloads, pg)
    finally:
        if state_dir and not args.keep_server:
            say('stopping the benchmark cluster (--keep-server keeps it)')
            test_postgres('stop', state_dir)


def run_all(args, mode, sizes, rounds, started, runtimes, with_server, workloads, pg):
    psql = Psql(pg)
    meta = {'mode': mode, 'rounds': rounds, 'sizes': sizes, 'started': started.isoformat(),
            'machine': machine(), 'git': git_state(),
            'server_version': psql.run('SHOW server_version', db='postgres'),
            'psycopg2_version': PSYCOPG2_VERSION, 'pg8000_version': PG8000_VERSION,
            'cache': CACHE, 'connection': 'TCP %s:%s, sslmode=disable' % (pg['PGHOST'],
                                                                       pg['PGPORT'])}
    os.makedirs(CACHE, exist_ok=True)
    setup = {}
    for name in sorted({r.setup for r in runtimes if r.setup}):
        setup[name] = SETUPS[name]()
    setup_failed = {r.key for r in runtimes if r.setup and setup[r.setup]['status'] != 'ok'}
    seeded = seed(psql, sizes)
    setup['seed'] = seeded
    if args.setup_only:
        print(json.dumps(setup, indent=1))
        return 0
    if preflight(pg).get('error'):
        setup_failed.update(r.key for r in runtimes if r.cmd == [PG_PYTHON])

    runs = {}
    order = [r for r in runtimes if r.key not in setup_failed]
    t_runs = time.perf_counter()
    for rnd in range(rounds):
        for wi, workload in enumerate(w for w in workloads if w != 'boundary'):
            members = [r.key for r in order if r.runs(workload)]
            if with_server and workload in ('roundtrip', 'copy_from', 'large_fetch'):
                members.append(SERVER)
            shift = (rnd + wi) % max(1, len(members))
            members = members[shift:] + members[:shift]
            for key in members:
                say('round %d/%d, %s, %s' % (rnd + 1, rounds, workload, key))
                if key == SERVER:
                    run = run_server(workload, psql, sizes, seeded['copy_file'])
                else:
                    rt = RUNTIME_BY_KEY[key]
                    env = child_env(pg, dict(rt.env, BENCH_DRIVER=rt.driver,
                                             BENCH_PARAMS=json.dumps(dict(
                                                 sizes[workload], budget_s=BUDGET[mode])),
                                             BENCH_COPY_FILE=seeded['copy_file'],
                                             BENCH_LABEL=key))
                    if rt.expect:
                        env['BENCH_EXPECT'] = rt.expect
                    run = run_measured(rt.cmd + [os.path.join(WORKLOADS, workload + '.py')],
                                       env, TIMEOUT[mode], key)
                if run.get('error'):
                    say('%s on %s failed: %s' % (workload, key, last_line(run['error'])))
                runs.setdefault(workload, {}).setdefault(key, []).append(run)
    boundary = None
    if 'boundary' in workloads and 'us' in [r.key for r in order]:
        say('boundary micro-benchmark (us)')
        bparams = dict(sizes['boundary'], table_rows=sizes['large_fetch']['rows'],
                       budget_s=BUDGET[mode])
        bparams['rows'] = min(bparams['rows'], bparams['table_rows'])
        env = child_env(pg, dict(RUNTIME_BY_KEY['us'].env, BENCH_DRIVER='psycopg2',
                                 BENCH_EXPECT='pure-python', BENCH_PARAMS=json.dumps(bparams),
                                 BENCH_LABEL='boundary'))
        boundary = run_measured([PG_PYTHON, os.path.join(WORKLOADS, 'boundary.py')], env,
                                TIMEOUT[mode], 'us')
        if boundary.get('error'):
            say('boundary failed: %s' % last_line(boundary['error']))
        runs['boundary'] = {'us': [boundary]}
    runs_seconds = time.perf_counter() - t_runs

    meta['finished'] = datetime.datetime.now().astimezone().isoformat()
    meta['runs_seconds'] = runs_seconds
    meta['loadavg_end'] = os.getloadavg()
    meta['setup_failed'] = sorted(setup_failed)
    meta['runtimes'] = [r.key for r in runtimes]
    meta['imports'] = imports_of(runs)
    document, text = report(meta, setup, runs)
    print(text)
    out_dir = os.path.join(ROOT, 'target', 'bench')
    json_path = args.json or os.path.join(
        out_dir, 'bench-%s-%s.json' % (mode, started.strftime('%Y%m%d-%H%M%S')))
    os.makedirs(os.path.dirname(os.path.abspath(json_path)), exist_ok=True)
    with open(json_path, 'w') as f:
        json.dump(document, f, indent=1, default=str)
    with open(os.path.splitext(json_path)[0] + '.md', 'w') as f:
        f.write(text + '\n')
    say('wrote %s (and .md)' % json_path)

    if mode == 'smoke':
        return smoke_verdict(runs)
    return 0


def report(meta, setup, runs):
    """The JSON document and the Markdown text of a run, from its raw measurements (also
    what --report does with a saved JSON file)."""
    runtimes = [RUNTIME_BY_KEY[k] for k in meta['runtimes'] if k in RUNTIME_BY_KEY]
    setup_failed = set(meta.get('setup_failed', ()))
    boundary = (runs.get('boundary', {}).get('us') or [None])[0]
    cells = aggregate({w: v for w, v in runs.items() if w != 'boundary'})
    startup = startup_cells(runs)
    tables = build_tables(cells, runtimes, setup_failed, startup, boundary)
    tables['resources'] = resource_table(runs, runtimes)
    text = render(meta, setup, tables, runtimes)
    document = {
        'meta': meta, 'setup': setup,
        'runtimes': {r.key: {'label': r.label, 'driver': r.driver, 'cmd': r.cmd,
                             'env': r.env, 'jit': r.jit} for r in runtimes},
        'headline': {'steady_time_ratio_geomean': tables['steady']['geomean'],
                     'first_time_ratio_geomean': tables['first']['geomean'],
                     'ratio_definition': 'our time / their time per operation; for rates '
                                         'their rate / ours (lower is better, 1 = parity)'},
        'cells': [dict(v, workload=k[0], case=k[1], runtime=k[2]) for k, v in cells.items()],
        'startup': startup, 'tables': tables, 'runs': runs,
    }
    return document, text


def smoke_verdict(runs):
    """Smoke: every process ran and printed its line; the reference ran every case; ours ran
    every case it implements. No figure is judged."""
    failures = []
    for workload, by_rt in runs.items():
        for key, rounds in by_rt.items():
            for run in rounds:
                if run.get('error'):
                    failures.append('%s/%s: %s' % (workload, key, last_line(run['error'])))
                    continue
                for case, entry in run['result']['cases'].items():
                    bad = entry['status'] == 'error' or (
                        entry['status'] == 'n/a' and key == 'psycopg2-binary')
                    if bad:
                        failures.append('%s/%s/%s: %s %s' % (workload, key, case,
                                                             entry['status'], entry.get('reason')))
    if failures:
        say('smoke run FAILED:\n  ' + '\n  '.join(failures))
        return 1
    say('smoke run passed (every workload script ran; no figure is judged)')
    return 0


def render(meta, setup, tables, runtimes):
    m = meta['machine']
    lines = []
    title = {'full': 'Benchmark', 'quick': 'QUICK benchmark (1/50 sizes; indicative only)',
             'smoke': 'SMOKE run (tiny sizes; figures mean nothing)'}[meta['mode']]
    lines.append('## %s, %s' % (title, meta['started'][:16].replace('T', ' ')))
    lines.append('')
    lines.append('Machine: %s, %s CPUs, %s GB, %s; load average %.1f at start, %.1f at end. '
                 'PostgreSQL %s over %s. Commit %s%s. %d round(s); %.0f s of runs.'
                 % (m.get('cpu', '?'), m['cpus'], m.get('mem_gb', '?'), m['platform'],
                    m['loadavg'][0], meta['loadavg_end'][0], meta['server_version'],
                    meta['connection'], meta['git']['commit'],
                    ' (dirty tree)' if meta['git']['dirty'] else '', meta['rounds'],
                    meta['runs_seconds']))
    lines.append('')
    lines.append('### Steady state (median of the last 3 iterations in each process)')
    lines.append('')
    lines.append('Ratios are time ratios, ours / theirs per operation (lower is better, '
                 '1.00 = parity); "~" marks a figure whose last 3 iterations spread over 10%, '
                 '"*" one from fewer than 3 iterations (the time budget ran out): not a '
                 'steady state.')
    lines.append('')
    lines.append(markdown_table(tables['steady']['header'], tables['steady']['rows']))
    lines.append('')
    lines.append('### Cold: first iteration of each process')
    lines.append('')
    lines.append(markdown_table(tables['first']['header'], tables['first']['rows']))
    lines.append('')
    lines.append('### Warm-up: time to steady state (first iteration within 10% of the steady '
                 'figure)')
    lines.append('')
    lines.append(markdown_table(tables['warmup']['header'], tables['warmup']['rows']))
    lines.append('')
    if tables['startup']['rows']:
        lines.append('### Start-up phases (from process start)')
        lines.append('')
        lines.append(markdown_table(tables['startup']['header'], tables['startup']['rows']))
        lines.append('')
    lines.append('### Client CPU per operation at steady state, us (server backend CPU)')
    lines.append('')
    lines.append(markdown_table(tables['cpu']['header'], tables['cpu']['rows']))
    lines.append('')
    lines.append('### Processes')
    lines.append('')
    lines.append(markdown_table(tables['resources']['header'], tables['resources']['rows']))
    lines.append('')
    b = tables.get('boundary')
    if b:
        lines.append('### Boundary micro-benchmark (us, GraalPy JIT)')
        lines.append('')
        if 'error' in b:
            lines.append('error: %s' % last_line(b['error']))
        else:
            lines.append(markdown_table(b['header'], b['rows']))
            d = b.get('derived')
            if d and min(d.values()) < 0:
                lines.append('')
                lines.append('(The parts exceed the whole fetchall(): too noisy to split.)')
            elif d:
                lines.append('')
                lines.append('One row of a client-side fetchall(), %s ns: Java decoding %s, '
                             'interop crossings %s (to_tuples - python_tuples), building the '
                             'tuples %s, Python typecasters %s (convert - to_tuples), the rest '
                             '(buffering, slicing) %s.'
                             % tuple(fmt_num(d[k]) for k in (
                                 'fetchall_ns', 'java_decode_ns', 'interop_ns',
                                 'python_tuple_ns', 'typecaster_ns', 'rest_ns')))
        lines.append('')
    if tables['notes']:
        lines.append('Notes (n/a and errors):')
        lines.extend('- ' + n for n in tables['notes'])
        lines.append('')
    setup_bits = []
    for name, s in setup.items():
        if name == 'seed':
            continue
        if s['status'] != 'ok':
            setup_bits.append('%s: FAILED (%s)' % (name, s.get('error', '')[:200]))
        else:
            setup_bits.append('%s: %s %.0f s' % (name, 'cached, built in' if s['cached']
                                                 else 'built in', s.get('build_s') or 0))
    if setup_bits:
        lines.append('Setup: ' + '; '.join(setup_bits) + '.')
    imports = meta.get('imports', {})
    if imports:
        lines.append('Imported: ' + '; '.join('%s %s' % (k, ', '.join(v))
                                               for k, v in imports.items()) + '.')
    return '\n'.join(lines)


if __name__ == '__main__':
    sys.exit(main())
