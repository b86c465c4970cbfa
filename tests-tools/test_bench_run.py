"""Unit tests of the harness's command line and run plumbing: runtime and workload choice, the
rotation, the smoke verdict, one measured process (a stand-in script, no database), the
server's environment, and how the workload scripts find their shared module."""
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
from unittest import mock

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, 'bench')
sys.path.insert(0, BENCH)  # the harness is `python3 -m harness` from bench/

from harness import cli, config, measure, run, server  # noqa: E402
from workloads import _common  # noqa: E402


class CommandLine(unittest.TestCase):

    def test_default_runtimes_per_mode(self):
        self.assertEqual(cli.wanted_runtimes(None, 'smoke'), ['us', 'psycopg2-binary'])
        quick = cli.wanted_runtimes(None, 'quick')
        self.assertNotIn('pg8000-graalpy', quick)
        self.assertIn('server', quick)
        self.assertEqual(cli.wanted_runtimes(None, 'full'),
                         [r.key for r in config.RUNTIMES] + ['server'])
        self.assertEqual(cli.wanted_runtimes('server,us', 'full'), ['server', 'us'])

    def test_unknown_names_stop_the_run(self):
        with self.assertRaisesRegex(SystemExit, r'unknown runtime\(s\): nope'):
            cli.wanted_runtimes('us,nope', 'full')
        with self.assertRaisesRegex(SystemExit, r'unknown workload\(s\): a, b'):
            cli.wanted_workloads('roundtrip,a,b')
        self.assertEqual(cli.wanted_workloads(None), config.WORKLOAD_ORDER + ['boundary'])

    def test_options(self):
        args = cli.parse_args(['--smoke', '--rounds', '3', '--json', 'x.json'])
        self.assertEqual((args.mode, args.rounds, args.json), ('smoke', 3, 'x.json'))
        self.assertEqual(cli.parse_args([]).mode, 'full')
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            cli.parse_args(['--quick', '--smoke'])


class Rotation(unittest.TestCase):

    def test_the_order_rotates_by_workload_and_round(self):
        members = ['a', 'b', 'c']
        self.assertEqual(run.rotation(members, 0, 0), ['a', 'b', 'c'])
        self.assertEqual(run.rotation(members, 0, 1), ['b', 'c', 'a'])
        self.assertEqual(run.rotation(members, 1, 1), ['c', 'a', 'b'])
        self.assertEqual(run.rotation([], 3, 4), [])


class SmokeVerdict(unittest.TestCase):

    def test_failures(self):
        ok = {'status': 'ok'}
        na = {'status': 'n/a', 'reason': 'named cursors'}
        runs = {'roundtrip': {'us': [{'error': 'Traceback\nRuntimeError: boom'}]},
                'large_fetch': {'us': [{'error': None, 'result': {'cases': {'a': ok, 'b': na}}}],
                                'psycopg2-binary': [{'error': None, 'result': {'cases': {
                                    'a': {'status': 'error', 'reason': 'bad'}, 'b': na}}}]}}
        self.assertEqual(run.smoke_failures(runs), [
            'roundtrip/us: RuntimeError: boom',
            # Ours may lack a feature (n/a); the reference may not.
            'large_fetch/psycopg2-binary/a: error bad',
            'large_fetch/psycopg2-binary/b: n/a named cursors'])
        with contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(run.smoke_verdict(runs), 1)
            self.assertEqual(run.smoke_verdict({'x': {'us': []}}), 0)
        self.assertIn('smoke run FAILED', err.getvalue())


class Measured(unittest.TestCase):
    """run_measured on a stand-in for a workload script: python3 itself."""

    def measure(self, body, timeout=60):
        with tempfile.TemporaryDirectory() as tmp:
            script = os.path.join(tmp, 'fake.py')
            with open(script, 'w') as f:
                f.write(textwrap.dedent(body))
            with contextlib.redirect_stderr(io.StringIO()) as err:
                out = measure.run_measured([sys.executable, script], {'X': '1'}, timeout,
                                           'fake', cwd=tmp)
        return out, err.getvalue()

    def test_result_line_and_outside_figures(self):
        out, err = self.measure('''
            import os, sys
            sys.stderr.write('  [fake] progress\\nnoise\\n')
            print('other output')
            print(%r + '{"t0": ' + os.environ['BENCH_T0_NS'] + ', "x": ' + os.environ['X'] + '}')
        ''' % _common.RESULT_PREFIX)
        self.assertIsNone(out['error'], out)
        self.assertEqual(out['result']['x'], 1)
        self.assertGreater(out['result']['t0'], 0)  # BENCH_T0_NS was set for the process
        self.assertEqual(out['returncode'], 0)
        self.assertGreater(out['wall_s'], 0)
        self.assertGreater(out['max_rss_mb'], 1)
        self.assertAlmostEqual(out['cpu_s'], out['cpu_user_s'] + out['cpu_sys_s'])
        self.assertIsNone(out['stderr_tail'])
        # Only the progress lines of the child are shown.
        self.assertEqual(err, '  [fake] progress\n')

    def test_exit_status_and_missing_result(self):
        out, _ = self.measure('import sys; sys.stderr.write("it broke\\n"); sys.exit(3)')
        self.assertEqual(out['returncode'], 3)
        self.assertEqual(out['error'], 'exit status 3: it broke')
        self.assertEqual(out['stderr_tail'], 'it broke\n')
        out, _ = self.measure('print("no result")')
        self.assertEqual(out['error'], 'no result line; stderr: ')

    def test_timeout_kills_the_process(self):
        out, _ = self.measure('import time; time.sleep(60)', timeout=0.3)
        self.assertEqual(out['error'], 'timed out after 0 s')
        self.assertLess(out['wall_s'], 30)

    def test_the_last_result_line_wins(self):
        prefix = _common.RESULT_PREFIX
        self.assertEqual(measure.result_of('%s{"a": 1}\nx\n%s{"a": 2}\n' % (prefix, prefix)),
                         {'a': 2})
        self.assertIsNone(measure.result_of('x\n'))


class ServerEnvironment(unittest.TestCase):

    def test_parse_exports(self):
        text = ("export PGHOST=127.0.0.1\nexport PGPORT='54329'\n# comment\n"
                "export PGJVM_TEST_PG_BINDIR='/usr/lib/postgresql/15/bin'\nexport EMPTY=\n")
        self.assertEqual(server.parse_exports(text),
                         {'PGHOST': '127.0.0.1', 'PGPORT': '54329',
                          'PGJVM_TEST_PG_BINDIR': '/usr/lib/postgresql/15/bin', 'EMPTY': ''})

    def test_child_env_lets_nothing_of_the_caller_in(self):
        caller = {'PATH': '/bin', 'PYTHONPATH': '/x', 'PGDATABASE': 'other', 'BENCH_PARAMS': '{}',
                  'VIRTUAL_ENV': '/v', 'PIP_INDEX_URL': 'u', 'PG_PYTHON_JAVA': '/jdk',
                  'PG_PYTHON_JAVA_OPTS': '-XX:+UseG1GC', 'PGHOST': 'elsewhere'}
        with mock.patch.dict(os.environ, caller, clear=True):
            env = server.child_env({'PGHOST': 'h', 'PGPORT': '1', 'PGUSER': 'u'},
                                   {'BENCH_LABEL': 'us'})
        # The launcher's own settings pass: they choose what is measured.
        self.assertEqual(env, {'PATH': '/bin', 'PG_PYTHON_JAVA': '/jdk',
                               'PG_PYTHON_JAVA_OPTS': '-XX:+UseG1GC', 'PGHOST': 'h',
                               'PGPORT': '1', 'PGUSER': 'u', 'PGSSLMODE': 'disable',
                               'BENCH_DBNAME': 'pgjvm_bench', 'BENCH_LABEL': 'us'})

    def test_the_benchmark_cluster_is_not_the_tests_one(self):
        name = os.path.basename(server.bench_server_dir())
        self.assertRegex(name, r'^pgjvm-bench-postgres-%d-[0-9a-f]{8}$' % os.getuid())


class SharedModule(unittest.TestCase):

    def test_harness_and_scripts_share_one_file(self):
        self.assertEqual(os.path.realpath(_common.__file__),
                         os.path.realpath(os.path.join(config.WORKLOADS, '_common.py')))
        self.assertIs(measure._common, _common)
        # The harness no longer puts workloads/ on sys.path: a script-only name stays hidden.
        self.assertNotIn(os.path.realpath(config.WORKLOADS),
                         [os.path.realpath(p) for p in sys.path if p])

    def test_a_script_still_imports_common_as_top_level(self):
        # As a runtime runs a workload: the script's directory first on sys.path, nothing else
        # of ours. Importing does not run main() (scripts guard it).
        code = ('import sys; sys.path.insert(0, %r); import roundtrip, startup, _common; '
                'assert roundtrip.c is _common and startup.c is _common; '
                'assert "workloads" not in sys.modules; print("ok")' % config.WORKLOADS)
        proc = subprocess.run([sys.executable, '-I', '-c', code], cwd=tempfile.gettempdir(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=60)
        self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, 'ok\n', ''))


if __name__ == '__main__':
    unittest.main()
