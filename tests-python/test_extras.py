"""psycopg2.extras: dict and namedtuple cursors, logging connections, execute_batch/values,
wait_select, the replication names and the module's names. Its types (uuid, inet, ipaddress,
hstore, composite, json, ranges) are tested by family in types/.
Expected values come from psycopg2 2.9.10 run against the same server."""
import copy
import io
import logging
import os
import pickle
from collections import OrderedDict
from datetime import date
from functools import lru_cache

import pytest

import psycopg2
import psycopg2.extensions as ext
import psycopg2.extras as extras
from psycopg2 import sql
from psycopg2.extras import DictCursor, NamedTupleCursor, RealDictCursor, RealDictRow
from _helpers import one


# -- DictCursor -------------------------------------------------------------------------------

def test_dict_row_access(conn):
    cur = conn.cursor(cursor_factory=DictCursor)
    cur.execute("select 1 as a, 'x' as b, 2 as a2")
    row = cur.fetchone()
    assert type(row) is extras.DictRow and isinstance(row, list)
    assert row == [1, 'x', 2]
    assert (row['a'], row[1], row['b'], row[0:2]) == (1, 'x', 'x', [1, 'x'])
    assert list(row.keys()) == ['a', 'b', 'a2']
    assert list(row.values()) == [1, 'x', 2]
    assert list(row.items()) == [('a', 1), ('b', 'x'), ('a2', 2)]
    assert not isinstance(row.keys(), list) and not isinstance(row.items(), list)
    assert (row.get('zz', 5), row.get('a'), row.get(7)) == (5, 1, None)
    assert ('a' in row, 1 in row) == (True, False)      # a mapping's keys
    assert row.copy() == OrderedDict([('a', 1), ('b', 'x'), ('a2', 2)])
    with pytest.raises(KeyError):
        row['nope']
    row['b'] = 'qux'
    assert row[1] == 'qux' and row['b'] == 'qux'


@pytest.mark.parametrize('fetch', ['fetchone', 'fetchmany', 'fetchmany_noarg', 'fetchall',
                                   'iter'])
def test_dict_cursor_fetch_methods(conn, fetch):
    cur = conn.cursor(cursor_factory=DictCursor)
    cur.execute("select 'bar'::text as foo, 2 as n")
    if fetch == 'fetchone':
        row = cur.fetchone()
    elif fetch == 'fetchmany':
        row = cur.fetchmany(100)[0]
    elif fetch == 'fetchmany_noarg':
        row = cur.fetchmany()[0]
    elif fetch == 'fetchall':
        row = cur.fetchall()[0]
    else:
        row = next(iter(cur))
    assert (row['foo'], row[0], row['n']) == ('bar', 'bar', 2)


def test_dict_cursor_iteration_and_index(conn):
    cur = conn.cursor(cursor_factory=DictCursor)
    cur.itersize = 20
    cur.execute("select * from generate_series(1, 10) as n")
    seen = [(row['n'], cur.rownumber) for row in cur]
    assert seen == [(i, i) for i in range(1, 11)]
    cur.execute("select generate_series(1, 3) as n")
    assert [r['n'] for r in cur.fetchmany(2)] == [1, 2]
    old = cur.fetchone()
    # Each execute() gets a new index: old rows keep theirs.
    cur.execute("select 1 as a, 2 as a")
    row = cur.fetchone()
    assert row['a'] == 2 and list(cur.index.items()) == [('a', 1)]
    assert old['n'] == 3 and list(old.keys()) == ['n']
    assert cur.callproc('abs', (-3,)) == (-3,)
    assert cur.fetchone()['abs'] == 3


def test_dict_row_pickle_and_copy(conn):
    cur = conn.cursor(cursor_factory=DictCursor)
    cur.execute("select 5 as foo, 4 as bar, 33 as baz, 'hi' as qux")
    row = cur.fetchone()
    again = pickle.loads(pickle.dumps(row))
    assert type(again) is extras.DictRow
    assert again == row and again['qux'] == 'hi' and again._index == row._index
    assert list(again.items()) == [('foo', 5), ('bar', 4), ('baz', 33), ('qux', 'hi')]
    assert len(copy.copy(row)) == 4 and copy.deepcopy(row)['bar'] == 4 and len(row) == 4


def test_dict_cursor_base_needs_a_row_factory(conn):
    with pytest.raises(NotImplementedError) as exc:
        extras.DictCursorBase(conn)
    assert str(exc.value) == "DictCursorBase can't be instantiated without a row factory."


def test_dict_connections_and_factories(connect):
    for factory, cursor_class in ((extras.DictConnection, DictCursor),
                                  (extras.RealDictConnection, RealDictCursor),
                                  (extras.NamedTupleConnection, NamedTupleCursor)):
        conn = connect(connection_factory=factory)
        cur = conn.cursor()
        assert type(cur) is cursor_class and cur.name is None
        assert type(conn.cursor(cursor_factory=ext.cursor)) is ext.cursor
    conn = connect(cursor_factory=DictCursor)
    assert type(conn.cursor()) is DictCursor
    assert type(conn.cursor(cursor_factory=None)) is DictCursor


def test_named_cursor_argument_is_passed_through(connect):
    conn = connect(connection_factory=extras.DictConnection)
    for factory in (DictCursor, RealDictCursor, NamedTupleCursor, None):
        try:
            cur = conn.cursor('foo', cursor_factory=factory)
        except psycopg2.NotSupportedError:
            continue                 # named cursors are not there yet
        assert cur.name == 'foo' and isinstance(cur, factory or ext.cursor)


# -- RealDictCursor ---------------------------------------------------------------------------

def test_real_dict_cursor(conn):
    cur = conn.cursor(cursor_factory=RealDictCursor)
    cur.execute("select 1 as a, 'x' as b, null as c")
    row = cur.fetchone()
    assert type(row) is RealDictRow and isinstance(row, dict)
    assert row == {'a': 1, 'b': 'x', 'c': None} and list(row) == ['a', 'b', 'c']
    assert vars(row) == {}                  # nothing left over from building the row
    row['d'] = 4
    assert row.pop('a') == 1 and row.pop('a', None) is None
    assert list(row.items()) == [('b', 'x'), ('c', None), ('d', 4)]
    cur.execute("select generate_series(1, 3) as n, 'q' as m")
    assert [(dict(r), cur.rownumber) for r in cur] == [
        ({'n': i, 'm': 'q'}, i) for i in (1, 2, 3)]
    cur.execute("select generate_series(1, 3) as n")
    assert cur.fetchmany(2) == [{'n': 1}, {'n': 2}] and cur.fetchall() == [{'n': 3}]
    cur.execute("select 1 as a, 2 as b")
    assert cur.fetchmany() == [{'a': 1, 'b': 2}]
    assert cur.callproc('abs', (-3,)) == (-3,) and cur.fetchall() == [{'abs': 3}]
    assert RealDictRow([('a', 1)], b=2) == OrderedDict([('a', 1), ('b', 2)])


def test_real_dict_row_pickle_and_copy(conn):
    cur = conn.cursor(cursor_factory=RealDictCursor)
    cur.execute("select 5 as foo, 4 as bar, 'hi' as baz")
    row = cur.fetchone()
    for again in (pickle.loads(pickle.dumps(row)), copy.copy(row), copy.deepcopy(row)):
        assert type(again) is RealDictRow
        assert list(again.items()) == [('foo', 5), ('bar', 4), ('baz', 'hi')]


def test_rows_built_in_one_go(conn):
    """_from_values(): the bulk constructor a cursor may use instead of factory + setitem."""
    cur = conn.cursor(cursor_factory=DictCursor)
    cur.execute("select 1 as a, 'x' as b, 3 as a")
    fetched = cur.fetchone()
    built = extras.DictRow._from_values(cur, (1, 'x', 3))
    assert type(built) is extras.DictRow and built == fetched == [1, 'x', 3]
    assert built._index is fetched._index and built['a'] == 3 and built['b'] == 'x'

    class MyRow(extras.DictRow):
        def __setitem__(self, x, v):
            super().__setitem__(x, v * 2 if isinstance(x, int) else v)

    mine = MyRow._from_values(cur, (1, 'x', 3))
    assert type(mine) is MyRow and mine == [2, 'xx', 6]

    cur = conn.cursor(cursor_factory=RealDictCursor)
    cur.execute("select 1 as a, 'x' as b, 3 as a")
    fetched = cur.fetchone()
    built = RealDictRow._from_values(cur, (1, 'x', 3))
    assert type(built) is RealDictRow and built == fetched == {'a': 3, 'b': 'x'}
    assert vars(built) == {} and list(built) == ['a', 'b']


# -- NamedTupleCursor -------------------------------------------------------------------------

@pytest.fixture
def ntconn(connect):
    conn = connect(connection_factory=extras.NamedTupleConnection)
    cur = conn.cursor()
    cur.execute("create temp table nttest (i int, s text)")
    cur.execute("insert into nttest values (1, 'foo'), (2, 'bar'), (3, 'baz')")
    conn.commit()
    return conn


def test_namedtuple_fetch(ntconn):
    cur = ntconn.cursor()
    cur.execute("select * from nttest order by 1")
    row = cur.fetchone()
    assert (row[0], row.i, row[1], row.s) == (1, 1, 'foo', 'foo')
    assert type(row).__name__ == 'Record' and cur.Record._fields == ('i', 's')
    assert (cur.rownumber, cur.rowcount) == (1, 3)
    rows = cur.fetchmany(1)
    assert [(r.i, r.s) for r in rows] == [(2, 'bar')]
    assert [(r.i, r.s) for r in cur.fetchall()] == [(3, 'baz')]
    cur.arraysize = 2
    cur.execute("select * from nttest order by 1")
    assert [r.s for r in cur.fetchmany()] == ['foo', 'bar']
    cur.execute("select * from nttest order by 1")
    it = iter(cur)
    assert cur.rownumber == 0
    assert [(r.i, cur.rownumber) for r in it] == [(1, 1), (2, 2), (3, 3)]
    with pytest.raises(StopIteration):
        next(it)
    cur.executemany("delete from nttest where i = %s", [(1,), (2,)])
    cur.execute("select * from nttest")
    assert cur.fetchall() == [(3, 'baz')]


def test_namedtuple_record_changes_with_the_query(ntconn):
    cur = ntconn.cursor()
    cur.execute("select 1 as foo")
    assert cur.fetchone().foo == 1
    cur.execute("select 2 as bar")
    row = cur.fetchone()
    assert row.bar == 2 and not hasattr(row, 'foo')
    cur.execute("update nttest set s = s")
    with pytest.raises(psycopg2.ProgrammingError):
        cur.fetchone()
    with pytest.raises(psycopg2.ProgrammingError):
        cur.fetchall()


def test_namedtuple_column_names(ntconn):
    cur = ntconn.cursor()
    cur.execute('select 1 as "foo.bar_baz", 2 as "?column?", 3 as "3", 4 as _x, '
                '5 as "\xe5h\xe9"')
    row = cur.fetchone()
    assert cur.Record._fields == ('foo_bar_baz', 'f_column_', 'f3', 'f_x', '\xe5h\xe9')
    assert (row.foo_bar_baz, row.f_column_, row.f3, row.f_x) == (1, 2, 3, 4)
    assert getattr(row, '\xe5h\xe9') == 5
    cur.execute("select 1")
    assert cur.fetchone()._fields == ('f_column_',)
    # As psycopg2: names namedtuple refuses are errors.
    cur.execute("select 1 as a, 2 as a")
    with pytest.raises(ValueError, match="Encountered duplicate field name: 'a'"):
        cur.fetchone()
    cur.execute('select 1 as "class"')
    with pytest.raises(ValueError, match="cannot be a keyword: 'class'"):
        cur.fetchone()


def test_namedtuple_minimal_generation(ntconn, monkeypatch):
    calls = []
    make = NamedTupleCursor._make_nt

    def counting(self):
        calls.append(1)
        return make(self)

    monkeypatch.setattr(NamedTupleCursor, '_make_nt', counting)
    cur = ntconn.cursor()
    cur.execute("select * from nttest order by 1")
    cur.fetchone(), cur.fetchone(), cur.fetchone()
    assert len(calls) == 1
    cur.execute("select * from nttest order by 1")
    cur.fetchone(), cur.fetchall()
    assert len(calls) == 2
    cur.execute("select * from nttest order by 1")
    list(cur)
    assert len(calls) == 3


def test_namedtuple_cache(ntconn):
    NamedTupleCursor._cached_make_nt.cache_clear()
    cur = ntconn.cursor()
    cur.execute("select 10 as a, 20 as b")
    r1 = cur.fetchone()
    cur.execute("select 10 as a, 20 as c")
    r2 = cur.fetchone()
    cur = ntconn.cursor()
    cur.execute("select 10 as a, 30 as b")
    r3 = cur.fetchone()
    assert type(r1) is type(r3) and type(r1) is not type(r2)
    info = NamedTupleCursor._cached_make_nt.cache_info()
    assert (info.hits, info.misses, info.currsize, info.maxsize) == (1, 2, 2, 512)


def test_namedtuple_cache_can_be_replaced(ntconn, monkeypatch):
    monkeypatch.setattr(NamedTupleCursor, '_cached_make_nt',
                        lru_cache(8)(NamedTupleCursor._cached_make_nt.__wrapped__))
    cur = ntconn.cursor()
    records = []
    for i in range(10):
        cur.execute("select 1 as f%d" % i)
        records.append(type(cur.fetchone()))
    cur.execute("select 1 as f9")
    assert type(cur.fetchone()) in records
    cur.execute("select 1 as f0")
    assert type(cur.fetchone()) not in records


# -- logging ----------------------------------------------------------------------------------

def test_logging_connection_to_file(connect):
    conn = connect(connection_factory=extras.LoggingConnection)
    with pytest.raises(psycopg2.ProgrammingError,
                       match=r"LoggingConnection object has not been initialize\(\)d"):
        conn.cursor()
    out = io.StringIO()
    conn.initialize(out)
    cur = conn.cursor()
    assert type(cur) is extras.LoggingCursor
    cur.execute("select %s", (1,))
    cur.execute(b"select 2")
    cur.callproc('abs', (-1,))
    with pytest.raises(psycopg2.errors.UndefinedColumn):
        cur.execute("select nosuch")
    conn.rollback()
    assert out.getvalue() == os.linesep.join(
        ['select 1', 'select 2', 'SELECT * FROM abs( -1)', 'select nosuch', ''])


def test_logging_connection_to_logger(connect):
    logger = logging.getLogger('test_extras.logging')
    logger.setLevel(logging.DEBUG)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger.addHandler(handler)
    try:
        conn = connect(connection_factory=extras.LoggingConnection)
        conn.initialize(logger)
        conn.cursor().execute("select 3")
        # The logger gets the query as bytes, as psycopg2 passes it.
        assert out.getvalue() == "b'select 3'\n"
    finally:
        logger.removeHandler(handler)


def test_logging_filter_override(connect):
    class Quiet(extras.LoggingConnection):
        def filter(self, msg, curs):
            return None if b'secret' in msg else msg.decode() + ' -- seen'

    conn = connect(connection_factory=Quiet)
    out = io.StringIO()
    conn.initialize(out)
    cur = conn.cursor()
    cur.execute("select 'secret'")
    cur.execute("select 'public'")
    assert out.getvalue() == "select 'public' -- seen" + os.linesep


def test_min_time_logging(connect):
    conn = connect(connection_factory=extras.MinTimeLoggingConnection)
    out = io.StringIO()
    conn.initialize(out, mintime=0)
    cur = conn.cursor()
    assert type(cur) is extras.MinTimeLoggingCursor
    cur.execute("select pg_sleep(0.01)")
    text = out.getvalue()
    first, second = text.split(os.linesep)[:2]
    assert first == 'select pg_sleep(0.01)'
    assert second.startswith('  (execution time: ') and second.endswith(' ms)')
    assert float(second[len('  (execution time: '):-4]) >= 10
    conn.initialize(out, mintime=100000)
    cur.execute("select 4")
    assert out.getvalue() == text


# -- execute_batch, execute_values ------------------------------------------------------------

@pytest.fixture
def fastcur(conn):
    cur = conn.cursor()
    cur.execute("create temp table testfast (id serial primary key, date date, val int, "
                "data text)")
    return cur


def test_paginate_and_split():
    pag = extras._paginate
    assert list(pag([], 100)) == []
    assert list(pag([1], 100)) == [[1]]
    assert list(pag(range(100), 100)) == [list(range(100))]
    assert list(pag(range(201), 100)) == [list(range(100)), list(range(100, 200)), [200]]
    assert list(pag(iter(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert extras._split_sql(b"a %s b %% c") == ([b'a '], [b' b ', b'%', b' c'])


def test_execute_batch(fastcur):
    cur = fastcur
    extras.execute_batch(cur, "insert into testfast (id, val) values (%s, %s)", [])
    extras.execute_batch(cur, "insert into testfast (id, val) values (%s, %s)",
                         ((i, i * 10) for i in range(25)), page_size=10)
    # The last query holds the last 5 statements.
    assert cur.query == b';'.join(b'insert into testfast (id, val) values (%d, %d)'
                                  % (i, i * 10) for i in range(20, 25))
    cur.execute("select id, val from testfast order by id")
    assert cur.fetchall() == [(i, i * 10) for i in range(25)]
    extras.execute_batch(
        cur, sql.SQL("insert into {} (id, date, data) values (%(id)s, %(d)s, %(s)s)").format(
            sql.Identifier('testfast')),
        [{'id': 100, 'd': date(2017, 1, 2), 's': '\u2603'}])
    assert cur.query == ('insert into "testfast" (id, date, data) values '
                         "(100, '2017-01-02'::date, '\u2603')").encode('utf8')
    assert one(cur, "select date, data from testfast where id = 100") == (
        date(2017, 1, 2), '\u2603')
    extras.execute_batch(cur, "insert into testfast (id, data) values (%%s, %%s) -- %s"
                         % '\u2603', [(101, 'x')])
    assert one(cur, "select data from testfast where id = 101") == 'x'


def test_execute_values(fastcur):
    cur = fastcur
    assert extras.execute_values(cur, "insert into testfast (id, val) values %s", []) is None
    assert extras.execute_values(cur, "insert into testfast (id) values %s", [],
                                 fetch=True) == []
    result = extras.execute_values(
        cur, "insert into testfast (id, val) values %s returning id",
        ((i, i * 10) for i in range(25)), page_size=10, fetch=True)
    assert result == [(i,) for i in range(25)]
    assert cur.query == (b'insert into testfast (id, val) values '
                         b'(20,200),(21,210),(22,220),(23,230),(24,240) returning id')
    assert cur.rowcount == 5
    extras.execute_values(
        cur, "insert into testfast (id, date, val) values %s",
        [dict(id=100 + i, date=date(2017, 1, i + 1), val=i, foo='bar') for i in range(2)],
        template='(%(id)s, %(date)s, %(val)s)')
    assert cur.query == (b"insert into testfast (id, date, val) values "
                         b"(100, '2017-01-01'::date, 0),(101, '2017-01-02'::date, 1)")
    extras.execute_values(cur, b"insert into testfast (id, val) values %s",
                          [(200,), (201,)], template=b'(%s, 42)')
    assert cur.query == b'insert into testfast (id, val) values (200, 42),(201, 42)'
    extras.execute_values(
        cur, "update testfast set val = data.v from (values %s) as data (id, v) "
        "where testfast.id = data.id", [(200, 1), (201, 2)])
    assert cur.rowcount == 2
    assert one(cur, "select array_agg(val order by id) from testfast where id >= 200") == [1, 2]
    extras.execute_values(cur, "insert into testfast (id, data) values %s -- a%%b",
                          [(300, '\u2603')])
    assert cur.query == "insert into testfast (id, data) values (300,'\u2603') -- a%b".encode()
    rows = extras.execute_values(
        cur, sql.SQL("select * from (values {}) x").format(sql.SQL('%s')),
        [(1, 'a'), (2, 'b')], fetch=True)
    assert rows == [(1, 'a'), (2, 'b')]


@pytest.mark.parametrize('query, message', [
    ("insert", "the query doesn't contain any '%s' placeholder"),
    ("insert %s and %s", "the query contains more than one '%s' placeholder"),
    ("insert %f", "unsupported format character: 'f'"),
    ("insert %f %s", "unsupported format character: 'f'"),
])
def test_execute_values_bad_queries(cur, query, message):
    with pytest.raises(ValueError) as exc:
        extras.execute_values(cur, query, [])
    assert str(exc.value) == message


# -- wait_select, replication, module ---------------------------------------------------------

class _FakeAsync:
    """poll() answers from a list; fileno() is a pipe's end."""
    OperationalError = psycopg2.OperationalError

    def __init__(self, states, fd):
        self.states = list(states)
        self.fd = fd

    def poll(self):
        return self.states.pop(0)

    def fileno(self):
        return self.fd


def test_wait_select():
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, b'x')
        fake = _FakeAsync([ext.POLL_WRITE, ext.POLL_OK], write_fd)
        extras.wait_select(fake)
        assert fake.states == []
        fake = _FakeAsync([ext.POLL_READ, ext.POLL_OK], read_fd)
        extras.wait_select(fake)
        with pytest.raises(psycopg2.OperationalError, match="bad state from poll: 42"):
            extras.wait_select(_FakeAsync([42], read_fd))
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_replication_names(dsn):
    assert (extras.REPLICATION_PHYSICAL, extras.REPLICATION_LOGICAL) == (12345678, 87654321)
    assert issubclass(extras.StopReplication, Exception)
    assert not issubclass(extras.StopReplication, psycopg2.Error)
    assert issubclass(extras.ReplicationCursor, ext.cursor)
    for factory in (extras.LogicalReplicationConnection, extras.PhysicalReplicationConnection):
        assert issubclass(factory, psycopg2._psycopg.ReplicationConnection)
        assert issubclass(factory, ext.connection)


def test_module_names():
    assert extras.quote_ident is ext.quote_ident
    assert extras.json is __import__('json')
    for name in ('Json', 'register_json', 'register_default_json', 'register_default_jsonb',
                 'Range', 'NumericRange', 'DateRange', 'DateTimeRange', 'DateTimeTZRange',
                 'register_range', 'RangeAdapter', 'RangeCaster', 'register_ipaddress',
                 'ReplicationMessage'):
        assert hasattr(extras, name), name
