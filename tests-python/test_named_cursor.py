"""Named (server-side) cursors: DECLARE on execute, FETCH per call or per itersize page."""
import pytest

import psycopg2
import psycopg2.extras
from psycopg2 import extensions as ext


def backend_cursors(conn):
    with conn.cursor() as c:
        c.execute("SELECT name FROM pg_cursors ORDER BY name")
        return [r[0] for r in c.fetchall()]


def test_execute_declares_and_fetches_page_by_page(conn):
    cur = conn.cursor('pages')
    cur.itersize = 4
    cur.execute("SELECT g, %s FROM generate_series(1, 10) g", ('x',))
    assert cur.query.startswith(b'DECLARE "pages" CURSOR WITHOUT HOLD FOR SELECT g, ')
    assert cur.description is None          # known after the first FETCH, as in psycopg2
    assert backend_cursors(conn) == ['pages']
    seen = [(row[0], cur.rownumber) for row in cur]
    # rownumber counts within the page of itersize rows
    assert seen == [(i, (i - 1) % 4 + 1) for i in range(1, 11)]
    assert cur.description[0].name == 'g'


def test_fetch_methods_each_ask_the_server(conn):
    cur = conn.cursor('f')
    cur.execute("SELECT generate_series(1, 10)")
    assert cur.fetchone() == (1,)
    assert cur.statusmessage == 'FETCH 1'
    assert cur.fetchmany(3) == [(2,), (3,), (4,)]
    assert cur.fetchall() == [(i,) for i in range(5, 11)]
    assert cur.fetchone() is None


def test_close_closes_the_server_cursor(conn):
    cur = conn.cursor('closing')
    cur.execute("SELECT 1")
    cur.close()
    assert backend_cursors(conn) == []
    assert cur.closed
    conn.cursor('never_executed').close()       # nothing to close: no error


def test_second_execute_and_executemany_are_refused(conn):
    cur = conn.cursor('once')
    cur.execute("SELECT 1")
    with pytest.raises(psycopg2.ProgrammingError, match="more than once"):
        cur.execute("SELECT 2")
    with pytest.raises(psycopg2.ProgrammingError, match="executemany"):
        cur.executemany("SELECT %s", [(1,)])


def test_autocommit_needs_withhold(conn):
    conn.autocommit = True
    with pytest.raises(psycopg2.ProgrammingError, match="outside of transactions"):
        conn.cursor('nope').execute("SELECT 1")
    cur = conn.cursor('held', withhold=True)
    cur.execute("SELECT generate_series(1, 3)")
    assert cur.fetchall() == [(1,), (2,), (3,)]
    assert conn.info.transaction_status == ext.TRANSACTION_STATUS_IDLE
    cur.close()


def test_cursor_without_hold_dies_with_its_transaction(conn):
    cur = conn.cursor('short')
    cur.execute("SELECT 1")
    conn.commit()
    with pytest.raises(psycopg2.ProgrammingError, match="isn't valid anymore"):
        cur.fetchone()


def test_withhold_survives_commit_without_opening_a_transaction(conn):
    cur = conn.cursor('long', withhold=True)
    cur.execute("SELECT generate_series(1, 3)")
    conn.commit()
    assert cur.fetchone() == (1,)
    assert conn.status == ext.STATUS_READY
    cur.close()
    assert backend_cursors(conn) == []


def test_options_only_for_named_cursors(conn):
    with pytest.raises(psycopg2.ProgrammingError, match="withhold"):
        conn.cursor(withhold=True)
    with pytest.raises(psycopg2.ProgrammingError, match="scrollable"):
        conn.cursor(scrollable=False)


def test_scroll_moves_on_the_server(conn):
    cur = conn.cursor('sc', scrollable=True)
    cur.execute("SELECT generate_series(0, 9)")
    assert b'SCROLL CURSOR' in cur.query
    cur.scroll(2)
    assert cur.fetchone() == (2,)
    cur.scroll(5, mode='absolute')
    assert cur.fetchone() == (5,)
    cur.scroll(-2)
    assert cur.fetchone() == (4,)


def test_no_scroll_refuses_going_back(conn):
    cur = conn.cursor('ns', scrollable=False)
    cur.execute("SELECT generate_series(0, 9)")
    cur.scroll(2)
    with pytest.raises(psycopg2.OperationalError):
        cur.scroll(-1)


def test_quoted_name_and_stolen_cursor(conn):
    plain = conn.cursor()
    plain.execute('DECLARE "odd ""name" CURSOR FOR SELECT generate_series(1, 3)')
    stolen = conn.cursor('odd "name')
    assert stolen.fetchall() == [(1,), (2,), (3,)]
    stolen.close()
    assert backend_cursors(conn) == []


def test_error_in_fetch_leaves_close_harmless(conn):
    cur = conn.cursor('bad')
    cur.execute("SELECT 1 / (2 - g) FROM generate_series(1, 3) g")
    assert cur.fetchone() == (1,)
    with pytest.raises(psycopg2.DataError):
        cur.fetchall()
    cur.close()                     # transaction in error: no CLOSE sent, no new error
    conn.rollback()


@pytest.mark.parametrize('factory, check', [
    (psycopg2.extras.DictCursor, lambda r: r['n'] == r[0]),
    (psycopg2.extras.RealDictCursor, lambda r: list(r) == ['n']),
    (psycopg2.extras.NamedTupleCursor, lambda r: r.n == r[0]),
])
def test_row_factories_iterate_named_cursors(conn, factory, check):
    cur = conn.cursor('rf', cursor_factory=factory)
    cur.itersize = 2
    cur.execute("SELECT generate_series(1, 5) AS n")
    rows = list(cur)
    assert len(rows) == 5
    assert all(check(r) for r in rows)
