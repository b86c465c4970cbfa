"""psycopg2._ipaddress: inet and cidr as the ipaddress module's objects (the code:
psycopg2._impl.types.net)."""
# The names upstream's module has, imports included.
from ._impl.adapt import register_adapter  # noqa: F401
from ._impl.typecast import new_array_type, new_type, register_type  # noqa: F401
from ._impl.types import net as _net
from ._impl.types.net import (  # noqa: F401
    _make_casters, adapt_ipaddress, cast_interface, cast_network, register_ipaddress)
from ._impl.types.string import QuotedString  # noqa: F401


def __getattr__(name):
    # The state register_ipaddress() sets: `ipaddress`, the module once it has imported it
    # (None before), and `_casters`, made on its first call.
    if name in ('ipaddress', '_casters'):
        return getattr(_net, name)
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


def __dir__():
    return sorted(list(globals()) + ['ipaddress', '_casters'])
