"""The ratchet against small baselines, the list files, and the result tables."""
import os
import shutil
import tempfile
import unittest

from upstream_fakes import quietly
from upstream_suite import ratchet as r
from upstream_suite.config import ROOT, SetupError
from upstream_suite.report import tables, write_results
from upstream_suite.supervisor import Result

A1, A2, B1, B2 = ('tests/test_a.py::T::test_1', 'tests/test_a.py::T::test_2',
                  'tests/test_b.py::T::test_1', 'tests/test_b.py::T::test_2')
MANIFEST = [A1, A2, B1, B2]
PASSED, FAILED = Result('passed', 0.5, ''), Result('failed', 1.25, 'AssertionError: 1 != 2')


class Lists(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_read_ids(self):
        path = self.write('x.txt', f'# header\n\n{A1}\n  {B1}  # slow\n')
        self.assertEqual(r.read_ids(path), {A1: '', B1: 'slow'})
        self.assertEqual(r.read_ids(os.path.join(self.dir, 'missing.txt')), {})

    def test_expected_failures_need_a_reason(self):
        path = self.write('expected.txt', f'{A1}  # needs lobject\n{B1}\n')
        with self.assertRaisesRegex(SetupError, r'expected.txt:2: tests/test_b.py::T::test_1 '
                                                r'has no reason'):
            r.read_ids(path, reasons=True)

    def test_the_manifest_of_the_repository(self):
        manifest = r.read_manifest()
        self.assertEqual(len(manifest), 749)            # as upstream's tests.test_suite()
        self.assertEqual(len(set(manifest)), 749)

    def test_check_lists(self):
        r.check_lists(MANIFEST, {'baseline.txt': {A1: ''}}, {A2: 'why'})
        with self.assertRaisesRegex(SetupError, 'tests/test_c.py::T::x .* is not a test'):
            r.check_lists(MANIFEST, {'baseline.txt': {'tests/test_c.py::T::x': ''}}, {})
        with self.assertRaisesRegex(SetupError, r"in both baseline-green.txt and expected-"
                                                r"failures.txt: \['tests/test_a.py::T::test_2'\]"):
            r.check_lists(MANIFEST, {'baseline.txt': {}, 'baseline-green.txt': {A2: ''}},
                          {A2: 'why'})


class Ratchet(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.baseline = os.path.join(self.dir, 'baseline.txt')
        with open(self.baseline, 'w') as f:
            f.write(f'# the header\n{A1}\n{B1}\n')
        self.rel = os.path.relpath(self.baseline, ROOT)

    def ratchet(self, results, tests=MANIFEST, expected=(), update=False):
        return quietly(r.ratchet, 'normal', results, tests, self.baseline, dict.fromkeys(expected),
                       update, MANIFEST)

    def test_a_baseline_test_that_fails_is_a_regression(self):
        results = {A1: FAILED, A2: FAILED, B1: PASSED, B2: FAILED}
        regressed, printed = self.ratchet(results)
        self.assertTrue(regressed)
        self.assertEqual(printed, f'upstream-suite: [normal] RATCHET: 1 test(s) of {self.rel} no '
                                  f'longer pass:\n  {A1}  failed: AssertionError: 1 != 2\n')

    def test_a_new_pass_is_reported_but_does_not_fail_the_run(self):
        results = {A1: PASSED, A2: PASSED, B1: PASSED, B2: FAILED}
        regressed, printed = self.ratchet(results, expected=[A2, B2])
        self.assertFalse(regressed)
        self.assertEqual(printed.splitlines(), [
            f'upstream-suite: [normal] 1 test(s) pass that are not in {self.rel} yet; add them '
            f'in the same commit (bin/upstream-suite --update-baseline):',
            f'  {A2}',
            f'upstream-suite: [normal] {A2} passes but is listed in expected-failures.txt: '
            f'remove it from there'])

    def test_with_prefixes_the_others_do_not_count_but_the_message_says_all(self):
        # A run of tests/test_b.py: A1, in the baseline but not selected, is no regression,
        # and the verdict still counts the whole baseline (as the supervisor always has).
        results = {B1: PASSED, B2: FAILED}
        regressed, printed = self.ratchet(results, tests=[B1, B2], expected=[A2])
        self.assertFalse(regressed)
        self.assertEqual(printed, f'upstream-suite: [normal] ratchet: all 2 tests of {self.rel} '
                                  f'pass, and no other test does\n')

    def test_update_keeps_the_unselected_and_writes_in_manifest_order(self):
        results = {B1: FAILED, B2: PASSED, A2: PASSED}
        regressed, printed = self.ratchet(results, tests=[B2, A2, B1], update=True)
        self.assertFalse(regressed)          # the regression of B1 is written away
        with open(self.baseline) as f:
            text = f.read()
        self.assertTrue(text.startswith("# Tests of psycopg2 2.9.13's own suite"))
        self.assertIn('PSYCOPG2_TEST_GREEN unset', text)
        self.assertEqual([line for line in text.splitlines() if not line.startswith('#')],
                         [A1, A2, B2])
        self.assertTrue(printed.endswith(f'[normal] wrote 3 tests to {self.rel}\n'))


class Tables(unittest.TestCase):

    RESULTS = {A1: PASSED, A2: FAILED, B1: Result('skipped', 0.0, 'no slot'), B2: PASSED}

    def test_text_and_markdown(self):
        text, md = tables(self.RESULTS, MANIFEST, 'the title')
        self.assertEqual(text, [
            'the title',
            'file             tests passed failed skipped  seconds',
            'tests/test_a.py      2      1      1       0      1.8',
            'tests/test_b.py      2      1      0       1      0.5',
            'total                4      2      1       1'])
        self.assertEqual(md, [
            '| file | tests | passed | failed | skipped |', '| --- | ---: | ---: | ---: | ---: |',
            '| test_a.py | 2 | 1 | 1 | 0 |', '| test_b.py | 2 | 1 | 0 | 1 |',
            '| **total** | **4** | **2** | **1** | **1** |'])

    def test_files(self):
        out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, out)
        printed = write_results(out, self.RESULTS, MANIFEST, 'the title')
        with open(os.path.join(out, 'results.tsv')) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0].split('\t')[:2], ['# test id', 'outcome'])
        self.assertEqual(lines[2], f'{A2}\tfailed\t1.25\tAssertionError: 1 != 2')
        self.assertEqual(len(lines), 5)
        with open(os.path.join(out, 'summary.txt')) as f:
            self.assertEqual(f.read(), printed + '\n')
        with open(os.path.join(out, 'summary.md')) as f:
            self.assertIn('| test_b.py | 2 | 1 | 0 | 1 |\n', f.read())


if __name__ == '__main__':
    unittest.main()
