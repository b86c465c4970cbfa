"""Errors the server reports: the exception classes, their attributes and text, Diagnostics,
the aborted transaction and pickling.

Expected values (message texts, field values) were taken from psycopg2 2.9.10 run against the
same server (PostgreSQL 15, English messages).
"""
import pickle

import pytest

import psycopg2
import psycopg2.extensions as ext
from psycopg2 import errors


@pytest.fixture
def people(cur):
    cur.execute("CREATE TEMP TABLE people (id int PRIMARY KEY, name text NOT NULL,"
                " age int CONSTRAINT adult CHECK (age >= 18))")
    cur.execute("INSERT INTO people VALUES (1, 'ann', 30)")
    return 'people'


def raised(cur, sql, args=None):
    with pytest.raises(psycopg2.Error) as info:
        cur.execute(sql, args)
    return info.value


# -- classes --------------------------------------------------------------------------------

ERROR_CLASSES = [
    ('SELECT * FROM nosuch_table', errors.UndefinedTable, psycopg2.ProgrammingError, '42P01'),
    ('SELECT nosuch_column', errors.UndefinedColumn, psycopg2.ProgrammingError, '42703'),
    ('SELEC 1', errors.SyntaxError, psycopg2.ProgrammingError, '42601'),
    ('SELECT 1/0', errors.DivisionByZero, psycopg2.DataError, '22012'),
    ("SELECT 'x'::int", errors.InvalidTextRepresentation, psycopg2.DataError, '22P02'),
    ('SELECT 2147483647::int + 1', errors.NumericValueOutOfRange, psycopg2.DataError, '22003'),
    ("DO $$ BEGIN RAISE EXCEPTION 'boom'; END $$", errors.RaiseException,
     psycopg2.InternalError, 'P0001'),
    ('SELECT count(*) FROM pg_class FOR UPDATE', errors.FeatureNotSupported,
     psycopg2.NotSupportedError, '0A000'),
    ('SELECT nosuch_function()', errors.UndefinedFunction, psycopg2.ProgrammingError, '42883'),
    ("SET statement_timeout TO 'forever'", errors.InvalidParameterValue,
     psycopg2.DataError, '22023'),
]


def test_error_classes(conn, cur):
    for sql, cls, base, code in ERROR_CLASSES:
        error = raised(cur, sql)
        assert type(error) is cls, sql
        assert isinstance(error, base), sql
        assert isinstance(error, psycopg2.DatabaseError)
        assert isinstance(error, psycopg2.Error)
        assert error.pgcode == code, sql
        assert errors.lookup(code) is cls, sql
        conn.rollback()


def test_integrity_errors(conn, cur, people):
    cases = [
        ("INSERT INTO people VALUES (1, 'dup', 40)", errors.UniqueViolation, '23505'),
        ("INSERT INTO people VALUES (2, NULL, 40)", errors.NotNullViolation, '23502'),
        ("INSERT INTO people VALUES (3, 'kid', 5)", errors.CheckViolation, '23514'),
    ]
    for sql, cls, code in cases:
        error = raised(cur, sql)
        assert type(error) is cls, sql
        assert isinstance(error, psycopg2.IntegrityError), sql
        assert error.pgcode == code, sql
        conn.rollback()
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS people (id int PRIMARY KEY,"
                    " name text NOT NULL, age int CONSTRAINT adult CHECK (age >= 18))")
        cur.execute("INSERT INTO people VALUES (1, 'ann', 30) ON CONFLICT DO NOTHING")


def test_foreign_key_violation(cur):
    cur.execute('CREATE TEMP TABLE parent (id int PRIMARY KEY)')
    cur.execute('CREATE TEMP TABLE child (parent_id int REFERENCES parent)')
    error = raised(cur, 'INSERT INTO child VALUES (7)')
    assert type(error) is errors.ForeignKeyViolation
    assert isinstance(error, psycopg2.IntegrityError)
    assert error.pgerror == (
        'ERROR:  insert or update on table "child" violates foreign key constraint'
        ' "child_parent_id_fkey"\nDETAIL:  Key (parent_id)=(7) is not present in table'
        ' "parent".\n')
    assert error.diag.constraint_name == 'child_parent_id_fkey'
    assert error.diag.table_name == 'child'


def test_query_canceled_hierarchy():
    assert issubclass(errors.QueryCanceled, ext.QueryCanceledError)
    assert issubclass(errors.QueryCanceled, psycopg2.OperationalError)
    assert issubclass(errors.SerializationFailure, ext.TransactionRollbackError)
    assert issubclass(errors.DeadlockDetected, ext.TransactionRollbackError)


def test_statement_timeout(cur):
    cur.execute("SET statement_timeout TO 50")
    error = raised(cur, 'SELECT pg_sleep(5)')
    assert type(error) is errors.QueryCanceled
    assert isinstance(error, ext.QueryCanceledError)
    assert str(error) == 'canceling statement due to statement timeout\n'


def test_lock_not_available(connect):
    first, second = connect(), connect()
    first.cursor().execute('CREATE TEMP TABLE IF NOT EXISTS unused (a int)')
    c1 = first.cursor()
    c1.execute("SELECT pg_advisory_xact_lock(424242)")
    c2 = second.cursor()
    c2.execute("SET lock_timeout TO 50")
    error = raised(c2, "SELECT pg_advisory_xact_lock(424242)")
    assert type(error) is errors.LockNotAvailable
    assert isinstance(error, psycopg2.OperationalError)
    assert error.pgcode == '55P03'
    assert str(error) == 'canceling statement due to lock timeout\n'


# -- text and attributes ----------------------------------------------------------------------

def test_pgerror_with_position(cur):
    error = raised(cur, 'SELECT * FROM nosuch')
    assert error.pgerror == (
        'ERROR:  relation "nosuch" does not exist\n'
        'LINE 1: SELECT * FROM nosuch\n'
        '                      ^\n')
    assert str(error) == (
        'relation "nosuch" does not exist\n'
        'LINE 1: SELECT * FROM nosuch\n'
        '                      ^\n')
    assert error.args == (str(error),)
    assert type(error.pgerror) is str


def test_pgerror_on_later_line(cur):
    error = raised(cur, 'SELECT 1,\n  2,\n  nosuch_col\nFROM (SELECT 1) AS t')
    assert error.pgerror == (
        'ERROR:  column "nosuch_col" does not exist\n'
        'LINE 3:   nosuch_col\n'
        '          ^\n')


def test_pgerror_with_detail_and_hint(cur):
    error = raised(cur, 'SELECT nosuch_function(1)')
    assert error.pgerror == (
        'ERROR:  function nosuch_function(integer) does not exist\n'
        'LINE 1: SELECT nosuch_function(1)\n'
        '               ^\n'
        'HINT:  No function matches the given name and argument types.'
        ' You might need to add explicit type casts.\n')


def test_pgerror_simple(cur):
    error = raised(cur, 'SELECT 1/0')
    assert error.pgerror == 'ERROR:  division by zero\n'
    assert str(error) == 'division by zero\n'
    assert error.args == ('division by zero\n',)
    assert error.pgcode == '22012'


def test_error_cursor(conn):
    cur = conn.cursor()
    error = raised(cur, 'SELECT 1/0')
    assert error.cursor is cur
    assert error.cursor.connection is conn


def test_raise_exception_with_everything(cur):
    error = raised(cur, "DO $$ BEGIN RAISE EXCEPTION 'custom %', 42"
                        " USING DETAIL = 'the detail', HINT = 'the hint',"
                        " ERRCODE = '22012'; END $$")
    assert type(error) is errors.DivisionByZero
    assert error.pgerror == (
        'ERROR:  custom 42\nDETAIL:  the detail\nHINT:  the hint\n'
        'CONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE\n')
    assert str(error) == error.pgerror[len('ERROR:  '):]      # only the severity goes


# -- diagnostics ------------------------------------------------------------------------------

def test_diag_basic(cur):
    error = raised(cur, 'SELECT 1/0')
    diag = error.diag
    assert type(diag) is ext.Diagnostics
    assert diag.message_primary == 'division by zero'
    assert diag.severity == 'ERROR'
    assert diag.severity_nonlocalized == 'ERROR'
    assert diag.sqlstate == '22012'
    assert diag.message_detail is None
    assert diag.message_hint is None
    assert diag.statement_position is None
    assert diag.context is None
    assert diag.table_name is None
    assert type(diag.source_file) is str and diag.source_file.endswith('.c')
    assert type(diag.source_line) is str and diag.source_line.isdigit()
    assert diag.source_function == 'int4div'
    assert error.diag.message_primary == 'division by zero'      # any number of times


def test_diag_statement_position(cur):
    diag = raised(cur, 'SELECT * FROM nosuch').diag
    assert diag.statement_position == '15'
    assert diag.message_primary == 'relation "nosuch" does not exist'


def test_diag_unique_violation(cur, people):
    diag = raised(cur, "INSERT INTO people VALUES (1, 'dup', 40)").diag
    assert diag.sqlstate == '23505'
    assert diag.message_primary == \
        'duplicate key value violates unique constraint "people_pkey"'
    assert diag.message_detail == 'Key (id)=(1) already exists.'
    assert diag.constraint_name == 'people_pkey'
    assert diag.table_name == 'people'
    assert diag.schema_name.startswith('pg_temp_')
    assert diag.column_name is None


def test_diag_not_null_violation(conn, cur, people):
    error = raised(cur, "INSERT INTO people (id, name, age) VALUES (2, NULL, 40)")
    diag = error.diag
    assert diag.sqlstate == '23502'
    assert diag.message_primary == \
        'null value in column "name" of relation "people" violates not-null constraint'
    assert diag.message_detail == 'Failing row contains (2, null, 40).'
    assert diag.column_name == 'name'
    assert diag.table_name == 'people'
    assert diag.schema_name.startswith('pg_temp_')
    assert diag.constraint_name is None
    assert error.pgerror == (
        'ERROR:  null value in column "name" of relation "people" violates not-null'
        ' constraint\nDETAIL:  Failing row contains (2, null, 40).\n')


def test_diag_check_violation(cur, people):
    diag = raised(cur, "INSERT INTO people VALUES (3, 'kid', 5)").diag
    assert diag.constraint_name == 'adult'
    assert diag.message_primary == \
        'new row for relation "people" violates check constraint "adult"'


def test_diag_hint(cur):
    diag = raised(cur, 'SELECT nosuch_function(1)').diag
    assert diag.message_hint == ('No function matches the given name and argument types.'
                                 ' You might need to add explicit type casts.')


def test_diag_datatype(cur):
    cur.execute("CREATE DOMAIN pg_temp.positive AS int CHECK (VALUE > 0)")
    diag = raised(cur, 'SELECT (-1)::pg_temp.positive').diag
    assert diag.sqlstate == '23514'
    assert diag.datatype_name == 'positive'
    assert diag.constraint_name == 'positive_check'


def test_diag_context_from_plpgsql(cur):
    cur.execute("CREATE FUNCTION pg_temp.fails(x int) RETURNS int LANGUAGE plpgsql AS $$"
                " BEGIN RETURN x / 0; END $$")
    error = raised(cur, 'SELECT pg_temp.fails(1)')
    assert type(error) is errors.DivisionByZero
    diag = error.diag
    assert diag.context == ('PL/pgSQL function pg_temp_%s.fails(integer) line 1 at RETURN'
                            % diag.context.split('pg_temp_')[1].split('.')[0])
    assert diag.context.startswith('PL/pgSQL function pg_temp_')
    assert diag.internal_query is None
    assert error.pgerror.startswith('ERROR:  division by zero\nCONTEXT:  PL/pgSQL function ')


def test_diag_internal_query(cur):
    cur.execute("CREATE FUNCTION pg_temp.bad_sql() RETURNS void LANGUAGE plpgsql AS $$"
                " BEGIN EXECUTE 'SELECT * FROM nosuch_inner'; END $$")
    diag = raised(cur, 'SELECT pg_temp.bad_sql()').diag
    assert diag.internal_query == 'SELECT * FROM nosuch_inner'
    assert diag.internal_position == '15'
    assert diag.statement_position is None


def test_diag_of_errors_without_server_report():
    error = psycopg2.ProgrammingError('made up')
    assert error.pgerror is None and error.pgcode is None and error.cursor is None
    assert error.diag.sqlstate is None
    assert error.diag.message_primary is None
    diag = ext.Diagnostics(error)
    assert diag.severity is None
    with pytest.raises(TypeError):
        ext.Diagnostics('not an error')


def test_client_side_errors_have_no_code(cur):
    with pytest.raises(psycopg2.ProgrammingError) as info:
        cur.fetchone()
    assert info.value.pgcode is None and info.value.pgerror is None
    assert info.value.diag.sqlstate is None


# -- the aborted transaction ------------------------------------------------------------------

def test_transaction_in_error(conn, cur):
    cur.execute('SELECT 1')
    raised(cur, 'SELECT 1/0')
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INERROR
    for _ in range(2):                  # every statement fails until the rollback
        error = raised(cur, 'SELECT 1')
        assert type(error) is errors.InFailedSqlTransaction
        assert isinstance(error, psycopg2.InternalError)
        assert error.pgcode == '25P02'
        assert str(error) == ('current transaction is aborted, commands ignored until end of'
                              ' transaction block\n')
    conn.rollback()
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
    cur.execute('SELECT 2')
    assert cur.fetchone() == (2,)


def test_commit_of_failed_transaction(conn, cur):
    raised(cur, 'SELECT 1/0')
    conn.commit()                       # the server turns the COMMIT into a ROLLBACK
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
    assert conn.status == ext.STATUS_READY
    cur.execute('SELECT 3')
    assert cur.fetchone() == (3,)


def test_autocommit_error_does_not_stick(conn, cur):
    conn.autocommit = True
    raised(cur, 'SELECT 1/0')
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
    cur.execute('SELECT 4')
    assert cur.fetchone() == (4,)


def test_savepoint_recovers(conn, cur):
    cur.execute('SAVEPOINT sp')
    raised(cur, 'SELECT 1/0')
    cur.execute('ROLLBACK TO SAVEPOINT sp')
    cur.execute('SELECT 5')
    assert cur.fetchone() == (5,)
    assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INTRANS


# -- pickling -----------------------------------------------------------------------------------

def test_pickle_server_error(cur):
    error = raised(cur, 'SELECT * FROM nosuch')
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is errors.UndefinedTable
    assert copy.pgerror == error.pgerror
    assert copy.pgcode == '42P01'
    assert copy.args == error.args
    assert str(copy) == str(error)
    assert copy.cursor is None          # the cursor is not pickled


def test_pickle_plain_error():
    error = psycopg2.OperationalError('lost')
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is psycopg2.OperationalError
    assert copy.args == ('lost',)
    assert copy.pgerror is None and copy.pgcode is None


# -- lookup -----------------------------------------------------------------------------------

def test_errors_lookup():
    assert errors.lookup('23505') is errors.UniqueViolation
    assert errors.lookup('40001') is errors.SerializationFailure
    with pytest.raises(KeyError):
        errors.lookup('XXXXX')
