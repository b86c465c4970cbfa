"""DSN helpers: parse_dsn, make_dsn and the password-hiding ``connection.dsn``."""
import re

from . import _java
from ._exceptions import ProgrammingError


def parse_dsn(dsn):
    """The options a DSN (key=value or URI) sets, as a dict; ProgrammingError if malformed."""
    if isinstance(dsn, bytes):
        dsn = dsn.decode('utf8')
    if not isinstance(dsn, str):
        raise TypeError("expected str or bytes, got %s" % type(dsn).__name__)
    try:
        parsed = _java.ConnInfo.parse(dsn)
    except _java.ConnInfoException as e:
        raise ProgrammingError("invalid dsn: %s" % _java.message_of(e).rstrip('\n') + '\n') from None
    return {str(k): str(v) for k, v in parsed.asMap().items()}


_NEEDS_QUOTES = re.compile(r"[\s'\\]")


def _param_escape(value):
    if not value:
        return "''"
    if _NEEDS_QUOTES.search(value):
        return "'%s'" % value.replace('\\', '\\\\').replace("'", "\\'")
    return value


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
    dsn = ' '.join('%s=%s' % (k, _param_escape(str(v))) for k, v in kwargs.items())
    parse_dsn(dsn)
    return dsn


def obscure_password(dsn):
    """``dsn`` with the password's value replaced by 'xxx' (connection.dsn shows this)."""
    if not dsn:
        return dsn
    try:
        params = parse_dsn(dsn)
    except ProgrammingError:
        return dsn
    if 'password' not in params:
        return dsn
    params['password'] = 'xxx'
    return ' '.join('%s=%s' % (k, v if k == 'password' else _param_escape(v))
                    for k, v in params.items())
