"""One run of the suite: test processes (pytest on bin/pg-python, or upstream's unittest runner on
bin/pg-jython) over the tests not run yet, one after another, each followed through its event
file (events.py) and killed by the watchdog when it passes a time limit. A test that hangs or
crashes the interpreter costs only its own result: the next process starts after it."""
import collections
import os
import shutil
import signal
import subprocess
import time

from . import events
from .config import (COLLECT_LIMIT, EXIT_LIMIT, GRACE, GRAALPY, MODULE_BUDGET,
                     MODULE_BUDGET_PER_TEST, say)

Result = collections.namedtuple('Result', 'outcome seconds message')


def file_of(test_id):
    return test_id.split('::', 1)[0]


class Process:
    """What the supervisor knows of one test process, from its events so far."""

    def __init__(self, number, files, started):
        self.number, self.files = number, files
        self.started = self.last_event = started
        self.collecting = None          # the module being imported
        self.collected = False
        self.items = set()              # the test ids pytest collected
        self.current = None             # the test running, since current_started
        self.current_started = 0.0
        self.fatal = None
        self.killed = None              # why the watchdog killed it


class Run:
    """The tests of one run (ids of the manifest, `known`), in processes until each has a
    result. clock and sleep are time.monotonic and time.sleep but in unit tests."""

    def __init__(self, name, tests, top, env, out, timeout, budget, known,
                 clock=time.monotonic, sleep=time.sleep, suite=GRAALPY):
        self.name, self.tests, self.top, self.env = name, tests, top, env
        self.suite = suite
        self.test_set = set(tests)
        self.known = set(known)
        self.out, self.timeout = out, timeout
        self.clock, self.sleep = clock, sleep
        self.results = {}
        self.collect_errors = {}
        self.extra = []
        self.module_seconds = collections.Counter()
        self.module_size = collections.Counter(file_of(t) for t in tests)
        self.info = None
        self.printed_files = set()
        self.budget = budget
        self.deadline = clock() + budget

    def fail(self, test_id, message, seconds=0.0):
        if test_id not in self.results:
            self.results[test_id] = Result('failed', seconds, message)

    def remaining(self):
        return [t for t in self.tests if t not in self.results]

    def execute(self):
        shutil.rmtree(self.out, ignore_errors=True)
        os.makedirs(os.path.join(self.out, 'logs'))
        number = 0
        while True:
            self.report_files()
            remaining = self.remaining()
            if not remaining:
                break
            if self.clock() > self.deadline:
                for t in remaining:
                    self.fail(t, f'not run: the run used up its time budget of {self.budget:g} s')
                break
            number += 1
            if not self.process(number, remaining):
                break
        self.report_files()
        return self.results

    # --- one test process ----------------------------------------------------------------------

    def process(self, number, remaining):
        """One pytest process over the tests not run yet. False: stop (no progress possible)."""
        files = list(dict.fromkeys(file_of(t) for t in remaining))
        logs = os.path.join(self.out, 'logs')
        select_path = os.path.join(logs, f'select-{number}.txt')
        with open(select_path, 'w') as f:
            f.writelines(t + '\n' for t in remaining)
        events_path = os.path.join(logs, f'events-{number}.tsv')
        open(events_path, 'w').close()
        log_path = os.path.join(logs, f'pytest-{number}.log')
        if number > 1:
            say(f'[{self.name}] new test process #{number} for the {len(remaining)} tests left')
        proc = self.launch(files, events_path, select_path, log_path)
        state = Process(number, files, self.clock())
        before = len(self.results)
        self.follow(proc, state, events_path)
        return self.settle(proc, state, before, log_path)

    def launch(self, files, events_path, select_path, log_path):
        env = dict(self.env, UPSTREAM_EVENTS=events_path, UPSTREAM_SELECT=select_path,
                   UPSTREAM_TIMEOUT=str(self.timeout))
        if self.suite.jython:
            # Upstream's unittest runner over the whole suite (it runs the selected tests).
            command = [self.suite.launcher, os.path.join(self.suite.lists, 'unittest_runner.py')]
        else:
            command = self.pytest_command(files)
        with open(log_path, 'w') as log:
            return subprocess.Popen(command, cwd=self.top, env=env, stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def pytest_command(self, files):
        return [self.suite.launcher, '-m', 'pytest', '-c', os.path.join(self.top, 'pytest.ini'),
                '--rootdir', self.top, '-p', 'upstream_plugin', '-p', 'no:cacheprovider',
                # As under upstream's unittest runner: warnings are errors from the start (the
                # plugin says so), and an exception in a thread or in __del__ is printed, not
                # turned into a warning (hence an error) of the test.
                '-p', 'no:warnings', '-p', 'no:threadexception', '-p', 'no:unraisableexception',
                '-p', 'no:faulthandler', '-p', 'no:stepwise', '-s', '-q',
                '--assert=plain', '--continue-on-collection-errors', *files]

    def kill(self, proc):
        kill(proc)

    def follow(self, proc, state, events_path):
        """Applies the process's events as they are written, until it has exited and they are
        all read; kills it when the watchdog says so."""
        lines = events.Lines()
        with open(events_path, encoding='utf-8', errors='replace') as f:
            while True:
                # Poll, then read: once it has exited, this read gets its last lines.
                exited = proc.poll() is not None
                chunk = f.read()
                complete = lines.feed(chunk)
                now = self.clock()
                if complete:
                    state.last_event = now
                for text in complete:
                    event = events.parse(text)
                    if event:
                        self.apply(state, *event, now)
                if exited and not chunk:
                    break
                if state.killed is None:
                    state.killed = self.watchdog(now, state)
                    if state.killed:
                        say(f'[{self.name}] {state.killed}: killing the test process')
                        self.kill(proc)
                if not chunk:
                    self.sleep(0.2)

    def apply(self, state, kind, fields, now):
        """One event of the process (see events.FIELDS), received at `now`."""
        if kind == 'info':
            if self.info is None:
                self.info = fields[0]
        elif kind == 'collecting':
            state.collecting = fields[0]
        elif kind == 'collect-error':
            self.collect_errors[fields[0]] = fields[1]
        elif kind == 'item':
            state.items.add(fields[0])
        elif kind == 'collected':
            state.collected = True
            self.after_collection(state.files, state.items)
            say(f'[{self.name}] test process #{state.number}: {len(state.items)} tests '
                f'collected, {fields[0]} to run, in {now - state.started:.0f} s')
        elif kind == 'start':
            state.current, state.current_started = fields[0], now
        elif kind == 'result':
            test_id, outcome, seconds, message = fields
            if test_id in self.test_set:
                self.results[test_id] = Result(outcome, seconds, message)
            self.module_seconds[file_of(test_id)] += now - state.current_started
            state.current = None
            self.report_files()
        elif kind == 'fatal':
            state.fatal = fields[0]

    def settle(self, proc, state, before, log_path):
        """The results that the ended process owes. False: stop (no progress possible)."""
        status = proc.wait()
        current = state.current
        if current and current not in self.results:
            elapsed = self.clock() - state.current_started
            self.module_seconds[file_of(current)] += elapsed
            if state.killed:      # it started while the process was being killed
                self.fail(current, f'interrupted: the test process was killed ({state.killed})',
                          elapsed)
            else:
                self.fail(current, f'crashed: the test process ended (status {status}) during '
                                   'this test', elapsed)
                say(f'[{self.name}] {current}: the test process ended (status {status}) in this '
                    'test')
        if state.fatal:
            for t in self.remaining():
                self.fail(t, f'not run: {state.fatal}')
            say(f'[{self.name}] fatal: {state.fatal}')
            return False
        if self.clock() > self.deadline:
            return True         # the caller fails the rest as "not run"
        if len(self.results) == before:
            with open(log_path, errors='replace') as f:
                tail = [line.strip() for line in f.read().splitlines() if line.strip()][-1:]
            why = f'the test process ended (status {status}) without running a test'
            say(f'[{self.name}] {why}; see {log_path}')
            for t in self.remaining():
                self.fail(t, f"not run: {why}{': ' + tail[0] if tail else ''}")
            return False
        return True

    def after_collection(self, files, items):
        """Tests of the manifest that pytest did not collect fail (their module's import error),
        so that the count of tests stays that of the manifest."""
        for t in self.remaining():
            if file_of(t) in files and t not in items:
                error = self.collect_errors.get(file_of(t))
                self.fail(t, f'not collected: {error}' if error else
                          'not collected (pytest did not find this test)')
        self.extra.extend(t for t in items if t not in self.known and t not in self.extra)

    # --- the watchdog --------------------------------------------------------------------------

    def watchdog(self, now, state):
        """Why the test process must be killed now, or None."""
        current = state.current
        if now > self.deadline:
            if current:
                self.fail(current, f'timeout: killed when the run used up its budget of '
                                   f'{self.budget:g} s', now - state.current_started)
            return f'the run used up its time budget of {self.budget:g} s'
        if not state.collected:
            if now - state.started > COLLECT_LIMIT:
                culprit = state.collecting or '(pytest start)'
                for t in self.remaining():
                    if file_of(t) == culprit:
                        self.fail(t, f'not run: importing the module took more than '
                                     f'{COLLECT_LIMIT} s')
                return f'collecting {culprit} took more than {COLLECT_LIMIT} s'
            return None
        if current is None:
            # Between tests, and after the last one: the process should go on or exit at once
            # (it may not when a test left a thread behind).
            if now - state.last_event > EXIT_LIMIT:
                return f'the test process did nothing for {EXIT_LIMIT} s outside of a test'
            return None
        elapsed = now - state.current_started
        module = file_of(current)
        killed = self.watchdog_test(now, current, module, elapsed)
        if killed:
            self.module_seconds[module] += elapsed
        return killed

    def watchdog_test(self, now, current, module, elapsed):
        if elapsed > self.timeout + GRACE:
            self.fail(current, f'timeout: killed after {elapsed:.0f} s (the in-process limit of '
                               f'{self.timeout:g} s did not stop it)', elapsed)
            return f'{current} still running after {elapsed:.0f} s'
        budget = MODULE_BUDGET + MODULE_BUDGET_PER_TEST * self.module_size[module]
        if self.module_seconds[module] + elapsed > budget:
            self.fail(current, f'timeout: killed when its module used up its budget of '
                               f'{budget} s', elapsed)
            for t in self.remaining():
                if file_of(t) == module:
                    self.fail(t, f'not run: the module used up its time budget of {budget} s')
            return f'{module} used up its time budget of {budget} s'
        return None

    def report_files(self):
        """A progress line for each file whose tests are all done."""
        by_file = collections.defaultdict(list)
        for t in self.tests:
            by_file[file_of(t)].append(t)
        for name, tests in by_file.items():
            if name in self.printed_files or any(t not in self.results for t in tests):
                continue
            self.printed_files.add(name)
            counts = collections.Counter(self.results[t].outcome for t in tests)
            say(f'[{self.name}] {name}: {counts["passed"]} passed, {counts["failed"]} failed, '
                f'{counts["skipped"]} skipped ({self.module_seconds[name]:.1f} s)')


def kill(proc):
    """The test process and its children. The JVM (bin/pg-python execs it) first writes its
    threads' stacks into the log (SIGQUIT), to show where it was stuck."""
    try:
        os.kill(proc.pid, signal.SIGQUIT)
        time.sleep(2)
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
