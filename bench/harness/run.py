"""One benchmark run, once the server is up: set-up, seeding, the interleaved processes, the
boundary micro-benchmark, then the report on stdout and in target/bench/."""
import datetime
import json
import os
import time

from .aggregate import imports_of
from .config import (BUDGET, CACHE, PG8000_VERSION, PG_PYTHON, PSYCOPG2_VERSION, ROOT,
                     RUNTIME_BY_KEY, SERVER, TIMEOUT, WORKLOADS)
from .machine import git_state, machine
from .measure import run_measured
from .references import run_server
from .render import report
from .runtimes import SETUPS, preflight
from .seed import seed
from .server import Psql, child_env
from .util import last_line, say

# The workloads that have a server-side reference (the "server limit" column).
SERVER_WORKLOADS = ('roundtrip', 'copy_from', 'large_fetch')


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

    order = [r for r in runtimes if r.key not in setup_failed]
    t_runs = time.perf_counter()
    runs = run_workloads(mode, sizes, rounds, order, with_server, workloads, pg, psql,
                         seeded['copy_file'])
    if 'boundary' in workloads and 'us' in [r.key for r in order]:
        runs['boundary'] = {'us': [run_boundary(mode, sizes, pg)]}
    runs_seconds = time.perf_counter() - t_runs

    meta['finished'] = datetime.datetime.now().astimezone().isoformat()
    meta['runs_seconds'] = runs_seconds
    meta['loadavg_end'] = os.getloadavg()
    meta['setup_failed'] = sorted(setup_failed)
    meta['runtimes'] = [r.key for r in runtimes]
    meta['imports'] = imports_of(runs)
    document, text = report(meta, setup, runs)
    print(text)
    write_outputs(document, text, args.json or default_json_path(mode, started))

    if mode == 'smoke':
        return smoke_verdict(runs)
    return 0


def rotation(members, rnd, wi):
    """The order of one workload's processes: shifted by one per workload and per round, so
    that slow drifts of the machine hit every runtime alike."""
    shift = (rnd + wi) % max(1, len(members))
    return members[shift:] + members[:shift]


def run_workloads(mode, sizes, rounds, order, with_server, workloads, pg, psql, copy_file):
    """runs[workload][runtime key] -> one run dict per round (boundary excluded)."""
    runs = {}
    for rnd in range(rounds):
        for wi, workload in enumerate(w for w in workloads if w != 'boundary'):
            members = [r.key for r in order if r.runs(workload)]
            if with_server and workload in SERVER_WORKLOADS:
                members.append(SERVER)
            for key in rotation(members, rnd, wi):
                say('round %d/%d, %s, %s' % (rnd + 1, rounds, workload, key))
                if key == SERVER:
                    run = run_server(workload, psql, sizes, copy_file)
                else:
                    run = run_workload(mode, sizes, workload, RUNTIME_BY_KEY[key], pg, copy_file)
                if run.get('error'):
                    say('%s on %s failed: %s' % (workload, key, last_line(run['error'])))
                runs.setdefault(workload, {}).setdefault(key, []).append(run)
    return runs


def run_workload(mode, sizes, workload, rt, pg, copy_file):
    """One fresh process of one workload script on one runtime."""
    env = child_env(pg, dict(rt.env, BENCH_DRIVER=rt.driver,
                             BENCH_PARAMS=json.dumps(dict(sizes[workload],
                                                          budget_s=BUDGET[mode])),
                             BENCH_COPY_FILE=copy_file, BENCH_LABEL=rt.key))
    if rt.expect:
        env['BENCH_EXPECT'] = rt.expect
    return run_measured(rt.cmd + [os.path.join(WORKLOADS, workload + '.py')], env,
                        TIMEOUT[mode], rt.key)


def run_boundary(mode, sizes, pg):
    """The boundary micro-benchmark, on our runtime, over the large-fetch table."""
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
    return boundary


def default_json_path(mode, started):
    return os.path.join(ROOT, 'target', 'bench',
                        'bench-%s-%s.json' % (mode, started.strftime('%Y%m%d-%H%M%S')))


def write_outputs(document, text, json_path):
    """The JSON document, and the Markdown text next to it (same name, .md)."""
    os.makedirs(os.path.dirname(os.path.abspath(json_path)), exist_ok=True)
    with open(json_path, 'w') as f:
        json.dump(document, f, indent=1, default=str)
    with open(os.path.splitext(json_path)[0] + '.md', 'w') as f:
        f.write(text + '\n')
    say('wrote %s (and .md)' % json_path)


def smoke_failures(runs):
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
    return failures


def smoke_verdict(runs):
    """The exit status of a smoke run (1: a failure, listed on stderr)."""
    failures = smoke_failures(runs)
    if failures:
        say('smoke run FAILED:\n  ' + '\n  '.join(failures))
        return 1
    say('smoke run passed (every workload script ran; no figure is judged)')
    return 0
