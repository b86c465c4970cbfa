"""What the supervisor's modules share: versions, paths, time limits, the runs, the two suites
(GRAALPY and JYTHON), and `say`."""
import collections
import os

VERSION = '2.9.13'
SDIST = f'psycopg2-{VERSION}.tar.gz'
SDIST_SHA256 = 'd36784fc2dae69523ba4b79c7d1d1b4d6e83e87836874f111262f4db940b16a6'
PYTEST_VERSION = '8.3.4'          # the same pytest as bin/run-tests (and the same cache folder)

# Time limits (seconds), so that CI never hangs. A test past TIMEOUT is failed in-process by
# SIGALRM; past TIMEOUT + GRACE (a thread stuck in native code does not see the signal) the test
# process is killed. A module may take MODULE_BUDGET + MODULE_BUDGET_PER_TEST for each of its
# tests, a run RUN_BUDGET: then the tests not run yet fail as "not run". COLLECT_LIMIT bounds a
# test process's start up to the end of collection (pytest and the test modules imported);
# EXIT_LIMIT the time it may do nothing outside of a test (e.g. not exit after the last one).
TIMEOUT = 60
GRACE = 30
MODULE_BUDGET = 240
MODULE_BUDGET_PER_TEST = 3
RUN_BUDGET = 780
COLLECT_LIMIT = 300
EXIT_LIMIT = 60

HERE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))    # tests-python/upstream
ROOT = os.path.dirname(os.path.dirname(HERE))
PG_PYTHON = os.path.join(ROOT, 'bin', 'pg-python')
PACKAGE_DIR = os.path.join(ROOT, 'python', 'src', 'main', 'python', 'psycopg2')
CACHE = os.environ.get('PG_PYTHON_CACHE') or os.path.join(
    os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'pg-python')

RUNS = {
    # name: (environment, baseline file, description)
    'normal': ({}, 'baseline.txt', 'PSYCOPG2_TEST_GREEN unset'),
    'green': ({'PSYCOPG2_TEST_GREEN': '1'}, 'baseline-green.txt', 'PSYCOPG2_TEST_GREEN=1'),
}


class Suite(collections.namedtuple('Suite', 'version sdist_sha256 lists launcher runs')):
    """One suite the supervisor runs: psycopg2 `version`'s tests/ (from its sdist, checked
    against `sdist_sha256`) under `launcher`, with the lists (manifest.txt, the baselines,
    expected-failures.txt) in the folder `lists` and the `runs` (as RUNS)."""

    @property
    def sdist(self):
        return 'psycopg2-%s.tar.gz' % self.version

    @property
    def jython(self):
        return self.launcher == PG_JYTHON


# psycopg2 2.9.13's suite, with pytest and upstream_plugin.py, on GraalPy (the default).
GRAALPY = Suite(VERSION, SDIST_SHA256, HERE, PG_PYTHON, RUNS)
# psycopg2 2.8.6's (its last release for Python 2), with its unittest runner
# (tests-jython/upstream/unittest_runner.py), on Jython 2.7 (bin/upstream-suite --jython).
PG_JYTHON = os.path.join(ROOT, 'bin', 'pg-jython')
JYTHON = Suite('2.8.6', 'fb23f6c71107c37fd667cb4ea363ddeb936b348bbd6449278eb92c189699f543',
               os.path.join(ROOT, 'tests-jython', 'upstream'), PG_JYTHON,
               {'normal': RUNS['normal']})


class SetupError(Exception):
    """The suite cannot be set up (download, database, configuration files): exit status 2."""


def say(*args):
    print('upstream-suite:', *args, flush=True)
