"""The supervisor's run of the tests (upstream_suite/supervisor.py) with fake test processes and
a fake clock: results from events, restarts after a crash or a hang, the time limits."""
import os
import shutil
import tempfile
import unittest

from upstream_fakes import FIXTURES, Clock, FakeRun, events, quietly
from upstream_suite.config import COLLECT_LIMIT, EXIT_LIMIT, GRACE, MODULE_BUDGET, \
    MODULE_BUDGET_PER_TEST
from upstream_suite.supervisor import Process, Result

A1, A2, B1 = 'tests/test_a.py::T::test_1', 'tests/test_a.py::T::test_2', 'tests/test_b.py::T::test_1'
ALL = [A1, A2, B1]


def collect(*test_ids, at=0.0):
    """The script of a collection of test_ids, all selected."""
    files = dict.fromkeys(t.split('::')[0] for t in test_ids)
    return ([(at, 'info', {'version': '2.9.10', 'wait_callback': False})]
            + [(at, 'collecting', f) for f in files] + [(at, 'item', t) for t in test_ids]
            + [(at, 'collected', len(test_ids))])


def passing(test_id, at, seconds=1.0):
    return [(at, 'start', test_id), (at + seconds, 'result', test_id, 'passed', seconds, '')]


class RunTestCase(unittest.TestCase):

    def setUp(self):
        self.out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.out)

    def execute(self, processes, tests=ALL, **options):
        run = FakeRun(tests, os.path.join(self.out, 'normal'), processes, **options)
        results, printed = quietly(run.execute)
        return run, results, printed


class Results(RunTestCase):

    def test_a_real_event_file(self):
        with open(os.path.join(FIXTURES, 'events-test_quote.tsv'), encoding='utf-8') as f:
            script = [(0.0, kind, *fields) for kind, fields in
                      map(events.parse, events.Lines().feed(f.read()))]
        tests = [fields[0] for _, kind, *fields in script if kind == 'item']
        run, results, printed = self.execute([(script, 0.0, 0)], tests=tests)
        self.assertEqual(len(results), 15)
        self.assertEqual(results['tests/test_quote.py::QuotingTestCase::test_bytes'],
                         Result('failed', 1.67, "AttributeError: module 'psycopg2.extensions' "
                                                "has no attribute 'BYTES'"))
        self.assertEqual(sum(r.outcome == 'passed' for r in results.values()), 14)
        self.assertEqual(run.info['version'], '2.9.10 (dt dec pq3 ext)')
        self.assertIn('[normal] tests/test_quote.py: 14 passed, 1 failed, 0 skipped', printed)
        self.assertIn('test process #1: 15 tests collected, 15 to run, in 0 s', printed)
        self.assertEqual(len(run.launched), 1)

    def test_seconds_of_a_module_come_from_the_supervisors_clock(self):
        script = collect(*ALL) + passing(A1, 1, 2.0) + passing(A2, 5, 3.0) + passing(B1, 10)
        run, results, printed = self.execute([(script, 12, 0)])
        self.assertEqual(results[A2], Result('passed', 3.0, ''))
        # 2.0 + 3.0 s, give or take the 0.2 s the supervisor sleeps between reads.
        self.assertAlmostEqual(run.module_seconds['tests/test_a.py'], 5.0, delta=0.5)
        self.assertIn('tests/test_a.py: 2 passed, 0 failed, 0 skipped (5.', printed)

    def test_the_last_lines_before_exit_are_read(self):
        # The process writes its last result and exits between two polls.
        script = collect(*ALL) + passing(A1, 0) + passing(A2, 0) + [
            (5, 'start', B1), (5, 'result', B1, 'skipped', 0.0, 'no server')]
        run, results, printed = self.execute([(script, 5, 0)])
        self.assertEqual(results[B1], Result('skipped', 0.0, 'no server'))
        self.assertEqual(len(run.launched), 1)

    def test_not_collected_and_extra_tests(self):
        extra = 'tests/test_a.py::T::test_new'
        script = collect(A1, extra)
        script.insert(-1, (0, 'collect-error', 'tests/test_b.py',
                           'ImportError: cannot import name x'))
        script += passing(A1, 1)
        run, results, printed = self.execute([(script, 3, 0)])
        self.assertEqual(results[A2].message, 'not collected (pytest did not find this test)')
        self.assertEqual(results[B1], Result('failed', 0.0, 'not collected: ImportError: '
                                                             'cannot import name x'))
        self.assertEqual(results[A1].outcome, 'passed')
        self.assertEqual(run.extra, [extra])


class Restarts(RunTestCase):

    def test_a_crash_costs_only_its_test(self):
        first = collect(*ALL) + passing(A1, 1) + [(3, 'start', A2)]
        second = collect(B1) + passing(B1, 1)
        run, results, printed = self.execute([(first, 4, -11), (second, 3, 0)])
        self.assertEqual(results[A2].outcome, 'failed')
        self.assertEqual(results[A2].message,
                         'crashed: the test process ended (status -11) during this test')
        self.assertEqual(results[B1].outcome, 'passed')
        self.assertEqual(run.launched[1], (['tests/test_b.py'], [B1]))
        self.assertIn('new test process #2 for the 1 tests left', printed)

    def test_a_hang_is_killed_and_the_run_goes_on(self):
        first = collect(*ALL) + [(1, 'start', A1)]
        second = collect(A2, B1) + passing(A2, 0) + passing(B1, 1)
        run, results, printed = self.execute([(first, None, 0), (second, 3, 0)])
        self.assertRegex(results[A1].message, r'^timeout: killed after 9[01] s \(the in-process '
                                              r'limit of 60 s did not stop it\)$')
        self.assertGreater(results[A1].seconds, 60 + GRACE)
        self.assertEqual([results[A2].outcome, results[B1].outcome], ['passed', 'passed'])
        self.assertEqual(run.launched[1][1], [A2, B1])
        self.assertIn(f'{A1} still running after 9', printed)

    def test_a_test_started_while_killing_is_interrupted(self):
        # All results in, but the process does not exit; it starts A2 as it is killed.
        first = collect(*ALL) + passing(A1, 0)
        second = collect(B1) + passing(B1, 1)
        after_kill = [(0, 'start', A2)]
        run, results, printed = self.execute([(first, None, 0, after_kill), (second, 3, 0)])
        reason = f'the test process did nothing for {EXIT_LIMIT} s outside of a test'
        self.assertIn(reason, printed)
        self.assertEqual(results[A2].message, f'interrupted: the test process was killed '
                                              f'({reason})')
        self.assertEqual(results[B1].outcome, 'passed')
        self.assertEqual(run.launched[1][1], [B1])

    def test_fatal_stops_the_run(self):
        script = [(0, 'fatal', 'psycopg2 imported from /a, not from /b')]
        run, results, printed = self.execute([(script, 1, 3)])
        self.assertEqual({r.message for r in results.values()},
                         {'not run: psycopg2 imported from /a, not from /b'})
        self.assertEqual(len(run.launched), 1)

    def test_no_progress_stops_the_run_with_the_logs_last_line(self):
        run, results, printed = self.execute([([], 1, 1)], log_lines=[
            'Traceback (most recent call last):', 'ModuleNotFoundError: pytest', ''])
        self.assertEqual(results[B1].message, 'not run: the test process ended (status 1) '
                                              'without running a test: ModuleNotFoundError: pytest')
        self.assertEqual(len(run.launched), 1)


class Budgets(RunTestCase):

    def test_the_run_budget(self):
        script = collect(*ALL) + passing(A1, 0, 10.0) + [(10, 'start', A2)]
        run, results, printed = self.execute([(script, None, 0)], budget=50)
        self.assertEqual(results[A1].outcome, 'passed')
        self.assertEqual(results[A2].message,
                         'timeout: killed when the run used up its budget of 50 s')
        self.assertEqual(results[B1].message, 'not run: the run used up its time budget of 50 s')
        self.assertEqual(len(run.launched), 1)

    def test_a_modules_budget(self):
        budget = MODULE_BUDGET + MODULE_BUDGET_PER_TEST * 2      # test_a.py has 2 tests
        first = collect(*ALL) + [(0, 'start', A1)]
        second = collect(B1) + passing(B1, 0)
        run, results, printed = self.execute([(first, None, 0), (second, 2, 0)], timeout=1000)
        self.assertEqual(results[A1].message,
                         f'timeout: killed when its module used up its budget of {budget} s')
        self.assertEqual(results[A2].message,
                         f'not run: the module used up its time budget of {budget} s')
        self.assertEqual(results[B1].outcome, 'passed')

    def test_the_collection_limit(self):
        first = [(0, 'collecting', 'tests/test_a.py')]         # importing it never ends
        second = collect(B1) + passing(B1, 0)
        run, results, printed = self.execute([(first, None, 0), (second, 2, 0)])
        self.assertEqual({results[A1].message, results[A2].message},
                         {f'not run: importing the module took more than {COLLECT_LIMIT} s'})
        self.assertEqual(results[B1].outcome, 'passed')
        self.assertIn(f'collecting tests/test_a.py took more than {COLLECT_LIMIT} s', printed)


class Watchdog(unittest.TestCase):
    """The limits exactly: not past them, nothing; past them, a reason."""

    def setUp(self):
        self.clock = Clock()
        self.run = FakeRun(ALL, '/nonexistent', [], clock=self.clock)
        self.state = Process(1, ['tests/test_a.py', 'tests/test_b.py'], self.clock())

    def watchdog(self, after):
        return quietly(self.run.watchdog, self.state.started + after, self.state)[0]

    def test_collection(self):
        self.assertIsNone(self.watchdog(COLLECT_LIMIT))
        self.assertEqual(self.watchdog(COLLECT_LIMIT + 0.1),
                         f'collecting (pytest start) took more than {COLLECT_LIMIT} s')
        self.assertEqual(self.run.results, {})      # no module was being imported

    def test_a_test(self):
        self.state.collected = True
        self.state.current, self.state.current_started = A1, self.state.started + 5
        self.assertIsNone(self.watchdog(5 + 60 + GRACE))
        self.assertEqual(self.watchdog(5 + 60 + GRACE + 1), f'{A1} still running after 91 s')
        self.assertEqual(self.run.results[A1].seconds, 60 + GRACE + 1)
        self.assertEqual(self.run.module_seconds['tests/test_a.py'], 60 + GRACE + 1)

    def test_between_tests(self):
        self.state.collected = True
        self.state.last_event = self.state.started + 100
        self.assertIsNone(self.watchdog(100 + EXIT_LIMIT))
        self.assertIsNotNone(self.watchdog(100 + EXIT_LIMIT + 0.1))

    def test_the_run_deadline_comes_first(self):
        self.assertEqual(self.run.deadline, self.clock() + 780)
        self.assertEqual(self.watchdog(780.1), 'the run used up its time budget of 780 s')


if __name__ == '__main__':
    unittest.main()
