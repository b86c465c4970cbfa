"""The table of the boundary micro-benchmark (our package only): where one row of a
fetchall() spends its time, Java decoding, interop crossings, tuples, typecasters."""
from .config import BOUNDARY_ROWS
from .fmt import fmt_num


def boundary_table(boundary):
    """None without a boundary run, {'error': ...} when it failed, else the table and the
    split of one fetchall() row ('derived', ns) when every part of it was measured."""
    if not boundary:
        return None
    if boundary.get('error') or not boundary.get('result'):
        return {'error': boundary.get('error') or 'no result'}
    cases = boundary['result']['cases']
    rows = []
    steady = {}
    for key, label, unit in BOUNDARY_ROWS:
        e = cases.get(key)
        if not e:
            continue
        if e['status'] != 'ok':
            rows.append([label, unit, 'n/a (%s)' % e.get('kind', e['status']), '', ''])
            continue
        s = e['summary']
        steady[key] = s['steady']
        rows.append([label, unit, fmt_num(s['steady']), fmt_num(s['first']),
                     '%.1f s' % s['warmup_s']])
    windows = boundary['result'].get('rows_cross_as') == 'column windows'
    return {'header': ['step (one row = 7 columns)', 'unit', 'steady', 'first', 'warm-up'],
            'rows': rows, 'derived': (window_split if windows else fetchall_split)(steady),
            'params': boundary['result'].get('params')}


def fetchall_split(steady):
    """One row of fetchall() (ns) as the sum of its parts, from the steady figures by case;
    {} unless all five cases ran. rest_ns goes negative when the parts are too noisy."""
    if not all(k in steady for k in ('fetchall_local', 'java_decode', 'to_tuples',
                                     'python_tuples', 'convert')):
        return {}
    total = steady['fetchall_local']
    derived = {
        'fetchall_ns': total,
        'java_decode_ns': steady['java_decode'],
        'interop_ns': max(0.0, steady['to_tuples'] - steady['python_tuples']),
        'python_tuple_ns': steady['python_tuples'],
        'typecaster_ns': max(0.0, steady['convert'] - steady['to_tuples']),
    }
    derived['rest_ns'] = total - sum(v for k, v in derived.items() if k != 'fetchall_ns')
    return derived


def window_split(steady):
    """fetchall_split for the runs where rows cross as column windows (PythonBridge.window,
    since 2026-12-05): the cursor's conversion no longer goes through Java rows, so it splits
    into the Java call, its Python side (the columns decoded, the typecasters, the rows zipped)
    and the rest. {} unless the three cases ran."""
    if not all(k in steady for k in ('fetchall_local', 'java_decode', 'convert')):
        return {}
    total = steady['fetchall_local']
    derived = {'fetchall_ns': total, 'java_decode_ns': steady['java_decode'],
               'python_side_ns': max(0.0, steady['convert'] - steady['java_decode'])}
    derived['rest_ns'] = total - derived['java_decode_ns'] - derived['python_side_ns']
    return derived
