"""Properties, tried on values Hypothesis draws: a value sent as a parameter comes back as
psycopg2 gives it; ``mogrify`` writes what ``execute`` sends, and the server reads it as the
value; ``make_dsn`` and ``parse_dsn`` undo each other; any bytes as query text end in a result
or an exception psycopg2 could raise, and the connection stays usable.

The runs are reproducible and bounded: ``derandomize=True`` (the examples follow from the
test's code, not from a random seed), no example database written, a fixed number of examples
per test, no deadline (GraalPy's interpreter is slow to warm up).
"""
import datetime as dt
import decimal
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import psycopg2
import psycopg2.extensions as ext

D = decimal.Decimal

BOUNDED = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow,
                                          HealthCheck.function_scoped_fixture])


@pytest.fixture(scope='module')
def session(dsn):
    connection = psycopg2.connect(dsn)
    connection.autocommit = True
    yield connection
    connection.close()


def roundtrip(session, query, value):
    with session.cursor() as cur:
        cur.execute(query, (value,))
        (got,) = cur.fetchone()
    return got


# -- values -----------------------------------------------------------------------------------

# What a text value may hold: any character but NUL (psycopg2 refuses it: below) and the lone
# surrogates (UTF-8 cannot write them: a UnicodeEncodeError before anything is sent).
TEXT = st.text(st.characters(exclude_categories=('Cs',), exclude_characters='\x00'))


@BOUNDED
@given(TEXT)
def test_text(session, value):
    got = roundtrip(session, 'SELECT %s', value)
    assert type(got) is str and got == value


@BOUNDED
@given(st.text(st.characters(exclude_categories=('Cs',)), min_size=1).map(lambda s: s + '\x00'))
def test_text_with_nul_is_refused_before_sending(session, value):
    with session.cursor() as cur:
        with pytest.raises(ValueError, match='cannot contain NUL'):
            cur.execute('SELECT %s', (value,))
        cur.execute('SELECT 1')
        assert cur.fetchone() == (1,)


@BOUNDED
@given(st.binary(max_size=300))
def test_bytes(session, value):
    got = roundtrip(session, 'SELECT %s', value)
    assert type(got) is memoryview and bytes(got) == value


@BOUNDED
@given(st.integers() | st.integers(-2**63, 2**63 - 1))
def test_ints(session, value):
    got = roundtrip(session, 'SELECT %s', value)
    # int2..int8 literals come back as int, bigger ones are numeric: a Decimal without a scale.
    if -2**63 <= value < 2**63:
        assert type(got) is int
    else:
        assert type(got) is D and got.as_tuple().exponent == 0
    assert got == value


@BOUNDED
@given(st.floats())
def test_floats_cast_to_float8(session, value):
    got = roundtrip(session, 'SELECT %s::float8', value)
    assert type(got) is float
    if math.isnan(value):
        assert math.isnan(got)
    else:
        assert repr(got) == repr(value)          # -0.0 too


# Finite decimals the numeric type reads: up to 40 digits, the exponent str() writes within
# +-1000 (numeric's input refuses more).
FINITE_DECIMALS = st.builds(
    lambda sign, digits, exponent: D((sign, tuple(digits), exponent)),
    st.integers(0, 1), st.lists(st.integers(0, 9), min_size=1, max_size=40),
    st.integers(-950, 950))


@BOUNDED
@given(FINITE_DECIMALS | st.sampled_from([D('NaN'), D('-NaN'), D('Infinity'), D('-Infinity'),
                                          D('sNaN')]))
def test_decimals(session, value):
    # Cast: a Decimal without a point ('5') is an integer literal, read back as an int.
    got = roundtrip(session, 'SELECT %s::numeric', value)
    assert type(got) is D
    if value.is_finite():
        assert got == value
        # numeric keeps the digits after the point (none for a positive exponent).
        assert got.as_tuple().exponent == min(value.as_tuple().exponent, 0)
    else:
        # psycopg2 sends every non-finite Decimal as 'NaN'::numeric.
        assert got.is_nan()


@BOUNDED
@given(st.dates())
def test_dates(session, value):
    got = roundtrip(session, 'SELECT %s', value)
    assert type(got) is dt.date and got == value


@BOUNDED
@given(st.datetimes())
def test_timestamps(session, value):
    got = roundtrip(session, 'SELECT %s', value)
    assert type(got) is dt.datetime and got == value and got.tzinfo is None


# Rectangular lists (the only shape a PostgreSQL array has) of ints or of text, with NULLs,
# one or two dimensions. Cast to the array's type in the query: without it a row of NULLs
# alone is a text[] that the server will not put beside an int[] (as with psycopg2).
def _arrays(element):
    flat = st.lists(element, min_size=1, max_size=8)
    square = st.integers(1, 4).flatmap(
        lambda width: st.lists(st.lists(element, min_size=width, max_size=width),
                               min_size=1, max_size=4))
    return flat | square


INT_ARRAYS = _arrays(st.none() | st.integers(-2**63, 2**63 - 1))
TEXT_ARRAYS = _arrays(st.none() | TEXT)


def _has_value(items):
    return any(_has_value(x) if isinstance(x, list) else x is not None for x in items)


@BOUNDED
@given(INT_ARRAYS)
def test_int_arrays(session, value):
    assert roundtrip(session, 'SELECT %s::int8[]', value) == value


@BOUNDED
@given(TEXT_ARRAYS)
def test_text_arrays(session, value):
    # Braces, quotes, backslashes, commas and the word NULL inside elements must survive
    # the array's text form both ways; ::text[] types an array of NULLs too.
    got = roundtrip(session, 'SELECT %s::text[]', value)
    assert got == value


# -- mogrify ----------------------------------------------------------------------------------

ANY_VALUE = (TEXT | st.binary(max_size=100) | st.integers() | st.floats(allow_nan=False)
             | FINITE_DECIMALS | st.dates() | st.datetimes() | st.booleans() | st.none()
             | st.lists(st.none() | st.integers(-2**63, 2**63 - 1), min_size=1).filter(_has_value)
             | st.lists(st.none() | TEXT, min_size=1, max_size=5).filter(_has_value))


@BOUNDED
@given(ANY_VALUE, ANY_VALUE)
def test_mogrify_is_what_execute_sends_and_the_server_reads_it_back(session, a, b):
    query = 'SELECT %s, %s'
    with session.cursor() as cur:
        written = cur.mogrify(query, (a, b))
        assert type(written) is bytes
        cur.execute(query, (a, b))
        assert cur.query == written
        direct = cur.fetchone()
        cur.execute(written)
        assert cur.query == written
        assert _same(cur.fetchone(), direct)
        # Named placeholders write the same literals.
        assert cur.mogrify('SELECT %(a)s, %(b)s', {'a': a, 'b': b}) == written


def _same(x, y):
    if isinstance(x, float) and isinstance(y, float):
        return repr(x) == repr(y)
    if isinstance(x, memoryview) and isinstance(y, memoryview):
        return bytes(x) == bytes(y)
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        return type(x) is type(y) and len(x) == len(y) and all(map(_same, x, y))
    return type(x) is type(y) and x == y


# -- DSNs ---------------------------------------------------------------------------------------

# Keywords libpq knows (parse_dsn refuses the rest) whose values it does not check at parse time.
DSN_KEYS = ['host', 'port', 'dbname', 'user', 'password', 'options', 'application_name',
            'sslmode', 'service', 'passfile', 'target_session_attrs', 'sslrootcert']
DSN_VALUE = st.text(st.characters(exclude_categories=('Cs',), exclude_characters='\x00'),
                    max_size=30)


@BOUNDED
@given(st.dictionaries(st.sampled_from(DSN_KEYS), DSN_VALUE, min_size=1))
def test_make_dsn_and_parse_dsn_undo_each_other(options):
    dsn = ext.make_dsn(**options)
    assert ext.parse_dsn(dsn) == options
    # Over a DSN: the keyword arguments win, the rest of the DSN stays.
    base = ext.make_dsn(dbname='base db', connect_timeout='5')
    merged = dict(ext.parse_dsn(base), **options)
    assert ext.parse_dsn(ext.make_dsn(base, **options)) == merged


@BOUNDED
@given(st.text(max_size=60))
def test_parse_dsn_raises_only_programming_error(text):
    try:
        parsed = ext.parse_dsn(text)
    except psycopg2.ProgrammingError:
        return
    except ValueError:
        # A str with NUL: psycopg2 refuses it as every C-string argument.
        assert '\x00' in text
        return
    except UnicodeEncodeError:
        assert any('\ud800' <= c <= '\udfff' for c in text)
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in parsed.items())


# -- bytes as query text ------------------------------------------------------------------------

@BOUNDED
@given(st.binary(max_size=80))
def test_any_bytes_as_a_query_raise_only_what_psycopg2_raises(session, text):
    with session.cursor() as cur:
        try:
            cur.execute(text)
        except psycopg2.Error:
            pass
        # Whatever happened, the session is still there and answers.
        assert session.closed == 0
        cur.execute('SELECT 1')
        assert cur.fetchone() == (1,)


@BOUNDED
@given(st.binary(max_size=60))
def test_any_bytes_as_a_query_with_arguments(session, text):
    with session.cursor() as cur:
        try:
            cur.execute(text, ())
        except (psycopg2.Error, ValueError, TypeError, IndexError):
            # A bad placeholder ('%' then anything) is the query's fault, as in psycopg2.
            pass
        assert session.closed == 0
        cur.execute('SELECT 1')
        assert cur.fetchone() == (1,)
