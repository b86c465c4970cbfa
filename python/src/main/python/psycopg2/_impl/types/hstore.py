"""hstore: dicts of str to str (or None) and back (psycopg2.extras.register_hstore)."""
import re as _re

from ..compat import PY2, integer_types
from ..adapt import adapter_quoted, register_adapter
from ..encodings import encodings
from ..exceptions import InterfaceError, ProgrammingError
from ..typecast import new_array_type, new_type, register_type
from ..typeinfo import fetch_rows

# One "key"=>"value" (or "key"=>NULL) pair of hstore's output, and what follows it.
_HSTORE_PAIR = _re.compile(r'''
    "((?:[^"\\]|\\.)*)"            # the key: a quoted string, backslash escapes
    \s*=>\s*
    (?:NULL|"((?:[^"\\]|\\.)*)")   # the value: NULL or a quoted string
    (?:\s*,\s*|$)                  # a comma, or the end
''', _re.VERBOSE)
_BACKSLASHED = _re.compile(r'\\(.)')


def _parse_hstore_plain(s):
    """The fast path of HstoreAdapter.parse(): the dict for hstore's output without
    backslashes ('"a"=>"1", "b"=>NULL'), with str.find rather than a regular expression per
    pair (much faster here); None for anything else, which the full parser then reads."""
    result = {}
    n = len(s)
    pos = 0
    while pos < n:
        if s[pos] != '"':
            return None
        end = s.find('"', pos + 1)
        if end < 0:
            return None
        key = s[pos + 1:end]
        pos = end + 1
        while pos < n and s[pos].isspace():
            pos += 1
        if not s.startswith('=>', pos):
            return None
        pos += 2
        while pos < n and s[pos].isspace():
            pos += 1
        if s.startswith('NULL', pos):
            value = None
            pos += 4
        elif s.startswith('"', pos):
            end = s.find('"', pos + 1)
            if end < 0:
                return None
            value = s[pos + 1:end]
            if '\\' in value:
                return None
            pos = end + 1
        else:
            return None
        if '\\' in key:
            return None
        result[key] = value
        if pos == n:
            break
        # A comma (spaces around it allowed), or the end.
        while pos < n and s[pos].isspace():
            pos += 1
        if pos == n or s[pos] != ',':
            return None
        pos += 1
        while pos < n and s[pos].isspace():
            pos += 1
    return result


class HstoreAdapter(object):
    """Adapts a dict to an hstore value (keys and values strings, values may be None)."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        self.conn = None

    def prepare(self, conn):
        self.conn = conn
        if conn.server_version < 90000:
            self.getquoted = self._getquoted_8

    def _quoted(self, obj):
        return adapter_quoted(obj, self.conn)

    def _getquoted_8(self):
        """With the => operator of PostgreSQL before 9.0."""
        if not self.wrapped:
            return b"''::hstore"
        pairs = []
        for key, value in self.wrapped.items():
            quoted = b'NULL' if value is None else self._quoted(value)
            pairs.append(b'(' + self._quoted(key) + b' => ' + quoted + b')')
        return b'(' + b'||'.join(pairs) + b')'

    def _getquoted_9(self):
        """With the hstore(text[], text[]) function."""
        if not self.wrapped:
            return b"''::hstore"
        return (b'hstore(' + self._quoted(list(self.wrapped.keys())) + b', '
                + self._quoted(list(self.wrapped.values())) + b')')

    getquoted = _getquoted_9

    @classmethod
    def parse(cls, s, cur, _bsdec=_BACKSLASHED):
        """The dict of an hstore's text, such as ``"a"=>"1", "b"=>NULL``."""
        if s is None:
            return None
        result = _parse_hstore_plain(s)
        if result is not None:
            return result
        # Escapes, or not hstore's usual output: pair by pair with the full grammar.
        result = {}
        pos = 0
        while True:
            m = _HSTORE_PAIR.search(s, pos)
            if m is None:
                break
            if m.start() != pos:
                raise InterfaceError("error parsing hstore pair at char %d" % pos)
            value = m.group(2)
            if value is not None:
                value = _bsdec.sub(r'\1', value)
            result[_bsdec.sub(r'\1', m.group(1))] = value
            pos = m.end()
        if pos < len(s):
            raise InterfaceError("error parsing hstore: unparsed data after char %d" % pos)
        return result

    @classmethod
    def parse_unicode(cls, s, cur):
        """parse() for text as bytes in the connection's encoding (Python 2's need)."""
        if s is None:
            return None
        if isinstance(s, bytes):
            s = s.decode(encodings.get(cur.connection.encoding, 'utf-8'))
        return cls.parse(s, cur)

    @classmethod
    def get_oids(cls, conn_or_curs):
        """The OIDs of the hstore types of the database and of their arrays, as two tuples."""
        conn, rows = fetch_rows(conn_or_curs, """\
SELECT t.oid, typarray
FROM pg_type t JOIN pg_namespace ns ON typnamespace = ns.oid
WHERE typname = 'hstore';
""")
        oids = [oid for oid, _ in rows]
        array_oids = [array_oid for _, array_oid in rows]
        return tuple(oids), tuple(array_oids)


def register_hstore(conn_or_curs, globally=False, unicode=False, oid=None, array_oid=None):
    """Cast hstore values to dicts and adapt dicts to hstore.

    The typecasters go on *conn_or_curs* (or globally with *globally*); the dict adapter is
    always global. Without *oid* the OIDs are read from the catalog through *conn_or_curs*
    (ProgrammingError if the hstore extension is not installed). *unicode*: keys and values
    as unicode rather than str on Python 2; on Python 3 they are always str.
    """
    if oid is None:
        oid = HstoreAdapter.get_oids(conn_or_curs)
        if oid is None or not oid[0]:
            raise ProgrammingError(
                "hstore type not found in the database. "
                "please install it from your 'contrib/hstore.sql' file")
        oid, array_oid = oid[0], oid[1]

    if isinstance(oid, integer_types):
        oid = (oid,)
    if array_oid is not None:
        if isinstance(array_oid, integer_types):
            array_oid = (array_oid,)
        else:
            array_oid = tuple(x for x in array_oid if x)

    scope = None if globally else (conn_or_curs or None)
    # On Python 2 the caster gets str (bytes): psycopg2 2.8 decoded them only when asked.
    parse = HstoreAdapter.parse_unicode if PY2 and unicode else HstoreAdapter.parse
    caster = new_type(oid, 'HSTORE', parse)
    register_type(caster, scope)
    register_adapter(dict, HstoreAdapter)
    if array_oid:
        register_type(new_array_type(array_oid, 'HSTOREARRAY', caster), scope)


HstoreAdapter.__module__ = 'psycopg2.extras'
