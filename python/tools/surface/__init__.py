"""The public surface of a psycopg2, dumped and compared (bin/compare-surface).

``dump.py`` runs under the interpreter whose psycopg2 is measured (CPython with psycopg2-binary,
or GraalPy with ours through bin/pg-python) and writes a JSON document; ``compare.py`` runs on
any CPython and prints the differences between two such documents, checked against
``accepted-differences.txt``. Both are standalone scripts (standard library only): nothing here
is imported by the interpreter under test except ``dump.py`` itself, run as a file.
"""
