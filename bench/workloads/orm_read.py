"""Workload 3, ORM-shaped read: range selects of `page` rows x 7 columns from bench_items, as
an ORM's list view does, in autocommit. Figure: queries/s.
"""
import _common as c

SQL = ('SELECT id, grp, name, email, price, created_at, active '
       'FROM bench_items WHERE id BETWEEN %s AND %s ORDER BY id')


def main():
    w = c.Workload('orm_read', {'queries': 10000, 'iterations': 6, 'items': 100000, 'page': 100})
    p = w.params
    drv = c.load_driver()
    w.set_driver(drv)
    conn = drv.connect(autocommit=True)
    clock = c.Clock(c.backend_pid(conn))
    cur = conn.cursor()
    n, page, items = p['queries'], p['page'], p['items']
    starts = [(i * 7919) % (items - page + 1) + 1 for i in range(n)]
    args_list = [(s, s + page - 1) for s in starts]
    expected = sum(page * s + page * (page - 1) // 2 for s in starts)

    def body():
        total = 0
        for args in args_list:
            cur.execute(SQL, args)
            for row in cur.fetchall():
                total += row[0]
        c.check(total == expected, 'wrong results: id sum %r, expected %r' % (total, expected))

    w.case('range_select', 'queries/s', 'rate', True,
           lambda: c.timed_iterations(p['iterations'], body, clock, ops=n))
    conn.close()
    w.emit()


if __name__ == '__main__':
    main()
