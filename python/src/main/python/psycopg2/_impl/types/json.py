"""json and jsonb: the Json adapter and the typecasters (public as psycopg2._json).

types.register_defaults() registers the casters of the builtin json and jsonb types (and of
their arrays) globally, so ``import psycopg2`` already turns json values into Python objects;
register_json() and friends replace them, globally or on one connection or cursor, e.g. to
parse with another ``loads``.
"""
# Python 2 would import this package's module of the same name.
from __future__ import absolute_import
import json

from ..adapt import Adapter
from ..exceptions import ProgrammingError
from ..oids import TYPE_OIDS
from ..typecast import new_array_type, new_type, register_type
from ..typeinfo import fetch_rows
from .string import QuotedString

# The OIDs PostgreSQL gives its builtin json (9.2+) and jsonb (9.4+) types.
JSON_OID = TYPE_OIDS['json']
JSONARRAY_OID = TYPE_OIDS['_json']
JSONB_OID = TYPE_OIDS['jsonb']
JSONBARRAY_OID = TYPE_OIDS['_jsonb']


class Json(Adapter):
    """Wraps a Python object to pass it to PostgreSQL as a json value.

    The object is serialized with *dumps* (``json.dumps`` when not given) and quoted as an
    SQL string; subclasses may override `dumps()` instead.
    """

    def __init__(self, adapted, dumps=None):
        super(Json, self).__init__(adapted)
        self._dumps = json.dumps if dumps is None else dumps

    def dumps(self, obj):
        """The JSON text of *obj* (override it to customize the serialization)."""
        return self._dumps(obj)

    def getquoted(self):
        text = QuotedString(self.dumps(self.adapted))
        if self._conn is not None:
            text.prepare(self._conn)
        return text.getquoted()

    def __str__(self):
        # getquoted() gives bytes: str() is the literal as text.
        return self.getquoted().decode('ascii', 'replace')


Json.__module__ = 'psycopg2._json'


def register_json(conn_or_curs=None, globally=False, loads=None, oid=None, array_oid=None,
                  name='json'):
    """Create and register the typecasters of a json type (and of its array).

    Without *oid*, the OIDs of the type called *name* are looked up on *conn_or_curs*. The
    casters are registered on *conn_or_curs*, or globally when *globally* is true (or when no
    connection or cursor is given). Returns the pair (caster, array caster or None).
    """
    if oid is None:
        oid, array_oid = _get_json_oids(conn_or_curs, name)
    caster, array_caster = _create_json_typecasters(oid, array_oid, loads=loads,
                                                    name=name.upper())
    scope = None if globally else (conn_or_curs or None)
    register_type(caster, scope)
    if array_caster is not None:
        register_type(array_caster, scope)
    return caster, array_caster


def register_default_json(conn_or_curs=None, globally=False, loads=None):
    """register_json() for the builtin json type, at its fixed OIDs (no query is run)."""
    return register_json(conn_or_curs=conn_or_curs, globally=globally, loads=loads,
                         oid=JSON_OID, array_oid=JSONARRAY_OID)


def register_default_jsonb(conn_or_curs=None, globally=False, loads=None):
    """register_json() for the builtin jsonb type, at its fixed OIDs (no query is run)."""
    return register_json(conn_or_curs=conn_or_curs, globally=globally, loads=loads,
                         oid=JSONB_OID, array_oid=JSONBARRAY_OID, name='jsonb')


def _create_json_typecasters(oid, array_oid, loads=None, name='JSON'):
    """The typecaster of a json type and the one of its array (None without array_oid)."""
    parse = json.loads if loads is None else loads

    def typecast_json(value, cursor):
        return None if value is None else parse(value)

    caster = new_type((oid,), name, typecast_json)
    array_caster = None
    if array_oid is not None:
        array_caster = new_array_type((array_oid,), name + 'ARRAY', caster)
    return caster, array_caster


def _get_json_oids(conn_or_curs, name='json'):
    """(oid, array oid) of the type called *name*, read from the catalog."""
    conn, rows = fetch_rows(
        conn_or_curs, "SELECT t.oid, typarray FROM pg_type t WHERE t.typname = %s;", (name,))
    if not rows:
        raise ProgrammingError("%s data type not found" % name)
    return rows[0]


# The casters of the builtin types (psycopg2.extensions.JSON, JSONARRAY, JSONB, JSONBARRAY).
JSON, JSONARRAY = _create_json_typecasters(JSON_OID, JSONARRAY_OID)
JSONB, JSONBARRAY = _create_json_typecasters(JSONB_OID, JSONBARRAY_OID, name='JSONB')
