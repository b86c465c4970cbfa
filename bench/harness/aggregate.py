"""From raw runs to cells: one cell per (workload, case, runtime), the median over the rounds
of each figure (first, steady, warm-up, CPU per operation, ...)."""
from workloads import _common


def case_figures(case):
    """Steady, first and warm-up figures of one case of one run, plus the side figures."""
    its = case['iterations']
    s = case['summary']
    last = its[-3:]

    def steady_of(field):
        values = [it[field] for it in last if it.get(field) is not None]
        return _common.median(values) if values else None
    out = {'first': s['first'], 'steady': s['steady'], 'warmup_s': s['warmup_s'],
           'steady_iteration': s['steady_iteration'], 'iterations': s['iterations'],
           'spread_last3': s['spread_last3']}
    if 'p99_us' in its[0]:
        out['p99_steady'] = steady_of('p99_us')
        out['p99_first'] = its[0]['p99_us']
    ops = its[0].get('ops')
    if ops:
        cpu = steady_of('cpu')
        server_cpu = steady_of('server_cpu')
        out['cpu_per_op_us'] = None if cpu is None else cpu / ops * 1e6
        out['server_cpu_per_op_us'] = None if server_cpu is None else server_cpu / ops * 1e6
    return out


def aggregate(runs):
    """runs[workload][runtime] -> list of run dicts over the rounds; the cell figures are the
    median over the rounds.

    A round whose process failed (no result) adds a cell (workload, '__error__', runtime) with
    the first such error, so that the tables can say "error" or "timed out" for every case.
    """
    cells = {}
    for workload, by_rt in runs.items():
        for rt, rounds in by_rt.items():
            per_case, errors = _by_case(rounds)
            for case, entries in per_case.items():
                cells[(workload, case, rt)] = merge_rounds(entries)
            if errors:
                cells[(workload, '__error__', rt)] = {'status': 'error', 'reason': errors[0]}
    return cells


def _by_case(rounds):
    """case -> its entries over the rounds that have a result; and the errors of the others."""
    per_case = {}
    errors = []
    for run in rounds:
        if run.get('error') or not run.get('result'):
            errors.append(run.get('error') or 'no result')
            continue
        for case, entry in run['result']['cases'].items():
            per_case.setdefault(case, []).append(entry)
    return per_case, errors


def merge_rounds(entries):
    """One cell from a case's entries over the rounds: the median of each figure over the
    rounds that ran it; when none did, the status and reason of the first round."""
    ok = [e for e in entries if e['status'] == 'ok']
    cell = {'rounds': len(entries)}
    if ok:
        figs = [case_figures(e) for e in ok]
        for key in figs[0]:
            values = [f[key] for f in figs if f.get(key) is not None]
            cell[key] = _common.median(values) if values else None
        cell['status'] = 'ok'
        cell['unit'] = ok[0]['unit']
    else:
        cell['status'] = entries[0]['status']
        cell['kind'] = entries[0].get('kind')
        cell['reason'] = entries[0].get('reason')
    return cell


def startup_cells(runs):
    """runtime -> the median over the rounds of each start-up phase (ms), and of the wall time
    of the whole start-up process (s)."""
    out = {}
    for rt, rounds in runs.get('startup', {}).items():
        phases = [r['result']['startup'] for r in rounds
                  if not r.get('error') and r.get('result') and 'startup' in r['result']]
        if phases:
            out[rt] = {k: _common.median([p[k] for p in phases]) for k in phases[0]}
            out[rt]['process_wall_s'] = _common.median([r['wall_s'] for r in rounds])
    return out


def imports_of(runs):
    """runtime -> the driver files its workload processes imported (from their results)."""
    out = {}
    for by_rt in runs.values():
        for key, rounds in by_rt.items():
            for run in rounds:
                drv = (run.get('result') or {}).get('driver')
                if drv:
                    out.setdefault(key, set()).add(drv.get('_psycopg_file') or drv.get('file'))
    return {k: sorted(v) for k, v in out.items()}

