# -*- coding: utf-8 -*-
"""Adaptation machinery: Python objects to SQL literals, with psycopg2's protocol.

``adapt(obj)`` returns an object whose ``getquoted()`` gives the literal as bytes in the
connection's encoding. The query builder (query.py) calls ``quote(obj, conn)``, which goes
straight to the bytes for a built-in type whose adapter the user has not replaced. The adapters
themselves live with their type family in ``types/``; ``types.register_defaults()`` registers
the built-in ones. Literals are bytes from the start: strings are escaped after encoding (see
escaping.py).
"""
from .exceptions import ProgrammingError
from .members import readonly


class ISQLQuote(object):
    """The adaptation protocol object (psycopg2.extensions.ISQLQuote)."""

    def __init__(self, wrapped):
        self._wrapped = wrapped

    def getquoted(self):
        raise NotImplementedError

    def getbinary(self):
        raise NotImplementedError

    def getbuffer(self):
        raise NotImplementedError


# psycopg2.extensions.adapters: (type, protocol) → adapter factory.
adapters = {}


def register_adapter(typ, callable):
    """Use ``callable(obj)`` to adapt objects of type ``typ``."""
    adapters[(typ, ISQLQuote)] = callable


# The built-in adapters' shortcuts: type → (adapter factory, literal(obj, conn) → bytes). quote()
# takes the shortcut while the type's registered adapter is still that factory.
_literals = {}


def register_builtin_adapter(typ, factory, literal=None):
    """Register a built-in adapter; ``literal``: the function that gives the same bytes as
    ``factory(obj)`` prepared for ``conn`` would, without building the adapter object."""
    register_adapter(typ, factory)
    if literal is not None:
        _literals[typ] = (factory, literal)


def adapt(obj, proto=ISQLQuote, alt=None):
    """Return the adapter of ``obj`` for ``proto`` (psycopg2's lookup order)."""
    typ = type(obj)
    factory = adapters.get((typ, proto))
    if factory is not None:
        return factory(obj)
    # Then the protocol's __adapt__ and the object's __conform__ (a TypeError in either counts
    # as "no answer"): before the registered bases, so a subclass of a registered type (a
    # tuple, say) that conforms is its own adapter.
    adapted = _ask(proto, '__adapt__', obj) if proto is not ISQLQuote else None
    if adapted is None:
        adapted = _ask(obj, '__conform__', proto)
    if adapted is not None:
        return adapted
    # Last, a subclass of a registered type uses its nearest registered base.
    for base in typ.__mro__[1:]:
        factory = adapters.get((base, proto))
        if factory is not None:
            return factory(obj)
    # psycopg2 2.9 accepts `alt` but never returns it.
    raise ProgrammingError("can't adapt type '%s'" % typ.__name__)


def _ask(target, name, arg):
    """target.name(arg), None when target has no such method or it raises TypeError."""
    method = getattr(target, name, None)
    if method is None:
        return None
    try:
        return method(arg)
    except TypeError:
        return None


def prepared(adapter, conn):
    """The adapter, prepared for ``conn`` when it wants to be (and there is one)."""
    prepare = getattr(adapter, 'prepare', None)
    if prepare is not None and conn is not None:
        prepare(conn)
    return adapter


def adapter_quoted(obj, conn):
    """What ``obj``'s adapter, prepared for ``conn``, quotes it as: the bytes of a value
    inside a composite literal (array, range bound, hstore key)."""
    return prepared(adapt(obj), conn).getquoted()


def encoding_of(conn):
    """The Python codec literals are encoded with: the connection's, UTF-8 without one."""
    return conn._py_encoding if conn is not None else 'utf8'


def quote(obj, conn):
    """The SQL literal for ``obj`` as bytes in the connection's encoding (the query builder's
    entry point)."""
    if obj is None:
        return b'NULL'
    typ = type(obj)
    shortcut = _literals.get(typ)
    if shortcut is not None and adapters.get((typ, ISQLQuote)) is shortcut[0]:
        return shortcut[1](obj, conn)
    quoted = prepared(adapt(obj), conn).getquoted()
    if isinstance(quoted, bytes):
        return quoted
    # psycopg2 takes a str from getquoted() too, in the connection's encoding.
    return str(quoted).encode(encoding_of(conn))


class CoreAdapter(object):
    """What psycopg2's C adapter types share (AsIs, Boolean, Int, Float, Decimal, List,
    QuotedString, Binary): the wrapped object as the read-only member ``adapted`` (see
    members.py), conforming to ISQLQuote, and str() as the literal. A private base: psycopg2's
    types derive from object alone."""

    _adapted = None
    adapted = readonly('adapted', "The object to adapt.")

    def __init__(self, obj):
        self._adapted = obj

    def __conform__(self, proto):
        if proto is ISQLQuote:
            return self

    def __str__(self):
        return self.getquoted().decode('utf8')


class PreparedAdapter(CoreAdapter):
    """A core adapter that quotes by the connection it is prepared for (its encoding,
    standard_conforming_strings): QuotedString, Binary, List."""

    _conn = None

    def prepare(self, conn):
        self._conn = conn


class AsIs(CoreAdapter):
    """The object's str() as the literal: numbers, keywords."""

    def getquoted(self):
        obj = self._adapted
        if obj is None:
            return b'NULL'
        return str(obj).encode('utf8')


class Adapter(object):
    """What the adapters psycopg2 writes in Python share (Json, the range adapters): the wrapped
    object as the plain attribute ``adapted``, prepare(), and conforming to ISQLQuote."""

    def __init__(self, adapted):
        self.adapted = adapted
        self._conn = None

    def prepare(self, conn):
        self._conn = conn

    def __conform__(self, proto):
        if proto is ISQLQuote:
            return self


class NoneAdapter(object):
    """Adapts None to NULL (psycopg2.extensions.NoneAdapter; adapt(None) gives it)."""

    __module__ = 'psycopg2.extensions'

    def __init__(self, obj):
        pass

    def getquoted(self, _null=b"NULL"):
        return _null


# The names psycopg2's C types have, which reprs and type() show.
ISQLQuote.__module__ = AsIs.__module__ = 'psycopg2.extensions'
