"""Installing the runtimes other than ours, once, into the cache (each with a marker file of
its versions, so that later runs reuse it); and the untimed first start of our launcher."""
import datetime
import json
import os
import platform
import shutil
import sys
import time

from .config import (CPYTHON_VENV, GRAALPY_PG8000, GRAALPY_VENV, PG8000_VERSION, PG_PYTHON,
                     PSYCOPG2_VERSION)
from .server import child_env
from .util import last_line, run_capture, say


def _marker(path):
    try:
        with open(os.path.join(path, '.pgjvm-bench.json')) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _write_marker(path, data):
    with open(os.path.join(path, '.pgjvm-bench.json'), 'w') as f:
        json.dump(data, f, indent=1)


def _setup_step(name, path, versions, build):
    """Build ``path`` with ``build()`` unless its marker says it is there with ``versions``."""
    marker = _marker(path)
    if marker and marker.get('versions') == versions:
        return {'status': 'ok', 'cached': True, 'path': path, 'build_s': marker.get('build_s'),
                'built_at': marker.get('built_at'), 'versions': versions}
    say('setting up %s in %s (once; later runs reuse it)...' % (name, path))
    shutil.rmtree(path, ignore_errors=True)
    t0 = time.perf_counter()
    try:
        build()
    except Exception as e:  # reported as n/a (setup failed) in every cell of the runtime
        shutil.rmtree(path + '.failed', ignore_errors=True)
        if os.path.exists(path):
            os.rename(path, path + '.failed')
        say('setting up %s failed: %s' % (name, e))
        return {'status': 'failed', 'error': str(e)[-3000:], 'path': path}
    seconds = time.perf_counter() - t0
    data = {'versions': versions, 'build_s': seconds,
            'built_at': datetime.datetime.now().isoformat(timespec='seconds')}
    _write_marker(path, data)
    say('%s ready in %.0f s' % (name, seconds))
    return dict(data, status='ok', cached=False, path=path)


def _check(proc, what):
    if proc.returncode != 0:
        raise RuntimeError('%s failed (%d): %s' % (what, proc.returncode,
                                                   (proc.stdout + proc.stderr)[-3000:]))
    return proc


def setup_cpython_venv():
    def build():
        _check(run_capture([sys.executable, '-m', 'venv', CPYTHON_VENV], timeout=600),
               'python3 -m venv')
        _check(run_capture([os.path.join(CPYTHON_VENV, 'bin', 'pip'), 'install', '-q',
                            'psycopg2-binary==' + PSYCOPG2_VERSION, 'pg8000==' + PG8000_VERSION],
                           timeout=1200), 'pip install psycopg2-binary pg8000')
    return _setup_step('psycopg2-binary and pg8000 on CPython', CPYTHON_VENV,
                       {'python': platform.python_version(), 'psycopg2-binary': PSYCOPG2_VERSION,
                        'pg8000': PG8000_VERSION}, build)


def setup_graalpy_pg8000():
    def build():
        # CPython's pip, for the launcher's Python version: pg8000 and its dependencies are
        # pure Python.
        _check(run_capture([sys.executable, '-m', 'pip', 'install', '-q', '--target',
                            GRAALPY_PG8000, '--python-version', '3.12', '--implementation', 'py',
                            '--abi', 'none', '--platform', 'any', '--only-binary=:all:',
                            'pg8000==' + PG8000_VERSION], timeout=1200),
               'pip install --target pg8000')
    return _setup_step('pg8000 for GraalPy', GRAALPY_PG8000, {'pg8000': PG8000_VERSION}, build)


def setup_graalpy_venv():
    def build():
        env = dict(os.environ, PIP_EXTRA_INDEX_URL=' ', PIP_GRAALPY_PATCHES_URL='disabled',
                   PG_PYTHON_JIT='0')
        env.pop('PYTHONPATH', None)
        env.pop('VIRTUAL_ENV', None)
        _check(run_capture([PG_PYTHON, '-m', 'venv', GRAALPY_VENV], env=env, timeout=1800),
               'bin/pg-python -m venv')
        # Built from the sdist against the system's libpq (libpq-dev), with GraalPy's patch.
        _check(run_capture([os.path.join(GRAALPY_VENV, 'bin', 'pip'), 'install',
                            '--no-binary', ':all:', 'psycopg2==' + PSYCOPG2_VERSION],
                           env=env, timeout=3600), 'pip install psycopg2 (C extension)')
    if not shutil.which('pg_config'):
        return {'status': 'failed', 'path': GRAALPY_VENV,
                'error': 'pg_config not found: install libpq-dev (apt-get install -y libpq-dev)'}
    return _setup_step('the psycopg2 C extension on GraalPy', GRAALPY_VENV,
                       {'psycopg2': PSYCOPG2_VERSION, 'launcher': PG_PYTHON}, build)


SETUPS = {'cpython-venv': setup_cpython_venv, 'graalpy-pg8000': setup_graalpy_pg8000,
          'graalpy-venv': setup_graalpy_venv}


def preflight(pg):
    """Start our launcher once, untimed: its first run may build java-core and the GraalPy
    runtime, or the start-up caches of either mode (and the JIT's JDK image), which no measured
    process should pay. (Which psycopg2 / pg8000 each runtime really imported is recorded by
    every workload.)"""
    for jit in ('0', '1'):
        env = child_env(pg, {'PG_PYTHON_JIT': jit})
        proc = run_capture([PG_PYTHON, '-c', 'import psycopg2'], env=env, timeout=1800)
        if proc.returncode != 0:
            say('bin/pg-python (PG_PYTHON_JIT=%s) does not start: %s'
                % (jit, last_line(proc.stderr)))
            return {'error': proc.stderr.strip()[-2000:]}
    return {}

