"""Workload 2, large fetch: all rows of bench_wide_<rows> (int8, int4, float8, numeric(12,2),
32-char text, timestamptz, bool; each column 10% NULL).

Cases: fetchall (one client-side result) and named_cursor (a server-side cursor iterated with
itersize rows per round trip). Figure: rows/s.
"""
import datetime
import decimal
import gc

import _common as c

TYPES = (int, int, float, decimal.Decimal, str, datetime.datetime, bool)


def check_rows(first_full_row, count, expected):
    c.check(count == expected, 'fetched %d rows, expected %d' % (count, expected))
    c.check(first_full_row is not None, 'no row without NULLs')
    for value, typ in zip(first_full_row, TYPES):
        c.check(isinstance(value, typ), 'value %r is not a %s' % (value, typ.__name__))
    c.check(first_full_row[5].tzinfo is not None, 'timestamptz without tzinfo')


def first_full(rows):
    for row in rows:
        if None not in row:
            return row
    return None


def main():
    w = c.Workload('large_fetch', {'rows': 1000000, 'iterations': 5, 'itersize': 2000})
    p = w.params
    drv = c.load_driver()
    w.set_driver(drv)
    conn = drv.connect(autocommit=False)
    clock = c.Clock(c.backend_pid(conn))
    n = p['rows']
    sql = 'SELECT c_int8, c_int4, c_float8, c_numeric, c_text, c_ts, c_bool FROM bench_wide_%d' % n

    def fetchall():
        def body():
            cur = conn.cursor()
            cur.execute(sql)
            rows = cur.fetchall()
            cur.close()
            conn.rollback()
            check_rows(first_full(rows), len(rows), n)
        return c.timed_iterations(p['iterations'], body, clock, prepare=gc.collect, ops=n)

    def named():
        def body():
            cur = drv.named_cursor(conn, 'bench_large_fetch', p['itersize'])
            cur.execute(sql)
            count = 0
            full = None
            for row in cur:
                count += 1
                if full is None and None not in row:
                    full = row
            cur.close()
            conn.rollback()
            check_rows(full, count, n)
        return c.timed_iterations(p['iterations'], body, clock, prepare=gc.collect, ops=n)

    w.case('fetchall', 'rows/s', 'rate', True, fetchall)
    w.case('named_cursor', 'rows/s', 'rate', True, named)
    conn.close()
    w.emit()


if __name__ == '__main__':
    main()
