"""Workload 1, round trips: sequential small queries in autocommit, latency per query.

Cases: select_int (`SELECT %s::int4 + 1`) and pk_lookup (one 7-column row of bench_items by
primary key). Each iteration runs `queries` queries and records their median and p99 latency.
"""
import time

import _common as c

SELECT_INT = 'SELECT %s::int4 + 1'
PK_LOOKUP = ('SELECT id, grp, name, email, price, created_at, active '
             'FROM bench_items WHERE id = %s')


def main():
    w = c.Workload('roundtrip', {'queries': 20000, 'iterations': 6, 'items': 100000})
    p = w.params
    drv = c.load_driver()
    w.set_driver(drv)
    conn = drv.connect(autocommit=True)
    clock = c.Clock(c.backend_pid(conn))
    cur = conn.cursor()
    n, items = p['queries'], p['items']
    ids = [(i * 7919) % items + 1 for i in range(n)]

    def latencies(sql, args_list):
        ns = time.perf_counter_ns
        lat = []
        acc = 0
        for args in args_list:
            t0 = ns()
            cur.execute(sql, args)
            row = cur.fetchone()
            lat.append(ns() - t0)
            acc += row[0]
        return lat, acc

    def measure(sql, args_list, expected_sum):
        def body():
            lat, acc = latencies(sql, args_list)
            c.check(acc == expected_sum, 'wrong results: sum %r, expected %r' % (acc, expected_sum))
            return {'median_us': c.median(lat) / 1e3, 'p99_us': c.percentile(lat, 99) / 1e3}
        return c.timed_iterations(p['iterations'], body, clock, ops=n)

    select_args = [(i,) for i in range(n)]
    w.case('select_int', 'us', 'median_us', False,
           lambda: measure(SELECT_INT, select_args, sum(i + 1 for i in range(n))))
    pk_args = [(i,) for i in ids]
    w.case('pk_lookup', 'us', 'median_us', False,
           lambda: measure(PK_LOOKUP, pk_args, sum(ids)))
    conn.close()
    w.emit()


if __name__ == '__main__':
    main()
