"""Range types: the Range classes, their adapters and typecasters (public as psycopg2._range).

types.register_defaults() registers the casters of PostgreSQL's builtin range types (int4range,
int8range, numrange, daterange, tsrange, tstzrange and their arrays) and the adapters of the
matching Range classes globally; register_range() adds others.
"""
from ..compat import PY2, string_types
from ..adapt import Adapter, adapt, adapter_quoted, register_adapter
from ..exceptions import InterfaceError, ProgrammingError
from ..oids import TYPE_OIDS
from ..typecast import new_array_type, new_type, quoted_token, register_type
from ..typeinfo import fetch_rows, solve_conn_curs, split_name

# Where psycopg2 defines these classes: their __module__, for reprs and pickling.
_PUBLIC_MODULE = 'psycopg2._range'

_BOUNDS = ('[)', '(]', '()', '[]')


class Range(object):
    """A PostgreSQL range value.

    *lower* and *upper* are the bounds (None: unbounded on that side); *bounds* is one of
    ``'[)'``, ``'(]'``, ``'()'``, ``'[]'``, telling whether each bound is included; an empty
    range is made with ``empty=True``.
    """
    __slots__ = ('_lower', '_upper', '_bounds')

    def __init__(self, lower=None, upper=None, bounds='[)', empty=False):
        if empty:
            self._lower = self._upper = self._bounds = None
            return
        if bounds not in _BOUNDS:
            raise ValueError("bound flags not valid: %r" % (bounds,))
        self._lower = lower
        self._upper = upper
        self._bounds = bounds

    def __repr__(self):
        name = type(self).__name__
        if self._bounds is None:
            return '%s(empty=True)' % name
        return '%s(%r, %r, %r)' % (name, self._lower, self._upper, self._bounds)

    def __str__(self):
        if self._bounds is None:
            return 'empty'
        return '%s%s, %s%s' % (self._bounds[0], self._lower, self._upper, self._bounds[1])

    @property
    def lower(self):
        """The lower bound (None when the range is empty or has none)."""
        return self._lower

    @property
    def upper(self):
        """The upper bound (None when the range is empty or has none)."""
        return self._upper

    @property
    def isempty(self):
        """True for the empty range."""
        return self._bounds is None

    @property
    def lower_inf(self):
        """True when the range has no lower bound (False for the empty range)."""
        return self._bounds is not None and self._lower is None

    @property
    def upper_inf(self):
        """True when the range has no upper bound (False for the empty range)."""
        return self._bounds is not None and self._upper is None

    @property
    def lower_inc(self):
        """True when the lower bound exists and is part of the range."""
        return self._lower is not None and self._bounds is not None \
            and self._bounds[0] == '['

    @property
    def upper_inc(self):
        """True when the upper bound exists and is part of the range."""
        return self._upper is not None and self._bounds is not None \
            and self._bounds[1] == ']'

    def __contains__(self, x):
        bounds = self._bounds
        if bounds is None:
            return False
        lower, upper = self._lower, self._upper
        if lower is not None:
            if x < lower or (x == lower and bounds[0] == '('):
                return False
        if upper is not None:
            if x > upper or (x == upper and bounds[1] == ')'):
                return False
        return True

    def __bool__(self):
        return self._bounds is not None

    if PY2:
        __nonzero__ = __bool__              # truth's name on Python 2

    def __eq__(self, other):
        if not isinstance(other, Range):
            return False
        return (self._lower, self._upper, self._bounds) == \
            (other._lower, other._upper, other._bounds)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((self._lower, self._upper, self._bounds))

    # An arbitrary but stable order, as PostgreSQL's: by lower bound, upper bound, then bound
    # flags, None (unbounded, or empty) first.
    def __lt__(self, other):
        if not isinstance(other, Range):
            return NotImplemented
        for mine, theirs in ((self._lower, other._lower), (self._upper, other._upper),
                             (self._bounds, other._bounds)):
            if mine == theirs:
                continue
            if mine is None:
                return True
            if theirs is None:
                return False
            return mine < theirs
        return False

    def __le__(self, other):
        return True if self == other else self.__lt__(other)

    def __gt__(self, other):
        if not isinstance(other, Range):
            return NotImplemented
        return other.__lt__(self)

    def __ge__(self, other):
        return True if self == other else self.__gt__(other)

    def __getstate__(self):
        return {name: getattr(self, name) for name in Range.__slots__ if hasattr(self, name)}

    def __setstate__(self, state):
        for name, value in state.items():
            setattr(self, name, value)


def register_range(pgrange, pyrange, conn_or_curs, globally=False):
    """Register the adapter and typecasters between the PostgreSQL range type *pgrange*
    (a name, may be schema-qualified) and *pyrange* (a Range strict subclass, or the name of
    a new one to create). The type is looked up on *conn_or_curs*; the casters are registered
    there, or globally with *globally*. Returns the RangeCaster."""
    caster = RangeCaster._from_db(pgrange, pyrange, conn_or_curs)
    caster._register(None if globally else (conn_or_curs or None))
    return caster


class RangeAdapter(Adapter):
    """The ISQLQuote adapter of Range subclasses: ``name(lower, upper, 'bounds')``.

    Abstract: concrete classes set the `name` class attribute (the range type's SQL name) or
    override `getquoted()`.
    """
    name = None

    def _bound(self, value):
        return b'NULL' if value is None else adapter_quoted(value, self._conn)

    def getquoted(self):
        if self.name is None:
            raise NotImplementedError(
                'RangeAdapter must be subclassed overriding its name or the getquoted() method')
        r = self.adapted
        name = self.name.encode('utf8')
        if r.isempty:
            return b"'empty'::" + name
        return b"%s(%s, %s, '%s')" % (name, self._bound(r.lower), self._bound(r.upper),
                                      r._bounds.encode('utf8'))


class RangeCaster(object):
    """Converts between a PostgreSQL range type and a Range subclass.

    register_range() builds one from the catalog; build one directly, with the OIDs, to avoid
    the query. *pgrange* is the SQL name of the type (or a RangeAdapter strict subclass),
    *pyrange* a Range strict subclass or the name of a new one.
    """

    def __init__(self, pgrange, pyrange, oid, subtype_oid, array_oid=None):
        self.subtype_oid = subtype_oid
        self._create_ranges(pgrange, pyrange)
        # psycopg2 names the casters of an adapter class without a name after its metaclass.
        name = self.adapter.name or self.adapter.__class__.__name__
        self.typecaster = new_type((oid,), name, self.parse)
        self.array_typecaster = None
        if array_oid is not None:
            self.array_typecaster = new_array_type((array_oid,), name + 'ARRAY',
                                                   self.typecaster)

    def _create_ranges(self, pgrange, pyrange):
        """Set `adapter` and `range`, creating the classes asked for by name."""
        self.adapter = None
        if isinstance(pgrange, string_types):
            self.adapter = type(pgrange, (RangeAdapter,),
                                {'name': pgrange, '__module__': _PUBLIC_MODULE})
        elif isinstance(pgrange, type) and issubclass(pgrange, RangeAdapter) \
                and pgrange is not RangeAdapter:
            self.adapter = pgrange
        if self.adapter is None:
            raise TypeError('pgrange must be a string or a RangeAdapter strict subclass')

        self.range = None
        if isinstance(pyrange, string_types):
            self.range = type(pyrange, (Range,), {'__module__': _PUBLIC_MODULE})
        elif isinstance(pyrange, type) and issubclass(pyrange, Range) and pyrange is not Range:
            self.range = pyrange
        if self.range is None:
            raise TypeError('pyrange must be a type or a Range strict subclass')

    @classmethod
    def _from_db(cls, name, pyrange, conn_or_curs):
        """A RangeCaster for the range type called *name*, read from the catalog; raise
        ProgrammingError if there is none."""
        conn, curs = solve_conn_curs(conn_or_curs)
        if conn.server_version < 90200:
            raise ProgrammingError("range types not available in version %s"
                                   % conn.server_version)
        schema, tname = split_name(name)
        conn, rows = fetch_rows(conn, """\
SELECT rngtypid, rngsubtype, typarray
FROM pg_range r
JOIN pg_type t ON t.oid = rngtypid
JOIN pg_namespace ns ON ns.oid = typnamespace
WHERE typname = %s AND ns.nspname = %s;
""", (tname, schema), regtype_sql="""\
SELECT rngtypid, rngsubtype, typarray, typname, nspname
FROM pg_range r
JOIN pg_type t ON t.oid = rngtypid
JOIN pg_namespace ns ON ns.oid = typnamespace
WHERE t.oid = %s::regtype
""", name=name)
        row = rows[0] if rows else None
        if not row:
            raise ProgrammingError("PostgreSQL range '%s' not found" % name)
        oid, subtype, array_oid = row[:3]
        return RangeCaster(name, pyrange, oid=oid, subtype_oid=subtype, array_oid=array_oid)

    def parse(self, s, cur=None):
        """The Range for the text *s* of a range value (None for NULL)."""
        if s is None:
            return None
        if s == 'empty':
            return self.range(empty=True)
        lower, upper, bounds = _parse_range(s)
        if cur is not None:
            lower = cur.cast(self.subtype_oid, lower)
            upper = cur.cast(self.subtype_oid, upper)
        return self.range(lower, upper, bounds)

    def _register(self, scope=None):
        register_type(self.typecaster, scope)
        if self.array_typecaster is not None:
            register_type(self.array_typecaster, scope)
        register_adapter(self.range, self.adapter)


def _parse_range(s):
    """(lower text, upper text, bounds) of a range's output, e.g. '[1,"a b")'; a missing
    bound is None."""
    last = len(s) - 1
    if last < 2 or s[0] not in '([' or s[last] not in ')]':
        raise InterfaceError("failed to parse range: '%s'" % s)
    # The lower bound, up to the comma.
    if s[1] == '"':
        lower, pos = quoted_token(s, 1)
        if lower is None or s[pos] != ',':
            raise InterfaceError("failed to parse range: '%s'" % s)
    else:
        pos = s.find(',', 1)
        if pos < 0:
            raise InterfaceError("failed to parse range: '%s'" % s)
        lower = s[1:pos] or None
    # The upper bound, up to the closing bracket.
    pos += 1
    if s[pos] == '"':
        upper, pos = quoted_token(s, pos)
        if upper is None or pos != last:
            raise InterfaceError("failed to parse range: '%s'" % s)
    else:
        upper = s[pos:last] or None
    return lower, upper, s[0] + s[last]


class NumericRange(Range):
    """A Range of numbers: int4range, int8range and numrange values are cast to it, and it
    adapts to a range literal that PostgreSQL casts to any of them."""
    pass


class DateRange(Range):
    """A daterange value."""
    pass


class DateTimeRange(Range):
    """A tsrange value."""
    pass


class DateTimeTZRange(Range):
    """A tstzrange value."""
    pass


class NumberRangeAdapter(RangeAdapter):
    """Adapts a range whose bounds are numbers: an untyped literal such as '[1,10)', so
    that it fits int4range, int8range and numrange alike."""

    def getquoted(self):
        r = self.adapted
        if r.isempty:
            return b"'empty'"
        lower = b'' if r.lower_inf else adapt(r.lower).getquoted()
        upper = b'' if r.upper_inf else adapt(r.upper).getquoted()
        return b"'%s%s,%s%s'" % (r._bounds[0].encode('ascii'), lower, upper,
                                 r._bounds[1].encode('ascii'))


for _cls in (Range, RangeAdapter, RangeCaster, NumericRange, DateRange, DateTimeRange,
             DateTimeTZRange, NumberRangeAdapter):
    _cls.__module__ = _PUBLIC_MODULE
del _cls


def _builtin(name, adapter, pyrange, subtype):
    return RangeCaster(adapter, pyrange, oid=TYPE_OIDS[name], subtype_oid=TYPE_OIDS[subtype],
                       array_oid=TYPE_OIDS['_' + name])


# The builtin range types' casters (registered by types.register_defaults()).
int4range_caster = _builtin('int4range', NumberRangeAdapter, NumericRange, 'int4')
int8range_caster = _builtin('int8range', NumberRangeAdapter, NumericRange, 'int8')
numrange_caster = _builtin('numrange', NumberRangeAdapter, NumericRange, 'numeric')
daterange_caster = _builtin('daterange', 'daterange', DateRange, 'date')
tsrange_caster = _builtin('tsrange', 'tsrange', DateTimeRange, 'timestamp')
tstzrange_caster = _builtin('tstzrange', 'tstzrange', DateTimeTZRange, 'timestamptz')
BUILTIN_CASTERS = (int4range_caster, int8range_caster, numrange_caster, daterange_caster,
                   tsrange_caster, tstzrange_caster)
