"""The server-side references (the "server limit" column): what the server itself manages with
its own client tools, pgbench for round trips and psql \\copy for COPY and large fetches."""
import os
import tempfile
import time

from workloads import _common

from .config import DBNAME, SERVER
from .seed import COPY_COLUMNS
from .util import run_capture


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
                it = _pgbench_iteration(psql, tmp, path, i, p['queries'])
                if 'error' in it:
                    cases[case] = {'status': 'error', 'reason': it['error']}
                    break
                iterations.append(it)
        if case not in cases:
            cases[case] = {'status': 'ok', 'unit': 'us', 'key': 'median_us',
                           'higher_is_better': False, 'iterations': iterations,
                           'summary': _common.steady_state(iterations, 'median_us'),
                           'tool': 'pgbench -M simple -c 1 -t %d' % p['queries']}
    return {'workload': 'roundtrip', 'cases': cases}


def _pgbench_iteration(psql, tmp, script, i, queries):
    """One pgbench run of ``queries`` transactions; the latencies come from its per-transaction
    log (-l), the same per-query figure the workload scripts take."""
    prefix = os.path.join(tmp, 'log%d' % i)
    t0 = time.perf_counter()
    proc = run_capture([psql.tool('pgbench'), '-n', '-M', 'simple', '-c', '1', '-j', '1',
                        '-t', str(queries), '-f', script, '-l', '--log-prefix', prefix, DBNAME],
                       env=psql.env, cwd=tmp, timeout=1800)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        return {'error': proc.stderr.strip()[-1000:]}
    lat = pgbench_latencies(tmp, 'log%d.' % i)
    return {'wall': wall, 'ops': len(lat), 'median_us': _common.median(lat),
            'p99_us': _common.percentile(lat, 99)}


def pgbench_latencies(directory, prefix):
    """The latencies (us, the third field) of every line of pgbench's logs named prefix*."""
    lat = []
    for name in os.listdir(directory):
        if name.startswith(prefix):
            with open(os.path.join(directory, name)) as f:
                lat += [int(line.split()[2]) for line in f if line.strip()]
    return lat


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

