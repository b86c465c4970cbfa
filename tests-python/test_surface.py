"""psycopg2's public surface where it is more than a name: the members of its C objects
(visible on the class, read-only where psycopg2's are), its adapter classes, its typecaster
objects, its module contents and the libpq level it reports. bin/compare-surface checks the
names against psycopg2-binary; these tests check the behaviour behind them."""
import collections
import datetime
import decimal
import gc
import weakref

import pytest

import psycopg2
import psycopg2._psycopg as _psycopg
import psycopg2.errorcodes as errorcodes
import psycopg2.errors as errors
import psycopg2.extensions as ext
import psycopg2.extras as extras


# -- members of connection and cursor -------------------------------------------------------

CURSOR_READONLY = ('connection', 'name', 'query', 'description', 'rowcount', 'lastrowid',
                   'rownumber', 'statusmessage', 'typecaster')
CURSOR_WRITABLE = ('arraysize', 'itersize', 'row_factory', 'tzinfo_factory', 'string_types',
                   'binary_types')
CONNECTION_READONLY = ('closed', 'status', 'dsn', 'encoding', 'server_version',
                       'protocol_version', 'string_types', 'binary_types')
CONNECTION_WRITABLE = ('notices', 'notifies', 'cursor_factory')


@pytest.mark.parametrize('name', CURSOR_READONLY + CURSOR_WRITABLE)
def test_the_cursor_members_are_on_the_class(name):
    assert isinstance(getattr(ext.cursor, name), property)


@pytest.mark.parametrize('name', CURSOR_READONLY)
def test_the_cursor_members_psycopg2_makes_read_only_are(cur, name):
    cur.execute('select 1')
    with pytest.raises(AttributeError):
        setattr(cur, name, 42)


@pytest.mark.parametrize('name', CONNECTION_READONLY + CONNECTION_WRITABLE)
def test_the_connection_members_are_on_the_class(name):
    assert isinstance(getattr(ext.connection, name), property)


@pytest.mark.parametrize('name', CONNECTION_READONLY)
def test_the_connection_members_psycopg2_makes_read_only_are(conn, name):
    with pytest.raises(AttributeError):
        setattr(conn, name, 42)


def test_the_cursor_members_after_a_query(cur):
    cur.execute("select 1 as a union all select 2")
    assert (cur.rowcount, cur.rownumber, cur.statusmessage) == (2, 0, 'SELECT 2')
    assert cur.query == b'select 1 as a union all select 2'
    assert cur.description[0].name == 'a'
    cur.fetchone()
    assert cur.rownumber == 1
    assert cur.typecaster is None
    cur.arraysize = 7
    assert len(cur.fetchmany()) == 1 and cur.arraysize == 7


def test_a_cursor_has_its_own_typecasters_only_once_one_is_registered(conn):
    cur = conn.cursor()
    assert cur.string_types is None and cur.binary_types is None
    assert conn.string_types == {} and conn.binary_types == {}
    as_text = ext.new_type((23,), 'AS_TEXT', lambda value, cursor: 'int:' + value)
    ext.register_type(as_text, cur)
    assert cur.string_types == {23: as_text}
    cur.execute('select 1')
    assert cur.fetchone() == ('int:1',)
    other = conn.cursor()
    other.execute('select 1')
    assert other.fetchone() == (1,) and other.string_types is None
    with pytest.raises(TypeError, match='argument 2 must be a connection, cursor or None'):
        ext.register_type(as_text, 'not a scope')


def test_notices_and_cursor_factory_can_be_replaced(conn):
    conn.notices = collections.deque(maxlen=1)
    cur = conn.cursor()
    cur.execute("do $$ begin raise notice 'one'; raise notice 'two'; end $$")
    assert list(conn.notices) == ['NOTICE:  two\n']
    conn.cursor_factory = extras.DictCursor
    assert isinstance(conn.cursor(), extras.DictCursor)


def test_the_connection_members_of_an_open_connection(conn):
    assert (conn.closed, conn.status, conn.protocol_version) == (0, ext.STATUS_READY, 3)
    assert conn.encoding == 'UTF8'
    assert conn.server_version >= 90000
    conn.close()
    assert conn.closed == 1


def test_the_dbapi_exceptions_are_read_only_properties_of_the_connection(conn):
    for name in ('Warning', 'Error', 'InterfaceError', 'DatabaseError', 'DataError',
                 'OperationalError', 'IntegrityError', 'InternalError', 'ProgrammingError',
                 'NotSupportedError'):
        assert isinstance(getattr(ext.connection, name), property)
        assert getattr(conn, name) is getattr(psycopg2, name)
        with pytest.raises(AttributeError):
            setattr(conn, name, ValueError)


# -- errors and their diagnostics ------------------------------------------------------------

def test_an_error_has_read_only_pgerror_pgcode_and_cursor(cur):
    with pytest.raises(errors.UndefinedTable) as info:
        cur.execute('select * from nonexistent_table')
    e = info.value
    assert e.pgcode == '42P01' and 'nonexistent_table' in e.pgerror and e.cursor is cur
    for name in ('pgerror', 'pgcode', 'cursor'):
        assert isinstance(getattr(psycopg2.Error, name), property)
        with pytest.raises(AttributeError):
            setattr(e, name, None)
    made = psycopg2.Error('by hand')
    assert (made.pgerror, made.pgcode, made.cursor) == (None, None, None)


def test_diagnostics_has_a_property_per_field(cur):
    cur.execute('create temporary table diag_t (id int primary key)')
    cur.execute('insert into diag_t values (1)')
    with pytest.raises(psycopg2.IntegrityError) as info:
        cur.execute('insert into diag_t values (1)')
    diag = info.value.diag
    assert isinstance(ext.Diagnostics.constraint_name, property)
    assert (diag.sqlstate, diag.severity, diag.severity_nonlocalized) == ('23505', 'ERROR', 'ERROR')
    assert (diag.table_name, diag.constraint_name) == ('diag_t', 'diag_t_pkey')
    assert diag.message_primary.startswith('duplicate key value')
    assert diag.message_detail == 'Key (id)=(1) already exists.'
    assert diag.column_name is None and diag.statement_position is None
    with pytest.raises(AttributeError):
        diag.sqlstate = 'x'


def test_diagnostics_keeps_its_error_and_cursor_alive(conn):
    def failing():
        cur = conn.cursor()
        try:
            cur.execute('select * from nonexistent_table')
        except psycopg2.Error as exc:
            return cur, exc

    cur, error = failing()
    diag = error.diag
    cursor_ref = weakref.ref(cur)
    del error, cur
    gc.collect()
    assert cursor_ref() is not None
    assert diag.sqlstate == '42P01'
    del diag
    gc.collect()
    gc.collect()
    assert cursor_ref() is None


# -- adapters --------------------------------------------------------------------------------

@pytest.mark.parametrize('cls, value', [
    (ext.AsIs, 42), (ext.Boolean, True), (ext.Int, 42), (ext.Float, 1.5),
    (_psycopg.Decimal, decimal.Decimal('1.5')), (ext.QuotedString, 'x'), (ext.Binary, b'x'),
    (_psycopg.List, [1])])
def test_the_core_adapters_have_a_read_only_adapted(cls, value):
    assert cls.__mro__[1:] == (object,) or all(
        base.__module__.startswith('psycopg2._impl') for base in cls.__mro__[1:-1])
    adapter = cls(value)
    assert adapter.adapted is value
    with pytest.raises(AttributeError):
        adapter.adapted = 0
    assert str(adapter) == adapter.getquoted().decode()


def test_boolean_int_float_are_not_asis():
    for cls in (ext.Boolean, ext.Int, ext.Float, _psycopg.Decimal):
        assert not issubclass(cls, ext.AsIs)
    assert ext.adapt(1.5).getquoted() == b'1.5' and type(ext.adapt(1.5)) is ext.Float


def test_binary_and_quoted_string_keep_their_literal_as_buffer(conn):
    binary = ext.Binary(b'\x00\x01')
    assert binary.buffer is None
    binary.prepare(conn)
    assert binary.getquoted() == b"'\\x0001'::bytea" and binary.buffer == binary.getquoted()
    text = ext.QuotedString("it's")
    assert text.buffer is None and text.encoding == 'latin1'
    text.prepare(conn)
    assert text.encoding == 'utf_8'
    assert text.getquoted() == b"'it''s'" and text.buffer == b"'it''s'"


def test_quoted_string_encodes_with_the_encoding_set_before_prepare():
    text = ext.QuotedString('\u00e8')
    text.encoding = 'utf8'
    assert text.getquoted() == b"'\xc3\xa8'"
    with pytest.raises(TypeError, match="can't quote non-string object"):
        ext.QuotedString(42).getquoted()


def test_sql_in_is_a_python_class_with_psycopg2s_str(conn):
    adapter = ext.SQL_IN((1, 'a'))
    adapter.prepare(conn)
    assert adapter.getquoted() == b"(1, 'a')"
    assert str(adapter) == "b\"(1, 'a')\""
    assert not hasattr(adapter, '__conform__')


def test_dates_and_times_are_adapted_by_the_from_py_functions(cur):
    for typ, factory in ((datetime.date, ext.DateFromPy), (datetime.time, ext.TimeFromPy),
                         (datetime.datetime, ext.TimestampFromPy),
                         (datetime.timedelta, ext.IntervalFromPy)):
        assert ext.adapters[typ, ext.ISQLQuote] is factory
    adapter = ext.DateFromPy(datetime.date(2020, 1, 2))
    assert adapter.adapted == datetime.date(2020, 1, 2)
    assert adapter.getquoted() == b"'2020-01-02'::date"
    assert type(adapter).__name__ == 'datetime' and not hasattr(_psycopg, 'DateTime')
    with pytest.raises(TypeError):
        ext.DateFromPy('2020-01-02')
    cur.execute('select %s, %s', (datetime.date(2020, 1, 2), datetime.timedelta(days=1)))
    assert cur.fetchone() == (datetime.date(2020, 1, 2), datetime.timedelta(days=1))


# -- typecasters -----------------------------------------------------------------------------

@pytest.mark.parametrize('name', ['DATE', 'TIME', 'DATETIME', 'DATETIMETZ', 'INTERVAL'])
def test_the_py_typecasters_are_objects_of_their_own(cur, name):
    plain = getattr(_psycopg, name)
    py = getattr(_psycopg, 'PY' + name)
    py_array = getattr(_psycopg, 'PY' + name + 'ARRAY')
    assert py is not plain and py.name == 'PY' + name and py.values == plain.values
    assert py_array.name == 'PY%sARRAY' % name
    assert ext.string_types[plain.values[-1]] is plain   # the plain one is registered
    sample = {'DATE': "'2020-01-02'::date", 'TIME': "'10:11:12'::time",
              'DATETIME': "'2020-01-02 10:11'::timestamp",
              'DATETIMETZ': "'2020-01-02 10:11+02'::timestamptz",
              'INTERVAL': "'1 day'::interval"}[name]
    cur.execute('select %s::text, %s' % (sample, sample))
    text, value = cur.fetchone()
    assert py(text, cur) == value


def test_the_network_array_typecasters_are_in_psycopg2_s_core_module():
    assert (_psycopg.INETARRAY.values, _psycopg.CIDRARRAY.values,
            _psycopg.MACADDRARRAY.values) == ((1041,), (651,), (1040,))


# -- module contents -------------------------------------------------------------------------

def test_extensions_has_psycopg2_s_names_and_no_others():
    for name in ('DATETIME', 'DATETIMETZ', 'NUMBER', 'ROWID', 'STRING', 'BINARY', 'Decimal',
                 'Range', 'register_default_json', 'register_default_jsonb'):
        assert not hasattr(ext, name), name
    assert (ext.STATUS_SYNC, ext.STATUS_ASYNC) == (3, 4)
    assert ext.register_adapter is not None and not hasattr(_psycopg, 'register_adapter')
    assert not hasattr(_psycopg, 'SQL_IN')


def test_the_core_module_has_what_code_imports_from_it():
    from psycopg2._psycopg import (  # noqa: F401
        ConnectionInfo, REPLICATION_LOGICAL, REPLICATION_PHYSICAL, ReplicationConnection,
        ReplicationCursor, __version__, encrypt_password, quote_ident, sqlstate_errors)
    assert __version__ == psycopg2.__version__
    assert ConnectionInfo is ext.ConnectionInfo and quote_ident is ext.quote_ident
    assert sqlstate_errors['58P03'] is errors.FileNameTooLong


def test_the_error_codes_of_postgresql_18():
    assert (errorcodes.CLASS_XQUERY_ERROR, errorcodes.INVALID_ARGUMENT_FOR_XQUERY,
            errorcodes.FILE_NAME_TOO_LONG) == ('10', '10608', '58P03')
    assert errorcodes.lookup('10') == 'CLASS_XQUERY_ERROR'
    assert issubclass(errors.FileNameTooLong, psycopg2.OperationalError)
    assert errors.lookup('10608') is errors.InvalidArgumentForXquery
    assert errors.InvalidArgumentForXquery.__mro__[1] is psycopg2.DatabaseError


def test_private_imports_of_other_modules_are_not_public_names():
    import psycopg2._range
    import psycopg2.pool
    assert not hasattr(psycopg2.pool, 'threading')
    assert not hasattr(extras, 'OperationalError')
    assert hasattr(psycopg2._range, 're')           # as psycopg2's module has it


# -- Column and Notify compare as psycopg2's ---------------------------------------------------

def test_columns_compare_and_order_as_tuples(cur):
    cur.execute('select 1 as a, 2 as b')
    a, b = cur.description
    assert a < b and b > a and a <= a and a == tuple(a) and a != b
    assert sorted([b, a]) == [a, b]
    assert list(a)[:2] == ['a', 23]
    assert not hasattr(ext.Column, '__iter__') and not hasattr(ext.Column, 'from_wire')


def test_notifies_compare_as_tuples():
    one, two = ext.Notify(1, 'a', 'x'), ext.Notify(2, 'a')
    assert one < two and sorted([two, one]) == [one, two]
    assert one == (1, 'a') and one < (1, 'b')
    assert one == ext.Notify(1, 'a', 'x') and one != ext.Notify(1, 'a', 'y')
    # Anything else: every comparison is False, as psycopg2's.
    assert not (one == 'x') and not (one != 'x')


# -- the libpq level -------------------------------------------------------------------------

def test_the_libpq_level_is_17(conn):
    assert psycopg2.__libpq_version__ == ext.libpq_version() == 170011
    params = conn.info.dsn_parameters
    assert (params['gssencmode'], params['gssdelegation'], params['load_balance_hosts'],
            params['sslnegotiation'], params['sslcertmode']) == (
            'prefer', '0', 'disable', 'postgres', 'allow')
    assert conn.info.ssl_attribute_names[-1] == 'alpn'


def test_the_libpq_17_options_are_checked(dsn):
    with pytest.raises(psycopg2.OperationalError, match='invalid load_balance_hosts value'):
        psycopg2.connect(dsn, load_balance_hosts='sometimes')
    with pytest.raises(psycopg2.OperationalError, match='not supported yet: sslnegotiation=direct'):
        psycopg2.connect(dsn, sslnegotiation='direct')


def test_the_core_module_can_be_imported_naked():
    # As psycopg2's C module: with the package's folder on sys.path and its parent removed.
    import os
    import subprocess
    import sys
    package_dir = os.path.dirname(psycopg2.__file__)
    script = ('import sys; sys.path.remove(%r); sys.path.insert(0, %r); import _psycopg; '
              'import psycopg2.extensions as e; print(_psycopg.cursor is e.cursor)'
              % (os.path.dirname(package_dir), package_dir))
    done = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, 'True'), done.stderr
