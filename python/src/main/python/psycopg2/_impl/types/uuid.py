"""uuid to uuid.UUID and back (psycopg2.extras.register_uuid)."""
# Python 2 would import this package's module of the same name.
from __future__ import absolute_import
from ..adapt import ISQLQuote, register_adapter
from ..oids import TYPE_OIDS
from ..typecast import new_array_type, new_type, register_type


class UUID_adapter(object):
    """Adapts uuid.UUID to a PostgreSQL uuid literal."""

    def __init__(self, uuid):
        self._uuid = uuid

    def __conform__(self, proto):
        if proto is ISQLQuote:
            return self

    def getquoted(self):
        return ("'%s'::uuid" % self._uuid).encode('utf8')

    def __str__(self):
        return "'%s'::uuid" % self._uuid


UUID_adapter.__module__ = 'psycopg2.extras'


def register_uuid(oids=None, conn_or_curs=None):
    """Cast uuid (and uuid[]) values to uuid.UUID, on *conn_or_curs* or globally, and adapt
    uuid.UUID. *oids*: the type's OID, or the pair (type, array); PostgreSQL's by default.
    Returns the pair (caster, array caster); psycopg2.extras.register_uuid() also sets them as
    psycopg2.extensions.UUID and UUIDARRAY."""
    # Imported on first use, as psycopg2 does: uuid costs start-up time and few need it.
    import uuid

    if not oids:
        oid, array_oid = TYPE_OIDS['uuid'], TYPE_OIDS['_uuid']
    elif isinstance(oids, (list, tuple)):
        oid, array_oid = oids
    else:
        oid, array_oid = oids, TYPE_OIDS['_uuid']

    def cast_uuid(data, cursor):
        return uuid.UUID(data) if data else None

    caster = new_type((oid,), 'UUID', cast_uuid)
    array_caster = new_array_type((array_oid,), 'UUID[]', caster)
    register_type(caster, conn_or_curs)
    register_type(array_caster, conn_or_curs)
    register_adapter(uuid.UUID, UUID_adapter)
    return caster, array_caster
