"""The command line of bin/bench: which runs, with which runtimes, against which server."""
import argparse
import datetime
import json

from . import __doc__ as PACKAGE_DOC
from .config import (ALL_WORKLOADS, QUICK_RUNTIMES, RUNTIME_BY_KEY, RUNTIMES, SERVER, SIZES,
                     SMOKE_RUNTIMES, WORKLOAD_ORDER)
from .render import report
from .run import run_all
from .server import bench_server_dir, server_env, test_postgres
from .util import say


def parse_args(argv):
    ap = argparse.ArgumentParser(prog='bin/bench', description=PACKAGE_DOC.split('\n\n')[0])
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
        return print_report(args.report)
    mode = args.mode
    rounds = args.rounds or 1
    started = datetime.datetime.now().astimezone()
    wanted_rt = wanted_runtimes(args.runtimes, mode)
    runtimes = [r for r in RUNTIMES if r.key in wanted_rt]
    with_server = SERVER in wanted_rt
    workloads = wanted_workloads(args.workloads)

    say('mode %s, %d round(s), runtimes: %s%s' % (mode, rounds,
                                                 ', '.join(r.key for r in runtimes),
                                                 ', server' if with_server else ''))
    state_dir = None if args.shared_server else bench_server_dir()
    pg = server_env(state_dir)
    try:
        return run_all(args, mode, SIZES[mode], rounds, started, runtimes, with_server,
                       workloads, pg)
    finally:
        if state_dir and not args.keep_server:
            say('stopping the benchmark cluster (--keep-server keeps it)')
            test_postgres('stop', state_dir)


def print_report(path):
    """--report: the tables of a saved run, from its JSON file alone (no server)."""
    with open(path) as f:
        saved = json.load(f)
    # Runs saved before meta listed the runtimes: the keys of the document's runtimes.
    saved['meta'].setdefault('runtimes', list(saved.get('runtimes', {})))
    print(report(saved['meta'], saved['setup'], saved['runs'])[1])
    return 0


def wanted_runtimes(option, mode):
    """The runtime keys (and 'server') of --runtimes, or the mode's default set."""
    wanted = (option.split(',') if option
              else SMOKE_RUNTIMES if mode == 'smoke'
              else QUICK_RUNTIMES if mode == 'quick'
              else [r.key for r in RUNTIMES] + [SERVER])
    unknown = [k for k in wanted if k not in RUNTIME_BY_KEY and k != SERVER]
    if unknown:
        raise SystemExit('unknown runtime(s): %s' % ', '.join(unknown))
    return wanted


def wanted_workloads(option):
    workloads = option.split(',') if option else list(ALL_WORKLOADS)
    unknown = [w for w in workloads if w not in ALL_WORKLOADS]
    if unknown:
        raise SystemExit('unknown workload(s): %s' % ', '.join(unknown))
    return workloads
