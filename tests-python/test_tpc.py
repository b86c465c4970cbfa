"""Two-phase commit: Xid, tpc_begin/prepare/commit/rollback/recover with psycopg2's state rules
and words, against the real server (bin/test-postgres allows prepared transactions)."""
import datetime as dt

import pytest

import psycopg2
import psycopg2.extensions as ext
from psycopg2.extensions import Xid


def _rollback_prepared(cur):
    cur.execute("SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")
    for (gid,) in cur.fetchall():
        cur.execute('ROLLBACK PREPARED %s', (gid,))


@pytest.fixture
def table(connect):
    owner = connect()
    owner.autocommit = True
    cur = owner.cursor()
    # A test that failed half-way must not leave the next one waiting on its locks.
    cur.execute("SET lock_timeout = '10s'")
    cur.execute('DROP TABLE IF EXISTS tpc_t; CREATE TABLE tpc_t (v text)')
    yield 'tpc_t'
    _rollback_prepared(cur)      # a prepared transaction keeps its locks on the table
    cur.execute('DROP TABLE IF EXISTS tpc_t')


@pytest.fixture(autouse=True)
def no_prepared_left(connect):
    yield
    cleaner = connect()
    cleaner.autocommit = True
    _rollback_prepared(cleaner.cursor())


def _reader(connect):
    # In autocommit: an idle transaction would hold a lock on the table past the test.
    reader = connect()
    reader.autocommit = True
    return reader


def count(connect, table):
    cur = _reader(connect).cursor()
    cur.execute('SELECT count(*) FROM %s' % table)
    return cur.fetchone()[0]


def prepared_gids(connect):
    cur = _reader(connect).cursor()
    cur.execute("SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")
    return [r[0] for r in cur.fetchall()]


# -- Xid -----------------------------------------------------------------------------------

def test_xid_is_a_3_tuple_with_a_string_form():
    xid = Xid(42, 'gtrid', 'bqual')
    assert (xid.format_id, xid.gtrid, xid.bqual) == (42, 'gtrid', 'bqual')
    assert len(xid) == 3 and tuple(xid) == (42, 'gtrid', 'bqual') and xid[-1] == 'bqual'
    with pytest.raises(IndexError, match='index out of range'):
        xid[3]
    assert str(xid) == '42_Z3RyaWQ=_YnF1YWw='
    assert repr(xid) == "<Xid: (42, 'gtrid', 'bqual')>"
    assert (xid.prepared, xid.owner, xid.database) == (None, None, None)
    assert type(xid).__module__ == 'psycopg2.extensions'


def test_from_string_parses_ours_and_keeps_others_unparsed():
    parsed = Xid.from_string('42_Z3RyaWQ=_YnF1YWw=')
    assert tuple(parsed) == (42, 'gtrid', 'bqual')
    for foreign in ('99_xxx_yyy', 'made-by-another-tool'):
        xid = Xid.from_string(foreign)
        assert tuple(xid) == (None, foreign, None)
        assert str(xid) == foreign and repr(xid) == '<Xid: %r (unparsed)>' % foreign
    with pytest.raises(TypeError, match='not a valid transaction id'):
        Xid.from_string(42)


@pytest.mark.parametrize('args, message', [
    ((-1, 'g', 'b'), 'format_id must be a non-negative 32-bit integer'),
    ((0x80000000, 'g', 'b'), 'format_id must be a non-negative 32-bit integer'),
    ((1, 'x' * 65, 'b'), 'gtrid must be a string no longer than 64 characters'),
    ((1, 'g', 'y' * 65), 'bqual must be a string no longer than 64 characters'),
    ((1, 'tab\there', 'b'), 'gtrid must contain only printable characters.'),
    ((1, 'g', 'é'), 'bqual must contain only printable characters.'),
])
def test_xid_refuses_what_psycopg2_refuses(args, message):
    with pytest.raises(ValueError) as info:
        Xid(*args)
    assert str(info.value) == message


# -- the transactions ------------------------------------------------------------------------

def test_two_phases(conn, connect, table):
    xid = conn.xid(1, 'two-phase', 'b')
    assert conn.status == ext.STATUS_READY
    conn.tpc_begin(xid)
    assert conn.status == ext.STATUS_BEGIN
    conn.cursor().execute("INSERT INTO tpc_t VALUES ('x')")
    conn.tpc_prepare()
    assert conn.status == ext.STATUS_PREPARED
    assert prepared_gids(connect) == [str(xid)]
    assert count(connect, table) == 0, 'not visible before the second phase'
    conn.tpc_commit()
    assert conn.status == ext.STATUS_READY
    assert prepared_gids(connect) == [] and count(connect, table) == 1


def test_one_phase_rollback(conn, connect, table):
    conn.tpc_begin(conn.xid(1, 'one-phase', 'b'))
    conn.cursor().execute("INSERT INTO tpc_t VALUES ('x')")
    conn.tpc_rollback()
    assert conn.status == ext.STATUS_READY
    assert count(connect, table) == 0 and prepared_gids(connect) == []


def test_recover_and_finish_from_another_connection(conn, connect, table):
    xid = conn.xid(7, 'recovered', 'branch')
    conn.tpc_begin(xid)
    conn.cursor().execute("INSERT INTO tpc_t VALUES ('x')")
    conn.tpc_prepare()
    conn.close()

    other = connect()
    found = [x for x in other.tpc_recover() if x.gtrid == 'recovered']
    assert other.status == ext.STATUS_READY, 'the lookup left no transaction open'
    assert len(found) == 1
    rec = found[0]
    assert (rec.format_id, rec.bqual) == (7, 'branch')
    assert isinstance(rec.prepared, dt.datetime) and rec.prepared.tzinfo is not None
    assert rec.owner and rec.database
    other.tpc_commit(rec)
    assert count(connect, table) == 1


def test_a_foreign_prepared_transaction_is_recovered_unparsed(conn, connect):
    conn.tpc_begin('plain string id')
    conn.tpc_prepare()
    other = connect()
    [xid] = [x for x in other.tpc_recover() if x.gtrid == 'plain string id']
    assert xid.format_id is None and xid.bqual is None
    other.tpc_rollback('plain string id')
    assert prepared_gids(connect) == []


@pytest.mark.parametrize('action, exc, message', [
    (lambda c: c.commit(), psycopg2.ProgrammingError, 'commit cannot be used during a two-phase transaction'),
    (lambda c: c.rollback(), psycopg2.ProgrammingError,
     'rollback cannot be used during a two-phase transaction'),
    (lambda c: c.tpc_begin(c.xid(1, 'again', 'b')), psycopg2.ProgrammingError,
     'tpc_begin cannot be used inside a transaction'),
    (lambda c: c.tpc_commit(c.xid(1, 'other', 'b')), psycopg2.ProgrammingError,
     'tpc_commit/tpc_rollback with a xid must be called outside a transaction'),
])
def test_what_a_two_phase_transaction_refuses(conn, action, exc, message):
    conn.tpc_begin(conn.xid(1, 'rules', 'b'))
    with pytest.raises(exc) as info:
        action(conn)
    assert str(info.value) == message
    conn.tpc_rollback()


def test_what_a_prepared_transaction_refuses(conn):
    conn.tpc_begin(conn.xid(1, 'prepared-rules', 'b'))
    conn.tpc_prepare()
    cur = conn.cursor()
    for action, what in ((lambda: cur.execute('SELECT 1'), 'execute'),
                         (lambda: cur.callproc('version'), 'callproc'),
                         (conn.cancel, 'cancel'), (conn.tpc_prepare, 'tpc_prepare'),
                         (conn.tpc_recover, 'tpc_recover'),
                         (lambda: conn.set_client_encoding('LATIN1'), 'set_client_encoding')):
        with pytest.raises(psycopg2.ProgrammingError) as info:
            action()
        assert str(info.value) == '%s cannot be used with a prepared two-phase transaction' % what
    conn.tpc_rollback()
    assert conn.status == ext.STATUS_READY


def test_state_errors(conn):
    with pytest.raises(psycopg2.ProgrammingError,
                       match='^prepare must be called inside a two-phase transaction$'):
        conn.tpc_prepare()
    with pytest.raises(psycopg2.ProgrammingError, match='with no parameter must be called in a '
                                                         'two-phase transaction'):
        conn.tpc_commit()
    conn.autocommit = True
    with pytest.raises(psycopg2.ProgrammingError, match="^tpc_begin can't be called in autocommit mode$"):
        conn.tpc_begin(conn.xid(1, 'auto', 'b'))
