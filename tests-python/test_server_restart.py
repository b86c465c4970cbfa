"""A whole PostgreSQL server restarted under our connections: a private throwaway cluster (made
here with initdb in a temporary directory, on a free port, removed at the end; the shared test
cluster is never touched) restarted with ``pg_ctl restart -m fast`` and ``-m immediate``.

Under a ThreadedConnectionPool with 4 threads querying in a loop, each query succeeds or raises
OperationalError, broken connections show ``closed == 2`` and are put back with close=True,
and once the server is back the pool serves working connections; the process's file
descriptors and Java threads are counted around it (as in test_network_faults.py). A plain
connection across a restart raises what psycopg2 2.9.13 raises for its next query.
"""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid

import pytest

import psycopg2
import psycopg2.pool
from test_network_faults import LOST, no_leaks, query_through_pool

java = pytest.importorskip('java')

SIMPLE = "SELECT 1, 'one'::text, NULL::int"
SIMPLE_ROWS = [(1, 'one', None)]


def _bindir():
    found = [os.environ.get('PGJVM_TEST_PG_BINDIR', '')]
    found += sorted(glob.glob('/usr/lib/postgresql/*/bin'), reverse=True)
    for path in found:
        if path and all(os.access(os.path.join(path, tool), os.X_OK)
                        for tool in ('initdb', 'pg_ctl', 'postgres')):
            return path
    return None


def _free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class PrivateCluster:
    """A cluster of our own in a temporary directory; the server runs as `postgres` when we
    are root (the postmaster refuses root)."""

    def __init__(self, bindir):
        self.bindir = bindir
        self.root = tempfile.mkdtemp(prefix='pgjvm-restart-')
        self.data = os.path.join(self.root, 'data')
        self.log = os.path.join(self.root, 'server.log')
        self.port = _free_port()
        self.owner = None
        if os.geteuid() == 0:
            entry = pwd.getpwnam('postgres')
            self.owner = 'postgres'
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        os.chmod(self.root, 0o755)

    def _run(self, *args, timeout=120):
        command = [os.path.join(self.bindir, args[0])] + list(args[1:])
        if self.owner is not None:
            command = ['runuser', '-u', self.owner, '--'] + command
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout, cwd='/')
        assert done.returncode == 0, (command, done.stdout.decode(errors='replace'),
                                      self.tail())
        return done

    def tail(self):
        try:
            with open(self.log, errors='replace') as log:
                return log.read()[-3000:]
        except OSError:
            return ''

    def create(self):
        self._run('initdb', '-D', self.data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8',
                  '--no-locale', '--no-sync')
        settings = ("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "max_connections = 40\nssl = off\nlogging_collector = off\n"
                    % (self.port, self.root))
        # The owner writes the file (it may not be ours to write as root on every system).
        with open(os.path.join(self.data, 'postgresql.conf'), 'a') as conf:
            conf.write(settings)
        self.start()

    def start(self):
        self._run('pg_ctl', 'start', '-D', self.data, '-l', self.log, '-w', '-t', '60')

    def restart(self, mode):
        self._run('pg_ctl', 'restart', '-D', self.data, '-l', self.log, '-m', mode, '-w',
                  '-t', '60')

    def dsn(self, **extra):
        params = {'host': '127.0.0.1', 'port': self.port, 'user': 'postgres',
                  'dbname': 'postgres', 'sslmode': 'disable', 'connect_timeout': 5}
        params.update(extra)
        return ' '.join('%s=%s' % item for item in params.items())

    def remove(self):
        if os.path.exists(os.path.join(self.data, 'postmaster.pid')):
            try:
                self._run('pg_ctl', 'stop', '-D', self.data, '-m', 'immediate', '-w', '-t', '30')
            except (AssertionError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope='module')
def cluster():
    bindir = _bindir()
    if bindir is None:
        pytest.skip('no PostgreSQL server binaries (initdb, pg_ctl)')
    server = PrivateCluster(bindir)
    try:
        server.create()
        yield server
    finally:
        server.remove()


def _query_ok(conn):
    cur = conn.cursor()
    cur.execute(SIMPLE)
    assert cur.fetchall() == SIMPLE_ROWS
    conn.rollback()


# -- one connection across a restart ---------------------------------------------------------

@pytest.mark.parametrize('mode', ['fast', 'immediate'])
def test_the_next_query_after_a_restart_raises_libpqs_words(cluster, mode):
    """The connection was idle when the server went: its next query raises what psycopg2
    2.9.13 raises then, after either kind of shutdown (libpq reports the lost connection, not
    the FATAL of a fast shutdown): OperationalError, no pgcode, closed 2."""
    with no_leaks():
        conn = psycopg2.connect(cluster.dsn())
        try:
            _query_ok(conn)
            pid = conn.get_backend_pid()
            cluster.restart(mode)
            started = time.monotonic()
            with pytest.raises(psycopg2.OperationalError) as info:
                conn.cursor().execute(SIMPLE)
            assert time.monotonic() - started < 8, 'the query waited'
            assert type(info.value) is psycopg2.OperationalError
            assert str(info.value) == LOST
            assert info.value.pgcode is None
            assert conn.closed == 2
            # Again: the connection is gone, psycopg2 says so without trying.
            with pytest.raises(psycopg2.InterfaceError):
                conn.cursor().execute(SIMPLE)
        finally:
            conn.close()
        assert conn.closed == 1
        again = psycopg2.connect(cluster.dsn())
        try:
            assert again.get_backend_pid() != pid
            _query_ok(again)
        finally:
            again.close()


# -- a pool across restarts ------------------------------------------------------------------

def test_a_pool_recovers_from_server_restarts(cluster):
    """4 threads query through a ThreadedConnectionPool while the server is restarted twice
    with -m fast and once with -m immediate. A query succeeds or raises OperationalError (a
    new connection may also be refused while the server is down); a broken connection has
    closed == 2 and goes back with close=True; after each restart every thread gets answers
    again, and no descriptor or thread is left behind."""
    name = 'pgjvm-restart-%s' % uuid.uuid4().hex[:12]
    stop = threading.Event()
    lock = threading.Lock()
    problems = []
    counts = {'ok': 0, 'lost': 0, 'refused': 0}
    # Per thread: successes since the last restart finished.
    since_restart = [0, 0, 0, 0]

    def worker(pool, index):
        while not stop.is_set():
            try:
                conn = pool.getconn()
            except psycopg2.OperationalError:
                # The server is down or shutting down: no new connection now.
                with lock:
                    counts['refused'] += 1
                time.sleep(0.02)
                continue
            except Exception as error:
                problems.append('getconn: %r' % (error,))
                return
            outcome, go_on = query_through_pool(pool, conn, index, 0.01, problems)
            if outcome is not None:
                with lock:
                    counts[outcome] += 1
                    if outcome == 'ok':
                        since_restart[index] += 1
            if not go_on:
                return

    def all_threads_answered(bound=20.0):
        deadline = time.monotonic() + bound
        while time.monotonic() < deadline:
            with lock:
                if min(since_restart) >= 2:
                    return True
            time.sleep(0.05)
        return False

    pool = None
    threads = []
    try:
        with no_leaks(fd_margin=6):
            pool = psycopg2.pool.ThreadedConnectionPool(2, 4, cluster.dsn(),
                                                        application_name=name)
            threads = [threading.Thread(target=worker, args=(pool, i), daemon=True)
                       for i in range(4)]
            for thread in threads:
                thread.start()
            assert all_threads_answered(), ('the pool never got going', counts, problems)
            for mode in ('fast', 'immediate', 'fast'):
                lost_before = counts['lost']
                cluster.restart(mode)
                with lock:
                    since_restart[:] = [0, 0, 0, 0]
                assert all_threads_answered(), ('no answers after -m %s' % mode, counts,
                                                problems[:10])
                # Connections were open (4 threads, busy): the restart broke some.
                assert counts['lost'] > lost_before, (mode, counts)
            stop.set()
            for thread in threads:
                thread.join(15)
            assert not any(t.is_alive() for t in threads), 'a pool thread hangs'
            assert not problems, problems[:10]
            # The pool serves working connections: idle ones whose server went away were
            # put back closed by the threads, or raise once here and are discarded.
            for attempt in range(5):
                conn = pool.getconn()
                try:
                    _query_ok(conn)
                    pool.putconn(conn)
                    break
                except psycopg2.OperationalError:
                    assert conn.closed == 2
                    pool.putconn(conn, close=True)
            else:
                pytest.fail('the pool never gave a working connection')
            pool.closeall()
            pool = None
        if os.environ.get('PGJVM_NETFAULT_DEBUG'):
            print('pool across restarts: %r' % (counts,))
    finally:
        stop.set()
        for thread in threads:
            thread.join(15)
        if pool is not None and not pool.closed:
            pool.closeall()
