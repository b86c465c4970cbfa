# -*- coding: utf-8 -*-
"""Row makers: the rows of psycopg2.extras' dict and namedtuple cursors.

A row class may have a ``_from_values(cursor, values)`` class method: the cursor then builds
each row with it in one call, instead of ``row = factory(cursor)`` and ``row[i] = value`` per
column as psycopg2's row_factory protocol does (fill_row()).
"""
import re as _re
from collections import OrderedDict

from .compat import PY2, integer_types, namedtuple
from .cursor import cursor as cursor_class


def fill_row(factory, cursor, values):
    """A row as a cursor builds it with a row_factory: ``factory(cursor)``, then each
    value set by position."""
    row = factory(cursor)
    for position, value in enumerate(values):
        row[position] = value
    return row


_POSITIONS = integer_types + (slice,)     # a DictRow's items by position, not name


class DictRow(list):
    """A row of DictCursor: a list whose items can also be read and set by column name."""

    __slots__ = ('_index',)

    def __init__(self, cursor):
        self._index = cursor.index
        self[:] = [None] * len(cursor.description)

    @classmethod
    def _from_values(cls, cursor, values):
        """The row of *values*, built in one go (what ``row = DictRow(cursor)`` and then
        ``row[i] = value`` per column give, much faster here); a cursor may use it."""
        if cls is not DictRow:
            return fill_row(cls, cursor, values)      # a subclass: its own methods
        row = list.__new__(cls)
        list.__init__(row, values)
        row._index = cursor.index
        return row

    def __getitem__(self, x):
        if not isinstance(x, _POSITIONS):
            x = self._index[x]
        return super(DictRow, self).__getitem__(x)

    def __setitem__(self, x, v):
        if not isinstance(x, _POSITIONS):
            x = self._index[x]
        super(DictRow, self).__setitem__(x, v)

    def items(self):
        get = super(DictRow, self).__getitem__
        return ((name, get(position)) for name, position in self._index.items())

    def keys(self):
        return iter(self._index)

    def values(self):
        get = super(DictRow, self).__getitem__
        return (get(position) for position in self._index.values())

    if PY2:
        # psycopg2 2.8's mapping methods on Python 2: keys() and items() lists, values() a
        # tuple, and their iterators.
        iterkeys, itervalues, iteritems = keys, values, items

        def keys(self):
            return list(self.iterkeys())

        def values(self):
            return tuple(self.itervalues())

        def items(self):
            return list(self.iteritems())

        def has_key(self, x):
            return x in self._index

    def get(self, x, default=None):
        try:
            return self[x]
        except Exception:
            return default

    def copy(self):
        return OrderedDict(self.items())

    def __contains__(self, x):
        # As a mapping: the column names.
        return x in self._index

    def __reduce__(self):
        # Pickle and copy as a list with extra state (psycopg2 ticket #1073).
        return super(DictRow, self).__reduce__()

    def __getstate__(self):
        return self[:], self._index.copy()

    def __setstate__(self, data):
        self[:] = data[0]
        self._index = data[1]


class RealDictRow(OrderedDict):
    """A row of RealDictCursor: an OrderedDict of column name → value.

    Built by the cursor as ``RealDictRow(cursor)`` and then ``row[position] = value`` for
    each column in turn: until the last column is set, positions are mapped to names.
    """

    def __init__(self, *args, **kwargs):
        cursor = None
        if args and isinstance(args[0], cursor_class):
            cursor, args = args[0], args[1:]
        super(RealDictRow, self).__init__(*args, **kwargs)
        if cursor is not None:
            if cursor.description and not cursor.column_mapping:
                cursor._build_index()       # a named cursor: description known just now
            if cursor.column_mapping:
                self.__dict__['_pending_columns'] = cursor.column_mapping

    @classmethod
    def _from_values(cls, cursor, values):
        """The row of *values*, built in one go (as DictRow._from_values())."""
        if cls is not RealDictRow:
            return fill_row(cls, cursor, values)
        if cursor.description and not cursor.column_mapping:
            cursor._build_index()
        row = cls()
        setitem = OrderedDict.__setitem__
        for name, value in zip(cursor.column_mapping, values):
            setitem(row, name, value)
        return row

    def __setitem__(self, key, value):
        columns = self.__dict__.get('_pending_columns')
        if columns is None:
            super(RealDictRow, self).__setitem__(key, value)
            return
        super(RealDictRow, self).__setitem__(columns[key], value)
        if key == len(columns) - 1:
            del self.__dict__['_pending_columns']


# The ASCII punctuation, which can't be in a Python identifier (namedtuple field names).
_re_clean = _re.compile('[' + _re.escape(' !"#$%&\'()*+,-./:;<=>?@[\\]^`{|}~') + ']')


def record_class(names):
    """The namedtuple class ``Record`` of NamedTupleCursor's rows for these column names,
    made identifiers: punctuation becomes ``_``, and a name starting with ``_`` or a digit
    is prefixed with ``f`` (``"?column?"`` → ``f_column_``)."""
    fields = []
    for name in names:
        name = _re_clean.sub('_', name)
        # A field can't start with a digit (not an identifier) nor with '_' (namedtuple).
        if name[0] == '_' or '0' <= name[0] <= '9':
            name = 'f' + name
        fields.append(name)
    return namedtuple('Record', fields, module='psycopg2.extras')


DictRow.__module__ = RealDictRow.__module__ = 'psycopg2.extras'
