#!/usr/bin/env python3
"""Compare two dumps of dump.py: psycopg2's (the reference) and ours.

    python3 compare.py PSYCOPG2.json OURS.json [--accepted FILE]

Prints every difference on one line, sorted, ``KEY: WHAT DETAIL``, where ``KEY: WHAT`` is the
difference's stable key (what accepted-differences.txt lists):

    psycopg2.extensions.connection.tpc_begin: missing        psycopg2 has it, ours does not
    psycopg2.extensions.connection._make_dsn: extra           ours has it, psycopg2 does not
    psycopg2.__version__: value '2.9.10 (...)' != '2.9.13 (...)'     ours != psycopg2's
    psycopg2.extensions.Xid.from_string: kind 'classmethod' != 'staticmethod'

WHAT is ``missing``, ``extra`` or the aspect that differs (kind, alias, type, value, module,
qualname, mro, signature, repr). A signature is compared only when both dumps have one (C
functions on CPython have none). A difference of a class member that a base class of both
sides has too is reported at the base only. Under a key that is missing or extra, or whose
kind or alias differs, nothing more is reported: the one line says it (a kind or alias line
ends with what each side's value or alias is, in parentheses).

An accepted difference is printed with ``  # accepted: REASON``. The summary lines start with
``#``. Exit status: 0 when every difference is accepted and every accepted key still differs;
1 when a difference is not accepted, or an accepted key no longer differs (remove its line: the
list only shrinks); 2 when a dump or the accepted file cannot be read.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ACCEPTED = os.path.join(HERE, 'accepted-differences.txt')
FORMAT = 1

# Compared only when both entries have them.
OPTIONAL_ASPECTS = {'signature'}
# A difference in these hides the differences of the keys under the entry.
HIDING_ASPECTS = ('kind', 'alias')
# The order of the aspects of one key in the output.
ASPECT_ORDER = ['kind', 'alias', 'type', 'value', 'module', 'qualname', 'mro', 'signature',
                'repr']
# Aspects whose text is shown as it is (it is already a repr); the others are quoted.
RAW_ASPECTS = {'value'}

_KEY = re.compile(r'^\S.*: [a-z_]+$')


class SurfaceError(Exception):
    """A dump or the accepted file cannot be used (exit status 2)."""


class Difference:
    __slots__ = ('key', 'what', 'ours', 'theirs', 'note')

    def __init__(self, key, what, ours=None, theirs=None, note=''):
        self.key, self.what, self.ours, self.theirs = key, what, ours, theirs
        self.note = note

    @property
    def stable_key(self):
        return '%s: %s' % (self.key, self.what)

    def line(self):
        if self.what in ('missing', 'extra'):
            return self.stable_key
        absent = '(not an alias)' if self.what == 'alias' else '(none)'
        show = (lambda v: absent if v is None else v) if self.what in RAW_ASPECTS else (
            lambda v: absent if v is None else repr(v))
        line = '%s %s != %s' % (self.stable_key, show(self.ours), show(self.theirs))
        return line + (' (%s)' % self.note if self.note else '')

    def __repr__(self):
        return 'Difference(%r)' % self.line()


def load_dump(path):
    try:
        with open(path, encoding='utf-8') as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise SurfaceError('%s: cannot read the dump: %s' % (path, e))
    if not isinstance(doc, dict) or doc.get('format') != FORMAT or \
            not isinstance(doc.get('entries'), dict):
        raise SurfaceError('%s: not a dump of format %d' % (path, FORMAT))
    return doc


def parents(key):
    """The keys an entry is under: every prefix that ends before a '.' or a '['."""
    out = []
    depth = 0
    for i, ch in enumerate(key):
        if ch == '[':
            if depth == 0 and i:
                out.append(key[:i])
            depth += 1
        elif ch == ']':
            depth = max(0, depth - 1)
        elif ch == '.' and depth == 0 and i:
            out.append(key[:i])
    return out


def aspect_rank(aspect):
    return (ASPECT_ORDER.index(aspect) if aspect in ASPECT_ORDER else len(ASPECT_ORDER), aspect)


def differences(theirs, ours):
    """The differences between two `entries` maps (psycopg2's, ours), sorted by key."""
    found = []
    hiding = set()
    for key in sorted(set(theirs) | set(ours)):
        if key not in ours:
            found.append(Difference(key, 'missing'))
            hiding.add(key)
            continue
        if key not in theirs:
            found.append(Difference(key, 'extra'))
            hiding.add(key)
            continue
        a, b = ours[key], theirs[key]
        here = []
        for aspect in sorted(set(a) | set(b), key=aspect_rank):
            va, vb = a.get(aspect), b.get(aspect)
            if va == vb or (aspect in OPTIONAL_ASPECTS and (va is None or vb is None)):
                continue
            here.append(Difference(key, aspect, va, vb))
        decisive = [d for d in here if d.what in HIDING_ASPECTS]
        if decisive:
            # Another kind of thing, or another object: its other aspects are not comparable,
            # but the value or alias of each side says what it is instead.
            hiding.add(key)
            decisive[0].note = '; '.join(
                '%s: %s' % (side, entry.get('value') or entry.get('alias'))
                for side, entry in (('ours', a), ('psycopg2', b))
                if entry.get('value') or entry.get('alias'))
            here = decisive
        found.extend(here)
    found = [d for d in found if not any(p in hiding for p in parents(d.key))]
    by_key = {}
    for d in found:
        by_key.setdefault(d.key, []).append(d)
    return [d for d in found if not inherited(d, by_key, theirs, ours)]


def inherited(diff, by_key, theirs, ours):
    """Whether `diff`, on a member of a class, is the same difference as on that member of a
    base class both sides have (psycopg2.errors.UniqueViolation.pgcode is psycopg2.Error's):
    it is then reported once, at the base."""
    owner, dot, name = diff.key.rpartition('.')
    if not dot or theirs.get(owner, {}).get('kind') != 'class' or \
            ours.get(owner, {}).get('kind') != 'class':
        return False
    bases = set(theirs[owner].get('mro', '').split(', ')) & set(
        ours[owner].get('mro', '').split(', '))
    same = (diff.what, diff.ours, diff.theirs)
    return any((d.what, d.ours, d.theirs) == same
               for base in bases for d in by_key.get('%s.%s' % (base, name), ()))


def parse_accepted(text, name='accepted-differences.txt'):
    """{stable key: reason} of the accepted-differences file. Each line is ``KEY: WHAT  # reason``;
    blank lines and lines starting with '#' are comments. Raises SurfaceError for a line
    without a reason, a line that is not a difference key, or a key listed twice."""
    accepted = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith('#'):
            continue
        key, sep, reason = stripped.partition(' #')
        key, reason = key.strip(), reason.strip()
        where = '%s:%d' % (name, lineno)
        if not sep or not reason:
            raise SurfaceError('%s: %s has no reason (write it as "KEY: WHAT  # reason")'
                               % (where, key))
        if not _KEY.match(key):
            raise SurfaceError('%s: %r is not a difference key ("KEY: missing", "KEY: extra" '
                               'or "KEY: ASPECT")' % (where, key))
        if key in accepted:
            raise SurfaceError('%s: %s is listed twice' % (where, key))
        accepted[key] = reason
    return accepted


def read_accepted(path):
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except OSError as e:
        raise SurfaceError('cannot read %s: %s' % (path, e))
    return parse_accepted(text, os.path.basename(path))


def describe(doc):
    m = doc.get('meta', {})
    return '%s %s, psycopg2 %s from %s' % (m.get('implementation'), m.get('python'),
                                          m.get('psycopg2_version'), m.get('psycopg2_file'))


def report(diffs, accepted, out):
    """Print the differences and the summary; return the exit status (0 or 1)."""
    seen = set()
    counts = {}
    unaccepted = 0
    for d in diffs:
        reason = accepted.get(d.stable_key)
        seen.add(d.stable_key)
        counts[d.what] = counts.get(d.what, 0) + 1
        if reason is None:
            unaccepted += 1
            out.write(d.line() + '\n')
        else:
            out.write('%s  # accepted: %s\n' % (d.line(), reason))
    stale = sorted(k for k in accepted if k not in seen)
    by_what = ', '.join('%d %s' % (n, w) for w, n in
                        sorted(counts.items(), key=lambda wn: (-wn[1], wn[0])))
    out.write('# %d differences (%s): %d accepted, %d not accepted\n'
              % (len(diffs), by_what or 'none', len(diffs) - unaccepted, unaccepted))
    for key in stale:
        out.write('# accepted, but no longer a difference (remove its line): %s\n' % key)
    return 1 if unaccepted or stale else 0


def main(argv=None, out=None):
    out = out or sys.stdout
    ap = argparse.ArgumentParser(description='Compare two dumps of the psycopg2 surface.')
    ap.add_argument('theirs', help="psycopg2's dump (the reference)")
    ap.add_argument('ours', help='our dump')
    ap.add_argument('--accepted', default=ACCEPTED,
                    help='the accepted differences (default: %(default)s)')
    args = ap.parse_args(argv)
    try:
        theirs, ours = load_dump(args.theirs), load_dump(args.ours)
        accepted = read_accepted(args.accepted)
    except SurfaceError as e:
        sys.stderr.write('compare-surface: %s\n' % e)
        return 2
    out.write('# ours:     %s\n' % describe(ours))
    out.write("# psycopg2: %s\n" % describe(theirs))
    out.write("# values: ours != psycopg2's\n")
    return report(differences(theirs['entries'], ours['entries']), accepted, out)


if __name__ == '__main__':
    sys.exit(main())
