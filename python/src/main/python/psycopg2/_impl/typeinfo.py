"""Catalog lookups for the register_*() functions (json, range, composite, hstore), written
once: a plain cursor of the connection, the transaction left as it was found."""
from .consts import STATUS_IN_TRANSACTION
from .cursor import cursor as _plain_cursor
from .exceptions import ProgrammingError


def solve_conn_curs(conn_or_curs):
    """(connection, a plain new cursor of it) for a connection or a cursor."""
    if conn_or_curs is None:
        raise ProgrammingError("no connection or cursor provided")
    if hasattr(conn_or_curs, 'execute'):
        conn = conn_or_curs.connection
    else:
        conn = conn_or_curs
    return conn, conn.cursor(cursor_factory=_plain_cursor)


def split_name(name):
    """(schema, name) of a possibly schema-qualified type name; 'public' by default."""
    schema, dot, tname = name.partition('.')
    return (schema, tname) if dot else ('public', name)


def fetch_rows(conn_or_curs, sql, args=None, regtype_sql=None, name=None):
    """The rows of a catalog query about a type; ``conn`` too, as (conn, rows).

    When the query finds nothing and ``regtype_sql`` is given, the server resolves ``name``
    itself (``%s::regtype``: search_path, quoted identifiers), in a savepoint when a
    transaction is open, so that a name it does not know does not break the transaction. A
    transaction the lookup opened is rolled back: the caller's state is as it was."""
    conn, curs = solve_conn_curs(conn_or_curs)
    status_before = conn.status
    curs.execute(sql, args)
    rows = curs.fetchall()
    if not rows and regtype_sql is not None:
        savepoint = conn.status == STATUS_IN_TRANSACTION
        try:
            if savepoint:
                curs.execute("SAVEPOINT register_type")
            curs.execute(regtype_sql, (name,))
        except ProgrammingError:
            pass
        else:
            rows = curs.fetchall()
        finally:
            if savepoint:
                curs.execute("ROLLBACK TO SAVEPOINT register_type")
    if status_before != STATUS_IN_TRANSACTION and not conn.autocommit:
        conn.rollback()
    return conn, rows
