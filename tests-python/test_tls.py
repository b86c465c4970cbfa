"""TLS as libpq makes it, against the test cluster (ssl=on, its own CA, a server certificate
for localhost and 127.0.0.1, a user let in by client certificate over TLS only and one let in
without TLS only; see bin/test-postgres), and a scripted server that has no TLS."""
import io
import os
import select
import shutil
import subprocess

import pytest

import psycopg2
import psycopg2.extensions as ext
import psycopg2.extras as extras

ENV = os.environ
ROOT = ENV.get('PGJVM_TEST_SSL_ROOTCERT')
pytestmark = pytest.mark.skipif(not ENV.get('PGJVM_TEST_SSL_CLIENT_CERT'),
                                reason='needs bin/test-postgres (its certificates)')


def _tcp(**kwargs):
    """A TCP connection to the test server by its name, with our CA as the root."""
    kwargs.setdefault('host', 'localhost')
    kwargs.setdefault('sslrootcert', ROOT)
    return psycopg2.connect(**kwargs)


def _server_says_ssl(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        return cur.fetchone()


def _failure(**kwargs):
    with pytest.raises(psycopg2.OperationalError) as info:
        _tcp(**kwargs)
    return str(info.value)


def _client_cert(key='PGJVM_TEST_SSL_CLIENT_KEY', **extra):
    return dict(user=ENV['PGJVM_TEST_CERT_USER'], sslcert=ENV['PGJVM_TEST_SSL_CLIENT_CERT'],
                sslkey=ENV[key], **extra)


# -- sslmode against a server with TLS --------------------------------------------------------

@pytest.mark.parametrize('mode, encrypted', [
    ('disable', False), ('allow', False), ('prefer', True), ('require', True),
    ('verify-ca', True), ('verify-full', True)])
def test_each_sslmode_against_a_tls_server(mode, encrypted):
    conn = _tcp(sslmode=mode)
    try:
        ssl, version = _server_says_ssl(conn)
        assert ssl is encrypted and conn.info.ssl_in_use is encrypted
        if encrypted:
            assert conn.info.ssl_attribute('protocol') == version
    finally:
        conn.close()


def test_the_attributes_of_a_tls_connection():
    conn = _tcp(sslmode='require', ssl_max_protocol_version='TLSv1.2')
    info = conn.info
    assert [info.ssl_attribute(n) for n in info.ssl_attribute_names] == [
        'OpenSSL', '256', 'ECDHE-RSA-AES256-GCM-SHA384', 'off', 'TLSv1.2', '']
    assert info.ssl_attribute('wat') is None
    with conn.cursor() as cur:
        cur.execute("SELECT cipher, bits FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        assert cur.fetchone() == ('ECDHE-RSA-AES256-GCM-SHA384', 256)
    conn.close()
    assert info.ssl_in_use is False and info.ssl_attribute('library') == 'OpenSSL'
    assert info.ssl_attribute('protocol') is None


def test_the_protocol_range_is_checked():
    assert 'invalid SSL protocol version range' in _failure(
        sslmode='require', ssl_min_protocol_version='TLSv1.3', ssl_max_protocol_version='TLSv1.2')
    assert 'invalid "ssl_min_protocol_version" value: "TLSv9"' in _failure(
        sslmode='require', ssl_min_protocol_version='TLSv9')
    conn = _tcp(sslmode='require', ssl_min_protocol_version='TLSv1.3')
    assert conn.info.ssl_attribute('protocol') == 'TLSv1.3'
    conn.close()


# -- what the certificate is checked against --------------------------------------------------

def test_verify_full_checks_the_host_name():
    for host in ('localhost', '127.0.0.1'):           # the SAN's DNS name, and its IP address
        _tcp(host=host, sslmode='verify-full').close()
    message = _failure(host='wrong.example', hostaddr='127.0.0.1', sslmode='verify-full')
    assert message.endswith('failed: server certificate for "localhost" (and 1 other name) '
                            'does not match host name "wrong.example"\n')
    # verify-ca checks the chain only.
    _tcp(host='wrong.example', hostaddr='127.0.0.1', sslmode='verify-ca').close()


def test_verifying_needs_root_certificates(tmp_path):
    message = _failure(sslmode='verify-ca', sslrootcert=str(tmp_path / 'none.crt'))
    assert ('root certificate file "%s" does not exist\nEither provide the file, use the '
            "system's trusted roots with sslrootcert=system, or change sslmode to disable "
            'server certificate verification.\n' % (tmp_path / 'none.crt')) in message
    # The JVM's trust store does not know our CA.
    assert 'SSL error: certificate verify failed' in _failure(sslmode='verify-full',
                                                              sslrootcert='system')
    assert 'weak sslmode "require" may not be used with sslrootcert=system (use "verify-full")' \
        in _failure(sslmode='require', sslrootcert='system')


def test_the_default_files_in_the_home_directory(tmp_path, monkeypatch):
    home = tmp_path / 'home'
    (home / '.postgresql').mkdir(parents=True)
    monkeypatch.setenv('HOME', str(home))
    # A root.crt that is not the server's CA makes even sslmode=require check, and fail.
    shutil.copy(ENV['PGJVM_TEST_SSL_CLIENT_CERT'], home / '.postgresql' / 'root.crt')
    assert 'SSL error: certificate verify failed' in _failure(sslmode='require', sslrootcert='')
    shutil.copy(ROOT, home / '.postgresql' / 'root.crt')
    conn = _tcp(sslmode='verify-full', sslrootcert='')
    assert conn.info.ssl_in_use
    conn.close()
    # The client certificate and key by default: postgresql.crt and postgresql.key.
    shutil.copy(ENV['PGJVM_TEST_SSL_CLIENT_CERT'], home / '.postgresql' / 'postgresql.crt')
    shutil.copy(ENV['PGJVM_TEST_SSL_CLIENT_KEY'], home / '.postgresql' / 'postgresql.key')
    os.chmod(home / '.postgresql' / 'postgresql.key', 0o600)
    conn = _tcp(user=ENV['PGJVM_TEST_CERT_USER'], sslmode='verify-full', sslrootcert='')
    assert _server_says_ssl(conn)[0] is True
    conn.close()


def test_revocation_lists(tmp_path):
    empty, revoked = ENV['PGJVM_TEST_SSL_CRL_EMPTY'], ENV['PGJVM_TEST_SSL_CRL_REVOKED']
    _tcp(sslmode='verify-full', sslcrl=empty).close()
    # The server's certificate is revoked: libpq's (OpenSSL's) words.
    assert _failure(sslmode='verify-full', sslcrl=revoked).endswith(
        'failed: SSL error: certificate verify failed\n')
    crldir = tmp_path / 'crls'
    crldir.mkdir()
    shutil.copy(revoked, crldir / 'a.r0')
    (crldir / 'notes.txt').write_text('not a list')
    assert 'certificate verify failed' in _failure(sslmode='verify-ca', sslcrldir=str(crldir))
    # A missing list is no list, as for libpq.
    _tcp(sslmode='verify-full', sslcrl=str(tmp_path / 'none.crl')).close()


# -- client certificates ----------------------------------------------------------------------

def test_client_certificate_logins():
    for key, extra in (('PGJVM_TEST_SSL_CLIENT_KEY', {}),                # PKCS#1, in the clear
                       ('PGJVM_TEST_SSL_CLIENT_KEY_ENC',                 # PKCS#8, encrypted
                        {'sslpassword': ENV['PGJVM_TEST_SSL_CLIENT_KEY_PASSWORD']})):
        conn = _tcp(sslmode='verify-full', **_client_cert(key, **extra))
        with conn.cursor() as cur:
            cur.execute("SELECT current_user, client_dn FROM pg_stat_ssl "
                        "WHERE pid = pg_backend_pid()")
            assert cur.fetchone() == (ENV['PGJVM_TEST_CERT_USER'],
                                      '/CN=' + ENV['PGJVM_TEST_CERT_USER'])
        conn.close()


def test_client_key_failures(tmp_path):
    assert 'could not load private key file "%s": bad decrypt' % ENV[
        'PGJVM_TEST_SSL_CLIENT_KEY_ENC'] in _failure(
        sslmode='require', **_client_cert('PGJVM_TEST_SSL_CLIENT_KEY_ENC', sslpassword='wrong'))
    assert 'certificate present, but not private key file "%s"' % (tmp_path / 'none.key') in \
        _failure(sslmode='require', user=ENV['PGJVM_TEST_CERT_USER'],
                 sslcert=ENV['PGJVM_TEST_SSL_CLIENT_CERT'], sslkey=str(tmp_path / 'none.key'))
    readable = tmp_path / 'readable.key'
    shutil.copy(ENV['PGJVM_TEST_SSL_CLIENT_KEY'], readable)
    os.chmod(readable, 0o644)
    assert 'private key file "%s" has group or world access' % readable in _failure(
        sslmode='require', user=ENV['PGJVM_TEST_CERT_USER'],
        sslcert=ENV['PGJVM_TEST_SSL_CLIENT_CERT'], sslkey=str(readable))
    # Without a certificate the server refuses the user (pg_hba: cert).
    assert 'connection requires a valid client certificate' in _failure(
        sslmode='require', user=ENV['PGJVM_TEST_CERT_USER'], sslcert=str(tmp_path / 'none.crt'))


# -- libpq's second try: allow and prefer -----------------------------------------------------

def _connect_async(**kwargs):
    conn = _tcp(async_=1, **kwargs)
    while True:
        state = conn.poll()
        if state == ext.POLL_OK:
            return conn
        select.select([conn] if state == ext.POLL_READ else [],
                      [conn] if state == ext.POLL_WRITE else [], [], 10)


@pytest.mark.parametrize('connect', [_tcp, _connect_async], ids=['blocking', 'async'])
def test_allow_and_prefer_try_again_with_the_other_choice(connect):
    # allow: plain first, refused for this user without TLS, then with TLS.
    conn = connect(sslmode='allow', **_client_cert())
    assert conn.info.ssl_in_use
    conn.close()
    # prefer: TLS first, refused for this user with TLS, then plain.
    conn = connect(sslmode='prefer', user=ENV['PGJVM_TEST_NOSSL_USER'])
    assert not conn.info.ssl_in_use
    conn.close()
    # require and disable have one try only.
    message = _failure(sslmode='require', user=ENV['PGJVM_TEST_NOSSL_USER'])
    assert message.count('pg_hba.conf rejects connection') == 1 and 'SSL encryption' in message
    message = _failure(sslmode='disable', **_client_cert())
    assert message.count('pg_hba.conf rejects connection') == 1 and 'no encryption' in message


# -- channel binding ------------------------------------------------------------------------

def _scram(**kwargs):
    return dict(user=ENV['PGJVM_TEST_SCRAM_USER'], password=ENV['PGJVM_TEST_SCRAM_PASSWORD'],
                **kwargs)


def test_channel_binding():
    # Over TLS, SCRAM-SHA-256-PLUS binds the exchange to the server's certificate.
    for binding in ('require', 'prefer', 'disable'):
        _tcp(sslmode='require', channel_binding=binding, **_scram()).close()
    assert 'channel binding required, but SSL not in use' in _failure(
        sslmode='disable', channel_binding='require', **_scram())
    # A server that lets the user in without SCRAM cannot prove the channel either.
    assert ('channel binding required, but server authenticated client without channel '
            'binding') in _failure(sslmode='require', channel_binding='require')
    assert 'channel binding required but not supported by server\'s authentication request' \
        in _failure(sslmode='require', channel_binding='require',
                    user=ENV['PGJVM_TEST_MD5_USER'], password=ENV['PGJVM_TEST_MD5_PASSWORD'])


# -- require_auth and sslcertmode ------------------------------------------------------------

def test_require_auth():
    scram = _scram(sslmode='require')
    md5 = dict(user=ENV['PGJVM_TEST_MD5_USER'], password=ENV['PGJVM_TEST_MD5_PASSWORD'])
    _tcp(require_auth='scram-sha-256', **scram).close()
    _tcp(require_auth='md5,password', **md5).close()
    _tcp(require_auth='!password', **scram).close()
    _tcp(require_auth='none').close()                       # trust lets the client in unasked
    for kwargs, failure in (
            (dict(require_auth='md5', **scram), '"md5" failed: server requested SASL authentication'),
            (dict(require_auth='!md5', **md5), '"!md5" failed: server requested a hashed password'),
            (dict(require_auth='scram-sha-256'), '"scram-sha-256" failed: server did not complete '
                                                 'authentication'),
            (dict(require_auth='!none'), '"!none" failed: server did not complete authentication')):
        assert _failure(**kwargs).endswith('failed: authentication method requirement '
                                           + failure + '\n')
    for value, message in (
            ('kerberos', 'invalid require_auth value: "kerberos"\n'),
            ('md5,!password', 'negative require_auth method "!password" cannot be mixed with '
                              'non-negative methods\n'),
            ('!md5,password', 'require_auth method "password" cannot be mixed with negative '
                              'methods\n'),
            ('md5,md5', 'require_auth method "md5" is specified more than once\n')):
        assert _failure(require_auth=value) == message


def test_sslcertmode():
    # The server asks every client for a certificate (it has a CA to check them against).
    _tcp(sslmode='require', sslcertmode='require', **_client_cert()).close()
    assert _failure(sslmode='require', sslcertmode='require').endswith(
        'failed: server accepted connection without a valid SSL certificate\n')
    assert 'connection requires a valid client certificate' in _failure(
        sslmode='require', sslcertmode='disable', **_client_cert())


# -- a server without TLS: the test cluster's standby (ssl=off) --------------------------------

@pytest.fixture(scope='module')
def plain_port():
    out = subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bin',
                                       'test-postgres'), 'standby'],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().split('=', 1)[1].strip("'")


@pytest.mark.parametrize('mode', ['disable', 'allow', 'prefer', 'require', 'verify-ca',
                                  'verify-full'])
def test_each_sslmode_against_a_server_without_tls(plain_port, mode):
    if mode in ('disable', 'allow', 'prefer'):
        conn = _tcp(port=plain_port, sslmode=mode)
        assert conn.info.ssl_in_use is False and _server_says_ssl(conn)[0] is False
        conn.close()
    else:
        assert _failure(port=plain_port, sslmode=mode).endswith(
            'failed: server does not support SSL, but SSL was required\n')


# -- a server without TLS (scripted: it answers SSLRequest with 'N') --------------------------

def _plain_server(peer):
    peer.handshake()
    peer.wait_for_close()


@pytest.mark.parametrize('mode', ['disable', 'allow', 'prefer'])
def test_a_server_without_tls_for_the_modes_that_allow_it(fake_server, mode):
    server = fake_server(_plain_server)
    conn = psycopg2.connect(server.dsn(sslmode=mode))
    assert conn.info.ssl_in_use is False
    conn.close()


@pytest.mark.parametrize('mode', ['require', 'verify-ca', 'verify-full'])
def test_a_server_without_tls_for_the_modes_that_require_it(fake_server, mode):
    server = fake_server(_plain_server)
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(server.dsn(sslmode=mode, sslrootcert=ROOT))
    assert str(info.value).endswith('failed: server does not support SSL, but SSL was required\n')


# -- the session over TLS ---------------------------------------------------------------------

def test_large_results_copy_and_green_mode_over_tls():
    conn = _tcp(sslmode='require')
    cur = conn.cursor()
    cur.execute("SELECT repeat('x', 3000000), 42")
    assert cur.fetchone() == ('x' * 3000000, 42)
    cur.execute("CREATE TEMP TABLE t (a int, b text)")
    data = ''.join('%d\t%s\n' % (i, 'y' * 60) for i in range(50000))
    cur.copy_from(io.StringIO(data), 't')
    out = io.StringIO()
    cur.copy_to(out, 't')
    assert out.getvalue() == data
    conn.close()
    ext.set_wait_callback(extras.wait_select)
    try:
        green = _tcp(sslmode='require')
        cur = green.cursor()
        cur.execute("SELECT generate_series(1, 20000)")
        assert len(cur.fetchall()) == 20000 and green.info.ssl_in_use
        green.close()
    finally:
        ext.set_wait_callback(None)


def test_notifications_over_tls():
    listener = _tcp(sslmode='require')
    listener.autocommit = True
    listener.cursor().execute("LISTEN tls_channel")
    sender = _tcp(sslmode='require')
    sender.autocommit = True
    sender.cursor().execute("NOTIFY tls_channel, 'hello'")
    deadline = 50
    while not listener.notifies and deadline:
        select.select([listener], [], [], 0.2)
        listener.poll()
        deadline -= 1
    assert [(n.channel, n.payload) for n in listener.notifies] == [('tls_channel', 'hello')]
    listener.close()
    sender.close()
