"""What differs between the two Pythons the package runs on: GraalPy (Python 3, psycopg2 2.9's
behaviour) and Jython 2.7 (Python 2, psycopg2 2.8's). The package is written in the syntax both
accept; what that syntax cannot say the same way in both is here, and nowhere else.
"""
import sys

PY2 = sys.version_info[0] == 2
JYTHON = sys.platform.startswith('java')

if PY2:
    from collections import Mapping, namedtuple as _namedtuple
    from threading import RLock
    # The base of psycopg2's Warning and Error there, as the DB-API asks.
    StandardError = StandardError   # noqa: F821 (Python 2 only)
    text_type = unicode             # noqa: F821 (Python 2 only)
    string_types = (str, unicode)   # noqa: F821
    integer_types = (int, long)     # noqa: F821
else:
    from collections import namedtuple              # noqa: F401
    from collections.abc import Mapping             # noqa: F401
    from functools import lru_cache                  # noqa: F401
    # _thread's, not threading's: importing threading pulls traceback, linecache and tokenize
    # into every start-up on GraalPy.
    from _thread import RLock                        # noqa: F401
    text_type = str
    string_types = (str,)
    integer_types = (int,)
    StandardError = Exception


def raise_from(exc, cause):
    """``raise exc from cause``. Setting ``__cause__`` is what that statement does (it also
    hides the exception being handled, as ``from None`` does in Python 3); Python 2 keeps the
    attributes and shows neither."""
    exc.__cause__ = cause
    exc.__suppress_context__ = True
    raise exc


if PY2:
    def lru_cache(maxsize):
        """functools.lru_cache(maxsize) as Python 2 lacks it: positional arguments, and
        cache_info() / cache_clear() / __wrapped__ as the original has them; thread-safe (Jython's
        threads run at once)."""
        from collections import OrderedDict
        info = _namedtuple('CacheInfo', 'hits misses maxsize currsize')

        def decorate(function):
            cache = OrderedDict()
            counts = [0, 0]
            lock = RLock()

            def wrapper(*args):
                with lock:
                    if args in cache:
                        counts[0] += 1
                        value = cache.pop(args)
                        cache[args] = value             # now the most recent
                        return value
                value = function(*args)
                with lock:
                    counts[1] += 1
                    if maxsize is not None and len(cache) >= maxsize:
                        cache.popitem(last=False)
                    cache[args] = value
                return value

            def cache_clear():
                with lock:
                    cache.clear()
                    counts[:] = [0, 0]

            wrapper.cache_info = lambda: info(counts[0], counts[1], maxsize, len(cache))
            wrapper.cache_clear = cache_clear
            wrapper.__wrapped__ = function
            wrapper.__name__ = function.__name__
            wrapper.__doc__ = function.__doc__
            return wrapper
        return decorate

    def namedtuple(typename, field_names, module=None):
        """collections.namedtuple with Python 3's ``module`` argument."""
        cls = _namedtuple(typename, field_names)
        if module is not None:
            cls.__module__ = module
        return cls
