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
    return {'header': ['step (one row = 7 columns)', 'unit', 'steady', 'first', 'warm-up'],
            'rows': rows, 'derived': fetchall_split(steady),
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
