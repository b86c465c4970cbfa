"""pytest plugin that bin/upstream-suite loads into the interpreter under test (bin/pg-python) to
run psycopg2 2.9.13's own tests/ one test at a time and report each result as it happens.

It talks to the supervisor (bin/upstream-suite) through files named in the environment:
  UPSTREAM_EVENTS        appended, one line per event, flushed at once, so that the supervisor
                         knows which test is running when the interpreter hangs or dies; the
                         format is upstream_suite/events.py's, the module both sides use
  UPSTREAM_SELECT        the test ids (one a line) to run; the others are deselected
  UPSTREAM_TESTS_DIR     the extracted tests/ folder, imported as upstream's runner imports it
  UPSTREAM_SUITE_SIZE    how many tests upstream's tests.test_suite() must hold (manifest.txt's)
  UPSTREAM_PSYCOPG2_DIR  the folder our psycopg2 package must be imported from
  UPSTREAM_TIMEOUT       seconds a test may take before SIGALRM fails it in-process (the
                         supervisor kills the interpreter if even that does not stop it)
"""
import os
import signal
import sys
import threading
import time
import warnings

import pytest

# The supervisor puts tests-python/upstream, this plugin's folder, on PYTHONPATH.
from upstream_suite import events

_emit = events.emitter(os.environ['UPSTREAM_EVENTS'])


def _import_tests_package():
    """Imports upstream's `tests` package the way its runner does: tests/__init__.py turns
    warnings into errors, then imports psycopg2 (through testconfig) and all 25 test modules,
    and tests.test_suite() builds the suite. One name our psycopg2 lacks then stops the whole
    suite, as it would for a user running `python -m tests`: the process reports it as fatal
    instead of hiding it behind per-module collection errors. Returns the error, or None."""
    tests_dir = os.environ['UPSTREAM_TESTS_DIR']
    sys.path.insert(0, os.path.dirname(tests_dir))
    try:
        import tests
        count = tests.test_suite().countTestCases()
    except BaseException as e:   # test_suite() calls sys.exit(1) when it cannot connect
        return f'upstream tests/__init__.py failed: {type(e).__name__}: {e}'
    expected = int(os.environ['UPSTREAM_SUITE_SIZE'])
    if count != expected:
        return f'tests.test_suite() holds {count} tests, manifest.txt {expected}'
    return None


def pytest_sessionstart(session):
    problem = _import_tests_package()
    try:
        import psycopg2
        import psycopg2.extensions
    except Exception as e:
        problem = f'{type(e).__name__}: {e}'
        _emit('info', {'error': problem})
    else:
        _emit('info', {
            'file': psycopg2.__file__, 'version': psycopg2.__version__,
            'libpq': getattr(psycopg2, '__libpq_version__', None),
            'wait_callback': hasattr(psycopg2.extensions, 'set_wait_callback')})
        origin = os.path.realpath(os.path.dirname(psycopg2.__file__))
        expected = os.path.realpath(os.environ['UPSTREAM_PSYCOPG2_DIR'])
        if origin != expected:
            problem = f'psycopg2 imported from {origin}, not from {expected}'
    if problem:
        _emit('fatal', problem)
        pytest.exit(problem, returncode=3)


def pytest_collectstart(collector):
    if isinstance(collector, pytest.Module):
        _emit('collecting', collector.nodeid)


def pytest_collectreport(report):
    if report.failed:
        _emit('collect-error', report.nodeid, _first_line(report, collecting=True))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    with open(os.environ['UPSTREAM_SELECT'], encoding='utf-8') as f:
        selected = {line.strip() for line in f if line.strip()}
    for item in items:
        _emit('item', item.nodeid)
    keep = [item for item in items if item.nodeid in selected]
    dropped = [item for item in items if item.nodeid not in selected]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_collection_finish(session):
    _emit('collected', len(session.items))


class UpstreamTimeout(Exception):
    """Raised in the test by SIGALRM when it runs past UPSTREAM_TIMEOUT."""


def _on_alarm(signum, frame):
    raise UpstreamTimeout(f"test ran longer than {float(os.environ['UPSTREAM_TIMEOUT']):g} s")


_reports = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    timeout = float(os.environ.get('UPSTREAM_TIMEOUT') or 0)
    armed = (timeout > 0 and hasattr(signal, 'setitimer')
             and threading.current_thread() is threading.main_thread())
    if armed:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    _emit('start', item.nodeid)
    _reports[item.nodeid] = []
    started = time.monotonic()
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _finish(item.nodeid, time.monotonic() - started)


def _children():
    """The pids of this process's live child processes (Linux's /proc children lists)."""
    pids = []
    try:
        for task in os.listdir('/proc/self/task'):
            with open('/proc/self/task/%s/children' % task) as f:
                pids.extend(int(p) for p in f.read().split())
    except OSError:
        pass
    return pids


def _kill_leftover_children():
    """Kill the child processes a test started and left running.

    test_notify's helpers start `python -c` children that send a NOTIFY after a delay; when a
    test fails before it waits for its child, the child's NOTIFY lands in a LATER test that
    listens on the same channel (on CPython the child starts in milliseconds and its NOTIFY
    arrives within the failing test; a GraalPy child takes seconds to start). A test's
    children are its own: none may outlive it."""
    for pid in _children():
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (OSError, ChildProcessError):
            pass


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """Close the connections the test case opened (ConnectingTestCase keeps them in _conns) and
    left open, which happens when setUp fails (unittest then skips tearDown).

    On CPython the test case is freed as soon as it has run, and reference counting closes its
    connections at once; on GraalPy they would stay open until a garbage collection, and the
    leaks of a few dozen failing tests exhaust the server's max_connections, failing unrelated
    tests after them. The test's own outcome is already decided here."""
    _kill_leftover_children()
    testcase = getattr(item, '_testcase', None)
    for conn in list(getattr(testcase, '_conns', None) or ()):
        try:
            if not conn.closed:
                conn.close()
        except Exception:
            pass


def pytest_runtest_logreport(report):
    _reports.setdefault(report.nodeid, []).append(report)


def _finish(nodeid, seconds):
    reports = _reports.pop(nodeid, [])
    outcome, message = 'passed', ''
    for report in reports:
        if report.failed:
            outcome = 'failed'
            message = _first_line(report)
            if report.when != 'call':
                message = f'error in {report.when}: {message}'
            break
        if report.skipped and outcome == 'passed':
            outcome = 'skipped'
            message = _first_line(report)
    if not reports:
        outcome, message = 'failed', 'no report from pytest'
    _emit('result', nodeid, outcome, f'{seconds:.3f}', message)


def _first_line(report, collecting=False):
    """The first line of what went wrong (an exception's `Type: message`), or a skip's reason."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:      # a skip: (path, line, reason)
        text = str(longrepr[2])
        return text[len('Skipped: '):] if text.startswith('Skipped: ') else text
    crash = getattr(longrepr, 'reprcrash', None)
    if crash is not None and not collecting:
        lines = str(crash.message).strip().splitlines()
        if lines:
            return lines[0]
    text = str(longrepr) if longrepr is not None else ''
    # Collection errors and others: the last `E   ` line is the exception.
    errors = [line[1:].strip() for line in text.splitlines() if line.startswith('E ')]
    if errors:
        return errors[-1]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ''
