"""uuid: register_uuid() and UUID_adapter (types/uuid.py). Expected values come from psycopg2
2.9.10 run against the same server."""
import uuid

import psycopg2.extensions as ext
import psycopg2.extras as extras

from _helpers import one


def test_uuid(cur, restore_types):
    caster = extras.register_uuid()
    assert (caster.name, caster.values) == ('UUID', (2950,)) and ext.UUID is caster
    assert (ext.UUIDARRAY.name, ext.UUIDARRAY.values) == ('UUID[]', (2951,))
    u = uuid.UUID('9c6d5a77-7256-457e-9461-347b4358e350')
    assert cur.mogrify("%s", (u,)) == b"'9c6d5a77-7256-457e-9461-347b4358e350'::uuid"
    assert str(extras.UUID_adapter(u)) == "'9c6d5a77-7256-457e-9461-347b4358e350'::uuid"
    assert one(cur, "select %s, %s, null::uuid, '{}'::uuid[], null::uuid[]",
               (u, [u, None])) == (u, [u, None], None, [], None)


def test_uuid_on_a_cursor_with_oids(conn, restore_types):
    cur = conn.cursor()
    extras.register_uuid((2950, 2951), cur)
    u = uuid.UUID('9c6d5a77-7256-457e-9461-347b4358e352')
    assert one(cur, "select %s::uuid", (str(u),)) == u
    assert one(conn.cursor(), "select %s::uuid", (str(u),)) == str(u)
