"""Reads back what load_visits.py committed, a line per city: plain psycopg2 code."""
import psycopg2
from psycopg2 import sql
from psycopg2.extras import RealDictCursor


def main(dsn, table):
    conn = psycopg2.connect(dsn)
    try:
        cur = conn.cursor(cursor_factory=RealDictCursor)
        cur.execute(sql.SQL("SELECT city, count(*) AS visits, sum(minutes) AS minutes"
                            " FROM {} GROUP BY city ORDER BY city").format(sql.Identifier(table)))
        return ['%(city)s: %(visits)d visits, %(minutes)d minutes' % row for row in cur]
    finally:
        conn.close()
