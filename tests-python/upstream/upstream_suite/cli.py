"""The command line of bin/upstream-suite (its docstring tells the options and the outputs)."""
import argparse
import fcntl
import json
import os
import subprocess
import time

from .config import (GRAALPY, HERE, JYTHON, MODULE_BUDGET, MODULE_BUDGET_PER_TEST, PACKAGE_DIR,
                     ROOT, RUN_BUDGET, RUNS, TIMEOUT, SetupError, say)
from .database import Database, postgres_env, replication_dsn
from .ratchet import check_lists, ratchet, read_ids, read_manifest
from .report import counts, write_results
from .sdist import ensure_pytest, extract, fetch_sdist
from .supervisor import Run

OUT = os.path.join(ROOT, 'target', 'upstream-suite')


def parser():
    p = argparse.ArgumentParser(
        description='Run psycopg2 2.9.13\'s own test suite on our psycopg2, with a ratchet.')
    p.add_argument('prefixes', nargs='*', metavar='TEST-ID-PREFIX')
    p.add_argument('--only', choices=sorted(RUNS))
    p.add_argument('--jython', action='store_true',
                   help="psycopg2 2.8.6's suite on Jython (bin/pg-jython) instead")
    p.add_argument('--update-baseline', action='store_true')
    p.add_argument('--out', default=OUT)
    p.add_argument('--timeout', type=float, default=TIMEOUT)
    p.add_argument('--budget', type=float, default=RUN_BUDGET)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if args.jython and args.out == OUT:
        args.out = OUT + '-jython'
    wall = time.monotonic()
    os.makedirs(args.out, exist_ok=True)
    lock = open(os.path.join(args.out, '.lock'), 'w')
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        say(f'another upstream-suite run writes into {args.out}: waiting for it to end')
        fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        return run(args, wall)
    except SetupError as e:
        say(f'error: {e}')
        print('0 passed, 0 failed, 0 skipped')
        return 2


def select(manifest, prefixes):
    """The manifest's tests whose id starts with one of the prefixes (all, with none)."""
    tests = [t for t in manifest if not prefixes or t.startswith(tuple(prefixes))]
    if not tests:
        raise SetupError(f'no test id starts with {" or ".join(prefixes)}')
    return tests


def suite_env(env, site, top, suite=GRAALPY):
    """The environment of every test process, from the caller's (with PG*)."""
    # Interpreter-only from the AOT cache unless the caller chose: it runs this suite faster
    # (short tests, many child interpreters) than the JIT, which warms up too slowly to pay.
    env.setdefault('PG_PYTHON_JIT', '0')
    env.pop('PYTEST_ADDOPTS', None)
    env.pop('PYTHONSTARTUP', None)
    # HERE holds upstream_plugin.py (`-p upstream_plugin`) and this package, whose events
    # module the plugin (or Jython's unittest runner) imports.
    variable = 'JYTHONPATH' if suite.jython else 'PYTHONPATH'
    env[variable] = os.pathsep.join(
        ([site] if site else []) + [HERE] + ([env[variable]] if env.get(variable) else []))
    env['PSYCOPG2_TEST_FAST'] = '0'         # the slow tests are part of the yardstick
    env['UPSTREAM_TESTS_DIR'] = os.path.join(top, 'tests')
    env['UPSTREAM_PSYCOPG2_DIR'] = PACKAGE_DIR
    return env


def run_env(env, name, extra_env, dbname, pid):
    """The environment of one run (normal or green) in database dbname."""
    result = dict(env, **extra_env)
    if name != 'green':
        result.pop('PSYCOPG2_TEST_GREEN', None)
    result['PSYCOPG2_TESTDB'] = dbname
    result['PSYCOPG2_TEST_REPL_SLOT'] = f'psycopg2_upstream_{pid}'
    result['PSYCOPG2_TEST_REPL_DSN'] = replication_dsn(result, dbname)
    return result


PROBE = r"""
import json, sys
info = {}
try:
    import psycopg2, psycopg2.extensions
    info.update(file=psycopg2.__file__, version=psycopg2.__version__,
                libpq=psycopg2.__libpq_version__,
                wait_callback=hasattr(psycopg2.extensions, 'set_wait_callback'))
except Exception as e:
    info['error'] = f'{type(e).__name__}: {e}'
print('UPSTREAM-PROBE ' + json.dumps(info))
"""


def probe(env, suite):
    """What our psycopg2 offers, when no test process has said it yet."""
    done = subprocess.run([suite.launcher, '-c', PROBE], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=600)
    for line in done.stdout.splitlines():
        if line.startswith('UPSTREAM-PROBE '):
            return json.loads(line[len('UPSTREAM-PROBE '):])
    raise SetupError(f'{suite.launcher} did not start: {done.stderr.strip()[-2000:]}')


def run(args, wall):
    suite = JYTHON if args.jython else GRAALPY
    lists = suite.lists
    manifest = read_manifest(lists)
    expected = read_ids(os.path.join(lists, 'expected-failures.txt'), reasons=True)
    check_lists(manifest, {baseline_file: read_ids(os.path.join(lists, baseline_file))
                           for _, baseline_file, _ in suite.runs.values()}, expected)
    tests = select(manifest, args.prefixes)

    top = extract(fetch_sdist(suite), suite=suite)
    site = None if suite.jython else ensure_pytest()
    env = suite_env(postgres_env(), site, top, suite)
    env['UPSTREAM_SUITE_SIZE'] = str(len(manifest))   # what tests.test_suite() must hold
    interpreter = 'Jython' if suite.jython else f'PG_PYTHON_JIT={env["PG_PYTHON_JIT"]}'
    say(f'{len(tests)} tests, {interpreter}, time limits: {args.timeout:g} s '
        f'a test, {MODULE_BUDGET} s + {MODULE_BUDGET_PER_TEST} s a test for a module, '
        f'{args.budget:g} s a run')

    database = Database(env)
    totals = [0, 0, 0]
    regressed = False
    info = None
    for name, (extra_env, baseline_file, description) in suite.runs.items():
        if args.only and args.only != name:
            continue
        if name == 'green':
            info = info or probe(env, suite)
            if not info.get('wait_callback'):
                say(f'[{name}] run with {description}: not yet applicable '
                    '(psycopg2.extensions.set_wait_callback does not exist yet)')
                continue
        started = time.monotonic()
        dbname = database.create(f'psycopg2_upstream_{os.getpid()}_{name}')
        say(f'[{name}] run with {description}, database {dbname}')
        out = os.path.join(args.out, name)
        one = Run(name, tests, top, run_env(env, name, extra_env, dbname, os.getpid()), out,
                  args.timeout, args.budget, known=manifest, suite=suite)
        try:
            results = one.execute()
            if info is None and one.info:
                info = one.info
                say(f"psycopg2 {info.get('version')} from {info.get('file')} (libpq version "
                    f"{info.get('libpq')})" if 'error' not in info else
                    f"our psycopg2 does not import: {info['error']}")
        finally:
            if dbname != env['PSYCOPG2_TESTDB']:
                database.drop(dbname)
        if one.extra:
            say(f'[{name}] {len(one.extra)} test(s) collected that manifest.txt does not list '
                f'(not run, not counted): {" ".join(one.extra[:5])}')
        seconds = time.monotonic() - started
        title = (f'psycopg2 {suite.version} test suite on our psycopg2, {description} '
                 f'({interpreter}): {seconds:.0f} s')
        print(write_results(out, results, tests, title))
        regressed |= ratchet(name, results, tests, os.path.join(lists, baseline_file),
                             expected, args.update_baseline, manifest, suite)
        p, f, s = counts(results, tests)
        say(f'[{name}] results in {os.path.relpath(out, os.getcwd())}/results.tsv')
        print(f'{name}: {p} passed, {f} failed, {s} skipped')
        totals = [totals[0] + p, totals[1] + f, totals[2] + s]
    say(f'wall time {time.monotonic() - wall:.0f} s')
    print(f'{totals[0]} passed, {totals[1]} failed, {totals[2]} skipped')
    return 1 if regressed else 0
