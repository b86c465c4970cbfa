"""The event lines between upstream_plugin.py and the supervisor: one format, both sides."""
import ast
import os
import tempfile
import unittest

from upstream_fakes import FIXTURES, UPSTREAM, events


class RoundTrip(unittest.TestCase):

    def test_every_kind_reads_back_as_written(self):
        written = {
            'info': ({'file': '/x/psycopg2/__init__.py', 'version': '2.9.10', 'libpq': 150000,
                      'wait_callback': False},),
            'collecting': ('tests/test_quote.py',),
            'collect-error': ('tests/test_x.py', 'ImportError: no module named foo'),
            'item': ('tests/test_quote.py::QuotingTestCase::test_binary',),
            'collected': (15,),
            'start': ('tests/test_quote.py::QuotingTestCase::test_binary',),
            'result': ('tests/test_quote.py::QuotingTestCase::test_binary', 'failed', 1.5,
                       "AttributeError: no attribute 'BYTES'"),
            'fatal': ('psycopg2 imported from /a, not from /b',),
        }
        self.assertEqual(set(written), set(events.FIELDS))
        for kind, fields in written.items():
            text = events.line(kind, *fields)
            self.assertTrue(text.endswith('\n') and text.count('\n') == 1, text)
            self.assertEqual(events.parse(text[:-1]), (kind, fields))

    def test_whitespace_is_folded_so_that_a_line_stays_one_line(self):
        text = events.line('result', 'tests/t.py::T::test', 'failed', '0.5',
                           'AssertionError:\n\tfirst\r\n   second')
        self.assertEqual(text.count('\n'), 1)
        self.assertEqual(events.parse(text[:-1])[1][3], 'AssertionError: first second')

    def test_fields_are_cut_at_max_field(self):
        kind, (message,) = events.parse(events.line('fatal', 'x' * 1000)[:-1])
        self.assertEqual(message, 'x' * events.MAX_FIELD)

    def test_info_cut_short_reads_as_an_error(self):
        # A long psycopg2 path can push the JSON past MAX_FIELD: the supervisor says so.
        kind, (info,) = events.parse(events.line('info', {'file': 'y' * 500})[:-1])
        self.assertEqual(kind, 'info')
        self.assertTrue(info['error'].startswith('bad info from the plugin: {"file": "yyy'))

    def test_a_missing_trailing_message_reads_as_empty(self):
        self.assertEqual(events.parse('result\tt::a\tpassed\t0.100'),
                         ('result', ('t::a', 'passed', 0.1, '')))
        self.assertEqual(events.parse('collect-error\ttests/t.py'),
                         ('collect-error', ('tests/t.py', '')))

    def test_lines_the_supervisor_skips(self):
        for text in ['', 'hello\tworld', 'start', 'result\tt::a\tpassed',
                     'result\tt::a\tpassed\tsoon\t', 'collected\tmany']:
            self.assertIsNone(events.parse(text), text)

    def test_writing_a_wrong_event_is_an_error(self):
        with self.assertRaises(ValueError):
            events.line('started', 't::a')
        with self.assertRaises(ValueError):
            events.line('result', 't::a', 'passed')

    def test_emitter_flushes_each_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'events.tsv')
            emit = events.emitter(path)
            emit('start', 't::a')
            try:
                with open(path) as f:       # read while the emitter's file is still open
                    self.assertEqual(f.read(), 'start\tt::a\n')
            finally:
                emit.close()


class Lines(unittest.TestCase):

    def test_a_line_cut_by_a_read_waits_for_its_end(self):
        lines = events.Lines()
        self.assertEqual(lines.feed('start\tt::a\nresu'), ['start\tt::a'])
        self.assertEqual(lines.feed(''), [])
        self.assertEqual(lines.feed('lt\tt::a\tpassed\t0.1\t\nstart'),
                         ['result\tt::a\tpassed\t0.1\t'])
        self.assertEqual(lines.pending, 'start')

    def test_a_real_event_file_parses_completely(self):
        with open(os.path.join(FIXTURES, 'events-test_quote.tsv'), encoding='utf-8') as f:
            parsed = [events.parse(line) for line in events.Lines().feed(f.read())]
        self.assertNotIn(None, parsed)
        kinds = [kind for kind, _ in parsed]
        self.assertEqual((kinds[0], kinds.count('item'), kinds.count('result')), ('info', 15, 15))
        self.assertEqual(parsed[0][1][0]['wait_callback'], False)


class ThePluginUsesTheSharedFormat(unittest.TestCase):
    """upstream_plugin.py imports pytest, so it cannot be imported here: read its source."""

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(UPSTREAM, 'upstream_plugin.py'), encoding='utf-8') as f:
            cls.tree = ast.parse(f.read())

    def emit_calls(self):
        return [node for node in ast.walk(self.tree) if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name) and node.func.id == '_emit']

    def test_it_emits_through_events(self):
        imports = [node for node in ast.walk(self.tree) if isinstance(node, ast.ImportFrom)
                   and node.module == 'upstream_suite' and
                   [a.name for a in node.names] == ['events']]
        self.assertEqual(len(imports), 1)
        self.assertNotIn('json', {a.name for node in ast.walk(self.tree)
                                  if isinstance(node, ast.Import) for a in node.names})

    def test_every_emit_has_a_known_kind_and_its_fields(self):
        used = set()
        for call in self.emit_calls():
            kind = call.args[0]
            self.assertIsInstance(kind, ast.Constant, ast.dump(call))
            self.assertIn(kind.value, events.FIELDS)
            self.assertEqual(len(call.args) - 1, len(events.FIELDS[kind.value]),
                             f'line {call.lineno}: _emit({kind.value!r}, ...)')
            used.add(kind.value)
        self.assertEqual(used, set(events.FIELDS), 'a kind the supervisor reads is never sent')

    def test_info_is_passed_as_a_dict(self):
        for call in self.emit_calls():
            if call.args[0].value == 'info':
                self.assertIsInstance(call.args[1], ast.Dict, f'line {call.lineno}')


if __name__ == '__main__':
    unittest.main()
