"""inet and cidr as the ipaddress module's objects (psycopg2._ipaddress)."""
from ._impl.adapt import QuotedString, register_adapter
from ._impl.oids import TYPE_OIDS
from ._impl.typecast import new_array_type, new_type, register_type

# Set to the module by register_ipaddress(), as in psycopg2 (imported only when needed).
ipaddress = None

# The typecasters, made once by the first register_ipaddress().
_casters = None


def register_ipaddress(conn_or_curs=None):
    """Cast inet to IPv4Interface/IPv6Interface and cidr to IPv4Network/IPv6Network (on
    *conn_or_curs*, or globally), and adapt those four types to their text."""
    global ipaddress, _casters
    import ipaddress as module
    ipaddress = module
    if _casters is None:
        _casters = _make_casters()
    for caster in _casters:
        register_type(caster, conn_or_curs)
    for typ in (module.IPv4Interface, module.IPv6Interface,
                module.IPv4Network, module.IPv6Network):
        register_adapter(typ, adapt_ipaddress)


def _make_casters():
    inet = new_type((TYPE_OIDS['inet'],), 'INET', cast_interface)
    inet_array = new_array_type((TYPE_OIDS['_inet'],), 'INET[]', inet)
    cidr = new_type((TYPE_OIDS['cidr'],), 'CIDR', cast_network)
    cidr_array = new_array_type((TYPE_OIDS['_cidr'],), 'CIDR[]', cidr)
    return [inet, inet_array, cidr, cidr_array]


def cast_interface(s, cur=None):
    if s is None:
        return None
    return ipaddress.ip_interface(str(s))


def cast_network(s, cur=None):
    if s is None:
        return None
    return ipaddress.ip_network(str(s))


def adapt_ipaddress(obj):
    return QuotedString(str(obj))
