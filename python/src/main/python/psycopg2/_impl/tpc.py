"""Two-phase commit on a connection: tpc_begin/prepare/commit/rollback/recover with psycopg2's
state rules. A two-phase transaction is an ordinary one (status BEGIN) with a Xid attached
until PREPARE TRANSACTION, after which the connection is PREPARED: nothing but tpc_commit() or
tpc_rollback() may run on it until then."""
from .consts import STATUS_BEGIN, STATUS_PREPARED, STATUS_READY
from .exceptions import InterfaceError, NotSupportedError, ProgrammingError
from .quoting import string_literal
from .xid import ensure, recovered


def check_supported(conn):
    if conn.server_version < 80100:
        raise NotSupportedError("server version %d: two-phase transactions not supported"
                                % conn.server_version)


def check_not_prepared(conn, what):
    """psycopg2's refusal of ``what`` while a two-phase transaction waits for its outcome."""
    if conn._status == STATUS_PREPARED:
        raise ProgrammingError("%s cannot be used with a prepared two-phase transaction" % what)


def check_not_two_phase(conn, what):
    if conn._tpc_xid is not None:
        raise ProgrammingError("%s cannot be used during a two-phase transaction" % what)


def _command(conn, command, xid):
    """PREPARE TRANSACTION, COMMIT PREPARED or ROLLBACK PREPARED for the xid's string."""
    conn._txn_generation += 1
    tid = string_literal(str(xid).encode(conn._py_encoding), conn)
    conn._run(command.encode('ascii') + b' ' + tid)


def begin(conn, xid):
    if conn.status != STATUS_READY:
        raise ProgrammingError("tpc_begin cannot be used inside a transaction")
    xid = ensure(xid)
    if conn._autocommit:
        raise ProgrammingError("tpc_begin can't be called in autocommit mode")
    conn._begin_if_due(None)
    conn._tpc_xid = xid


def prepare(conn):
    check_not_prepared(conn, 'tpc_prepare')
    if conn._tpc_xid is None:
        raise ProgrammingError("prepare must be called inside a two-phase transaction")
    _command(conn, 'PREPARE TRANSACTION', conn._tpc_xid)
    conn._status = STATUS_PREPARED


def finish(conn, xid, committing):
    """tpc_commit()/tpc_rollback(): of a recovered transaction (xid given), or of ours in one
    phase (not prepared yet) or two."""
    command = 'COMMIT PREPARED' if committing else 'ROLLBACK PREPARED'
    if xid is not None:
        xid = ensure(xid)
        if conn.status != STATUS_READY:
            raise ProgrammingError("tpc_commit/tpc_rollback with a xid "
                                   "must be called outside a transaction")
        _command(conn, command, xid)
        return
    if conn._tpc_xid is None:
        raise ProgrammingError("tpc_commit/tpc_rollback with no parameter "
                               "must be called in a two-phase transaction")
    if conn._status == STATUS_BEGIN:
        conn._end_transaction('COMMIT' if committing else 'ROLLBACK')
    elif conn._status == STATUS_PREPARED:
        _command(conn, command, conn._tpc_xid)
    else:
        raise InterfaceError("unexpected state in tpc_commit/tpc_rollback")
    conn._tpc_xid = None
    conn._status = STATUS_READY


def recover(conn, cursor_class):
    """The Xids of the transactions prepared on the server, with prepared, owner, database;
    a transaction the query had to open is rolled back. ``cursor_class``: the plain cursor
    (whatever the connection's factory makes, the rows must be tuples)."""
    check_not_prepared(conn, 'tpc_recover')
    status_before = conn.status
    cur = cursor_class(conn)
    cur.execute("SELECT gid, prepared, owner, database FROM pg_prepared_xacts")
    xids = recovered(cur.fetchall())
    cur.close()
    if status_before == STATUS_READY and conn._status == STATUS_BEGIN:
        conn.rollback()
    return xids
