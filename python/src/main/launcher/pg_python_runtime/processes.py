"""os and resource: the process functions CPython has on Linux that GraalPy 25.0.3 lacks or
gets wrong, which programs call to size themselves (worker pools ask which CPUs they may use)
or to time themselves (GraalPy's resource.getrusage() reports CPU times near 1e-323 s)."""
import os
from operator import itemgetter


def sched_getaffinity(pid, /):
    """The CPUs the process may run on: all of them (the JVM does not say otherwise)."""
    return set(range(os.cpu_count() or 1))


class times_result(tuple):
    """os.times()'s result: a 5-tuple with named fields, as CPython's structseq."""

    n_fields = n_sequence_fields = 5
    user = property(itemgetter(0))
    system = property(itemgetter(1))
    children_user = property(itemgetter(2))
    children_system = property(itemgetter(3))
    elapsed = property(itemgetter(4))

    def __repr__(self):
        return ('posix.times_result(user=%r, system=%r, children_user=%r, '
                'children_system=%r, elapsed=%r)' % tuple(self))


def _cpu_times():
    """(user, system, children's user, children's system) seconds, from /proc/self/stat (the
    kernel's counts in clock ticks, as getrusage reads them, at tick resolution)."""
    with open('/proc/self/stat', 'rb') as f:
        stat = f.read()
    # The fields after the command name, which is in parentheses and may hold anything.
    fields = stat[stat.rindex(b')') + 2:].split()
    tick = os.sysconf('SC_CLK_TCK')
    return tuple(int(fields[index]) / tick for index in (11, 12, 13, 14))


def _fixed_getrusage(original):
    import resource

    def getrusage(who, /):
        """Resource usage of the process or of its children, CPU times included."""
        usage = original(who)
        if who not in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
            return usage
        try:
            cpu = _cpu_times()
        except (OSError, ValueError, IndexError):
            return usage
        user, system = cpu[:2] if who == resource.RUSAGE_SELF else cpu[2:]
        return resource.struct_rusage((user, system) + tuple(usage)[2:])

    getrusage.__module__ = 'resource'
    return getrusage


def times():
    """User and system CPU time of the process and of its waited-for children, and the
    elapsed real time from a fixed point, as os.times() on Linux."""
    import time
    return times_result(_cpu_times() + (time.monotonic(),))


def apply():
    import resource
    if resource.getrusage(resource.RUSAGE_SELF).ru_utime < 1e-300 and os.path.exists('/proc/self/stat'):
        resource.getrusage = _fixed_getrusage(resource.getrusage)
    if not hasattr(os, 'sched_getaffinity'):
        os.sched_getaffinity = sched_getaffinity
    if not hasattr(os, 'times'):
        times_result.__module__ = 'posix'
        os.times = times
        os.times_result = times_result
