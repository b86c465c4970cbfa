"""python's command line where GraalPy 25.0.3's launcher drops it or reads it otherwise, set
right at start-up from sys.orig_argv and the environment:

- sys.orig_argv as typed: without bin/pg-python's own options (--python.*) and its runner
  (pg_python_runtime.main, through which it starts some programs);
- sys._xoptions (the -X options); -X faulthandler and PYTHONFAULTHANDLER;
- sys.flags as CPython's: debug is -d's count (GraalPy has 1 for "not optimized"), optimize
  -O's count or PYTHONOPTIMIZE (GraalPy ignores -O), dev_mode -X dev or PYTHONDEVMODE,
  interactive -i, dont_write_bytecode from PYTHONDONTWRITEBYTECODE too (bin/pg-python hands
  it over under another name, so that GraalPy still caches its standard library);
- -X dev: the 'default' warnings filter and faulthandler;
- -O: compile() at the interpreter's level when asked for -1, as importlib asks (GraalPy takes
  -1 for 0 and keeps the asserts);
- sys.stdout filled by blocks when a program writes it to a pipe or a file (GraalPy
  line-buffers it whatever it is);
- PYTHONSTARTUP, run before an interactive session."""
import os
import sys

RUNNER = "__import__('pg_python_runtime.main').main.run()"

FIELDS = ('debug', 'inspect', 'interactive', 'optimize', 'dont_write_bytecode',
          'no_user_site', 'no_site', 'ignore_environment', 'verbose', 'bytes_warning', 'quiet',
          'hash_randomization', 'isolated', 'dev_mode', 'utf8_mode', 'warn_default_encoding',
          'safe_path', 'int_max_str_digits')


class CommandLine:
    """The interpreter's options in a command line (without argv[0]): the option letters, one
    per use (-OO: two), the -X values, and the program: 'c', 'm', 'file', 'stdin' ('-') or
    None (none given: stdin, or the REPL on a terminal). `runner` is the runner's mode when
    bin/pg-python started the program through pg_python_runtime.main."""

    def __init__(self, argv, runner=None):
        self.letters = []
        self.xoptions = []
        self.program = None
        self.runner = runner
        self._parse(iter(argv))

    def _parse(self, args):
        for arg in args:
            if arg == '-':
                self.program = 'stdin'
                return
            if arg == '--check-hash-based-pycs':
                next(args, None)
                continue
            if arg == '--':
                self.program = 'file' if next(args, None) is not None else None
                return
            if arg.startswith('--'):
                continue
            if not arg.startswith('-'):
                self.program = 'file'
                return
            rest = arg[1:]
            while rest:
                letter, rest = rest[0], rest[1:]
                if letter in 'cm':
                    self.program = letter
                    return
                if letter in 'WX':
                    value = rest or next(args, '')
                    if letter == 'X':
                        self.xoptions.append(value)
                    break
                self.letters.append(letter)

    def count(self, letter):
        return self.letters.count(letter)

    @property
    def runs_a_program(self):
        """Whether a program runs and then the process ends (no interactive session)."""
        if sys.flags.inspect:
            return False
        return self.runner is not None or self.program not in (None, 'stdin')


def orig_argv():
    """sys.orig_argv as the user typed it, and the runner's mode (None without a runner)."""
    argv = list(getattr(sys, 'orig_argv', ()))
    # bin/pg-python's options come first; the program's arguments may look alike.
    first = 1
    while first < len(argv) and argv[first].startswith('--python.'):
        first += 1
    argv[1:first] = []
    mode = None
    for index in range(1, len(argv) - 4):
        if argv[index] == '-c' and argv[index + 1] == RUNNER:
            mode = argv[index + 2]
            count = int(argv[index + 4])
            typed = argv[index + 5:index + 5 + count]
            argv = argv[:1] + typed + argv[index + 5 + count:]
            break
    return argv, mode


def _environment(name):
    """A PYTHON* variable's value, None when unset or empty or under -E and -I."""
    if sys.flags.ignore_environment:
        return None
    return os.environ.get(name) or None


def _level(name):
    """A variable that sets a level (PYTHONOPTIMIZE, PYTHONDEBUG): its number, else 1."""
    value = _environment(name)
    if value is None:
        return 0
    return int(value) if value.isdigit() else 1


def _xoptions(values):
    result = {}
    for value in values:
        key, sep, setting = value.partition('=')
        result[key] = setting if sep else True
    return result


def _flags_type():
    from operator import itemgetter

    class flags(tuple):
        """sys.flags: the command line's flags (read-only)."""
        __slots__ = ()
        n_fields = n_sequence_fields = len(FIELDS)
        n_unnamed_fields = 0

        def __repr__(self):
            return 'sys.flags(%s)' % ', '.join(
                '%s=%r' % item for item in zip(FIELDS, self))

        def __reduce__(self):
            return (tuple, (tuple(self),))

    for index, name in enumerate(FIELDS):
        setattr(flags, name, property(itemgetter(index)))
    flags.__module__ = 'sys'
    return flags


def _set_flags(changes):
    values = {name: getattr(sys.flags, name) for name in FIELDS}
    if all(values[name] == value for name, value in changes.items()):
        return
    values.update(changes)
    sys.flags = _flags_type()(values[name] for name in FIELDS)


def _dev_mode_warnings():
    # As CPython: 'default' first in sys.warnoptions, so that it comes after (below) the filters
    # of PYTHONWARNINGS and -W, and above the default filters.
    user_options = len(sys.warnoptions)
    sys.warnoptions.insert(0, 'default')
    warnings = sys.modules.get('warnings')
    if warnings is not None:
        warnings.filters.insert(user_options, ('default', None, Warning, None, 0))
        warnings._filters_mutated()


def _compile_at(level):
    """builtins.compile with optimize=-1 meaning `level`, as CPython's means the interpreter's
    -O level; the caller's __future__ flags are inherited as compile() does."""
    import __future__
    import builtins
    original = builtins.compile
    future_flags = 0
    for name in __future__.all_feature_names:
        future_flags |= getattr(__future__, name).compiler_flag

    def compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **kwargs):
        if optimize == -1:
            optimize = level
        if not dont_inherit:
            flags |= sys._getframe(1).f_code.co_flags & future_flags
        return original(source, filename, mode, flags, True, optimize, **kwargs)

    compile.__doc__ = original.__doc__
    compile.__module__ = 'builtins'
    builtins.compile = compile


def _block_buffered_stdout():
    stdout = sys.stdout
    try:
        if stdout.line_buffering and not stdout.write_through and not stdout.isatty():
            stdout.reconfigure(line_buffering=False)
    except (AttributeError, ValueError, OSError):
        pass


def _run_startup_file(path):
    """PYTHONSTARTUP's file, in __main__, before the first prompt; an error in it is printed."""
    main = sys.modules.get('__main__')
    if main is None:
        return
    try:
        with open(path, 'rb') as f:
            source = f.read()
        code = compile(source, path, 'exec')
    except (OSError, SyntaxError, ValueError) as e:
        sys.excepthook(type(e), e, None)
        return
    try:
        exec(code, main.__dict__)
    except BaseException as e:
        # From the file's first frame, not from here.
        sys.excepthook(type(e), e, e.__traceback__.tb_next)


def apply():
    """Sets the command line's effects right; returns the CommandLine."""
    argv, mode = orig_argv()
    sys.orig_argv = argv
    line = CommandLine(argv[1:], mode)
    if not hasattr(sys, '_xoptions'):
        sys._xoptions = _xoptions(line.xoptions)

    changes = {'debug': max(line.count('d'), _level('PYTHONDEBUG')),
               'optimize': max(line.count('O'), _level('PYTHONOPTIMIZE')),
               'interactive': line.count('i')}
    dev_mode = 'dev' in sys._xoptions or _environment('PYTHONDEVMODE') is not None
    changes['dev_mode'] = dev_mode
    dont_write = os.environ.pop('PG_PYTHON_DONTWRITEBYTECODE', None)
    if dont_write is not None:
        os.environ['PYTHONDONTWRITEBYTECODE'] = dont_write
        if dont_write and not sys.flags.ignore_environment:
            sys.dont_write_bytecode = True
            changes['dont_write_bytecode'] = 1
    _set_flags(changes)

    if sys.flags.optimize:
        _compile_at(sys.flags.optimize)
    if dev_mode:
        _dev_mode_warnings()
    if dev_mode or 'faulthandler' in sys._xoptions or _environment('PYTHONFAULTHANDLER'):
        import faulthandler
        if not faulthandler.is_enabled():
            faulthandler.enable()
    if line.runs_a_program:
        _block_buffered_stdout()
    startup = _environment('PYTHONSTARTUP')
    if (startup and mode is None and line.program in (None, 'stdin')
            and (sys.flags.inspect or sys.stdin.isatty())):
        _run_startup_file(startup)
    return line
