"""time: sleep() as CPython's, and the POSIX clock functions CPython has on Linux
(clock_gettime and friends) over the clocks GraalPy has.

GraalPy 25.0.3's time.sleep(1) (an int) oversleeps by up to a second, time.sleep(1.0) is
exact: an int is passed on as a float. And its sleep sees a signal only when it returns (a
SIGINT's KeyboardInterrupt comes after the whole sleep): a long sleep is made of steps of at
most STEP seconds up to its deadline, so that a signal's handler runs within a step, and the
sleep goes on to its end when the handler returns (PEP 475)."""
import time

_sleep = time.sleep
_monotonic = time.monotonic
STEP = 0.1


def sleep(secs, /):
    """Delay execution for a given number of seconds (an int or a float)."""
    if type(secs) is int:
        secs = float(secs)
    if type(secs) is not float or not STEP < secs < float('inf'):
        return _sleep(secs)        # short, or GraalPy's errors for what is not a duration
    deadline = _monotonic() + secs
    while True:
        left = deadline - _monotonic()
        if left <= 0:
            return None
        _sleep(min(left, STEP))


# Linux's clock ids, as CPython's time module has them.
CLOCK_REALTIME = 0
CLOCK_MONOTONIC = 1
CLOCK_PROCESS_CPUTIME_ID = 2
CLOCK_THREAD_CPUTIME_ID = 3
CLOCK_MONOTONIC_RAW = 4
CLOCK_BOOTTIME = 7

_READERS = {
    CLOCK_REALTIME: time.time_ns,
    CLOCK_MONOTONIC: time.monotonic_ns,
    CLOCK_MONOTONIC_RAW: time.monotonic_ns,
    CLOCK_BOOTTIME: time.monotonic_ns,
    CLOCK_PROCESS_CPUTIME_ID: time.process_time_ns,
    CLOCK_THREAD_CPUTIME_ID: time.thread_time_ns,
}


def clock_gettime_ns(clk_id, /):
    """The time of the clock, in nanoseconds."""
    reader = _READERS.get(clk_id)
    if reader is None:
        raise OSError(22, 'Invalid argument')
    return reader()


def clock_gettime(clk_id, /):
    """The time of the clock, in seconds."""
    return clock_gettime_ns(clk_id) / 1e9


def clock_getres(clk_id, /):
    """The resolution of the clock: the nanosecond, as Linux reports for these."""
    clock_gettime_ns(clk_id)
    return 1e-09


def apply():
    time.sleep = sleep
    sleep.__module__ = 'time'
    for name in ('CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID',
                 'CLOCK_THREAD_CPUTIME_ID', 'CLOCK_MONOTONIC_RAW', 'CLOCK_BOOTTIME',
                 'clock_gettime', 'clock_gettime_ns', 'clock_getres'):
        value = globals()[name]
        if not hasattr(time, name):
            if callable(value):
                value.__module__ = 'time'
            setattr(time, name, value)
