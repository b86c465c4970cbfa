"""Network addresses: inet and cidr as the ipaddress module's objects (public as
psycopg2._ipaddress), the deprecated Inet wrapper (psycopg2.extras.register_inet), and the
built-in casters of inet[], cidr[] and macaddr[] (arrays of strings)."""
import warnings

from ..adapt import ISQLQuote, adapter_quoted, register_adapter
from ..oids import TYPE_OIDS
from ..typecast import new_array_type, new_type, register_type
from .string import STRING, QuotedString

INETARRAY = new_array_type((TYPE_OIDS['_inet'],), 'INETARRAY', STRING)
CIDRARRAY = new_array_type((TYPE_OIDS['_cidr'],), 'CIDRARRAY', STRING)
MACADDRARRAY = new_array_type((TYPE_OIDS['_macaddr'],), 'MACADDRARRAY', STRING)

# -- ipaddress ----------------------------------------------------------------------------------

# The ipaddress module, set by register_ipaddress() (imported only when needed, as psycopg2
# does; psycopg2._ipaddress.ipaddress shows it).
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


# -- Inet (deprecated) ----------------------------------------------------------------------------

class Inet(object):
    """Wraps a string to pass it as an inet value. The address is not checked, but it is
    quoted as a string, so it can't inject SQL."""

    def __init__(self, addr):
        self.addr = addr
        self._conn = None

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self.addr)

    def prepare(self, conn):
        self._conn = conn

    def getquoted(self):
        return adapter_quoted(self.addr, self._conn) + b'::inet'

    def __conform__(self, proto):
        if proto is ISQLQuote:
            return self

    def __str__(self):
        return str(self.addr)


Inet.__module__ = 'psycopg2.extras'


def register_inet(oid=None, conn_or_curs=None):
    """Cast inet (and inet[]) values to Inet objects, on *conn_or_curs* or globally
    (deprecated: register_ipaddress() is more useful). *oid*: the type's OID, or the pair
    (type, array). Returns the pair (caster, array caster); psycopg2.extras.register_inet()
    also sets them as psycopg2.extensions.INET and INETARRAY."""
    warnings.warn("the inet adapter is deprecated, it's not very useful", DeprecationWarning)

    if not oid:
        oid, array_oid = TYPE_OIDS['inet'], TYPE_OIDS['_inet']
    elif isinstance(oid, (list, tuple)):
        oid, array_oid = oid
    else:
        array_oid = TYPE_OIDS['_inet']

    def cast_inet(data, cursor):
        return Inet(data) if data else None

    caster = new_type((oid,), 'INET', cast_inet)
    array_caster = new_array_type((array_oid,), 'INETARRAY', caster)
    register_type(caster, conn_or_curs)
    register_type(array_caster, conn_or_curs)
    return caster, array_caster
