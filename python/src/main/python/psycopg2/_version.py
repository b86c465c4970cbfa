# The psycopg2 release whose API this package provides, with psycopg2's feature tags
# (dt: datetime support, dec: Decimal, pq3: protocol 3, ext: extensions).
__version__ = '2.9.10 (dt dec pq3 ext)'
