"""What psycopg2's C extension is upstream: connection, cursor, adaptation, typecasting, COPY,
DSN handling, on java-core through the one boundary module, pq.

The public modules (psycopg2, extensions, extras, ...) import from here; nothing here imports
a public module (tests-python/test_layers.py checks it), so the package has no import cycle.
"""
