"""Boundary micro-benchmark (our package on GraalPy only): what one fetched row costs on each
side of the Java<->Python boundary, with the network and the server taken out.

One result of `rows` rows of the large-fetch table (7 columns, 10% NULL) is fetched once; then
each step below is repeated `iterations` times on that same in-memory result:

  java_decode          PythonBridge.window(result, 0, n, kinds): one call into Java, which decodes
                       every value and hands each column over as one String (ints, floats and
                       packed timestamps as 8 bytes each, texts and packed numerics joined)
  java_decode_strings  the same with every column decoded as text
  to_tuples            [tuple(r) for r in java_rows], java_rows being java-core's own Object[]
                       rows (PgResult.rows): per-row and per-value crossings, each Java value
                       becoming a Python object (what the package did before the windows)
  python_tuples        the same over Python lists holding the same values: the Python cost of
                       building the tuples, which to_tuples minus this leaves as interop cost
  convert              the cursor's _rows(): java_decode, the columns decoded in Python, the
                       typecasters (numeric -> Decimal, timestamptz -> datetime), rows zipped
  fetchall_local       cursor.fetchall() re-run on the fetched result: everything client-side
  end_to_end           cursor.execute() + fetchall(): with the server and the network

and per single crossing: reading one element of a Java Object[] by its Java type (Long,
Double, String, Boolean, null), and calling a trivial static Java method, against reading a
Python list.

It reaches into the package's internals (cursor._result, a PGresult of psycopg2/_impl/pq.py, and
cursor._rows; the Java result behind it through PythonBridge): when those change, it
reports n/a with the reason rather than a wrong figure.
"""
import _common as c

COLUMNS = 'c_int8, c_int4, c_float8, c_numeric, c_text, c_ts, c_bool'
# Column index per Java type in the decoded rows (see large_fetch's table).
BY_TYPE = (('Long', 0), ('Double', 2), ('String', 4), ('Boolean', 6))


def main():
    w = c.Workload('boundary', {'rows': 100000, 'iterations': 10, 'table_rows': 1000000,
                                'calls': 1000000})
    p = w.params
    drv = c.load_driver()
    w.set_driver(drv)
    w.result['units'] = 'ns per row (per value or call for the crossing_* cases)'
    # How the cursor's rows cross (the report splits a row's cost by it).
    w.result['rows_cross_as'] = 'column windows'
    n = p['rows']
    sql = 'SELECT %s FROM bench_wide_%d LIMIT %d' % (COLUMNS, p['table_rows'], n)
    conn = drv.connect(autocommit=True)
    cur = conn.cursor()
    cur.execute(sql)
    clock = c.Clock()

    try:
        import java
        bridge = java.type('dev.pgjvm.psycopg2.PythonBridge')
        result = cur._result
        jresult = result._jresult

        letters = [result._kinds]       # what the cursor's column_plan() chose

        def window_of(start, stop):
            return bridge.window(jresult, start, stop, letters[0])

        def set_decoders(kinds):
            bridge.setKinds(jresult, kinds)
            letters[0] = kinds
        convert_rows = cur._rows
        ncols = len(cur.description)
        count = result.ntuples
    except AttributeError as e:
        for name in ('java_decode', 'java_decode_strings', 'to_tuples', 'python_tuples',
                     'convert', 'fetchall_local', 'end_to_end'):
            w.cases[name] = {'status': 'n/a', 'kind': 'internal API changed',
                             'reason': 'the cursor internals this harness uses changed: %s' % e,
                             'unit': 'ns/row', 'key': 'ns', 'higher_is_better': False}
        w.emit()
        return
    c.check(count == n, 'the result has %d rows, expected %d' % (count, n))

    def per(unit_count, body):
        def one():
            out = body()
            return {'result_size': out}

        def fn():
            its = c.timed_iterations(p['iterations'], one, clock)
            for it in its:
                it['ns'] = it['wall'] / unit_count * 1e9
            return its
        return fn

    # The Java rows (each a Java Object[]) in a Python list, as java-core decodes them.
    java_rows = list(jresult.rows(0, n))
    py_rows = [list(r) for r in java_rows]

    w.case('java_decode', 'ns/row', 'ns', False, per(n, lambda: len(window_of(0, n))))

    def decode_strings():
        # Restored afterwards to what the cursor's column_plan() chose.
        from psycopg2._impl.typecast import column_plan
        plan, _ = column_plan([d.type_code for d in cur.description], cur)
        set_decoders('s' * ncols)
        try:
            return per(n, lambda: len(window_of(0, n)))()
        finally:
            set_decoders(plan)
    w.case('java_decode_strings', 'ns/row', 'ns', False, decode_strings)

    w.case('to_tuples', 'ns/row', 'ns', False,
           per(n, lambda: len([tuple(r) for r in java_rows])))
    w.case('python_tuples', 'ns/row', 'ns', False,
           per(n, lambda: len([tuple(r) for r in py_rows])))
    # Decoding in Java, crossing, and the Python side's conversion (columns, casters, rows).
    w.case('convert', 'ns/row', 'ns', False, per(n, lambda: len(convert_rows(0, n))))

    def fetchall_local():
        cur.scroll(0, mode='absolute')
        cur._buf = []
        cur._buf_start = 0
        return len(cur.fetchall())
    w.case('fetchall_local', 'ns/row', 'ns', False, per(n, fetchall_local))

    def end_to_end():
        cur.execute(sql)
        return len(cur.fetchall())
    w.case('end_to_end', 'ns/row', 'ns', False, per(n, end_to_end))

    # -- single crossings ----------------------------------------------------------------------
    for name, col in BY_TYPE:
        def read_column(col=col):
            x = None
            for r in java_rows:
                x = r[col]
            return x is None
        w.case('crossing_read_%s' % name, 'ns/value', 'ns', False, per(n, read_column))

    def read_nulls():
        x = 0
        for r in java_rows:
            if r[1] is None:  # c_int4 is NULL in a tenth of the rows; counts every read
                x += 1
        return x
    w.case('crossing_read_any', 'ns/value', 'ns', False, per(n, read_nulls))

    def read_python():
        x = None
        for r in py_rows:
            x = r[4]
        return x is None
    w.case('python_read_list', 'ns/value', 'ns', False, per(n, read_python))

    import java
    Integer = java.type('java.lang.Integer')
    calls = p['calls']

    def call_java():
        x = 0
        rotate = Integer.rotateLeft
        for i in range(calls):
            x ^= rotate(i, 1)
        return x
    w.case('crossing_static_call', 'ns/call', 'ns', False, per(calls, call_java))

    def call_python():
        x = 0
        f = _rotate
        for i in range(calls):
            x ^= f(i, 1)
        return x
    w.case('python_call', 'ns/call', 'ns', False, per(calls, call_python))

    conn.close()
    w.emit()


def _rotate(i, n):
    return ((i << n) | (i >> (32 - n))) & 0xFFFFFFFF


if __name__ == '__main__':
    main()
