"""The network failing under a real server: a proxy (cutting_proxy.py) between our client and
the PostgreSQL of the tests cuts or stalls the connection at every byte offset of the start-up,
of a simple query and (sampled) of a 200 KB result, and backends are terminated under single
connections and under a ThreadedConnectionPool.

Each fault must end in psycopg2.OperationalError worded as libpq words it (or in success when
it comes after every byte the operation needs), never in a hang or a partial result, and leave
a connection whose session is gone with ``closed == 2``; neither file descriptors nor Java
threads may pile up. The messages are those psycopg2 2.9.13 gives for the same faults. Some
cuts are tried again through asynchronous connections and green mode; the proxy also counts
sslmode=prefer's attempts.

PGJVM_NETFAULT_DEBUG=1 (with pytest -s) prints the number of cases and the counts.
"""
import contextlib
import gc
import os
import struct
import threading
import time
import uuid

import pytest

import psycopg2
import psycopg2.extensions
import psycopg2.pool
from cutting_proxy import CuttingProxy

java = pytest.importorskip('java')

LOST = ('server closed the connection unexpectedly\n'
        '\tThis probably means the server terminated abnormally\n'
        '\tbefore or while processing the request.\n')

# libpq's words (OpenSSL's SSL_ERROR_ZERO_RETURN) when the server ends a TLS session with its
# close_notify, as a terminated backend does: the test server takes TLS, the DSN prefers it.
TLS_CLOSED = 'SSL connection has been closed unexpectedly\n'


def lost_words(conn):
    """What psycopg2 says when the server ends this (still open) connection's session."""
    return TLS_CLOSED if conn.info.ssl_in_use else LOST


SIMPLE = "SELECT 1, 'one'::text, NULL::int"
SIMPLE_ROWS = [(1, 'one', None)]
# About 220 KB of DataRows, every row different (a row duplicated or lost shows).
LARGE = "SELECT g, repeat(chr(65 + g % 26), 100) FROM generate_series(1, 2000) AS g"
LARGE_ROWS = [(g, chr(65 + g % 26) * 100) for g in range(1, 2001)]
STEP = 997               # the sampling step over the large result

CASE_BOUND = 8.0         # seconds any one fault may take before we call it a hang

pytestmark = pytest.mark.skipif(
    os.environ.get('PGHOST', '').startswith('/') or not os.environ.get('PGPORT'),
    reason='needs the test server over TCP (PGHOST/PGPORT)')


# -- the proxy and the streams it sees ----------------------------------------------------------

@pytest.fixture(scope='module')
def proxy():
    server = CuttingProxy(os.environ.get('PGHOST', '127.0.0.1'), os.environ['PGPORT'])
    yield server
    server.close()
    assert not server.errors, server.errors


def _scram():
    return {'user': os.environ['PGJVM_TEST_SCRAM_USER'],
            'password': os.environ['PGJVM_TEST_SCRAM_PASSWORD']}


def _messages(data, startup):
    """The (offset, type, end) of each protocol message in one direction of a stream; the first
    client message is the start-up packet, which has no type byte."""
    out, pos = [], 0
    if startup:
        (length,) = struct.unpack('!I', bytes(data[0:4]))
        out.append((0, None, length))
        pos = length
    while pos + 5 <= len(data):
        (length,) = struct.unpack('!I', bytes(data[pos + 1:pos + 5]))
        out.append((pos, bytes(data[pos:pos + 1]), pos + 1 + length))
        pos += 1 + length
    assert pos == len(data), 'a torn message in the recorded stream'
    return out


def _record(proxy, work):
    """Run work() on a connection through the proxy, recording its bytes; the messages of each
    direction, once the link has ended."""
    plan = proxy.arm(None, None, record=True)
    work()
    link = plan.link
    assert link.closed.wait(CASE_BOUND)
    return (_messages(link.recorded['c2s'], startup=True),
            _messages(link.recorded['s2c'], startup=False))


class Streams:
    """Where each phase starts and ends in each direction, measured through the proxy once."""


@pytest.fixture(scope='module')
def streams(proxy):
    found = Streams()

    def ends_after(messages, kind, count):
        """The end of the count-th message of that kind."""
        seen = 0
        for _, typ, end in messages:
            if typ == kind:
                seen += 1
                if seen == count:
                    return end
        raise AssertionError('only %d %r messages' % (seen, kind))

    for name, extra in (('trust', {}), ('scram', _scram())):
        c2s, s2c = _record(proxy, lambda: psycopg2.connect(proxy.dsn(**extra)).close())
        if name == 'scram':
            found.scram_messages = {'c2s': c2s, 's2c': s2c}
        # The start-up ends with the first ReadyForQuery; the client then only says Terminate.
        assert c2s[-1][1] == b'X'
        setattr(found, name, {'c2s': c2s[-1][0], 's2c': ends_after(s2c, b'Z', 1)})
        if name == 'scram':
            # Where authentication ends (AuthenticationOk): the stalls stop there (the
            # parameters after it are the trust start-up's).
            ok = [end for start, typ, end in s2c
                  if typ == b'R' and end - start == 9 and end <= found.scram['s2c']]
            found.scram_auth_end = ok[-1]

    def run(query):
        def work():
            conn = psycopg2.connect(proxy.dsn())
            cur = conn.cursor()
            cur.execute(query)     # BEGIN, then the query: two round trips
            cur.fetchall()
            conn.close()
        return work

    for name, query in (('simple', SIMPLE), ('large', LARGE)):
        c2s, s2c = _record(proxy, run(query))
        start = found.trust
        phase = {'c2s': (start['c2s'], c2s[-1][0]),          # up to the Terminate
                 's2c': (start['s2c'], ends_after(s2c, b'Z', 3))}
        if name == 'large':
            rows = [m for m in s2c if m[1] == b'D']
            assert len(rows) == len(LARGE_ROWS)
            # Every message boundary of the phase but the 2000 DataRows', and the first and
            # last few of those.
            found.large_boundaries = sorted(
                {m[0] for m in s2c if m[1] != b'D' and m[0] >= start['s2c']}
                | {m[0] for m in rows[:3] + rows[-3:]} | {phase['s2c'][1]})
        setattr(found, name, phase)
    # The same bytes on every connection (key data and nonces have fixed sizes).
    again_c2s, again_s2c = _record(proxy, lambda: psycopg2.connect(proxy.dsn()).close())
    assert (again_c2s[-1][0], again_s2c[-1][2]) == (found.trust['c2s'], found.trust['s2c'])
    return found


# -- descriptors and threads -----------------------------------------------------------------

def _threads():
    return java.type('java.lang.management.ManagementFactory').getThreadMXBean().getThreadCount()


def _fds():
    return len(os.listdir('/proc/self/fd'))


def _links_ended(proxy):
    if proxy is not None:
        deadline = time.monotonic() + 10
        for link in list(proxy.links):
            link.closed.wait(max(0.0, deadline - time.monotonic()))
        proxy.forget_closed()


def _settle(proxy=None):
    """Let the proxy's links end, collect garbage (our connections close abandoned sockets
    through a Java Cleaner), and give the cleaner a moment."""
    _links_ended(proxy)
    gc.collect()
    java.type('java.lang.System').gc()
    time.sleep(0.05)


def _check_counts(before, proxy, fd_margin, thread_margin, what):
    """Back to the counts of before (within the margins): at once, else after collecting
    garbage (for up to 5 s)."""
    _links_ended(proxy)
    deadline = time.monotonic() + 5
    while True:
        now = _fds(), _threads()
        if now[0] <= before[0] + fd_margin and now[1] <= before[1] + thread_margin:
            break
        if time.monotonic() > deadline:
            break
        _settle(proxy)
    if os.environ.get('PGJVM_NETFAULT_DEBUG'):
        print('%s: fds %d -> %d, threads %d -> %d' % (what, before[0], now[0], before[1], now[1]))
    assert now[0] <= before[0] + fd_margin, \
        '%s: file descriptors: %d before, %d after' % (what, before[0], now[0])
    assert now[1] <= before[1] + thread_margin, \
        '%s: Java threads: %d before, %d after' % (what, before[1], now[1])


@pytest.fixture(scope='module', autouse=True)
def no_leaks_in_the_module():
    """Over the whole module (set up first, torn down last: after the proxy has closed), once
    garbage is collected."""
    _settle()
    before = _fds(), _threads()
    yield
    _settle()
    _check_counts(before, None, 4, 3, 'the module')


@contextlib.contextmanager
def no_leaks(proxy=None, fd_margin=4, thread_margin=3):
    """The descriptors and Java threads of this process are back to their count (within a
    margin) after the block, once the proxy's links have ended: our connections let go of
    their sockets when they break, without waiting for the garbage collector."""
    _links_ended(proxy)
    before = _fds(), _threads()
    yield
    _check_counts(before, proxy, fd_margin, thread_margin, 'no_leaks')


# -- one fault, one case ---------------------------------------------------------------------

def _connect_case(proxy, direction, offset, extra, expect_ok, mode='cut'):
    """Connect through a proxy armed for that fault; a description of what went wrong, or
    None. A stall lasts 4 s, past the client's connect_timeout=2."""
    plan = proxy.arm(direction, offset, mode, close_after=4.0)
    started = time.monotonic()
    try:
        conn = psycopg2.connect(proxy.dsn(connect_timeout=2, **extra))
    except psycopg2.OperationalError as error:
        elapsed = time.monotonic() - started
        expected = 'connection to server at "127.0.0.1", port %d failed: %s' % (
            proxy.port, 'timeout expired\n' if mode == 'stall' else LOST)
        if expect_ok:
            return 'failed: %r' % str(error)
        if str(error) != expected:
            return 'message %r' % str(error)
        if plan.link is None or not plan.link.faulted.is_set():
            return 'failed before the fault'
        if elapsed > CASE_BOUND:
            return 'took %.1f s' % elapsed
        return None
    try:
        if not expect_ok:
            return 'connected'
        if conn.closed != 0 or plan.link.faulted.is_set():
            return 'closed == %r after connecting' % conn.closed
        # The fault is armed for the next byte: the first query meets it.
        try:
            conn.cursor().execute(SIMPLE)
        except psycopg2.OperationalError as error:
            if str(error) != LOST or conn.closed != 2:
                return 'then %r, closed == %r' % (str(error), conn.closed)
            return None
        return 'a query past the cut succeeded'
    finally:
        conn.close()


def _query_case(proxy, direction, offset, query, rows, expect_ok, mode='cut', close_after=1.0):
    plan = proxy.arm(direction, offset, mode, close_after=close_after)
    conn = psycopg2.connect(proxy.dsn(connect_timeout=2))
    try:
        cur = conn.cursor()
        started = time.monotonic()
        try:
            cur.execute(query)
            got = cur.fetchall()
        except psycopg2.OperationalError as error:
            elapsed = time.monotonic() - started
            if expect_ok:
                return 'failed: %r' % str(error)
            if str(error) != LOST:
                return 'message %r' % str(error)
            if conn.closed != 2:
                return 'closed == %r' % conn.closed
            if not plan.link.faulted.is_set():
                return 'failed before the fault'
            if elapsed > CASE_BOUND:
                return 'took %.1f s' % elapsed
            return None
        if got != rows:
            return 'partial result: %d rows of %d' % (len(got), len(rows))
        if plan.link.faulted.is_set():
            return 'succeeded past the fault'
        if not expect_ok:
            return 'succeeded'
        return None
    finally:
        conn.close()


def _sweep(case, offsets):
    """Run case(offset) for each, in a thread of its own so that a hang fails the test instead
    of stopping the run; fail listing every offset that went wrong."""
    wrong, progress = {}, []

    def run():
        for offset in offsets:
            progress.append(offset)
            try:
                problem = case(offset)
            except Exception as error:
                problem = 'raised %r' % (error,)
            if problem is not None:
                wrong[offset] = problem
        progress.append(None)

    if os.environ.get('PGJVM_NETFAULT_DEBUG'):
        print('sweep: %d offsets' % len(offsets))
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30 + 0.5 * len(offsets))
    assert progress and progress[-1] is None, \
        'hangs at offset %r' % (progress[-1] if progress else None)
    assert not wrong, '%d of %d offsets: %s' % (len(wrong), len(offsets), sorted(wrong.items())[:20])


def _concurrently(case, offsets):
    """The stalls cost seconds each: run them in threads, all at once."""
    results = {}

    def run(offset):
        try:
            results[offset] = case(offset)
        except Exception as error:        # reported below, with the offset
            results[offset] = 'raised %r' % (error,)

    threads = []
    for offset in offsets:
        thread = threading.Thread(target=run, args=(offset,), daemon=True)
        threads.append(thread)
    return results, threads


# -- cuts during start-up and authentication ---------------------------------------------------

@pytest.mark.parametrize('auth', ['trust', 'scram'])
@pytest.mark.parametrize('direction', ['c2s', 's2c'])
def test_cut_at_every_byte_of_connecting(proxy, streams, auth, direction):
    extra = _scram() if auth == 'scram' else {}
    total = getattr(streams, auth)[direction]
    offsets = list(range(total + 1))
    if auth == 'scram':
        # The trust sweep has every byte of the start-up packet and of the parameters: here
        # the bytes around each message boundary, and every 16th byte elsewhere.
        offsets = set(range(0, total, 16)) | {total - 1, total}
        for start, _, _ in streams.scram_messages[direction]:
            offsets |= {n for n in (start - 1, start, start + 1, start + 5) if 0 <= n < total}
        offsets = sorted(offsets)
    with no_leaks(proxy):
        _sweep(lambda n: _connect_case(proxy, direction, n, extra, expect_ok=n >= total),
               offsets)


# -- cuts during queries ---------------------------------------------------------------------

@pytest.mark.parametrize('direction', ['c2s', 's2c'])
def test_cut_at_every_byte_of_a_simple_query(proxy, streams, direction):
    start, end = streams.simple[direction]
    with no_leaks(proxy):
        _sweep(lambda n: _query_case(proxy, direction, n, SIMPLE, SIMPLE_ROWS,
                                     expect_ok=n >= end), range(start, end + 1))


@pytest.mark.parametrize('direction', ['c2s', 's2c'])
def test_cut_in_a_large_result(proxy, streams, direction):
    start, end = streams.large[direction]
    if direction == 'c2s':
        # The two queries (every byte of such is in the simple query's sweep): around the
        # message boundaries.
        offsets = {start, start + 1, start + 10, start + 11, start + 12, start + 16, end - 1, end}
    else:
        offsets = set(range(start, end, STEP)) | {end - 1, end}
        for boundary in streams.large_boundaries:
            offsets |= {boundary - 1, boundary, boundary + 1, boundary + 5}
        offsets = {n for n in offsets if start <= n <= end}
    with no_leaks(proxy):
        _sweep(lambda n: _query_case(proxy, direction, n, LARGE, LARGE_ROWS,
                                     expect_ok=n >= end), sorted(offsets))


def test_a_broken_connection_lets_go_of_its_socket_at_once(proxy, streams):
    """As libpq drops its socket when the server goes: connections cut mid-query and not
    closed by the user hold no descriptor and no thread, without a garbage collection."""
    start, end = streams.large['s2c']
    kept = []
    _links_ended(proxy)
    fds, threads = _fds(), _threads()
    for n in [start + (end - start) * i // 20 for i in range(20)]:
        plan = proxy.arm('s2c', n)
        conn = psycopg2.connect(proxy.dsn())
        with pytest.raises(psycopg2.OperationalError):
            conn.cursor().execute(LARGE)
        assert conn.closed == 2
        assert plan.link.closed.wait(CASE_BOUND)   # both of the proxy's sockets closed
        kept.append(conn)
    assert len(kept) == 20
    assert _fds() <= fds + 2, 'file descriptors: %d before, %d after' % (fds, _fds())
    assert _threads() <= threads + 2, 'Java threads: %d before, %d after' % (threads, _threads())
    for conn in kept:
        conn.close()
        assert conn.closed == 1


# -- stalls ----------------------------------------------------------------------------------

def _stall_offsets(total, every):
    return sorted({0, 1, total - 1} | set(range(every, total, every)))


def test_stall_while_connecting_ends_at_connect_timeout(proxy, streams):
    """A proxy that stops passing bytes at any point of the start-up: connect_timeout=2 ends
    the attempt with libpq's 'timeout expired'; the stalls run in parallel."""
    cases = [('c2s', n) for n in _stall_offsets(streams.trust['c2s'], 23)] \
        + [('s2c', n) for n in _stall_offsets(streams.trust['s2c'], 137)] \
        + [('scram-c2s', n) for n in _stall_offsets(streams.scram['c2s'], 97)] \
        + [('scram-s2c', n) for n in _stall_offsets(streams.scram_auth_end, 79)]

    def case(item):
        kind, n = item
        extra = _scram() if kind.startswith('scram') else {}
        return _connect_case(proxy, kind[-3:], n, extra, expect_ok=False, mode='stall')

    with no_leaks(proxy):
        results, threads = _concurrently(case, cases)
        if os.environ.get('PGJVM_NETFAULT_DEBUG'):
            print('stalls: %d' % len(cases))
        started = time.monotonic()
        for item, thread in zip(cases, threads):
            # One armed connection at a time: start the next once this one is accepted.
            accepted = len(proxy.links)
            thread.start()
            deadline = time.monotonic() + CASE_BOUND
            while len(proxy.links) == accepted and time.monotonic() < deadline:
                time.sleep(0.002)
        for thread in threads:
            thread.join(CASE_BOUND + 5)
        assert not any(t.is_alive() for t in threads), 'a stalled connect hangs'
        assert time.monotonic() - started < 2 * CASE_BOUND + 5
        wrong = {k: v for k, v in results.items() if v is not None}
        assert not wrong, wrong
        assert len(results) == len(cases)


def test_stall_during_a_query_ends_when_the_proxy_closes(proxy, streams):
    """A query on a silent connection waits as libpq does; the proxy closing its side after
    1 s ends it with OperationalError and closed == 2, whatever byte the stall began at."""
    cases = []
    for direction, (start, end), every in (
            ('c2s', streams.simple['c2s'], 11), ('s2c', streams.simple['s2c'], 23),
            ('s2c', streams.large['s2c'], 24989)):
        cases += [(direction, start + n) for n in _stall_offsets(end - start, every)]
    large = streams.large['s2c'][0]

    def case(item):
        direction, n = item
        query, rows = (LARGE, LARGE_ROWS) if n - large > 200 else (SIMPLE, SIMPLE_ROWS)
        return _query_case(proxy, direction, n, query, rows, expect_ok=False, mode='stall',
                           close_after=1.0)

    with no_leaks(proxy):
        results, threads = _concurrently(case, cases)
        if os.environ.get('PGJVM_NETFAULT_DEBUG'):
            print('stalls: %d' % len(cases))
        for item, thread in zip(cases, threads):
            accepted = len(proxy.links)
            thread.start()
            deadline = time.monotonic() + CASE_BOUND
            while len(proxy.links) == accepted and time.monotonic() < deadline:
                time.sleep(0.002)
        for thread in threads:
            thread.join(CASE_BOUND + 5)
        assert not any(t.is_alive() for t in threads), 'a stalled query hangs'
        wrong = {k: v for k, v in results.items() if v is not None}
        assert not wrong, wrong


def test_cancel_from_another_thread_ends_a_silent_query(proxy):
    """The server silent for 20 s (pg_sleep) through the proxy: the query waits, as libpq's
    does, and conn.cancel() from another thread (a second connection, through the proxy too)
    ends it with QueryCanceledError, leaving the connection usable."""
    conn = psycopg2.connect(proxy.dsn(connect_timeout=2))
    try:
        pid = conn.get_backend_pid()
        admin = psycopg2.connect('')
        admin.autocommit = True      # pg_stat_activity is read once per transaction
        try:
            canceller = threading.Thread(target=lambda: _wait_until_running(
                admin, pid, 'pg_sleep') and conn.cancel(), daemon=True)
            canceller.start()
            started = time.monotonic()
            with pytest.raises(psycopg2.extensions.QueryCanceledError):
                conn.cursor().execute('SELECT pg_sleep(20)')
            assert time.monotonic() - started < 15
            canceller.join(10)
        finally:
            admin.close()
        assert conn.closed == 0
        conn.rollback()
        cur = conn.cursor()
        cur.execute(SIMPLE)
        assert cur.fetchall() == SIMPLE_ROWS
    finally:
        conn.close()


# -- backends terminated ---------------------------------------------------------------------

def _wait_until_running(admin, pid, text, bound=10.0):
    cur = admin.cursor()
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s AND state = 'active'"
                    " AND query LIKE %s", (pid, '%' + text + '%'))
        if cur.fetchone()[0]:
            return True
        time.sleep(0.005)
    return False


def test_backend_terminated_during_a_query(dsn):
    """30 times: pg_sleep(5) on one connection, pg_terminate_backend on its pid from another;
    the query raises libpq's words at once, closed is 2, a new connection works."""
    admin = psycopg2.connect(dsn)
    admin.autocommit = True
    try:
        conn = psycopg2.connect(dsn)
        conn.close()
        with no_leaks():
            conn = psycopg2.connect(dsn)
            for round_ in range(30):
                # A new connection works (for the first round too).
                cur = conn.cursor()
                cur.execute(SIMPLE)
                assert cur.fetchall() == SIMPLE_ROWS
                conn.rollback()
                pid = conn.get_backend_pid()
                words = lost_words(conn)
                killer = threading.Thread(target=lambda: _wait_until_running(
                    admin, pid, 'pg_sleep') and admin.cursor().execute(
                        'SELECT pg_terminate_backend(%s)', (pid,)), daemon=True)
                killer.start()
                started = time.monotonic()
                with pytest.raises(psycopg2.OperationalError) as info:
                    cur.execute('SELECT pg_sleep(5)')
                assert time.monotonic() - started < 4.5, 'the query ran to its end'
                killer.join(10)
                assert str(info.value) == words, round_
                assert info.value.pgcode is None
                assert conn.closed == 2
                conn.close()
                assert conn.closed == 1
                conn = psycopg2.connect(dsn)
                assert conn.get_backend_pid() != pid
            conn.close()
    finally:
        admin.close()


def query_through_pool(pool, conn, index, pause, problems):
    """One query of a pool's worker thread on ``conn`` (from ``pool.getconn()``), given back
    after it, closed when the session broke: ('ok' or 'lost' or None when something else went
    wrong, whether the thread goes on). What is not as psycopg2 would have it (a broken
    connection not closed 2, wrong rows) goes into ``problems``."""
    broken = False
    outcome = None
    try:
        cur = conn.cursor()
        cur.execute('SELECT pg_sleep(%s), %s', (pause, index))
        if cur.fetchall() != [('', index)]:
            problems.append('wrong rows')
        conn.rollback()
        outcome = 'ok'
    except psycopg2.OperationalError as error:
        broken = True
        if conn.closed != 2:
            problems.append('closed == %r after %r' % (conn.closed, str(error)))
        outcome = 'lost'
    except Exception as error:
        broken = True
        problems.append('%s: %s' % (type(error).__name__, error))
    try:
        pool.putconn(conn, close=broken)
    except Exception as error:
        problems.append('putconn: %r' % (error,))
        return outcome, False
    return outcome, True


def test_pool_recovers_when_every_backend_is_terminated(dsn):
    """4 threads run queries through a ThreadedConnectionPool while every backend of the pool
    (found by its application_name: other runs share the database) is terminated, 4 times.
    Each query succeeds or raises OperationalError; broken connections are put back with
    close=True; the pool then serves working connections."""
    name = 'pgjvm-network-faults-%s' % uuid.uuid4().hex[:12]
    admin = psycopg2.connect(dsn)
    admin.autocommit = True
    stop = threading.Event()
    outcomes = {'ok': 0, 'lost': 0}
    problems = []
    lock = threading.Lock()

    def worker(pool, index):
        while not stop.is_set():
            try:
                conn = pool.getconn()
            except psycopg2.OperationalError:
                # A new connection whose backend was terminated while it started.
                with lock:
                    outcomes['lost'] += 1
                continue
            except Exception as error:
                problems.append('getconn: %r' % (error,))
                return
            outcome, go_on = query_through_pool(pool, conn, index, 0.02, problems)
            if outcome is not None:
                with lock:
                    outcomes[outcome] += 1
            if not go_on:
                return

    def terminate_all():
        cur = admin.cursor()
        cur.execute('SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity'
                    ' WHERE application_name = %s AND pid <> pg_backend_pid()', (name,))
        return cur.fetchone()[0]

    try:
        with no_leaks(fd_margin=6):
            pool = psycopg2.pool.ThreadedConnectionPool(2, 4, dsn, application_name=name)
            threads = [threading.Thread(target=worker, args=(pool, i), daemon=True)
                       for i in range(4)]
            for thread in threads:
                thread.start()
            killed = 0
            for _ in range(4):
                time.sleep(0.4)
                killed += terminate_all()
            time.sleep(0.4)
            stop.set()
            for thread in threads:
                thread.join(15)
            assert not any(t.is_alive() for t in threads), 'a pool thread hangs'
            assert not problems, problems[:10]
            assert killed >= 4 and outcomes['lost'] >= 1, (killed, outcomes)
            assert outcomes['ok'] >= 4, outcomes
            # Recovered: a connection from the pool works, even if it was idle in the pool
            # when its backend went (that one raises once, is discarded, and the next works).
            for attempt in range(5):
                conn = pool.getconn()
                try:
                    cur = conn.cursor()
                    cur.execute(SIMPLE)
                    assert cur.fetchall() == SIMPLE_ROWS
                    pool.putconn(conn)
                    break
                except psycopg2.OperationalError:
                    assert conn.closed == 2
                    pool.putconn(conn, close=True)
            else:
                pytest.fail('the pool never gave a working connection')
            pool.closeall()
    finally:
        stop.set()
        admin.close()


# -- asynchronous connections and green mode ---------------------------------------------------

def _wait(conn):
    """psycopg2's documented wait loop, bounded."""
    import select
    deadline = time.monotonic() + CASE_BOUND
    while time.monotonic() < deadline:
        state = conn.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        if state == psycopg2.extensions.POLL_READ:
            select.select([conn.fileno()], [], [], 0.5)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [], 0.5)
    raise AssertionError('hangs')


@contextlib.contextmanager
def _green():
    import psycopg2.extras
    psycopg2.extensions.set_wait_callback(psycopg2.extras.wait_select)
    try:
        yield
    finally:
        psycopg2.extensions.set_wait_callback(None)


def _async_offsets(streams):
    connect = [('c2s', n) for n in (0, 1, 20, streams.trust['c2s'] - 1)] \
        + [('s2c', n) for n in (0, 1, 8, 9, 200, streams.trust['s2c'] - 1)]
    query = [(d, n) for d in ('c2s', 's2c')
             for n in range(streams.simple[d][0], streams.simple[d][1], 9)]
    return connect, query


def test_cuts_under_asynchronous_connections_and_green_mode(proxy, streams):
    """The same cuts, sampled, through connect(async_=True) and poll(), and through a wait
    callback (extras.wait_select): OperationalError, no hang, closed == 2 after a query."""
    connect_cuts, query_cuts = _async_offsets(streams)
    wrong = []
    with no_leaks(proxy):
        for direction, n in connect_cuts:
            proxy.arm(direction, n)
            conn = psycopg2.connect(proxy.dsn(), async_=True)
            try:
                _wait(conn)
                wrong.append(('async connect', direction, n, 'connected'))
            except psycopg2.OperationalError as error:
                if not str(error).endswith(LOST):
                    wrong.append(('async connect', direction, n, str(error)))
            conn.close()
            with _green():
                proxy.arm(direction, n)
                try:
                    psycopg2.connect(proxy.dsn()).close()
                    wrong.append(('green connect', direction, n, 'connected'))
                except psycopg2.OperationalError as error:
                    if not str(error).endswith(LOST):
                        wrong.append(('green connect', direction, n, str(error)))
        for direction, n in query_cuts:
            # Asynchronous connections are in autocommit (no BEGIN): the later offsets come
            # after their query, which must then succeed whole.
            plan = proxy.arm(direction, n)
            conn = psycopg2.connect(proxy.dsn(), async_=True)
            _wait(conn)
            try:
                cur = conn.cursor()
                cur.execute(SIMPLE)
                _wait(conn)
                if cur.fetchall() != SIMPLE_ROWS or plan.link.faulted.is_set():
                    wrong.append(('async query', direction, n, 'succeeded past the cut'))
            except psycopg2.OperationalError as error:
                if str(error) != LOST or conn.closed != 2 or not plan.link.faulted.is_set():
                    wrong.append(('async query', direction, n, str(error), conn.closed))
            conn.close()
            with _green():
                proxy.arm(direction, n)
                conn = psycopg2.connect(proxy.dsn())
                try:
                    cur = conn.cursor()
                    cur.execute(SIMPLE)
                    wrong.append(('green query', direction, n, cur.fetchall()))
                except psycopg2.OperationalError as error:
                    if str(error) != LOST or conn.closed != 2:
                        wrong.append(('green query', direction, n, str(error), conn.closed))
                conn.close()
    assert not wrong, wrong


def test_an_asynchronous_start_up_cut_says_what_psycopg2_says(proxy, streams):
    messages = set()
    for direction, n in _async_offsets(streams)[0]:
        proxy.arm(direction, n)
        conn = psycopg2.connect(proxy.dsn(), async_=True)
        with pytest.raises(psycopg2.OperationalError) as info:
            _wait(conn)
        messages.add(str(info.value))
        conn.close()
        with _green():
            proxy.arm(direction, n)
            with pytest.raises(psycopg2.OperationalError) as info:
                psycopg2.connect(proxy.dsn())
            messages.add(str(info.value))
    assert messages == {LOST}


# -- sslmode=prefer's second try -------------------------------------------------------------

def test_prefer_does_not_try_again_after_authentication(proxy):
    proxy.forget_closed()
    before = len(proxy.links)
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(proxy.dsn(sslmode='prefer', dbname='no_such_database_here'))
    expected = ('connection to server at "127.0.0.1", port %d failed: FATAL:  database '
                '"no_such_database_here" does not exist\n' % proxy.port)
    attempts = len(proxy.links) - before
    assert (str(info.value), attempts) == (expected, 1)
