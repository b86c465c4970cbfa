"""What differs between the two Pythons the package runs on: GraalPy (Python 3, psycopg2 2.9's
behaviour) and Jython 2.7 (Python 2, psycopg2 2.8's). The package is written in the syntax both
accept; what that syntax cannot say the same way in both is here, and nowhere else.
"""
import sys

PY2 = sys.version_info[0] == 2
JYTHON = sys.platform.startswith('java')

if PY2:
    text_type = unicode             # noqa: F821 (Python 2 only)
    string_types = (str, unicode)   # noqa: F821
    integer_types = (int, long)     # noqa: F821
else:
    text_type = str
    string_types = (str,)
    integer_types = (int,)


def raise_from(exc, cause):
    """``raise exc from cause``. Setting ``__cause__`` is what that statement does (it also
    hides the exception being handled, as ``from None`` does in Python 3); Python 2 keeps the
    attributes and shows neither."""
    exc.__cause__ = cause
    exc.__suppress_context__ = True
    raise exc
