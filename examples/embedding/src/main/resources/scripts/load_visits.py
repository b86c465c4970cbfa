"""Loads a few visits into the table the Java application made: plain psycopg2 code."""
import psycopg2
from psycopg2 import sql
from psycopg2.extras import execute_values

VISITS = [('Lyon', 30), ('Oslo', 45), ('Lyon', 15), ('Quito', 60), ('Oslo', 5)]


def main(dsn, table):
    conn = psycopg2.connect(dsn)
    try:
        with conn, conn.cursor() as cur:      # commits at the end of the block
            execute_values(cur, sql.SQL("INSERT INTO {} (city, minutes) VALUES %s").format(
                sql.Identifier(table)), VISITS)
            return cur.rowcount
    finally:
        conn.close()
