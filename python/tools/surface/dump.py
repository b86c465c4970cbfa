#!/usr/bin/env python3
"""Dump the public surface of the importable psycopg2 as a JSON document.

    python dump.py --dsn 'host=... port=... dbname=...' [--out FILE] [--names-from REF.json]

Runs under the interpreter being measured (CPython 3.11 with psycopg2-binary, GraalPy 3.12 with
ours through bin/pg-python), standard library only, and imports whatever ``psycopg2`` that
interpreter finds. ``compare.py`` compares two documents. The document is::

    {"format": 1, "meta": {...not compared...}, "entries": {KEY: {ASPECT: "text", ...}}}

Every aspect is a string, so that two dumps compare aspect by aspect. The keys:

``psycopg2.extensions`` (a module), ``psycopg2.extensions.connection`` (a name in it),
``psycopg2.extensions.connection.tpc_begin`` (a member of a class),
``psycopg2.extensions.adapters[float, psycopg2.extensions.ISQLQuote]`` (an item of a dict),
``live.connection.autocommit`` (an attribute of a live object made against the server).

What is recorded
----------------
* Modules: the twelve of MODULES, each with every name in ``dir()`` not starting with '_', plus
  the private names of PRIVATE_NAMES, those that code outside the package uses:
  ``__version__`` (Django and SQLAlchemy parse it to choose features) and ``__libpq_version__``
  (documented), in ``psycopg2`` and ``psycopg2._psycopg``; what psycopg2's own test suite
  imports or patches: ``psycopg2._connect`` (what ``connect()`` calls), ``extras._paginate``,
  ``_json._get_json_oids``; and ``__all__`` where a module defines one (it decides
  ``import *``). ``sqlstate_errors`` needs no special case: it is public in
  ``psycopg2._psycopg``. Pool subclasses override or call the private methods of
  ``AbstractConnectionPool`` (``_connect``, ``_getkey``, ``_getconn``, ``_putconn``,
  ``_closeall``): those are recorded as members of the classes of ``psycopg2.pool``.
* Each name's ``kind``: module, class, function or constant.
  - A constant's ``value``: its ``repr`` for None, bools, numbers, strings, bytes and tuples or
    lists of them (sets sorted); ``typecaster NAME (oids)`` for a typecaster (whatever its
    class); ``dict`` for a dict, with one entry per item (``KEY[k]``, items described the same
    way, classes and functions by their name); for any other object its ``repr``, or
    ``<its class>`` when that is the default one (with a memory address).
  - A function of psycopg2's own: its ``signature`` when ``inspect`` can get one (never for C
    functions on CPython: then the comparer does not compare signatures). A function from the
    standard library (``extras.namedtuple``...): its ``value``, ``module.qualname``.
  - A class of psycopg2's own: ``module``, ``qualname``, ``mro`` (the public psycopg2 classes and
    the standard-library classes it derives from: a private base class of an implementation is
    left out), ``signature`` (of the constructor, when inspect can get it), and one entry per
    member: every public name of ``dir(cls)`` and the protocol methods of PROTOCOL, inherited
    ones too (the comparer reports a difference a base class has once, at the base), except
    those that come from the standard library (``object``, ``Exception``, ``dict``...).
    A member's ``kind``: method, classmethod, staticmethod, property (any data descriptor: a
    C member or getset, or a Python property), descriptor, class, or attribute (with its
    ``value``); methods with their ``signature`` when inspect can get it, except the protocol
    methods (``__eq__(self, value, /)`` of a C slot is no API).
  - The same class, function, typecaster or dict under a second name
    (``psycopg2._psycopg.connection`` is ``psycopg2.extensions.connection``): ``alias`` = its
    first name, and nothing else (identity matters for ``isinstance`` and for registering into
    ``extensions.adapters``; and a difference is then reported once). The first name is the
    first in the order of MODULES and of the names in each module; for ours (``--names-from``
    the reference's dump), the first that the reference records in full, so that one more
    export in ours does not rename the object everywhere.
* Live objects (``live.NAME``), made against the server of ``--dsn``: a connection just
  opened, its ``info``, a cursor after a query, ``description[0]`` of it, a named cursor after
  ``execute`` (in a transaction), a Notify (LISTEN/NOTIFY on the same connection), an error
  caught from a unique violation and its ``diag``, ``conn.xid(1, 'g', 'b')`` (``kind`` absent
  when the connection has no ``xid``), ``conn.lobject()`` in a transaction (rolled back).
  Each: ``type``, ``repr`` (normalized as below), and its public attributes: ``kind`` data,
  class or method, and the ``value`` of data (``raises X`` when reading it raises). Methods of
  an object whose class is one of the public classes recorded above are left out (the class
  has them, with their signatures); attributes that come from the standard library too. When
  making an object fails, ``kind`` is ``error`` and ``value`` ``raises ExceptionClass``.

What is normalized or left out (values that differ by nature, not by implementation)
----------------------------------------------------------------------------------
* Memory addresses (`` at 0x...`` in a ``repr``): removed.
* The DSN's host and port, wherever they appear in a live string (``conn.dsn``,
  ``info.host``, ``info.dsn_parameters``, reprs): replaced by ``<host>`` and ``<port>``;
  ``info.port``: ``<port>``.
* Process ids (``info.backend_pid``, ``Notify.pid``), the socket's file descriptor
  (``info.socket``), the large object's OID (``lobject.oid``, given by the server), and the
  addresses of libpq's structures (``pgconn_ptr``, ``pgresult_ptr``): only their type, as
  ``<int>`` (``None`` stays ``None``); also taken out of the object's ``repr``.
* The messages of the exceptions met while dumping (``raises X``): left out, only their class
  is recorded. The server's message in the unique violation's error is kept.
* Not called: methods (no value of ``get_backend_pid()`` and the like); nothing of the
  object's documentation.
The user, database name and server version are kept: both dumps of a run see the same server.
"""
import argparse
import importlib
import inspect
import json
import platform
import re
import sys

FORMAT = 1

MODULES = ['psycopg2', 'psycopg2.extensions', 'psycopg2.extras', 'psycopg2.errors',
           'psycopg2.errorcodes', 'psycopg2.pool', 'psycopg2.sql', 'psycopg2.tz',
           'psycopg2._psycopg', 'psycopg2._json', 'psycopg2._range', 'psycopg2._ipaddress']

# Private names recorded too: see the docstring. '*' applies to every module.
PRIVATE_NAMES = {
    '*': ['__all__'],
    'psycopg2': ['__version__', '__libpq_version__', '_connect'],
    'psycopg2._psycopg': ['__version__', '__libpq_version__', '_connect'],
    'psycopg2.extras': ['_paginate'],
    'psycopg2._json': ['_get_json_oids'],
}
# Private members recorded for the classes of a module (canonical name's module).
PRIVATE_MEMBERS = {
    'psycopg2.pool': ['_connect', '_getkey', '_getconn', '_putconn', '_closeall'],
}
# Protocol methods recorded for classes, when not inherited from the standard library.
PROTOCOL = ['__bool__', '__call__', '__conform__', '__contains__', '__copy__', '__deepcopy__',
            '__delitem__', '__enter__', '__eq__', '__exit__', '__getitem__', '__getstate__',
            '__hash__', '__iter__', '__len__', '__lt__', '__next__', '__reduce__',
            '__setitem__', '__setstate__']

# Modules of the standard library under another name on one of the interpreters.
STDLIB_MODULES = {'_pydatetime': 'datetime', '_datetime': 'datetime', '_pydecimal': 'decimal',
                  '_decimal': 'decimal', '_collections': 'collections',
                  '_functools': 'functools'}

PLAIN = (type(None), bool, int, float, str, bytes)
_ADDRESS = re.compile(r' at 0x[0-9a-fA-F]+')


def strip_addresses(text):
    return _ADDRESS.sub('', text)


def is_plain(value):
    if type(value) in PLAIN:
        return True
    if type(value) in (tuple, list, set, frozenset):
        return all(is_plain(v) for v in value)
    return False


def plain_repr(value):
    """repr() of a plain value, with sets sorted (their order depends on string hashing)."""
    if type(value) in (set, frozenset):
        items = sorted(value, key=lambda v: (type(v).__name__, repr(v)))
        return '%s(%s)' % (type(value).__name__, ', '.join(plain_repr(v) for v in items))
    if type(value) in (tuple, list):
        inner = ', '.join(plain_repr(v) for v in value)
        if type(value) is list:
            return '[%s]' % inner
        return '(%s,)' % inner if len(value) == 1 else '(%s)' % inner
    return repr(value)


def is_typecaster(obj):
    """psycopg2's typecasters, whatever their class: callables with a name and OID values."""
    if isinstance(obj, type) or inspect.isroutine(obj) or not callable(obj):
        return False
    try:
        return isinstance(obj.name, str) and isinstance(obj.values, (tuple, list))
    except Exception:
        return False


def typecaster_desc(obj):
    return 'typecaster %s %s' % (obj.name, plain_repr(obj.values))


def module_of(obj):
    mod = getattr(obj, '__module__', None)
    if not isinstance(mod, str):
        return None
    return STDLIB_MODULES.get(mod, mod)


def is_ours(obj):
    """Whether a class or function belongs to the psycopg2 being dumped (not the stdlib)."""
    mod = module_of(obj)
    return mod is not None and (mod == 'psycopg2' or mod.startswith('psycopg2.'))


def signature_of(obj):
    try:
        return strip_addresses(str(inspect.signature(obj)))
    except Exception:  # C functions on CPython: no signature; the comparer then skips it
        return None


class Scrub:
    """Takes the DSN's host and port out of live strings (see the docstring). The DSN is a
    key=value one (bin/compare-surface passes ``host=... port=...``)."""

    def __init__(self, dsn):
        params = dict(re.findall(r"(\w+)\s*=\s*'?([^\s']*)'?", dsn or ''))
        self.host = params.get('host') or None
        self.port = params.get('port') or None

    def text(self, s):
        if self.host:
            s = s.replace(self.host, '<host>')
        if self.port:
            s = re.sub(r'(?<!\d)%s(?!\d)' % re.escape(self.port), '<port>', s)
        return s


def first_names(paths, preferred=()):
    """{object id: the name its alias entries point to} from {object id: its public names,
    in the order found}: the first name, or the first that `preferred` has."""
    out = {}
    for ident, names in paths.items():
        best = [p for p in names if p in preferred]
        out[ident] = (best or names)[0]
    return out


class Dumper:
    def __init__(self, scrub=None):
        self.entries = {}
        self.index = {}       # id(class, function, typecaster, dict) -> its first name
        self.keepalive = []
        self.scrub = scrub or Scrub('')

    # -- names of things ---------------------------------------------------------------------

    @staticmethod
    def qualified(obj):
        """module.qualname of a class or function ('float' for builtins)."""
        mod = module_of(obj)
        name = getattr(obj, '__qualname__', None) or getattr(obj, '__name__', None)
        if not isinstance(name, str):
            return '<%s>' % Dumper.qualified(type(obj))
        if mod in (None, 'builtins'):
            return name
        return '%s.%s' % (mod, name)

    def raises(self, exc):
        return 'raises ' + self.ref(type(exc))

    def ref(self, obj):
        """How a class or function is named in a value: its first public name when it is
        psycopg2's, else module.qualname."""
        path = self.index.get(id(obj))
        return path if path is not None else self.qualified(obj)

    def value_desc(self, value, module_level=False):
        """A comparable description of any value (see the docstring)."""
        if is_plain(value):
            return plain_repr(value)
        if is_typecaster(value):
            return typecaster_desc(value)
        if isinstance(value, type) or inspect.isroutine(value):
            return self.ref(value)
        if type(value) in (tuple, list):
            inner = [self.value_desc(v) for v in value]
            if type(value) is list:
                return '[%s]' % ', '.join(inner)
            return '(%s,)' % inner[0] if len(inner) == 1 else '(%s)' % ', '.join(inner)
        if isinstance(value, dict):
            return '{%s}' % ', '.join('%s: %s' % (k, self.value_desc(v))
                                      for k, v in self.sorted_items(value))
        try:
            text = repr(value)
        except Exception as e:
            return '<%s, repr %s>' % (self.qualified(type(value)), self.raises(e))
        # Instances of psycopg2's classes in live values: their type only (their repr may
        # carry a DSN or state that the entry of the object itself records).
        if (is_ours(type(value)) and not module_level) or ' object at 0x' in text:
            return '<%s>' % self.ref(type(value))
        return strip_addresses(text)

    def key_desc(self, key):
        if isinstance(key, str):
            return repr(key)
        if type(key) is tuple:
            return ', '.join(self.key_desc(k) for k in key)
        return self.value_desc(key)

    def sorted_items(self, mapping):
        items = []
        for k, v in list(mapping.items()):
            items.append((self.key_desc(k), v))
        items.sort(key=lambda kv: kv[0])
        return items

    # -- entries -----------------------------------------------------------------------------

    def add(self, key, **aspects):
        if key in self.entries:
            print('dump: two entries named %s: keeping the first' % key, file=sys.stderr)
            return
        self.entries[key] = {k: v for k, v in aspects.items() if v is not None}

    def add_dict(self, key, mapping, scrub=False):
        for k, v in self.sorted_items(mapping):
            desc = self.value_desc(v)
            if scrub:
                desc = self.scrub.text(desc)
                k = self.scrub.text(k)
            self.add('%s[%s]' % (key, k), kind='item', value=desc)

    # -- modules -----------------------------------------------------------------------------

    def module_names(self, modname, mod):
        names = {n for n in dir(mod) if not n.startswith('_')}
        for n in PRIVATE_NAMES.get('*', []) + PRIVATE_NAMES.get(modname, []):
            if hasattr(mod, n):
                names.add(n)
        return sorted(names)

    def import_all(self, preferred=()):
        """Import MODULES; index the first public name of every class, function, typecaster
        and dict of ours (see `alias`). With `preferred` (the names of the reference dump's
        entries that are not aliases), the first of an object's names that the reference
        records in full wins: an object that ours exports under one more name is then still
        named as psycopg2 names it."""
        modules = {}
        for modname in MODULES:
            try:
                modules[modname] = importlib.import_module(modname)
            except Exception as e:
                modules[modname] = e
        paths = {}
        for modname in MODULES:
            mod = modules[modname]
            if isinstance(mod, Exception):
                continue
            for name in self.module_names(modname, mod):
                obj = getattr(mod, name, None)
                if self.aliasable(obj):
                    if id(obj) not in paths:
                        self.keepalive.append(obj)
                        paths[id(obj)] = []
                    paths[id(obj)].append('%s.%s' % (modname, name))
        self.index.update(first_names(paths, preferred))
        return modules

    @staticmethod
    def aliasable(obj):
        if isinstance(obj, dict) or is_typecaster(obj):
            return True
        return (isinstance(obj, type) or inspect.isroutine(obj)) and is_ours(obj)

    def dump_modules(self, modules):
        for modname in MODULES:
            mod = modules[modname]
            if isinstance(mod, Exception):
                self.add(modname, kind='error', value=self.raises(mod))
                continue
            self.add(modname, kind='module')
            for name in self.module_names(modname, mod):
                key = '%s.%s' % (modname, name)
                if key in MODULES:      # psycopg2.extensions as an attribute of psycopg2
                    continue
                try:
                    obj = getattr(mod, name)
                except Exception as e:
                    self.add(key, kind='error', value=self.raises(e))
                    continue
                self.dump_name(key, modname, name, obj)

    def dump_name(self, key, modname, name, obj):
        if inspect.ismodule(obj):
            self.add(key, kind='module', value=repr(obj.__name__))
            return
        if isinstance(obj, type):
            kind = 'class'
        elif callable(obj) and not is_typecaster(obj):
            kind = 'function'
        else:
            kind = 'constant'
        if self.aliasable(obj):
            canonical = self.index.get(id(obj))
            if canonical is not None and canonical != key:
                self.add(key, kind=kind, alias=canonical)
                return
        if kind == 'class':
            if is_ours(obj):
                self.dump_class(key, obj)
            else:
                self.add(key, kind=kind, value=self.qualified(obj))
        elif kind == 'function':
            if is_ours(obj) or not inspect.isroutine(obj):
                self.add(key, kind=kind, signature=signature_of(obj))
            else:
                self.add(key, kind=kind, value=self.qualified(obj))
        elif is_typecaster(obj):
            self.add(key, kind=kind, value=typecaster_desc(obj))
        elif isinstance(obj, dict):
            self.add(key, kind=kind, value='dict')
            self.add_dict(key, obj)
        elif name == '__all__' and isinstance(obj, (list, tuple)):
            self.add(key, kind=kind, value=plain_repr(sorted(obj)))
        else:
            self.add(key, kind=kind, value=self.value_desc(obj, module_level=True))

    # -- classes -----------------------------------------------------------------------------

    @staticmethod
    def static_lookup(cls, name):
        """(the class whose __dict__ has name, the raw object there), following the MRO."""
        for c in cls.__mro__:
            d = c.__dict__
            if name in d:
                return c, d[name]
        return None, None

    def public_mro(self, cls):
        out = []
        for c in cls.__mro__[1:]:
            if not is_ours(c) or id(c) in self.index:
                out.append(self.ref(c))
        return ', '.join(out)

    def dump_class(self, key, cls):
        self.add(key, kind='class', module=module_of(cls),
                 qualname=getattr(cls, '__qualname__', None), mro=self.public_mro(cls),
                 signature=signature_of(cls))
        modname = (self.index.get(id(cls)) or key).rsplit('.', 1)[0]
        names = {n for n in dir(cls) if not n.startswith('_')}
        names.update(PROTOCOL)
        names.update(PRIVATE_MEMBERS.get(modname, []))
        for name in sorted(names):
            provider, raw = self.static_lookup(cls, name)
            if provider is None or not is_ours(provider):
                continue
            self.dump_member('%s.%s' % (key, name), cls, name, raw)

    def dump_member(self, key, cls, name, raw):
        # The parameters of a protocol method are the interpreter's business: its signature
        # (CPython's slot wrappers have one) is not recorded.
        sig = (lambda f: None) if name.startswith('__') else signature_of
        if raw is None:
            self.add(key, kind='attribute', value='None')
        elif isinstance(raw, staticmethod):
            self.add(key, kind='staticmethod', signature=sig(getattr(cls, name)))
        elif isinstance(raw, classmethod) or type(raw).__name__ == 'classmethod_descriptor':
            self.add(key, kind='classmethod', signature=sig(getattr(cls, name)))
        elif isinstance(raw, type):
            self.add(key, kind='class', value=self.ref(raw))
        elif hasattr(type(raw), '__set__') or hasattr(type(raw), '__delete__'):
            self.add(key, kind='property')
        elif callable(raw):
            self.add(key, kind='method', signature=sig(raw))
        elif hasattr(type(raw), '__get__'):
            self.add(key, kind='descriptor')
        else:
            self.add(key, kind='attribute', value=self.value_desc(raw, module_level=True))

    # -- live objects ------------------------------------------------------------------------

    @staticmethod
    def is_method_like(raw):
        return (isinstance(raw, (staticmethod, classmethod)) or inspect.isfunction(raw)
                or inspect.ismethoddescriptor(raw) or inspect.isbuiltin(raw))

    def dump_instance(self, key, obj, normalize=()):
        """Attributes of a live object; `normalize` names those recorded by type only."""
        typ = type(obj)
        type_recorded = id(typ) in self.index
        hidden = {}
        for name in normalize:
            try:
                v = getattr(obj, name)
            except Exception:
                continue
            if type(v) is int:
                hidden[name] = v
        try:
            text = strip_addresses(repr(obj))
            for name, v in hidden.items():
                text = re.sub(r'(?<!\d)%d(?!\d)' % v, '<%s>' % name, text)
            text = self.scrub.text(text)
        except Exception as e:
            text = 'repr ' + self.raises(e)
        self.add(key, kind='object', type=self.ref(typ), repr=text)
        try:
            names = sorted(n for n in dir(obj) if not n.startswith('_'))
        except Exception as e:
            self.add(key + '.<dir>', kind='error', value=self.raises(e))
            return
        for name in names:
            provider, raw = self.static_lookup(typ, name)
            if provider is not None:
                if not is_ours(provider):
                    continue
                if type_recorded and self.is_method_like(raw):
                    continue
            akey = '%s.%s' % (key, name)
            try:
                value = getattr(obj, name)
            except Exception as e:
                self.add(akey, kind='data', value=self.raises(e))
                continue
            if name in normalize:
                self.add(akey, kind='data',
                         value='<%s>' % type(value).__name__ if value is not None else 'None')
            elif name == 'port' and self.scrub.port and str(value) == self.scrub.port:
                self.add(akey, kind='data', value='<port>')
            elif isinstance(value, type):
                self.add(akey, kind='class', value=self.ref(value))
            elif callable(value) and not is_typecaster(value):
                self.add(akey, kind='method', signature=signature_of(value))
            elif isinstance(value, dict):
                self.add(akey, kind='data', value='dict')
                self.add_dict(akey, value, scrub=True)
            else:
                self.add(akey, kind='data', value=self.scrub.text(self.value_desc(value)))

    def live(self, name, make, normalize=()):
        """Make one live object and record it, or record why it could not be made."""
        key = 'live.' + name
        try:
            obj = make()
        except Exception as e:
            self.add(key, kind='error', value=self.raises(e))
            return None
        if obj is None:
            return None
        self.dump_instance(key, obj, normalize)
        return obj

    def dump_live(self, psycopg2, dsn):
        try:
            conn = psycopg2.connect(dsn)
        except Exception as e:
            self.add('live.connection', kind='error', value=self.raises(e))
            return
        try:
            self._dump_live(psycopg2, conn)
        finally:
            try:
                conn.close()
            except Exception:
                pass

    def _dump_live(self, psycopg2, conn):
        def rollback():
            try:
                conn.rollback()
            except Exception:
                pass

        self.live('connection', lambda: conn, normalize=('pgconn_ptr',))
        self.live('connection_info', lambda: conn.info,
                  normalize=('backend_pid', 'socket'))

        state = {}

        def cursor():
            cur = conn.cursor()
            # pg_type (OID 1247) and its first column: the same table_oid on every server.
            cur.execute('SELECT typname AS a, 42::int4 AS b FROM pg_catalog.pg_type '
                        'WHERE oid = 23')
            state['cursor'] = cur
            return cur
        self.live('cursor', cursor, normalize=('pgresult_ptr',))
        if 'cursor' in state:
            self.live('column', lambda: state['cursor'].description[0])
        rollback()

        def named_cursor():
            cur = conn.cursor('psycopg2_surface')    # DECLAREd in the transaction it begins
            cur.execute('SELECT generate_series(1, 3) AS n')
            return cur
        self.live('named_cursor', named_cursor, normalize=('pgresult_ptr',))
        rollback()

        def notify():
            conn.autocommit = True
            cur = conn.cursor()
            try:
                cur.execute('LISTEN psycopg2_surface')
                cur.execute("NOTIFY psycopg2_surface, 'payload'")
                if not conn.notifies:
                    conn.poll()
                return conn.notifies[0]
            finally:
                cur.execute('UNLISTEN *')
                conn.autocommit = False
        self.live('notify', notify, normalize=('pid',))
        rollback()

        def error():
            cur = conn.cursor()
            # Rolled back below: the table never outlives the transaction.
            cur.execute('CREATE TABLE psycopg2_surface (id int4 CONSTRAINT psycopg2_surface_pk '
                        'PRIMARY KEY)')
            cur.execute('INSERT INTO psycopg2_surface VALUES (1)')
            try:
                cur.execute('INSERT INTO psycopg2_surface VALUES (1)')
            except psycopg2.Error as e:
                state['error'] = e
                return e
            raise AssertionError('the duplicate key was accepted')
        self.live('error', error)
        if 'error' in state:
            self.live('diagnostics', lambda: state['error'].diag)
        rollback()

        if hasattr(conn, 'xid'):
            self.live('xid', lambda: conn.xid(1, 'g', 'b'))
        else:
            self.add('live.xid', kind='absent')

        def lobject():
            lo = conn.lobject()
            state['lobject'] = lo
            return lo
        self.live('lobject', lobject, normalize=('oid',))
        if 'lobject' in state:
            try:
                state['lobject'].close()
            except Exception:
                pass
        rollback()


def preferred_names(path):
    """The keys of a reference dump recorded in full (not as an alias): see import_all."""
    with open(path, encoding='utf-8') as f:
        entries = json.load(f)['entries']
    return {k for k, v in entries.items() if 'alias' not in v}


def dump(dsn, with_live=True, names_from=None):
    d = Dumper(Scrub(dsn))
    modules = d.import_all(preferred_names(names_from) if names_from else ())
    d.dump_modules(modules)
    psycopg2 = modules.get('psycopg2')
    if with_live and not isinstance(psycopg2, Exception):
        d.dump_live(psycopg2, dsn)
    meta = {
        'implementation': sys.implementation.name,
        'python': platform.python_version(),
        'psycopg2_file': getattr(psycopg2, '__file__', None),
        'psycopg2_version': getattr(psycopg2, '__version__', None),
    }
    return {'format': FORMAT, 'meta': meta, 'entries': d.entries}


def main(argv=None):
    ap = argparse.ArgumentParser(description='Dump the public surface of psycopg2 as JSON.')
    ap.add_argument('--dsn', required=True, help='where the live objects are made')
    ap.add_argument('--out', help='file to write (default: standard output)')
    ap.add_argument('--no-live', action='store_true', help='the modules only, no server')
    ap.add_argument('--names-from', metavar='DUMP',
                    help="the reference's dump: name shared objects as it does (see import_all)")
    args = ap.parse_args(argv)
    doc = dump(args.dsn, with_live=not args.no_live, names_from=args.names_from)
    text = json.dumps(doc, indent=1, sort_keys=True) + '\n'
    if args.out:
        with open(args.out, 'w', encoding='utf-8') as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
