"""How a program ends by a signal, as with CPython.

The JVM handles SIGTERM and SIGHUP itself: it runs its shutdown hooks and exits with status
128 + the signal's number, where CPython leaves them to the system and dies of them (a parent
sees -15, nothing of Python's runs). And after an uncaught KeyboardInterrupt, CPython ends by
SIGINT (a parent sees -2, a shell 130: so that a shell script stops too), where GraalPy exits
with status 1.

Both only for a program that runs and ends, not for an interactive session (there the JVM's
handlers restore the terminal, as readline's do for CPython)."""
import sys


def _java_signals():
    import java
    return java.type('sun.misc.Signal'), java.type('sun.misc.SignalHandler')


def _default_action(name):
    """The system's default action for the signal (the JVM leaves an ignored one ignored)."""
    Signal, SignalHandler = _java_signals()
    try:
        Signal.handle(Signal(name), SignalHandler.SIG_DFL)
    except Exception:
        pass


def _end_by_sigint_after_keyboard_interrupt():
    """The last exit function: after an uncaught KeyboardInterrupt (the top level keeps it in
    sys.last_value), end by SIGINT, once the other exit functions ran and the output is out."""
    if not isinstance(getattr(sys, 'last_value', None), KeyboardInterrupt):
        return
    import os
    import signal
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass
    _default_action('INT')
    os.kill(os.getpid(), signal.SIGINT)
    import time
    time.sleep(1.0)
    os._exit(128 + signal.SIGINT)


def apply(line):
    if not line.runs_a_program:
        return
    _default_action('TERM')
    _default_action('HUP')
    import atexit
    atexit.register(_end_by_sigint_after_keyboard_interrupt)
