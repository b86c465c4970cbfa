"""The tables of the report, from the cells: steady state and cold (figures and time ratios),
warm-up, CPU per operation, start-up phases, and the processes' resources.

A table is a dict {'header': [...], 'rows': [[...], ...]} of strings, ready for
fmt.markdown_table; the steady and cold ones also carry their ratios and geometric means
(the JSON's headline).
"""
import math

from workloads import _common

from .boundary import boundary_table
from .config import ALL_WORKLOADS, ROWS, SERVER, STARTUP_ROW
from .fmt import fmt_kind, fmt_num, fmt_ratio
from .util import last_line

# The ratio columns: ours against each reference, when that reference ran.
RATIO_REFS = [('us / psycopg2-binary', 'psycopg2-binary'),
              ('us / psycopg2 C (GraalPy)', 'psycopg2-c-graalpy')]


def geomean(values):
    values = [v for v in values if v and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def time_ratio(kind, ours, theirs):
    """How many times as long as the reference we take (lower is better, 1 = parity)."""
    if ours is None or theirs is None or ours <= 0 or theirs <= 0:
        return None
    return ours / theirs if kind in ('latency', 'ms') else theirs / ours


def cell_status(cells, workload, case, rt, setup_failed):
    """The cell dict when it has figures, else the text that stands in for them (None: the
    runtime did not run this workload at all)."""
    if rt in setup_failed:
        return 'n/a (setup failed)'
    cell = cells.get((workload, case, rt))
    if cell is None:
        failed = cells.get((workload, '__error__', rt))
        if failed:
            return 'timed out' if failed['reason'].startswith('timed out') else 'error'
        return None
    if cell['status'] == 'n/a':
        return 'n/a (not implemented)' if cell.get('kind') == 'not implemented' \
            else 'n/a (%s)' % (cell.get('kind') or 'n/a')
    if cell['status'] != 'ok':
        return 'error'
    return cell


def figure(kind, cell, which, rate_share=None):
    """One cell's figure: with its p99 for latencies, its share of the server's rate for COPY,
    and the marks of a steady figure that is not one ("*" too few iterations, "~" noisy)."""
    value = cell.get(which)
    text = fmt_kind(kind, value)
    if kind == 'latency':
        p99 = cell.get('p99_steady' if which == 'steady' else 'p99_first')
        text += ' (%s)' % fmt_num(p99)
    if rate_share is not None and value is not None:
        text += ' (%.0f%%)' % (100.0 * value / rate_share)
    if which == 'steady' and cell.get('iterations', 3) < 3:
        text += ' *'
    elif which == 'steady' and cell.get('spread_last3', 0) > 0.10:
        text += ' ~'
    return text


class Columns:
    """The runtime columns of the figure tables: every runtime but the start-up-only one, the
    server column when the server references ran, and one ratio column per reference."""

    def __init__(self, cells, runtimes):
        self.runtimes = [rt for rt in runtimes if rt.key != 'us-nojit']
        self.has_server = any(k[2] == SERVER for k in cells)
        self.header = ['#', 'workload'] + [rt.label for rt in self.runtimes]
        if self.has_server:
            self.header.append('server limit')
        psy_c = 'psycopg2-c-graalpy' in [rt.key for rt in self.runtimes]
        self.refs = RATIO_REFS if psy_c else RATIO_REFS[:1]
        self.ratio_header = [h for h, _ in self.refs]


def build_tables(cells, runtimes, setup_failed, startup, boundary):
    cols = Columns(cells, runtimes)
    notes = []  # why a cell is n/a or an error, collected from the steady table
    tables = {}
    for which in ('steady', 'first'):
        tables[which] = ratio_table(which, cells, cols, setup_failed, startup, notes)
    tables['warmup'] = warmup_table(cells, cols, setup_failed)
    tables['cpu'] = cpu_table(cells, cols, setup_failed)
    tables['startup'] = startup_table(startup, runtimes)
    tables['notes'] = sorted(set(notes))
    tables['boundary'] = boundary_table(boundary)
    return tables


def ratio_table(which, cells, cols, setup_failed, startup, notes):
    """The steady ('steady') or cold ('first') table: one row per workload case, the start-up
    row in the cold one, and the geometric means of the ratio columns."""
    rows = []
    ratios = {h: [] for h in cols.ratio_header}
    for spec in ROWS:
        rows.append(workload_row(which, spec, cells, cols, setup_failed, ratios, notes))
    if which == 'first' and startup:
        rows.append(startup_row(startup, cells, cols, setup_failed, ratios))
    rows.append(geomean_row(cols, ratios))
    return {'header': cols.header + cols.ratio_header, 'rows': rows,
            'geomean': {h: geomean(ratios[h]) for h in cols.ratio_header},
            'ratios': ratios}


def workload_row(which, spec, cells, cols, setup_failed, ratios, notes):
    rid, workload, case, name, unit, kind = spec
    row = [rid, '%s: %s' % (name, unit)]
    share = None  # COPY: each driver's rate as a share of psql \copy's
    if workload == 'copy_from':
        sc = cells.get((workload, case, SERVER))
        if sc and sc.get('status') == 'ok':
            share = sc[which]
    for rt in cols.runtimes:
        c = cell_status(cells, workload, case, rt.key, setup_failed)
        if c is None:
            row.append('-')
        elif isinstance(c, str):
            row.append(c)
            reason = (cells.get((workload, case, rt.key)) or
                      cells.get((workload, '__error__', rt.key)) or {}).get('reason')
            if reason and which == 'steady':
                notes.append('%s %s: %s: %s' % (rid, rt.label, c, last_line(reason)))
        else:
            row.append(figure(kind, c, which, share))
    if cols.has_server:
        sc = cells.get((workload, case, SERVER))
        row.append(figure(kind, sc, which) if sc and sc.get('status') == 'ok'
                   else ('error' if sc else '-'))

    def ok_value(rt):
        cell = cells.get((workload, case, rt), {})
        return cell.get(which) if cell.get('status') == 'ok' else None
    row += ratio_cells(cols, ratios, kind, ok_value('us'), ok_value)
    return row


def startup_row(startup, cells, cols, setup_failed, ratios):
    """6a, process start to the first row: one figure per process, so cold only."""
    rid, workload, _, name, unit, kind = STARTUP_ROW
    row = [rid, '%s: %s' % (name, unit)]
    for rt in cols.runtimes:
        s = startup.get(rt.key)
        if s:
            row.append(fmt_num(s['total_ms']))
        elif rt.key in setup_failed:
            row.append('n/a (setup failed)')
        elif (workload, '__error__', rt.key) in cells:
            row.append('error')
        else:
            row.append('-')
    if cols.has_server:
        row.append('-')

    def total(rt):
        s = startup.get(rt)
        return s and s['total_ms']
    row += ratio_cells(cols, ratios, 'ms', total('us'), total)
    return row


def ratio_cells(cols, ratios, kind, ours, theirs_of):
    """The ratio columns of one row; each ratio also goes into ``ratios`` for the means."""
    out = []
    for h, ref in cols.refs:
        r = time_ratio(kind, ours, theirs_of(ref))
        out.append(fmt_ratio(r))
        if r is not None:
            ratios[h].append(r)
    return out


def geomean_row(cols, ratios):
    row = ['', 'geometric mean of the time ratios'] + [''] * len(cols.runtimes)
    if cols.has_server:
        row.append('')
    for h in cols.ratio_header:
        g = geomean(ratios[h])
        row.append('%s (%d)' % (fmt_ratio(g), len(ratios[h])) if g else '-')
    return row


def warmup_table(cells, cols, setup_failed):
    """When each runtime reached its steady figure."""
    rows = []
    for rid, workload, case, name, unit, kind in ROWS:
        row = [rid, name]
        for rt in cols.runtimes:
            c = cell_status(cells, workload, case, rt.key, setup_failed)
            if isinstance(c, dict):
                row.append('%.1f s (it. %d/%d)' % (c['warmup_s'], c['steady_iteration'],
                                                    c['iterations']))
            else:
                row.append(c if isinstance(c, str) else '-')
        rows.append(row)
    return {'header': ['#', 'workload'] + [rt.label for rt in cols.runtimes], 'rows': rows}


def cpu_table(cells, cols, setup_failed):
    """CPU per operation at steady state: client (server backend)."""
    rows = []
    for rid, workload, case, name, _, kind in ROWS:
        unit = {'roundtrip': 'query', 'orm_read': 'query', 'startup': 'connection'}.get(
            workload, 'row')
        row = [rid, '%s (per %s)' % (name, unit)]
        for rt in cols.runtimes:
            c = cell_status(cells, workload, case, rt.key, setup_failed)
            if isinstance(c, dict) and c.get('cpu_per_op_us') is not None:
                srv = c.get('server_cpu_per_op_us')
                row.append('%s (%s)' % (fmt_num(c['cpu_per_op_us']),
                                        '-' if srv is None else fmt_num(srv)))
            else:
                row.append(c if isinstance(c, str) else '-')
        rows.append(row)
    return {'header': ['#', 'workload'] + [rt.label for rt in cols.runtimes], 'rows': rows}


def startup_table(startup, runtimes):
    """The phases of the start-up workload, every runtime that ran it (us-nojit included)."""
    rows = []
    for rt in runtimes:
        s = startup.get(rt.key)
        if not s:
            continue
        rows.append([rt.label, fmt_num(s['boot_ms']), fmt_num(s['import_ms']),
                     fmt_num(s['connect_ms']), fmt_num(s['first_row_ms']),
                     fmt_num(s['total_ms'])])
    return {'header': ['runtime', 'runtime boot ms', 'import ms', 'connect ms',
                       'first query ms', 'total ms'], 'rows': rows}


def resource_table(runs, runtimes):
    """Per workload and runtime, what the processes cost from the outside (wait4)."""
    rows = []
    for workload in ALL_WORKLOADS:
        by_rt = runs.get(workload)
        if not by_rt:
            continue
        row = [workload]
        any_cell = False
        for rt in runtimes:
            rounds = [r for r in by_rt.get(rt.key, []) if 'cpu_s' in r]
            if not rounds:
                row.append('-')
                continue
            any_cell = True
            row.append('%.1f s / %.1f s / %.0f MB' % (
                _common.median([r['wall_s'] for r in rounds]),
                _common.median([r['cpu_s'] for r in rounds]),
                max(r['max_rss_mb'] for r in rounds)))
        if any_cell:
            rows.append(row)
    return {'header': ['process: wall / CPU (all threads) / peak RSS']
            + [rt.label for rt in runtimes], 'rows': rows}
