# The psycopg2 release whose API this package provides, with psycopg2's feature tags
# (dt: datetime support, dec: Decimal, pq3: protocol 3, ext: extensions, lo64: large objects
# past 2 GB).
__version__ = '2.9.13 (dt dec pq3 ext lo64)'
