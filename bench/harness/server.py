"""The PostgreSQL server the benchmark runs against: bin/test-postgres, its environment, psql."""
import hashlib
import os
import shlex
import tempfile

from .config import DBNAME, ROOT
from .util import run_capture


def bench_server_dir():
    """The state directory of the benchmark's own throwaway cluster (PGJVM_TEST_PG_DIR of
    bin/test-postgres): not the tests' one, so that neither disturbs the other."""
    tag = hashlib.sha1(ROOT.encode()).hexdigest()[:8]
    return os.path.join(tempfile.gettempdir(), 'pgjvm-bench-postgres-%d-%s' % (os.getuid(), tag))


def test_postgres(command, state_dir):
    env = dict(os.environ)
    if state_dir:
        env['PGJVM_TEST_PG_DIR'] = state_dir
    else:
        env.pop('PGJVM_TEST_PG_DIR', None)
    return run_capture([os.path.join(ROOT, 'bin', 'test-postgres'), command], env=env,
                       timeout=900)


def server_env(state_dir):
    """The PG* variables of the throwaway server, started if it is not running."""
    proc = test_postgres('start', state_dir)
    if proc.returncode != 0:
        raise SystemExit('bin/test-postgres start failed:\n' + proc.stderr)
    return parse_exports(proc.stdout)


def parse_exports(text):
    """The variables of `export KEY=VALUE` lines (VALUE shell-quoted), as bin/test-postgres
    prints them for `eval`."""
    env = {}
    for line in text.splitlines():
        if line.startswith('export '):
            key, _, value = line[len('export '):].partition('=')
            env[key] = shlex.split(value)[0] if value else ''
    return env


def child_env(pg, extra=None):
    """A clean environment for a measured process: nothing of the caller's Python, PostgreSQL
    or benchmark settings leaks in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('PYTHON', 'PG', 'BENCH_', 'VIRTUAL_ENV', 'PIP_'))
           or k in ('PG_PYTHON_JAVA', 'PG_PYTHON_JAVA_OPTS', 'PG_PYTHON_CACHE')}
    for key in ('PGHOST', 'PGPORT', 'PGUSER'):
        env[key] = pg[key]
    env['PGSSLMODE'] = 'disable'
    env['BENCH_DBNAME'] = DBNAME
    if extra:
        env.update(extra)
    return env


class Psql:
    """psql and the other client tools of the server's installation, as the harness's user."""

    def __init__(self, pg):
        self.bindir = pg['PGJVM_TEST_PG_BINDIR']
        self.env = child_env(pg)

    def tool(self, name):
        return os.path.join(self.bindir, name)

    def run(self, sql, db=DBNAME, extra_env=None, timeout=1800):
        env = dict(self.env)
        if extra_env:
            env.update(extra_env)
        proc = run_capture([self.tool('psql'), '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1',
                            '-d', db], env=env, input=sql, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError('psql failed: %s\nSQL: %s' % (proc.stderr.strip(), sql[:500]))
        return proc.stdout.strip()

