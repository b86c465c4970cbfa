"""Timestamps, timestamptz, dates and numerics cross from Java packed (PackedValues.java),
everything unusual as text: what a fetch gives is what the text casters give for the
server's text (`SELECT v, v::text`), value and type, for the plain forms and the unusual ones,
with NULLs, many UTC offsets in one result, and a tzinfo_factory.
"""
import datetime as dt
import decimal

import pytest

import psycopg2.extensions as ext

TIMESTAMPTZ = [
    "'2024-02-29 23:59:58.5+05:30'", "'1999-12-31 00:00:00-08'", "'2024-07-01 12:00:00.000001+00'",
    "'0001-01-01 00:00:00+00'", "'9999-12-31 23:59:59.999999+00'", "'infinity'", "'-infinity'",
    "NULL",
]
TIMESTAMP = [
    "'2024-02-29 23:59:58.123456'", "'0001-01-01 00:00:00'",
    "'9999-12-31 23:59:59.999999'", "'infinity'", "'-infinity'", "NULL", "'2000-01-01 00:00:00'",
]
DATE = ["'2024-02-29'", "'0001-01-01'", "'9999-12-31'", "'infinity'", "'-infinity'", "NULL"]
NUMERIC = [
    "-12.340", "0", "0.00", "-0.5", "123456789012345678901234567890.1234", "'NaN'", "NULL",
    "1e-70", "'Infinity'", "'-Infinity'", "10.05", "0.000001",
]


def _text_cast(caster, text, cur):
    return None if text is None else caster(text, cur)


@pytest.mark.parametrize('sql_type, caster, values', [
    ('timestamptz', ext.PYDATETIMETZ, TIMESTAMPTZ),
    ('timestamp', ext.PYDATETIME, TIMESTAMP),
    ('date', ext.PYDATE, DATE),
    ('numeric', ext.DECIMAL, NUMERIC),
], ids=['timestamptz', 'timestamp', 'date', 'numeric'])
def test_packed_values_are_what_the_text_gives(cur, sql_type, caster, values):
    cur.execute("SET TIME ZONE 'UTC'")
    literals = ' UNION ALL '.join('SELECT %s::%s' % (v, sql_type) for v in values)
    cur.execute('SELECT v, v::text FROM (%s) AS t(v)' % literals)
    rows = cur.fetchall()
    assert len(rows) == len(values)
    for value, text in rows:
        expected = _text_cast(caster, text, cur)
        assert type(value) is type(expected), (text, value, expected)
        assert value == expected or str(value) == str(expected) == 'NaN', (text, value, expected)
        if isinstance(value, dt.datetime):
            assert value.tzinfo == expected.tzinfo
        if isinstance(value, decimal.Decimal):
            assert value.as_tuple() == expected.as_tuple()      # the same digits and exponent


@pytest.mark.parametrize('literal', ["'0044-03-15 12:00:00 BC'::timestamptz",
                                     "'0044-03-15 12:00:00 BC'::timestamp", "'0044-03-15 BC'::date"])
def test_bc_still_fails_as_psycopg2_fails(cur, literal):
    cur.execute('SELECT ' + literal)
    with pytest.raises(ValueError):
        cur.fetchone()


def test_many_offsets_in_one_result(cur):
    # Moscow's history (local mean time, MMT and its summer times, +02 to +05): as many distinct
    # offsets as a packed value can index (8) in one window (a ninth would come as text: see
    # PythonBridgeTest); every value is still what its text gives.
    cur.execute("SET TIME ZONE 'Europe/Moscow'")
    cur.execute("SELECT v, v::text FROM generate_series(1870, 2024) y, generate_series(1, 12) m, "
                "make_timestamptz(y, m, 1, 12, 0, 0) AS v ORDER BY 1")
    rows = cur.fetchall()
    offsets = {value.utcoffset() for value, _ in rows}
    assert len(offsets) >= 8, offsets
    for value, text in rows:
        expected = ext.PYDATETIMETZ(text, cur)
        assert value == expected and value.utcoffset() == expected.utcoffset(), (text, value)


def test_offsets_with_seconds_and_a_tzinfo_factory(conn):
    class Named(dt.tzinfo):
        def __init__(self, offset):
            self.offset = offset

        def utcoffset(self, when):
            return self.offset

        def __eq__(self, other):
            return isinstance(other, Named) and other.offset == self.offset

        def __hash__(self):
            return hash(self.offset)

    cur = conn.cursor()
    cur.tzinfo_factory = Named
    cur.execute("SET TIME ZONE 'Europe/Amsterdam'")
    cur.execute("SELECT '1900-01-01 12:00:00'::timestamptz, '2024-07-01 12:00:00'::timestamptz")
    old, new = cur.fetchone()
    assert old.tzinfo == Named(dt.timedelta(seconds=1172))      # +00:19:32, local mean time
    assert new.tzinfo == Named(dt.timedelta(hours=2))
    assert (old.year, old.hour, new.hour) == (1900, 12, 12)
    cur.tzinfo_factory = None
    cur.execute("SELECT '2024-07-01 12:00:00'::timestamptz")
    assert cur.fetchone()[0].tzinfo is None


def test_nulls_are_none_itself(cur):
    cur.execute("SELECT NULL::timestamptz, NULL::numeric, NULL::date, NULL::text, NULL::int")
    row = cur.fetchone()
    assert all(v is None for v in row)
    assert [type(v) for v in row] == [type(None)] * 5
    import json
    import pickle
    assert json.dumps(row) == '[null, null, null, null, null]'
    assert pickle.loads(pickle.dumps(row)) == row


def test_a_user_caster_gets_the_text(cur, restore_types):
    seen = []

    def mine(value, cursor):
        seen.append(value)
        return value

    ext.register_type(ext.new_type((1184, 1700, 1082), 'MINE', mine), cur)
    cur.execute("SET TIME ZONE 'UTC'")
    cur.execute("SELECT '2024-02-29 23:59:58.5+05:30'::timestamptz, -12.340::numeric, "
                "'2024-02-29'::date")
    assert cur.fetchone() == ('2024-02-29 18:29:58.5+00', '-12.340', '2024-02-29')
    assert seen == ['2024-02-29 18:29:58.5+00', '-12.340', '2024-02-29']
