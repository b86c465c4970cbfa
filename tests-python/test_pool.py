"""psycopg2.pool against a real server."""
import threading

import pytest

import psycopg2
from psycopg2 import extensions, pool


def test_simple_pool_lifecycle(dsn):
    p = pool.SimpleConnectionPool(1, 2, dsn)
    c1 = p.getconn()
    c2 = p.getconn()
    assert c1 is not c2
    with pytest.raises(pool.PoolError, match="connection pool exhausted"):
        p.getconn()
    p.putconn(c1)
    assert p.getconn() is c1
    stranger = psycopg2.connect(dsn)
    with pytest.raises(pool.PoolError, match="trying to put unkeyed connection"):
        p.putconn(stranger)
    stranger.close()
    p.putconn(c2)
    keyed = p.getconn('k')
    assert p.getconn('k') is keyed
    p.closeall()
    assert c1.closed and keyed.closed
    with pytest.raises(pool.PoolError, match="connection pool is closed"):
        p.getconn()
    assert issubclass(pool.PoolError, psycopg2.Error)


def test_returned_connection_is_rolled_back(dsn):
    p = pool.SimpleConnectionPool(1, 1, dsn)
    conn = p.getconn()
    conn.cursor().execute("select 1")
    assert conn.get_transaction_status() == extensions.TRANSACTION_STATUS_INTRANS
    p.putconn(conn)
    assert conn.get_transaction_status() == extensions.TRANSACTION_STATUS_IDLE
    p.closeall()


def test_threaded_pool_hands_out_distinct_connections(dsn):
    p = pool.ThreadedConnectionPool(0, 4, dsn)
    pids, errors = [], []

    def worker():
        try:
            conn = p.getconn()
            cur = conn.cursor()
            cur.execute("select pg_backend_pid()")
            pids.append(cur.fetchone()[0])
            p.putconn(conn, close=True)
        except Exception as e:  # reported below: a thread's exception would be lost
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60.0)
    p.closeall()
    assert errors == []
    assert len(pids) == 4 and all(isinstance(pid, int) for pid in pids)
