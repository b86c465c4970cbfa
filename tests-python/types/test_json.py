"""json and jsonb: the casters registered at import, the Json adapter, register_json() and
friends (types/json.py). Expected values come from psycopg2 2.9.10 run against the same
server."""
import json
from decimal import Decimal

import pytest

import psycopg2
import psycopg2.extensions as ext
import psycopg2.extras as extras
from psycopg2._json import _get_json_oids
from psycopg2.extras import Json

from _helpers import check_select, one


def decimal_loads(s):
    return json.loads(s, parse_float=Decimal)


def test_builtin_casters():
    for caster, name, oid in ((ext.JSON, 'JSON', 114), (ext.JSONARRAY, 'JSONARRAY', 199),
                              (ext.JSONB, 'JSONB', 3802), (ext.JSONBARRAY, 'JSONBARRAY', 3807)):
        assert (caster.name, caster.values) == (name, (oid,))
        assert ext.string_types[oid] is caster


def test_default_cast(cur):
    assert one(cur, """select '{"a": [1, 2.5, null, "x"]}'::json, '[1,true]'::jsonb,
                      array['{"a":1}','2']::json[], array['{"b":1}']::jsonb[],
                      null::json, null::jsonb, null::json[], null::jsonb[]""") == (
        {'a': [1, 2.5, None, 'x']}, [1, True], [{'a': 1}, 2], [{'b': 1}], None, None, None,
        None)


def test_json_is_parsed(cur):
    check_select(cur, [
        ('\'{"a": [1, 2.5, null, "x"]}\'::json', {'a': [1, 2.5, None, 'x']}, dict),
        ('\'{"b": true}\'::jsonb', {'b': True}, dict),
        ("'[1]'::json", [1], list),
    ])


def test_adapt(cur):
    objs = [None, "te'xt", 123, 1.5, '\xe0\u20ac', ['a', 1], {'a': {'b': None}}]
    assert [cur.mogrify("%s", (Json(o),)) for o in objs] == [
        b"'null'", b'\'"te\'\'xt"\'', b"'123'", b"'1.5'", b'\'"\\u00e0\\u20ac"\'',
        b'\'["a", 1]\'', b'\'{"a": {"b": null}}\'']
    for obj in objs:
        assert Json(obj).getquoted() == ext.QuotedString(json.dumps(obj)).getquoted()
    assert one(cur, "select %s::jsonb, %s::json", (Json({'k': [1, {'z': None}]}), Json('s'))) \
        == ({'k': [1, {'z': None}]}, 's')


def test_adapt_dumps_and_subclass(cur):
    class DecimalEncoder(json.JSONEncoder):
        def default(self, obj):
            if isinstance(obj, Decimal):
                return float(obj)
            return json.JSONEncoder.default(self, obj)

    def dumps(obj):
        return json.dumps(obj, cls=DecimalEncoder)

    class MyJson(Json):
        def dumps(self, obj):
            return json.dumps(obj, cls=DecimalEncoder)

    assert cur.mogrify("%s", (Json(Decimal('123.45'), dumps=dumps),)) == b"'123.45'"
    assert cur.mogrify("%s", (MyJson(Decimal('123.45')),)) == b"'123.45'"


def test_str():
    assert str(Json({'a': '\u2603'})) == '\'{"a": "\\u2603"}\''
    assert str(ext.adapt(Json([1]))) == "'[1]'"
    assert Json({'a': "'"}).getquoted() == b'\'{"a": "\'\'"}\''


def test_register_adapter_on_dict(cur, restore_types):
    ext.register_adapter(dict, Json)
    assert cur.mogrify("%s", ({'a': 123},)) == b"""'{"a": 123}'"""


def test_standard_conforming_strings(connect):
    on = connect(options="-c standard_conforming_strings=on").cursor()
    off = connect(options="-c standard_conforming_strings=off").cursor()
    assert on.mogrify("%s", [Json({'a': '"'})]) == b'\'{"a": "\\""}\''
    assert off.mogrify("%s", [Json({'a': '"'})]) == b'E\'{"a": "\\\\""}\''


def test_register_json_scopes(connect, restore_types):
    conn = connect()
    cur = conn.cursor()
    caster, array_caster = extras.register_json(cur, loads=lambda s: ('L', s))
    assert (caster.name, caster.values, array_caster.name, array_caster.values) == (
        'JSON', (114,), 'JSONARRAY', (199,))
    assert conn.status == ext.STATUS_READY         # the lookup's transaction is closed
    assert one(cur, """select '{"a":1}'::json, '{"a":1}'::jsonb""") == (
        ('L', '{"a":1}'), {'a': 1})
    assert one(conn.cursor(), """select '{"a":1}'::json""") == {'a': 1}
    extras.register_json(conn, loads=decimal_loads)
    assert one(conn.cursor(), """select '{"a": 100.0}'::json""") == {'a': Decimal('100.0')}
    assert one(connect().cursor(), """select '{"a": 100.0}'::json""") == {'a': 100.0}
    extras.register_json(conn, globally=True, loads=lambda s: 'G')
    assert one(connect().cursor(), """select '{"a": 100.0}'::json""") == 'G'


def test_register_jsonb_and_defaults(conn):
    cur = conn.cursor()
    caster, array_caster = extras.register_json(conn, name='jsonb', loads=decimal_loads)
    assert (caster.name, caster.values, array_caster.name, array_caster.values) == (
        'JSONB', (3802,), 'JSONBARRAY', (3807,))
    data = one(cur, """select '{"a": 100.0}'::jsonb, '{"a": 100.0}'::json""")
    assert data == ({'a': Decimal('100.0')}, {'a': 100.0})
    assert isinstance(data[0]['a'], Decimal) and isinstance(data[1]['a'], float)
    pairs = [extras.register_default_json(cur, loads=lambda s: 'D'),
             extras.register_default_jsonb(cur, loads=lambda s: 'DB')]
    assert [(a.name, a.values, b.name, b.values) for a, b in pairs] == [
        ('JSON', (114,), 'JSONARRAY', (199,)), ('JSONB', (3802,), 'JSONBARRAY', (3807,))]
    assert one(cur, """select '1'::json, '1'::jsonb, array['1']::jsonb[], array['1']::json[],
                      null::jsonb""") == ('D', 'DB', ['DB'], ['D'], None)


def test_register_json_with_oids(conn, restore_types):
    oid, array_oid = _get_json_oids(conn)
    assert (oid, array_oid) == (114, 199)
    extras.register_json(loads=decimal_loads, oid=oid, array_oid=array_oid)
    assert one(conn.cursor(), """select '{"a": 100.0}'::json""") == {'a': Decimal('100.0')}
    # Without an array OID there is no array caster; any type can be cast as json.
    cur = conn.cursor()
    caster, array_caster = extras.register_json(cur, oid=25)
    assert caster.values == (25,) and array_caster is None
    assert one(cur, """select '{"a": 100.0, "b": null}'::text""") == {'a': 100.0, 'b': None}


def test_register_json_errors(conn):
    with pytest.raises(psycopg2.ProgrammingError) as exc:
        extras.register_json(conn, name='nosuchjson')
    assert str(exc.value) == "nosuchjson data type not found"
    with pytest.raises(psycopg2.ProgrammingError) as exc:
        extras.register_json(None)
    assert str(exc.value) == "no connection or cursor provided"
