"""psycopg2.sql: composing SQL statements from literal parts, identifiers and values."""
import string

from ._impl.compat import string_types as _string_types
from psycopg2 import extensions as ext

_formatter = string.Formatter()


class Composable(object):
    """Something that renders to a piece of SQL for a connection or cursor (``context``)."""

    def __init__(self, wrapped):
        self._wrapped = wrapped

    def __repr__(self):
        return "%s(%r)" % (self.__class__.__name__, self._wrapped)

    def as_string(self, context):
        raise NotImplementedError

    def __add__(self, other):
        if isinstance(other, Composed):
            return Composed([self]) + other
        if isinstance(other, Composable):
            return Composed([self]) + Composed([other])
        return NotImplemented

    def __mul__(self, n):
        return Composed([self] * n)

    def __eq__(self, other):
        return type(self) is type(other) and self._wrapped == other._wrapped

    def __ne__(self, other):
        return not self.__eq__(other)


class Composed(Composable):
    """A sequence of Composable, rendered one after the other."""

    def __init__(self, seq):
        wrapped = []
        for item in seq:
            if not isinstance(item, Composable):
                raise TypeError("Composed elements must be Composable, got %r instead" % item)
            wrapped.append(item)
        super(Composed, self).__init__(wrapped)

    @property
    def seq(self):
        return list(self._wrapped)

    def as_string(self, context):
        return ''.join(item.as_string(context) for item in self._wrapped)

    def __iter__(self):
        return iter(self._wrapped)

    def __add__(self, other):
        if isinstance(other, Composed):
            return Composed(self._wrapped + other._wrapped)
        if isinstance(other, Composable):
            return Composed(self._wrapped + [other])
        return NotImplemented

    def join(self, joiner):
        """The items with ``joiner`` (a str or SQL) between them."""
        if isinstance(joiner, _string_types):
            joiner = SQL(joiner)
        elif not isinstance(joiner, SQL):
            raise TypeError("Composed.join() argument must be a string or an SQL")
        return joiner.join(self)


class SQL(Composable):
    """A piece of SQL taken as it is (no quoting): keywords, operators, placeholders."""

    def __init__(self, string):
        if not isinstance(string, _string_types):
            raise TypeError("SQL values must be strings")
        super(SQL, self).__init__(string)

    @property
    def string(self):
        return self._wrapped

    def as_string(self, context):
        return self._wrapped

    def format(self, *args, **kwargs):
        """Fill ``{}``, ``{0}`` and ``{name}`` with Composable objects (``{{`` is a brace)."""
        parts = []
        auto_index = 0
        for literal, field, spec, conversion in _formatter.parse(self._wrapped):
            if spec:
                raise ValueError("no format specification supported by SQL")
            if conversion:
                raise ValueError("no format conversion supported by SQL")
            if literal:
                parts.append(SQL(literal))
            if field is None:
                continue
            if field.isdigit():
                if auto_index:
                    raise ValueError("cannot switch from automatic field numbering to manual")
                parts.append(args[int(field)])
                auto_index = None
            elif not field:
                if auto_index is None:
                    raise ValueError("cannot switch from manual field numbering to automatic")
                parts.append(args[auto_index])
                auto_index += 1
            else:
                parts.append(kwargs[field])
        return Composed(parts)

    def join(self, seq):
        """The items of ``seq`` with this SQL between them, as a Composed."""
        parts = []
        for item in seq:
            if parts:
                parts.append(self)
            parts.append(item)
        return Composed(parts)


class Identifier(Composable):
    """A quoted identifier; several strings make a qualified name (schema.table)."""

    def __init__(self, *strings):
        if not strings:
            raise TypeError("Identifier cannot be empty")
        for s in strings:
            if not isinstance(s, _string_types):
                raise TypeError("SQL identifier parts must be strings")
        super(Identifier, self).__init__(strings)

    @property
    def strings(self):
        return self._wrapped

    @property
    def string(self):
        if len(self._wrapped) == 1:
            return self._wrapped[0]
        raise AttributeError("the Identifier wraps more than one than one string")

    def __repr__(self):
        return "%s(%s)" % (self.__class__.__name__, ', '.join(map(repr, self._wrapped)))

    def as_string(self, context):
        return '.'.join(ext.quote_ident(s, context) for s in self._wrapped)


class Literal(Composable):
    """A Python value, rendered as its SQL literal by the adaptation machinery."""

    @property
    def wrapped(self):
        return self._wrapped

    def as_string(self, context):
        if isinstance(context, ext.connection):
            conn = context
        elif isinstance(context, ext.cursor):
            conn = context.connection
        else:
            raise TypeError("context must be a connection or a cursor")
        adapted = ext.adapt(self._wrapped)
        if hasattr(adapted, 'prepare'):
            adapted.prepare(conn)
        quoted = adapted.getquoted()
        if isinstance(quoted, bytes):
            quoted = quoted.decode(ext.encodings[conn.encoding])
        return quoted


class Placeholder(Composable):
    """A query parameter placeholder: ``%s``, or ``%(name)s`` when named."""

    def __init__(self, name=None):
        if isinstance(name, _string_types):
            if ')' in name:
                raise ValueError("invalid name: %r" % name)
        elif name is not None:
            raise TypeError("expected string or None as name, got %r" % name)
        super(Placeholder, self).__init__(name)

    @property
    def name(self):
        return self._wrapped

    def __repr__(self):
        if self._wrapped is None:
            return "%s()" % self.__class__.__name__
        return "%s(%r)" % (self.__class__.__name__, self._wrapped)

    def as_string(self, context):
        if self._wrapped is not None:
            return "%%(%s)s" % self._wrapped
        return "%s"


NULL = SQL("NULL")
DEFAULT = SQL("DEFAULT")
