"""Golden tests of the benchmark harness: a saved run's JSON, rendered again, gives the very
Markdown (and JSON) committed next to it, and the tables the READMEs quote.

No database, no GraalPy: `--report` is a pure function of the saved JSON.
"""
import contextlib
import glob
import io
import json
import os
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'bench'))  # the harness is `python3 -m harness` from bench/

from harness import cli, config, render  # noqa: E402

RESULTS = os.path.join(ROOT, 'bench', 'results')
# Every saved run that has its report beside it, oldest first (the names start with the date).
SAVED = sorted(p for p in glob.glob(os.path.join(RESULTS, '*.json'))
               if os.path.isfile(os.path.splitext(p)[0] + '.md'))


def load(path):
    with open(path) as f:
        saved = json.load(f)
    saved['meta'].setdefault('runtimes', list(saved.get('runtimes', {})))
    return saved


def read(path):
    with open(path) as f:
        return f.read()


def markdown_tables(text):
    """The tables of a Markdown text, each as its block of consecutive '|' lines."""
    blocks, current = [], []
    for line in text.split('\n'):
        if line.startswith('|'):
            current.append(line)
        elif current:
            blocks.append('\n'.join(current))
            current = []
    if current:
        blocks.append('\n'.join(current))
    return blocks


class GoldenReport(unittest.TestCase):

    def test_there_is_a_saved_run(self):
        self.assertTrue(SAVED, 'no bench/results/*.json with its .md: nothing to compare')

    def test_report_prints_the_committed_markdown(self):
        # What `bin/bench --report FILE` prints, byte for byte (print adds the final newline,
        # as the run itself wrote text + '\n' to the .md file).
        for path in SAVED:
            with self.subTest(os.path.basename(path)):
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    status = cli.main(['--report', path])
                self.assertEqual(status, 0)
                expected = read(os.path.splitext(path)[0] + '.md')
                self.assertEqual(out.getvalue(), expected)

    def test_report_rebuilds_the_committed_json(self):
        # The whole document (cells, tables, headline) from the raw runs alone, byte for byte.
        # Only the runtimes' commands and environment name this checkout and this cache: they
        # are mapped back to the paths of the machine that made the run.
        for path in SAVED:
            with self.subTest(os.path.basename(path)):
                saved = load(path)
                document, _ = render.report(saved['meta'], saved['setup'], saved['runs'])
                saved_root = os.path.dirname(os.path.dirname(
                    saved['runtimes']['us']['cmd'][0]))
                runtimes = (json.dumps(document['runtimes'])
                            .replace(config.CACHE, saved['meta']['cache'])
                            .replace(config.ROOT, saved_root))
                document['runtimes'] = json.loads(runtimes)
                self.assertEqual(json.dumps(document, indent=1, default=str), read(path))

    def test_readme_tables_are_the_newest_run(self):
        # The READMEs quote tables of the newest saved run: each quoted table whose header is
        # one of the report's headers must be in the report as it stands, every row of it.
        saved = load(SAVED[-1])
        text = render.report(saved['meta'], saved['setup'], saved['runs'])[1]
        rendered = markdown_tables(text)
        headers = {t.split('\n')[0] for t in rendered}
        quoted = [t for readme in ('README.md', os.path.join('bench', 'README.md'))
                  for t in markdown_tables(read(os.path.join(ROOT, readme)))
                  if t.split('\n')[0] in headers]
        self.assertTrue(quoted, 'no README quotes a table of %s' % SAVED[-1])
        for table in quoted:
            self.assertIn(table, rendered)


if __name__ == '__main__':
    unittest.main()
