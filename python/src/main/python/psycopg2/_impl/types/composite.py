"""Composite types (records): to namedtuples, or what a CompositeCaster subclass makes
(psycopg2.extras.register_composite)."""
import re as _re

from ..compat import namedtuple
from ..exceptions import DataError, InterfaceError, ProgrammingError
from ..typecast import new_array_type, new_type, quoted_token, register_type
from ..typeinfo import fetch_rows, split_name

# The ASCII punctuation, which can't be in a Python identifier (namedtuple field names).
_re_clean = _re.compile('[' + _re.escape(' !"#$%&\'()*+,-./:;<=>?@[\\]^`{|}~') + ']')


class CompositeCaster(object):
    """Casts a PostgreSQL composite type to a Python object: a namedtuple by default
    (`type`); subclass and override `make()` for another one.

    register_composite() builds it from the catalog; build one directly (with the OIDs) to
    avoid querying. *attrs* is the list of (attribute name, type OID) pairs.
    """

    def __init__(self, name, oid, attrs, array_oid=None, schema=None):
        self.name = name
        self.schema = schema
        self.oid = oid
        self.array_oid = array_oid
        self.attnames = [a[0] for a in attrs]
        self.atttypes = [a[1] for a in attrs]
        self._create_type(name, self.attnames)
        self.typecaster = new_type((oid,), name, self.parse)
        self.array_typecaster = None
        if array_oid:
            self.array_typecaster = new_array_type(
                (array_oid,), '%sARRAY' % name, self.typecaster)

    def parse(self, s, curs):
        if s is None:
            return None
        tokens = self.tokenize(s)
        if len(tokens) != len(self.atttypes):
            raise DataError("expecting %d components for the type %s, %d found instead"
                            % (len(self.atttypes), self.name, len(tokens)))
        if curs is None:
            values = tokens
        else:
            values = [curs.cast(oid, token) for oid, token in zip(self.atttypes, tokens)]
        return self.make(values)

    def make(self, values):
        """The Python object for the attributes *values* (already cast): override it to
        customize the cast."""
        return self._ctor(values)

    @classmethod
    def tokenize(cls, s):
        """The attributes of a record's text ('(1,"a b",)') as strings, None for NULL."""
        tokens = []
        pos = 1 if s.startswith('(') else 0
        n = len(s)
        while pos < n:
            if s[pos] == '"':
                token, pos = quoted_token(s, pos)
                if token is None:
                    raise InterfaceError("can't parse type: %r" % s)
            else:
                comma, paren = s.find(',', pos), s.find(')', pos)
                end = comma if comma >= 0 and (paren < 0 or comma < paren) else paren
                if end < 0 or '"' in s[pos:end]:
                    raise InterfaceError("can't parse type: %r" % s)
                token = s[pos:end] if end > pos else None
                pos = end
            tokens.append(token)
            if pos >= n or s[pos] not in ',)':
                raise InterfaceError("can't parse type: %r" % s)
            if s[pos] == ')':
                break
            pos += 1
        return tokens

    def _create_type(self, name, attnames):
        self.type = namedtuple(_re_clean.sub('_', name), attnames, module='psycopg2.extras')
        self._ctor = self.type._make

    @classmethod
    def _from_db(cls, name, conn_or_curs):
        """An instance for the composite type called *name*, read from the catalog; raise
        ProgrammingError if there is none."""
        schema, tname = split_name(name)
        conn, rows = fetch_rows(conn_or_curs, """\
SELECT t.oid, typarray, attname, atttypid
FROM pg_type t
JOIN pg_namespace ns ON typnamespace = ns.oid
JOIN pg_attribute a ON attrelid = typrelid
WHERE typname = %s AND nspname = %s
    AND attnum > 0 AND NOT attisdropped
ORDER BY attnum;
""", (tname, schema), regtype_sql="""\
SELECT t.oid, typarray, attname, atttypid, typname, nspname
FROM pg_type t
JOIN pg_namespace ns ON typnamespace = ns.oid
JOIN pg_attribute a ON attrelid = typrelid
WHERE t.oid = %s::regtype
    AND attnum > 0 AND NOT attisdropped
ORDER BY attnum;
""", name=name)
        if rows and len(rows[0]) > 4:
            tname, schema = rows[0][4], rows[0][5]
        if not rows:
            raise ProgrammingError("PostgreSQL type '%s' not found" % name)
        return cls(tname, rows[0][0], [(r[2], r[3]) for r in rows],
                   array_oid=rows[0][1], schema=schema)


def register_composite(name, conn_or_curs, globally=False, factory=None):
    """Cast the composite type *name* (and its array) to namedtuples, or to what *factory*
    (a CompositeCaster subclass) makes. The type is looked up through *conn_or_curs*, where
    the casters are registered, or globally with *globally*. Returns the caster."""
    if factory is None:
        factory = CompositeCaster
    caster = factory._from_db(name, conn_or_curs)
    scope = None if globally else (conn_or_curs or None)
    register_type(caster.typecaster, scope)
    if caster.array_typecaster is not None:
        register_type(caster.array_typecaster, scope)
    return caster


CompositeCaster.__module__ = 'psycopg2.extras'
