#!/usr/bin/env python3
"""Compare our generated errorcodes/errors modules with a real psycopg2's.

    pip install --target /tmp/realpsycopg2 psycopg2-binary==2.9.10
    python3 python/tools/compare_with_psycopg2.py --real /tmp/realpsycopg2

Each package is imported in its own CPython process (both are named psycopg2).
Ours is loaded without running psycopg2/__init__.py, so it works whatever state
that file is in.  Prints every difference and exits 1 if there is any.
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OURS = os.path.join(os.path.dirname(HERE), 'src', 'main', 'python')

# Run in the child process: print a JSON summary of psycopg2.errorcodes/errors.
DUMP = r'''
import importlib, importlib.util, json, sys, types
root, ours = sys.argv[1], sys.argv[2] == 'ours'
if ours:
    # A bare package object, so that the submodules load without __init__.py.
    pkg = types.ModuleType('psycopg2')
    pkg.__path__ = [root + '/psycopg2']
    sys.modules['psycopg2'] = pkg
else:
    sys.path.insert(0, root)
    import psycopg2, psycopg2.extensions
ec = importlib.import_module('psycopg2.errorcodes')
er = importlib.import_module('psycopg2.errors')
if ours:
    codes = er._by_sqlstate
else:
    from psycopg2._psycopg import sqlstate_errors as codes

def mro(cls):
    return [c.__module__ + '.' + c.__qualname__ for c in cls.__mro__]

constants = {k: v for k, v in vars(ec).items() if not k.startswith('_') and isinstance(v, str)}
lookups = {}
for v in list(constants.values()) + ['XXXXX', '99', 'ZZ000']:
    try:
        lookups[v] = ec.lookup(v)
    except KeyError:
        lookups[v] = 'KeyError'
classes = {k: {'mro': mro(v), 'module': v.__module__, 'doc': v.__doc__}
           for k, v in vars(er).items() if isinstance(v, type)}
er_lookups = {}
for code in list(codes) + ['XXXXX', '22020', '57014']:
    try:
        er_lookups[code] = mro(er.lookup(code))[0]
    except KeyError:
        er_lookups[code] = 'KeyError'
public = sorted(k for k in vars(er) if not k.startswith('_'))
print(json.dumps({'constants': constants, 'lookups': lookups, 'classes': classes,
                  'er_lookups': er_lookups, 'er_public': public,
                  'ec_public': sorted(k for k in vars(ec) if not k.startswith('_'))}))
'''


def dump(root, which):
    out = subprocess.run([sys.executable, '-c', DUMP, root, which], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    return json.loads(out)


def compare(label, real, ours, problems):
    """Print and count the keys missing, extra or different between two dicts."""
    missing = sorted(set(real) - set(ours))
    extra = sorted(set(ours) - set(real))
    differ = sorted(k for k in set(real) & set(ours) if real[k] != ours[k])
    print('%s: %d in psycopg2, %d in ours; %d missing, %d extra, %d different'
          % (label, len(real), len(ours), len(missing), len(extra), len(differ)))
    for k in missing:
        print('  missing %s = %r' % (k, real[k]))
    for k in extra:
        print('  extra   %s = %r' % (k, ours[k]))
    for k in differ:
        print('  differ  %s: psycopg2 %r, ours %r' % (k, real[k], ours[k]))
    problems += len(missing) + len(extra) + len(differ)
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--real', default='/tmp/realpsycopg2',
                        help='directory holding the real psycopg2 package (default: %(default)s)')
    parser.add_argument('--ours', default=OURS,
                        help='directory holding our psycopg2 package (default: %(default)s)')
    args = parser.parse_args()
    real = dump(args.real, 'real')
    ours = dump(args.ours, 'ours')
    problems = 0
    problems = compare('errorcodes public names', dict.fromkeys(real['ec_public'], 1),
                       dict.fromkeys(ours['ec_public'], 1), problems)
    problems = compare('errorcodes constants', real['constants'], ours['constants'], problems)
    problems = compare('errorcodes.lookup()', real['lookups'], ours['lookups'], problems)
    problems = compare('errors public names', dict.fromkeys(real['er_public'], 1),
                       dict.fromkeys(ours['er_public'], 1), problems)
    def only(key, classes):
        return {name: info[key] for name, info in classes.items()}
    problems = compare('errors classes (MRO)', only('mro', real['classes']),
                       only('mro', ours['classes']), problems)
    problems = compare('errors classes (__module__)', only('module', real['classes']),
                       only('module', ours['classes']), problems)
    problems = compare('errors classes (__doc__; the DB-API ones come from _exceptions.py)',
                       only('doc', real['classes']), only('doc', ours['classes']), problems)
    problems = compare('errors.lookup()', real['er_lookups'], ours['er_lookups'], problems)
    print('differences: %d' % problems)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
