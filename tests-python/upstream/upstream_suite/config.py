"""What the supervisor's modules share: versions, paths, time limits, the runs, and `say`."""
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


class SetupError(Exception):
    """The suite cannot be set up (download, database, configuration files): exit status 2."""


def say(*args):
    print('upstream-suite:', *args, flush=True)
