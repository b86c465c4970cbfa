"""The test process of `bin/upstream-suite --jython`: psycopg2 2.8.6's own tests/ run the way
upstream runs them (its unittest suite, tests.test_suite()) under bin/pg-jython, reporting each
test as it starts and ends (upstream_suite/events.py), as upstream_plugin.py does for pytest on
GraalPy. Python 2.7 syntax (Jython); the helpers also import on Python 3, for their tests.

Environment, as for the pytest plugin: UPSTREAM_EVENTS, UPSTREAM_SELECT, UPSTREAM_TESTS_DIR,
UPSTREAM_SUITE_SIZE, UPSTREAM_PSYCOPG2_DIR; and UPSTREAM_LIST, a file to write the ids of the
suite's tests to (in the suite's order) instead of running them (manifest.txt is made so).
"""
import os
import sys
import time
import traceback
import types
import unittest


def test_id(case_id):
    """The manifest's id ('tests/test_x.py::Class::method') of a unittest id
    ('tests.test_x.Class.method')."""
    parts = case_id.split('.')
    return '%s.py::%s' % ('/'.join(parts[:-2]), '::'.join(parts[-2:]))


def flatten(suite):
    """The test cases of a suite, nested suites opened, in order."""
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            for case in flatten(test):
                yield case
        else:
            yield test


def first_line(text):
    """The first line of an exception's text ('Type: message'), where a message of several
    lines starts."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else ''


class EventResult(unittest.TestResult):
    """A TestResult that reports each test's start and outcome as events."""

    def __init__(self, emit):
        unittest.TestResult.__init__(self)
        self.emit = emit
        self.outcome = None
        self.started = 0.0

    def startTest(self, test):
        unittest.TestResult.startTest(self, test)
        self.outcome = ('passed', '')
        self.started = time.time()
        self.emit('start', test_id(test.id()))

    def stopTest(self, test):
        unittest.TestResult.stopTest(self, test)
        kill_children()
        outcome, message = self.outcome
        self.emit('result', test_id(test.id()), outcome, time.time() - self.started, message)

    def addError(self, test, err):
        unittest.TestResult.addError(self, test, err)
        self._failed(test, err)

    def addFailure(self, test, err):
        unittest.TestResult.addFailure(self, test, err)
        self._failed(test, err)

    def _failed(self, test, err):
        text = ''.join(traceback.format_exception_only(err[0], err[1]))
        if self.outcome is None or not hasattr(test, 'id') or ' ' in test.id():
            # A class or module fixture failed (setUpClass): no test of ours is running.
            return
        self.outcome = ('failed', first_line(text))

    def addSkip(self, test, reason):
        unittest.TestResult.addSkip(self, test, reason)
        self.outcome = ('skipped', reason)

    def addExpectedFailure(self, test, err):
        unittest.TestResult.addExpectedFailure(self, test, err)
        self.outcome = ('passed', 'expected failure')

    def addUnexpectedSuccess(self, test):
        unittest.TestResult.addUnexpectedSuccess(self, test)
        self.outcome = ('failed', 'unexpected success')


def kill_children():
    """Ends the child processes a test left running, as upstream_plugin.py does on GraalPy: a
    failed notify test's child (a Jython taking seconds to start) would otherwise send its
    NOTIFY into a later test that listens on the same channel."""
    try:
        from java.lang import ProcessHandle
    except ImportError:             # not on Jython (the tests of these helpers)
        return
    for child in ProcessHandle.current().descendants().toArray():
        child.destroyForcibly()


def fill_jython_gaps():
    """What upstream's tests import at module level and Jython lacks: ctypes.util (testutils
    imports find_library; only the tests of libpq's internals use it, and fail anyway)."""
    try:
        import ctypes.util  # noqa: F401
    except ImportError:
        module = types.ModuleType('ctypes.util')
        module.find_library = lambda name: None
        sys.modules['ctypes.util'] = module


def main():
    sys.path.insert(0, os.path.dirname(os.environ['UPSTREAM_TESTS_DIR']))
    from upstream_suite import events
    listing = os.environ.get('UPSTREAM_LIST')
    emit = events.emitter(os.environ['UPSTREAM_EVENTS']) if not listing else None
    fill_jython_gaps()
    try:
        import tests
        suite = tests.test_suite()
    except BaseException as e:      # test_suite() calls sys.exit(1) when it cannot connect
        problem = 'upstream tests/__init__.py failed: %s: %s' % (type(e).__name__, e)
        if listing:
            raise
        emit('fatal', problem)
        return 1
    cases = list(flatten(suite))
    if listing:
        with open(listing, 'w') as f:
            f.writelines(test_id(case.id()) + '\n' for case in cases)
        return 0
    import psycopg2
    emit('info', {'file': psycopg2.__file__, 'version': psycopg2.__version__,
                  'libpq': getattr(psycopg2, '__libpq_version__', None)})
    expected_dir = os.environ['UPSTREAM_PSYCOPG2_DIR']
    if os.path.dirname(os.path.abspath(psycopg2.__file__)) != expected_dir:
        emit('fatal', 'psycopg2 imported from %s, not %s' % (psycopg2.__file__, expected_dir))
        return 1
    expected = int(os.environ['UPSTREAM_SUITE_SIZE'])
    if len(cases) != expected:
        emit('fatal', 'tests.test_suite() holds %d tests, manifest.txt %d' % (len(cases), expected))
        return 1
    with open(os.environ['UPSTREAM_SELECT']) as f:
        selected = set(line.strip() for line in f if line.strip())
    emit('collecting', 'tests')
    for case in cases:
        emit('item', test_id(case.id()))
    chosen = [case for case in cases if test_id(case.id()) in selected]
    emit('collected', len(chosen))
    # One suite, so that class fixtures run as upstream's runner runs them.
    unittest.TestSuite(chosen).run(EventResult(emit))
    return 0


if __name__ == '__main__':
    sys.exit(main())
