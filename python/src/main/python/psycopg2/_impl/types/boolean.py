"""bool to True/False, and back (java-core decodes the values alone)."""
from .. import pq
from ..adapt import CoreAdapter
from ..oids import TYPE_OIDS
from ..typecast import builtin_type, new_array_type


def cast_bool(value, cursor):
    return None if value is None else value == 't'


BOOLEAN = builtin_type((TYPE_OIDS['bool'],), 'BOOLEAN', cast_bool, pq.KIND_BOOL)
BOOLEANARRAY = new_array_type((TYPE_OIDS['_bool'],), 'BOOLEANARRAY', BOOLEAN)


def bool_literal(value, conn=None):
    return b'true' if value else b'false'


class Boolean(CoreAdapter):
    def getquoted(self):
        return bool_literal(self._adapted)


Boolean.__module__ = 'psycopg2.extensions'
