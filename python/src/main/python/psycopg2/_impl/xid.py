"""Two-phase commit's transaction ids (psycopg2.extensions.Xid).

A Xid made by connection.xid() is an XA triple (format_id, gtrid, bqual); PostgreSQL knows
only one string per prepared transaction, so the triple travels as
"<format_id>_<base64 gtrid>_<base64 bqual>", as psycopg2 writes it (and pgjdbc before it).
A prepared transaction whose id is not in that form (made by another tool) comes back from
tpc_recover() as an "unparsed" Xid: its gtrid is the whole string, format_id and bqual None.
"""
import base64
import re

from .compat import integer_types, string_types, text_type

_TRIPLE = re.compile(r'^(\d+)_([^_]*)_([^_]*)$')
# Strict base64 (b64decode(validate=True), which Python 2 lacks).
_BASE64 = re.compile(r'^[A-Za-z0-9+/]*={0,2}$')


def _check_part(name, value):
    if len(value) > 64:
        raise ValueError("%s must be a string no longer than 64 characters" % name)
    if any(not ' ' <= ch < '\x7f' for ch in value):
        raise ValueError("%s must contain only printable characters." % name)


class Xid(object):
    """A transaction id for tpc_begin(), tpc_commit() and tpc_rollback(); indexable as the
    3-tuple (format_id, gtrid, bqual). tpc_recover() fills prepared, owner and database."""

    __slots__ = ('_format_id', '_gtrid', '_bqual', '_prepared', '_owner', '_database')

    def __init__(self, format_id, gtrid, bqual):
        if not isinstance(format_id, integer_types) or isinstance(format_id, bool):
            raise TypeError("an integer is required (got type %s)" % type(format_id).__name__)
        for name, value in (('gtrid', gtrid), ('bqual', bqual)):
            if not isinstance(value, string_types):
                raise TypeError("argument %d must be str, not %s"
                                % (2 if name == 'gtrid' else 3, type(value).__name__))
        if not 0 <= format_id <= 0x7fffffff:
            raise ValueError("format_id must be a non-negative 32-bit integer")
        _check_part('gtrid', gtrid)
        _check_part('bqual', bqual)
        self._format_id, self._gtrid, self._bqual = format_id, gtrid, bqual
        self._prepared = self._owner = self._database = None

    @classmethod
    def _unparsed(cls, text):
        xid = cls.__new__(cls)
        xid._format_id, xid._gtrid, xid._bqual = None, text, None
        xid._prepared = xid._owner = xid._database = None
        return xid

    @staticmethod
    def from_string(s):
        """The Xid of a transaction id string: the XA triple when it is one of ours, else an
        unparsed Xid holding the string (the inverse of str(xid))."""
        if isinstance(s, bytes):
            s = s.decode('ascii', 'replace')
        elif not isinstance(s, text_type):
            raise TypeError("not a valid transaction id")
        m = _TRIPLE.match(s)
        if m is not None:
            try:
                return Xid(int(m.group(1)), _decode(m.group(2)), _decode(m.group(3)))
            except (ValueError, TypeError):
                pass            # not a triple after all: kept as it is
        return Xid._unparsed(s)

    format_id = property(lambda self: self._format_id, doc="The XA format id, or None.")
    gtrid = property(lambda self: self._gtrid, doc="The global transaction id.")
    bqual = property(lambda self: self._bqual, doc="The branch qualifier, or None.")
    prepared = property(lambda self: self._prepared, doc="When it was prepared (tpc_recover()).")
    owner = property(lambda self: self._owner, doc="The role that prepared it (tpc_recover()).")
    database = property(lambda self: self._database,
                        doc="The database it was prepared in (tpc_recover()).")

    def __len__(self):
        return 3

    def __getitem__(self, index):
        if isinstance(index, slice):
            return (self._format_id, self._gtrid, self._bqual)[index]
        if not -3 <= index < 3:
            raise IndexError("index out of range")
        return (self._format_id, self._gtrid, self._bqual)[index]

    def __str__(self):
        """The transaction id PostgreSQL knows it by."""
        if self._format_id is None:
            return self._gtrid
        return '%d_%s_%s' % (self._format_id, _encode(self._gtrid), _encode(self._bqual))

    def __repr__(self):
        if self._format_id is None:
            return '<Xid: %r (unparsed)>' % (self._gtrid,)
        return '<Xid: (%r, %r, %r)>' % (self._format_id, self._gtrid, self._bqual)


Xid.__module__ = 'psycopg2.extensions'


def _encode(text):
    return base64.b64encode(text.encode('utf-8')).decode('ascii')


def _decode(text):
    if not _BASE64.match(text):
        raise ValueError('not base64: %r' % text)
    return base64.b64decode(text.encode('ascii')).decode('utf-8')


def ensure(value):
    """A Xid, or the Xid of a transaction id string (one found in pg_prepared_xacts)."""
    return value if isinstance(value, Xid) else Xid.from_string(value)


def recovered(rows):
    """The Xids of pg_prepared_xacts rows (gid, prepared, owner, database)."""
    xids = []
    for gid, prepared, owner, database in rows:
        xid = Xid.from_string(gid)
        xid._prepared, xid._owner, xid._database = prepared, owner, database
        xids.append(xid)
    return xids
