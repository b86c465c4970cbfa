"""DSN helpers: parse_dsn, make_dsn and the password-hiding ``connection.dsn``."""
import re

from .compat import text_type
from .exceptions import ProgrammingError
from .pq import parse_conninfo

# libpq's connection keywords in the order of its PQconninfoOptions table: psycopg2 builds the
# dicts of parse_dsn() (and so make_dsn()'s output) walking that table.
_LIBPQ_ORDER = (
    'service', 'user', 'password', 'passfile', 'channel_binding', 'connect_timeout', 'dbname',
    'host', 'hostaddr', 'port', 'client_encoding', 'options', 'application_name',
    'fallback_application_name', 'keepalives', 'keepalives_idle', 'keepalives_interval',
    'keepalives_count', 'tcp_user_timeout', 'sslmode', 'sslcompression', 'sslcert', 'sslkey',
    'sslcertmode', 'sslpassword', 'sslrootcert', 'sslcrl', 'sslcrldir', 'sslsni',
    'requirepeer', 'require_auth', 'ssl_min_protocol_version', 'ssl_max_protocol_version',
    'gssencmode', 'krbsrvname', 'gsslib', 'gssdelegation', 'replication',
    'target_session_attrs', 'load_balance_hosts')
_RANK = {name: rank for rank, name in enumerate(_LIBPQ_ORDER)}


def parse_dsn(dsn):
    """The options a DSN (key=value or URI) sets, as a dict; ProgrammingError if malformed."""
    if isinstance(dsn, bytes):
        dsn = dsn.decode('utf8')
    if not isinstance(dsn, text_type):
        raise TypeError("Expected bytes or unicode string, got %s instead"
                        % type(dsn).__name__)
    options = parse_conninfo(dsn)
    # Unknown keywords cannot get here (the parser rejects them), so every key has a rank.
    return {k: options[k] for k in sorted(options, key=lambda k: _RANK.get(k, len(_RANK)))}


_ESCAPED = re.compile(r"([\\'])")
_SPACE = re.compile(r'\s')


def _param_escape(value):
    """A value as libpq reads it: backslash before ' and \\, quotes only around whitespace
    (psycopg2's own rule, which make_dsn's output must keep, byte for byte)."""
    if not value:
        return "''"
    value = _ESCAPED.sub(r'\\\1', value)
    if _SPACE.search(value):
        return "'%s'" % value
    return value


def _join(options):
    return ' '.join('%s=%s' % (k, _param_escape(str(v))) for k, v in options.items())


def make_dsn(dsn=None, **kwargs):
    """Merge a DSN and keyword arguments into one DSN string, as psycopg2 does."""
    if dsn is None and not kwargs:
        return ''
    if not kwargs:
        parse_dsn(dsn)          # validate only: the caller's string is kept as it is
        return dsn
    if 'database' in kwargs:
        if 'dbname' in kwargs:
            raise TypeError("you can't specify both 'database' and 'dbname' arguments")
        kwargs['dbname'] = kwargs.pop('database')
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    if dsn is not None:
        merged = parse_dsn(dsn)
        merged.update(kwargs)
        kwargs = merged
    dsn = _join(kwargs)
    parse_dsn(dsn)
    return dsn


def obscure_password(dsn):
    """``dsn`` with the password's value replaced by 'xxx' (connection.dsn shows this).

    As psycopg2 does, a DSN without a password is kept as written; one with a password is
    rebuilt from its parsed options, so it comes out in libpq's keyword order."""
    if not dsn:
        return dsn
    try:
        params = parse_dsn(dsn)
    except ProgrammingError:
        return dsn
    if 'password' not in params:        # an empty one is hidden too
        return dsn
    params['password'] = 'xxx'
    return _join(params)
