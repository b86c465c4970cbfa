"""bin/compare-surface's comparer and its accepted-differences file, and the parts of the
dumper that need no psycopg2 (python/tools/surface/): small hand-made dumps and classes."""
import io
import json
import os
import shutil
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'python', 'tools'))

from surface import compare as c  # noqa: E402
from surface import dump as d  # noqa: E402

CONN = 'psycopg2.extensions.connection'


def cls(mro='object', **aspects):
    return dict(kind='class', module='psycopg2.extensions', qualname='x', mro=mro, **aspects)


def lines(theirs, ours):
    return [x.line() for x in c.differences(theirs, ours)]


class Differences(unittest.TestCase):

    def test_missing_extra_and_values(self):
        theirs = {'psycopg2': {'kind': 'module'},
                  'psycopg2.__version__': {'kind': 'constant', 'value': "'2.9.13'"},
                  CONN + '.tpc_begin': {'kind': 'method'}}
        ours = {'psycopg2': {'kind': 'module'},
                'psycopg2.__version__': {'kind': 'constant', 'value': "'2.9.10'"},
                CONN + '._make_dsn': {'kind': 'method'}}
        self.assertEqual(lines(theirs, ours), [
            "psycopg2.__version__: value '2.9.10' != '2.9.13'",
            CONN + '._make_dsn: extra',
            CONN + '.tpc_begin: missing'])
        self.assertEqual([x.stable_key for x in c.differences(theirs, ours)], [
            'psycopg2.__version__: value', CONN + '._make_dsn: extra',
            CONN + '.tpc_begin: missing'])
        self.assertEqual(c.differences(theirs, theirs), [])

    def test_other_aspects_are_quoted_and_an_absent_one_shown(self):
        theirs = {'k': {'kind': 'class', 'module': 'psycopg2.extensions', 'mro': 'object'}}
        ours = {'k': {'kind': 'class', 'module': 'psycopg2._impl.x'}}
        self.assertEqual(lines(theirs, ours), [
            "k: module 'psycopg2._impl.x' != 'psycopg2.extensions'",
            "k: mro (none) != 'object'"])

    def test_a_signature_is_compared_only_when_both_have_one(self):
        theirs = {'f': {'kind': 'function'}, 'g': {'kind': 'function', 'signature': '(a, b=1)'}}
        ours = {'f': {'kind': 'function', 'signature': '(dsn)'},
                'g': {'kind': 'function', 'signature': '(a, b=2)'}}
        self.assertEqual(lines(theirs, ours), ["g: signature '(a, b=2)' != '(a, b=1)'"])

    def test_nothing_under_a_missing_or_extra_key(self):
        theirs = {'m': {'kind': 'module'}, 'm.Xid': cls(), 'm.Xid.bqual': {'kind': 'property'},
                  'm.d': {'kind': 'constant', 'value': 'dict'},
                  "m.d['a.b']": {'kind': 'item', 'value': '1'}}
        ours = {'m': {'kind': 'module'}, 'm.lo': cls(), 'm.lo.read': {'kind': 'method'}}
        self.assertEqual(lines(theirs, ours), ['m.Xid: missing', 'm.d: missing', 'm.lo: extra'])

    def test_a_kind_difference_hides_the_rest_and_says_what_each_is(self):
        theirs = {'live.lobject': {'kind': 'object', 'type': 'psycopg2.extensions.lobject',
                                   'repr': '<lobject>'},
                  'live.lobject.mode': {'kind': 'data', 'value': "'rw'"},
                  CONN + '.Error': {'kind': 'property'}}
        ours = {'live.lobject': {'kind': 'error', 'value': 'raises psycopg2.NotSupportedError'},
                CONN + '.Error': {'kind': 'class', 'value': 'psycopg2.Error'}}
        self.assertEqual(lines(theirs, ours), [
            "live.lobject: kind 'error' != 'object' (ours: raises psycopg2.NotSupportedError)",
            CONN + ".Error: kind 'class' != 'property' (ours: psycopg2.Error)"])

    def test_an_alias_difference_hides_the_rest(self):
        theirs = {'psycopg2.extras.Range': cls(), 'psycopg2.extras.Range.lower': {
            'kind': 'property'}, 'psycopg2._range.Range': {
            'kind': 'class', 'alias': 'psycopg2.extras.Range'}}
        ours = {'psycopg2.extras.Range': {'kind': 'class', 'alias': 'psycopg2.extensions.Range'},
                'psycopg2._range.Range': {'kind': 'class', 'alias': 'psycopg2.extensions.Range'}}
        self.assertEqual(lines(theirs, ours), [
            "psycopg2._range.Range: alias 'psycopg2.extensions.Range' != "
            "'psycopg2.extras.Range' (ours: psycopg2.extensions.Range; "
            "psycopg2: psycopg2.extras.Range)",
            "psycopg2.extras.Range: alias 'psycopg2.extensions.Range' != (not an alias) "
            "(ours: psycopg2.extensions.Range)"])

    def test_a_difference_of_a_shared_base_class_is_reported_there_only(self):
        errors = 'psycopg2.errors.UniqueViolation'
        theirs = {'psycopg2.Error': cls(), 'psycopg2.Error.pgcode': {'kind': 'property'},
                  errors: cls('psycopg2.IntegrityError, psycopg2.Error, Exception'),
                  errors + '.pgcode': {'kind': 'property'},
                  'psycopg2.extensions.Int': cls(),
                  'psycopg2.extensions.Int.adapted': {'kind': 'property'}}
        ours = {'psycopg2.Error': cls(), errors: cls('psycopg2.DatabaseError, psycopg2.Error'),
                'psycopg2.extensions.Int': cls('psycopg2.extensions.AsIs, object')}
        # Int's base AsIs is ours only: its difference is its own.
        self.assertEqual(lines(theirs, ours), [
            'psycopg2.Error.pgcode: missing',
            "psycopg2.errors.UniqueViolation: mro 'psycopg2.DatabaseError, psycopg2.Error' != "
            "'psycopg2.IntegrityError, psycopg2.Error, Exception'",
            "psycopg2.extensions.Int: mro 'psycopg2.extensions.AsIs, object' != 'object'",
            'psycopg2.extensions.Int.adapted: missing'])

    def test_parents(self):
        self.assertEqual(c.parents('psycopg2.extensions.connection.tpc_begin'), [
            'psycopg2', 'psycopg2.extensions', CONN])
        self.assertEqual(c.parents("live.info.dsn_parameters['a.b[c']"), [
            'live', 'live.info', 'live.info.dsn_parameters'])
        self.assertEqual(c.parents('m.adapters[decimal.Decimal, m.ISQLQuote]'), [
            'm', 'm.adapters'])


class Accepted(unittest.TestCase):

    def test_parse(self):
        text = ('# header\n\n'
                'live.connection.pgconn_ptr: value  # no libpq here\n'
                '   psycopg2.x: missing #why: #2  \n')
        self.assertEqual(c.parse_accepted(text), {
            'live.connection.pgconn_ptr: value': 'no libpq here',
            'psycopg2.x: missing': 'why: #2'})

    def test_a_line_needs_a_reason(self):
        for line in ('psycopg2.x: missing', 'psycopg2.x: missing  #', 'psycopg2.x: missing # '):
            with self.assertRaisesRegex(c.SurfaceError, r'^acc.txt:2: psycopg2.x: missing has '
                                                        r'no reason'):
                c.parse_accepted('# ok\n%s\n' % line, 'acc.txt')

    def test_a_line_must_be_a_difference_key(self):
        for key in ('psycopg2.x', 'psycopg2.x: value 1 != 2', 'psycopg2.x:missing'):
            with self.assertRaisesRegex(c.SurfaceError, 'is not a difference key'):
                c.parse_accepted('%s  # because\n' % key)

    def test_a_key_only_once(self):
        with self.assertRaisesRegex(c.SurfaceError, r':2: psycopg2.x: extra is listed twice'):
            c.parse_accepted('psycopg2.x: extra  # a\npsycopg2.x: extra  # b\n')

    def test_the_file_of_the_repository(self):
        accepted = c.read_accepted(c.ACCEPTED)
        for key, reason in accepted.items():
            self.assertTrue(reason, key)


class Report(unittest.TestCase):
    THEIRS = {'a': {'kind': 'constant', 'value': '1'}, 'b': {'kind': 'method'},
              'c': {'kind': 'method'}}
    OURS = {'a': {'kind': 'constant', 'value': 'None'}, 'c': {'kind': 'method'},
            'd': {'kind': 'method'}}

    def run_report(self, accepted):
        out = io.StringIO()
        status = c.report(c.differences(self.THEIRS, self.OURS), accepted, out)
        return status, out.getvalue().splitlines()

    def test_unaccepted_differences_fail(self):
        status, out = self.run_report({'a: value': 'no libpq'})
        self.assertEqual(status, 1)
        self.assertEqual(out, [
            'a: value None != 1  # accepted: no libpq', 'b: missing', 'd: extra',
            '# 3 differences (1 extra, 1 missing, 1 value): 1 accepted, 2 not accepted'])

    def test_all_accepted_pass(self):
        status, out = self.run_report({'a: value': 'x', 'b: missing': 'y', 'd: extra': 'z'})
        self.assertEqual(status, 0)
        self.assertEqual(out[-1], '# 3 differences (1 extra, 1 missing, 1 value): 3 accepted, '
                                  '0 not accepted')

    def test_an_accepted_line_that_no_longer_differs_fails(self):
        status, out = self.run_report({'a: value': 'x', 'b: missing': 'y', 'd: extra': 'z',
                                       'c: missing': 'gone since'})
        self.assertEqual(status, 1)
        self.assertEqual(out[-1], '# accepted, but no longer a difference (remove its line): '
                                  'c: missing')

    def test_no_differences(self):
        out = io.StringIO()
        self.assertEqual(c.report([], {}, out), 0)
        self.assertEqual(out.getvalue(), '# 0 differences (none): 0 accepted, 0 not accepted\n')


class CommandLine(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, name, content):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        return path

    def dump(self, name, entries, version):
        return self.write(name, {'format': 1, 'entries': entries, 'meta': {
            'implementation': 'cpython', 'python': '3.11.7', 'psycopg2_version': version,
            'psycopg2_file': '/x/psycopg2/__init__.py'}})

    def main(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        saved, sys.stderr = sys.stderr, err
        try:
            status = c.main(list(argv), out=out)
        finally:
            sys.stderr = saved
        return status, out.getvalue(), err.getvalue()

    def test_a_run(self):
        theirs = self.dump('t.json', {'p.v': {'kind': 'constant', 'value': "'2.9.13'"}}, '2.9.13')
        ours = self.dump('o.json', {'p.v': {'kind': 'constant', 'value': "'2.9.10'"}}, '2.9.10')
        accepted = self.write('acc.txt', '# nothing yet\n')
        status, out, _ = self.main(theirs, ours, '--accepted', accepted)
        self.assertEqual(status, 1)
        self.assertEqual(out.splitlines(), [
            '# ours:     cpython 3.11.7, psycopg2 2.9.10 from /x/psycopg2/__init__.py',
            '# psycopg2: cpython 3.11.7, psycopg2 2.9.13 from /x/psycopg2/__init__.py',
            "# values: ours != psycopg2's",
            "p.v: value '2.9.10' != '2.9.13'",
            '# 1 differences (1 value): 0 accepted, 1 not accepted'])
        accepted = self.write('acc.txt', 'p.v: value  # pinned elsewhere\n')
        self.assertEqual(self.main(theirs, ours, '--accepted', accepted)[0], 0)

    def test_unusable_input_is_status_2(self):
        good = self.dump('t.json', {}, '2.9.13')
        bad_json = self.write('bad.json', '{')
        other = self.write('other.json', {'format': 99, 'entries': {}})
        no_reason = self.write('acc.txt', 'p.v: value\n')
        for argv, message in (
                ([good, bad_json], 'bad.json: cannot read the dump'),
                ([good, other], 'other.json: not a dump of format 1'),
                ([good, good, '--accepted', no_reason], 'acc.txt:1: p.v: value has no reason'),
                ([good, good, '--accepted', os.path.join(self.dir, 'none.txt')],
                 'cannot read')):
            status, out, err = self.main(*argv)
            self.assertEqual(status, 2, argv)
            self.assertIn(message, err)


class Dumper(unittest.TestCase):
    """The dumper's description of values and classes, on classes made to look like
    psycopg2's (their __module__ says so)."""

    def test_plain_values(self):
        self.assertEqual(d.plain_repr(frozenset({'b', 'a'})), "frozenset('a', 'b')")
        self.assertEqual(d.plain_repr((1,)), '(1,)')
        self.assertEqual(d.plain_repr([b'x', None]), "[b'x', None]")
        self.assertTrue(d.is_plain((1, ('a', 2.5))))
        self.assertFalse(d.is_plain((1, object())))
        self.assertEqual(d.strip_addresses('<X object at 0x7f00aa11>'), '<X object>')

    def test_scrub(self):
        s = d.Scrub("host=db.example port=54376 dbname='x y'")
        self.assertEqual(s.text("host=db.example port=54376 user=u"),
                         'host=<host> port=<port> user=u')
        self.assertEqual(s.text('154376'), '154376')
        self.assertEqual(d.Scrub('').text('host=a port=1'), 'host=a port=1')

    def test_typecasters_by_their_look(self):
        class Caster:
            name, values = 'INTEGER', (23, 21)

            def __call__(self, value, cur):
                return value
        self.assertTrue(d.is_typecaster(Caster()))
        self.assertEqual(d.typecaster_desc(Caster()), 'typecaster INTEGER (23, 21)')
        self.assertFalse(d.is_typecaster(Caster))
        self.assertFalse(d.is_typecaster(len))

    def test_first_names(self):
        paths = {1: ['psycopg2.extensions.Range', 'psycopg2.extras.Range'], 2: ['m.a']}
        self.assertEqual(d.first_names(paths), {1: 'psycopg2.extensions.Range', 2: 'm.a'})
        self.assertEqual(d.first_names(paths, {'psycopg2.extras.Range'}),
                         {1: 'psycopg2.extras.Range', 2: 'm.a'})

    def make_classes(self):
        class Base:
            ro = property(lambda self: 1)

            def close(self, force=False):
                pass

            def __eq__(self, other):
                return True

            def __len__(self):
                return 0

        class Thing(Base, dict):
            LIMIT = 3
            from_string = staticmethod(lambda s: s)

            @classmethod
            def make(cls, a):
                return cls()

            def _private(self):
                pass
        for k in (Base, Thing):
            k.__module__ = 'psycopg2.fake'
        return Base, Thing

    def test_a_class(self):
        Base, Thing = self.make_classes()
        dumper = d.Dumper()
        dumper.index[id(Base)] = 'psycopg2.fake.Base'
        dumper.dump_class('psycopg2.fake.Thing', Thing)
        e = dumper.entries
        # No signature: inspect has none for dict's __init__ on CPython.
        self.assertEqual(e['psycopg2.fake.Thing'], {
            'kind': 'class', 'module': 'psycopg2.fake', 'mro': 'psycopg2.fake.Base, dict, object',
            'qualname': Thing.__qualname__})
        self.assertEqual(e['psycopg2.fake.Thing.close'],
                         {'kind': 'method', 'signature': '(self, force=False)'})
        self.assertEqual(e['psycopg2.fake.Thing.ro'], {'kind': 'property'})
        self.assertEqual(e['psycopg2.fake.Thing.LIMIT'], {'kind': 'attribute', 'value': '3'})
        self.assertEqual(e['psycopg2.fake.Thing.make'],
                         {'kind': 'classmethod', 'signature': '(a)'})
        self.assertEqual(e['psycopg2.fake.Thing.from_string'],
                         {'kind': 'staticmethod', 'signature': '(s)'})
        # Protocol methods without their signature; __hash__ is None after __eq__.
        self.assertEqual(e['psycopg2.fake.Thing.__eq__'], {'kind': 'method'})
        self.assertEqual(e['psycopg2.fake.Thing.__hash__'], {'kind': 'attribute', 'value': 'None'})
        # dict's methods and private names are not psycopg2's surface.
        for name in ('keys', '__getitem__', '__iter__', '_private'):
            self.assertNotIn('psycopg2.fake.Thing.' + name, e)

    def test_a_live_object(self):
        Base, Thing = self.make_classes()
        dumper = d.Dumper(d.Scrub('host=h1 port=5999'))
        dumper.index.update({id(Thing): 'psycopg2.fake.Thing', id(Base): 'psycopg2.fake.Base'})
        obj = Thing()
        obj.dsn, obj.pid, obj.port, obj.kind = 'host=h1 port=5999', 4242, 5999, Base
        dumper.dump_instance('live.thing', obj, normalize=('pid',))
        e = dumper.entries
        self.assertEqual(e['live.thing']['type'], 'psycopg2.fake.Thing')
        self.assertEqual(e['live.thing.dsn'],
                         {'kind': 'data', 'value': "'host=<host> port=<port>'"})
        self.assertEqual(e['live.thing.pid'], {'kind': 'data', 'value': '<int>'})
        self.assertEqual(e['live.thing.port'], {'kind': 'data', 'value': '<port>'})
        self.assertEqual(e['live.thing.kind'], {'kind': 'class', 'value': 'psycopg2.fake.Base'})
        self.assertEqual(e['live.thing.ro'], {'kind': 'data', 'value': '1'})
        # The methods are the class's entries: not repeated for the object.
        self.assertNotIn('live.thing.close', e)

    def test_dict_items(self):
        dumper = d.Dumper()
        dumper.add_dict('m.adapters', {(float, int): float, 'k': (1, 'a'), 3: {'x': None}})
        self.assertEqual(dumper.entries, {
            "m.adapters['k']": {'kind': 'item', 'value': "(1, 'a')"},
            'm.adapters[3]': {'kind': 'item', 'value': "{'x': None}"},
            'm.adapters[float, int]': {'kind': 'item', 'value': 'float'}})


if __name__ == '__main__':
    unittest.main()
