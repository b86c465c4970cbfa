# -*- coding: utf-8 -*-
"""psycopg2.pool: simple connection pools."""
import threading as _threading

import psycopg2
from psycopg2 import extensions as _ext


class PoolError(psycopg2.Error):
    pass


class AbstractConnectionPool(object):
    """A pool keeping between ``minconn`` and ``maxconn`` connections made with
    ``psycopg2.connect(*args, **kwargs)``; connections may be handed out under a key."""

    def __init__(self, minconn, maxconn, *args, **kwargs):
        self.minconn = int(minconn)
        self.maxconn = int(maxconn)
        self.closed = False
        self._args = args
        self._kwargs = kwargs
        self._pool = []       # idle connections
        self._used = {}       # key → connection handed out
        self._rused = {}      # id(connection) → key
        self._keys = 0
        for _ in range(self.minconn):
            self._connect()

    def _connect(self, key=None):
        conn = psycopg2.connect(*self._args, **self._kwargs)
        if key is not None:
            self._used[key] = conn
            self._rused[id(conn)] = key
        else:
            self._pool.append(conn)
        return conn

    def _getkey(self):
        self._keys += 1
        return self._keys

    def _getconn(self, key=None):
        if self.closed:
            raise PoolError("connection pool is closed")
        if key is None:
            key = self._getkey()
        if key in self._used:
            return self._used[key]
        if self._pool:
            conn = self._pool.pop()
            self._used[key] = conn
            self._rused[id(conn)] = key
            return conn
        if len(self._used) == self.maxconn:
            raise PoolError("connection pool exhausted")
        return self._connect(key)

    def _putconn(self, conn, key=None, close=False):
        if self.closed:
            raise PoolError("connection pool is closed")
        if key is None:
            key = self._rused.get(id(conn))
            if key is None:
                raise PoolError("trying to put unkeyed connection")
        if len(self._pool) < self.minconn and not close:
            # Only a connection in a clean state goes back: roll back an open transaction,
            # drop one whose state is unknown (e.g. the server went away).
            if not conn.closed:
                status = conn.get_transaction_status()
                if status == _ext.TRANSACTION_STATUS_UNKNOWN:
                    conn.close()
                elif status != _ext.TRANSACTION_STATUS_IDLE:
                    conn.rollback()
                    self._pool.append(conn)
                else:
                    self._pool.append(conn)
        else:
            conn.close()
        # The key may already be gone if the pool was closed and reopened meanwhile.
        if not self.closed or key in self._used:
            del self._used[key]
            del self._rused[id(conn)]

    def _closeall(self):
        if self.closed:
            raise PoolError("connection pool is closed")
        for conn in self._pool + list(self._used.values()):
            try:
                conn.close()
            except Exception:
                pass
        self.closed = True


class SimpleConnectionPool(AbstractConnectionPool):
    """A pool for single-threaded programs."""

    getconn = AbstractConnectionPool._getconn
    putconn = AbstractConnectionPool._putconn
    closeall = AbstractConnectionPool._closeall


class ThreadedConnectionPool(AbstractConnectionPool):
    """A pool whose methods may be called from several threads."""

    def __init__(self, minconn, maxconn, *args, **kwargs):
        self._lock = _threading.Lock()
        super(ThreadedConnectionPool, self).__init__(minconn, maxconn, *args, **kwargs)

    def getconn(self, key=None):
        with self._lock:
            return self._getconn(key)

    def putconn(self, conn=None, key=None, close=False):
        with self._lock:
            self._putconn(conn, key, close)

    def closeall(self):
        with self._lock:
            self._closeall()
