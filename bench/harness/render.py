"""The report of a run: its JSON document and its Markdown text, from the raw measurements.

Everything here is a pure function of (meta, setup, runs), which is what makes --report of a
saved JSON file print the same tables as the run that wrote it.
"""
from .aggregate import aggregate, startup_cells
from .config import RUNTIME_BY_KEY
from .fmt import fmt_num, markdown_table
from .tables import build_tables, resource_table
from .util import last_line

TITLES = {'full': 'Benchmark', 'quick': 'QUICK benchmark (1/50 sizes; indicative only)',
          'smoke': 'SMOKE run (tiny sizes; figures mean nothing)'}


def report(meta, setup, runs):
    """The JSON document and the Markdown text of a run, from its raw measurements (also
    what --report does with a saved JSON file)."""
    runtimes = [RUNTIME_BY_KEY[k] for k in meta['runtimes'] if k in RUNTIME_BY_KEY]
    setup_failed = set(meta.get('setup_failed', ()))
    boundary = (runs.get('boundary', {}).get('us') or [None])[0]
    cells = aggregate({w: v for w, v in runs.items() if w != 'boundary'})
    startup = startup_cells(runs)
    tables = build_tables(cells, runtimes, setup_failed, startup, boundary)
    tables['resources'] = resource_table(runs, runtimes)
    text = render(meta, setup, tables, runtimes)
    document = {
        'meta': meta, 'setup': setup,
        'runtimes': {r.key: {'label': r.label, 'driver': r.driver, 'cmd': r.cmd,
                             'env': r.env, 'jit': r.jit} for r in runtimes},
        'headline': {'steady_time_ratio_geomean': tables['steady']['geomean'],
                     'first_time_ratio_geomean': tables['first']['geomean'],
                     'ratio_definition': 'our time / their time per operation; for rates '
                                         'their rate / ours (lower is better, 1 = parity)'},
        'cells': [dict(v, workload=k[0], case=k[1], runtime=k[2]) for k, v in cells.items()],
        'startup': startup, 'tables': tables, 'runs': runs,
    }
    return document, text


def render(meta, setup, tables, runtimes):
    """The Markdown text: heading, the tables, notes, then the set-up and import lines."""
    lines = heading(meta)
    lines += section('Steady state (median of the last 3 iterations in each process)',
                     tables['steady'],
                     'Ratios are time ratios, ours / theirs per operation (lower is better, '
                     '1.00 = parity); "~" marks a figure whose last 3 iterations spread over '
                     '10%, "*" one from fewer than 3 iterations (the time budget ran out): not '
                     'a steady state.')
    lines += section('Cold: first iteration of each process', tables['first'])
    lines += section('Warm-up: time to steady state (first iteration within 10% of the steady '
                     'figure)', tables['warmup'])
    if tables['startup']['rows']:
        lines += section('Start-up phases (from process start)', tables['startup'])
    lines += section('Client CPU per operation at steady state, us (server backend CPU)',
                     tables['cpu'])
    lines += section('Processes', tables['resources'])
    if tables.get('boundary'):
        lines += boundary_section(tables['boundary'])
    if tables['notes']:
        lines.append('Notes (n/a and errors):')
        lines.extend('- ' + n for n in tables['notes'])
        lines.append('')
    lines += footer(meta, setup)
    return '\n'.join(lines)


def heading(meta):
    m = meta['machine']
    return [
        '## %s, %s' % (TITLES[meta['mode']], meta['started'][:16].replace('T', ' ')),
        '',
        'Machine: %s, %s CPUs, %s GB, %s; load average %.1f at start, %.1f at end. '
        'PostgreSQL %s over %s. Commit %s%s. %d round(s); %.0f s of runs.'
        % (m.get('cpu', '?'), m['cpus'], m.get('mem_gb', '?'), m['platform'],
           m['loadavg'][0], meta['loadavg_end'][0], meta['server_version'],
           meta['connection'], meta['git']['commit'],
           ' (dirty tree)' if meta['git']['dirty'] else '', meta['rounds'],
           meta['runs_seconds']),
        '',
    ]


def section(title, table, intro=None):
    """A '###' heading, an optional paragraph, the table, each followed by a blank line."""
    lines = ['### ' + title, '']
    if intro:
        lines += [intro, '']
    return lines + [markdown_table(table['header'], table['rows']), '']


def boundary_section(b):
    lines = ['### Boundary micro-benchmark (us, GraalPy JIT)', '']
    if 'error' in b:
        lines.append('error: %s' % last_line(b['error']))
    else:
        lines.append(markdown_table(b['header'], b['rows']))
        d = b.get('derived')
        if d and min(d.values()) < 0:
            lines.append('')
            lines.append('(The parts exceed the whole fetchall(): too noisy to split.)')
        elif d and 'python_side_ns' in d:
            lines.append('')
            lines.append('One row of a client-side fetchall(), %s ns: Java decoding into '
                         'column windows %s, their Python side (columns decoded, typecasters, '
                         'rows zipped) %s (convert - java_decode), the rest (buffering, '
                         'slicing) %s.'
                         % tuple(fmt_num(d[k]) for k in (
                             'fetchall_ns', 'java_decode_ns', 'python_side_ns', 'rest_ns')))
        elif d:
            lines.append('')
            lines.append('One row of a client-side fetchall(), %s ns: Java decoding %s, '
                         'interop crossings %s (to_tuples - python_tuples), building the '
                         'tuples %s, Python typecasters %s (convert - to_tuples), the rest '
                         '(buffering, slicing) %s.'
                         % tuple(fmt_num(d[k]) for k in (
                             'fetchall_ns', 'java_decode_ns', 'interop_ns',
                             'python_tuple_ns', 'typecaster_ns', 'rest_ns')))
    lines.append('')
    return lines


def footer(meta, setup):
    """How each runtime was set up (and how long it took), and which driver files ran."""
    lines = []
    setup_bits = []
    for name, s in setup.items():
        if name == 'seed':
            continue
        if s['status'] != 'ok':
            setup_bits.append('%s: FAILED (%s)' % (name, s.get('error', '')[:200]))
        else:
            setup_bits.append('%s: %s %.0f s' % (name, 'cached, built in' if s['cached']
                                                 else 'built in', s.get('build_s') or 0))
    if setup_bits:
        lines.append('Setup: ' + '; '.join(setup_bits) + '.')
    imports = meta.get('imports', {})
    if imports:
        lines.append('Imported: ' + '; '.join('%s %s' % (k, ', '.join(v))
                                               for k, v in imports.items()) + '.')
    return lines
