"""Change data capture: plain psycopg2 logical replication, run unchanged on GraalPy with
bin/pg-python.

A logical replication connection creates a slot decoded by PostgreSQL's test_decoding plugin;
an ordinary connection then inserts, updates and deletes rows; the consumer prints each change
as it streams in, confirms what it has processed (so the slot, and the WAL it holds, move on),
and stops after the last change. With --follow it keeps streaming the changes other sessions
make until Ctrl-C, and the slot stays for the next run to resume from where this one stopped.

    bin/pg-python examples/change_data_capture.py [--follow] [DSN]

The server needs wal_level=logical and a pg_hba.conf line allowing replication connections
(bin/test-postgres's cluster has both).
"""
import re
import sys

import psycopg2
from psycopg2 import errors
from psycopg2.extras import LogicalReplicationConnection, StopReplication

SLOT = 'cdc_example'
TABLE = 'cdc_example_items'

# test_decoding writes a change as: table public.t: INSERT: id[integer]:1 name[text]:'tea'
_CHANGE = re.compile(r"table (?P<table>\S+): (?P<op>INSERT|UPDATE|DELETE): (?P<columns>.*)")
_COLUMN = re.compile(r"(?P<name>[^\s\[]+)\[[^\]]+\]:(?P<value>'(?:[^']|'')*'|\S+)")


def describe(payload):
    """A change as one line, e.g. "INSERT public.items id=1 name='tea'"; None for BEGIN/COMMIT."""
    change = _CHANGE.match(payload)
    if change is None:
        return None
    columns = ' '.join('%s=%s' % (c['name'], c['value'])
                       for c in _COLUMN.finditer(change['columns']))
    return '%s %s %s' % (change['op'], change['table'], columns or '(no columns)')


def make_changes(dsn):
    """What another application does: a few changes, each committed."""
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS %s (id int PRIMARY KEY, name text)" % TABLE)
        cur.execute("INSERT INTO " + TABLE + " VALUES (1, 'tea'), (2, 'coffee')")
        conn.commit()
        cur.execute("UPDATE " + TABLE + " SET name = %s WHERE id = 2", ("café crème",))
        conn.commit()
        cur.execute("DELETE FROM " + TABLE + " WHERE id = 1")
        conn.commit()
    conn.close()


def consume(dsn, follow, out=sys.stdout):
    """Stream the slot's changes and print them; the number of changes printed."""
    repl = psycopg2.connect(dsn, connection_factory=LogicalReplicationConnection)
    cur = repl.cursor()
    try:
        cur.create_replication_slot(SLOT, output_plugin='test_decoding')
    except errors.DuplicateObject:
        pass                                    # resume from an earlier run's position
    if not follow:
        make_changes(dsn)
    cur.start_replication(slot_name=SLOT, decode=True,
                          options={'skip-empty-xacts': '1', 'include-xids': '0'})
    printed = 0

    def on_message(msg):
        nonlocal printed
        line = describe(msg.payload)
        if line is not None:
            print(line, file=out)
            printed += 1
        elif msg.payload.startswith('COMMIT'):
            # Everything up to the end of this transaction is processed: the server may
            # forget it, and a restarted consumer starts after it.
            msg.cursor.send_feedback(flush_lsn=msg.data_start)
            if not follow and printed >= 4:
                raise StopReplication()

    try:
        cur.consume_stream(on_message)
    except (StopReplication, KeyboardInterrupt):
        pass
    finally:
        repl.close()
    if not follow:
        drop(dsn)
    return printed


def drop(dsn):
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT pg_drop_replication_slot(%s)", (SLOT,))
        cur.execute("DROP TABLE %s" % TABLE)
    conn.close()


def main(argv):
    follow = '--follow' in argv
    args = [a for a in argv if a != '--follow']
    dsn = args[0] if args else ''
    count = consume(dsn, follow)
    print('%d changes' % count)


if __name__ == '__main__':
    main(sys.argv[1:])
