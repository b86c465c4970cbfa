"""Start-up code of bin/pg-python (the `site` module imports it, as CPython's does any
sitecustomize on sys.path): fills in what GraalPy 25.0.3 lacks or does otherwise than CPython
and that real programs hit first (see pg_python_runtime). It does nothing on another Python
(PYTHONPATH reaches child processes, CPython ones too), and hands over to the next
sitecustomize on sys.path, if there is one, so that a user's own still runs."""
import sys


def _apply():
    if sys.implementation.name != 'graalpy':
        return
    import pg_python_runtime
    pg_python_runtime.apply()


def _run_next_sitecustomize():
    import os
    from importlib import machinery, util
    here = os.path.dirname(os.path.abspath(__file__))
    later = [p for p in sys.path if os.path.abspath(p or '.') != here]
    spec = machinery.PathFinder.find_spec(__name__, later)
    if spec is None or spec.origin == os.path.abspath(__file__):
        return
    module = util.module_from_spec(spec)
    sys.modules[__name__] = module
    spec.loader.exec_module(module)


_apply()
_run_next_sitecustomize()
