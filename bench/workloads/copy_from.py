"""Workload 5, COPY FROM STDIN: `rows` rows (the 7 columns of bench_copy, text format) from the
file the harness wrote, via cursor.copy_expert (pg8000: its own `stream=` COPY API), in one
transaction with synchronous_commit=off. Figure: rows/s, commit included.
"""
import os

import _common as c

COPY = 'COPY bench_copy (id, i4, f8, num, txt, ts, flag) FROM STDIN'


def main():
    w = c.Workload('copy_from', {'rows': 1000000, 'iterations': 4,
                                 'file': os.environ.get('BENCH_COPY_FILE', '')})
    p = w.params
    drv = c.load_driver()
    w.set_driver(drv)
    conn = drv.connect(autocommit=False, sync_commit_off=True)
    clock = c.Clock(c.backend_pid(conn))
    n = p['rows']
    path = p['file']

    def truncate():
        c.run_committed(conn, 'TRUNCATE bench_copy')

    def verify():
        cur = conn.cursor()
        cur.execute('SELECT count(*) FROM bench_copy')
        count = cur.fetchone()[0]
        cur.close()
        conn.commit()
        c.check(int(count) == n, 'table has %s rows, expected %d' % (count, n))

    def body():
        cur = conn.cursor()
        try:
            with open(path, 'rb') as f:
                drv.copy_from_stdin(cur, COPY, f)
        except BaseException:
            conn.rollback()
            raise
        cur.close()
        conn.commit()

    def measure():
        c.check(os.path.isfile(path), 'no COPY data file %r (BENCH_COPY_FILE)' % path)
        return c.timed_iterations(p['iterations'], body, clock, prepare=truncate, after=verify,
                                  ops=n)

    w.case('copy_expert', 'rows/s', 'rate', True, measure)
    truncate()
    conn.close()
    w.emit()


if __name__ == '__main__':
    main()
