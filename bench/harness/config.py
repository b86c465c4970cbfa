"""What the benchmark runs: paths, versions, sizes, the runtimes and the rows of the tables.

Only constants and the Runtime record: nothing here starts a process or reads the database.
"""
import os

# bench/ (this package's parent): the workload scripts are in bench/workloads/.
BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
WORKLOADS = os.path.join(BENCH, 'workloads')

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
# boundary runs after the others, on our runtime only (it measures our package's internals).
ALL_WORKLOADS = WORKLOAD_ORDER + ['boundary']
TIMEOUT = {'full': 3600, 'quick': 600, 'smoke': 600}  # per process, seconds
# Per case: once its iterations took this long, a workload stops iterating (seconds).
BUDGET = {'full': 300, 'quick': 8, 'smoke': 30}

# -- runtimes ----------------------------------------------------------------------------------


class Runtime:
    """One column of the tables: a command that runs a workload script with one driver."""

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

# The rows of the boundary micro-benchmark table: (case, step, unit).
BOUNDARY_ROWS = [
    ('end_to_end', 'execute() + fetchall(), with server and network', 'ns/row'),
    ('fetchall_local', 'fetchall() again on the fetched result (client only)', 'ns/row'),
    # The label of the committed results (bench/results/): now PgResult behind PythonBridge.rows().
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
