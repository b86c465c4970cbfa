"""executemany() of an INSERT, UPDATE, DELETE or MERGE inside a transaction sends its statements
back to back, a window at a time, instead of a round trip each; everything a user can see must
stay what psycopg2 gives when it runs them one by one: the same statements in the same order,
the first error raised with the cursor's query on the failing statement, the same row count,
notices and transaction state. Outside a transaction (autocommit) it runs them one by one.
"""
import collections

import pytest

import psycopg2
import psycopg2.errors
import psycopg2.extensions as ext
from psycopg2._impl import pq


@pytest.fixture
def calls(monkeypatch):
    """How many times each road to the server was taken: 'one' statement at a time,
    'pipelined' windows."""
    counts = collections.Counter()
    one, pipelined = pq.PGconn.exec_, pq.PGconn.exec_pipelined

    def count_one(self, sql):
        counts['one'] += 1
        return one(self, sql)

    def count_pipelined(self, statements):
        counts['pipelined'] += 1
        counts['statements'] += len(statements)
        return pipelined(self, statements)

    monkeypatch.setattr(pq.PGconn, 'exec_', count_one)
    monkeypatch.setattr(pq.PGconn, 'exec_pipelined', count_pipelined)
    return counts


@pytest.fixture
def table(conn):
    cur = conn.cursor()
    cur.execute("CREATE TEMP TABLE batch (id int PRIMARY KEY, t text)")
    conn.commit()
    return cur


def _count(conn):
    cur = conn.cursor()
    cur.execute("SELECT count(*), coalesce(sum(id), 0) FROM batch")
    return cur.fetchone()


def test_many_windows_run_every_statement_in_order(conn, table, calls):
    # Texts of varied length: the windows (32 KB of SQL) end at different statements.
    rows = [(i, 'row %d %s' % (i, 'x' * (i % 300))) for i in range(3000)]
    table.executemany("INSERT INTO batch VALUES (%s, %s)", rows)
    assert table.rowcount == 3000
    assert table.statusmessage == 'INSERT 0 1'
    assert table.query == ("INSERT INTO batch VALUES (2999, 'row 2999 %s')" % ('x' * 299)).encode()
    assert table.description is None
    assert calls['one'] == 1                  # the BEGIN
    assert calls['statements'] == 3000
    assert 3 < calls['pipelined'] < 3000 // 10
    conn.commit()
    assert _count(conn) == (3000, sum(range(3000)))
    table.execute("SELECT string_agg(t, ',' ORDER BY id) = %s FROM batch",
                  (','.join(t for _, t in rows),))
    assert table.fetchone() == (True,)


def test_a_failure_is_raised_for_its_statement_and_the_rest_do_not_run(conn, table, calls):
    conn.notices = collections.deque()
    table.execute("""
        CREATE FUNCTION pg_temp.said() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE NOTICE 'inserted %', NEW.id; RETURN NEW; END $$;
        CREATE TRIGGER said BEFORE INSERT ON batch FOR EACH ROW EXECUTE FUNCTION pg_temp.said();
    """)
    conn.commit()
    rows = [(i, 'r') for i in range(2000)]
    rows[1500] = (7, 'duplicate')
    with pytest.raises(psycopg2.errors.UniqueViolation) as info:
        table.executemany("INSERT INTO batch VALUES (%s, %s)", rows)
    assert info.value.pgcode == '23505'
    assert info.value.cursor is table
    assert table.query == b"INSERT INTO batch VALUES (7, 'duplicate')"
    assert table.rowcount == -1
    assert conn.info.transaction_status == ext.TRANSACTION_STATUS_INERROR
    said = [n for n in conn.notices if 'inserted' in n]
    # Every statement before the failing one ran, in order, and none after it.
    assert said == ['NOTICE:  inserted %d\n' % i for i in range(1500)] + ['NOTICE:  inserted 7\n']
    assert calls['pipelined'] >= 2            # the failure came in a later window
    conn.rollback()
    assert _count(conn) == (0, 0)


def test_an_unadaptable_value_stops_after_the_statements_before_it(conn, table):
    rows = [(i, 'r') for i in range(1000)] + [(1000, object()), (1001, 'r')]
    with pytest.raises(psycopg2.ProgrammingError) as info:
        table.executemany("INSERT INTO batch VALUES (%s, %s)", rows)
    assert str(info.value) == "can't adapt type 'object'"
    assert table.query is None
    # As psycopg2: the statements before it ran, in the transaction, which is still usable.
    assert conn.info.transaction_status == ext.TRANSACTION_STATUS_INTRANS
    assert _count(conn) == (1000, sum(range(1000)))
    conn.rollback()


def test_a_statement_bigger_than_a_window_goes_alone(conn, table, calls):
    big = 'b' * 200000
    rows = [(1, 'small'), (2, big), (3, 'small'), (4, big), (5, big)]
    table.executemany("INSERT INTO batch VALUES (%s, %s)", rows)
    assert table.rowcount == 5
    table.execute("SELECT id, length(t) FROM batch ORDER BY id")
    assert table.fetchall() == [(1, 5), (2, 200000), (3, 5), (4, 200000), (5, 200000)]
    assert calls['statements'] == 5
    assert calls["pipelined"] == 5            # [1], [2], [3], [4], [5]: a big one never shares
    conn.rollback()


def test_large_results_of_a_window_do_not_block_it(conn, table):
    # 20 KB back per statement, hundreds of statements per window: the window is written
    # whole before any result is read, and must not wait for the server to be read from.
    rows = [(i, 'r') for i in range(1500)]
    table.executemany("INSERT INTO batch VALUES (%s, %s) RETURNING repeat(t, 20000)", rows)
    assert table.rowcount == 1500
    assert table.description is None
    with pytest.raises(psycopg2.ProgrammingError):
        table.fetchone()
    assert _count(conn) == (1500, sum(range(1500)))
    conn.rollback()


def test_row_counts_add_up_as_psycopg2_adds_them(conn, table):
    table.executemany("INSERT INTO batch VALUES (%s, %s)", [(i, 'a') for i in range(10)])
    table.executemany("UPDATE batch SET t = %s WHERE id < %s", [('b', 3), ('c', 0), ('d', 10)])
    assert table.rowcount == 3 + 0 + 10
    assert table.statusmessage == 'UPDATE 10'
    table.executemany("DELETE FROM batch WHERE id = %(id)s", [{'id': 1}, {'id': 1}, {'id': 2}])
    assert table.rowcount == 2
    table.executemany("INSERT INTO batch VALUES (%s, %s)", [])
    assert table.rowcount == 0
    conn.rollback()


def test_settings_changed_by_a_window_quote_the_next_one(conn, table):
    # A trigger that turns standard_conforming_strings off: the statements of the next
    # windows must be quoted for it (backslashes doubled), or the text would change.
    table.execute("""
        CREATE FUNCTION pg_temp.nonstandard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.id = 0 THEN PERFORM set_config('standard_conforming_strings', 'off', false);
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER nonstandard BEFORE INSERT ON batch
            FOR EACH ROW EXECUTE FUNCTION pg_temp.nonstandard();
    """)
    value = 'back\\slash \\\' quote ' + 'p' * 40000      # a window of its own
    table.executemany("INSERT INTO batch VALUES (%s, %s)", [(0, 'first'), (1, value)])
    table.execute("SELECT t FROM batch WHERE id = 1")
    assert table.fetchone() == (value,)
    conn.rollback()
    table.execute("SET standard_conforming_strings = on")


def test_autocommit_runs_them_one_by_one_and_stops_at_the_first_error(connect, calls):
    conn = connect()
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("CREATE TEMP TABLE batch (id int PRIMARY KEY, t text)")
    with pytest.raises(psycopg2.errors.UniqueViolation):
        cur.executemany("INSERT INTO batch VALUES (%s, %s)", [(1, 'a'), (1, 'b'), (2, 'c')])
    # Each statement committed on its own: the one before the failure stays, none after it.
    assert _count(conn) == (1, 1)
    assert calls['pipelined'] == 0
    # In a `with conn:` block (a transaction, even in autocommit) they go back to back.
    with conn:
        cur.executemany("INSERT INTO batch VALUES (%s, %s)", [(3, 'd'), (4, 'e')])
    assert calls['pipelined'] == 1
    assert _count(conn) == (3, 8)


def test_other_statements_run_one_by_one(conn, table, calls):
    table.executemany("SELECT %s", [(1,), (2,)])
    table.executemany("INSERT INTO batch VALUES (%s, 'a'); SELECT 1", [(1,), (2,)])
    assert calls['pipelined'] == 0
    assert table.rowcount == 2
    conn.rollback()
