"""Asynchronous connections (connect(async_=True)): poll() for the connection attempt and for
every query, waited on with select, selectors or poll objects; what async connections refuse,
in psycopg2's words; poll() on a synchronous connection for notifications."""
import select
import selectors
import time

import pytest

import psycopg2
import psycopg2.extensions as ext


def wait(conn, timeout=10.0):
    """Poll until POLL_OK, waiting with a selectors.Selector as an event loop would; the
    states seen."""
    states = []
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        while True:
            state = conn.poll()
            states.append(state)
            if state == ext.POLL_OK:
                return states
            assert state in (ext.POLL_READ, ext.POLL_WRITE), state
            assert time.monotonic() < deadline, 'poll() never said POLL_OK'
            events = selectors.EVENT_READ if state == ext.POLL_READ else selectors.EVENT_WRITE
            sel.register(conn, events)
            sel.select(1.0)
            sel.unregister(conn)


@pytest.fixture
def aconn(dsn):
    conn = psycopg2.connect(dsn, async_=True)
    wait(conn)
    yield conn
    conn.close()


def test_connect_step_by_step(dsn):
    conn = psycopg2.connect(dsn, async_=True)
    try:
        assert conn.async_ == 1 and conn.status == ext.STATUS_SETUP
        assert conn.isexecuting(), 'connecting counts as executing'
        states = wait(conn)
        assert states[0] in (ext.POLL_WRITE, ext.POLL_READ) and states[-1] == ext.POLL_OK
        assert conn.status == ext.STATUS_READY and not conn.isexecuting()
        assert conn.autocommit, 'async connections are always in autocommit'
        assert conn.server_version >= 90000 and conn.encoding in ext.encodings
    finally:
        conn.close()


def test_async_keyword_too(dsn):
    conn = psycopg2.connect(dsn, **{'async': True})
    try:
        wait(conn)
        assert conn.async_ == 1
    finally:
        conn.close()


def test_query_result_lands_in_its_cursor(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT %s, 'x' UNION ALL SELECT 2, 'y'", (1,))
    assert aconn.isexecuting()
    with pytest.raises(psycopg2.ProgrammingError, match='no results to fetch'):
        cur.fetchone()
    wait(aconn)
    assert not aconn.isexecuting()
    assert cur.fetchall() == [(1, 'x'), (2, 'y')]
    assert cur.rowcount == 2 and cur.statusmessage == 'SELECT 2'
    assert cur.query == b"SELECT 1, 'x' UNION ALL SELECT 2, 'y'"


def test_an_error_comes_out_of_poll_with_its_cursor(aconn):
    cur = aconn.cursor()
    cur.execute('SELECT 1; SELECT no_such_column; SELECT 2')
    with pytest.raises(psycopg2.errors.UndefinedColumn) as info:
        wait(aconn)
    assert info.value.cursor is cur
    assert not aconn.isexecuting()
    cur.execute('SELECT 3')
    wait(aconn)
    assert cur.fetchone() == (3,), 'the connection goes on after the error'


def test_one_query_at_a_time(aconn):
    cur, other = aconn.cursor(), aconn.cursor()
    cur.execute('SELECT pg_sleep(0.1)')
    for call in (lambda: cur.execute('SELECT 1'), lambda: other.execute('SELECT 1')):
        with pytest.raises(psycopg2.ProgrammingError,
                           match='^execute cannot be used while an asynchronous query is underway$'):
            call()
    with pytest.raises(psycopg2.ProgrammingError,
                       match='^callproc cannot be used while an asynchronous query is underway$'):
        cur.callproc('version')
    wait(aconn)


@pytest.mark.parametrize('action, message', [
    (lambda c: c.commit(), 'commit cannot be used in asynchronous mode'),
    (lambda c: c.rollback(), 'rollback cannot be used in asynchronous mode'),
    (lambda c: c.set_session(readonly=True), 'set_session cannot be used in asynchronous mode'),
    (lambda c: setattr(c, 'autocommit', False), 'set_session cannot be used in asynchronous mode'),
    (lambda c: c.set_isolation_level(1), '"isolation_level" cannot be used in asynchronous mode'),
    (lambda c: c.set_client_encoding('LATIN1'),
     'set_client_encoding cannot be used in asynchronous mode'),
    (lambda c: c.reset(), 'reset cannot be used in asynchronous mode'),
    (lambda c: c.lobject(), 'lobject cannot be used in asynchronous mode'),
    (lambda c: c.cursor('named'), 'asynchronous connections cannot produce named cursors'),
    (lambda c: c.cursor().executemany('SELECT %s', [(1,)]),
     'executemany cannot be used in asynchronous mode'),
    (lambda c: c.cursor().copy_expert('COPY (SELECT 1) TO STDOUT', open('/dev/null', 'w')),
     'copy_expert cannot be used in asynchronous mode'),
])
def test_what_async_connections_refuse(aconn, action, message):
    with pytest.raises(psycopg2.ProgrammingError) as info:
        action(aconn)
    assert str(info.value) == message


def test_copy_through_execute_is_refused_without_hanging(aconn):
    aconn.cursor().execute('COPY (SELECT 1) TO STDOUT')
    with pytest.raises(psycopg2.ProgrammingError, match="can't execute COPY TO"):
        wait(aconn)


def test_connection_attempt_underway(dsn):
    conn = psycopg2.connect(dsn, async_=True)
    try:
        with pytest.raises(psycopg2.OperationalError, match='asynchronous connection attempt underway'):
            conn.cursor()
        with pytest.raises(psycopg2.OperationalError, match='asynchronous connection attempt underway'):
            conn.cancel()
    finally:
        conn.close()


def test_a_failed_attempt_says_why(dsn):
    conn = psycopg2.connect(dsn + ' dbname=no_such_database_here', async_=True)
    with pytest.raises(psycopg2.OperationalError, match='database "no_such_database_here" does not exist'):
        wait(conn)
    assert conn.closed


def test_a_large_query_waits_for_the_socket(dsn):
    # Plain text: encrypting is slow enough that the server drains the socket as fast as TLS
    # fills it (test_tls.py has TLS's partial writes). 32 MB: the server drains the socket
    # while we write, so a smaller query can leave in one write when the machine is idle.
    aconn = psycopg2.connect(dsn, sslmode='disable', async_=True)
    wait(aconn)
    cur = aconn.cursor()
    cur.execute('SELECT length(%s)', ('x' * (32 << 20),))
    states = wait(aconn)
    assert ext.POLL_WRITE in states, 'a 32 MB query does not leave in one write'
    assert cur.fetchone() == (32 << 20,)
    aconn.close()


def test_notices_and_notifications_arrive_through_poll(aconn, conn):
    cur = aconn.cursor()
    cur.execute("LISTEN async_test; DO $$ BEGIN RAISE NOTICE 'hello'; END $$")
    wait(aconn)
    assert any('hello' in n for n in aconn.notices)
    conn.autocommit = True
    conn.cursor().execute("NOTIFY async_test, 'payload'")
    for _ in range(50):
        select.select([aconn], [], [], 0.1)
        aconn.poll()
        if aconn.notifies:
            break
    assert [(n.channel, n.payload) for n in aconn.notifies] == [('async_test', 'payload')]


def test_cancel_an_async_query(aconn):
    cur = aconn.cursor()
    cur.execute('SELECT pg_sleep(30)')
    time.sleep(0.2)
    aconn.cancel()
    started = time.monotonic()
    with pytest.raises(ext.QueryCanceledError):
        wait(aconn)
    assert time.monotonic() - started < 10
    cur.execute('SELECT 1')
    wait(aconn)
    assert cur.fetchone() == (1,)


def test_wait_on_the_raw_file_descriptor(aconn):
    # (GraalPy 25 has no select.poll; select() and selectors take the descriptor as well.)
    cur = aconn.cursor()
    cur.execute('SELECT 42')
    fd = aconn.fileno()
    assert isinstance(fd, int) and fd > 2
    while True:
        state = aconn.poll()
        if state == ext.POLL_OK:
            break
        select.select([fd] if state == ext.POLL_READ else [], [fd] if state == ext.POLL_WRITE else [],
                      [], 1.0)
    assert cur.fetchone() == (42,)


# -- poll() on a synchronous connection -----------------------------------------------------

def test_the_listen_loop_of_a_sync_connection(conn, connect):
    conn.autocommit = True
    conn.cursor().execute('LISTEN sync_loop')
    sender = connect()
    sender.autocommit = True
    assert conn.poll() == ext.POLL_OK and conn.notifies == [], 'nothing yet, and no blocking'
    sender.cursor().execute("NOTIFY sync_loop, 'x'")
    got = []
    for _ in range(50):
        if select.select([conn], [], [], 0.1) != ([], [], []):
            assert conn.poll() == ext.POLL_OK
            got = [(n.pid, n.channel, n.payload) for n in conn.notifies]
            if got:
                break
    assert got == [(sender.info.backend_pid, 'sync_loop', 'x')]
    assert not conn.isexecuting()
