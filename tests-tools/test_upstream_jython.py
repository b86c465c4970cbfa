"""bin/upstream-suite --jython: the suite's description, the test processes' command and
environment, the ratchet's header, and the unittest runner's helpers (which also import on
Python 3)."""
import os
import sys
import tempfile
import unittest
import unittest.mock

from upstream_fakes import ROOT, UPSTREAM
from upstream_suite import cli, ratchet
from upstream_suite.config import GRAALPY, JYTHON
from upstream_suite.supervisor import Run

sys.path.insert(0, os.path.join(ROOT, 'tests-jython', 'upstream'))
import unittest_runner  # noqa: E402


class Suites(unittest.TestCase):

    def test_the_two_suites(self):
        self.assertEqual((GRAALPY.sdist, GRAALPY.jython), ('psycopg2-2.9.13.tar.gz', False))
        self.assertEqual((JYTHON.sdist, JYTHON.jython, list(JYTHON.runs)),
                         ('psycopg2-2.8.6.tar.gz', True, ['normal']))
        self.assertEqual(JYTHON.launcher, os.path.join(ROOT, 'bin', 'pg-jython'))
        for name in ('manifest.txt', 'baseline.txt', 'expected-failures.txt',
                     'unittest_runner.py'):
            self.assertTrue(os.path.exists(os.path.join(JYTHON.lists, name)), name)

    def test_lists_are_consistent(self):
        manifest = ratchet.read_manifest(JYTHON.lists)
        self.assertEqual(len(manifest), 775)
        expected = ratchet.read_ids(os.path.join(JYTHON.lists, 'expected-failures.txt'),
                                    reasons=True)
        baseline = ratchet.read_ids(os.path.join(JYTHON.lists, 'baseline.txt'))
        ratchet.check_lists(manifest, {'baseline.txt': baseline}, expected)

    def test_jython_option_and_output_folder(self):
        args = cli.parser().parse_args(['--jython'])
        self.assertTrue(args.jython)
        self.assertEqual(args.out, cli.OUT)     # main() then moves it to OUT + '-jython'


class Processes(unittest.TestCase):

    def test_environment_puts_the_events_module_on_jythonpath(self):
        env = cli.suite_env({'JYTHONPATH': '/mine', 'PYTHONPATH': '/py'}, None, '/top', JYTHON)
        self.assertEqual(env['JYTHONPATH'], os.pathsep.join([UPSTREAM, '/mine']))
        self.assertEqual(env['PYTHONPATH'], '/py')
        self.assertEqual(env['UPSTREAM_TESTS_DIR'], '/top/tests')

    def test_the_command_is_upstreams_runner_under_pg_jython(self):
        run = Run('normal', ['tests/test_a.py::T::test_1'], '/top', {}, tempfile.mkdtemp(), 60,
                  780, known=[], suite=JYTHON)
        with unittest.mock.patch('subprocess.Popen') as popen:
            run.launch(['tests/test_a.py'], '/e', '/s', os.path.join(run.out, 'log'))
        command = popen.call_args[0][0]
        self.assertEqual(command, [JYTHON.launcher,
                                   os.path.join(JYTHON.lists, 'unittest_runner.py')])
        self.assertEqual(popen.call_args[1]['env']['UPSTREAM_SELECT'], '/s')


class Header(unittest.TestCase):

    def test_baseline_header_names_the_suite(self):
        folder = tempfile.mkdtemp()
        path = os.path.join(folder, 'baseline.txt')
        results = {'tests/test_a.py::T::test_1': unittest.mock.Mock(outcome='passed')}
        with unittest.mock.patch('builtins.print'), \
                unittest.mock.patch('upstream_suite.ratchet.say'):
            ratchet.ratchet('normal', results, list(results), path, {}, True,
                            manifest=list(results), suite=JYTHON)
        with open(path) as f:
            text = f.read()
        self.assertIn("psycopg2 2.8.6's own suite (tests-jython/upstream/manifest.txt)", text)
        self.assertIn('under bin/pg-jython', text)
        self.assertIn('bin/upstream-suite --jython --update-baseline', text)
        self.assertTrue(text.endswith('tests/test_a.py::T::test_1\n'))


class Runner(unittest.TestCase):

    def test_test_ids_in_the_manifests_form(self):
        self.assertEqual(unittest_runner.test_id('tests.test_module.ExceptionsTestCase.test_x'),
                         'tests/test_module.py::ExceptionsTestCase::test_x')

    def test_flatten_opens_nested_suites_in_order(self):
        class T(unittest.TestCase):
            def test_a(self):
                pass

            def test_b(self):
                pass
        inner = unittest.TestSuite([T('test_b')])
        suite = unittest.TestSuite([T('test_a'), inner])
        self.assertEqual([c.id().rsplit('.', 1)[1] for c in unittest_runner.flatten(suite)],
                         ['test_a', 'test_b'])

    def test_results_become_events(self):
        class T(unittest.TestCase):
            def test_ok(self):
                pass

            def test_fails(self):
                self.assertEqual(1, 2, 'one\ntwo')

            @unittest.skip('not here')
            def test_skipped(self):
                pass
        events = []
        result = unittest_runner.EventResult(lambda *e: events.append(e))
        unittest.TestSuite([T('test_ok'), T('test_fails'), T('test_skipped')]).run(result)
        outcomes = [(e[1].rsplit('::', 1)[1], e[2], e[4]) for e in events if e[0] == 'result']
        self.assertEqual(outcomes[0], ('test_ok', 'passed', ''))
        self.assertEqual(outcomes[1][:2], ('test_fails', 'failed'))
        self.assertTrue(outcomes[1][2].startswith('AssertionError: 1 != 2'), outcomes[1][2])
        self.assertEqual(outcomes[2], ('test_skipped', 'skipped', 'not here'))
        self.assertEqual([e[0] for e in events], ['start', 'result'] * 3)


if __name__ == '__main__':
    unittest.main()
