"""psycopg2.errorcodes, psycopg2.errors and the builtin type OIDs (generated modules).

The modules are written by python/tools/generate_tables.py; these tests check the
behaviour psycopg2 2.9 documents and has, not the generator.
"""

import pickle

import pytest

import psycopg2
from psycopg2 import errorcodes, errors
from psycopg2._impl import oids as _oids


# -- psycopg2.errorcodes ---------------------------------------------------------------------

@pytest.mark.parametrize('code, name', [
    ('42P01', 'UNDEFINED_TABLE'),
    ('22012', 'DIVISION_BY_ZERO'),
    ('23505', 'UNIQUE_VIOLATION'),
    ('40001', 'SERIALIZATION_FAILURE'),
    ('40P01', 'DEADLOCK_DETECTED'),
    ('57014', 'QUERY_CANCELED'),
    ('55P03', 'LOCK_NOT_AVAILABLE'),
    ('00000', 'SUCCESSFUL_COMPLETION'),
    ('XX000', 'INTERNAL_ERROR'),
])
def test_errorcodes_lookup_code(code, name):
    assert errorcodes.lookup(code) == name
    assert getattr(errorcodes, name) == code


@pytest.mark.parametrize('code, name', [
    ('00', 'CLASS_SUCCESSFUL_COMPLETION'),
    ('01', 'CLASS_WARNING'),
    ('02', 'CLASS_NO_DATA'),
    ('08', 'CLASS_CONNECTION_EXCEPTION'),
    ('22', 'CLASS_DATA_EXCEPTION'),
    ('42', 'CLASS_SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION'),
    ('58', 'CLASS_SYSTEM_ERROR'),
    ('HV', 'CLASS_FOREIGN_DATA_WRAPPER_ERROR'),
    ('P0', 'CLASS_PL_PGSQL_ERROR'),
    ('XX', 'CLASS_INTERNAL_ERROR'),
])
def test_errorcodes_lookup_class(code, name):
    assert errorcodes.lookup(code) == name
    assert getattr(errorcodes, name) == code


def test_errorcodes_same_name_twice():
    # PostgreSQL gives two codes the same name: the earlier constant has a trailing
    # underscore, and lookup() answers the plain name for both.
    assert errorcodes.STRING_DATA_RIGHT_TRUNCATION_ == '01004'
    assert errorcodes.STRING_DATA_RIGHT_TRUNCATION == '22001'
    assert errorcodes.lookup('01004') == 'STRING_DATA_RIGHT_TRUNCATION'
    assert errorcodes.lookup('22001') == 'STRING_DATA_RIGHT_TRUNCATION'
    assert errorcodes.NULL_VALUE_NOT_ALLOWED_ == '22004'
    assert errorcodes.NULL_VALUE_NOT_ALLOWED == '39004'
    assert errorcodes.lookup('22004') == 'NULL_VALUE_NOT_ALLOWED'
    assert errorcodes.MODIFYING_SQL_DATA_NOT_PERMITTED_ == '2F002'
    assert errorcodes.MODIFYING_SQL_DATA_NOT_PERMITTED == '38002'


def test_errorcodes_all_versions():
    # Codes of PostgreSQL versions other than the one the server here runs.
    assert errorcodes.TRANSACTION_TIMEOUT == '25P04'      # PostgreSQL 17
    assert errorcodes.SNAPSHOT_TOO_OLD == '72000'         # up to PostgreSQL 16
    assert errorcodes.CLASS_SNAPSHOT_FAILURE == '72'
    assert errorcodes.INVALID_LIMIT_VALUE == '22020'      # historic


@pytest.mark.parametrize('code', ['XXXXX', 'ZZ', '4', '42P0', '', 'undefined_table'])
def test_errorcodes_lookup_unknown(code):
    with pytest.raises(KeyError):
        errorcodes.lookup(code)


def test_errorcodes_constants():
    classes = {}
    codes = {}
    for name, value in vars(errorcodes).items():
        if name.startswith('_') or not isinstance(value, str):
            continue
        assert name.isupper()
        if name.startswith('CLASS_'):
            classes[name] = value
        else:
            codes[name] = value
    assert len(classes) > 40
    assert len(codes) > 250
    for name, value in classes.items():
        assert len(value) == 2, name
    class_codes = set(classes.values())
    assert len(class_codes) == len(classes)
    for name, value in codes.items():
        assert len(value) == 5, name
        assert value[:2] in class_codes, name
    assert len(set(codes.values())) == len(codes)


# -- psycopg2.errors -------------------------------------------------------------------------

def test_errors_exports_dbapi_classes():
    from psycopg2._impl import exceptions as _exceptions
    for name in ['Error', 'Warning', 'InterfaceError', 'DatabaseError', 'DataError',
                 'OperationalError', 'IntegrityError', 'InternalError', 'ProgrammingError',
                 'NotSupportedError', 'QueryCanceledError', 'TransactionRollbackError']:
        assert getattr(errors, name) is getattr(_exceptions, name)
    assert errors.ProgrammingError is psycopg2.ProgrammingError
    assert errors.QueryCanceledError.__module__ == 'psycopg2.extensions'


def test_undefined_table():
    cls = errors.lookup('42P01')
    assert cls is errors.UndefinedTable
    assert cls.__name__ == 'UndefinedTable'
    assert cls.__module__ == 'psycopg2.errors'
    assert psycopg2.ProgrammingError in cls.__mro__
    assert issubclass(cls, psycopg2.DatabaseError)
    assert issubclass(cls, psycopg2.Error)
    assert repr(cls) == "<class 'psycopg2.errors.UndefinedTable'>"


def test_query_canceled():
    cls = errors.lookup('57014')
    assert cls is errors.QueryCanceled
    assert cls.__bases__ == (errors.QueryCanceledError,)
    assert issubclass(cls, psycopg2.OperationalError)
    # Other codes of class 57 are plain OperationalErrors.
    assert errors.lookup('57P01') is errors.AdminShutdown
    assert errors.AdminShutdown.__bases__ == (errors.OperationalError,)


@pytest.mark.parametrize('code, name', [
    ('40000', 'TransactionRollback'),
    ('40001', 'SerializationFailure'),
    ('40002', 'TransactionIntegrityConstraintViolation'),
    ('40003', 'StatementCompletionUnknown'),
    ('40P01', 'DeadlockDetected'),
])
def test_transaction_rollback(code, name):
    cls = errors.lookup(code)
    assert cls.__name__ == name
    assert getattr(errors, name) is cls
    assert cls.__bases__ == (errors.TransactionRollbackError,)
    assert issubclass(cls, psycopg2.OperationalError)


@pytest.mark.parametrize('code, base', [
    ('02000', 'DatabaseError'),
    ('03000', 'DatabaseError'),
    ('08006', 'OperationalError'),
    ('0A000', 'NotSupportedError'),
    ('0B000', 'DatabaseError'),
    ('20000', 'ProgrammingError'),
    ('21000', 'ProgrammingError'),
    ('22012', 'DataError'),
    ('23505', 'IntegrityError'),
    ('24000', 'InternalError'),
    ('25P02', 'InternalError'),
    ('26000', 'OperationalError'),
    ('27000', 'OperationalError'),
    ('28P01', 'OperationalError'),
    ('2BP01', 'InternalError'),
    ('2D000', 'InternalError'),
    ('2F005', 'InternalError'),
    ('34000', 'OperationalError'),
    ('38001', 'InternalError'),
    ('39P01', 'InternalError'),
    ('3B001', 'InternalError'),
    ('3D000', 'ProgrammingError'),
    ('3F000', 'ProgrammingError'),
    ('42601', 'ProgrammingError'),
    ('44000', 'ProgrammingError'),
    ('53300', 'OperationalError'),
    ('54000', 'OperationalError'),
    ('55P03', 'OperationalError'),
    ('58P01', 'OperationalError'),
    ('72000', 'DatabaseError'),
    ('F0000', 'InternalError'),
    ('HV000', 'OperationalError'),
    ('P0001', 'InternalError'),
    ('XX001', 'InternalError'),
])
def test_base_by_class(code, base):
    assert errors.lookup(code).__bases__ == (getattr(errors, base),)


@pytest.mark.parametrize('code, name', [
    ('22001', 'StringDataRightTruncation'),
    ('22004', 'NullValueNotAllowed'),
    ('39004', 'NullValueNotAllowedExt'),
    ('2F002', 'ModifyingSqlDataNotPermitted'),
    ('38002', 'ModifyingSqlDataNotPermittedExt'),
    ('38003', 'ProhibitedSqlStatementAttemptedExt'),
    ('38004', 'ReadingSqlDataNotPermittedExt'),
    ('XX000', 'InternalError_'),
    ('08001', 'SqlclientUnableToEstablishSqlconnection'),
    ('25P04', 'TransactionTimeout'),
    ('72000', 'SnapshotTooOld'),
])
def test_special_names(code, name):
    cls = errors.lookup(code)
    assert cls.__name__ == name
    assert getattr(errors, name) is cls
    assert cls.__module__ == 'psycopg2.errors'


def test_internal_error_not_shadowed():
    from psycopg2._impl import exceptions as _exceptions
    assert errors.InternalError is _exceptions.InternalError
    assert errors.InternalError_.__bases__ == (errors.InternalError,)


@pytest.mark.parametrize('code', ['XXXXX', '00000', '01000', '01004', '22020', '', '42'])
def test_errors_lookup_unknown(code):
    # No classes for success and warnings, nor for the historic 22020.
    with pytest.raises(KeyError):
        errors.lookup(code)


def test_every_class():
    seen = set()
    for name, cls in vars(errors).items():
        if not isinstance(cls, type) or cls.__module__ != 'psycopg2.errors':
            continue
        assert cls.__name__ == name
        assert cls.__qualname__ == name
        assert issubclass(cls, errors.DatabaseError)
        seen.add(cls)
    assert len(seen) >= 250
    known = set()
    for name in dir(errorcodes):
        value = getattr(errorcodes, name)
        if name.isupper() and not name.startswith('CLASS_') and value[:2] not in ('00', '01'):
            try:
                known.add(errors.lookup(value))
            except KeyError:
                assert value == '22020'
    assert known == seen


def test_for_sqlstate_known():
    assert errors._for_sqlstate('42P01') is errors.UndefinedTable
    assert errors._for_sqlstate('57014') is errors.QueryCanceled
    assert errors._for_sqlstate('40P01') is errors.DeadlockDetected


@pytest.mark.parametrize('code, base', [
    ('XXXXX', 'InternalError'),
    ('42XXX', 'ProgrammingError'),
    ('22ZZZ', 'DataError'),
    ('23ZZZ', 'IntegrityError'),
    ('40ZZZ', 'TransactionRollbackError'),
    ('08ZZZ', 'OperationalError'),
    ('0AZZZ', 'NotSupportedError'),
    ('57ZZZ', 'OperationalError'),
    ('5ZZZZ', 'OperationalError'),
    ('F9999', 'InternalError'),
    ('HVZZZ', 'OperationalError'),
    ('P9999', 'InternalError'),
    ('01ZZZ', 'DatabaseError'),
    ('ZZ000', 'DatabaseError'),
    ('99999', 'DatabaseError'),
    ('22020', 'DataError'),
    ('00000', 'DatabaseError'),
    ('', 'DatabaseError'),
    (None, 'DatabaseError'),
])
def test_for_sqlstate_fallback(code, base):
    assert errors._for_sqlstate(code) is getattr(errors, base)


def test_raise_and_catch():
    with pytest.raises(psycopg2.IntegrityError) as excinfo:
        raise errors.lookup('23505')('duplicate key value')
    exc = excinfo.value
    assert type(exc) is errors.UniqueViolation
    assert exc.args == ('duplicate key value',)
    assert exc.pgcode is None and exc.pgerror is None


def test_pickle():
    exc = errors.UndefinedTable('no such table', pgcode='42P01', pgerror='ERROR: no such table')
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is errors.UndefinedTable
    assert copy.args == exc.args
    assert copy.pgcode == '42P01'
    assert copy.pgerror == 'ERROR: no such table'


# -- builtin type OIDs -----------------------------------------------------------------------

def test_oids():
    assert _oids.TYPE_OIDS['bool'] == 16
    assert _oids.TYPE_OIDS['int4'] == 23
    assert _oids.TYPE_OIDS['text'] == 25
    assert _oids.TYPE_OIDS['numeric'] == 1700
    assert _oids.TYPE_OIDS['jsonb'] == 3802
    assert _oids.TYPE_OIDS['_int4'] == 1007
    assert _oids.TYPE_NAMES[1114] == 'timestamp'
    assert _oids.ARRAY_OIDS[23] == 1007
    assert _oids.ARRAY_OIDS[3802] == 3807
    assert _oids.ELEMENT_OIDS[1009] == 25
    assert 'pg_type' not in _oids.TYPE_OIDS
    assert '_pg_class' not in _oids.TYPE_OIDS
    for elem, array in _oids.ARRAY_OIDS.items():
        assert _oids.ELEMENT_OIDS[array] == elem
        assert _oids.TYPE_NAMES[array] == '_' + _oids.TYPE_NAMES[elem]
