"""Transaction characteristics as the connection takes them (isolation level, read only,
deferrable): parsing psycopg2's accepted values, and the SQL that applies them."""
from .compat import integer_types, string_types
from .consts import (
    ISOLATION_LEVEL_READ_COMMITTED, ISOLATION_LEVEL_READ_UNCOMMITTED,
    ISOLATION_LEVEL_REPEATABLE_READ, ISOLATION_LEVEL_SERIALIZABLE)

ISOLATION_NAMES = {
    ISOLATION_LEVEL_READ_UNCOMMITTED: 'READ UNCOMMITTED',
    ISOLATION_LEVEL_READ_COMMITTED: 'READ COMMITTED',
    ISOLATION_LEVEL_REPEATABLE_READ: 'REPEATABLE READ',
    ISOLATION_LEVEL_SERIALIZABLE: 'SERIALIZABLE',
}
_ISOLATION_BY_NAME = {name: level for level, name in ISOLATION_NAMES.items()}

# The server settings that hold the characteristics while in autocommit mode.
GUC_OF = {
    'isolation_level': 'default_transaction_isolation',
    'readonly': 'default_transaction_read_only',
    'deferrable': 'default_transaction_deferrable',
}


def _ensure_text(value):
    if isinstance(value, bytes):
        return value.decode('ascii', 'replace')
    if isinstance(value, string_types):
        return value
    raise TypeError("Expected bytes or unicode string, got %s instead" % type(value).__name__)


def parse_isolation(value):
    """An isolation level as the property and set_session() take it: None or 'default' for
    the server's default, 1-4, or a level's name in any case."""
    if value is None:
        return None
    if isinstance(value, integer_types):
        if value < 1 or value > 4:
            raise ValueError("isolation_level must be between 1 and 4")
        return int(value)
    name = _ensure_text(value)
    level = _ISOLATION_BY_NAME.get(name.upper())
    if level is not None:
        return level
    if name.lower() == 'default':
        return None
    raise ValueError("bad value for isolation_level: '%s'" % name)


def parse_onoff(value):
    """readonly/deferrable: None or 'default' for the default, else the value's truth."""
    if value is None:
        return None
    if type(value) in (str, bytes):
        text = _ensure_text(value)
        if text.lower() == 'default':
            return None
        raise ValueError("the only string accepted is 'default'; got %s" % text)
    return bool(value)
