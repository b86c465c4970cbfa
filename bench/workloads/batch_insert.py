"""Workload 4, batch insert: `rows` rows x 7 columns into bench_insert in one transaction
(synchronous_commit=off), by cursor.executemany, psycopg2.extras.execute_batch(page_size=100)
and psycopg2.extras.execute_values(page_size=1000). Figure: rows/s, commit included.
"""
import datetime
import decimal

import _common as c

COLUMNS = 'id, i4, f8, num, txt, ts, flag'
INSERT = 'INSERT INTO bench_insert (%s) VALUES (%%s, %%s, %%s, %%s, %%s, %%s, %%s)' % COLUMNS
INSERT_VALUES = 'INSERT INTO bench_insert (%s) VALUES %%s' % COLUMNS


def make_rows(n):
    """The same fixed rows for every driver."""
    base = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    cents = decimal.Decimal('0.01')
    rows = []
    for i in range(1, n + 1):
        rows.append((
            i,
            (i * 2654435761) % 2147483647,
            i / 7.0,
            (decimal.Decimal((i * 7919) % 10000000) * cents),
            'row %d %s' % (i, 'x' * (i % 24)),
            base + datetime.timedelta(seconds=37 * i),
            i % 3 == 0,
        ))
    return rows


def main():
    w = c.Workload('batch_insert', {'rows': 10000, 'iterations': 6})
    p = w.params
    drv = c.load_driver()
    w.set_driver(drv)
    conn = drv.connect(autocommit=False, sync_commit_off=True)
    clock = c.Clock(c.backend_pid(conn))
    n = p['rows']
    rows = make_rows(n)
    expected_sum = n * (n + 1) // 2

    def truncate():
        c.run_committed(conn, 'TRUNCATE bench_insert')

    def verify():
        cur = conn.cursor()
        cur.execute('SELECT count(*), sum(id) FROM bench_insert')
        count, total = cur.fetchone()
        cur.close()
        conn.commit()
        c.check(int(count) == n and int(total) == expected_sum,
                'table has %s rows (id sum %s), expected %d' % (count, total, n))

    def measure(insert):
        def body():
            cur = conn.cursor()
            try:
                insert(cur)
            except BaseException:
                conn.rollback()
                raise
            cur.close()
            conn.commit()
        return c.timed_iterations(p['iterations'], body, clock, prepare=truncate, after=verify,
                                  ops=n)

    w.case('executemany', 'rows/s', 'rate', True,
           lambda: measure(lambda cur: cur.executemany(INSERT, rows)))
    w.case('execute_batch', 'rows/s', 'rate', True,
           lambda: measure(lambda cur: drv.execute_batch(cur, INSERT, rows, page_size=100)))
    w.case('execute_values', 'rows/s', 'rate', True,
           lambda: measure(lambda cur: drv.execute_values(cur, INSERT_VALUES, rows,
                                                          page_size=1000)))
    truncate()
    conn.close()
    w.emit()


if __name__ == '__main__':
    main()
