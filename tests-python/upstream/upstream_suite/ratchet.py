"""The lists of tests-python/upstream (manifest.txt, the baselines, expected-failures.txt) and
the ratchet: a baseline test that no longer passes fails the run; a test that passes and is not
in the baseline yet is to be added in the same commit."""
import collections
import os

from .config import GRAALPY, HERE, ROOT, SetupError, say


def read_ids(path, reasons=False):
    """Test ids of a list file (`#` comments); with reasons, {id: reason} from `id  # reason`."""
    found = {}
    if not os.path.exists(path):
        return found
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith('#'):
                continue
            test_id, _, reason = text.partition('#')
            test_id, reason = test_id.strip(), reason.strip()
            if reasons and not reason:
                raise SetupError(f'{path}:{number}: {test_id} has no reason (`id  # reason`)')
            found[test_id] = reason
    return found


def read_manifest(here=HERE):
    return list(read_ids(os.path.join(here, 'manifest.txt')))


def check_lists(manifest, baselines, expected):
    """SetupError when a baseline or expected-failures.txt names a test that the manifest does
    not, or a test is in both a baseline and expected-failures.txt. baselines: {file: ids}."""
    for baseline_file, baseline in baselines.items():
        for t in list(baseline) + list(expected):
            if t not in manifest:
                raise SetupError(f'{t} (in tests-python/upstream) is not a test of the suite')
        both = set(baseline) & set(expected)
        if both:
            raise SetupError(f'in both {baseline_file} and expected-failures.txt: {sorted(both)}')


Verdict = collections.namedtuple('Verdict', 'regressions newly unexpected')


def compare(results, tests, baseline, expected):
    """The selected tests (a run with prefixes selects only some) that regressed (in the
    baseline, not passed), newly pass (not in it), or pass though expected to fail."""
    selected = set(tests)
    return Verdict(
        regressions=[t for t in baseline if t in selected and results[t].outcome != 'passed'],
        newly=[t for t in tests if results[t].outcome == 'passed' and t not in baseline],
        unexpected=[t for t in expected if t in selected and results[t].outcome == 'passed'])


BASELINE_HEADER = """\
# Tests of psycopg2 {version}'s own suite ({manifest}) that pass on
# our psycopg2 under bin/{launcher}, {description}. bin/upstream-suite fails when one of
# them stops passing: raise this list in the commit that makes more tests pass (the run lists
# them; `bin/upstream-suite {options}--update-baseline` writes them here).
"""


def updated_baseline(results, tests, baseline, manifest):
    """The new baseline, in manifest order: the old one's tests that were not selected, and the
    selected tests that passed."""
    selected = set(tests)
    passing = {t for t in baseline if t not in selected}
    passing |= {t for t in tests if results[t].outcome == 'passed'}
    return [t for t in manifest if t in passing]


def ratchet(name, results, tests, baseline_path, expected, update, manifest=None,
            suite=GRAALPY):
    """Prints the verdict; True when a baseline test no longer passes."""
    baseline = read_ids(baseline_path)
    verdict = compare(results, tests, baseline, expected)
    rel = os.path.relpath(baseline_path, ROOT)
    if verdict.regressions:
        say(f'[{name}] RATCHET: {len(verdict.regressions)} test(s) of {rel} no longer pass:')
        for t in verdict.regressions:
            r = results[t]
            print(f'  {t}  {r.outcome}: {r.message}')
    if verdict.newly:
        say(f'[{name}] {len(verdict.newly)} test(s) pass that are not in {rel} yet; add them in '
            f'the same commit (bin/upstream-suite --update-baseline):')
        for t in verdict.newly:
            print(f'  {t}')
    for t in verdict.unexpected:
        say(f'[{name}] {t} passes but is listed in expected-failures.txt: remove it from there')
    if not verdict.regressions and not verdict.newly:
        # With prefixes, only the selected tests were compared, but the count is the baseline's.
        say(f'[{name}] ratchet: all {len(baseline)} tests of {rel} pass, and no other test does')
    if update:
        order = updated_baseline(results, tests, baseline,
                                 read_manifest(suite.lists) if manifest is None else manifest)
        with open(baseline_path, 'w') as f:
            f.write(BASELINE_HEADER.format(
                version=suite.version, description=suite.runs[name][2],
                manifest=os.path.relpath(os.path.join(suite.lists, 'manifest.txt'), ROOT),
                launcher=os.path.basename(suite.launcher),
                options='--jython ' if suite.jython else ''))
            f.writelines(t + '\n' for t in order)
        say(f'[{name}] wrote {len(order)} tests to {rel}')
        return False
    return bool(verdict.regressions)
