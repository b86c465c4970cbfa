"""Helpers the tests share: a SELECT checked value by value, mogrify()
checked literal by literal, the value of a one-row query, and shorthands."""
import datetime as dt
import decimal

D = decimal.Decimal
UTC = dt.timezone.utc


def tz(**kwargs):
    return dt.timezone(dt.timedelta(**kwargs))


def check_select(cur, cases):
    """cases: (SQL expression, expected value, expected type); all in one SELECT."""
    cur.execute('SELECT ' + ', '.join(sql for sql, _, _ in cases))
    row = cur.fetchone()
    assert len(row) == len(cases)
    for (sql, expected, typ), got in zip(cases, row):
        assert got == expected, sql
        assert type(got) is typ, sql


def check_mogrify(cur, cases):
    """cases: (value, the bytes mogrify('%s') gives for it)."""
    for value, expected in cases:
        got = cur.mogrify('%s', (value,))
        assert type(got) is bytes
        assert got == expected, value


def one(cur, query, args=None):
    """The row of a one-row query; its value alone when it has one column."""
    cur.execute(query, args)
    row = cur.fetchone()
    return row[0] if len(row) == 1 else row
