"""The command line, the environments of the test processes, the sdist and the shim."""
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
import unittest.mock

from upstream_fakes import ROOT, UPSTREAM
from upstream_suite import cli, sdist
from upstream_suite.config import PACKAGE_DIR, SDIST, SDIST_SHA256, SetupError, VERSION
from upstream_suite.database import exports, replication_dsn, test_env

SHIM = os.path.join(ROOT, 'bin', 'upstream-suite')
A1, B1 = 'tests/test_a.py::T::test_1', 'tests/test_b.py::T::test_1'


class Options(unittest.TestCase):

    def test_defaults(self):
        args = cli.parser().parse_args([])
        self.assertEqual((args.prefixes, args.only, args.update_baseline, args.timeout,
                          args.budget), ([], None, False, 60, 780))
        self.assertEqual(args.out, os.path.join(ROOT, 'target', 'upstream-suite'))

    def test_only_takes_a_run_name(self):
        self.assertEqual(cli.parser().parse_args(['--only', 'green']).only, 'green')
        with self.assertRaises(SystemExit), unittest.mock.patch('sys.stderr', io.StringIO()):
            cli.parser().parse_args(['--only', 'blue'])

    def test_select(self):
        manifest = [A1, 'tests/test_a.py::U::test_2', B1]
        self.assertEqual(cli.select(manifest, []), manifest)
        self.assertEqual(cli.select(manifest, ['tests/test_b.py', 'tests/test_a.py::T::']),
                         [A1, B1])
        with self.assertRaisesRegex(SetupError, 'no test id starts with x or y'):
            cli.select(manifest, ['x', 'y'])


class Environments(unittest.TestCase):

    def test_suite_env(self):
        env = cli.suite_env({'PYTHONPATH': '/mine', 'PYTEST_ADDOPTS': '-x', 'PGHOST': 'h'},
                            '/site', '/top')
        self.assertEqual(env['PYTHONPATH'], os.pathsep.join(['/site', UPSTREAM, '/mine']))
        self.assertNotIn('PYTEST_ADDOPTS', env)
        self.assertEqual((env['PG_PYTHON_JIT'], env['PSYCOPG2_TEST_FAST']), ('0', '0'))
        self.assertEqual(env['UPSTREAM_TESTS_DIR'], '/top/tests')
        self.assertEqual(env['UPSTREAM_PSYCOPG2_DIR'], PACKAGE_DIR)
        self.assertEqual(cli.suite_env({'PG_PYTHON_JIT': '1'}, '/s', '/t')['PG_PYTHON_JIT'], '1')

    def test_the_plugin_and_its_events_module_are_on_the_test_processes_path(self):
        path = cli.suite_env({}, '/site', '/top')['PYTHONPATH'].split(os.pathsep)
        folder = next(p for p in path if os.path.exists(os.path.join(p, 'upstream_plugin.py')))
        self.assertTrue(os.path.exists(os.path.join(folder, 'upstream_suite', 'events.py')))

    def test_run_env(self):
        env = test_env({'PGHOST': 'h', 'PGPORT': '5', 'PGUSER': 'u', 'PSYCOPG2_TEST_GREEN': '1'})
        normal = cli.run_env(env, 'normal', {}, 'db_n', 42)
        self.assertNotIn('PSYCOPG2_TEST_GREEN', normal)
        self.assertEqual((normal['PSYCOPG2_TESTDB'], normal['PSYCOPG2_TEST_REPL_SLOT']),
                         ('db_n', 'psycopg2_upstream_42'))
        self.assertEqual(normal['PSYCOPG2_TEST_REPL_DSN'],
                         'host=h port=5 user=u replication=database dbname=db_n')
        green = cli.run_env(env, 'green', {'PSYCOPG2_TEST_GREEN': '1'}, 'db_g', 42)
        self.assertEqual(green['PSYCOPG2_TEST_GREEN'], '1')
        self.assertNotIn('PSYCOPG2_TEST_REPL_DSN', env)          # the caller's is untouched

    def test_a_given_replication_dsn_gets_the_runs_database(self):
        env = {'PSYCOPG2_TEST_REPL_DSN': 'host=x dbname=psycopg2_test replication=database'}
        self.assertEqual(replication_dsn(env, 'db_n'), 'host=x  replication=database dbname=db_n')

    def test_test_env_and_exports(self):
        found = exports("export PGHOST='127.0.0.1'\nexport PGPORT='54376'\n"
                        "export PGPASSWORD='a b'\nnot this\n")
        self.assertEqual(found, {'PGHOST': '127.0.0.1', 'PGPORT': '54376', 'PGPASSWORD': 'a b'})
        env = test_env(dict(found, PSYCOPG2_TESTDB_PORT='1'))
        self.assertEqual((env['PSYCOPG2_TESTDB'], env['PSYCOPG2_TESTDB_HOST'],
                          env['PSYCOPG2_TESTDB_PORT'], env['PSYCOPG2_TESTDB_PASSWORD']),
                         ('psycopg2_test', '127.0.0.1', '1', 'a b'))
        self.assertNotIn('PSYCOPG2_TESTDB_USER', env)


class Sdist(unittest.TestCase):

    def test_link_from_json_and_html_pages(self):
        page = 'https://pypi.org/simple/psycopg2/'
        body = json.dumps({'files': [{'filename': 'other.tar.gz', 'url': 'u1'},
                                     {'filename': SDIST, 'url': 'u2'}]})
        self.assertEqual(sdist.sdist_link(page, 'application/vnd.pypi.simple.v1+json', body),
                         'u2')
        html = (f'<a href="../../packages/ab/{SDIST}#sha256=1&amp;x">{SDIST}</a>'
                f'<a href="../../packages/cd/{SDIST}.asc">sig</a>')
        self.assertEqual(sdist.sdist_link(page, 'text/html', html),
                         f'https://pypi.org/packages/ab/{SDIST}#sha256=1&x')
        with self.assertRaisesRegex(SetupError, 'is not on'):
            sdist.sdist_link(page, 'text/html', '<a href="x.whl">x</a>')

    def test_extract_keeps_tests_only_and_writes_pytest_ini(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        tar_path = os.path.join(tmp, SDIST)
        with tarfile.open(tar_path, 'w:gz') as tar:
            for name in [f'psycopg2-{VERSION}/tests/test_a.py', f'psycopg2-{VERSION}/setup.py',
                         f'psycopg2-{VERSION}/lib/extras.py']:
                data = b'# ' + name.encode() + b'\n'
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        top = sdist.extract(tar_path, cache=tmp)
        self.assertEqual(sorted(os.listdir(top)), ['.extracted', 'pytest.ini', 'tests'])
        self.assertEqual(os.listdir(os.path.join(top, 'tests')), ['test_a.py'])
        with open(os.path.join(top, 'pytest.ini')) as f:
            self.assertIn('python_functions = __upstream_suite_collects_unittest', f.read())
        with open(os.path.join(top, '.extracted')) as f:
            self.assertEqual(f.read(), SDIST_SHA256 + '\n')
        os.unlink(tar_path)                 # the marker says it is done: no tar needed again
        self.assertEqual(sdist.extract(tar_path, cache=tmp), top)

    def test_sha256(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(b'abc')
            f.flush()
            self.assertEqual(sdist.sha256(f.name), 'ba7816bf8f01cfea414140de5dae2223b00361a396177'
                                                   'a9cb410ff61f20015ad')


class Shim(unittest.TestCase):
    """bin/upstream-suite itself, on this CPython: what it does before any download."""

    def shim(self, *args):
        return subprocess.run([sys.executable, SHIM, *args], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=60)

    def test_help(self):
        done = self.shim('--help')
        self.assertEqual(done.returncode, 0)
        self.assertTrue(done.stdout.startswith('usage: upstream-suite [-h] [--only {green,normal}]'))

    def test_a_prefix_that_selects_nothing_exits_2(self):
        with tempfile.TemporaryDirectory() as out:
            done = self.shim('--out', out, 'tests/test_nothing.py')
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stdout, 'upstream-suite: error: no test id starts with '
                                      'tests/test_nothing.py\n0 passed, 0 failed, 0 skipped\n')


if __name__ == '__main__':
    unittest.main()
