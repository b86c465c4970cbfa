"""bin/pg-jython as a `jython` command: programs, arguments, exit status, sys.executable, and the
quickstart from a fresh interpreter (run under bin/pg-jython by `bin/run-tests jython`)."""
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_JYTHON = os.path.join(ROOT, 'bin', 'pg-jython')


def run(*args, **kwargs):
    proc = subprocess.Popen([PG_JYTHON] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)
    out, err = proc.communicate()
    return proc.returncode, out, err


class Launcher(unittest.TestCase):

    def test_c_with_arguments_and_exit_status(self):
        status, out, err = run('-c', 'import sys, psycopg2; print(sys.argv[1:]); '
                                     'print(psycopg2.__version__); sys.exit(3)', 'a', 'b c')
        self.assertEqual(status, 3, err)
        self.assertEqual(out.splitlines(), ["['a', 'b c']", '2.8.6 (dt dec pq3 ext lo64)'])

    def test_script_and_module(self):
        folder = tempfile.mkdtemp()
        with open(os.path.join(folder, 'mod_under_test.py'), 'w') as f:
            f.write('import sys\nprint(sys.argv)\nsys.stderr.write("bye")\nsys.exit(1)\n')
        status, out, err = run(os.path.join(folder, 'mod_under_test.py'), 'x')
        self.assertEqual((status, out.strip()), (1, "['%s', 'x']"
                                                 % os.path.join(folder, 'mod_under_test.py')))
        self.assertIn('bye', err)
        status, out, err = run('-m', 'mod_under_test', 'y', cwd=folder)
        self.assertEqual(status, 1, err)
        self.assertTrue(out.strip().endswith("'y']"), out)

    def test_executable_starts_the_launcher(self):
        self.assertEqual(sys.executable, PG_JYTHON)

    def test_quickstart(self):
        status, out, err = run(os.path.join(ROOT, 'examples', 'quickstart.py'))
        self.assertEqual(status, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[0], 'inserted 3 rows')
        self.assertIn(r"(3, 'caf\xc3\xa9 cr\xc3\xa8me', None, True, None, ['hot'])", lines)
        self.assertTrue(lines[-1].startswith('running on Jython 2.7'), lines[-1])


if __name__ == '__main__':
    unittest.main()
