"""bin/upstream-suite as a package: the supervisor that runs psycopg2's own test suite on our
psycopg2 (see bin/upstream-suite for the command line).

  config      versions, paths, time limits, the two runs
  sdist       psycopg2's sdist (download, sha256, tests/ unpacked) and pytest for GraalPy
  database    the PG* environment and a database of its own for each run
  events      the event lines between the pytest plugin and the supervisor (both import it)
  supervisor  one run: pytest processes, their events, the watchdog
  report      results.tsv, summary.txt and summary.md
  ratchet     the baselines and expected-failures.txt
  cli         the command line

Only `events` is imported by the interpreter under test (GraalPy, through upstream_plugin.py):
it, and this file, must stay importable there with the standard library alone.
"""
