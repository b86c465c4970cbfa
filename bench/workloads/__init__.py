"""The workload scripts. Each one runs as a script (`python bench/workloads/roundtrip.py`, by
every runtime under test) and imports its neighbour as the top-level module `_common`; this
file only lets the harness, on CPython, import that same module as `workloads._common` (for
RESULT_PREFIX and the statistics) with bench/ on sys.path. Nothing imports the package in a
workload process."""
