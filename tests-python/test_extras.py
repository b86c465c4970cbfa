"""psycopg2.extras: dict and namedtuple cursors, logging connections, execute_batch/values,
uuid/inet/ipaddress, hstore, composite types, wait_select and the replication names.
Expected values come from psycopg2 2.9.10 run against the same server."""
import copy
import datetime
import io
import ipaddress
import logging
import os
import pickle
import uuid
import warnings
from collections import OrderedDict
from datetime import date
from functools import lru_cache

import pytest

import psycopg2
import psycopg2.extensions as ext
import psycopg2.extras as extras
from psycopg2 import sql
from psycopg2.extras import (
    CompositeCaster, DictCursor, HstoreAdapter, NamedTupleCursor, RealDictCursor, RealDictRow)


def one(cur, query, args=None):
    cur.execute(query, args)
    row = cur.fetchone()
    return row[0] if len(row) == 1 else row


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


# -- uuid, inet, ipaddress --------------------------------------------------------------------

def test_uuid(cur, restore_types):
    caster = extras.register_uuid()
    assert (caster.name, caster.values) == ('UUID', (2950,)) and ext.UUID is caster
    assert (ext.UUIDARRAY.name, ext.UUIDARRAY.values) == ('UUID[]', (2951,))
    u = uuid.UUID('9c6d5a77-7256-457e-9461-347b4358e350')
    assert cur.mogrify("%s", (u,)) == b"'9c6d5a77-7256-457e-9461-347b4358e350'::uuid"
    assert str(extras.UUID_adapter(u)) == "'9c6d5a77-7256-457e-9461-347b4358e350'::uuid"
    assert one(cur, "select %s, %s, null::uuid, '{}'::uuid[], null::uuid[]",
               (u, [u, None])) == (u, [u, None], None, [], None)


def test_uuid_on_a_cursor_with_oids(conn, restore_types):
    cur = conn.cursor()
    extras.register_uuid((2950, 2951), cur)
    u = uuid.UUID('9c6d5a77-7256-457e-9461-347b4358e352')
    assert one(cur, "select %s::uuid", (str(u),)) == u
    assert one(conn.cursor(), "select %s::uuid", (str(u),)) == str(u)


def test_inet(cur, restore_types):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        caster = extras.register_inet()
    assert [(w.category, str(w.message)) for w in caught] == [
        (DeprecationWarning, "the inet adapter is deprecated, it's not very useful")]
    assert (caster.name, ext.INETARRAY.name) == ('INET', 'INETARRAY')
    value, array, null = one(cur, "select %s, %s, null::inet",
                             (extras.Inet('1.2.3.4/24'), [extras.Inet('::1')]))
    assert (type(value), value.addr, array[0].addr, null) == (extras.Inet, '1.2.3.4/24',
                                                              '::1', None)
    assert repr(extras.Inet('x')) == "Inet('x')" and str(extras.Inet('x')) == 'x'
    adapter = ext.adapt(extras.Inet("192.168.1.0/24"))
    adapter.prepare(cur.connection)
    assert adapter.getquoted() == b"'192.168.1.0/24'::inet"


def test_ipaddress(conn, restore_types):
    cur = conn.cursor()
    extras.register_ipaddress(cur)
    assert one(cur, "select '127.0.0.1/24'::inet, '::ffff:102:300/128'::inet, "
               "'10.0.0.0/8'::cidr, '{NULL,1.2.3.4}'::inet[], '{10.0.0.0/8}'::cidr[], "
               "null::inet, null::cidr") == (
        ipaddress.IPv4Interface('127.0.0.1/24'), ipaddress.IPv6Interface('::ffff:102:300/128'),
        ipaddress.IPv4Network('10.0.0.0/8'), [None, ipaddress.IPv4Interface('1.2.3.4/32')],
        [ipaddress.IPv4Network('10.0.0.0/8')], None, None)
    assert cur.mogrify("%s %s", (ipaddress.ip_interface('1.2.3.4/24'),
                                 ipaddress.ip_network('10.0.0.0/8'))) == \
        b"'1.2.3.4/24' '10.0.0.0/8'"
    assert one(cur, "select %s::inet", (ipaddress.ip_interface('::1/64'),)) == \
        ipaddress.IPv6Interface('::1/64')
    # Only that cursor casts.
    assert one(conn.cursor(), "select '127.0.0.1'::inet") == '127.0.0.1'


# -- hstore -----------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def hstore(dsn):
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    try:
        conn.cursor().execute("create extension if not exists hstore")
    except psycopg2.Error as e:
        pytest.skip("hstore not available: %s" % e)
    finally:
        conn.close()


@pytest.mark.parametrize('text, expected', [
    (None, None),
    ('', {}),
    ('"a"=>"1", "b"=>"2"', {'a': '1', 'b': '2'}),
    ('"a"  => "1" , "b"  =>  "2"', {'a': '1', 'b': '2'}),
    ('"a"=>NULL, "b"=>"2"', {'a': None, 'b': '2'}),
    (r'"a"=>"\"", "\""=>"2"', {'a': '"', '"': '2'}),
    ('"a"=>"\'", "\'"=>"2"', {'a': "'", "'": '2'}),
    (r'"a\\"=>"1"', {'a\\': '1'}),
    (r'"a\""=>"1"', {'a"': '1'}),
    (r'"a\\\""=>"1"', {r'a\"': '1'}),
    (r'"a\\\\\""=>"1"', {r'a\\"': '1'}),
    ('"a"=>"1",', {'a': '1'}),
])
def test_hstore_parse(text, expected):
    assert HstoreAdapter.parse(text, None) == expected


@pytest.mark.parametrize('text, message', [
    ('a', "error parsing hstore: unparsed data after char 0"),
    ('"a"', "error parsing hstore: unparsed data after char 0"),
    (r'"a\\""=>"1"', "error parsing hstore pair at char 0"),
    (r'"a\\\\""=>"1"', "error parsing hstore pair at char 0"),
    ('"a=>"1"', "error parsing hstore: unparsed data after char 0"),
    ('"a"=>"1", "b"=>NUL', "error parsing hstore: unparsed data after char 10"),
    (' "a"=>"1"', "error parsing hstore pair at char 0"),
])
def test_hstore_parse_errors(text, message):
    with pytest.raises(psycopg2.InterfaceError) as exc:
        HstoreAdapter.parse(text, None)
    assert str(exc.value) == message


def test_hstore_adapt(conn):
    adapter = HstoreAdapter({'a': '1', 'b': "'", 'c': None, 'd': '\xe0'})
    adapter.prepare(conn)
    assert adapter.getquoted() == \
        "hstore(ARRAY['a','b','c','d'], ARRAY['1','''',NULL,'\xe0'])".encode('utf8')
    assert adapter._getquoted_8() == \
        "(('a' => '1')||('b' => '''')||('c' => NULL)||('d' => '\xe0'))".encode('utf8')
    empty = HstoreAdapter({})
    empty.prepare(conn)
    assert empty.getquoted() == b"''::hstore"


def test_hstore_register_on_connection_and_cursor(connect, hstore, restore_types):
    conn = connect()
    oids = HstoreAdapter.get_oids(conn)
    assert len(oids[0]) == 1 and len(oids[1]) == 1 and conn.status == ext.STATUS_READY
    cur = conn.cursor()
    extras.register_hstore(cur)
    query = ("select null::hstore, ''::hstore, 'a=>b, c=>NULL, \"d e\"=>\"f\\\\\\\"g\"'::hstore,"
             " array['a=>1'::hstore, 'b=>2'::hstore], null::hstore[]")
    assert one(cur, query) == (None, {}, {'a': 'b', 'c': None, 'd e': 'f\\"g'},
                               [{'a': '1'}, {'b': '2'}], None)
    assert one(conn.cursor(), "select 'a=>b'::hstore") == '"a"=>"b"'
    extras.register_hstore(conn, unicode=True)
    assert one(conn.cursor(), "select 'a=>b'::hstore") == {'a': 'b'}
    assert one(connect().cursor(), "select 'a=>b'::hstore") == '"a"=>"b"'
    # Dicts adapt everywhere from now on.
    assert one(cur, "select %s", ({'x': 'y', 'n': None, 'q"\\\'': 'w'},)) == {
        'x': 'y', 'n': None, 'q"\\\'': 'w'}
    with pytest.raises(psycopg2.ProgrammingError, match="no connection or cursor provided"):
        extras.register_hstore(None)


def test_hstore_roundtrip(connect, hstore, restore_types):
    conn = connect()
    extras.register_hstore(conn)
    cur = conn.cursor()
    ab = ''.join(map(chr, range(32, 128)))
    values = [{}, {'a': 'b', 'c': None}, dict(zip(ab, ab)), {ab: ab}]
    for value in values:
        assert one(cur, "select %s", (value,)) == value
    assert one(cur, "select %s", (values,)) == values
    conn.set_client_encoding('latin1')
    ab = bytes(list(range(32, 127)) + list(range(160, 255))).decode('latin1')
    assert one(cur, "select %s", ([{ab: ab}, dict(zip(ab, ab))],)) == [{ab: ab},
                                                                       dict(zip(ab, ab))]


def test_hstore_register_globally_with_oids(connect, hstore, restore_types):
    conn = connect()
    cur = conn.cursor()
    oid, array_oid = one(cur, "select 'hstore'::regtype::oid, 'hstore[]'::regtype::oid")
    extras.register_hstore(None, globally=True, oid=oid, array_oid=array_oid)
    assert one(connect().cursor(), "select 'a=>b'::hstore, '{a=>b}'::hstore[]") == (
        {'a': 'b'}, [{'a': 'b'}])


def test_hstore_with_dict_connections(connect, hstore, restore_types):
    conn = connect(connection_factory=extras.RealDictConnection)
    extras.register_hstore(conn)
    cur = conn.cursor()
    cur.execute("select ''::hstore as x")
    assert cur.fetchone() == {'x': {}}


# -- composite types --------------------------------------------------------------------------

def _create_type(cur, name, fields):
    cur.execute("create type %s as (%s)" % (name, ', '.join('%s %s' % f for f in fields)))
    return one(cur, "select %s::regtype::oid", (name,))


@pytest.mark.parametrize('text, tokens', [
    ("(,)", [None, None]),
    ('(,"")', [None, '']),
    ('(hello,,10.234,2010-11-11)', ['hello', None, '10.234', '2010-11-11']),
    ('(10,"""")', ['10', '"']),
    ('(10,",")', ['10', ',']),
    (r'(10,"\\")', ['10', '\\']),
    (r'''(10,"\\',""")''', ['10', '''\\',"''']),
    ('(10,"(20,""(30,40)"")")', ['10', '(20,"(30,40)")']),
    ('(10,"(20,""(30,""""(40,50)"""")"")")', ['10', '(20,"(30,""(40,50)"")")']),
    ('(,"(,""(a\nb\tc)"")")', [None, '(,"(a\nb\tc)")']),
    ('()', [None]),
])
def test_composite_tokenize(text, tokens):
    assert CompositeCaster.tokenize(text) == tokens


def test_composite_cast(conn):
    cur = conn.cursor()
    oid = _create_type(cur, 'type_isd', [('anint', 'integer'), ('astring', 'text'),
                                         ('adate', 'date')])
    array_oid = one(cur, "select 'type_isd[]'::regtype::oid")
    t = extras.register_composite('type_isd', conn)
    assert (t.name, t.schema, t.oid, t.array_oid) == ('type_isd', 'public', oid, array_oid)
    assert (t.attnames, t.atttypes) == (['anint', 'astring', 'adate'], [23, 25, 1082])
    assert issubclass(t.type, tuple) and t.type.__name__ == 'type_isd'
    assert (t.typecaster.name, t.array_typecaster.name) == ('type_isd', 'type_isdARRAY')
    assert conn.status == ext.STATUS_IN_TRANSACTION
    v = one(cur, "select %s::type_isd", ((10, 'hello', date(2011, 1, 2)),))
    assert type(v) is t.type and v == (10, 'hello', date(2011, 1, 2))
    assert (v.anint, v.astring, v.adate) == (10, 'hello', date(2011, 1, 2))
    assert one(cur, "select null::type_isd, (null, null, null)::type_isd, "
               "array[(1,'x',null)::type_isd, (null,'','2020-01-01')::type_isd], "
               "%s::type_isd", ((5, 'q"\\,()', None),)) == (
        None, (None, None, None), [(1, 'x', None), (None, '', date(2020, 1, 1))],
        (5, 'q"\\,()', None))
    _create_type(cur, 'type_ss', [('s1', 'text'), ('s2', 'text')])
    extras.register_composite('type_ss', cur)
    for value in [('a', 'b'), ('a', ''), ('', 'b'), ('a', None), (None, 'b'), ('', ''),
                  (None, None)]:
        assert one(cur, "select %s::type_ss", (value,)) == value


def test_composite_nested_and_scopes(conn):
    cur = conn.cursor()
    _create_type(cur, 'type_is', [('anint', 'integer'), ('astring', 'text')])
    _create_type(cur, 'type_r_dt', [('adate', 'date'), ('apair', 'type_is')])
    _create_type(cur, 'type_r_ft', [('afloat', 'float8'), ('anotherpair', 'type_r_dt'),
                                    ('arr', 'int[]')])
    other = conn.cursor()
    for name in ('type_is', 'type_r_dt', 'type_r_ft'):
        extras.register_composite(name, other)
    r = (0.25, (date(2011, 1, 2), (42, "hello")), [1, 2])
    v = one(other, "select %s::type_r_ft", (r,))
    assert v == r and v.anotherpair.apair.astring == 'hello'
    # Registered on the other cursor only.
    assert one(cur, "select (1, 'a')::type_is") == '(1,a)'


def test_composite_factory_and_array(conn):
    cur = conn.cursor()
    oid = _create_type(cur, 'type_isd', [('anint', 'integer'), ('astring', 'text'),
                                         ('adate', 'date')])

    class DictComposite(CompositeCaster):
        def make(self, values):
            return dict(zip(self.attnames, values))

    t = extras.register_composite('type_isd', cur, factory=DictComposite)
    assert type(t) is DictComposite and (t.name, t.oid) == ('type_isd', oid)
    assert one(cur, "select %s::type_isd[]", ([(10, 'hello', date(2011, 1, 2)),
                                                (20, 'world', None)],)) == [
        {'anint': 10, 'astring': 'hello', 'adate': date(2011, 1, 2)},
        {'anint': 20, 'astring': 'world', 'adate': None}]


def test_composite_wrong_schema(conn):
    cur = conn.cursor()
    oid = _create_type(cur, 'type_ii', [('a', 'integer'), ('b', 'integer')])
    c = CompositeCaster('type_ii', oid, [('a', 23), ('b', 23), ('c', 23)])
    assert c.array_typecaster is None
    ext.register_type(c.typecaster, cur)
    cur.execute("select (1,2)::type_ii")
    with pytest.raises(psycopg2.DataError) as exc:
        cur.fetchone()
    assert str(exc.value) == "expecting 3 components for the type type_ii, 2 found instead"
    assert CompositeCaster('foo.bar baz', 1, [('a', 23)]).type.__name__ == 'foo_bar_baz'


def test_composite_not_found(conn):
    with pytest.raises(psycopg2.ProgrammingError) as exc:
        extras.register_composite('nosuchtype', conn)
    assert str(exc.value) == "PostgreSQL type 'nosuchtype' not found"
    assert conn.status == ext.STATUS_READY
    cur = conn.cursor()
    cur.execute("select 1")
    with pytest.raises(psycopg2.ProgrammingError):
        extras.register_composite('nosuchtype', conn)
    # The failed lookup ran in a savepoint: the transaction goes on.
    assert conn.status == ext.STATUS_IN_TRANSACTION and one(cur, "select 2") == 2
    conn.rollback()
    conn.autocommit = True
    with pytest.raises(psycopg2.ProgrammingError):
        extras.register_composite('nosuchtype', conn)
    assert conn.status == ext.STATUS_READY


def test_composite_schemas_and_weird_names(conn):
    cur = conn.cursor()
    cur.execute('create schema "qux.quux"')
    _create_type(cur, '"qux.quux"."foo.bar"', [('a', 'integer'), ('b', 'integer')])
    t = extras.register_composite('"qux.quux"."foo.bar"', cur)
    assert (t.name, t.schema, t.type.__name__) == ('foo.bar', 'qux.quux', 'foo_bar')
    assert one(cur, 'select (4,8)::"qux.quux"."foo.bar"') == (4, 8)
    cur.execute('create schema typens')
    _create_type(cur, 'typens.typens_ii', [('a', 'integer'), ('b', 'integer')])
    t = extras.register_composite('typens.typens_ii', cur)
    assert (t.name, t.schema) == ('typens_ii', 'typens')
    cur.execute("set local search_path = typens, public")
    t = extras.register_composite('typens_ii', cur)
    assert (t.name, t.schema) == ('typens_ii', 'typens')
    assert one(cur, "select (4,8)::typens_ii") == (4, 8)


def test_composite_from_tables_with_a_dict_connection(connect):
    conn = connect(connection_factory=extras.RealDictConnection)
    cur = conn.cursor()
    cur.execute("create temp table ctest1 (id integer primary key, temp int, label varchar)")
    cur.execute("alter table ctest1 drop temp")
    cur.execute("insert into ctest1 values (1, 'test1')")
    extras.register_composite('ctest1', cur)
    cur.execute("select ctest1 as x, array_agg(ctest1) as y from ctest1 group by ctest1")
    assert cur.fetchone() == {'x': (1, 'test1'), 'y': [(1, 'test1')]}


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
        assert issubclass(factory, ext.connection)
        with pytest.raises(psycopg2.NotSupportedError,
                           match="replication is not supported yet"):
            psycopg2.connect(dsn, connection_factory=factory)


def test_module_names():
    assert extras.quote_ident is ext.quote_ident
    assert extras.json is __import__('json')
    for name in ('Json', 'register_json', 'register_default_json', 'register_default_jsonb',
                 'Range', 'NumericRange', 'DateRange', 'DateTimeRange', 'DateTimeTZRange',
                 'register_range', 'RangeAdapter', 'RangeCaster', 'register_ipaddress',
                 'ReplicationMessage'):
        assert hasattr(extras, name), name


def test_string_types_are_psycopg2s():
    expected = {
        16: 'BOOLEAN', 17: 'BINARY', 18: 'STRING', 19: 'STRING', 20: 'LONGINTEGER',
        21: 'INTEGER', 23: 'INTEGER', 25: 'STRING', 26: 'ROWID', 114: 'JSON',
        199: 'JSONARRAY', 651: 'CIDRARRAY', 700: 'FLOAT', 701: 'FLOAT', 704: 'INTERVAL',
        705: 'UNKNOWN', 1000: 'BOOLEANARRAY', 1001: 'BINARYARRAY', 1002: 'STRINGARRAY',
        1003: 'STRINGARRAY', 1005: 'INTEGERARRAY', 1006: 'INTEGERARRAY',
        1007: 'INTEGERARRAY', 1009: 'STRINGARRAY', 1013: 'ROWIDARRAY', 1014: 'STRINGARRAY',
        1015: 'STRINGARRAY', 1016: 'LONGINTEGERARRAY', 1021: 'FLOATARRAY',
        1022: 'FLOATARRAY', 1028: 'ROWIDARRAY', 1040: 'MACADDRARRAY', 1041: 'INETARRAY',
        1042: 'STRING', 1043: 'STRING', 1082: 'DATE', 1083: 'TIME', 1114: 'DATETIME',
        1115: 'DATETIMEARRAY', 1182: 'DATEARRAY', 1183: 'TIMEARRAY', 1184: 'DATETIMETZ',
        1185: 'DATETIMETZARRAY', 1186: 'INTERVAL', 1187: 'INTERVALARRAY',
        1231: 'DECIMALARRAY', 1266: 'TIME', 1270: 'TIMEARRAY', 1700: 'DECIMAL',
        3802: 'JSONB', 3807: 'JSONBARRAY', 3904: 'type', 3905: 'typeARRAY', 3906: 'type',
        3907: 'typeARRAY', 3908: 'tsrange', 3909: 'tsrangeARRAY', 3910: 'tstzrange',
        3911: 'tstzrangeARRAY', 3912: 'daterange', 3913: 'daterangeARRAY', 3926: 'type',
        3927: 'typeARRAY'}
    assert {oid: caster.name for oid, caster in ext.string_types.items()} == expected
