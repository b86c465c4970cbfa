"""Green mode: with extensions.set_wait_callback(f), every operation that would block (connect,
execute, named cursors' fetches, commit and rollback) runs without blocking and f(conn) does the
waiting by polling; a failing callback closes the connection, as psycopg2's does."""
import select
import selectors
import time

import pytest

import psycopg2
import psycopg2.extensions as ext
import psycopg2.extras


@pytest.fixture
def callback():
    """Installs a wait callback for the test; the one before is put back after."""
    previous = ext.get_wait_callback()
    yield ext.set_wait_callback
    ext.set_wait_callback(previous)


class EventLoopWait:
    """A wait callback shaped as a coroutine library's (gevent's wait_read/wait_write): it
    parks on the socket through a selector, and records what it was asked to wait for."""

    def __init__(self):
        self.calls = 0
        self.states = []

    def __call__(self, conn):
        self.calls += 1
        with selectors.DefaultSelector() as sel:
            while True:
                state = conn.poll()
                self.states.append(state)
                if state == ext.POLL_OK:
                    return
                sel.register(conn.fileno(), selectors.EVENT_READ if state == ext.POLL_READ
                             else selectors.EVENT_WRITE)
                sel.select()
                sel.unregister(conn.fileno())


def test_no_callback_by_default():
    assert ext.get_wait_callback() is None


def test_everything_waits_through_the_callback(dsn, callback):
    wait = EventLoopWait()
    callback(wait)
    conn = psycopg2.connect(dsn)
    try:
        assert wait.calls == 1, 'the connection attempt'
        assert conn.status == ext.STATUS_READY and not conn.async_
        cur = conn.cursor()
        cur.execute('SELECT %s', (41,))
        assert cur.fetchone() == (41,)
        assert wait.calls == 3, 'BEGIN, then the query'
        conn.commit()
        assert wait.calls == 4
        named = conn.cursor('green_named')
        named.itersize = 2
        named.execute('SELECT generate_series(1, 5)')
        assert [r[0] for r in named] == [1, 2, 3, 4, 5]
        conn.rollback()
        # A query the server takes a while to answer: the callback parks for reading (a quick
        # one may be answered before the first poll).
        cur.execute('SELECT pg_sleep(0.2)')
        assert ext.POLL_READ in wait.states
    finally:
        conn.close()


def test_wait_select(dsn, callback):
    callback(psycopg2.extras.wait_select)
    conn = psycopg2.connect(dsn)
    try:
        cur = conn.cursor()
        with pytest.raises(psycopg2.errors.UndefinedTable):
            cur.execute('SELECT * FROM no_such_table')
        assert not conn.closed, 'a server error is no reason to close'
        conn.rollback()
        cur.execute('SELECT 1')
        assert cur.fetchone() == (1,)
    finally:
        conn.close()


def test_a_failing_callback_closes_the_connection(conn, callback):
    cur = conn.cursor()
    callback(lambda c: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        cur.execute('SELECT 1')
    assert conn.closed == 2


def test_a_failing_callback_during_connect(dsn, callback):
    callback(lambda c: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        psycopg2.connect(dsn)


def test_a_callback_that_returns_too_early(conn, callback):
    callback(lambda c: None)
    with pytest.raises(psycopg2.OperationalError, match='before the query finished'):
        conn.cursor().execute('SELECT 1')
    assert conn.closed == 2


@pytest.mark.parametrize('method', ['copy_expert', 'copy_from', 'copy_to'])
def test_copy_is_refused(conn, callback, method, tmp_path):
    callback(psycopg2.extras.wait_select)
    cur = conn.cursor()
    with open(tmp_path / 'data', 'w+') as f:
        call = {'copy_expert': lambda: cur.copy_expert('COPY (SELECT 1) TO STDOUT', f),
                'copy_from': lambda: cur.copy_from(f, 't'),
                'copy_to': lambda: cur.copy_to(f, 't')}[method]
        with pytest.raises(psycopg2.ProgrammingError) as info:
            call()
    assert str(info.value) == '%s cannot be used with an asynchronous callback.' % method


def test_ctrl_c_in_wait_select_cancels_the_query(conn, callback, monkeypatch):
    conn.autocommit = True      # no BEGIN: the one wait is the query's
    callback(psycopg2.extras.wait_select)
    real_select = select.select
    interrupted = []

    def select_once_interrupted(*args):
        if not interrupted:
            interrupted.append(True)
            time.sleep(0.5)      # Ctrl-C while the query runs (a cancel before it starts is lost)
            raise KeyboardInterrupt
        return real_select(*args)

    monkeypatch.setattr(select, 'select', select_once_interrupted)
    with pytest.raises(ext.QueryCanceledError):
        conn.cursor().execute('SELECT pg_sleep(30)')
    assert interrupted
    cur = conn.cursor()
    cur.execute('SELECT 2')
    assert cur.fetchone() == (2,)
