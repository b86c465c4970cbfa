"""The runner through which bin/pg-python starts the programs that GraalPy 25.0.3's launcher
would run otherwise than python:

- a program read from stdin (`python - args` or `python < file`): GraalPy then runs its REPL
  on the rest of stdin, whose status 0 replaces the program's, and takes a '-' followed by
  arguments for a script's name;
- under -O, a -c command or a script file: GraalPy compiles them itself without the
  optimization, so their asserts run.

bin/pg-python starts `python OPTIONS -c RUNNER MODE WORD COUNT TYPED... ARGUMENTS...`: MODE is
stdin, c or file; WORD is sys.argv[0] for stdin, the command for c, the script for file; TYPED
are the COUNT words the user typed up to the program (command_line puts them back into
sys.orig_argv); ARGUMENTS are the program's. run() runs the program in __main__ as python
does, with the same sys.argv, sys.path[0] and exit status, and reports an uncaught exception
from the program's own first frame (not from the runner's)."""
import os
import sys


def run():
    from .command_line import RUNNER, orig_argv
    if RUNNER in getattr(sys, 'orig_argv', ()):       # -S: no start-up code ran
        sys.orig_argv = orig_argv()[0]
    mode, word, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    arguments = sys.argv[4 + count:]
    namespace = sys.modules['__main__'].__dict__
    if mode == 'stdin':
        sys.argv = [word] + arguments
        namespace['__file__'] = '<stdin>'
        _execute(sys.stdin.buffer.read(), '<stdin>', namespace)
    elif mode == 'c':
        sys.argv = ['-c'] + arguments
        _execute(word, '<string>', namespace)
    else:
        sys.argv = [word] + arguments
        _run_file(word, namespace)


def _set_path0(directory):
    # -c put the working directory first ('') unless -P or -I; a script puts its own directory.
    if sys.path and sys.path[0] == '':
        sys.path[0] = directory


def _run_file(path, namespace):
    if os.path.isdir(path) or _is_zip(path):
        # A directory or a zip archive with a __main__ module: it goes first on sys.path.
        if sys.path and sys.path[0] == '':
            sys.path[0] = path
        else:
            sys.path.insert(0, path)
        import runpy
        runpy._run_module_as_main('__main__', False)
        return
    _set_path0(os.path.dirname(os.path.realpath(path)))
    try:
        with open(path, 'rb') as f:
            source = f.read()
    except OSError as e:
        sys.stderr.write("%s: can't open file %r: [Errno %d] %s\n"
                         % (sys.executable, os.path.abspath(path), e.errno, e.strerror))
        raise SystemExit(2)
    namespace['__file__'] = path
    namespace['__cached__'] = None
    _execute(source, path, namespace)


def _is_zip(path):
    import zipimport
    try:
        zipimport.zipimporter(path)
    except (zipimport.ZipImportError, OSError):
        return False
    return True


def _execute(source, filename, namespace):
    level = sys.flags.optimize or -1
    try:
        code = compile(source, filename, 'exec', dont_inherit=True, optimize=level)
    except (SyntaxError, ValueError) as e:
        return _uncaught(e, None)
    try:
        exec(code, namespace)
    except SystemExit:
        raise
    except BaseException as e:
        # The traceback starts at this frame; the next one is the program's.
        return _uncaught(e, e.__traceback__.tb_next)
    return None


def _uncaught(error, traceback):
    """What python does with an exception the program did not catch: print it (through
    sys.excepthook), keep it in sys.last_*, exit with status 1 (or go on to the interactive
    session under -i). After a KeyboardInterrupt, pg_python_runtime.signals then ends the
    process by SIGINT."""
    error.__traceback__ = traceback
    sys.last_type, sys.last_value, sys.last_traceback = type(error), error, traceback
    sys.last_exc = error
    sys.excepthook(type(error), error, traceback)
    if not sys.flags.inspect:
        raise SystemExit(1)
