"""Column and Notify: the small record types of psycopg2.extensions."""
from .oids import TYPE_OIDS

_NUMERIC_OID = TYPE_OIDS['numeric']


def _as_tuple(other):
    return other._seq() if isinstance(other, Column) else other


class Column(object):
    """One item of ``cursor.description``: a 7-item DB-API sequence with extra attributes."""

    __slots__ = ('name', 'type_code', 'display_size', 'internal_size', 'precision', 'scale',
                 'null_ok', 'table_oid', 'table_column')
    __module__ = 'psycopg2.extensions'

    def __init__(self, name=None, type_code=None, display_size=None, internal_size=None,
                 precision=None, scale=None, null_ok=None, table_oid=None, table_column=None):
        self.name = name
        self.type_code = type_code
        self.display_size = display_size
        self.internal_size = internal_size
        self.precision = precision
        self.scale = scale
        self.null_ok = null_ok
        self.table_oid = table_oid
        self.table_column = table_column

    @classmethod
    def _from_wire(cls, name, type_oid, table_oid, table_column, type_size, type_modifier):
        """From a RowDescription field, the way libpq-based psycopg2 reports sizes."""
        mod = type_modifier - 4 if type_modifier > 0 else type_modifier
        precision = scale = None
        if type_size == -1:
            # Numeric's size is its precision; -1 (no modifier) stays -1 (arithmetic shift).
            internal = mod >> 16 if type_oid == _NUMERIC_OID else mod
        else:
            internal = type_size
        if type_oid == _NUMERIC_OID:
            # Without a modifier psycopg2 reports 65535 for both: mod -1, masked.
            precision, scale = (mod >> 16) & 0xFFFF, mod & 0xFFFF
        return cls(name, type_oid, None, internal, precision, scale, None,
                   table_oid or None, table_column or None)

    def _seq(self):
        return (self.name, self.type_code, self.display_size, self.internal_size,
                self.precision, self.scale, self.null_ok)

    def __len__(self):
        return 7

    def __getitem__(self, index):
        return self._seq()[index]

    # As psycopg2's: compared as the 7-item tuple, with any operator, to anything (iteration
    # goes through __getitem__, as for psycopg2's sequence type without an iterator).
    def __eq__(self, other):
        return self._seq() == _as_tuple(other)

    def __ne__(self, other):
        return self._seq() != _as_tuple(other)

    def __lt__(self, other):
        return self._seq() < _as_tuple(other)

    def __le__(self, other):
        return self._seq() <= _as_tuple(other)

    def __gt__(self, other):
        return self._seq() > _as_tuple(other)

    def __ge__(self, other):
        return self._seq() >= _as_tuple(other)

    __hash__ = None

    def __repr__(self):
        return 'Column(name=%r, type_code=%r)' % (self.name, self.type_code)

    def __getstate__(self):
        return {k: getattr(self, k) for k in self.__slots__}

    def __setstate__(self, state):
        for k in self.__slots__:
            setattr(self, k, state.get(k))


class Notify(object):
    """A NOTIFY received: (pid, channel, payload); compares equal to a (pid, channel) pair."""

    __slots__ = ('pid', 'channel', 'payload')
    __module__ = 'psycopg2.extensions'

    def __init__(self, pid, channel, payload=''):
        self.pid = pid
        self.channel = channel
        self.payload = payload

    def _pair(self):
        return (self.pid, self.channel)

    def _compared(self, other):
        """What psycopg2 compares: all three fields with another Notify, (pid, channel) with
        a tuple; None for anything else (then every comparison is False, != too)."""
        if type(other) is Notify:
            return (self.pid, self.channel, self.payload), \
                (other.pid, other.channel, other.payload)
        if isinstance(other, tuple):
            return self._pair(), other
        return None

    def __eq__(self, other):
        pair = self._compared(other)
        return pair is not None and pair[0] == pair[1]

    def __ne__(self, other):
        pair = self._compared(other)
        return pair is not None and pair[0] != pair[1]

    def __lt__(self, other):
        pair = self._compared(other)
        return pair is not None and pair[0] < pair[1]

    def __le__(self, other):
        pair = self._compared(other)
        return pair is not None and pair[0] <= pair[1]

    def __gt__(self, other):
        pair = self._compared(other)
        return pair is not None and pair[0] > pair[1]

    def __ge__(self, other):
        pair = self._compared(other)
        return pair is not None and pair[0] >= pair[1]

    def __hash__(self):
        # As psycopg2: a Notify without payload hashes as its (pid, channel) pair, which it
        # also compares equal to.
        if self.payload:
            return hash((self.pid, self.channel, self.payload))
        return hash((self.pid, self.channel))

    def __len__(self):
        return 2

    def __getitem__(self, index):
        return self._pair()[index]

    def __repr__(self):
        return 'Notify(%r, %r, %r)' % (self.pid, self.channel, self.payload)
