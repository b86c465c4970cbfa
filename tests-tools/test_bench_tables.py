"""Unit tests of the harness's aggregation and tables, on small hand-made runs."""
import os
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'bench'))  # the harness is `python3 -m harness` from bench/

from harness import aggregate, boundary, tables  # noqa: E402
from harness.config import RUNTIME_BY_KEY, SERVER  # noqa: E402
from workloads import _common  # noqa: E402


def iterations(key, values, ops=100, cpu=None, server_cpu=None, p99=None):
    """Iteration dicts as a workload's timed_iterations() makes them, 1 s of wall each."""
    out = []
    for i, v in enumerate(values):
        it = {'wall': 1.0, 'ops': ops, key: v}
        if cpu is not None:
            it['cpu'] = cpu[i]
        if server_cpu is not None:
            it['server_cpu'] = server_cpu[i]
        if p99 is not None:
            it['p99_us'] = p99[i]
        out.append(it)
    return out


def ok_case(key, values, unit='rows/s', **kw):
    its = iterations(key, values, **kw)
    return {'status': 'ok', 'unit': unit, 'key': key, 'iterations': its,
            'summary': _common.steady_state(its, key)}


def run(cases, **kw):
    """A run dict as run_measured returns it (result present, no error)."""
    return dict({'wall_s': 2.0, 'cpu_s': 1.5, 'max_rss_mb': 50.0, 'error': None,
                 'result': {'cases': cases}}, **kw)


def runtimes(*keys):
    return [RUNTIME_BY_KEY[k] for k in keys]


class CaseFigures(unittest.TestCase):

    def test_steady_is_the_median_of_the_last_three(self):
        figs = aggregate.case_figures(ok_case('rate', [50.0, 90.0, 110.0, 100.0]))
        self.assertEqual(figs['first'], 50.0)
        self.assertEqual(figs['steady'], 100.0)
        self.assertEqual(figs['iterations'], 4)
        # 90 is within 10% of 100: the second iteration, after 1 s of warm-up.
        self.assertEqual(figs['steady_iteration'], 2)
        self.assertEqual(figs['warmup_s'], 1.0)

    def test_cpu_per_operation_from_the_last_three(self):
        case = ok_case('rate', [1.0, 1.0, 1.0, 1.0], ops=1000,
                       cpu=[9.0, 0.002, 0.004, 0.003], server_cpu=[1.0, 0.001, 0.001, 0.001])
        figs = aggregate.case_figures(case)
        self.assertAlmostEqual(figs['cpu_per_op_us'], 3.0)
        self.assertAlmostEqual(figs['server_cpu_per_op_us'], 1.0)
        self.assertNotIn('p99_steady', figs)

    def test_latency_cases_carry_their_p99(self):
        case = ok_case('median_us', [80.0, 60.0, 62.0, 61.0], unit='us',
                       p99=[900.0, 100.0, 120.0, 110.0])
        figs = aggregate.case_figures(case)
        self.assertEqual(figs['p99_first'], 900.0)
        self.assertEqual(figs['p99_steady'], 110.0)


class Aggregate(unittest.TestCase):

    def test_median_over_rounds(self):
        runs = {'large_fetch': {'us': [run({'fetchall': ok_case('rate', [10.0, 20.0, 20.0])}),
                                       run({'fetchall': ok_case('rate', [30.0, 40.0, 40.0])})]}}
        cell = aggregate.aggregate(runs)[('large_fetch', 'fetchall', 'us')]
        self.assertEqual(cell['status'], 'ok')
        self.assertEqual(cell['rounds'], 2)
        self.assertEqual(cell['unit'], 'rows/s')
        self.assertEqual(cell['first'], 20.0)   # median of 10 and 30
        self.assertEqual(cell['steady'], 30.0)  # median of 20 and 40

    def test_failed_process_gives_an_error_cell_after_the_cases(self):
        runs = {'roundtrip': {'us': [
            run({'select_int': ok_case('median_us', [1.0, 1.0, 1.0], unit='us')}),
            {'wall_s': 1.0, 'error': 'timed out after 600 s', 'result': None},
            {'wall_s': 1.0, 'error': 'exit status 1: boom', 'result': None}]}}
        cells = aggregate.aggregate(runs)
        self.assertEqual(list(cells), [('roundtrip', 'select_int', 'us'),
                                       ('roundtrip', '__error__', 'us')])
        self.assertEqual(cells[('roundtrip', '__error__', 'us')],
                         {'status': 'error', 'reason': 'timed out after 600 s'})
        self.assertEqual(cells[('roundtrip', 'select_int', 'us')]['rounds'], 1)

    def test_a_case_no_round_ran_keeps_its_status_and_reason(self):
        na = {'status': 'n/a', 'kind': 'not in driver', 'reason': 'no named cursors'}
        cells = aggregate.aggregate({'large_fetch': {'pg8000-cpython': [run({'named': na})]}})
        self.assertEqual(cells[('large_fetch', 'named', 'pg8000-cpython')],
                         {'rounds': 1, 'status': 'n/a', 'kind': 'not in driver',
                          'reason': 'no named cursors'})

    def test_startup_cells(self):
        def startup_run(total, wall):
            r = run({})
            r['wall_s'] = wall
            r['result']['startup'] = {'total_ms': total, 'boot_ms': total / 2}
            return r
        runs = {'startup': {'us': [startup_run(100.0, 1.0), startup_run(300.0, 3.0),
                                   startup_run(200.0, 2.0),
                                   {'wall_s': 99.0, 'error': 'exit status 1', 'result': None}]}}
        cells = aggregate.startup_cells(runs)
        self.assertEqual(cells['us']['total_ms'], 200.0)
        self.assertEqual(cells['us']['boot_ms'], 100.0)
        # The wall time counts every round, the failed one too.
        self.assertEqual(cells['us']['process_wall_s'], 2.5)

    def test_imports_of(self):
        def with_driver(**drv):
            r = run({})
            r['result']['driver'] = drv
            return r
        runs = {'a': {'us': [with_driver(file='/src/psycopg2/__init__.py')]},
                'b': {'us': [with_driver(file='/src/psycopg2/__init__.py')],
                      'c': [with_driver(file='/x/__init__.py', _psycopg_file='/x/_psycopg.so')]}}
        self.assertEqual(aggregate.imports_of(runs),
                         {'us': ['/src/psycopg2/__init__.py'], 'c': ['/x/_psycopg.so']})


class SmallPieces(unittest.TestCase):

    def test_time_ratio_points_the_same_way_for_every_kind(self):
        self.assertEqual(tables.time_ratio('latency', 50.0, 100.0), 0.5)
        self.assertEqual(tables.time_ratio('ms', 30.0, 10.0), 3.0)
        self.assertEqual(tables.time_ratio('rate', 50.0, 100.0), 2.0)  # half the rate: 2x time
        self.assertIsNone(tables.time_ratio('rate', None, 100.0))
        self.assertIsNone(tables.time_ratio('rate', 0.0, 100.0))

    def test_geomean_skips_missing_figures(self):
        self.assertAlmostEqual(tables.geomean([2.0, 8.0, None, 0]), 4.0)
        self.assertIsNone(tables.geomean([None, 0]))

    def test_cell_status(self):
        cells = {('w', 'c', 'ok'): {'status': 'ok', 'steady': 1.0},
                 ('w', 'c', 'ni'): {'status': 'n/a', 'kind': 'not implemented'},
                 ('w', 'c', 'nd'): {'status': 'n/a', 'kind': 'not in driver'},
                 ('w', 'c', 'bad'): {'status': 'error'},
                 ('w', '__error__', 'slow'): {'status': 'error', 'reason': 'timed out after 5 s'},
                 ('w', '__error__', 'dead'): {'status': 'error', 'reason': 'exit status 1'}}

        def status(rt, failed=()):
            return tables.cell_status(cells, 'w', 'c', rt, set(failed))
        self.assertIs(status('ok'), cells[('w', 'c', 'ok')])
        self.assertEqual(status('ok', failed=['ok']), 'n/a (setup failed)')
        self.assertEqual(status('ni'), 'n/a (not implemented)')
        self.assertEqual(status('nd'), 'n/a (not in driver)')
        self.assertEqual(status('bad'), 'error')
        self.assertEqual(status('slow'), 'timed out')
        self.assertEqual(status('dead'), 'error')
        self.assertIsNone(status('absent'))

    def test_figure_marks(self):
        cell = {'steady': 1234.0, 'first': 10.0, 'iterations': 6, 'spread_last3': 0.2,
                'p99_steady': 2000.0, 'p99_first': 15.0}
        self.assertEqual(tables.figure('latency', cell, 'steady'), '1,234 (2,000) ~')
        self.assertEqual(tables.figure('latency', cell, 'first'), '10.0 (15.0)')
        few = {'steady': 2.5e5, 'iterations': 2, 'spread_last3': 0.5}
        self.assertEqual(tables.figure('rate', few, 'steady'), '250k *')
        self.assertEqual(tables.figure('rate', few, 'steady', rate_share=5e5), '250k (50%) *')


def cell(steady, first=None, **kw):
    return dict({'status': 'ok', 'steady': steady, 'first': first or steady, 'iterations': 6,
                 'spread_last3': 0.0, 'warmup_s': 1.5, 'steady_iteration': 2}, **kw)


class BuildTables(unittest.TestCase):

    def setUp(self):
        self.cells = {
            ('roundtrip', 'select_int', 'us'): cell(50.0, p99_steady=90.0, p99_first=95.0,
                                                    cpu_per_op_us=12.0,
                                                    server_cpu_per_op_us=None),
            ('roundtrip', 'select_int', 'psycopg2-binary'): cell(100.0, p99_steady=120.0,
                                                                 p99_first=130.0),
            ('roundtrip', 'select_int', SERVER): cell(40.0, p99_steady=60.0, p99_first=60.0),
            ('large_fetch', 'fetchall', 'us'): cell(1e5, first=5e4),
            ('large_fetch', 'fetchall', 'psycopg2-binary'): cell(4e5),
            ('large_fetch', 'named_cursor', 'us'): {'status': 'n/a', 'kind': 'not implemented',
                                                    'reason': 'NotSupportedError: named'},
            ('copy_from', 'copy_expert', 'us'): cell(5e5),
            ('copy_from', 'copy_expert', SERVER): cell(1e6),
        }
        self.rts = runtimes('us', 'psycopg2-binary')
        self.t = tables.build_tables(self.cells, self.rts, set(), {}, None)

    def row(self, table, rid):
        return next(r for r in self.t[table]['rows'] if r[0] == rid)

    def test_header_has_the_server_and_one_ratio_column(self):
        self.assertEqual(self.t['steady']['header'],
                         ['#', 'workload', 'us (GraalPy JIT)', 'psycopg2-binary (CPython)',
                          'server limit', 'us / psycopg2-binary'])

    def test_steady_rows(self):
        self.assertEqual(self.row('steady', '1a')[2:],
                         ['50.0 (90.0)', '100 (120)', '40.0 (60.0)', '0.50'])
        # 4x the rate: a time ratio of 0.25 (lower is better).
        self.assertEqual(self.row('steady', '2a')[2:], ['100k', '400k', '-', '4.00'])
        self.assertEqual(self.row('steady', '2b')[2:], ['n/a (not implemented)', '-', '-', '-'])
        # COPY: the share of the server's rate; the server column without one.
        self.assertEqual(self.row('steady', '5')[2:], ['500k (50%)', '-', '1.00M', '-'])

    def test_geomean_row_counts_its_ratios(self):
        last = self.t['steady']['rows'][-1]
        self.assertEqual(last[:2], ['', 'geometric mean of the time ratios'])
        self.assertEqual(last[-1], '1.41 (2)')  # sqrt(0.5 * 4)
        self.assertAlmostEqual(self.t['steady']['geomean']['us / psycopg2-binary'], 2 ** 0.5)
        self.assertEqual(self.t['steady']['ratios'], {'us / psycopg2-binary': [0.5, 4.0]})

    def test_cold_table_uses_the_first_iterations(self):
        self.assertEqual(self.row('first', '2a')[2:], ['50k', '400k', '-', '8.00'])

    def test_notes_say_why_a_cell_is_missing(self):
        self.assertEqual(self.t['notes'], ['2b us (GraalPy JIT): n/a (not implemented): '
                                           'NotSupportedError: named'])

    def test_warmup_and_cpu_tables(self):
        self.assertEqual(self.row('warmup', '1a')[2:], ['1.5 s (it. 2/6)', '1.5 s (it. 2/6)'])
        self.assertEqual(self.row('warmup', '2b')[2:], ['n/a (not implemented)', '-'])
        self.assertEqual(self.row('cpu', '1a'), ['1a', 'round trip `SELECT %s::int4 + 1` '
                                                 '(per query)', '12.0 (-)', '-'])
        self.assertEqual(self.t['cpu']['header'],
                         ['#', 'workload', 'us (GraalPy JIT)', 'psycopg2-binary (CPython)'])

    def test_no_server_column_without_server_cells(self):
        cells = {k: v for k, v in self.cells.items() if k[2] != SERVER}
        t = tables.build_tables(cells, self.rts, set(), {}, None)
        self.assertNotIn('server limit', t['steady']['header'])
        self.assertEqual(len(t['steady']['rows'][0]), len(t['steady']['header']))

    def test_second_ratio_column_with_the_c_extension(self):
        cells = dict(self.cells)
        cells[('roundtrip', 'select_int', 'psycopg2-c-graalpy')] = cell(200.0, p99_steady=1.0)
        t = tables.build_tables(cells, runtimes('us', 'psycopg2-binary', 'psycopg2-c-graalpy'),
                                {'psycopg2-binary'}, {}, None)
        self.assertEqual(t['steady']['header'][-2:],
                         ['us / psycopg2-binary', 'us / psycopg2 C (GraalPy)'])
        row = t['steady']['rows'][0]
        # psycopg2-binary's set-up failed: its cell says so, but its figures still count.
        self.assertEqual(row[3], 'n/a (setup failed)')
        self.assertEqual(row[-2:], ['0.50', '0.25'])

    def test_startup_row_and_phases(self):
        startup = {'us': {'total_ms': 6000.0, 'boot_ms': 4000.0, 'import_ms': 1000.0,
                          'connect_ms': 900.0, 'first_row_ms': 100.0},
                   'psycopg2-binary': {'total_ms': 30.0, 'boot_ms': 8.0, 'import_ms': 15.0,
                                       'connect_ms': 5.0, 'first_row_ms': 2.0},
                   'us-nojit': {'total_ms': 2000.0, 'boot_ms': 1500.0, 'import_ms': 300.0,
                                'connect_ms': 150.0, 'first_row_ms': 50.0}}
        rts = runtimes('us', 'psycopg2-binary', 'us-nojit')
        t = tables.build_tables(self.cells, rts, set(), startup, None)
        first = t['first']['rows']
        self.assertEqual(first[-2], ['6a', 'start-up: process start to first row: ms',
                                     '6,000', '30.0', '-', '200.00'])
        self.assertNotIn('6a', [r[0] for r in t['steady']['rows']])
        self.assertEqual(first[-1][-1], '%.2f (3)' % (0.5 * 8.0 * 200.0) ** (1 / 3.0))
        # us-nojit has no column in the figure tables, only a row of start-up phases.
        self.assertNotIn('us (GraalPy, PG_PYTHON_JIT=0)', t['first']['header'])
        self.assertEqual(t['startup']['rows'][2],
                         ['us (GraalPy, PG_PYTHON_JIT=0)', '1,500', '300', '150', '50.0',
                          '2,000'])


class ResourceTable(unittest.TestCase):

    def test_rows_of_the_workloads_that_ran(self):
        runs = {'startup': {'us': [run({}, wall_s=1.0, cpu_s=2.0, max_rss_mb=300.0),
                                   run({}, wall_s=3.0, cpu_s=4.0, max_rss_mb=500.0)]},
                'roundtrip': {SERVER: [{'wall_s': 1.0, 'error': None, 'result': {}}]}}
        t = tables.resource_table(runs, runtimes('us', 'psycopg2-binary'))
        self.assertEqual(t['header'], ['process: wall / CPU (all threads) / peak RSS',
                                       'us (GraalPy JIT)', 'psycopg2-binary (CPython)'])
        # roundtrip: only the server ran it, which is not a measured process (no cpu_s).
        self.assertEqual(t['rows'], [['startup', '2.0 s / 3.0 s / 500 MB', '-']])


class BoundaryTable(unittest.TestCase):

    def ok(self, steady, first=None):
        return {'status': 'ok', 'summary': {'steady': steady, 'first': first or steady,
                                            'warmup_s': 0.25}}

    def test_none_and_errors(self):
        self.assertIsNone(boundary.boundary_table(None))
        self.assertEqual(boundary.boundary_table({'error': 'exit status 1', 'result': None}),
                         {'error': 'exit status 1'})
        self.assertEqual(boundary.boundary_table({'error': None, 'result': None}),
                         {'error': 'no result'})

    def test_rows_and_the_split_of_one_row(self):
        cases = {'fetchall_local': self.ok(1000.0, 2000.0), 'java_decode': self.ok(300.0),
                 'to_tuples': self.ok(500.0), 'python_tuples': self.ok(200.0),
                 'convert': self.ok(700.0),
                 'python_call': {'status': 'n/a', 'kind': 'internal API changed'}}
        t = boundary.boundary_table({'error': None, 'result': {'cases': cases, 'params': {}}})
        self.assertEqual(t['rows'][0], ['fetchall() again on the fetched result (client only)',
                                        'ns/row', '1,000', '2,000', '0.2 s'])
        self.assertEqual(t['rows'][-1], ['  call a Python function', 'ns/call',
                                         'n/a (internal API changed)', '', ''])
        self.assertEqual(t['derived'], {'fetchall_ns': 1000.0, 'java_decode_ns': 300.0,
                                        'interop_ns': 300.0, 'python_tuple_ns': 200.0,
                                        'typecaster_ns': 200.0, 'rest_ns': 0.0})

    def test_a_part_below_zero_counts_as_zero(self):
        # Noise can make the crossing look cheaper than no crossing: 0, and the rest grows.
        split = boundary.fetchall_split({'fetchall_local': 1000.0, 'java_decode': 300.0,
                                         'to_tuples': 190.0, 'python_tuples': 200.0,
                                         'convert': 150.0})
        self.assertEqual((split['interop_ns'], split['typecaster_ns']), (0.0, 0.0))
        self.assertEqual(split['rest_ns'], 500.0)

    def test_the_split_of_a_run_with_column_windows(self):
        cases = {'fetchall_local': self.ok(1000.0), 'java_decode': self.ok(300.0),
                 'to_tuples': self.ok(500.0), 'python_tuples': self.ok(200.0),
                 'convert': self.ok(700.0)}
        t = boundary.boundary_table({'error': None, 'result': {
            'cases': cases, 'params': {}, 'rows_cross_as': 'column windows'}})
        self.assertEqual(t['derived'], {'fetchall_ns': 1000.0, 'java_decode_ns': 300.0,
                                        'python_side_ns': 400.0, 'rest_ns': 300.0})
        self.assertEqual(boundary.window_split({'fetchall_local': 1.0}), {})

    def test_no_split_without_every_part(self):
        self.assertEqual(boundary.fetchall_split({'fetchall_local': 1.0}), {})


if __name__ == '__main__':
    unittest.main()
