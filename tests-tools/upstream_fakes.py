"""Fakes for the tests of bin/upstream-suite's supervisor (tests-python/upstream/upstream_suite):
a clock that only moves when the supervisor sleeps, and test processes that write scripted
event lines at given times instead of running pytest on GraalPy."""
import contextlib
import io
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UPSTREAM = os.path.join(ROOT, 'tests-python', 'upstream')
FIXTURES = os.path.join(ROOT, 'tests-tools', 'upstream-fixtures')
sys.path.insert(0, UPSTREAM)        # as bin/upstream-suite does

from upstream_suite import events  # noqa: E402
from upstream_suite.supervisor import Run  # noqa: E402


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class FakeProcess:
    """Writes the (at, kind, *fields) of `script` into the events file in order, each when the
    clock is `at` seconds or more past its start (when polled: the real process writes between
    two polls), and exits at `exit_at` with `status` once all are written; None: runs until
    killed, after writing `after_kill`."""

    def __init__(self, clock, events_path, script, exit_at, status, after_kill=()):
        self.clock, self.path = clock, events_path
        self.start = clock()
        self.script = list(script)
        self.exit_at, self.status = exit_at, status
        self.after_kill = after_kill
        self.killed = False
        self.pid = -1

    def write(self, entries):
        with open(self.path, 'a', encoding='utf-8') as f:
            for _, kind, *fields in entries:
                f.write(events.line(kind, *fields))

    def poll(self):
        if self.killed:
            return -9
        elapsed = self.clock() - self.start
        due = []
        while self.script and self.script[0][0] <= elapsed:
            due.append(self.script.pop(0))
        self.write(due)
        if self.exit_at is not None and elapsed >= self.exit_at and not self.script:
            return self.status
        return None

    def kill(self):
        self.write(self.after_kill)     # what it managed to write while being killed
        self.killed = True

    def wait(self):
        return self.poll()


class FakeRun(Run):
    """A Run whose test processes are FakeProcess: `processes` is a list of
    (script, exit_at, status[, after_kill]), one per process it will start."""

    def __init__(self, tests, out, processes, timeout=60, budget=780, known=None, clock=None,
                 log_lines=()):
        clock = clock or Clock()
        super().__init__('normal', tests, '/nonexistent', {}, out, timeout, budget,
                         known=tests if known is None else known, clock=clock,
                         sleep=clock.sleep)
        self.fake_clock = clock
        self.processes = list(processes)
        self.log_lines = log_lines
        self.launched = []          # (files, the test ids selected), per process

    def launch(self, files, events_path, select_path, log_path):
        with open(select_path) as f:
            self.launched.append((files, f.read().split()))
        with open(log_path, 'w') as log:
            log.writelines(line + '\n' for line in self.log_lines)
        script, exit_at, status, *after_kill = self.processes.pop(0)
        return FakeProcess(self.fake_clock, events_path, script, exit_at, status, *after_kill)

    def kill(self, proc):
        proc.kill()


def quietly(function, *args):
    """(function's value, what it printed)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        value = function(*args)
    return value, out.getvalue()
