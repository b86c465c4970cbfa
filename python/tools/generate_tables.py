#!/usr/bin/env python3
"""Generate psycopg2's data tables: errorcodes.py, _impl/errors.py and _impl/oids.py.

Run from anywhere with CPython 3 (standard library only):

    eval "$(bin/test-postgres env)"      # the PG* variables of a PostgreSQL server
    python3 python/tools/generate_tables.py

Sources:

* SQLSTATE codes come from PostgreSQL's ``errcodes.txt`` files, read in the order
  given with ``--errcodes`` (repeatable); a later file overrides the names of an
  earlier one and adds its codes, so the result is the union of the versions read,
  as psycopg2 2.9.13 is (it was built from PostgreSQL 11 to 18).  By default:
  ``/usr/share/postgresql/15/errcodes.txt`` (the installed server's) and then
  ``python/tools/errcodes.txt``, which is ``src/backend/utils/errcodes.txt`` of the
  postgres/postgres repository at commit 51efe38cb92f4b15b68811bcce9ab878fbc71ea5
  (PostgreSQL 17 development: it adds 25P04 transaction_timeout and no longer has
  class 72, snapshot_too_old, which PostgreSQL 15 still lists), and then
  ``python/tools/errcodes-pg18.txt``: the codes PostgreSQL 18 adds (class 10, XQuery
  Error, and 58P03), which psycopg2 2.9.13 has.
* Type OIDs come from ``pg_type`` of the server the PG* environment variables
  point at, read with ``psql -X -A -t``.

``--no-oids`` skips the server and leaves ``_impl/oids.py`` alone.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PACKAGE = os.path.join(REPO, 'python', 'src', 'main', 'python', 'psycopg2')
DEFAULT_ERRCODES = ['/usr/share/postgresql/15/errcodes.txt',
                    os.path.join(HERE, 'errcodes.txt'),
                    os.path.join(HERE, 'errcodes-pg18.txt')]
SCRIPT = 'python/tools/generate_tables.py'

# psycopg2.errorcodes also keeps a name PostgreSQL once had but no errcodes.txt of a
# supported version lists any more (it was probably never raised).
HISTORIC_ERRORCODES = {'22020': 'INVALID_LIMIT_VALUE'}

# The DB-API class an SQLSTATE's exception derives from, as psycopg2 picks it: a
# whole code first, then its two-character class, then its first character alone;
# DatabaseError when nothing matches.
BASE_RULES = [
    ('57014', 'QueryCanceledError'),
    ('08', 'OperationalError'),          # Connection Exception
    ('0A', 'NotSupportedError'),         # Feature Not Supported
    ('20', 'ProgrammingError'),          # Case Not Found
    ('21', 'ProgrammingError'),          # Cardinality Violation
    ('22', 'DataError'),                 # Data Exception
    ('23', 'IntegrityError'),            # Integrity Constraint Violation
    ('24', 'InternalError'),             # Invalid Cursor State
    ('25', 'InternalError'),             # Invalid Transaction State
    ('26', 'OperationalError'),          # Invalid SQL Statement Name
    ('27', 'OperationalError'),          # Triggered Data Change Violation
    ('28', 'OperationalError'),          # Invalid Authorization Specification
    ('2B', 'InternalError'),             # Dependent Privilege Descriptors Still Exist
    ('2D', 'InternalError'),             # Invalid Transaction Termination
    ('2F', 'InternalError'),             # SQL Routine Exception
    ('34', 'OperationalError'),          # Invalid Cursor Name
    ('38', 'InternalError'),             # External Routine Exception
    ('39', 'InternalError'),             # External Routine Invocation Exception
    ('3B', 'InternalError'),             # Savepoint Exception
    ('3D', 'ProgrammingError'),          # Invalid Catalog Name
    ('3F', 'ProgrammingError'),          # Invalid Schema Name
    ('40', 'TransactionRollbackError'),  # Transaction Rollback
    ('42', 'ProgrammingError'),          # Syntax Error or Access Rule Violation
    ('44', 'ProgrammingError'),          # WITH CHECK OPTION Violation
    ('5', 'OperationalError'),           # 53, 54, 55, 57, 58: resources, limits, state...
    ('F', 'InternalError'),              # F0 - Configuration File Error
    ('H', 'OperationalError'),           # HV - Foreign Data Wrapper Error
    ('P', 'InternalError'),              # P0 - PL/pgSQL Error
    ('X', 'InternalError'),              # XX - Internal Error
]

# The exception classes psycopg2.errors re-exports from the DB-API hierarchy.
DBAPI_CLASSES = ['Error', 'Warning', 'InterfaceError', 'DatabaseError', 'DataError',
                 'OperationalError', 'IntegrityError', 'InternalError',
                 'ProgrammingError', 'NotSupportedError', 'QueryCanceledError',
                 'TransactionRollbackError']

# Classes whose codes psycopg2.errors has no exception for: they are not errors.
NOT_ERROR_CLASSES = ('00', '01')

SECTION_RE = re.compile(r'Section:\s+(Class\s+(\S\S)\s+-\s+.+)$')
CODE_RE = re.compile(r'([0-9A-Z]{5})\s+[EWS]\s+ERRCODE_\S+(?:\s+(\S+))?$')


def base_for_sqlstate(code):
    """The name of the DB-API class psycopg2 derives *code*'s exception from."""
    rules = dict(BASE_RULES)
    for key in (code, code[:2], code[:1]):
        if key in rules:
            return rules[key]
    return 'DatabaseError'


def read_errcodes(path):
    """Read one errcodes.txt: ({class code: label}, {sqlstate: condition name})."""
    classes = {}
    codes = {}
    current = None
    with open(path, encoding='ascii') as f:
        for number, raw in enumerate(f, 1):
            line = raw.split('#', 1)[0].strip()
            if not line:
                continue
            m = SECTION_RE.match(line)
            if m:
                label, current = m.groups()
                classes[current] = label
                continue
            m = CODE_RE.match(line)
            if m:
                code, condition = m.groups()
                # A line without a condition name is a C alias only: nothing public.
                if not condition:
                    continue
                if code[:2] != current:
                    raise ValueError('%s:%d: %s is outside its section' % (path, number, code))
                codes[code] = condition.upper()
                continue
            raise ValueError('%s:%d: unexpected line: %r' % (path, number, raw))
    return classes, codes


def merge_errcodes(paths):
    classes = {}
    codes = {}
    for path in paths:
        c, e = read_errcodes(path)
        classes.update(c)
        codes.update(e)
    return classes, codes


def class_constant(label):
    """'Class 02 - No Data (this is ...)' -> 'CLASS_NO_DATA'."""
    title = label.split(' - ', 1)[1].split('(', 1)[0].strip()
    return 'CLASS_' + re.sub(r'[^0-9A-Za-z]+', '_', title).strip('_').upper()


def by_class(codes):
    """[(class code, [sqlstate, ...])] in psycopg2's order: both sorted."""
    groups = {}
    for code in codes:
        groups.setdefault(code[:2], []).append(code)
    return [(cls, sorted(groups[cls])) for cls in sorted(groups)]


def errorcodes_names(codes):
    """{sqlstate: constant name}.  When two codes share a condition name the later
    (by code) keeps it and each earlier one gets a trailing underscore, which
    lookup() strips again."""
    owners = {}
    for code in sorted(codes):
        owners.setdefault(codes[code], []).append(code)
    names = {}
    for name, owned in owners.items():
        if len(owned) > 2:
            raise ValueError('%s names more than two codes: %s' % (name, owned))
        for code in owned[:-1]:
            names[code] = name + '_'
        names[owned[-1]] = name
    return names


def errors_names(codes):
    """{sqlstate: exception class name}: the condition name in CamelCase; a name
    already taken by an earlier code gets 'Ext', one of a DB-API class gets '_'."""
    names = {}
    taken = set(DBAPI_CLASSES)
    for _cls, members in by_class(codes):
        for code in members:
            name = ''.join(word.capitalize() for word in codes[code].split('_'))
            if name in DBAPI_CLASSES:
                name += '_'
            elif name in taken:
                name += 'Ext'
            if name in taken:
                raise ValueError('exception name %s used twice' % name)
            taken.add(name)
            names[code] = name
    return names


def header(sources):
    return '# Generated by %s from %s; do not edit.' % (SCRIPT, sources)


def render_errorcodes(classes, codes, sources):
    all_codes = dict(HISTORIC_ERRORCODES)
    all_codes.update(codes)
    names = errorcodes_names(all_codes)
    out = [header(sources),
           '"""Symbolic names of PostgreSQL error codes and error classes."""',
           '',
           '',
           '# Set once lookup() has filled its cache: not the cache itself, which a thread may',
           '# see half filled where threads run at once (Jython).',
           '_filled = []',
           '',
           '',
           'def lookup(code, _cache={}):',
           '    """Return the symbolic name of an error code or of a class code.',
           '',
           '    Raise `KeyError` if the code is not known.',
           '    """',
           '    if not _filled:',
           '        # Built on first use from the constants below; a trailing underscore',
           '        # only tells apart two codes that PostgreSQL gives the same name.',
           '        reverse = {}',
           '        for name, value in globals().items():',
           "            if name[:1] != '_' and isinstance(value, str) and len(value) in (2, 5):",
           "                reverse[value] = name.rstrip('_')",
           '        _cache.update(reverse)',
           '        _filled.append(True)',
           '    return _cache[code]',
           '',
           '',
           '# Error classes']
    for cls in sorted(classes):
        out.append('%s = %r' % (class_constant(classes[cls]), cls))
    for cls, members in by_class(all_codes):
        out.append('')
        out.append('# %s' % classes[cls])
        for code in members:
            out.append('%s = %r' % (names[code], code))
    return '\n'.join(out) + '\n'


def render_errors(classes, codes, sources):
    codes = {code: name for code, name in codes.items() if code[:2] not in NOT_ERROR_CLASSES}
    names = errors_names(codes)
    out = [header(sources),
           '"""Exception classes for the SQLSTATE codes of PostgreSQL errors."""',
           '',
           'from .exceptions import (  # noqa: F401 - psycopg2.errors exports them',
           ]
    for name in DBAPI_CLASSES:
        out.append('    %s,' % name)
    out += [')',
            '',
            '',
            'def lookup(code):',
            '    """Return the exception class of an SQLSTATE error code.',
            '',
            '    Raise `KeyError` if the code is not known.',
            '    """',
            '    return _by_sqlstate[code]',
            '',
            '',
            'def _for_sqlstate(code):',
            '    """The class to raise for a server error with SQLSTATE *code*: its own class',
            '    if there is one, else the DB-API class of its error class, else DatabaseError."""',
            '    if not code or not isinstance(code, str):',
            '        return DatabaseError',
            '    cls = _by_sqlstate.get(code)',
            '    if cls is not None:',
            '        return cls',
            '    for key in (code, code[:2], code[:1]):',
            '        base = _base_by_prefix.get(key)',
            '        if base is not None:',
            '            return base',
            '    return DatabaseError',
            '',
            '',
            '# The DB-API class by whole SQLSTATE, class code or first character.',
            '_base_by_prefix = {']
    for key, base in BASE_RULES:
        out.append('    %r: %s,' % (key, base))
    out.append('}')
    for cls, members in by_class(codes):
        out.append('')
        out.append('')
        out.append('# %s' % classes[cls])
        for code in members:
            out += ['', 'class %s(%s):' % (names[code], base_for_sqlstate(code)),
                    '    pass']
    out += ['', '', '_by_sqlstate = {']
    for cls, members in by_class(codes):
        for code in members:
            out.append('    %r: %s,' % (code, names[code]))
    out += ['}',
            '',
            '# Shown (repr, pickle) as the module users import them from.',
            'for _cls in _by_sqlstate.values():',
            "    _cls.__module__ = 'psycopg2.errors'",
            'del _cls']
    return '\n'.join(out) + '\n'


OID_QUERY = """\
SELECT t.oid, t.typname, t.typarray
FROM pg_catalog.pg_type t
LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem
WHERE t.oid < 10000
  AND t.typnamespace = 'pg_catalog'::pg_catalog.regnamespace
  AND t.typtype IN ('b', 'p', 'r', 'm', 'e')
  AND (e.oid IS NULL OR e.typtype <> 'c')
ORDER BY t.oid"""


def psql(query):
    cmd = ['psql', '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-F', '|', '-c', query]
    result = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, universal_newlines=True)
    return [line for line in result.stdout.splitlines() if line]


def read_types():
    """([(oid, name)] ordered by oid, {element oid: array oid}, server major version)."""
    version = int(psql('SHOW server_version_num')[0]) // 10000
    types = []
    arrays = {}
    for line in psql(OID_QUERY):
        oid, name, array = line.split('|')
        types.append((int(oid), name))
        if int(array):
            arrays[int(oid)] = int(array)
    kept = {oid for oid, _name in types}
    arrays = {elem: arr for elem, arr in arrays.items() if arr in kept}
    return types, arrays, version


def render_oids(types, arrays, version):
    out = [header('pg_catalog.pg_type of PostgreSQL %d (builtin base, pseudo, range, '
                  'multirange and enum types and their arrays)' % version),
           '"""OIDs of PostgreSQL\'s builtin types."""',
           '',
           '# Type name -> OID, by OID.',
           'TYPE_OIDS = {']
    for oid, name in types:
        out.append('    %r: %d,' % (name, oid))
    out += ['}',
            '',
            '# OID -> type name.',
            'TYPE_NAMES = {oid: name for name, oid in TYPE_OIDS.items()}',
            '',
            '# Element type OID -> its array type OID.',
            'ARRAY_OIDS = {']
    for elem in sorted(arrays):
        out.append('    %d: %d,  # %s' % (elem, arrays[elem], dict(types)[elem]))
    out += ['}',
            '',
            '# Array type OID -> its element type OID.',
            'ELEMENT_OIDS = {array: elem for elem, array in ARRAY_OIDS.items()}']
    return '\n'.join(out) + '\n'


def write(path, text):
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write(text)
    print('wrote %s' % os.path.relpath(path, REPO))


def relative(path):
    path = os.path.abspath(path)
    return os.path.relpath(path, REPO) if path.startswith(REPO + os.sep) else path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--errcodes', metavar='PATH', action='append',
                        help='an errcodes.txt, older versions first; repeatable '
                             '(default: %s)' % ', '.join(relative(p) for p in DEFAULT_ERRCODES))
    parser.add_argument('--no-oids', action='store_true',
                        help="don't query the server; leave _impl/oids.py as it is")
    parser.add_argument('--output', metavar='DIR', default=PACKAGE,
                        help='the psycopg2 package directory (default: %(default)s)')
    args = parser.parse_args(argv)

    paths = args.errcodes or DEFAULT_ERRCODES
    classes, codes = merge_errcodes(paths)
    sources = ', '.join(relative(p) for p in paths)
    write(os.path.join(args.output, 'errorcodes.py'), render_errorcodes(classes, codes, sources))
    write(os.path.join(args.output, '_impl', 'errors.py'), render_errors(classes, codes, sources))
    if not args.no_oids:
        types, arrays, version = read_types()
        write(os.path.join(args.output, '_impl', 'oids.py'), render_oids(types, arrays, version))
    return 0


if __name__ == '__main__':
    sys.exit(main())
