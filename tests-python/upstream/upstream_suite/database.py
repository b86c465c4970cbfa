"""The database side of a run: the caller's PG* (or the throwaway cluster's), and a database of
its own for each run."""
import os
import re
import shlex
import shutil
import subprocess

from .config import ROOT, SetupError, say


def postgres_env():
    """PG* and PSYCOPG2_TEST* of the caller, or of the throwaway cluster (started if needed)."""
    env = dict(os.environ)
    if not env.get('PGHOST') or not env.get('PGPORT'):
        say('no PGHOST/PGPORT set: using the throwaway cluster (bin/test-postgres)')
        out = subprocess.run([os.path.join(ROOT, 'bin', 'test-postgres'), 'start'],
                             check=True, stdout=subprocess.PIPE, text=True).stdout
        env.update(exports(out))
    return test_env(env)


def exports(text):
    """{name: value} of the `export NAME=VALUE` lines of bin/test-postgres's output."""
    found = {}
    for line in text.splitlines():
        words = shlex.split(line)
        if len(words) == 2 and words[0] == 'export' and '=' in words[1]:
            key, value = words[1].split('=', 1)
            found[key] = value
    return found


def test_env(env):
    """env with the PSYCOPG2_TESTDB* that upstream's tests read, from PG* where not set."""
    env.setdefault('PSYCOPG2_TESTDB', env.get('PGDATABASE') or 'psycopg2_test')
    env.setdefault('PSYCOPG2_TESTDB_HOST', env['PGHOST'])
    env.setdefault('PSYCOPG2_TESTDB_PORT', env['PGPORT'])
    if env.get('PGUSER'):
        env.setdefault('PSYCOPG2_TESTDB_USER', env['PGUSER'])
    if env.get('PGPASSWORD'):
        env.setdefault('PSYCOPG2_TESTDB_PASSWORD', env['PGPASSWORD'])
    # psycopg2's own CI runs its suite against a server without TLS (the postgres service
    # image), and test_flush_on_write counts on the client outrunning the server: under TLS our
    # JSSE encryption (slow under the Graal JIT) never fills the socket. Our TLS is tested by
    # tests-python/test_tls.py and tests-java; the caller's PGSSLMODE, if any, is kept.
    env.setdefault('PGSSLMODE', 'disable')
    return env


def replication_dsn(env, dbname):
    """The replication DSN of a run: the caller's (or one from PSYCOPG2_TESTDB_*) on dbname."""
    repl = env.get('PSYCOPG2_TEST_REPL_DSN') or (
        f"host={env['PSYCOPG2_TESTDB_HOST']} port={env['PSYCOPG2_TESTDB_PORT']} "
        f"user={env.get('PSYCOPG2_TESTDB_USER', '')} replication=database")
    return re.sub(r'\bdbname=\S+', '', repl).strip() + f' dbname={dbname}'


class Database:
    """A database of its own for each run (created from template0, with hstore), so that runs
    start alike and other test suites on the same cluster do not meet our tables; dropped with
    what a killed test may leave behind (prepared transactions, replication slots)."""

    def __init__(self, env):
        self.env = env
        bindir = env.get('PGJVM_TEST_PG_BINDIR')
        self.psql = (os.path.join(bindir, 'psql') if bindir else None) or shutil.which('psql')
        if self.psql and not os.path.exists(self.psql):
            self.psql = shutil.which('psql')

    def sql(self, dbname, command):
        env = dict(self.env, PGHOST=self.env['PSYCOPG2_TESTDB_HOST'],
                   PGPORT=self.env['PSYCOPG2_TESTDB_PORT'], PGDATABASE=dbname,
                   PGCONNECT_TIMEOUT='10')
        if self.env.get('PSYCOPG2_TESTDB_USER'):
            env['PGUSER'] = self.env['PSYCOPG2_TESTDB_USER']
        if self.env.get('PSYCOPG2_TESTDB_PASSWORD'):
            env['PGPASSWORD'] = self.env['PSYCOPG2_TESTDB_PASSWORD']
        done = subprocess.run([self.psql, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
                               '-c', command], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=120)
        if done.returncode:
            raise SetupError(f'psql: {command}: {done.stderr.strip()}')
        return done.stdout.split()

    def create(self, name):
        """Returns the name of the database to test in: `name`, new, or else PSYCOPG2_TESTDB."""
        given = self.env['PSYCOPG2_TESTDB']
        if not self.psql:
            say(f'psql not found: testing in {given} as it is')
            return given
        try:
            for stale in self.sql(given, "SELECT datname FROM pg_database WHERE datname ~ "
                                         "'^psycopg2_upstream_[0-9]+_'"):
                pid = int(stale.split('_')[2])
                if not os.path.exists(f'/proc/{pid}'):      # its run is over
                    self.drop(stale)
            self.drop(name)
            self.sql(given, f'CREATE DATABASE {name} TEMPLATE template0')
            self.sql(name, 'CREATE EXTENSION IF NOT EXISTS hstore')
            return name
        except (SetupError, subprocess.TimeoutExpired) as e:
            say(f'could not create a database of our own ({e}); testing in {given} as it is')
            return given

    def drop(self, name):
        try:
            if not self.sql(self.env['PSYCOPG2_TESTDB'],
                            f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
                return
            for gid in self.sql(name, 'SELECT gid FROM pg_prepared_xacts '
                                      'WHERE database = current_database()'):
                self.sql(name, "ROLLBACK PREPARED '%s'" % gid.replace("'", "''"))
            self.sql(name, 'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots '
                           'WHERE database = current_database() AND NOT active')
            self.sql(self.env['PSYCOPG2_TESTDB'], f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        except (SetupError, subprocess.TimeoutExpired) as e:
            say(f'could not drop database {name}: {e}')
