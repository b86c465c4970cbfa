"""inet and cidr: register_inet() and Inet, register_ipaddress() (types/net.py). Expected
values come from psycopg2 2.9.10 run against the same server."""
import ipaddress
import warnings

import psycopg2.extensions as ext
import psycopg2.extras as extras

from _helpers import one


def test_inet(cur, restore_types):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        caster = extras.register_inet()
    assert [(w.category, str(w.message)) for w in caught] == [
        (DeprecationWarning, "the inet adapter is deprecated, it's not very useful")]
    assert (caster.name, ext.INETARRAY.name) == ('INET', 'INETARRAY')
    value, array, null = one(cur, "select %s, %s, null::inet",
                             (extras.Inet('1.2.3.4/24'), [extras.Inet('::1')]))
    assert (type(value), value.addr, array[0].addr, null) == (extras.Inet, '1.2.3.4/24',
                                                              '::1', None)
    assert repr(extras.Inet('x')) == "Inet('x')" and str(extras.Inet('x')) == 'x'
    adapter = ext.adapt(extras.Inet("192.168.1.0/24"))
    adapter.prepare(cur.connection)
    assert adapter.getquoted() == b"'192.168.1.0/24'::inet"


def test_ipaddress(conn, restore_types):
    cur = conn.cursor()
    extras.register_ipaddress(cur)
    assert one(cur, "select '127.0.0.1/24'::inet, '::ffff:102:300/128'::inet, "
               "'10.0.0.0/8'::cidr, '{NULL,1.2.3.4}'::inet[], '{10.0.0.0/8}'::cidr[], "
               "null::inet, null::cidr") == (
        ipaddress.IPv4Interface('127.0.0.1/24'), ipaddress.IPv6Interface('::ffff:102:300/128'),
        ipaddress.IPv4Network('10.0.0.0/8'), [None, ipaddress.IPv4Interface('1.2.3.4/32')],
        [ipaddress.IPv4Network('10.0.0.0/8')], None, None)
    assert cur.mogrify("%s %s", (ipaddress.ip_interface('1.2.3.4/24'),
                                 ipaddress.ip_network('10.0.0.0/8'))) == \
        b"'1.2.3.4/24' '10.0.0.0/8'"
    assert one(cur, "select %s::inet", (ipaddress.ip_interface('::1/64'),)) == \
        ipaddress.IPv6Interface('::1/64')
    # Only that cursor casts.
    assert one(conn.cursor(), "select '127.0.0.1'::inet") == '127.0.0.1'
