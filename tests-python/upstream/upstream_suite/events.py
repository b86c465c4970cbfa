"""The event lines that the pytest plugin (upstream_plugin.py, in the interpreter under test)
appends to the file named by UPSTREAM_EVENTS, and that the supervisor reads as they come: the
one definition of their format, imported by both sides.

One event a line: its kind, then its fields, tab-separated. Whitespace in a field (tabs and
newlines included) is folded into single spaces and a field is cut at MAX_FIELD characters, so
that a line is always one line. The plugin flushes each line at once, so that the supervisor
knows which test is running when the interpreter hangs or dies.

Standard library only, nothing at import time, and the syntax of Python 2.7 as well: this
module also runs on GraalPy and on Jython (tests-jython/upstream/unittest_runner.py).
"""
import io
import json
import sys

_TEXT = str if sys.version_info[0] >= 3 else unicode  # noqa: F821 (Python 2 only)

MAX_FIELD = 400

# kind: its fields, in order. A trailing `message` may be missing (read as '').
FIELDS = {
    'info': ('info',),              # JSON: file, version, libpq, wait_callback; or error
    'collecting': ('file',),        # pytest starts collecting this test module
    'collect-error': ('file', 'message'),
    'item': ('test_id',),           # collected (selected or not)
    'collected': ('count',),        # collection is over: `count` tests to run
    'start': ('test_id',),
    'result': ('test_id', 'outcome', 'seconds', 'message'),   # passed|failed|skipped
    'fatal': ('message',),          # the process cannot run tests (wrong psycopg2 imported)
}


def field(value):
    if isinstance(value, bytes) and not isinstance(value, _TEXT):
        value = value.decode('utf-8', 'replace')
    elif not isinstance(value, _TEXT):
        try:
            value = _TEXT(value)
        except UnicodeError:            # Python 2: an object whose str() is not ASCII
            value = _TEXT(repr(value))
    return u' '.join(value.split())[:MAX_FIELD]


def line(kind, *values):
    """The line of one event (with its newline); `info` takes a dict."""
    names = FIELDS.get(kind)
    if names is None or len(values) != len(names):
        raise ValueError('event %r takes %s, got %d field(s)' % (kind, names, len(values)))
    if kind == 'info':
        values = (json.dumps(values[0]),)
    return u'\t'.join(field(v) for v in (kind,) + values) + u'\n'


def emitter(path):
    """emit(kind, *fields): appends the event to the file at path, flushed."""
    stream = io.open(path, 'a', encoding='utf-8', errors='replace')

    def emit(kind, *values):
        stream.write(line(kind, *values))
        stream.flush()
    emit.close = stream.close       # the plugin leaves it open to the end of the process
    return emit


def parse(text):
    """(kind, fields) of one line (without its newline), with `info` as a dict, `collected` as
    an int and a result's `seconds` as a float; None for a line of no known kind or too few
    fields (the supervisor skips it)."""
    parts = text.split('\t')
    kind, values = parts[0], parts[1:]
    names = FIELDS.get(kind)
    if names is None:
        return None
    if len(values) < len(names) and names[-1] == 'message':
        values.append('')
    if len(values) < len(names):
        return None
    values = values[:len(names)]
    if kind == 'info':
        try:
            values[0] = json.loads(values[0])
        except ValueError:
            values[0] = {'error': 'bad info from the plugin: %s' % values[0]}
    try:
        if kind == 'collected':
            values[0] = int(values[0])
        elif kind == 'result':
            values[2] = float(values[2])
    except ValueError:
        return None
    return kind, tuple(values)


class Lines:
    """The complete lines of a file being appended to, chunk by chunk: a line cut in two by a
    read waits for its end."""

    def __init__(self):
        self.pending = ''

    def feed(self, chunk):
        lines = (self.pending + chunk).split('\n')
        self.pending = lines.pop()
        return lines
