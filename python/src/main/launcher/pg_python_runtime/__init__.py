"""What bin/pg-python's start-up (sitecustomize) sets right in GraalPy 25.0.3, one module per
area. Each fix changes only what is missing or wrong there: a name CPython has and GraalPy
lacks is added (CPython's behaviour where it can be had, else a documented no-op), and nothing
that exists and works is replaced. The README's "Known limits" lists what is left.

Start-up time counts: a fix for a module the interpreter does not load at start-up (json) is
applied when the program first imports that module (after_import), not by importing it."""
import sys


def apply():
    from . import clocks, collector, command_line, processes, signals
    line = command_line.apply()
    signals.apply(line)
    collector.apply()
    clocks.apply()
    processes.apply()
    after_import('json', 'serialization')


def after_import(module_name, fix_module):
    """Apply pg_python_runtime.<fix_module>.apply(module) once `module_name` is imported."""
    if module_name in sys.modules:
        _fix(fix_module, sys.modules[module_name])
    else:
        sys.meta_path.insert(0, _AfterImport(module_name, fix_module))


def _fix(fix_module, module):
    from importlib import import_module
    import_module('%s.%s' % (__name__, fix_module)).apply(module)


class _AfterImport:
    """A meta path finder that finds nothing itself: on the import of its module it lets the
    other finders find it, wraps the loader's exec_module to apply the fix after the module
    ran, and removes itself."""

    def __init__(self, module_name, fix_module):
        self.module_name = module_name
        self.fix_module = fix_module

    def find_spec(self, name, path=None, target=None):
        if name != self.module_name:
            return None
        sys.meta_path.remove(self)
        from importlib.util import find_spec
        spec = find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        exec_module, fix_module = spec.loader.exec_module, self.fix_module

        def exec_and_fix(module):
            exec_module(module)
            _fix(fix_module, module)

        spec.loader.exec_module = exec_and_fix
        return spec
