"""A run's results on disk and on the terminal: results.tsv, and the per-file table as
summary.txt (printed) and summary.md (for the README)."""
import collections
import os

from .supervisor import file_of


def counts(results, tests):
    c = collections.Counter(results[t].outcome for t in tests)
    return c['passed'], c['failed'], c['skipped']


def per_file(results, tests):
    rows = collections.OrderedDict()
    for t in tests:
        row = rows.setdefault(file_of(t), collections.Counter())
        row['tests'] += 1
        row[results[t].outcome] += 1
        row['seconds'] += results[t].seconds
    return rows


def tables(results, tests, title):
    """(the text table, the Markdown table), as lists of lines."""
    rows = per_file(results, tests)
    p, fl, s = counts(results, tests)
    width = max(len(name) for name in rows) if rows else 10
    text = [f'{title}', f'{"file":<{width}}  tests passed failed skipped  seconds']
    md = [f'| file | tests | passed | failed | skipped |', '| --- | ---: | ---: | ---: | ---: |']
    for name, row in rows.items():
        text.append(f'{name:<{width}}  {row["tests"]:>5} {row["passed"]:>6} {row["failed"]:>6} '
                    f'{row["skipped"]:>7}  {row["seconds"]:>7.1f}')
        md.append(f'| {name[len("tests/"):]} | {row["tests"]} | {row["passed"]} | '
                  f'{row["failed"]} | {row["skipped"]} |')
    text.append(f'{"total":<{width}}  {len(tests):>5} {p:>6} {fl:>6} {s:>7}')
    md.append(f'| **total** | **{len(tests)}** | **{p}** | **{fl}** | **{s}** |')
    return text, md


def write_results(out, results, tests, title):
    """Writes results.tsv, summary.txt and summary.md into out; returns the text table."""
    with open(os.path.join(out, 'results.tsv'), 'w', encoding='utf-8') as f:
        f.write('# test id\toutcome\tseconds\tfirst line of the failure or the skip reason\n')
        for t in tests:
            r = results[t]
            f.write(f'{t}\t{r.outcome}\t{r.seconds:.2f}\t{r.message}\n')
    text, md = tables(results, tests, title)
    with open(os.path.join(out, 'summary.txt'), 'w') as f:
        f.write('\n'.join(text) + '\n')
    with open(os.path.join(out, 'summary.md'), 'w') as f:
        f.write('\n'.join(md) + '\n')
    return '\n'.join(text)
