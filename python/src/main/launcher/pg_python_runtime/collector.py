"""gc: the tuning and introspection functions CPython has and GraalPy 25.0.3 lacks.

GraalPy's objects are collected by the JVM's garbage collector, which has no generations to
tune from Python: the thresholds are kept and reported back (test runners and servers set them
at start-up, some read them), freezing is a no-op, and there is never uncollectable garbage."""
import gc

_thresholds = [700, 10, 10]          # CPython's defaults


def get_threshold():
    """The collection thresholds last set (CPython's defaults at first)."""
    return tuple(_thresholds)


def set_threshold(threshold0, threshold1=None, threshold2=None):
    """Kept for get_threshold(); the JVM's collector does not use them."""
    values = [threshold0, threshold1, threshold2]
    for index, value in enumerate(values):
        if value is not None:
            _thresholds[index] = _as_int(value)


def _as_int(value):
    if not isinstance(value, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(value).__name__)
    return value


def freeze():
    """No-op: there is no generation to move objects out of."""


def unfreeze():
    """No-op, as freeze()."""


def get_freeze_count():
    return 0


def get_stats():
    """CPython's shape (one dict per generation), with nothing counted."""
    return [{'collections': 0, 'collected': 0, 'uncollectable': 0} for _ in range(3)]


def is_finalized(obj):
    return False


def apply():
    for function in (get_threshold, set_threshold, freeze, unfreeze, get_freeze_count,
                     get_stats, is_finalized):
        if not hasattr(gc, function.__name__):
            function.__module__ = 'gc'
            setattr(gc, function.__name__, function)
    if not hasattr(gc, 'garbage'):
        gc.garbage = []
