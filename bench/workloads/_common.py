"""What every workload script shares: the driver adapter, the clocks, and the result line.

A workload is written once against the DB-API / psycopg2 API and run unchanged by every
(runtime, driver) pair that bench/harness/ starts. It is configured by the environment:

  BENCH_DRIVER      psycopg2 (ours, psycopg2-binary or the C extension) | pg8000
  BENCH_EXPECT      optional: 'pure-python' or 'c-extension', the psycopg2 we must be running
  BENCH_DROP_PATH   optional: a sys.path entry to remove before the driver is imported (our
                    launcher puts our package first; the C-extension runtime must not see it)
  BENCH_PARAMS      optional JSON object of sizes; `key=value` arguments override it
  BENCH_DBNAME      the database the harness seeded (default pgjvm_bench)
  PGHOST PGPORT PGUSER   where the server is (TCP; sslmode=disable always)

It prints exactly one line starting with RESULT_PREFIX: a JSON object of measurements. A case
the driver cannot run yet is reported with status "n/a" and the reason, never left out.
"""
import json
import os
import sys
import time
import traceback

RESULT_PREFIX = 'BENCH-RESULT '

_CLK_TCK = os.sysconf('SC_CLK_TCK') if hasattr(os, 'sysconf') else 100


# -- configuration ----------------------------------------------------------------------------

def params(defaults):
    """The sizes: ``defaults``, then BENCH_PARAMS (JSON), then ``key=value`` arguments."""
    out = dict(defaults)
    env = os.environ.get('BENCH_PARAMS')
    if env:
        out.update(json.loads(env))
    for arg in sys.argv[1:]:
        key, sep, value = arg.partition('=')
        if not sep:
            raise SystemExit('arguments are key=value, got %r' % arg)
        out[key] = json.loads(value) if value[:1].isdigit() or value[:1] in '-[{' else value
    return out


def _drop_path():
    """Take our launcher's package directory off sys.path when the harness says so."""
    drop = os.environ.get('BENCH_DROP_PATH')
    if drop:
        norm = os.path.realpath(drop)
        sys.path[:] = [p for p in sys.path if os.path.realpath(p or '.') != norm]


# -- cases a driver cannot run -----------------------------------------------------------------

class NotAvailable(Exception):
    """A case the driver cannot run. ``kind`` is 'not implemented' (our package lacks the
    feature today) or 'not in driver' (the driver has no such API at all)."""

    def __init__(self, kind, detail):
        super().__init__('%s: %s' % (kind, detail))
        self.kind = kind
        self.detail = detail


# -- drivers -----------------------------------------------------------------------------------

def _conninfo():
    return {
        'host': os.environ.get('PGHOST', '127.0.0.1'),
        'port': int(os.environ.get('PGPORT', '5432')),
        'user': os.environ.get('PGUSER', 'postgres'),
        'dbname': os.environ.get('BENCH_DBNAME', 'pgjvm_bench'),
    }


class Psycopg2Driver:
    """psycopg2's API: ours, psycopg2-binary, or psycopg2 built from source."""

    name = 'psycopg2'

    def __init__(self):
        import psycopg2
        self.module = psycopg2
        self.NotSupportedError = psycopg2.NotSupportedError

    def connect(self, autocommit=False, sync_commit_off=False):
        ci = _conninfo()
        conn = self.module.connect(host=ci['host'], port=ci['port'], user=ci['user'],
                                   dbname=ci['dbname'], sslmode='disable',
                                   application_name='pgjvm-bench')
        if sync_commit_off:
            cur = conn.cursor()
            cur.execute('SET synchronous_commit = off')
            cur.close()
            conn.commit()
        conn.autocommit = autocommit
        return conn

    def named_cursor(self, conn, name, itersize):
        try:
            cur = conn.cursor(name=name)
        except self.NotSupportedError as e:
            raise NotAvailable('not implemented', 'named cursors (%s)' % e)
        cur.itersize = itersize
        return cur

    def _extras(self):
        try:
            import psycopg2.extras as extras
        except ImportError as e:
            raise NotAvailable('not implemented', 'psycopg2.extras (%s)' % e)
        return extras

    def execute_batch(self, cur, sql, rows, page_size):
        fn = getattr(self._extras(), 'execute_batch', None)
        if fn is None:
            raise NotAvailable('not implemented', 'psycopg2.extras.execute_batch')
        try:
            fn(cur, sql, rows, page_size=page_size)
        except self.NotSupportedError as e:
            raise NotAvailable('not implemented', 'execute_batch (%s)' % e)

    def execute_values(self, cur, sql, rows, page_size):
        fn = getattr(self._extras(), 'execute_values', None)
        if fn is None:
            raise NotAvailable('not implemented', 'psycopg2.extras.execute_values')
        try:
            fn(cur, sql, rows, page_size=page_size)
        except self.NotSupportedError as e:
            raise NotAvailable('not implemented', 'execute_values (%s)' % e)

    def copy_from_stdin(self, cur, sql, f):
        fn = getattr(cur, 'copy_expert', None)
        if fn is None:
            raise NotAvailable('not implemented', 'cursor.copy_expert')
        try:
            fn(sql, f)
        except self.NotSupportedError as e:
            raise NotAvailable('not implemented', 'copy_expert (%s)' % e)

    def describe(self):
        m = self.module
        ext = sys.modules.get('psycopg2._psycopg')
        ext_file = getattr(ext, '__file__', None)
        return {
            'module': 'psycopg2',
            'version': getattr(m, '__version__', None),
            'file': getattr(m, '__file__', None),
            '_psycopg_file': ext_file,
            'implementation': ('c-extension' if ext_file and ext_file.endswith(('.so', '.pyd'))
                               else 'pure-python'),
            'libpq_version': getattr(m, '__libpq_version__', None),
        }


class Pg8000Driver:
    """pg8000's DB-API module (paramstyle 'format', so the same SQL text works)."""

    name = 'pg8000'

    def __init__(self):
        import pg8000.dbapi
        self.module = pg8000.dbapi
        self.package = sys.modules['pg8000']

    def connect(self, autocommit=False, sync_commit_off=False):
        ci = _conninfo()
        # ssl_context=False is pg8000's sslmode=disable (None would try SSL first).
        conn = self.module.connect(user=ci['user'], host=ci['host'], port=ci['port'],
                                   database=ci['dbname'], application_name='pgjvm-bench',
                                   ssl_context=False)
        if sync_commit_off:
            cur = conn.cursor()
            cur.execute('SET synchronous_commit = off')
            conn.commit()
        conn.autocommit = autocommit
        return conn

    def named_cursor(self, conn, name, itersize):
        raise NotAvailable('not in driver', 'pg8000 has no named (server-side) cursors')

    def execute_batch(self, cur, sql, rows, page_size):
        raise NotAvailable('not in driver', 'pg8000 has no psycopg2.extras.execute_batch')

    def execute_values(self, cur, sql, rows, page_size):
        raise NotAvailable('not in driver', 'pg8000 has no psycopg2.extras.execute_values')

    def copy_from_stdin(self, cur, sql, f):
        # pg8000's own COPY API: the file goes in as `stream`.
        cur.execute(sql, stream=f)

    def describe(self):
        return {
            'module': 'pg8000',
            'version': getattr(self.package, '__version__', None),
            'file': getattr(self.package, '__file__', None),
            'implementation': 'pure-python',
        }


def load_driver():
    """Import the driver BENCH_DRIVER names and check it is the one the harness expects."""
    _drop_path()
    name = os.environ.get('BENCH_DRIVER', 'psycopg2')
    if name == 'psycopg2':
        drv = Psycopg2Driver()
    elif name == 'pg8000':
        drv = Pg8000Driver()
    else:
        raise SystemExit('unknown BENCH_DRIVER %r' % name)
    expect = os.environ.get('BENCH_EXPECT')
    got = drv.describe()['implementation']
    if expect and got != expect:
        raise SystemExit('expected a %s %s but imported %r (%s)'
                         % (expect, name, drv.describe()['file'], got))
    return drv


# -- clocks ------------------------------------------------------------------------------------

def _proc_cpu(pid='self'):
    """utime + stime of a process in seconds (from /proc, so that it works on every runtime:
    GraalPy's resource.getrusage() does not report CPU time). None when unreadable."""
    try:
        with open('/proc/%s/stat' % pid, 'rb') as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(b')') + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def backend_pid(conn):
    """The PID of the connection's server process, after checking that it is plain TCP."""
    cur = conn.cursor()
    cur.execute('SELECT pid, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')
    pid, ssl = cur.fetchone()
    cur.close()
    check(ssl is False, 'the connection uses SSL: every driver must run with sslmode=disable')
    return int(pid)


class Clock:
    """Wall time, this process's CPU time (all threads: JIT compilers included) and, when the
    server runs on this machine, the CPU time of the connection's backend process."""

    def __init__(self, server_pid=None):
        self.server_pid = server_pid

    def start(self):
        self._server0 = _proc_cpu(self.server_pid) if self.server_pid else None
        self._cpu0 = _proc_cpu()
        self._t0 = time.perf_counter()

    def stop(self):
        wall = time.perf_counter() - self._t0
        cpu1 = _proc_cpu()
        out = {'wall': wall,
               'cpu': None if cpu1 is None or self._cpu0 is None else cpu1 - self._cpu0}
        if self._server0 is not None:
            server1 = _proc_cpu(self.server_pid)
            out['server_cpu'] = None if server1 is None else server1 - self._server0
        return out


# -- statistics --------------------------------------------------------------------------------

def run_committed(conn, sql):
    """Run one statement outside the measured part and commit it (table resets and checks)."""
    cur = conn.cursor()
    cur.execute(sql)
    row = cur.fetchone() if cur.description else None
    cur.close()
    conn.commit()
    return row


def median(values):
    s = sorted(values)
    n = len(s)
    if n == 0:
        return None
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def percentile(values, p):
    """The nearest-rank percentile (p in 0..100) of a list of numbers."""
    s = sorted(values)
    if not s:
        return None
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[int(k)]


def steady_state(iterations, key, tolerance=0.10):
    """Warm-up analysis of one figure over the iterations of a measured loop.

    steady: the median of the last three iterations (the last one when there are fewer);
    steady_iteration: the first iteration
    (1-based) within ``tolerance`` of it; warmup_s: the wall time spent in the iterations
    before that one; spread_last3: (max - min) / steady over the last three, which says how
    settled the steady figure is.
    """
    values = [it[key] for it in iterations]
    if not values:
        return {}
    last = values[-3:]
    steady = median(last) if len(last) == 3 else last[-1]
    index = next((i for i, v in enumerate(values)
                  if abs(v - steady) <= tolerance * abs(steady)), len(values) - 1)
    return {
        'first': values[0],
        'steady': steady,
        'steady_iteration': index + 1,
        'warmup_s': sum(it['wall'] for it in iterations[:index]),
        'spread_last3': (max(last) - min(last)) / steady if steady else 0.0,
        'iterations': len(values),
    }


# -- running cases -----------------------------------------------------------------------------

class Workload:
    """Collects the cases of one workload script and prints the result line."""

    def __init__(self, name, defaults):
        self.name = name
        self.params = params(defaults)
        self.cases = {}
        BUDGET[0] = self.params.get('budget_s')
        self.result = {'workload': name, 'params': self.params, 'cases': self.cases,
                       'python': sys.version.split()[0],
                       'implementation': sys.implementation.name}

    def set_driver(self, drv):
        self.result['driver'] = drv.describe()

    def case(self, name, unit, key, higher_is_better, fn):
        """Run ``fn()``, which returns a list of iteration dicts, and record it as ``name``.

        ``key`` is the iteration field the steady-state analysis follows, ``unit`` its unit.
        """
        entry = {'unit': unit, 'key': key, 'higher_is_better': higher_is_better}
        try:
            iterations = fn()
        except NotAvailable as e:
            entry.update(status='n/a', kind=e.kind, reason=e.detail)
        except Exception as e:  # reported in the table as "error", with the traceback in JSON
            entry.update(status='error', reason='%s: %s' % (type(e).__name__, e),
                         traceback=traceback.format_exc())
        else:
            entry.update(status='ok', iterations=iterations,
                         summary=steady_state(iterations, key))
        self.cases[name] = entry
        _log('%s %s: %s' % (self.name, name, _short(entry)))
        return entry

    def emit(self):
        sys.stdout.write(RESULT_PREFIX + json.dumps(self.result) + '\n')
        sys.stdout.flush()


def _short(entry):
    if entry['status'] != 'ok':
        return '%s (%s)' % (entry['status'], entry['reason'])
    s = entry['summary']
    return 'first %.4g, steady %.4g %s (iteration %d of %d)' % (
        s['first'], s['steady'], entry['unit'], s['steady_iteration'], s['iterations'])


def _log(msg):
    sys.stderr.write('  [%s] %s\n' % (os.environ.get('BENCH_LABEL', '?'), msg))
    sys.stderr.flush()


# The time budget of one case (seconds; None for none): set from the `budget_s` parameter.
BUDGET = [None]


def timed_iterations(count, body, clock, prepare=None, after=None, ops=None):
    """Run ``body()`` ``count`` times between ``clock.start()`` and ``clock.stop()``.

    ``prepare()`` runs before each iteration and ``after()`` after it, both untimed.
    ``body()`` may return a dict of extra figures for the iteration. With ``ops`` (operations
    per iteration), 'rate' (ops per wall second) and 'cpu_per_op_us' are added. When the
    iterations so far took longer than the case's budget, it stops early (the harness
    reports how many iterations ran): a slow runtime must not hold the whole run up.
    """
    out = []
    spent = 0.0
    budget = BUDGET[0]
    for _ in range(count):
        if budget is not None and out and spent > budget:
            break
        if prepare is not None:
            prepare()
        clock.start()
        extra = body()
        it = clock.stop()
        spent += it['wall']
        if after is not None:
            after()
        if extra:
            it.update(extra)
        if ops:
            it['ops'] = ops
            it['rate'] = ops / it['wall'] if it['wall'] > 0 else float('inf')
            if it.get('cpu') is not None:
                it['cpu_per_op_us'] = it['cpu'] / ops * 1e6
        out.append(it)
    return out


def check(condition, message):
    """A correctness check outside the timed code: wrong answers must never look fast."""
    if not condition:
        raise AssertionError(message)
