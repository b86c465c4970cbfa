"""Numbers: int2, int4, int8, oid, float4, float8 and numeric cast to int, float and Decimal;
the literals of int, float and Decimal (types/numeric.py).

Expected values were taken from psycopg2 2.9.10 run against the same server.
"""
import decimal
import enum

import pytest

import psycopg2
import psycopg2.extensions as ext

from _helpers import D, check_mogrify, check_select


# -- casting ----------------------------------------------------------------------------------

def test_integers(cur):
    check_select(cur, [
        ('1::int2', 1, int), ("'-32768'::int2", -32768, int),
        ('2147483647::int4', 2147483647, int),
        ("'-9223372036854775808'::int8", -9223372036854775808, int),
        ('4294967295::oid', 4294967295, int),
        ("'pg_class'::regclass::oid", 1259, int),
    ])


def test_floats(cur):
    check_select(cur, [
        ('1.5::float4', 1.5, float), ('0.1::float4', 0.1, float),     # float4's shortest text
        ('0.1::float8', 0.1, float), ('-1e300::float8', -1e300, float),
        ("'Infinity'::float8", float('inf'), float), ("'-Infinity'::float4", float('-inf'), float),
    ])
    cur.execute("SELECT 'NaN'::float8, 'NaN'::float4")
    for value in cur.fetchone():
        assert type(value) is float and value != value


def test_numeric(cur):
    check_select(cur, [
        ('2.50::numeric(5,2)', D('2.50'), D), ('-0.000001::numeric', D('-0.000001'), D),
        ('12345678901234567890.123456789::numeric', D('12345678901234567890.123456789'), D),
        ('0::numeric', D('0'), D), ('1e20::numeric', D('100000000000000000000'), D),
    ])
    cur.execute("SELECT 'NaN'::numeric, 2.50::numeric(5,2)")
    nan, exact = cur.fetchone()
    assert type(nan) is D and nan.is_nan()
    assert str(exact) == '2.50'             # the scale is kept


@pytest.mark.parametrize('text, expected', [
    ('0', '0'), ('-0.00', '-0.00'), ('007.50', '7.50'), ('123456789012345678901234.5678',
                                                         '123456789012345678901234.5678'),
    ('-1.5', '-1.5'), ('0.001', '0.001'), ('NaN', 'NaN'), ('Infinity', 'Infinity'),
    ('-Infinity', '-Infinity'), ('1.\u0663', '1.3'),     # Decimal() reads any Unicode digit
])
def test_numeric_text_forms(text, expected):
    value = psycopg2.extensions.DECIMAL(text, None)
    assert isinstance(value, decimal.Decimal)
    assert str(value) == expected
    assert value.as_tuple() == decimal.Decimal(text).as_tuple()


def test_number_registered_on_a_cursor_casts_to_float(cur):
    # psycopg2.NUMBER is a caster too: as psycopg2's, it makes a float of every number,
    # numeric included.
    ext.register_type(psycopg2.NUMBER, cur)
    cur.execute('SELECT 1::int4, 2.5::numeric')
    row = cur.fetchone()
    assert row == (1.0, 2.5)
    assert [type(value) for value in row] == [float, float]


# -- adapting ---------------------------------------------------------------------------------

class Small(enum.IntEnum):
    ONE = 1


def test_int(cur):
    check_mogrify(cur, [
        (0, b'0'), (42, b'42'),
        (-1, b' -1'),                   # the space keeps "x -%s" from becoming a comment
        (10 ** 30, b'1000000000000000000000000000000'),
        (-10 ** 30, b' -1000000000000000000000000000000'),
        (2 ** 63, b'9223372036854775808'),
        (Small.ONE, b'1'),
    ])


def test_float(cur):
    check_mogrify(cur, [
        (1.5, b'1.5'), (-1.5, b' -1.5'), (0.1, b'0.1'), (-0.0, b' -0.0'),
        (1e100, b'1e+100'), (1e-07, b'1e-07'), (123456789.12345679, b'123456789.12345679'),
        (float('nan'), b"'NaN'::float"),
        (float('inf'), b"'Infinity'::float"),
        (float('-inf'), b"'-Infinity'::float"),
    ])


def test_decimal(cur):
    check_mogrify(cur, [
        (D('1.10'), b'1.10'), (D('-1.5'), b' -1.5'), (D('-0'), b' -0'), (D('1E+2'), b'1E+2'),
        (D('0.000001'), b'0.000001'),
        # psycopg2 maps every non-finite Decimal to NaN (numeric had no infinity before 14).
        (D('NaN'), b"'NaN'::numeric"), (D('sNaN'), b"'NaN'::numeric"),
        (D('Infinity'), b"'NaN'::numeric"), (D('-Infinity'), b"'NaN'::numeric"),
    ])


def test_round_trip_floats(cur):
    cur.execute('SELECT %s, %s, %s, %s::float8',
                (float('nan'), float('inf'), float('-inf'), 1e-300))
    nan, inf, ninf, tiny = cur.fetchone()
    assert nan != nan and type(nan) is float
    assert (inf, ninf, tiny) == (float('inf'), float('-inf'), 1e-300)
    cur.execute('SELECT %s', (D('NaN'),))
    value = cur.fetchone()[0]
    assert type(value) is D and value.is_nan()
