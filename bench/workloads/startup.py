"""Workload 6, start-up: process start -> import -> connect -> first row, then `connects` x
connect/close per iteration.

The harness puts the wall-clock time (ns since the epoch) just before it started the process
in BENCH_T0_NS; every phase is reported from there, so the runtime's own boot is included.
"""
import time

T_MAIN = time.time_ns()  # first thing the script does: the runtime has booted

import os  # noqa: E402

import _common as c  # noqa: E402


def main():
    t0 = int(os.environ.get('BENCH_T0_NS', T_MAIN))
    w = c.Workload('startup', {'connects': 200, 'iterations': 5})
    p = w.params
    t_start_import = time.time_ns()
    drv = c.load_driver()
    t_import = time.time_ns()
    conn = drv.connect(autocommit=True)
    t_connect = time.time_ns()
    cur = conn.cursor()
    cur.execute('SELECT 1')
    row = cur.fetchone()
    t_row = time.time_ns()
    c.check(row[0] == 1, 'SELECT 1 returned %r' % (row,))
    w.set_driver(drv)
    ms = 1e-6
    w.result['startup'] = {
        'boot_ms': (T_MAIN - t0) * ms,            # runtime start until the script runs
        'import_ms': (t_import - t_start_import) * ms,
        'connect_ms': (t_connect - t_import) * ms,
        'first_row_ms': (t_row - t_connect) * ms,  # execute + fetch of the first query
        'total_ms': (t_row - t0) * ms,            # process start -> first row
    }
    clock = c.Clock(c.backend_pid(conn))
    conn.close()
    clock.server_pid = None  # each connection below has a backend of its own
    n = p['connects']

    def body():
        for _ in range(n):
            drv.connect(autocommit=True).close()

    def measure():
        its = c.timed_iterations(p['iterations'], body, clock, ops=n)
        for it in its:
            it['ms_per_connect'] = it['wall'] / n * 1e3
        return its

    w.case('connect_close', 'ms', 'ms_per_connect', False, measure)
    w.emit()


if __name__ == '__main__':
    main()
