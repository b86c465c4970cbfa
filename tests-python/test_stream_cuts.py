"""The cutting proxy of test_network_faults.py (cutting_proxy.py) between our client and the
test server, cutting the connection at sampled byte offsets of longer streams: a start-up and a
query over TLS (sslmode=require: the bytes cut are encrypted), COPY FROM STDIN and COPY TO
STDOUT of some 280 KB, a logical replication stream (test_decoding) of some 200 KB, and
large-object writes and reads of 200 KB. Both directions are cut.

Each cut must end in what psycopg2 2.9.13 raises for it (the class and libpq's words: checked
against psycopg2-binary through the same proxy), or in success when it comes after the last
byte the operation needs; never in a hang or a partial result; a connection whose session is
gone shows ``closed == 2``; a COPY FROM cut before its COMMIT reached the server leaves no
row behind; neither descriptors nor Java threads pile up.

PGJVM_NETFAULT_DEBUG=1 (with pytest -s) prints the number of cases.
"""
import io
import os
import random
import select
import struct
import time
import uuid

import pytest

import psycopg2
import psycopg2.extras
from test_network_faults import (  # noqa: F401 - the fixtures are used by name
    CASE_BOUND, LARGE, LARGE_ROWS, LOST, _sweep, no_leaks, no_leaks_in_the_module, proxy)

java = pytest.importorskip('java')

pytestmark = pytest.mark.skipif(
    os.environ.get('PGHOST', '').startswith('/') or not os.environ.get('PGPORT'),
    reason='needs the test server over TCP (PGHOST/PGPORT)')

SETTLE = 0.2     # seconds for the proxy to count what it passed (it counts after passing)


def _debug(what, offsets):
    if os.environ.get('PGJVM_NETFAULT_DEBUG'):
        print('%s: %d offsets' % (what, len(offsets)))


def _around(boundaries, low, high, deltas=(-1, 0, 1, 5)):
    """Offsets next to each boundary, within [low, high]."""
    return {b + d for b in boundaries for d in deltas if low <= b + d <= high}


def _messages(data, startup):
    """The (offset, type, end) of each whole protocol message of one direction of a recorded
    stream (the first client message is the start-up packet, without a type byte); a last
    message torn when the link closed is left out."""
    out, pos = [], 0
    if startup:
        (length,) = struct.unpack('!I', bytes(data[0:4]))
        out.append((0, None, length))
        pos = length
    while pos + 5 <= len(data):
        (length,) = struct.unpack('!I', bytes(data[pos + 1:pos + 5]))
        if pos + 1 + length > len(data):
            break
        out.append((pos, bytes(data[pos:pos + 1]), pos + 1 + length))
        pos += 1 + length
    return out


def _direct():
    """A connection straight to the server (not through the proxy; no TLS: it is quicker)."""
    conn = psycopg2.connect(os.environ.get('PGJVM_TEST_DSN', ''), sslmode='disable')
    conn.autocommit = True
    return conn


@pytest.fixture(scope='module')
def admin():
    conn = _direct()
    yield conn
    conn.close()


def _lost_or(error, conn, plan, words=LOST, kind=psycopg2.OperationalError):
    """What is wrong with a cut query's error: psycopg2's class and libpq's words, closed 2,
    and the fault came."""
    if type(error) is not kind:
        return 'raised %s: %r' % (type(error).__name__, str(error))
    if str(error) != words:
        return 'message %r' % str(error)
    if conn.closed != 2:
        return 'closed == %r' % conn.closed
    if not plan.link.faulted.is_set():
        return 'failed before the fault'
    return None


# -- TLS -------------------------------------------------------------------------------------

def _tls_records(data, start):
    """The offset of each TLS record of one direction, the first at ``start`` (after the
    SSLRequest, or after the server's 'S')."""
    out, pos = [], start
    while pos + 5 <= len(data):
        out.append(pos)
        pos += 5 + struct.unpack('!H', bytes(data[pos + 3:pos + 5]))[0]
    assert pos == len(data), 'a torn TLS record in the recorded stream'
    return out


class TlsStreams:
    """Where the start-up and a large query end in each direction over TLS, and where each
    TLS record starts."""


@pytest.fixture(scope='module')
def tls(proxy):
    def measure():
        plan = proxy.arm(None, None, record=True)
        conn = psycopg2.connect(proxy.dsn(sslmode='require'))
        try:
            assert conn.info.ssl_in_use
            time.sleep(SETTLE)
            startup = dict(plan.link.passed)
            cur = conn.cursor()
            cur.execute(LARGE)
            assert cur.fetchall() == LARGE_ROWS
            time.sleep(SETTLE)
            query = dict(plan.link.passed)
        finally:
            conn.close()
        assert plan.link.closed.wait(CASE_BOUND)
        recorded = plan.link.recorded
        assert bytes(recorded['s2c'][:1]) == b'S'
        return startup, query, {'c2s': _tls_records(recorded['c2s'], 8),
                                's2c': _tls_records(recorded['s2c'], 1)}

    found = TlsStreams()
    found.startup, found.query, found.records = measure()
    # The same sizes on every connection (no session resumption, fixed-size keys).
    again = measure()
    assert (again[0], again[1]) == (found.startup, found.query)
    return found


TLS_EOF = 'SSL SYSCALL error: EOF detected\n'


def _tls_connect_message(proxy, direction, offset):
    """What psycopg2 2.9.13 says when a TLS start-up is cut there: libpq's words for a plain
    EOF until the server's 'S' has come, then OpenSSL's for an EOF without close_notify (in
    the handshake and in the authentication after it alike)."""
    prefix = 'connection to server at "127.0.0.1", port %d failed: ' % proxy.port
    before_tls = offset < 8 if direction == 'c2s' else offset < 1
    return prefix + (LOST if before_tls else TLS_EOF)


def _tls_case(proxy, tls, direction, offset):
    startup_end, query_end = tls.startup[direction], tls.query[direction]
    plan = proxy.arm(direction, offset)
    started = time.monotonic()
    try:
        conn = psycopg2.connect(proxy.dsn(sslmode='require', connect_timeout=2))
    except psycopg2.OperationalError as error:
        if offset >= startup_end:
            return 'connect failed: %r' % str(error)
        expected = _tls_connect_message(proxy, direction, offset)
        if type(error) is not psycopg2.OperationalError or str(error) != expected:
            return 'connect: %s %r' % (type(error).__name__, str(error))
        if not plan.link.faulted.is_set():
            return 'failed before the fault'
        if time.monotonic() - started > CASE_BOUND:
            return 'took %.1f s' % (time.monotonic() - started)
        return None
    try:
        if offset < startup_end:
            return 'connected'
        cur = conn.cursor()
        try:
            cur.execute(LARGE)
            got = cur.fetchall()
        except psycopg2.Error as error:
            if offset >= query_end:
                return 'query failed: %r' % str(error)
            problem = _lost_or(error, conn, plan, TLS_EOF)
            if problem is None and time.monotonic() - started > CASE_BOUND:
                problem = 'took %.1f s' % (time.monotonic() - started)
            return problem
        if got != LARGE_ROWS:
            return 'partial result: %d rows of %d' % (len(got), len(LARGE_ROWS))
        if plan.link.faulted.is_set() or offset < query_end:
            return 'succeeded past the cut'
        return None
    finally:
        conn.close()


@pytest.mark.parametrize('direction', ['c2s', 's2c'])
def test_cuts_in_a_tls_start_up(proxy, tls, direction):
    """The SSLRequest and the server's answer, then the handshake and the authentication
    inside TLS: at every record boundary and in its header, and every 293rd (c2s) or 397th
    (s2c) byte."""
    end = tls.startup[direction]
    plain = 8 if direction == 'c2s' else 1
    offsets = {0, plain - 1, plain, plain + 1} | set(range(plain, end, 293 if direction == 'c2s' else 397))
    offsets |= _around(tls.records[direction], 0, end, (0, 5)) | {end - 1, end}
    offsets = sorted(offsets)
    _debug('tls start-up ' + direction, offsets)
    with no_leaks(proxy):
        _sweep(lambda n: _tls_case(proxy, tls, direction, n), offsets)


@pytest.mark.parametrize('direction', ['c2s', 's2c'])
def test_cuts_in_a_tls_query(proxy, tls, direction):
    """A 220 KB result over TLS (records of up to 16 KB): the query's records every 17th byte,
    the result every 24989th byte; at the boundaries of the query's records and of the
    result's first and last two, and in their headers."""
    start, end = tls.startup[direction], tls.query[direction]
    records = [r for r in tls.records[direction] if start <= r < end]
    if direction == 'c2s':
        offsets = set(range(start, end, 17))
    else:
        offsets = set(range(start, end, 24989))
        records = records[:2] + records[-2:]
    offsets |= _around(records, start, end, (0, 5)) | {end - 1, end}
    offsets = sorted(offsets)
    _debug('tls query ' + direction, offsets)
    with no_leaks(proxy):
        _sweep(lambda n: _tls_case(proxy, tls, direction, n), offsets)


# -- COPY ------------------------------------------------------------------------------------

COPY_ROWS = 4000
COPY_OUT = ("COPY (SELECT g, repeat(chr(65 + g %% 26), 60) FROM generate_series(1, %d) AS g)"
            " TO STDOUT" % COPY_ROWS)
# What psycopg2 2.9.13 raises when the session breaks in a COPY TO's data (PQgetCopyData says
# -2; the COPY's result has no message), and in a replication stream (the same, for
# START_REPLICATION's result); before the data starts and after its CopyDone, the usual
# OperationalError.
COPY_OUT_BROKEN = 'error with status PGRES_COPY_OUT and no message from the libpq'
STREAM_BROKEN = 'error with status PGRES_COPY_BOTH and no message from the libpq'
COPY_OUT_DATA = b''.join(b'%d\t%s\n' % (g, bytes([65 + g % 26]) * 60)
                         for g in range(1, COPY_ROWS + 1))


_COPY_IN_TEMPLATE = b''.join(b'%d\t@TAG@@\t%s\n' % (i, bytes([97 + i % 26]) * 60)
                             for i in range(COPY_ROWS))


def _copy_in_data(tag):
    """Some 290 KB of rows, each different; ``tag`` marks the case's rows (fixed width, so
    every case sends the same number of bytes)."""
    return _COPY_IN_TEMPLATE.replace(b'@TAG@@', b'%06d' % tag)


@pytest.fixture(scope='module')
def copy_table(admin):
    name = 'pgjvm_cut_copy_%s' % uuid.uuid4().hex[:12]
    admin.cursor().execute('CREATE TABLE %s (id int, tag int, v text)' % name)
    yield name
    admin.cursor().execute('DROP TABLE IF EXISTS %s' % name)


def _count(admin, table, tag):
    cur = admin.cursor()
    cur.execute('SELECT count(*) FROM %s WHERE tag = %%s' % table, (tag,))
    return cur.fetchone()[0]


class CopyStreams:
    pass


@pytest.fixture(scope='module')
def copy_streams(proxy, admin, copy_table):
    """The bytes of each direction of a COPY FROM (then COMMIT) and of a COPY TO, recorded
    through the proxy, and the boundaries of their protocol messages."""
    found = CopyStreams()

    def record(work):
        phases, messages, _ = _recorded_streams(proxy, work)
        return phases, messages

    def copy_in(conn):
        conn.cursor().copy_expert('COPY %s (id, tag, v) FROM STDIN' % copy_table,
                                  io.BytesIO(_copy_in_data(999999)))
        conn.commit()

    def copy_out(conn):
        out = io.BytesIO()
        conn.cursor().copy_expert(COPY_OUT, out)
        assert out.getvalue() == COPY_OUT_DATA
        conn.rollback()

    found.copy_in, found.copy_in_messages = record(copy_in)
    assert _count(admin, copy_table, 999999) == COPY_ROWS
    # The server has committed once the COMMIT's CommandComplete starts on its way.
    commits = [m for m in found.copy_in_messages['s2c'] if m[1] == b'C']
    found.commit_answer = commits[-1][0]
    found.copy_out, found.copy_out_messages = record(copy_out)
    # From the end of CopyOutResponse to the end of CopyDone: psycopg2's DatabaseError.
    out = found.copy_out_messages['s2c']
    found.copy_out_data = ([m[2] for m in out if m[1] == b'H'][0],
                           [m[2] for m in out if m[1] == b'c'][0])
    return found


def _copy_in_case(proxy, admin, table, streams, direction, offset):
    tag = offset * 2 + (direction == 's2c')
    end = streams.copy_in[direction][1]
    plan = proxy.arm(direction, offset)
    conn = psycopg2.connect(proxy.dsn(connect_timeout=2))
    problem = None
    try:
        started = time.monotonic()
        try:
            conn.cursor().copy_expert('COPY %s (id, tag, v) FROM STDIN' % table,
                                      io.BytesIO(_copy_in_data(tag)))
            conn.commit()
        except psycopg2.Error as error:
            problem = ('failed: %r' % str(error)) if offset >= end else \
                _lost_or(error, conn, plan)
            if problem is None and time.monotonic() - started > CASE_BOUND:
                problem = 'took %.1f s' % (time.monotonic() - started)
            # Committed only when the COMMIT reached the server: its answer was on its way.
            committed = direction == 's2c' and offset >= streams.commit_answer
        else:
            committed = True
            if plan.link.faulted.is_set() or offset < end:
                problem = 'succeeded past the cut'
    finally:
        conn.close()
    # Once the proxy has closed the server's side, its backend ends and rolls back.
    assert plan.link.closed.wait(CASE_BOUND)
    rows = _count(admin, table, tag)
    if rows != (COPY_ROWS if committed else 0):
        problem = (problem or '') + ' %d rows committed' % rows
    return problem


def _copy_out_case(proxy, streams, direction, offset):
    end = streams.copy_out[direction][1]
    plan = proxy.arm(direction, offset)
    conn = psycopg2.connect(proxy.dsn(connect_timeout=2))
    try:
        out = io.BytesIO()
        started = time.monotonic()
        try:
            conn.cursor().copy_expert(COPY_OUT, out)
            conn.rollback()
        except psycopg2.Error as error:
            if offset >= end:
                return 'failed: %r' % str(error)
            low, high = streams.copy_out_data
            if direction == 's2c' and low <= offset < high:
                problem = _lost_or(error, conn, plan, COPY_OUT_BROKEN, psycopg2.DatabaseError)
            else:
                problem = _lost_or(error, conn, plan)
            if problem is None and time.monotonic() - started > CASE_BOUND:
                problem = 'took %.1f s' % (time.monotonic() - started)
            return problem
        if out.getvalue() != COPY_OUT_DATA:
            return 'partial data: %d bytes of %d' % (len(out.getvalue()), len(COPY_OUT_DATA))
        if plan.link.faulted.is_set() or offset < end:
            return 'succeeded past the cut'
        return None
    finally:
        conn.close()


def _stream_offsets(phase, messages, data_type, step, small_step):
    """Sampled offsets of one direction of a phase: every ``step``-th byte, at (and just
    after) every boundary of the messages that are not ``data_type`` and of the first and last
    two of those; when the direction carries no data, every ``small_step``-th byte."""
    start, end = phase
    inside = [m for m in messages if start <= m[0] < end]
    data = [m for m in inside if m[1] == data_type]
    boundaries = [m[0] for m in inside if m[1] != data_type] + [m[0] for m in data[:2]] \
        + [m[0] for m in data[-2:]]
    every = step if len(data) > 3 else small_step
    offsets = set(range(start, end, every)) | _around(boundaries, start, end, (0, 1)) \
        | {end - 1, end}
    return sorted(offsets)


@pytest.mark.parametrize('direction', ['c2s', 's2c'])
def test_cuts_during_copy_from_stdin(proxy, admin, copy_table, copy_streams, direction):
    """copy_expert(COPY ... FROM STDIN) from a BytesIO of 290 KB, then commit(): cut in the
    COPY data (every 24989th byte, at the message boundaries) or in the server's few answers
    (every 7th byte, at each message boundary). No row of a COPY cut before its COMMIT reached
    the server is ever committed; after, all are."""
    offsets = _stream_offsets(copy_streams.copy_in[direction],
                              copy_streams.copy_in_messages[direction], b'd', 24989, 7)
    _debug('copy from ' + direction, offsets)
    with no_leaks(proxy):
        _sweep(lambda n: _copy_in_case(proxy, admin, copy_table, copy_streams, direction, n),
               offsets)


@pytest.mark.parametrize('direction', ['c2s', 's2c'])
def test_cuts_during_copy_to_stdout(proxy, copy_streams, direction):
    """copy_expert(COPY ... TO STDOUT) of 280 KB into a BytesIO, then rollback(): cut in the
    queries (every 7th byte) or in the data (every 24989th byte), and at the message
    boundaries. From the end of CopyOutResponse to the end of CopyDone psycopg2 raises its
    DatabaseError; before and after, OperationalError."""
    offsets = _stream_offsets(copy_streams.copy_out[direction],
                              copy_streams.copy_out_messages[direction], b'd', 24989, 7)
    _debug('copy to ' + direction, offsets)
    with no_leaks(proxy):
        _sweep(lambda n: _copy_out_case(proxy, copy_streams, direction, n), offsets)


# -- logical replication ---------------------------------------------------------------------

REPL_ROWS = 1000
DECODING_OPTIONS = {'skip-empty-xacts': '1', 'include-xids': '0'}


class Replication:
    pass


def _wait_slot_free(admin, slot, bound=10.0):
    """Until no walsender holds the slot (the cut one ends when it sees the proxy close)."""
    cur = admin.cursor()
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        cur.execute('SELECT active_pid FROM pg_replication_slots WHERE slot_name = %s', (slot,))
        if cur.fetchone()[0] is None:
            return True
        time.sleep(0.02)
    return False


@pytest.fixture(scope='module')
def replication(proxy, admin):
    """A test_decoding slot made before a transaction inserting 1000 rows of 100 characters
    into a table of its own; every case streams it again from the slot's start (no feedback
    confirms a flush), up to that transaction's COMMIT."""
    found = Replication()
    found.table = 'pgjvm_cut_repl_%s' % uuid.uuid4().hex[:12]
    found.slot = 'pgjvm_cut_slot_%s' % uuid.uuid4().hex[:12]
    repl = psycopg2.connect(os.environ.get('PGJVM_TEST_DSN', ''), sslmode='disable',
                            connection_factory=psycopg2.extras.LogicalReplicationConnection)
    try:
        cur = admin.cursor()
        cur.execute('CREATE TABLE %s (id int PRIMARY KEY, v text)' % found.table)
        repl.cursor().create_replication_slot(found.slot, output_plugin='test_decoding')
        repl.close()
        with admin:   # one transaction
            cur.execute("INSERT INTO %s SELECT g, repeat(chr(65 + g %% 26), 100)"
                        " FROM generate_series(1, %d) AS g" % (found.table, REPL_ROWS))
        found.admin = admin
        yield found
    finally:
        repl.close()
        if _wait_slot_free(admin, found.slot):
            admin.cursor().execute(
                'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots'
                ' WHERE slot_name = %s', (found.slot,))
        admin.cursor().execute('DROP TABLE IF EXISTS %s' % found.table)


def _stream(conn, replication):
    """Stream the slot from its start to the COMMIT of our transaction, in a read_message
    loop, sending feedback (no flush) every 250 messages; the changes of our table."""
    cur = conn.cursor()
    cur.start_replication(slot_name=replication.slot, decode=True, options=DECODING_OPTIONS)
    ours = 'table public.%s: INSERT: ' % replication.table
    changes, received = [], 0
    deadline = time.monotonic() + CASE_BOUND
    while True:
        msg = cur.read_message()
        if msg is None:
            assert time.monotonic() < deadline, 'the stream stopped'
            select.select([cur], [], [], 0.5)
            continue
        received += 1
        if received % 250 == 0:
            cur.send_feedback(write_lsn=msg.data_start)
        if msg.payload.startswith(ours):
            changes.append(msg.payload)
        elif msg.payload.startswith('COMMIT') and len(changes) == REPL_ROWS:
            return changes


def _expected_changes(table):
    return ["table public.%s: INSERT: id[integer]:%d v[text]:'%s'" % (
        table, g, chr(65 + g % 26) * 100) for g in range(1, REPL_ROWS + 1)]


@pytest.fixture(scope='module')
def replication_stream(proxy, replication):
    plan = proxy.arm(None, None, record=True)
    conn = psycopg2.connect(proxy.dsn(),
                            connection_factory=psycopg2.extras.LogicalReplicationConnection)
    try:
        time.sleep(SETTLE)
        startup = dict(plan.link.passed)
        assert _stream(conn, replication) == _expected_changes(replication.table)
        time.sleep(SETTLE)
        done = dict(plan.link.passed)
    finally:
        conn.close()
    assert plan.link.closed.wait(CASE_BOUND)
    recorded = plan.link.recorded
    s2c = _messages(recorded['s2c'], startup=False)
    c2s = _messages(recorded['c2s'][:done['c2s']], startup=True)
    assert _wait_slot_free(replication.admin, replication.slot)
    commit_end = _commit_end(recorded['s2c'], replication.table)
    assert commit_end is not None and commit_end <= done['s2c']
    feedback = [m[0] for m in c2s if m[1] == b'd']
    assert feedback, 'no feedback sent'
    # The stream has started (START_REPLICATION answered) once CopyBothResponse has come.
    streaming = {'c2s': feedback[0], 's2c': [m[2] for m in s2c if m[1] == b'W'][0]}
    return ({'c2s': (startup['c2s'], done['c2s']), 's2c': (startup['s2c'], commit_end)},
            {'c2s': c2s, 's2c': [m for m in s2c if m[0] < commit_end]}, streaming)


def _commit_end(s2c, table):
    """Where the server's bytes ``s2c`` hold, whole, the COMMIT of our transaction (XLogData:
    'w' and three 8-byte numbers, then test_decoding's text): the end of the stream for the
    client; None when they do not. The server may send more after it (other transactions of
    the database, keepalives), which the client never waits for."""
    ours, commit_end = table.encode(), None
    for start, kind, end in _messages(s2c, startup=False):
        text = bytes(s2c[start + 5 + 25:end]) if kind == b'd' else b''
        if ours in text:
            commit_end = None
        elif text.startswith(b'COMMIT') and commit_end is None:
            commit_end = end
    return commit_end


def _replication_case(proxy, replication, stream, direction, offset):
    """A keepalive may come at a different place in each stream (the server sends one when it
    waits for WAL): what is expected is decided by the bytes that passed in this case."""
    end = stream[0][direction][1]
    if not _wait_slot_free(replication.admin, replication.slot):
        return 'the slot is still held by an earlier case'
    plan = proxy.arm(direction, offset, record=True)
    conn = psycopg2.connect(proxy.dsn(connect_timeout=2),
                            connection_factory=psycopg2.extras.LogicalReplicationConnection)
    try:
        started = time.monotonic()
        try:
            changes = _stream(conn, replication)
        except psycopg2.Error as error:
            if offset >= stream[2][direction]:
                problem = _lost_or(error, conn, plan, STREAM_BROKEN, psycopg2.DatabaseError)
            else:
                problem = _lost_or(error, conn, plan)
            if problem is None and time.monotonic() - started > CASE_BOUND:
                problem = 'took %.1f s' % (time.monotonic() - started)
            conn.close()
            assert plan.link.closed.wait(CASE_BOUND)
            if _commit_end(plan.link.recorded['s2c'], replication.table) is not None:
                return 'failed after the stream had passed whole: %r' % str(error)
            return problem
        if changes != _expected_changes(replication.table):
            return 'wrong changes: %d' % len(changes)
        conn.close()
        assert plan.link.closed.wait(CASE_BOUND)
        # The fault may have come after the COMMIT (in bytes the client did not wait for), or
        # in the feedback once every byte needed had arrived; never before the COMMIT passed.
        if plan.link.faulted.is_set() and \
                _commit_end(plan.link.recorded['s2c'], replication.table) is None:
            return 'succeeded past the cut'
        if offset < end and direction == 'c2s' and offset < stream[2]['c2s']:
            return 'succeeded past the cut'
        return None
    finally:
        conn.close()
        plan.link is None or plan.link.closed.wait(CASE_BOUND)


@pytest.mark.parametrize('direction', ['c2s', 's2c'])
def test_cuts_during_logical_replication(proxy, replication, replication_stream, direction):
    """START_REPLICATION and a 200 KB test_decoding stream read with read_message() in a
    select loop, feedback every 250 messages: cut in the command and the feedback (every 11th
    byte) or in the stream (every 24989th byte), and at the message boundaries."""
    phases, messages, _ = replication_stream
    offsets = _stream_offsets(phases[direction], messages[direction], b'd',
                              24989 if direction == 's2c' else 11, 11)
    _debug('replication ' + direction, offsets)
    with no_leaks(proxy):
        _sweep(lambda n: _replication_case(proxy, replication, replication_stream, direction, n),
               offsets)


# -- large objects ---------------------------------------------------------------------------

LO_DATA = random.Random(20261205).randbytes(200 * 1024)


@pytest.fixture(scope='module')
def stored_lobject():
    admin = _direct()
    admin.autocommit = False
    lo = admin.lobject(0, 'wb')
    try:
        lo.write(LO_DATA)
        lo.close()
        admin.commit()
        yield lo.oid
    finally:
        admin.rollback()
        admin.lobject(lo.oid, 'n').unlink()
        admin.commit()
        admin.close()


def _lo_write(conn):
    lo = conn.lobject(0, 'wb')
    assert lo.write(LO_DATA) == len(LO_DATA)
    lo.close()
    oid = lo.oid
    conn.commit()
    return oid


def _lo_read(oid):
    def read(conn):
        lo = conn.lobject(oid, 'rb')
        data = lo.read()
        lo.close()
        conn.rollback()
        return data
    return read


def _recorded_streams(proxy, work):
    """``work(conn)`` run once through the proxy, recording: for each direction the bytes passed
    by the end of start-up and by the end of the work, the boundaries of its messages, and
    what ``work`` returned."""
    plan = proxy.arm(None, None, record=True)
    conn = psycopg2.connect(proxy.dsn())
    try:
        time.sleep(SETTLE)
        startup = dict(plan.link.passed)
        result = work(conn)
        time.sleep(SETTLE)
        done = dict(plan.link.passed)
    finally:
        conn.close()
    assert plan.link.closed.wait(CASE_BOUND)
    messages = {'c2s': _messages(plan.link.recorded['c2s'], startup=True),
                's2c': _messages(plan.link.recorded['s2c'], startup=False)}
    return {d: (startup[d], done[d]) for d in ('c2s', 's2c')}, messages, result


def _unlink(oid):
    admin = _direct()
    admin.autocommit = False
    try:
        admin.lobject(oid, 'n').unlink()
        admin.commit()
    finally:
        admin.close()


def _lo_case(proxy, work, check, phases, direction, offset):
    end = phases[direction][1]
    plan = proxy.arm(direction, offset)
    conn = psycopg2.connect(proxy.dsn(connect_timeout=2))
    try:
        started = time.monotonic()
        try:
            result = work(conn)
        except psycopg2.Error as error:
            if offset >= end:
                return 'failed: %r' % str(error)
            problem = _lost_or(error, conn, plan)
            if problem is None and time.monotonic() - started > CASE_BOUND:
                problem = 'took %.1f s' % (time.monotonic() - started)
            return problem
        problem = check(result)
        if problem is None and (plan.link.faulted.is_set() or offset < end):
            problem = 'succeeded past the cut'
        return problem
    finally:
        conn.close()


@pytest.mark.parametrize('direction', ['c2s', 's2c'])
def test_cuts_during_a_large_object_write(proxy, direction):
    """lobject(0, 'wb').write() of 200 KB, close(), commit(): cut in the 200 KB (every
    24989th byte) or at (and just after) every message boundary."""
    phases, messages, oid = _recorded_streams(proxy, _lo_write)
    _unlink(oid)

    def check(written):
        # A whole write, committed: the large object holds every byte.
        admin = _direct()
        admin.autocommit = False
        try:
            data = admin.lobject(written, 'rb').read()
            admin.rollback()
        finally:
            admin.close()
        _unlink(written)
        return None if data == LO_DATA else 'wrote %d bytes of %d' % (len(data), len(LO_DATA))

    start, end = phases[direction]
    inside = [m[0] for m in messages[direction] if start <= m[0] < end]
    offsets = set(range(start, end, 24989)) | _around(inside, start, end, (0, 1)) | {end - 1, end}
    offsets = sorted(offsets)
    _debug('lobject write ' + direction, offsets)
    with no_leaks(proxy):
        _sweep(lambda n: _lo_case(proxy, _lo_write, check, phases, direction, n), offsets)


@pytest.mark.parametrize('direction', ['c2s', 's2c'])
def test_cuts_during_a_large_object_read(proxy, stored_lobject, direction):
    """lobject(oid, 'rb').read() of 200 KB: cut at (and just after) every message boundary,
    and every 24989th byte of the data; the read gives every byte or raises."""
    read = _lo_read(stored_lobject)
    phases, messages, data = _recorded_streams(proxy, read)
    assert data == LO_DATA

    def check(got):
        return None if got == LO_DATA else 'partial read: %d bytes of %d' % (
            len(got), len(LO_DATA))

    start, end = phases[direction]
    inside = [m[0] for m in messages[direction] if start <= m[0] < end]
    offsets = set(range(start, end, 24989)) | _around(inside, start, end, (0, 1)) | {end - 1, end}
    offsets = sorted(offsets)
    _debug('lobject read ' + direction, offsets)
    with no_leaks(proxy):
        _sweep(lambda n: _lo_case(proxy, read, check, phases, direction, n), offsets)
