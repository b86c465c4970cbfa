"""Several hosts as libpq tries them: target_session_attrs against a real hot standby (started
on demand by `bin/test-postgres standby`), load_balance_hosts, connection service files and the
keepalive options."""
import os
import select
import subprocess

import pytest

import psycopg2
import psycopg2.extensions as ext

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


@pytest.fixture(scope='module')
def ports():
    """(primary port, standby port): the test cluster and its hot standby."""
    if not os.environ.get('PGJVM_TEST_PG_BINDIR'):
        pytest.skip('needs the cluster of bin/test-postgres')
    out = subprocess.run([os.path.join(ROOT, 'bin', 'test-postgres'), 'standby'],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    standby = out.stdout.strip().split('=', 1)[1].strip("'")
    return os.environ['PGPORT'], standby


def _server(ports, **kwargs):
    """Which server a connection to both reached: 'primary' or 'standby'."""
    conn = psycopg2.connect(host='127.0.0.1,127.0.0.1', **kwargs)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_is_in_recovery(), current_setting('port')")
            standby, port = cur.fetchone()
        assert port == (ports[1] if standby else ports[0])
        return 'standby' if standby else 'primary'
    finally:
        conn.close()


@pytest.mark.parametrize('attrs, wanted', [
    ('read-write', 'primary'), ('primary', 'primary'),
    ('read-only', 'standby'), ('standby', 'standby'), ('prefer-standby', 'standby')])
def test_target_session_attrs_picks_the_server(ports, attrs, wanted):
    primary, standby = ports
    for order in ((primary, standby), (standby, primary)):
        assert _server(ports, port=','.join(order), target_session_attrs=attrs) == wanted


def test_any_takes_the_first_that_answers(ports):
    primary, standby = ports
    assert _server(ports, port='%s,%s' % (standby, primary)) == 'standby'
    assert _server(ports, port='%s,%s' % (primary, standby), target_session_attrs='any') == 'primary'


def test_prefer_standby_takes_a_primary_on_its_second_pass(ports):
    primary = ports[0]
    assert _server(ports, port='%s,%s' % (primary, primary),
                   target_session_attrs='prefer-standby') == 'primary'


def test_no_server_of_the_kind_wanted(ports):
    primary, standby = ports
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host='127.0.0.1,127.0.0.1', port='%s,%s' % (primary, primary),
                         target_session_attrs='standby')
    paragraph = ('connection to server at "127.0.0.1", port %s failed: '
                 'server is not in hot standby mode\n' % primary)
    assert str(info.value) == paragraph * 2
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host='127.0.0.1', port=standby, target_session_attrs='read-write')
    assert str(info.value).endswith('failed: session is read-only\n')


def test_target_session_attrs_without_blocking(ports):
    primary, standby = ports
    conn = psycopg2.connect(host='127.0.0.1,127.0.0.1', port='%s,%s' % (primary, standby),
                            target_session_attrs='standby', async_=1)
    while True:
        state = conn.poll()
        if state == ext.POLL_OK:
            break
        select.select([conn] if state == ext.POLL_READ else [],
                      [conn] if state == ext.POLL_WRITE else [], [], 10)
    assert conn.get_parameter_status('in_hot_standby') == 'on'
    conn.close()


def test_load_balance_hosts_random_spreads_connections(ports):
    seen = {_server(ports, port='%s,%s' % ports, load_balance_hosts='random') for _ in range(24)}
    assert seen == {'primary', 'standby'}
    # disable (the default): always the first.
    assert {_server(ports, port='%s,%s' % ports) for _ in range(4)} == {'primary'}


# -- service files ----------------------------------------------------------------------------

def _service_file(path, port):
    path.write_text('# a comment\n\n[pgjvm_svc]\nhost=127.0.0.1\nport=%s\ndbname=postgres\n'
                    'application_name=from service\n\n[broken]\nhost\n\n[nested]\nservice=x\n'
                    % port)
    return str(path)


def test_services(tmp_path, monkeypatch):
    port = os.environ['PGPORT']
    services = _service_file(tmp_path / 'services.conf', port)
    monkeypatch.setenv('PGSERVICEFILE', services)
    conn = psycopg2.connect('service=pgjvm_svc')
    assert (conn.info.dbname, conn.get_parameter_status('application_name')) == (
        'postgres', 'from service')
    conn.close()
    # What the DSN says wins over the service; the service over the environment.
    monkeypatch.setenv('PGDATABASE', 'template1')
    conn = psycopg2.connect('service=pgjvm_svc application_name=mine')
    assert (conn.info.dbname, conn.get_parameter_status('application_name')) == (
        'postgres', 'mine')
    conn.close()
    monkeypatch.setenv('PGSERVICE', 'pgjvm_svc')
    conn = psycopg2.connect('')
    assert conn.info.dbname == 'postgres'
    conn.close()
    monkeypatch.delenv('PGSERVICE')
    for dsn, message in (
            ('service=nope', 'definition of service "nope" not found\n'),
            ('service=broken', 'syntax error in service file "%s", line 10\n' % services),
            ('service=nested', 'nested service specifications not supported in service file '
                               '"%s", line 13\n' % services)):
        with pytest.raises(psycopg2.OperationalError) as info:
            psycopg2.connect(dsn)
        assert str(info.value) == message
    monkeypatch.setenv('PGSERVICEFILE', str(tmp_path / 'none.conf'))
    with pytest.raises(psycopg2.OperationalError,
                       match='service file ".*none.conf" not found'):
        psycopg2.connect('service=pgjvm_svc')


def test_services_in_the_home_and_system_files(tmp_path, monkeypatch):
    port = os.environ['PGPORT']
    home, sysconf = tmp_path / 'home', tmp_path / 'etc'
    home.mkdir()
    sysconf.mkdir()
    monkeypatch.delenv('PGSERVICEFILE', raising=False)
    monkeypatch.setenv('HOME', str(home))
    monkeypatch.setenv('PGSYSCONFDIR', str(sysconf))
    _service_file(sysconf / 'pg_service.conf', port)
    conn = psycopg2.connect('service=pgjvm_svc')
    assert conn.get_parameter_status('application_name') == 'from service'
    conn.close()
    # The user's file comes first.
    (home / '.pg_service.conf').write_text(
        '[pgjvm_svc]\nhost=127.0.0.1\nport=%s\napplication_name=from home\n' % port)
    conn = psycopg2.connect('service=pgjvm_svc')
    assert conn.get_parameter_status('application_name') == 'from home'
    conn.close()


# -- keepalives -------------------------------------------------------------------------------

def test_keepalive_options(dsn):
    conn = psycopg2.connect(dsn, host='127.0.0.1', keepalives=1, keepalives_idle=30,
                            keepalives_interval=5, keepalives_count=3)
    conn.close()
    psycopg2.connect(dsn, host='127.0.0.1', keepalives=0).close()
    with pytest.raises(psycopg2.OperationalError,
                       match='invalid integer value "soon" for connection option '
                             '"keepalives_idle"'):
        psycopg2.connect(dsn, host='127.0.0.1', keepalives_idle='soon')


# -- requirepeer --------------------------------------------------------------------------------

def test_requirepeer_on_a_unix_socket():
    socket_dir = os.environ.get('PGJVM_TEST_SOCKET_DIR')
    if not socket_dir:
        pytest.skip('needs the cluster of bin/test-postgres')
    import pwd
    # The server's operating-system user: the owner of its socket.
    owner = pwd.getpwuid(os.stat(os.path.join(socket_dir, '.s.PGSQL.' + os.environ['PGPORT'])).st_uid).pw_name
    psycopg2.connect(host=socket_dir, requirepeer=owner).close()
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host=socket_dir, requirepeer='pgjvm_nobody')
    assert str(info.value).endswith(
        'failed: requirepeer specifies "pgjvm_nobody", but actual peer user name is "%s"\n' % owner)
    # Over TCP there is no peer to ask: not checked.
    psycopg2.connect(host='127.0.0.1', requirepeer='pgjvm_nobody').close()


def test_gssencmode():
    # prefer, the default, goes on without GSS encryption (there are no Kerberos credentials).
    conn = psycopg2.connect(host='127.0.0.1')
    assert conn.info.dsn_parameters['gssencmode'] == 'prefer'
    conn.close()
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host='127.0.0.1', gssencmode='require')
    assert str(info.value).endswith('failed: GSSAPI encryption required but no credential cache\n')
    socket_dir = os.environ.get('PGJVM_TEST_SOCKET_DIR')
    if socket_dir:
        with pytest.raises(psycopg2.OperationalError) as info:
            psycopg2.connect(host=socket_dir, gssencmode='require')
        assert str(info.value).endswith(
            'failed: GSSAPI encryption required but it is not supported over a local socket\n')
