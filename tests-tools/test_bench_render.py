"""Unit tests of the harness's number formats and Markdown sections."""
import os
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'bench'))  # the harness is `python3 -m harness` from bench/

from harness import fmt, render  # noqa: E402
from harness.config import RUNTIME_BY_KEY  # noqa: E402


class Formats(unittest.TestCase):

    def test_rates(self):
        self.assertEqual([fmt.fmt_rate(x) for x in (None, 2.5e6, 33e3, 5.3e3, 816.4, 3.14159)],
                         ['-', '2.50M', '33k', '5.3k', '816', '3.1'])

    def test_numbers(self):
        self.assertEqual([fmt.fmt_num(x) for x in (None, 6867.2, 62.04, 0.354)],
                         ['-', '6,867', '62.0', '0.35'])
        self.assertEqual(fmt.fmt_kind('rate', 2e4), '20k')
        self.assertEqual(fmt.fmt_kind('latency', 2e4), '20,000')
        self.assertEqual(fmt.fmt_ratio(None), '-')
        self.assertEqual(fmt.fmt_ratio(1.005), '1.00')

    def test_markdown_table_pads_every_column(self):
        self.assertEqual(fmt.markdown_table(['#', 'name'], [['1a', 'x'], ['2', 'longer']]),
                         '| #  | name   |\n'
                         '|----|--------|\n'
                         '| 1a | x      |\n'
                         '| 2  | longer |')


def meta(mode='smoke', **kw):
    return dict({'mode': mode, 'started': '2026-11-29T10:20:30.123+00:00',
                 'machine': {'cpus': 2, 'platform': 'Linux-x', 'loadavg': [1.25, 0, 0]},
                 'loadavg_end': [2.0, 0, 0], 'server_version': '15.18',
                 'connection': 'TCP 127.0.0.1:5432, sslmode=disable', 'rounds': 1,
                 'runs_seconds': 12.4, 'git': {'commit': 'abc1234', 'dirty': True},
                 'runtimes': ['us']}, **kw)


def empty_tables(**kw):
    out = {name: {'header': ['h'], 'rows': []}
           for name in ('steady', 'first', 'warmup', 'startup', 'cpu', 'resources')}
    out.update(notes=[], boundary=None)
    out.update(kw)
    return out


class Render(unittest.TestCase):

    def test_heading(self):
        lines = render.heading(meta())
        self.assertEqual(lines[0], '## SMOKE run (tiny sizes; figures mean nothing), '
                                   '2026-11-29 10:20')
        # No CPU model nor memory (not Linux): '?'.
        self.assertEqual(lines[2], 'Machine: ?, 2 CPUs, ? GB, Linux-x; load average 1.2 at '
                                   'start, 2.0 at end. PostgreSQL 15.18 over TCP '
                                   '127.0.0.1:5432, sslmode=disable. Commit abc1234 (dirty '
                                   'tree). 1 round(s); 12 s of runs.')

    def test_sections_present_only_with_content(self):
        text = render.render(meta(), {}, empty_tables(), [RUNTIME_BY_KEY['us']])
        self.assertNotIn('### Start-up phases', text)
        self.assertNotIn('### Boundary', text)
        self.assertNotIn('Notes', text)
        self.assertIn('### Processes\n\n| h |\n|---|', text)
        text = render.render(meta(), {}, empty_tables(notes=['2b us: n/a', '5 us: error']), [])
        self.assertIn('\nNotes (n/a and errors):\n- 2b us: n/a\n- 5 us: error\n', text)

    def test_boundary_section(self):
        self.assertEqual(render.boundary_section({'error': 'Traceback\n  x\nValueError: bad'}),
                         ['### Boundary micro-benchmark (us, GraalPy JIT)', '',
                          'error: ValueError: bad', ''])
        table = {'header': ['a'], 'rows': [['1']]}
        noisy = render.boundary_section(dict(table, derived={'fetchall_ns': 1.0,
                                                             'rest_ns': -0.5}))
        self.assertEqual(noisy[-2], '(The parts exceed the whole fetchall(): too noisy to '
                                    'split.)')
        split = render.boundary_section(dict(table, derived={
            'fetchall_ns': 1000.0, 'java_decode_ns': 300.0, 'interop_ns': 300.0,
            'python_tuple_ns': 200.0, 'typecaster_ns': 150.0, 'rest_ns': 50.0}))
        self.assertTrue(split[-2].startswith('One row of a client-side fetchall(), 1,000 ns: '
                                             'Java decoding 300, interop crossings 300'))
        self.assertTrue(split[-2].endswith('the rest (buffering, slicing) 50.0.'))
        windows = render.boundary_section(dict(table, derived={
            'fetchall_ns': 1000.0, 'java_decode_ns': 300.0, 'python_side_ns': 400.0,
            'rest_ns': 300.0}))
        self.assertEqual(windows[-2], 'One row of a client-side fetchall(), 1,000 ns: Java '
                                      'decoding into column windows 300, their Python side '
                                      '(columns decoded, typecasters, rows zipped) 400 (convert '
                                      '- java_decode), the rest (buffering, slicing) 300.')

    def test_footer(self):
        setup = {'cpython-venv': {'status': 'ok', 'cached': True, 'build_s': 34.2},
                 'graalpy-venv': {'status': 'ok', 'cached': False, 'build_s': None},
                 'graalpy-pg8000': {'status': 'failed', 'error': 'x' * 300},
                 'seed': {'copy_file': '/c', 'seconds': 1.0}}
        lines = render.footer(meta(imports={'us': ['/a.py', '/b.py'], 'c': ['/c.so']}), setup)
        self.assertEqual(lines, [
            'Setup: cpython-venv: cached, built in 34 s; graalpy-venv: built in 0 s; '
            'graalpy-pg8000: FAILED (%s).' % ('x' * 200),
            'Imported: us /a.py, /b.py; c /c.so.'])
        self.assertEqual(render.footer(meta(), {'seed': {}}), [])


if __name__ == '__main__':
    unittest.main()
