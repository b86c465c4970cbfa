"""The cursor: executing, fetching, the result's metadata and the cursor's own state.

Expected values were taken from psycopg2 2.9.10 run against the same server.
"""
import datetime
import decimal

import pytest

import psycopg2
import psycopg2.extensions as ext


@pytest.fixture
def items(cur):
    """A temporary table with three rows."""
    cur.execute("CREATE TEMP TABLE items (id serial PRIMARY KEY, name text NOT NULL,"
                " price numeric(12,2), code varchar(10), flag char(3))")
    cur.execute("INSERT INTO items (name, price, code, flag)"
                " VALUES ('a', 1.5, 'x', 'y'), ('b', NULL, NULL, NULL), ('c', 3, 'z', 'w')")
    return 'items'


# -- executing and fetching -----------------------------------------------------------------

def test_fetchone(cur):
    cur.execute("SELECT 1, 'a' UNION ALL SELECT 2, 'b' ORDER BY 1")
    assert cur.rownumber == 0
    row = cur.fetchone()
    assert type(row) is tuple
    assert row == (1, 'a')
    assert cur.rownumber == 1
    assert cur.fetchone() == (2, 'b')
    assert cur.rownumber == 2
    assert cur.fetchone() is None
    assert cur.fetchone() is None
    assert cur.rownumber == 2


def test_fetchmany_and_arraysize(cur):
    cur.execute('SELECT generate_series(1, 7)')
    assert cur.arraysize == 1
    assert cur.fetchmany() == [(1,)]
    assert cur.fetchmany(3) == [(2,), (3,), (4,)]
    cur.arraysize = 2
    rows = cur.fetchmany()
    assert type(rows) is list
    assert rows == [(5,), (6,)]
    assert cur.fetchmany(10) == [(7,)]
    assert cur.fetchmany(10) == []
    assert cur.rownumber == 7


def test_fetchall(cur):
    cur.execute('SELECT generate_series(1, 4)')
    assert cur.fetchone() == (1,)
    rows = cur.fetchall()
    assert type(rows) is list
    assert rows == [(2,), (3,), (4,)]
    assert cur.fetchall() == []
    assert cur.rownumber == 4


def test_iteration(cur):
    cur.execute('SELECT generate_series(1, 3)')
    assert iter(cur) is cur
    assert [row for row in cur] == [(1,), (2,), (3,)]
    assert list(cur) == []
    cur.execute('SELECT generate_series(1, 3)')
    cur.fetchone()
    assert next(cur) == (2,)
    assert list(cur) == [(3,)]


def test_buffered_rows_are_not_served_after_close(conn):
    cur = conn.cursor()
    cur.execute('SELECT generate_series(1, 5)')
    assert next(cur) == (1,)              # the rest of the result is converted by now
    cur.close()
    with pytest.raises(psycopg2.InterfaceError, match='cursor already closed'):
        next(cur)
    with pytest.raises(psycopg2.InterfaceError, match='cursor already closed'):
        cur.fetchone()
    other = conn.cursor()
    other.execute('SELECT generate_series(1, 5)')
    assert other.fetchone() == (1,)
    conn.close()
    with pytest.raises(psycopg2.InterfaceError, match='cursor already closed'):
        other.fetchone()
    with pytest.raises(psycopg2.InterfaceError, match='cursor already closed'):
        next(other)


def test_no_rows(cur):
    cur.execute('SELECT 1 WHERE false')
    assert cur.rowcount == 0
    assert cur.fetchone() is None
    assert cur.fetchall() == []
    assert cur.statusmessage == 'SELECT 0'
    assert len(cur.description) == 1


def test_rowcount_and_statusmessage(cur):
    assert cur.rowcount == -1
    assert cur.statusmessage is None
    cur.execute('CREATE TEMP TABLE counts (id int)')
    assert (cur.rowcount, cur.statusmessage) == (-1, 'CREATE TABLE')
    assert cur.description is None
    cur.execute('INSERT INTO counts VALUES (1), (2), (3)')
    assert (cur.rowcount, cur.statusmessage) == (3, 'INSERT 0 3')
    assert type(cur.rowcount) is int
    cur.execute('UPDATE counts SET id = id + 1 WHERE id > 1')
    assert (cur.rowcount, cur.statusmessage) == (2, 'UPDATE 2')
    cur.execute('DELETE FROM counts WHERE id = 100')
    assert (cur.rowcount, cur.statusmessage) == (0, 'DELETE 0')
    cur.execute('SELECT * FROM counts')
    assert (cur.rowcount, cur.statusmessage) == (3, 'SELECT 3')
    cur.fetchall()
    assert cur.rowcount == 3
    cur.execute('SET search_path TO public')
    assert (cur.rowcount, cur.statusmessage) == (-1, 'SET')


def test_lastrowid(cur):
    # libpq's PQoidValue: tables have no OIDs since PostgreSQL 12, so it is always 0.
    assert cur.lastrowid == 0
    assert type(cur.lastrowid) is int
    for sql in ('CREATE TEMP TABLE rowids (id int)', 'INSERT INTO rowids VALUES (1)',
                'UPDATE rowids SET id = 2', 'SELECT 1'):
        cur.execute(sql)
        assert cur.lastrowid == 0
        assert type(cur.lastrowid) is int


def test_query_attribute(cur):
    assert cur.query is None
    cur.execute('SELECT %s, %s', (1, "it's"))
    assert type(cur.query) is bytes
    assert cur.query == b"SELECT 1, 'it''s'"
    cur.execute('SELECT 2')
    assert cur.query == b'SELECT 2'
    cur.execute('SELECT %(x)s', {'x': 'é'})
    assert cur.query == "SELECT 'é'".encode('utf8')


def test_query_attribute_kept_on_error(conn, cur):
    with pytest.raises(psycopg2.errors.DivisionByZero):
        cur.execute('SELECT 1/%s', (0,))
    assert cur.query == b'SELECT 1/0'
    conn.rollback()


def test_mogrify(cur):
    assert cur.mogrify('SELECT %s, %s', (1, 'x')) == b"SELECT 1, 'x'"
    assert type(cur.mogrify('SELECT 1')) is bytes
    assert cur.mogrify('SELECT 1') == b'SELECT 1'
    assert cur.mogrify('SELECT %s%%', [5]) == b'SELECT 5%'
    assert cur.mogrify('SELECT %%s') == b'SELECT %%s'     # no arguments: left untouched
    assert cur.mogrify(b'SELECT %s', ('x',)) == b"SELECT 'x'"
    assert cur.query is None            # mogrify executes nothing


def test_multiple_statements_give_last_result(cur):
    cur.execute("SELECT 1; SELECT 2, 3 UNION ALL SELECT 4, 5")
    assert cur.fetchall() == [(2, 3), (4, 5)]
    assert [c.name for c in cur.description] == ['?column?', '?column?']
    assert cur.rowcount == 2
    cur.execute("CREATE TEMP TABLE multi (a int); INSERT INTO multi VALUES (1), (2)")
    assert (cur.rowcount, cur.statusmessage) == (2, 'INSERT 0 2')
    assert cur.description is None


def test_executemany(cur):
    cur.execute('CREATE TEMP TABLE many (a int, b text)')
    result = cur.executemany('INSERT INTO many VALUES (%s, %s)', [(1, 'a'), (2, 'b'), (3, 'c')])
    assert result is None
    assert cur.rowcount == 3
    cur.executemany('UPDATE many SET b = %(b)s WHERE a > %(a)s', [{'a': 1, 'b': 'x'},
                                                                  {'a': 2, 'b': 'y'}])
    assert cur.rowcount == 3
    cur.executemany('INSERT INTO many VALUES (%s, %s)', iter([(4, 'd')]))
    assert cur.rowcount == 1
    cur.execute('SELECT * FROM many ORDER BY a')
    assert cur.fetchall() == [(1, 'a'), (2, 'x'), (3, 'y'), (4, 'd')]


def test_executemany_no_results(cur):
    cur.execute('CREATE TEMP TABLE many2 (a int)')
    cur.executemany('INSERT INTO many2 VALUES (%s)', [])
    assert cur.rowcount == 0
    # Rows of the statements are dropped; the counts still add up.
    cur.executemany('SELECT %s AS x', [(1,), (2,)])
    assert cur.rowcount == 2
    assert cur.statusmessage == 'SELECT 1'
    assert cur.description is None
    assert cur.query == b'SELECT 2 AS x'
    with pytest.raises(psycopg2.ProgrammingError) as info:
        cur.fetchone()
    assert str(info.value) == 'no results to fetch'
    # A statement without a row count makes the total -1.
    cur.executemany('CREATE TEMP TABLE IF NOT EXISTS many3 (a int)', [(), ()])
    assert cur.rowcount == -1


def test_callproc(cur):
    cur.execute("CREATE FUNCTION pg_temp.add_them(a int, b int) RETURNS int"
                " LANGUAGE sql AS 'SELECT a + b'")
    args = (2, 3)
    assert cur.callproc('pg_temp.add_them', args) is args
    assert cur.query == b'SELECT * FROM pg_temp.add_them(2,3)'
    assert cur.fetchall() == [(5,)]
    assert cur.description[0].name == 'add_them'
    args = [4, 5]
    assert cur.callproc('pg_temp.add_them', args) is args
    assert cur.fetchone() == (9,)
    # Named arguments: psycopg2 returns None for them.
    assert cur.callproc('pg_temp.add_them', {'a': 10, 'b': 1}) is None
    assert cur.query == b'SELECT * FROM pg_temp.add_them("a":=10,"b":=1)'
    assert cur.fetchone() == (11,)
    assert cur.callproc('pg_backend_pid') is None
    assert cur.query == b'SELECT * FROM pg_backend_pid()'
    assert type(cur.fetchone()[0]) is int
    assert cur.callproc('pg_backend_pid', ()) == ()
    assert cur.callproc('pg_backend_pid', {}) == {}
    assert cur.query == b'SELECT * FROM pg_backend_pid()'


def test_callproc_set_returning(cur):
    cur.callproc('generate_series', (1, 3))
    assert cur.fetchall() == [(1,), (2,), (3,)]
    assert cur.query == b'SELECT * FROM generate_series(1,3)'


def test_scroll(cur):
    cur.execute('SELECT generate_series(0, 9)')
    cur.scroll(3)
    assert cur.rownumber == 3
    assert cur.fetchone() == (3,)
    cur.scroll(-2)
    assert cur.fetchone() == (2,)
    cur.scroll(7, mode='absolute')
    assert cur.fetchone() == (7,)
    cur.scroll(0, 'absolute')
    assert cur.fetchall()[0] == (0,)
    cur.scroll(9, 'absolute')
    assert cur.fetchone() == (9,)


def test_scroll_out_of_bounds(cur):
    # psycopg2 raises ProgrammingError here, not the IndexError the DB-API suggests.
    cur.execute('SELECT generate_series(0, 9)')
    cur.scroll(3)
    for value, mode in [(10, 'absolute'), (-1, 'absolute'), (-4, 'relative'),
                        (7, 'relative')]:
        with pytest.raises(psycopg2.ProgrammingError) as info:
            cur.scroll(value, mode)
        assert type(info.value) is psycopg2.ProgrammingError
        assert not isinstance(info.value, IndexError)
        assert str(info.value) == 'scroll destination out of bounds'
        assert cur.rownumber == 3       # unmoved
    assert cur.fetchone() == (3,)


def test_scroll_without_rows(conn):
    cur = conn.cursor()
    with pytest.raises(psycopg2.ProgrammingError) as info:
        cur.scroll(0)                   # no result yet: rowcount is -1
    assert str(info.value) == 'scroll destination out of bounds'
    cur.execute('SELECT 1 WHERE false')
    with pytest.raises(psycopg2.ProgrammingError) as info:
        cur.scroll(0, 'absolute')
    assert str(info.value) == 'scroll destination out of bounds'


def test_scroll_bad_mode(cur):
    cur.execute('SELECT 1')
    with pytest.raises(psycopg2.ProgrammingError) as info:
        cur.scroll(0, 'sideways')
    assert str(info.value) == "scroll mode must be 'relative' or 'absolute'"


def test_large_result(cur):
    # 50k rows: the count and values at the start, across the 1000-row conversion batches and
    # at the end (converting all of them would only time the interpreter).
    cur.execute("SELECT i, 'row ' || i FROM generate_series(1, 50000) AS i")
    assert cur.rowcount == 50000
    assert cur.statusmessage == 'SELECT 50000'
    assert cur.fetchone() == (1, 'row 1')
    cur.scroll(997, 'absolute')
    rows = cur.fetchmany(6)
    assert rows == [(i, 'row %d' % i) for i in range(998, 1004)]
    assert type(rows[0][0]) is int and type(rows[0][1]) is str
    cur.scroll(49998, 'absolute')
    assert cur.fetchall() == [(49999, 'row 49999'), (50000, 'row 50000')]
    assert cur.fetchone() is None
    assert cur.rownumber == 50000
    cur.scroll(-50000)
    assert cur.fetchone() == (1, 'row 1')


def test_large_result_fetchmany(cur):
    # Crossing java-core's 1000-row conversion batches in both directions.
    cur.execute('SELECT generate_series(1, 2500)')
    seen = []
    while True:
        rows = cur.fetchmany(999)
        if not rows:
            break
        seen.extend(r[0] for r in rows)
    assert seen == list(range(1, 2501))
    cur.scroll(0, 'absolute')
    cur.fetchone()
    rows = cur.fetchall()
    assert len(rows) == 2499
    assert rows[0] == (2,) and rows[998] == (1000,) and rows[999] == (1001,)
    assert rows[-1] == (2500,)


# -- errors -----------------------------------------------------------------------------------

def test_fetch_without_result(cur):
    for fetch in (cur.fetchone, cur.fetchall, cur.fetchmany):
        with pytest.raises(psycopg2.ProgrammingError) as info:
            fetch()
        assert str(info.value) == 'no results to fetch'
    cur.execute('CREATE TEMP TABLE nothing (a int)')
    with pytest.raises(psycopg2.ProgrammingError) as info:
        cur.fetchone()
    assert type(info.value) is psycopg2.ProgrammingError
    assert str(info.value) == 'no results to fetch'
    with pytest.raises(psycopg2.ProgrammingError):
        list(cur)


def test_empty_query(conn, cur):
    cur.execute('SELECT 1 AS y')
    for query in ('', b'', None):
        # Refused at once: the cursor keeps its result, nothing is sent.
        with pytest.raises(psycopg2.ProgrammingError) as info:
            cur.execute(query)
        assert type(info.value) is psycopg2.ProgrammingError
        assert str(info.value) == "can't execute an empty query"
        assert cur.query == b'SELECT 1 AS y'
        assert cur.rowcount == 1
    assert cur.fetchone() == (1,)


def test_query_with_nothing_to_run(conn):
    # Sent to the server, which answers EmptyQueryResponse.
    cur = conn.cursor()
    for query in ['   ', '-- nothing here', ';']:
        cur.execute('SELECT 1')
        with pytest.raises(psycopg2.ProgrammingError) as info:
            cur.execute(query)
        assert str(info.value) == "can't execute an empty query", query
        assert cur.query == query.encode()
        assert (cur.rowcount, cur.statusmessage, cur.description) == (-1, '', None), query
        with pytest.raises(psycopg2.ProgrammingError) as info:
            cur.fetchone()
        assert str(info.value) == 'no results to fetch'
        assert conn.status == ext.STATUS_BEGIN


def test_query_wrong_type(cur):
    with pytest.raises(TypeError) as info:
        cur.execute(42)
    assert str(info.value) == 'argument 1 must be a string or unicode object: got int instead'


def test_closed_cursor(conn):
    cur = conn.cursor()
    cur.execute('SELECT 1')
    assert cur.closed is False
    cur.close()
    assert cur.closed is True
    cur.close()                         # idempotent
    for call in (lambda: cur.execute('SELECT 1'), cur.fetchone, cur.fetchall, cur.fetchmany,
                 lambda: cur.executemany('SELECT 1', [()]), lambda: cur.callproc('f'),
                 lambda: cur.scroll(0), lambda: next(cur), cur.nextset,
                 lambda: cur.setinputsizes(1)):
        with pytest.raises(psycopg2.InterfaceError) as info:
            call()
        assert str(info.value) == 'cursor already closed'
    # Formatting and casting need no open cursor.
    assert cur.mogrify('SELECT %s', ('x',)) == b"SELECT 'x'"
    assert cur.cast(23, '1') == 1
    assert conn.closed == 0             # the connection stays open


def test_repr(conn):
    cur = conn.cursor()
    assert repr(cur) == '<cursor object at 0x%x; closed: 0>' % id(cur)
    cur.close()
    assert repr(cur) == '<cursor object at 0x%x; closed: -1>' % id(cur)
    assert repr(conn) == "<connection object at 0x%x; dsn: '%s', closed: 0>" % (
        id(conn), conn.dsn)


def test_with_cursor_closes(conn):
    with conn.cursor() as cur:
        assert cur.closed is False
        cur.execute('SELECT 1')
    assert cur.closed is True
    assert conn.closed == 0
    assert conn.status == ext.STATUS_BEGIN      # leaving the block does not commit


def test_cursor_attributes(conn):
    cur = conn.cursor()
    assert type(cur) is ext.cursor
    assert cur.connection is conn
    assert cur.name is None
    assert cur.arraysize == 1
    assert cur.itersize == 2000
    assert cur.row_factory is None
    assert cur.description is None
    assert cur.rowcount == -1
    assert cur.rownumber == 0
    assert cur.withhold is False
    assert cur.scrollable is None
    assert cur.tzinfo_factory is not None
    cur.setinputsizes([1])
    cur.setoutputsize(10)
    cur.setoutputsize(10, 0)
    with pytest.raises(psycopg2.NotSupportedError) as info:
        cur.nextset()
    assert str(info.value) == 'not supported by PostgreSQL'


# -- description --------------------------------------------------------------------------------

def test_description_of_table_columns(cur, items):
    cur.execute('SELECT id, name, price, code, flag, 1 + 1 AS two FROM items')
    desc = cur.description
    assert type(desc) is tuple
    assert len(desc) == 6
    for column in desc:
        assert type(column) is ext.Column
        assert len(column) == 7
    assert [c.name for c in desc] == ['id', 'name', 'price', 'code', 'flag', 'two']
    assert [c.type_code for c in desc] == [23, 25, 1700, 1043, 1042, 23]
    assert [c.internal_size for c in desc] == [4, -1, 12, 10, 3, 4]
    assert [(c.precision, c.scale) for c in desc] == [
        (None, None), (None, None), (12, 2), (None, None), (None, None), (None, None)]
    assert [c.display_size for c in desc] == [None] * 6
    assert [c.null_ok for c in desc] == [None] * 6
    cur.execute("SELECT 'items'::regclass::oid")
    table_oid = cur.fetchone()[0]
    assert [c.table_oid for c in desc] == [table_oid] * 5 + [None]
    assert [c.table_column for c in desc] == [1, 2, 3, 4, 5, None]


def test_description_sequence(cur, items):
    cur.execute('SELECT price FROM items')
    column = cur.description[0]
    assert tuple(column) == ('price', 1700, None, 12, 12, 2, None)
    assert column[0] == 'price' and column[1] == 1700 and column[-1] is None
    assert column[1:3] == (1700, None)
    name, type_code, display_size, internal_size, precision, scale, null_ok = column
    assert (name, type_code, precision, scale) == ('price', 1700, 12, 2)
    assert column == ('price', 1700, None, 12, 12, 2, None)


def test_description_of_expressions(cur):
    cur.execute("SELECT 1 AS a, 'x'::text, now(), 2.5::numeric, NULL, 'y'::varchar(5)")
    desc = cur.description
    assert [c.name for c in desc] == ['a', 'text', 'now', 'numeric', '?column?', 'varchar']
    assert [c.type_code for c in desc] == [23, 25, 1184, 1700, 25, 1043]
    assert [c.internal_size for c in desc] == [4, -1, 8, -1, -1, 5]
    # numeric without a modifier: psycopg2 shows 65535 (the -1 modifier, masked).
    assert [(c.precision, c.scale) for c in desc] == [
        (None, None), (None, None), (None, None), (65535, 65535), (None, None), (None, None)]
    assert all(c.table_oid is None and c.table_column is None for c in desc)


def test_description_sizes(cur):
    cur.execute("SELECT 'z'::char, 'b'::char(4), 'a'::bpchar, 1.5::float4, '1 day'::interval,"
                " 1.5::numeric(5,0), '10:00'::time(3), 'ab'::bytea, '{1}'::numeric(4,1)[]")
    assert [tuple(c) for c in cur.description] == [
        ('bpchar', 1042, None, 1, None, None, None),
        ('bpchar', 1042, None, 4, None, None, None),
        ('bpchar', 1042, None, -1, None, None, None),
        ('float4', 700, None, 4, None, None, None),
        ('interval', 1186, None, 16, None, None, None),
        ('numeric', 1700, None, 5, 5, 0, None),
        ('time', 1083, None, 8, None, None, None),
        ('bytea', 17, None, -1, None, None, None),
        ('numeric', 1231, None, 262145, None, None, None),      # an array: the raw modifier
    ]


def test_description_reset(cur):
    cur.execute('SELECT 1 AS x')
    assert cur.description[0].name == 'x'
    cur.execute('CREATE TEMP TABLE reset_desc (a int)')
    assert cur.description is None


# -- row factories and casting ------------------------------------------------------------

class Row:
    def __init__(self, cursor):
        self.values = {}
        self.names = [c.name for c in cursor.description]

    def __setitem__(self, index, value):
        self.values[self.names[index]] = value


def test_row_factory(cur):
    cur.row_factory = Row
    cur.execute("SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y'")
    row = cur.fetchone()
    assert type(row) is Row
    assert row.values == {'a': 1, 'b': 'x'}
    assert [r.values for r in cur.fetchall()] == [{'a': 2, 'b': 'y'}]
    cur.row_factory = None
    cur.execute('SELECT 1')
    assert cur.fetchone() == (1,)


def test_row_factory_with_casts(cur):
    cur.row_factory = Row
    cur.execute("SELECT 1.5::numeric AS n, '2020-01-02'::date AS d, NULL::int AS z")
    values = cur.fetchone().values
    assert values == {'n': decimal.Decimal('1.5'), 'd': datetime.date(2020, 1, 2), 'z': None}
    assert type(values['n']) is decimal.Decimal


def test_cast(cur):
    assert cur.cast(23, '42') == 42
    assert type(cur.cast(23, '42')) is int
    assert cur.cast(1700, '1.50') == decimal.Decimal('1.50')
    assert cur.cast(16, 't') is True
    assert cur.cast(1082, '2021-03-04') == datetime.date(2021, 3, 4)
    assert cur.cast(1007, '{1,2}') == [1, 2]
    assert cur.cast(25, 'text') == 'text'
    assert cur.cast(23, None) is None
    assert cur.cast(600, '(1,2)') == '(1,2)'     # no caster: the string


def test_cast_uses_registered_casters(cur):
    caster = ext.new_type((23,), 'DOUBLED', lambda value, c: None if value is None
                          else int(value) * 2)
    ext.register_type(caster, cur)
    assert cur.cast(23, '21') == 42
    cur.execute('SELECT 5')
    assert cur.fetchone() == (10,)
