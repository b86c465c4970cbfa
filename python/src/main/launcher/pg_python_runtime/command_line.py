"""What GraalPy 25.0.3's launcher drops from python's command line: sys._xoptions (the -X
options) and -X faulthandler / PYTHONFAULTHANDLER; and sys.orig_argv shows the options that
bin/pg-python adds for itself (--python.*), which no program asked for."""
import os
import sys

# Options of python that take their value as the next argument.
_WITH_VALUE = {'-X', '-W', '--check-hash-based-pycs'}


def _options(argv):
    """The interpreter's options, as (name, value), in sys.orig_argv without argv[0]: they end
    at -c, -m, - or the script's name."""
    options = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in ('-c', '-m', '-') or not arg.startswith('-'):
            break
        if arg in _WITH_VALUE and index + 1 < len(argv):
            options.append((arg, argv[index + 1]))
            index += 2
            continue
        if arg.startswith('-X') and len(arg) > 2:
            options.append(('-X', arg[2:]))
        else:
            options.append((arg, None))
        index += 1
    return options


def _xoptions(options):
    result = {}
    for name, value in options:
        if name == '-X':
            key, sep, setting = value.partition('=')
            result[key] = setting if sep else True
    return result


def apply():
    argv = list(getattr(sys, 'orig_argv', ()))
    asked = [a for a in argv[1:] if not a.startswith('--python.')]
    if len(asked) < len(argv) - 1:
        sys.orig_argv = argv[:1] + asked
    options = _options(asked)
    if not hasattr(sys, '_xoptions'):
        sys._xoptions = _xoptions(options)
    from_environment = (not sys.flags.ignore_environment
                        and os.environ.get('PYTHONFAULTHANDLER'))
    if 'faulthandler' in sys._xoptions or from_environment:
        import faulthandler
        if not faulthandler.is_enabled():
            faulthandler.enable()
