"""Composite types: CompositeCaster and register_composite() (types/composite.py). Expected
values come from psycopg2 2.9.10 run against the same server."""
from datetime import date

import pytest

import psycopg2
import psycopg2.extensions as ext
import psycopg2.extras as extras
from psycopg2.extras import CompositeCaster

from _helpers import one


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
