"""The benchmark harness behind bin/bench (runs on CPython, standard library only).

For each workload in bench/workloads/ it starts one fresh process per (runtime, driver),
interleaved (the order rotates from workload to workload and round to round), against the
throwaway server of bin/test-postgres over TCP 127.0.0.1 with sslmode=disable. It measures
every process from the outside too (wall time, CPU time of all its threads, peak RSS, from
wait4), runs the server-side references (pgbench, psql \\copy), then prints the tables and
writes a JSON file (and the same tables as Markdown) under target/bench/.

The runtimes other than ours are installed outside the repository, in PGJVM_BENCH_CACHE
(default ~/.cache/pgjvm-bench), once; later runs reuse them.

Run as `python3 -m harness` with bench/ on sys.path (bin/bench does that), because it imports
the workloads' shared module as workloads._common. The modules, in the order of a run:
cli (options), run (one run), runtimes (set-up), server and seed (the database), measure (one
process), references (the server limit), aggregate and tables (cells, then tables), render
(JSON and Markdown); config holds the constants, fmt and util the small helpers.
"""
