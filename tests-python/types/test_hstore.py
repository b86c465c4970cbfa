"""hstore: HstoreAdapter's parsing and literals, register_hstore() (types/hstore.py).
Expected values come from psycopg2 2.9.10 run against the same server."""
import pytest

import psycopg2
import psycopg2.extensions as ext
import psycopg2.extras as extras
from psycopg2.extras import HstoreAdapter

from _helpers import one


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
