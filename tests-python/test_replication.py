"""Streaming replication against the test cluster (wal_level=logical, replication allowed in
pg_hba.conf): logical decoding with test_decoding and pgoutput, physical streaming, feedback,
keepalives, stopping, resuming after a reconnect, and psycopg2's errors for misuse."""
import datetime as dt
import itertools
import select
import time

import pytest

import psycopg2
import psycopg2.extensions as ext
from psycopg2 import extras
from psycopg2.extras import (
    LogicalReplicationConnection, PhysicalReplicationConnection, ReplicationCursor,
    StopReplication)

_names = itertools.count()


@pytest.fixture
def slots(conn):
    """Slot names for the test (unique), dropped at its end whatever happened."""
    made = []

    def new():
        name = 'pgjvm_test_slot_%d_%d' % (int(time.time() * 1000) % 10 ** 8, next(_names))
        made.append(name)
        return name

    yield new
    # The test's replication connections may still hold their slots: end their walsenders.
    conn.rollback()
    conn.autocommit = True
    with conn.cursor() as cur:
        for name in made:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                cur.execute("SELECT active_pid FROM pg_replication_slots WHERE slot_name = %s",
                            (name,))
                row = cur.fetchone()
                if row is None:
                    break
                if row[0] is None:
                    cur.execute("SELECT pg_drop_replication_slot(%s)", (name,))
                    break
                cur.execute("SELECT pg_terminate_backend(%s)", (row[0],))
                time.sleep(0.05)


@pytest.fixture
def table(conn):
    """A fresh table for the changes a test streams."""
    name = 'pgjvm_repl_%d' % next(_names)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS %s" % name)
        cur.execute("CREATE TABLE %s (id int PRIMARY KEY, v text)" % name)
    yield name
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS %s" % name)


def _logical(connect, **kwargs):
    return connect(connection_factory=LogicalReplicationConnection, **kwargs)


def _collect(cur, until, limit=200):
    """The messages consume_stream() gives until ``until(msg)`` holds (that one included)."""
    got = []

    def consume(msg):
        got.append(msg)
        if until(msg) or len(got) >= limit:
            raise StopReplication()

    with pytest.raises(StopReplication):
        cur.consume_stream(consume)
    return got


def _is_commit(msg):
    payload = msg.payload if isinstance(msg.payload, str) else msg.payload.decode()
    return payload.startswith('COMMIT')


_TEST_DECODING_OPTIONS = {'skip-empty-xacts': '1', 'include-xids': '0'}


def _wait_confirmed_flush(conn, slot, lsn, timeout=10.0):
    """The slot's confirmed_flush_lsn once it has reached ``lsn`` (an int), polling."""
    deadline = time.monotonic() + timeout
    with conn.cursor() as cur:
        while True:
            cur.execute("SELECT confirmed_flush_lsn - '0/0'::pg_lsn FROM pg_replication_slots "
                        "WHERE slot_name = %s", (slot,))
            flushed = int(cur.fetchone()[0])
            if flushed >= lsn or time.monotonic() > deadline:
                return flushed
            time.sleep(0.05)


# -- logical decoding ------------------------------------------------------------------------

def test_test_decoding_streams_inserts_updates_and_deletes(connect, conn, slots, table):
    repl = _logical(connect)
    assert repl.replication_type == extras.REPLICATION_LOGICAL
    cur = repl.cursor()
    assert isinstance(cur, ReplicationCursor)
    slot = slots()
    cur.create_replication_slot(slot, output_plugin='test_decoding')
    with conn.cursor() as w:
        w.execute("INSERT INTO %s VALUES (1, 'één')" % table)
        w.execute("UPDATE %s SET v = 'two' WHERE id = 1" % table)
        w.execute("DELETE FROM %s WHERE id = 1" % table)
    cur.start_replication(slot_name=slot, decode=True, options=_TEST_DECODING_OPTIONS)
    before = dt.datetime.now() - dt.timedelta(minutes=1)
    commits = []
    messages = _collect(cur, lambda m: _is_commit(m) and commits.append(m) or len(commits) == 3)
    payloads = [m.payload for m in messages]
    changes = [p for p in payloads if p.startswith('table ')]
    assert changes == [
        "table public.%s: INSERT: id[integer]:1 v[text]:'één'" % table,
        "table public.%s: UPDATE: id[integer]:1 v[text]:'two'" % table,
        "table public.%s: DELETE: id[integer]:1" % table,
    ]
    assert payloads.count('BEGIN') == 3 and len(payloads) == 9
    for m in messages:
        assert m.cursor is cur
        assert isinstance(m.payload, str)
        assert m.data_size == len(m.payload.encode('utf8'))
        assert m.data_start > 0 and m.wal_end >= m.data_start or m.payload == 'BEGIN'
        assert before < m.send_time < dt.datetime.now() + dt.timedelta(minutes=1)
    assert cur.wal_end >= messages[-1].data_start
    assert repr(messages[0]).startswith('<ReplicationMessage object at 0x')
    assert '; data_size: 5; data_start: ' in repr(messages[0])


def test_undecoded_payloads_are_bytes(connect, conn, slots, table):
    cur = _logical(connect).cursor()
    slot = slots()
    cur.create_replication_slot(slot, output_plugin='test_decoding')
    with conn.cursor() as w:
        w.execute("INSERT INTO %s VALUES (7, 'x')" % table)
    cur.start_replication(slot_name=slot, options=_TEST_DECODING_OPTIONS)
    messages = _collect(cur, _is_commit)
    assert [type(m.payload) for m in messages] == [bytes] * 3
    assert messages[1].payload == (
        b"table public.%s: INSERT: id[integer]:7 v[text]:'x'" % table.encode())
    assert messages[1].data_size == len(messages[1].payload)


def test_pgoutput_with_a_publication(connect, conn, slots, table):
    with conn.cursor() as w:
        w.execute("CREATE PUBLICATION %s_pub FOR TABLE %s" % (table, table))
    try:
        cur = _logical(connect).cursor()
        slot = slots()
        cur.create_replication_slot(slot, output_plugin='pgoutput')
        with conn.cursor() as w:
            w.execute("INSERT INTO %s VALUES (42, 'answer')" % table)
        cur.start_replication(slot_name=slot, options={
            'proto_version': '1', 'publication_names': '%s_pub' % table})
        messages = _collect(cur, lambda m: m.payload[:1] == b'C')
        kinds = [m.payload[:1] for m in messages]
        # Begin, Relation, Insert, Commit: pgoutput's binary messages.
        assert kinds == [b'B', b'R', b'I', b'C']
        assert table.encode() in messages[1].payload
        insert = messages[2].payload
        assert insert.endswith(b't\x00\x00\x00\x0242t\x00\x00\x00\x06answer')
    finally:
        with conn.cursor() as w:
            w.execute("DROP PUBLICATION %s_pub" % table)


def test_read_message_in_a_select_loop(connect, conn, slots, table):
    cur = _logical(connect).cursor()
    slot = slots()
    cur.create_replication_slot(slot, output_plugin='test_decoding')
    cur.start_replication(slot_name=slot, decode=True, options=_TEST_DECODING_OPTIONS)
    assert cur.read_message() is None           # nothing yet: it does not wait
    with conn.cursor() as w:
        w.execute("INSERT INTO %s VALUES (3, 'c')" % table)
    got = []
    deadline = time.monotonic() + 30
    while not (got and got[-1].payload.startswith('COMMIT')):
        assert time.monotonic() < deadline, got
        msg = cur.read_message()
        if msg is None:
            select.select([cur], [], [], 1.0)
        else:
            got.append(msg)
    assert [m.payload.split(':')[0] for m in got] == [
        'BEGIN', 'table public.%s' % table, 'COMMIT']


# -- physical streaming ----------------------------------------------------------------------

def _xlogpos(cur):
    cur.execute("IDENTIFY_SYSTEM")
    systemid, timeline, xlogpos, dbname = cur.fetchone()
    assert int(timeline) >= 1 and dbname is None
    return xlogpos


def _write_some_wal(conn, table):
    with conn.cursor() as w:
        w.execute("INSERT INTO %s SELECT g, repeat('w', 100) FROM generate_series(1, 100) g"
                  % table)


def _first_wal(cur):
    deadline = time.monotonic() + 30
    while True:
        assert time.monotonic() < deadline
        msg = cur.read_message()
        if msg is not None:
            return msg
        select.select([cur], [], [], 1.0)


def test_physical_streaming_from_a_slot(connect, conn, slots, table):
    repl = connect(connection_factory=PhysicalReplicationConnection)
    assert repl.replication_type == extras.REPLICATION_PHYSICAL
    cur = repl.cursor()
    slot = slots()
    cur.execute("CREATE_REPLICATION_SLOT %s PHYSICAL RESERVE_WAL" % slot)
    start = _xlogpos(cur)
    cur.start_replication(slot_name=slot, start_lsn=start)
    _write_some_wal(conn, table)
    msg = _first_wal(cur)
    high, low = start.split('/')
    assert msg.data_start >= int(high, 16) << 32 | int(low, 16)
    assert isinstance(msg.payload, bytes) and msg.data_size == len(msg.payload) > 0


def test_physical_streaming_from_an_lsn_without_a_slot(connect, conn, table):
    cur = connect(connection_factory=PhysicalReplicationConnection).cursor()
    start = _xlogpos(cur)                        # 'X/Y' text: start_lsn takes it as it is
    cur.start_replication(start_lsn=start, timeline=1)
    _write_some_wal(conn, table)
    assert _first_wal(cur).data_size > 0


# -- feedback, keepalives, stopping, resuming -----------------------------------------------

def test_feedback_advances_the_slot(connect, conn, slots, table):
    cur = _logical(connect).cursor()
    slot = slots()
    cur.create_replication_slot(slot, output_plugin='test_decoding')
    with conn.cursor() as w:
        w.execute("INSERT INTO %s VALUES (1, 'a')" % table)
    cur.start_replication(slot_name=slot, options=_TEST_DECODING_OPTIONS)
    commit = _collect(cur, _is_commit)[-1]
    assert cur.feedback_timestamp > dt.datetime(2000, 1, 1)   # the first read sent one
    sent_before = cur.feedback_timestamp
    cur.send_feedback(flush_lsn=commit.data_start, force=True)
    assert cur.feedback_timestamp >= sent_before
    assert cur.io_timestamp >= cur.feedback_timestamp
    assert _wait_confirmed_flush(conn, slot, commit.data_start) >= commit.data_start


def test_keepalives_are_answered(connect, slots):
    # The server asks for a reply after half its wal_sender_timeout without news from us, and
    # drops a client that stays silent for the whole of it; status updates are 10 s apart.
    cur = _logical(connect, options='-c wal_sender_timeout=2s').cursor()
    slot = slots()
    cur.create_replication_slot(slot, output_plugin='test_decoding')
    cur.start_replication(slot_name=slot, options=_TEST_DECODING_OPTIONS, status_interval=10)
    assert cur.read_message() is None
    first_feedback = cur.feedback_timestamp
    end = time.monotonic() + 5
    while time.monotonic() < end:
        assert cur.read_message() is None
        select.select([cur], [], [], 0.5)
    assert not cur.connection.closed
    assert cur.feedback_timestamp > first_feedback    # answered a keepalive
    assert cur.wal_end > 0                            # keepalives carry the end of WAL


def test_stop_replication_ends_consume_stream(connect, conn, slots, table):
    cur = _logical(connect).cursor()
    slot = slots()
    cur.create_replication_slot(slot, output_plugin='test_decoding')
    with conn.cursor() as w:
        w.execute("INSERT INTO %s VALUES (1, 'a')" % table)
    cur.start_replication(slot_name=slot, decode=True, options=_TEST_DECODING_OPTIONS)
    seen = []

    def consume(msg):
        seen.append(msg.payload)
        raise StopReplication()

    with pytest.raises(StopReplication):
        cur.consume_stream(consume, keepalive_interval=1)
    assert seen == ['BEGIN']
    # The stream goes on after it: read_message() gives the next message.
    assert _first_wal(cur).payload.startswith('table ')
    # But consume_stream() took the start's result, as psycopg2's does.
    with pytest.raises(psycopg2.ProgrammingError, match='not replicating'):
        cur.consume_stream(consume)


def test_a_consumer_resumes_where_it_flushed(connect, conn, slots, table):
    slot = slots()
    _logical(connect).cursor().create_replication_slot(slot, output_plugin='test_decoding')
    with conn.cursor() as w:
        for i in range(1, 4):
            w.execute("INSERT INTO %s VALUES (%d, 'v%d')" % (table, i, i))

    def run_consumer(transactions):
        repl = _logical(connect)
        cur = repl.cursor()
        cur.start_replication(slot_name=slot, decode=True, options=_TEST_DECODING_OPTIONS)
        commits = []

        def until(msg):
            if _is_commit(msg):
                cur.send_feedback(flush_lsn=msg.data_start, force=True)
                commits.append(msg)
            return len(commits) == transactions

        messages = _collect(cur, until)
        rows = [m.payload.split('id[integer]:')[1].split()[0]
                for m in messages if m.payload.startswith('table ')]
        _wait_confirmed_flush(conn, slot, messages[-1].data_start)
        repl.close()
        return rows

    assert run_consumer(1) == ['1']
    assert run_consumer(2) == ['2', '3']       # neither lost nor repeated
    with conn.cursor() as w:
        w.execute("INSERT INTO %s VALUES (4, 'v4')" % table)
    assert run_consumer(1) == ['4']


def test_an_error_in_the_stream_is_raised_and_the_session_goes_on(connect, slots):
    cur = _logical(connect).cursor()
    slot = slots()
    cur.create_replication_slot(slot, output_plugin='test_decoding')
    with pytest.raises(psycopg2.DataError, match='invalid_param'):
        cur.start_replication(slot_name=slot, options={'invalid_param': 'x'})
    cur.execute("IDENTIFY_SYSTEM")
    assert len(cur.fetchone()) == 4


def test_a_missing_slot_is_a_programming_error(connect):
    cur = connect(connection_factory=PhysicalReplicationConnection).cursor()
    with pytest.raises(psycopg2.ProgrammingError, match='does not exist'):
        cur.start_replication('pgjvm_no_such_slot')


def test_slots_are_created_and_dropped(connect, conn, slots):
    cur = _logical(connect).cursor()
    slot = slots()
    cur.create_replication_slot(slot, output_plugin='test_decoding')
    name, consistent_point, snapshot, plugin = cur.fetchone()
    assert (name, plugin) == (slot, 'test_decoding') and '/' in consistent_point
    with pytest.raises(psycopg2.errors.DuplicateObject):
        cur.create_replication_slot(slot, output_plugin='test_decoding')
    cur.drop_replication_slot(slot)
    with conn.cursor() as c:
        c.execute("SELECT count(*) FROM pg_replication_slots WHERE slot_name = %s", (slot,))
        assert c.fetchone()[0] == 0
    physical = connect(connection_factory=PhysicalReplicationConnection).cursor()
    other = slots()
    physical.create_replication_slot(other)
    with conn.cursor() as c:
        c.execute("SELECT slot_type FROM pg_replication_slots WHERE slot_name = %s", (other,))
        assert c.fetchone()[0] == 'physical'


# -- misuse ------------------------------------------------------------------------------------

def test_psycopg2s_refusals(connect, slots, dsn):
    repl = _logical(connect)
    cur = repl.cursor()
    with pytest.raises(psycopg2.ProgrammingError,
                       match='not replicating, call start_replication first'):
        cur.consume_stream(lambda msg: None)
    with pytest.raises(psycopg2.ProgrammingError, match='slot name is required'):
        cur.start_replication()
    with pytest.raises(psycopg2.ProgrammingError, match='output plugin name is required'):
        cur.create_replication_slot('x')
    with pytest.raises(psycopg2.ProgrammingError, match='cannot specify timeline'):
        cur.start_replication('x', timeline=3)
    with pytest.raises(psycopg2.ProgrammingError, match='unrecognized replication type'):
        cur.start_replication('x', slot_type=5)
    with pytest.raises(psycopg2.ProgrammingError, match=r'status_interval must be >= 1 \(sec\)'):
        cur.start_replication_expert('START_REPLICATION SLOT x LOGICAL 0/0',
                                     status_interval=0.5)
    physical = connect(connection_factory=PhysicalReplicationConnection).cursor()
    with pytest.raises(psycopg2.ProgrammingError, match='cannot specify output plugin options'):
        physical.start_replication(options={'a': 'b'})
    with pytest.raises(psycopg2.ProgrammingError, match='cannot specify output plugin name'):
        physical.create_replication_slot('x', output_plugin='test_decoding')
    with pytest.raises(AttributeError, match='is not readable'):
        repl.autocommit
    with pytest.raises(TypeError, match='replication_type must be either'):
        psycopg2._psycopg.ReplicationConnection(dsn)
    with pytest.raises(psycopg2.OperationalError, match='no COPY in progress'):
        cur.read_message()

    slot = slots()
    cur.create_replication_slot(slot, output_plugin='test_decoding')
    cur.start_replication(slot_name=slot)
    with pytest.raises(psycopg2.OperationalError, match='PQexec not allowed during COPY BOTH'):
        cur.execute("SELECT 1")
    with pytest.raises(psycopg2.ProgrammingError, match='keepalive_interval must be >= 1'):
        cur.consume_stream(lambda msg: None, keepalive_interval=0)
    with pytest.raises(psycopg2.ProgrammingError, match='keepalive_interval must be int or'):
        cur.consume_stream(lambda msg: None, keepalive_interval='1')


def test_replication_commands_on_an_ordinary_connection_fail(cur):
    with pytest.raises(psycopg2.errors.SyntaxError):
        cur.execute("IDENTIFY_SYSTEM")


def test_not_in_green_mode(connect):
    cur = _logical(connect).cursor()
    ext.set_wait_callback(extras.wait_select)
    try:
        for call in (lambda: cur.start_replication_expert('START_REPLICATION SLOT x LOGICAL 0/0'),
                     cur.read_message, lambda: cur.consume_stream(print)):
            with pytest.raises(psycopg2.ProgrammingError,
                               match='cannot be used with an asynchronous callback'):
                call()
    finally:
        ext.set_wait_callback(None)


def test_replication_connection_settings(connect):
    repl = connect(connection_factory=PhysicalReplicationConnection, options='-cdatestyle=german')
    assert repl.get_dsn_parameters()['replication'] == 'true'
    assert repl.get_parameter_status('DateStyle').startswith('German')   # left as it is
    assert repr(repl).startswith('<ReplicationConnection object at 0x')
    assert "; dsn: '" in repr(repl) and repr(repl).endswith(', closed: 0>')
    assert repr(repl.cursor()).startswith('<ReplicationCursor object at 0x')
    cur = repl.cursor()
    assert cur.wal_end == 0 and cur.feedback_timestamp == dt.datetime.fromtimestamp(0)


def test_replication_message_constructor(cur):
    msg = extras.ReplicationMessage(cur, b'data')
    assert (msg.cursor, msg.payload, msg.data_size, msg.data_start, msg.wal_end) == (
        cur, b'data', 0, 0, 0)
    assert msg.send_time == dt.datetime.fromtimestamp(946684800)
    with pytest.raises(TypeError):
        extras.ReplicationMessage('not a cursor', b'')
    with pytest.raises(AttributeError):
        msg.payload = b'x'


def test_the_change_data_capture_example(dsn, capsys):
    import os
    import runpy
    path = os.path.join(os.path.dirname(__file__), '..', 'examples', 'change_data_capture.py')
    example = runpy.run_path(path)
    example['main']([dsn] if dsn else [])
    assert capsys.readouterr().out.splitlines() == [
        "INSERT public.cdc_example_items id=1 name='tea'",
        "INSERT public.cdc_example_items id=2 name='coffee'",
        "UPDATE public.cdc_example_items id=2 name='café crème'",
        "DELETE public.cdc_example_items id=1",
        "4 changes",
    ]
