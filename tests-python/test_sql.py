"""psycopg2.sql: composition renders the same SQL text as psycopg2's."""
import datetime

import pytest

import psycopg2
from psycopg2 import sql


def test_format_identifiers_and_literals(conn, cur):
    query = sql.SQL("select {} from {}").format(sql.Identifier('a"b'), sql.Identifier('s', 't'))
    assert query.as_string(conn) == 'select "a""b" from "s"."t"'
    query = sql.SQL("select {0}, {0}, {x}").format(
        sql.Literal("it's"), x=sql.Literal(datetime.date(2020, 1, 1)))
    assert query.as_string(cur) == "select 'it''s', 'it''s', '2020-01-01'::date"


@pytest.mark.parametrize('template, message', [
    ("{} {0}", "cannot switch from automatic field numbering to manual"),
    ("{0} {}", "cannot switch from manual field numbering to automatic"),
    ("{:x}", "no format specification supported by SQL"),
    ("{!r}", "no format conversion supported by SQL"),
])
def test_format_errors(template, message):
    with pytest.raises(ValueError) as exc:
        sql.SQL(template).format(sql.SQL('a'), sql.SQL('b'))
    assert str(exc.value) == message


def test_braces_join_and_placeholders(conn):
    assert sql.SQL("{{}} {}").format(sql.SQL('a')).as_string(conn) == '{} a'
    joined = sql.SQL(", ").join([sql.Identifier('a'), sql.Placeholder(), sql.Placeholder('n')])
    assert joined.as_string(conn) == '"a", %s, %(n)s'
    composed = sql.Composed([sql.SQL('a'), sql.Literal(1)]).join(", ")
    assert isinstance(composed, sql.Composed)
    assert composed.as_string(conn) == 'a, 1'


def test_constructor_errors():
    with pytest.raises(TypeError, match="Composed elements must be Composable"):
        sql.Composed([sql.SQL('a'), 'b'])
    with pytest.raises(TypeError, match="SQL values must be strings"):
        sql.SQL(1)
    with pytest.raises(TypeError, match="Identifier cannot be empty"):
        sql.Identifier()
    with pytest.raises(TypeError, match="SQL identifier parts must be strings"):
        sql.Identifier('a', 1)
    with pytest.raises(AttributeError):
        sql.Identifier('a', 'b').string
    with pytest.raises(ValueError, match="invalid name"):
        sql.Placeholder('a)')
    with pytest.raises(TypeError, match="expected string or None as name"):
        sql.Placeholder(1)
    assert repr(sql.Placeholder()) == 'Placeholder()'
    assert repr(sql.Placeholder('x')) == "Placeholder('x')"


def test_literals_use_the_adapters(conn):
    with pytest.raises(TypeError, match="context must be a connection or a cursor"):
        sql.Literal(1).as_string(None)
    assert sql.Literal([1, 'a']).as_string(conn) == "ARRAY[1,'a']"
    assert sql.Literal(b'x').as_string(conn) == "'\\x78'::bytea"


def test_operators():
    composed = (sql.SQL('a') + sql.Identifier('b')) + sql.SQL('c')
    assert composed == sql.Composed([sql.SQL('a'), sql.Identifier('b'), sql.SQL('c')])
    assert sql.SQL('a') * 3 == sql.Composed([sql.SQL('a')] * 3)
    assert sql.SQL('a') == sql.SQL('a')
    assert sql.SQL('a') != sql.Identifier('a')
    with pytest.raises(TypeError):
        sql.SQL('a') + 'b'
    assert sql.NULL.as_string(None) == 'NULL'
    assert sql.DEFAULT.string == 'DEFAULT'


def test_execute_and_mogrify_composed(cur):
    query = sql.SQL("select %s, {}").format(sql.Literal('x'))
    assert cur.mogrify(query, (1,)) == b"select 1, 'x'"
    cur.execute(sql.SQL("select {}").format(sql.Literal(5)))
    assert cur.fetchone() == (5,)


def test_quote_ident(conn):
    assert psycopg2.extensions.quote_ident('a"b', conn) == '"a""b"'
    with pytest.raises(TypeError, match="argument 2 must be a connection or a cursor"):
        psycopg2.extensions.quote_ident('a', None)
