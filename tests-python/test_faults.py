"""Bad input and broken servers give the psycopg2 exception a user would catch, with libpq's
words, and leave the connection marked as psycopg2 marks it. The servers that misbehave are
scripted (fakeserver.py); the messages are those psycopg2 2.9.13 gives for the same scripts.
"""
import io
import os
import struct
import time

import pytest

import psycopg2
from fakeserver import (
    STARTUP_PARAMETERS, command_complete, cstring, data_row, error_response, message, ready,
    row_description)

LOST = ('server closed the connection unexpectedly\n'
        '\tThis probably means the server terminated abnormally\n'
        '\tbefore or while processing the request.\n')


def _failed(server, text):
    return 'connection to server at "127.0.0.1", port %d failed: %s' % (server.port, text)


# -- connecting -----------------------------------------------------------------------------

def _silent(peer):
    peer.wait_for_close()


def _silent_after_authentication(peer):
    peer.read_startup()
    peer.send(message(b'R', struct.pack('!I', 0)))
    peer.wait_for_close()


@pytest.mark.parametrize('script', [_silent, _silent_after_authentication])
def test_connect_timeout_bounds_the_whole_start_up(fake_server, script):
    server = fake_server(script)
    started = time.monotonic()
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(server.dsn(connect_timeout=2))
    assert str(info.value) == _failed(server, 'timeout expired\n')
    # Bounded, not timed: a hang would last as long as the server's 30 s socket timeout.
    assert time.monotonic() - started < 20


def test_connect_timeout_under_two_seconds_counts_as_two(fake_server):
    server = fake_server(_silent)
    started = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match='timeout expired'):
        psycopg2.connect(server.dsn(connect_timeout=1))
    assert time.monotonic() - started >= 1.9


def test_server_closing_at_once(fake_server):
    server = fake_server(lambda peer: None)
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(server.dsn())
    assert str(info.value) == _failed(server, LOST)


def test_not_a_postgresql_server(fake_server):
    def http(peer):
        peer.read_startup()
        peer.send(b'HTTP/1.1 400 Bad Request\r\n\r\n')
        peer.wait_for_close()
    server = fake_server(http)
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(server.dsn())
    assert str(info.value) == _failed(
        server, 'expected authentication request from server, but received H\n')


# -- garbage during a query -------------------------------------------------------------------

ONE_COLUMN = row_description('x')

FAULTS = {
    'field count': (
        ONE_COLUMN + data_row('a', 'b') + command_complete('SELECT 1') + ready(),
        psycopg2.DatabaseError, 'unexpected field count in "D" message\n'),
    'absurd length': (
        ONE_COLUMN + b'D' + struct.pack('!I', 0x7fffffff) + b'xx',
        psycopg2.OperationalError, 'cannot allocate memory for input buffer\n'
        'lost synchronization with server: got message type "D", length 2147483643\n'),
    'negative length': (
        ONE_COLUMN + b'D' + struct.pack('!i', -5) + b'xx',
        psycopg2.OperationalError,
        'lost synchronization with server: got message type "D", length -5\n'),
    'short type said long': (
        b'Z' + struct.pack('!I', 100000) + b'I',
        psycopg2.OperationalError,
        'lost synchronization with server: got message type "Z", length 100000\n'),
    'unknown type': (
        message(b'j', b'zz') + ready(),
        psycopg2.DatabaseError,
        'unexpected response from server; first received character was "j"\n'),
    'truncated then closed': (
        ONE_COLUMN + data_row('abcdef')[:-3],
        psycopg2.OperationalError, LOST),
}


@pytest.mark.parametrize('fault', list(FAULTS))
def test_protocol_fault_in_a_query(fake_server, fault):
    reply, cls, text = FAULTS[fault]

    def script(peer):
        peer.handshake()
        peer.read_query()
        peer.send(reply)
        if fault == 'truncated then closed':
            return
        peer.wait_for_close()

    conn = psycopg2.connect(fake_server(script).dsn())
    conn.autocommit = True
    cur = conn.cursor()
    with pytest.raises(psycopg2.Error) as info:
        cur.execute('SELECT 1')
    assert isinstance(info.value, cls)
    assert str(info.value) == text
    # The session is over, and the connection says so at once (closed 2, as psycopg2's).
    assert conn.closed == 2
    with pytest.raises(psycopg2.InterfaceError):
        cur.execute('SELECT 1')
    conn.close()


def test_invalid_utf8_in_an_error_message(fake_server):
    def script(peer):
        peer.handshake()
        peer.read_query()
        peer.send(error_response('42601', b'bad \xff\xfe text') + ready())
        peer.read_query()
        peer.send(ONE_COLUMN + data_row('fine') + command_complete('SELECT 1') + ready())
        peer.wait_for_close()

    conn = psycopg2.connect(fake_server(script).dsn())
    conn.autocommit = True
    cur = conn.cursor()
    with pytest.raises(psycopg2.errors.SyntaxError) as info:
        cur.execute('SELECT 1')
    assert str(info.value) == 'bad \ufffd\ufffd text\n'
    assert conn.closed == 0
    cur.execute('SELECT 1')
    assert cur.fetchall() == [('fine',)]
    conn.close()


def test_garbage_where_a_number_is_due(fake_server):
    def script(peer):
        peer.handshake()
        peer.read_query()
        fields = b'n\x00' + struct.pack('!IhIhih', 0, 0, 23, 4, -1, 0)     # int4
        peer.send(message(b'T', struct.pack('!h', 1) + fields) + data_row('12x')
                  + command_complete('SELECT 1') + ready())
        peer.wait_for_close()

    conn = psycopg2.connect(fake_server(script).dsn())
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute('SELECT 1')
    # psycopg2's integer typecaster is int(): a ValueError, not a Java exception.
    with pytest.raises(ValueError):
        cur.fetchall()
    conn.close()


# -- bad arguments ------------------------------------------------------------------------------

def test_nul_in_the_dsn_is_a_value_error():
    with pytest.raises(ValueError, match='embedded null character'):
        psycopg2.connect('dbname=a\x00b')


def test_bytes_dsn_is_a_type_error():
    with pytest.raises(TypeError, match='argument 1 must be str, not bytes'):
        psycopg2.connect(b'dbname=x')


@pytest.mark.parametrize('dsn, text', [
    ('port=abc', 'invalid integer value "abc" for connection option "port"\n'),
    ('sslmode=bad', 'invalid sslmode value: "bad"\n'),
])
def test_invalid_option_values_are_operational_errors(dsn, text):
    # libpq checks the values when it connects; psycopg2 raises its OperationalError.
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(dsn)
    assert str(info.value) == text
    assert type(info.value) is psycopg2.OperationalError


def test_unknown_option_is_still_a_programming_error():
    with pytest.raises(psycopg2.ProgrammingError, match='invalid dsn: invalid connection option'):
        psycopg2.connect('foo=bar')


def test_unknown_client_encoding_is_refused_at_connect(dsn):
    with pytest.raises(psycopg2.OperationalError, match='invalid value for parameter'):
        psycopg2.connect(dsn, client_encoding='FOOBAR')


def test_nul_in_the_query_ends_it_as_libpq_does(cur):
    cur.execute('SELECT 1\x00; SELECT 2')
    assert cur.fetchall() == [(1,)]
    assert cur.query == b'SELECT 1\x00; SELECT 2'


# -- the environment is read at each connect() --------------------------------------------------

def test_os_environ_is_read_at_connect(dsn, monkeypatch):
    monkeypatch.setenv('PGAPPNAME', 'set-by-the-script')
    conn = psycopg2.connect(dsn)
    try:
        cur = conn.cursor()
        cur.execute('SHOW application_name')
        assert cur.fetchone() == ('set-by-the-script',)
    finally:
        conn.close()


def test_pgpassword_set_by_the_script(monkeypatch):
    user = os.environ.get('PGJVM_TEST_PASSWORD_USER')
    if not user:
        pytest.skip('needs bin/test-postgres (a password user)')
    monkeypatch.delenv('PGPASSWORD', raising=False)
    monkeypatch.setenv('PGPASSFILE', '/nonexistent')
    with pytest.raises(psycopg2.OperationalError, match='password'):
        psycopg2.connect(user=user, sslmode='disable')
    monkeypatch.setenv('PGPASSWORD', os.environ['PGJVM_TEST_PASSWORD_PASSWORD'])
    conn = psycopg2.connect(user=user, sslmode='disable')
    assert conn.info.user == user
    assert 'PGJVM' not in repr(conn) and os.environ['PGPASSWORD'] not in conn.dsn
    conn.close()


# -- signals ---------------------------------------------------------------------------------

class _FromTheHandler(Exception):
    pass


def test_what_a_signal_handler_raises_during_execute_reaches_the_caller(cur):
    # A handler runs wherever the main thread is, inside our calls too; what it raises must come
    # out as itself (SystemExit, KeyboardInterrupt, ...), never as an InterfaceError naming a Java
    # exception. Raising only while armed keeps it out of the loop's own bookkeeping.
    import signal
    import threading
    armed = [False]

    def handler(signum, frame):
        if armed[0]:
            armed[0] = False
            raise _FromTheHandler()

    stop = threading.Event()

    def sender():
        while not stop.is_set():
            os.kill(os.getpid(), signal.SIGUSR1)
            time.sleep(0.002)

    previous = signal.signal(signal.SIGUSR1, handler)
    thread = threading.Thread(target=sender, daemon=True)
    raised = executed = 0
    deadline = time.monotonic() + 20.0
    try:
        thread.start()
        while raised < 100 and time.monotonic() < deadline:
            try:
                armed[0] = True
                cur.execute('SELECT %s', ('x' * 200,))
                armed[0] = False
                executed += 1
            except _FromTheHandler:
                raised += 1
    finally:
        stop.set()
        thread.join()
        signal.signal(signal.SIGUSR1, previous)
    assert raised >= 100, (raised, executed)
    cur.execute('SELECT 1')
    assert cur.fetchone() == (1,)


# -- COPY, a notification between queries, authentication, ParameterStatus ----------------------

def _copy_in_response():
    return message(b'G', struct.pack('!bhh', 0, 1, 0))


def _copy_out_response():
    return message(b'H', struct.pack('!bhh', 0, 1, 0))


def _copy_data(data):
    return message(b'd', data)


def _read_copy_data(peer):
    """The client's CopyData up to its CopyDone (or CopyFail): their bytes."""
    data = b''
    while True:
        kind, payload = peer.read_message()
        if kind in (b'c', b'f'):
            return data
        assert kind == b'd', kind
        data += payload


def _answer_queries_ignoring_copy(peer):
    """As a server whose COPY failed: CopyData and CopyDone dropped, queries answered."""
    while True:
        try:
            kind, _ = peer.read_message()
        except (EOFError, OSError):
            return
        if kind == b'X':
            return
        if kind == b'Q':
            peer.send(ONE_COLUMN + data_row('1') + command_complete('SELECT 1') + ready())


def _still_usable(conn):
    cur = conn.cursor()
    cur.execute('SELECT 1')
    assert cur.fetchall() == [('1',)]


COPY_ROWS = 'a\nb\n' * 3


def test_copy_in_server_hangs_up_after_the_data(fake_server):
    received = []

    def script(peer):
        peer.handshake()
        peer.read_query()
        peer.send(_copy_in_response())
        received.append(_read_copy_data(peer))
        # and hangs up without a verdict

    conn = psycopg2.connect(fake_server(script).dsn())
    conn.autocommit = True
    cur = conn.cursor()
    with pytest.raises(psycopg2.OperationalError) as info:
        cur.copy_expert('COPY t FROM STDIN', io.StringIO(COPY_ROWS))
    assert type(info.value) is psycopg2.OperationalError
    assert str(info.value) == LOST
    assert received == [COPY_ROWS.encode()]
    assert conn.closed == 2
    conn.close()


def test_copy_in_refused_by_the_server_at_once(fake_server):
    def script(peer):
        peer.handshake()
        peer.read_query()
        peer.send(_copy_in_response() + error_response('22P04', 'bad copy data') + ready())
        _answer_queries_ignoring_copy(peer)

    conn = psycopg2.connect(fake_server(script).dsn())
    conn.autocommit = True
    cur = conn.cursor()
    with pytest.raises(psycopg2.errors.BadCopyFileFormat) as info:
        cur.copy_expert('COPY t FROM STDIN', io.StringIO(COPY_ROWS))
    assert str(info.value) == 'bad copy data\n'
    assert conn.closed == 0
    _still_usable(conn)
    conn.close()


# What psycopg2 2.9.13 raises when the session breaks during COPY TO: PQgetCopyData says -2,
# and psycopg2 reports the status of the COPY's result, which has no message.
COPY_OUT_BROKEN = 'error with status PGRES_COPY_OUT and no message from the libpq'

COPY_OUT_FAULTS = {
    'hang-up mid-stream': _copy_data(b'a\n'),
    'truncated then closed': _copy_data(b'a\n') + _copy_data(b'bcdef\n')[:-3],
    'absurd length': _copy_data(b'a\n') + b'd' + struct.pack('!I', 0x7fffffff) + b'xx',
    'negative length': _copy_data(b'a\n') + b'd' + struct.pack('!i', -3) + b'xx',
}


@pytest.mark.parametrize('fault', list(COPY_OUT_FAULTS))
def test_copy_out_broken_off(fake_server, fault):
    def script(peer):
        peer.handshake()
        peer.read_query()
        peer.send(_copy_out_response() + COPY_OUT_FAULTS[fault])
        if fault.endswith('length'):
            peer.wait_for_close()

    conn = psycopg2.connect(fake_server(script).dsn())
    conn.autocommit = True
    cur = conn.cursor()
    out = io.StringIO()
    with pytest.raises(psycopg2.DatabaseError) as info:
        cur.copy_expert('COPY t TO STDOUT', out)
    assert type(info.value) is psycopg2.DatabaseError
    assert str(info.value) == COPY_OUT_BROKEN
    assert out.getvalue() == 'a\n'          # what came whole is written
    assert conn.closed == 2
    with pytest.raises(psycopg2.InterfaceError):
        cur.execute('SELECT 1')
    conn.close()


def test_copy_out_error_mid_stream_keeps_the_session(fake_server):
    def script(peer):
        peer.handshake()
        peer.read_query()
        peer.send(_copy_out_response() + _copy_data(b'a\n')
                  + error_response('57014', 'canceling statement due to user request') + ready())
        _answer_queries_ignoring_copy(peer)

    conn = psycopg2.connect(fake_server(script).dsn())
    conn.autocommit = True
    cur = conn.cursor()
    with pytest.raises(psycopg2.errors.QueryCanceled) as info:
        cur.copy_expert('COPY t TO STDOUT', io.StringIO())
    assert str(info.value) == 'canceling statement due to user request\n'
    assert conn.closed == 0
    _still_usable(conn)
    conn.close()


def _between_queries(unasked):
    """Answers a first query, sends ``unasked`` while the client is idle, answers the rest."""
    def script(peer):
        peer.handshake()
        peer.read_query()
        peer.send(ONE_COLUMN + data_row('1') + command_complete('SELECT 1') + ready())
        peer.send(unasked)
        peer.answer_queries(
            lambda sql: ONE_COLUMN + data_row('1') + command_complete('SELECT 1') + ready())
    return script


def _notification(payload):
    return message(b'A', struct.pack('!I', 42) + payload)


@pytest.mark.parametrize('unasked, notifies, notices', [
    # Invalid UTF-8 in the channel and the payload: decoded with replacement, as psycopg2 does.
    (_notification(b'ch\xffan\x00p\xfeay\x00'), [(42, 'ch\ufffdan', 'p\ufffday')], []),
    # Bytes after the payload: libpq's complaint about the length is dropped while idle.
    (_notification(b'chan\x00pay\x00junk'), [(42, 'chan', 'pay')], []),
    # A notice whose fields end without their terminator byte: libpq reads what is there.
    (message(b'N', b'SWARNING\x00Mhello\x00'), [], ['WARNING:  hello\n']),
    (message(b'N', b'SWARNING\x00Mhello\x00\x00junk'), [], ['WARNING:  hello\n']),
    (message(b'N', b''), [], ['\n']),
], ids=['invalid utf-8 in a notification', 'notification with trailing bytes',
        'notice without its terminator', 'notice with trailing bytes', 'empty notice'])
def test_odd_messages_between_queries(fake_server, unasked, notifies, notices):
    conn = psycopg2.connect(fake_server(_between_queries(unasked)).dsn())
    conn.autocommit = True
    _still_usable(conn)
    time.sleep(0.2)                 # the unasked message is there before the next query
    _still_usable(conn)
    assert [(n.pid, n.channel, n.payload) for n in conn.notifies] == notifies
    assert conn.notices == notices
    assert conn.closed == 0
    conn.close()


def _authentication(payload):
    def script(peer):
        peer.read_startup()
        peer.send(message(b'R', payload))
        peer.wait_for_close()
    return script


SASL = struct.pack('!I', 10)
BAD_MECHANISMS = ('fe_sendauth: invalid authentication request from server: '
                  'invalid list of authentication mechanisms\n')


@pytest.mark.parametrize('payload, text', [
    (SASL, BAD_MECHANISMS),
    (SASL + b'SCRAM-SHA-256', BAD_MECHANISMS),
    (SASL + b'SCRAM-SHA-256\x00', BAD_MECHANISMS),
    (SASL + b'FOO\x00\x00', "none of the server's SASL authentication mechanisms are supported\n"),
    (struct.pack('!I', 99), 'authentication method 99 not supported\n'),
    (b'\x00\x00', 'received invalid authentication request\n'),
], ids=['SASL without mechanisms', 'SASL mechanism unterminated', 'SASL list unterminated',
        'SASL unknown mechanism', 'unknown method', 'request too short'])
def test_bad_authentication_requests(fake_server, payload, text):
    server = fake_server(_authentication(payload))
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(server.dsn())
    assert type(info.value) is psycopg2.OperationalError
    assert str(info.value) == _failed(server, text)


def _start_up_with(statuses):
    """Trust authentication, then the ParameterStatus messages given (bytes), then ready."""
    def script(peer):
        peer.read_startup()
        peer.send(message(b'R', struct.pack('!I', 0)) + statuses
                  + message(b'K', struct.pack('!II', 4242, 1234)) + ready())
        peer.answer_queries(
            lambda sql: ONE_COLUMN + data_row('1') + command_complete('SELECT 1') + ready())
    return script


def _statuses(**changed):
    settings = dict(STARTUP_PARAMETERS, **changed)
    return b''.join(message(b'S', cstring(k) + cstring(v)) for k, v in settings.items())


NOT_AGREEING = 'message contents do not agree with length in message type "S"\n'


@pytest.mark.parametrize('garbage', [b'garbage', b'garbage\x00', b'a\x00b\x00junk'],
                         ids=['no terminator', 'no value', 'trailing bytes'])
def test_garbled_parameter_status_at_start_up(fake_server, garbage):
    server = fake_server(_start_up_with(_statuses() + message(b'S', garbage)))
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(server.dsn())
    assert str(info.value) == _failed(server, NOT_AGREEING)


def test_client_encoding_without_a_python_codec(fake_server):
    server = fake_server(_start_up_with(_statuses(client_encoding='GARBAGE')))
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(server.dsn())
    assert type(info.value) is psycopg2.OperationalError
    assert str(info.value) == "no Python encoding for PostgreSQL encoding 'GARBAGE'"


def test_parameter_status_values_that_are_not_what_they_say(fake_server):
    # Invalid UTF-8 in a value reads with replacement; a server_version that is no number is 0.
    statuses = _statuses(server_version='garbage') + message(
        b'S', b'application_name\x00\xff\xfe\x00')
    conn = psycopg2.connect(fake_server(_start_up_with(statuses)).dsn())
    assert conn.get_parameter_status('application_name') == '\ufffd\ufffd'
    assert conn.server_version == 0
    assert conn.encoding == 'UTF8'
    assert conn.closed == 0
    conn.autocommit = True
    _still_usable(conn)
    conn.close()


def test_garbage_client_encoding_reported_during_a_query(fake_server):
    # psycopg2 reads the encoding at connect and on set_client_encoding only: the rows of the
    # query still come, and the connection keeps its encoding.
    def script(peer):
        peer.handshake()
        peer.read_query()
        peer.send(ONE_COLUMN + message(b'S', cstring('client_encoding') + cstring('GARBAGE'))
                  + data_row('1') + command_complete('SELECT 1') + ready())
        peer.answer_queries(
            lambda sql: ONE_COLUMN + data_row('1') + command_complete('SELECT 1') + ready())

    conn = psycopg2.connect(fake_server(script).dsn())
    conn.autocommit = True
    _still_usable(conn)
    assert conn.encoding == 'UTF8'
    assert conn.closed == 0
    _still_usable(conn)
    conn.close()
