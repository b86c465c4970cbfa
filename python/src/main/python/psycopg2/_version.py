# The psycopg2 release whose API this package provides, with psycopg2's feature tags
# (dt: datetime support, dec: Decimal, pq3: protocol 3, ext: extensions, lo64: large objects
# past 2 GB): 2.9.13 on Python 3, and on Python 2 (Jython) 2.8.6, its last release there.
import sys as _sys

__version__ = '%s (dt dec pq3 ext lo64)' % ('2.8.6' if _sys.version_info[0] == 2 else '2.9.13')
del _sys
