"""psycopg2.connect(), the DSN helpers and the connection object.

Expected values were taken from psycopg2 2.9.10 (libpq 16) run against the same server. java-core
speaks no SSL yet, so where libpq's SSL would change a message the test connects with
sslmode=disable, which gives libpq's plain-TCP wording.
"""
import os
import threading
import time
import uuid

import pytest

import psycopg2
import psycopg2.errors
import psycopg2.extensions as ext
from psycopg2.extensions import make_dsn, parse_dsn


def env(name):
    value = os.environ.get(name)
    if not value:
        pytest.skip('%s is not set (bin/test-postgres sets it)' % name)
    return value


def one(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone()[0]


@pytest.fixture
def admin(connect):
    """A second connection, in autocommit mode, to look at the first one from outside."""
    conn = connect()
    conn.autocommit = True
    return conn


@pytest.fixture
def table(admin):
    """The name of a real table (not a temporary one: other sessions must see it)."""
    name = 'test_connect_%s' % uuid.uuid4().hex[:12]
    with admin.cursor() as cur:
        cur.execute('CREATE TABLE %s (id int)' % name)
    yield name
    with admin.cursor() as cur:
        cur.execute('DROP TABLE IF EXISTS %s' % name)


# -- connect() arguments ------------------------------------------------------------------------

def test_connect_empty_dsn_uses_environment(connect):
    conn = connect('')
    assert conn.dsn == ''
    assert one(conn, 'SELECT current_database()') == env('PGDATABASE')
    assert one(conn, 'SELECT current_user') == env('PGUSER')


def test_connect_no_arguments():
    conn = psycopg2.connect()
    try:
        assert type(conn) is ext.connection
        assert conn.dsn == ''
        assert one(conn, 'SELECT 1') == 1
    finally:
        conn.close()


def test_connect_dsn_string(connect):
    dsn = 'host=%s port=%s dbname=%s' % (env('PGHOST'), env('PGPORT'), env('PGDATABASE'))
    conn = connect(dsn)
    assert conn.dsn == dsn
    assert one(conn, 'SELECT current_database()') == env('PGDATABASE')


def test_connect_kwargs_build_the_dsn(connect):
    conn = connect(host=env('PGHOST'), port=int(env('PGPORT')), dbname=env('PGDATABASE'),
                   user=env('PGUSER'))
    assert conn.dsn == 'host=%s port=%s dbname=%s user=%s' % (
        env('PGHOST'), env('PGPORT'), env('PGDATABASE'), env('PGUSER'))
    assert one(conn, 'SELECT current_user') == env('PGUSER')


def test_connect_database_alias(connect):
    conn = connect(database=env('PGDATABASE'))
    assert conn.dsn == 'dbname=%s' % env('PGDATABASE')
    assert one(conn, 'SELECT current_database()') == env('PGDATABASE')


def test_connect_kwargs_override_the_dsn(connect):
    conn = connect('dbname=nosuchdb application_name=x', dbname=env('PGDATABASE'))
    assert conn.dsn == 'dbname=%s application_name=x' % env('PGDATABASE')
    assert one(conn, 'SELECT current_setting(%s)', ('application_name',)) == 'x'


def test_connect_database_and_dbname():
    for args in [(), ('dbname=x',)]:
        with pytest.raises(TypeError) as info:
            psycopg2.connect(*args, database='a', dbname='b')
        assert str(info.value) == "you can't specify both 'database' and 'dbname' arguments"


def test_connect_invalid_dsn():
    cases = [
        (('foo=bar',), {}, 'invalid dsn: invalid connection option "foo"\n'),
        ((), {'foo': 'bar'}, 'invalid dsn: invalid connection option "foo"\n'),
        (("dbname='unterminated",), {},
         'invalid dsn: unterminated quoted string in connection info string\n'),
        (('host=x port',), {},
         'invalid dsn: missing "=" after "port" in connection info string\n'),
    ]
    for args, kwargs, message in cases:
        with pytest.raises(psycopg2.ProgrammingError) as info:
            psycopg2.connect(*args, **kwargs)
        assert type(info.value) is psycopg2.ProgrammingError, (args, kwargs)
        assert str(info.value) == message, (args, kwargs)


def test_connect_dsn_not_a_string():
    with pytest.raises(TypeError) as info:
        psycopg2.connect(1)
    assert str(info.value) == 'Expected bytes or unicode string, got int instead'


# -- parse_dsn / make_dsn -----------------------------------------------------------------------

PARSE_DSN_CASES = [
    ('port=1 host=x user=u password=p dbname=d',
     {'user': 'u', 'password': 'p', 'dbname': 'd', 'host': 'x', 'port': '1'}),
    (b'dbname=x', {'dbname': 'x'}),
    ("dbname='a b' user='it\\'s' password='x\\\\y'",
     {'user': "it's", 'password': 'x\\y', 'dbname': 'a b'}),
    ('', {}),
    ('   ', {}),
    ('postgresql://u:p@h:5433/db?connect_timeout=10&application_name=a%20b',
     {'user': 'u', 'password': 'p', 'connect_timeout': '10', 'dbname': 'db', 'host': 'h',
      'port': '5433', 'application_name': 'a b'}),
    ('postgres://%2Ftmp%2Fsock/db', {'dbname': 'db', 'host': '/tmp/sock'}),
    ('postgresql:///db?host=/tmp', {'dbname': 'db', 'host': '/tmp'}),
    ('postgresql://h1:1,h2:2/db', {'dbname': 'db', 'host': 'h1,h2', 'port': '1,2'}),
    ('postgresql://h:notaport/db', {'dbname': 'db', 'host': 'h', 'port': 'notaport'}),
]


def test_parse_dsn():
    for dsn, expected in PARSE_DSN_CASES:
        parsed = parse_dsn(dsn)
        assert type(parsed) is dict, dsn
        assert parsed == expected, dsn
        # libpq's keyword order, which make_dsn() output follows too.
        assert list(parsed) == list(expected), dsn


def test_parse_dsn_invalid():
    cases = [
        ('foo=bar', 'invalid dsn: invalid connection option "foo"\n'),
        ('dbname', 'invalid dsn: missing "=" after "dbname" in connection info string\n'),
        ("dbname='x", 'invalid dsn: unterminated quoted string in connection info string\n'),
        ('postgresql://h/db?foo=bar', 'invalid dsn: invalid URI query parameter: "foo"\n'),
    ]
    for dsn, message in cases:
        with pytest.raises(psycopg2.ProgrammingError) as info:
            parse_dsn(dsn)
        assert str(info.value) == message, dsn
        assert info.value.pgcode is None, dsn


def test_parse_dsn_type_error():
    for value in (1, None):
        with pytest.raises(TypeError) as info:
            parse_dsn(value)
        assert str(info.value) == ('Expected bytes or unicode string, got %s instead'
                                   % type(value).__name__)


MAKE_DSN_CASES = [
    ((), {}, ''),
    ((None,), {}, ''),
    (('',), {}, ''),
    (('dbname=x',), {}, 'dbname=x'),
    (('dbname=x  user=y',), {}, 'dbname=x  user=y'),      # kept as written
    ((), {'dbname': 'x', 'user': 'y'}, 'dbname=x user=y'),
    (('dbname=x',), {'user': 'y'}, 'dbname=x user=y'),
    (('dbname=x user=z',), {'user': 'y'}, 'user=y dbname=x'),
    ((), {'dbname': 'a b', 'password': "it's", 'user': 'back\\slash', 'host': ''},
     "dbname='a b' password=it\\'s user=back\\\\slash host=''"),
    ((), {'dbname': 'tab\there'}, "dbname='tab\there'"),
    ((), {'database': 'x'}, 'dbname=x'),
    (('postgresql://u@h/db',), {'password': 'p'}, 'user=u dbname=db host=h password=p'),
    (('',), {'port': 5432}, 'port=5432'),
    ((), {'port': 5432, 'host': None}, 'port=5432'),
]


def test_make_dsn():
    for args, kwargs, expected in MAKE_DSN_CASES:
        dsn = make_dsn(*args, **kwargs)
        assert type(dsn) is str, (args, kwargs)
        assert dsn == expected, (args, kwargs)


def test_make_dsn_round_trip():
    values = {'dbname': "a 'b' \\c", 'user': 'x'}
    assert parse_dsn(make_dsn(**values)) == values


def test_make_dsn_errors():
    cases = [
        (('foo=bar',), {}, psycopg2.ProgrammingError,
         'invalid dsn: invalid connection option "foo"\n'),
        ((), {'foo': 'bar'}, psycopg2.ProgrammingError,
         'invalid dsn: invalid connection option "foo"\n'),
        ((), {'database': 'x', 'dbname': 'y'}, TypeError,
         "you can't specify both 'database' and 'dbname' arguments"),
    ]
    for args, kwargs, exc, message in cases:
        with pytest.raises(exc) as info:
            make_dsn(*args, **kwargs)
        assert str(info.value) == message, (args, kwargs)


# -- passwords and connection.dsn ---------------------------------------------------------------

AUTH_USERS = ['MD5', 'SCRAM', 'PASSWORD']


def auth_user(kind):
    return env('PGJVM_TEST_%s_USER' % kind), env('PGJVM_TEST_%s_PASSWORD' % kind)


@pytest.mark.parametrize('kind', AUTH_USERS)
def test_password_authentication(connect, monkeypatch, kind):
    user, password = auth_user(kind)
    host, port = env('PGHOST'), env('PGPORT')
    conn = connect(host=host, user=user, password=password)
    assert one(conn, 'SELECT current_user') == user
    # The password is hidden, and the options come out in libpq's keyword order.
    assert conn.dsn == 'user=%s password=xxx host=%s' % (user, host)

    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host=host, user=user, password='wrong', sslmode='disable')
    error = info.value
    assert type(error) is psycopg2.OperationalError
    assert str(error) == (
        'connection to server at "%s", port %s failed: FATAL:  password authentication failed'
        ' for user "%s"\n' % (host, port, user))
    assert error.pgcode is None
    assert error.pgerror is None

    # libpq retries without SSL under sslmode=prefer, and may report both attempts.
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host=host, user=user, password='wrong')
    assert 'password authentication failed for user "%s"' % user in str(info.value)

    monkeypatch.delenv('PGPASSWORD', raising=False)
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host=host, user=user)
    assert str(info.value) == (
        'connection to server at "%s", port %s failed: fe_sendauth: no password supplied\n'
        % (host, port))


def test_default_sslmode_uses_ssl(conn):
    assert one(conn, 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()') is True


HIDDEN_PASSWORD_CASES = [
    ('password=secret dbname={db}', 'password=xxx dbname={db}'),
    ("dbname={db} password='a b'", 'password=xxx dbname={db}'),
    ('dbname={db}  user={user}', 'dbname={db}  user={user}'),         # no password: as written
    ("dbname={db} password=''", 'password=xxx dbname={db}'),
    ('postgresql://{user}:secret@{host}:{port}/{db}',
     'user={user} password=xxx dbname={db} host={host} port={port}'),
]


def test_dsn_attribute_hides_password(connect):
    # The test user is trusted, so any password will do.
    names = {'db': env('PGDATABASE'), 'user': env('PGUSER'), 'host': env('PGHOST'),
             'port': env('PGPORT')}
    for dsn, expected in HIDDEN_PASSWORD_CASES:
        conn = connect(dsn.format(**names))
        assert conn.dsn == expected.format(**names), dsn
        conn.close()


def test_dsn_attribute_hides_password_kwargs(connect):
    conn = connect(dbname=env('PGDATABASE'), password='secret', user=env('PGUSER'))
    assert conn.dsn == 'user=%s password=xxx dbname=%s' % (env('PGUSER'), env('PGDATABASE'))


# -- connection failures ------------------------------------------------------------------------

def test_connect_refused():
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host='127.0.0.1', port=1)
    error = info.value
    assert type(error) is psycopg2.OperationalError
    assert str(error) == (
        'connection to server at "127.0.0.1", port 1 failed: Connection refused\n'
        '\tIs the server running on that host and accepting TCP/IP connections?\n')
    assert 'Connection refused' in str(error)
    assert 'Is the server running' in str(error)
    assert error.pgcode is None and error.pgerror is None


def test_connect_no_socket():
    directory = env('PGJVM_TEST_SOCKET_DIR') + '-missing'
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host=directory)
    assert str(info.value) == (
        'connection to server on socket "%s/.s.PGSQL.%s" failed: No such file or directory\n'
        '\tIs the server running locally and accepting connections on that socket?\n'
        % (directory, env('PGPORT')))


def test_connect_rejected_by_server():
    cases = [
        ({'dbname': 'nosuchdb'}, 'FATAL:  database "nosuchdb" does not exist\n'),
        ({'user': 'nosuchuser'}, 'FATAL:  role "nosuchuser" does not exist\n'),
    ]
    for kwargs, message in cases:
        with pytest.raises(psycopg2.OperationalError) as info:
            psycopg2.connect(host=env('PGHOST'), sslmode='disable', **kwargs)
        assert type(info.value) is psycopg2.OperationalError
        assert str(info.value) == 'connection to server at "%s", port %s failed: %s' % (
            env('PGHOST'), env('PGPORT'), message)
        assert info.value.pgcode is None


def test_unix_socket(connect):
    directory = env('PGJVM_TEST_SOCKET_DIR')
    conn = connect(host=directory)
    assert one(conn, 'SELECT inet_server_addr()') is None     # not over TCP
    assert conn.get_dsn_parameters()['host'] == directory
    assert one(conn, 'SELECT current_database()') == env('PGDATABASE')


# -- information ----------------------------------------------------------------------------

def test_server_information(conn):
    assert type(conn.server_version) is int
    assert conn.server_version == int(one(conn, 'SHOW server_version_num'))
    assert conn.protocol_version == 3
    pid = conn.get_backend_pid()
    assert type(pid) is int
    assert pid == one(conn, 'SELECT pg_backend_pid()')
    assert conn.encoding == 'UTF8'
    assert conn.get_parameter_status('server_version') == one(conn, 'SHOW server_version')
    assert conn.get_parameter_status('client_encoding') == 'UTF8'
    assert conn.get_parameter_status('integer_datetimes') == 'on'
    assert conn.get_parameter_status('nosuchparameter') is None


def test_get_dsn_parameters(connect):
    conn = connect(host=env('PGHOST'), port=env('PGPORT'), dbname=env('PGDATABASE'),
                   user=env('PGUSER'), application_name='probe')
    params = conn.get_dsn_parameters()
    assert type(params) is dict
    assert params['host'] == env('PGHOST')
    assert params['port'] == env('PGPORT')
    assert params['dbname'] == env('PGDATABASE')
    assert params['user'] == env('PGUSER')
    assert params['application_name'] == 'probe'
    assert 'password' not in params


# -- closing ------------------------------------------------------------------------------------

def test_close(dsn):
    conn = psycopg2.connect(dsn)
    assert conn.closed == 0
    conn.close()
    assert conn.closed == 1
    conn.close()                        # idempotent
    assert conn.closed == 1
    assert type(conn.closed) is int


def test_closed_connection_methods(dsn):
    conn = psycopg2.connect(dsn)
    conn.close()
    for method in ['cursor', 'commit', 'rollback', 'get_backend_pid', 'get_dsn_parameters',
                   'cancel', '__enter__']:
        with pytest.raises(psycopg2.InterfaceError) as info:
            getattr(conn, method)()
        assert str(info.value) == 'connection already closed', method


def test_closed_connection_values(dsn):
    conn = psycopg2.connect(dsn)
    conn.close()
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_UNKNOWN == 4
    assert conn.status == ext.STATUS_READY
    assert conn.autocommit is False
    assert conn.encoding == 'UTF8'
    with pytest.raises(psycopg2.InterfaceError):
        conn.get_parameter_status('server_version')


def test_cursor_of_closed_connection(dsn):
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    conn.close()
    assert cur.closed is True
    with pytest.raises(psycopg2.InterfaceError) as info:
        cur.execute('SELECT 1')
    assert str(info.value) == 'cursor already closed'


# -- transactions -------------------------------------------------------------------------------

def test_transaction_status(conn):
    assert conn.status == ext.STATUS_READY == 1
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE == 0
    cur = conn.cursor()
    cur.execute('SELECT 1')
    assert conn.status == ext.STATUS_BEGIN == 2
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INTRANS == 2
    conn.commit()
    assert conn.status == ext.STATUS_READY
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
    cur.execute('SELECT 1')
    conn.rollback()
    assert conn.status == ext.STATUS_READY
    with pytest.raises(psycopg2.errors.DivisionByZero):
        cur.execute('SELECT 1/0')
    assert conn.status == ext.STATUS_BEGIN
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INERROR == 3
    conn.rollback()
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
    conn.commit()                       # nothing to do: no error
    conn.rollback()


def test_commit_and_rollback_are_visible(conn, admin, table):
    cur = conn.cursor()
    cur.execute('INSERT INTO %s VALUES (1)' % table)
    assert one(admin, 'SELECT count(*) FROM %s' % table) == 0
    conn.commit()
    assert one(admin, 'SELECT count(*) FROM %s' % table) == 1
    cur.execute('INSERT INTO %s VALUES (2)' % table)
    conn.rollback()
    assert one(admin, 'SELECT count(*) FROM %s' % table) == 1


def test_with_connection_commits(conn, admin, table):
    with conn as entered:
        assert entered is conn
        conn.cursor().execute('INSERT INTO %s VALUES (1)' % table)
    assert conn.closed == 0
    assert conn.status == ext.STATUS_READY
    assert one(admin, 'SELECT count(*) FROM %s' % table) == 1


def test_with_connection_rolls_back(conn, admin, table):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with conn:
            conn.cursor().execute('INSERT INTO %s VALUES (1)' % table)
            raise Boom
    assert conn.closed == 0
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
    assert one(admin, 'SELECT count(*) FROM %s' % table) == 0
    with conn:                          # reusable
        assert one(conn, 'SELECT 1') == 1


def test_with_connection_not_reentrant(conn):
    with conn:
        with pytest.raises(psycopg2.ProgrammingError) as info:
            with conn:
                pass
        assert str(info.value) == 'the connection cannot be re-entered recursively'


def test_autocommit(conn, admin, table):
    assert conn.autocommit is False
    conn.autocommit = True
    assert conn.autocommit is True
    conn.cursor().execute('INSERT INTO %s VALUES (1)' % table)
    assert conn.status == ext.STATUS_READY
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
    assert one(admin, 'SELECT count(*) FROM %s' % table) == 1
    conn.cursor().execute('BEGIN')        # a transaction the user opens is the user's own
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INTRANS
    assert conn.status == ext.STATUS_READY
    conn.cursor().execute('ROLLBACK')


def test_session_setters_inside_transaction(conn):
    conn.cursor().execute('SELECT 1')
    for attr, value in [('autocommit', True), ('isolation_level', 1), ('readonly', True),
                        ('deferrable', True)]:
        with pytest.raises(psycopg2.ProgrammingError) as info:
            setattr(conn, attr, value)
        # psycopg2 names set_session whichever property was set.
        assert str(info.value) == 'set_session cannot be used inside a transaction', attr
    with pytest.raises(psycopg2.ProgrammingError) as info:
        conn.set_session(readonly=True)
    assert str(info.value) == 'set_session cannot be used inside a transaction'
    assert (conn.autocommit, conn.isolation_level, conn.readonly) == (False, None, None)


# -- session characteristics ------------------------------------------------------------------

def characteristics(conn):
    """What the server applies to a transaction the connection opens, then its defaults."""
    cur = conn.cursor()
    cur.execute("SELECT current_setting('transaction_isolation'),"
                " current_setting('transaction_read_only'),"
                " current_setting('transaction_deferrable'),"
                " current_setting('default_transaction_isolation'),"
                " current_setting('default_transaction_read_only'),"
                " current_setting('default_transaction_deferrable')")
    row = cur.fetchone()
    conn.rollback()
    return row


DEFAULTS = ('read committed', 'off', 'off', 'read committed', 'off', 'off')


def test_set_session_in_transactions(conn):
    assert (conn.isolation_level, conn.readonly, conn.deferrable) == (None, None, None)
    conn.set_session(isolation_level='serializable', readonly=True, deferrable=True)
    assert (conn.isolation_level, conn.readonly, conn.deferrable) == (3, True, True)
    assert characteristics(conn) == ('serializable', 'on', 'on', 'read committed', 'off', 'off')
    conn.set_session(isolation_level=ext.ISOLATION_LEVEL_REPEATABLE_READ, readonly=False)
    assert characteristics(conn) == ('repeatable read', 'off', 'on') + DEFAULTS[3:]
    conn.set_session(isolation_level='default', readonly='default', deferrable='DEFAULT')
    assert (conn.isolation_level, conn.readonly, conn.deferrable) == (None, None, None)
    assert characteristics(conn) == DEFAULTS
    conn.set_session(4)
    assert conn.isolation_level == ext.ISOLATION_LEVEL_READ_UNCOMMITTED
    assert characteristics(conn) == ('read uncommitted',) + DEFAULTS[1:]


def test_properties_in_transactions(conn):
    conn.isolation_level = 'READ COMMITTED'
    assert conn.isolation_level == 1
    conn.isolation_level = ext.ISOLATION_LEVEL_SERIALIZABLE
    conn.readonly = 1
    assert conn.readonly is True
    assert characteristics(conn) == ('serializable', 'on', 'off') + DEFAULTS[3:]
    conn.isolation_level = None
    conn.readonly = 'default'
    assert conn.isolation_level is None and conn.readonly is None
    assert characteristics(conn) == DEFAULTS


def test_set_session_in_autocommit_sets_defaults(conn):
    # With no BEGIN to carry them, psycopg2 sets the session's default_transaction_*.
    conn.autocommit = True
    conn.set_session(readonly=True, isolation_level='serializable', deferrable=True)
    assert characteristics(conn) == ('serializable', 'on', 'on', 'serializable', 'on', 'on')
    conn.set_session(readonly=False)
    assert characteristics(conn) == ('serializable', 'off', 'on', 'serializable', 'off', 'on')
    conn.autocommit = False             # back to BEGIN: the defaults are reset
    assert characteristics(conn) == ('serializable', 'off', 'on') + DEFAULTS[3:]


def test_autocommit_on_does_not_apply_earlier_settings(conn):
    conn.set_session(isolation_level=3, readonly=True)
    conn.autocommit = True
    assert characteristics(conn) == DEFAULTS
    assert (conn.isolation_level, conn.readonly, conn.autocommit) == (3, True, True)


def test_set_isolation_level(conn):
    conn.cursor().execute('SELECT 1')
    conn.set_isolation_level(ext.ISOLATION_LEVEL_AUTOCOMMIT)     # rolls back first
    assert conn.status == ext.STATUS_READY
    assert conn.autocommit is True
    assert conn.isolation_level is None
    conn.cursor().execute('SELECT 1')
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
    conn.set_isolation_level(ext.ISOLATION_LEVEL_SERIALIZABLE)
    assert (conn.autocommit, conn.isolation_level) == (False, 3)
    assert characteristics(conn)[0] == 'serializable'
    conn.set_isolation_level(None)
    assert (conn.autocommit, conn.isolation_level) == (False, None)
    assert characteristics(conn) == DEFAULTS


SESSION_BAD_VALUES = [
    (lambda c: c.set_isolation_level(5), ValueError, 'isolation level must be between 0 and 4'),
    (lambda c: c.set_isolation_level(-1), ValueError,
     'isolation level must be between 0 and 4'),
    (lambda c: setattr(c, 'isolation_level', 0), ValueError,
     'isolation_level must be between 1 and 4'),
    (lambda c: setattr(c, 'isolation_level', 5), ValueError,
     'isolation_level must be between 1 and 4'),
    (lambda c: c.set_session(isolation_level=0), ValueError,
     'isolation_level must be between 1 and 4'),
    (lambda c: setattr(c, 'isolation_level', 'foo'), ValueError,
     "bad value for isolation_level: 'foo'"),
    (lambda c: setattr(c, 'isolation_level', 1.5), TypeError,
     'Expected bytes or unicode string, got float instead'),
    (lambda c: setattr(c, 'readonly', 'foo'), ValueError,
     "the only string accepted is 'default'; got foo"),
    (lambda c: c.set_session(deferrable='yes'), ValueError,
     "the only string accepted is 'default'; got yes"),
]


def test_session_bad_values(conn):
    for call, exc, message in SESSION_BAD_VALUES:
        with pytest.raises(exc) as info:
            call(conn)
        assert type(info.value) is exc, message
        assert str(info.value) == message
    assert (conn.isolation_level, conn.readonly, conn.deferrable) == (None, None, None)


# -- notices and notifications ----------------------------------------------------------------

def test_notices(conn):
    assert conn.notices == []
    cur = conn.cursor()
    cur.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful'; END $$")
    assert conn.notices == ['NOTICE:  hello 42\n', 'WARNING:  careful\n']
    assert all(type(n) is str for n in conn.notices)
    cur.execute("SET client_min_messages TO warning")
    cur.execute("DO $$ BEGIN RAISE NOTICE 'hidden'; END $$")
    assert len(conn.notices) == 2


def test_notices_kept_up_to_50(conn):
    cur = conn.cursor()
    cur.execute("DO $$ BEGIN FOR i IN 1..60 LOOP RAISE NOTICE 'n%', i; END LOOP; END $$")
    assert len(conn.notices) == 50
    assert conn.notices[0] == 'NOTICE:  n11\n'
    assert conn.notices[-1] == 'NOTICE:  n60\n'


def test_notices_of_failed_statement(conn):
    cur = conn.cursor()
    with pytest.raises(psycopg2.errors.RaiseException):
        cur.execute("DO $$ BEGIN RAISE NOTICE 'before'; RAISE EXCEPTION 'boom'; END $$")
    assert conn.notices == ['NOTICE:  before\n']


def test_notify_same_connection(conn):
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute('LISTEN test_chan')
    cur.execute("NOTIFY test_chan, 'the payload'")
    pid = conn.get_backend_pid()
    assert len(conn.notifies) == 1
    notify = conn.notifies[0]
    assert type(notify) is ext.Notify
    assert notify == (pid, 'test_chan')
    assert (notify.pid, notify.channel, notify.payload) == (pid, 'test_chan', 'the payload')
    assert notify[0] == pid and notify[1] == 'test_chan' and len(notify) == 2
    assert notify == ext.Notify(pid, 'test_chan', 'the payload')
    assert notify != ext.Notify(pid, 'test_chan', 'other')
    assert repr(notify) == "Notify(%d, 'test_chan', 'the payload')" % pid


def test_notify_from_other_connection(conn, admin):
    conn.autocommit = True
    conn.cursor().execute('LISTEN other_chan')
    admin.cursor().execute("NOTIFY other_chan")
    admin.cursor().execute("SELECT pg_notify('other_chan', 'second')")
    assert conn.notifies == []          # nothing read yet
    conn.cursor().execute('SELECT 1')   # any statement delivers what arrived meanwhile
    pid = admin.get_backend_pid()
    assert [(n.pid, n.channel, n.payload) for n in conn.notifies] == [
        (pid, 'other_chan', ''), (pid, 'other_chan', 'second')]


def test_notify_in_transaction_waits_for_commit(conn, admin):
    admin.cursor().execute('LISTEN tx_chan')
    conn.cursor().execute("NOTIFY tx_chan, 'x'")
    admin.cursor().execute('SELECT 1')
    assert admin.notifies == []
    conn.commit()
    admin.cursor().execute('SELECT 1')
    assert admin.notifies == [(conn.get_backend_pid(), 'tx_chan')]


# -- cancel and a lost connection -----------------------------------------------------------

def wait_until_active(admin, pid, timeout=10.0):
    """Poll from `admin` until backend `pid` is running a statement (bounded)."""
    deadline = time.monotonic() + timeout
    cur = admin.cursor()
    while time.monotonic() < deadline:
        cur.execute("SELECT state FROM pg_stat_activity WHERE pid = %s"
                    " AND query LIKE %s", (pid, '%pg_sleep%'))
        row = cur.fetchone()
        if row is not None and row[0] == 'active':
            return True
        time.sleep(0.02)
    return False


def test_cancel(conn, admin):
    cur = conn.cursor()
    pid = conn.get_backend_pid()
    result = {}

    def canceller():
        result['active'] = wait_until_active(admin, pid)
        conn.cancel()

    thread = threading.Thread(target=canceller)
    thread.start()
    started = time.monotonic()
    try:
        with pytest.raises(ext.QueryCanceledError) as info:
            cur.execute('SELECT pg_sleep(10)')
    finally:
        thread.join(15)
    assert result['active'] is True
    assert time.monotonic() - started < 8
    error = info.value
    assert type(error) is psycopg2.errors.QueryCanceled
    assert isinstance(error, psycopg2.OperationalError)
    assert error.pgcode == '57014'
    assert str(error) == 'canceling statement due to user request\n'
    assert error.pgerror == 'ERROR:  canceling statement due to user request\n'
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INERROR
    conn.rollback()
    assert one(conn, 'SELECT 1') == 1   # the connection is still good


def test_cancel_when_idle(conn):
    conn.cancel()                       # nothing running: harmless
    assert one(conn, 'SELECT 2') == 2


def terminate(admin, conn):
    admin.cursor().execute('SELECT pg_terminate_backend(%s)', (conn.get_backend_pid(),))
    # pg_terminate_backend only signals: wait until the backend is gone (bounded).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if one(admin, 'SELECT count(*) FROM pg_stat_activity WHERE pid = %s',
               (conn.get_backend_pid(),)) == 0:
            return
        time.sleep(0.02)


LOST = ('server closed the connection unexpectedly\n'
        '\tThis probably means the server terminated abnormally\n'
        '\tbefore or while processing the request.\n')


def test_terminated_backend(connect, admin):
    conn = connect(sslmode='disable')
    cur = conn.cursor()
    cur.execute('SELECT 1')
    terminate(admin, conn)
    with pytest.raises(psycopg2.OperationalError) as info:
        cur.execute('SELECT 1')
    assert isinstance(info.value, psycopg2.OperationalError)
    assert 'server closed the connection unexpectedly' in str(info.value)
    assert info.value.pgcode is None
    assert conn.closed == 2
    assert conn.status == ext.STATUS_BEGIN           # left as it was
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_UNKNOWN
    with pytest.raises(psycopg2.InterfaceError) as info:
        cur.execute('SELECT 1')
    assert str(info.value) == 'cursor already closed'
    for method in (conn.rollback, conn.commit, conn.cursor):
        with pytest.raises(psycopg2.InterfaceError) as info:
            method()
        assert str(info.value) == 'connection already closed'
    conn.close()
    assert conn.closed == 1


def test_terminated_backend_message(connect, admin):
    conn = connect(sslmode='disable')
    conn.autocommit = True
    terminate(admin, conn)
    with pytest.raises(psycopg2.OperationalError) as info:
        conn.cursor().execute('SELECT 1')
    assert str(info.value) == LOST
    assert info.value.pgerror == LOST
    assert conn.closed == 2
    assert conn.status == ext.STATUS_READY


# -- factories ------------------------------------------------------------------------------

class MyCursor(ext.cursor):
    def execute(self, query, vars=None):
        self.seen = query
        return super().execute(query, vars)


class MyConnection(ext.connection):
    def cursor(self, *args, **kwargs):
        kwargs.setdefault('cursor_factory', MyCursor)
        return super().cursor(*args, **kwargs)


def test_connection_factory(dsn):
    conn = psycopg2.connect(dsn, connection_factory=MyConnection)
    try:
        assert type(conn) is MyConnection
        assert isinstance(conn, ext.connection)
        cur = conn.cursor()
        assert type(cur) is MyCursor
        cur.execute('SELECT 5')
        assert cur.seen == 'SELECT 5'
        assert cur.fetchone() == (5,)
    finally:
        conn.close()


def test_cursor_factory_on_connect(connect):
    conn = connect(cursor_factory=MyCursor)
    assert conn.cursor_factory is MyCursor
    cur = conn.cursor()
    assert type(cur) is MyCursor
    assert cur.connection is conn
    assert type(conn.cursor(cursor_factory=ext.cursor)) is ext.cursor


def test_cursor_factory_attribute(conn):
    assert conn.cursor_factory is None
    conn.cursor_factory = MyCursor
    assert type(conn.cursor()) is MyCursor
    conn.cursor_factory = None
    assert type(conn.cursor()) is ext.cursor


# -- more of psycopg2's surface ---------------------------------------------------------------

def test_exceptions_are_connection_attributes(conn):
    for name in ('Warning', 'Error', 'InterfaceError', 'DatabaseError', 'DataError',
                 'OperationalError', 'IntegrityError', 'InternalError', 'ProgrammingError',
                 'NotSupportedError'):
        assert getattr(conn, name) is getattr(psycopg2, name)


def test_native_connection_is_java_cores(conn):
    native = conn.get_native_connection()
    assert native.getClass().getName() == 'dev.pgjvm.core.PgConnection'
    assert native.backendPid() == conn.info.backend_pid


def test_sqlstate_errors_drive_the_exception_class(conn):
    from psycopg2._psycopg import sqlstate_errors
    assert sqlstate_errors['42P01'] is psycopg2.errors.UndefinedTable
    saved = sqlstate_errors.pop('42P01')
    try:
        with pytest.raises(psycopg2.ProgrammingError) as info:
            conn.cursor().execute('SELECT * FROM no_such_table_here')
        assert type(info.value) is psycopg2.ProgrammingError, 'the DB-API class as fallback'
    finally:
        sqlstate_errors['42P01'] = saved
