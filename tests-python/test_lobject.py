"""Large objects (connection.lobject(), extensions.lobject) against the server: modes, text and
binary data, positions past 2 GB, import and export, and psycopg2's refusals in its words."""

import pytest

import psycopg2
import psycopg2.extensions as ext
import psycopg2.extras
from psycopg2._impl import lobject as _lobject_module

lobject = ext.lobject


@pytest.fixture
def committed(connect):
    """OIDs of large objects a test commits: unlinked at its end."""
    oids = []
    yield oids
    conn = connect() if oids else None
    for oid in oids:
        try:
            conn.lobject(oid, 'n').unlink()
            conn.commit()
        except psycopg2.OperationalError:
            conn.rollback()       # a transaction that was rolled back took it with it


def stored(conn, data, mode='rb'):
    """A new large object holding ``data``, closed, then opened again in ``mode``."""
    lo = conn.lobject()
    lo.write(data)
    lo.close()
    return conn.lobject(lo.oid, mode)


def unused_oid(conn):
    lo = conn.lobject()
    lo.unlink()
    return lo.oid


# -- modes (no server needed) ---------------------------------------------------------------

@pytest.mark.parametrize('mode, name', [
    ('', 'rt'), ('r', 'rt'), ('t', 'rt'), ('b', 'rb'), ('rt', 'rt'), ('rb', 'rb'),
    ('w', 'wt'), ('wb', 'wb'), ('rw', 'rwt'), ('rwb', 'rwb'), ('rwt', 'rwt'),
    ('n', 'n'), ('nb', 'n'), ('nt', 'n'),
])
def test_modes_and_their_names(mode, name):
    assert _lobject_module.mode_name(_lobject_module.parse_mode(mode)) == name


@pytest.mark.parametrize('mode', ['x', 'rx', 'rtb', 'wr', 'rwx', 'bb', 'R'])
def test_bad_modes(mode):
    with pytest.raises(ValueError, match="^bad mode for lobject: '%s'$" % mode):
        _lobject_module.parse_mode(mode)


# -- creating and opening -------------------------------------------------------------------

def test_create_opens_for_writing_in_a_transaction(conn):
    lo = conn.lobject()
    assert lo.oid > 0 and lo.mode == 'wt' and lo.closed is False
    assert type(lo) is lobject and lobject.__module__ == 'psycopg2.extensions'
    assert conn.status == ext.STATUS_BEGIN
    assert repr(lo) == str(lo) == '<lobject object at 0x%x; closed: 0>' % id(lo)
    lo.close()
    assert repr(lo).endswith('; closed: 1>')


@pytest.mark.parametrize('mode, name', [('', 'wt'), (None, 'wt'), ('r', 'wt'), ('rb', 'wb'),
                                        ('n', 'wt'), ('rw', 'wt')])
def test_a_new_object_is_always_opened_for_writing(conn, mode, name):
    assert conn.lobject(mode=mode).mode == name


def test_open_existing_in_each_mode(conn):
    oid = conn.lobject().oid
    for mode, name in [('', 'rt'), (None, 'rt'), ('w', 'wt'), ('rwb', 'rwb')]:
        lo = conn.lobject(oid, mode)
        assert (lo.oid, lo.mode, lo.closed) == (oid, name, False)


def test_mode_n_gives_a_closed_lobject_without_asking_the_server(conn):
    lo = conn.lobject(unused_oid(conn), 'n')
    assert lo.closed is True and lo.mode == 'n'
    with pytest.raises(psycopg2.InterfaceError, match='^lobject already closed$'):
        lo.read()


def test_bad_mode_is_a_value_error(conn):
    with pytest.raises(ValueError, match="bad mode for lobject: 'rx'"):
        conn.lobject(0, 'rx')


def test_arguments_are_checked():
    with pytest.raises(TypeError, match='must be psycopg2.extensions.connection, not list'):
        lobject([])


def test_argument_types(conn):
    with pytest.raises(TypeError):
        conn.lobject(1.5)
    with pytest.raises(TypeError):
        conn.lobject(0, 1)
    with pytest.raises(ValueError, match='embedded null character'):
        conn.lobject(0, 'r', 0, 'file\x00name')


def test_open_non_existent_is_an_operational_error(conn):
    oid = unused_oid(conn)
    with pytest.raises(psycopg2.OperationalError) as info:
        conn.lobject(oid)
    assert str(info.value) == 'ERROR:  large object %d does not exist\n' % oid
    assert info.value.pgcode is None and info.value.pgerror is None
    assert not conn.closed


def test_oids_are_unsigned_and_taken_modulo_2_32(conn):
    for oid in (0xFFFFFFFE, -2):
        with pytest.raises(psycopg2.OperationalError, match='large object 4294967294 does not'):
            conn.lobject(oid)
        conn.rollback()


def test_create_with_a_chosen_oid(conn):
    oid = unused_oid(conn)
    lo = conn.lobject(0, 'w', oid)
    assert lo.oid == oid
    lo.close()
    with pytest.raises(psycopg2.OperationalError):
        conn.lobject(0, 'w', oid)
    assert not conn.closed


def test_import_a_file(conn, tmp_path):
    path = tmp_path / 'data.txt'
    path.write_bytes(b'some data \xe2\x98\x83')
    lo = conn.lobject(0, 'r', 0, str(path))
    assert lo.mode == 'wt'
    assert lo.read() == 'some data \u2603'


def test_import_a_relative_path_from_the_python_working_directory(conn, tmp_path, monkeypatch):
    (tmp_path / 'rel.bin').write_bytes(b'\x00\xff')
    monkeypatch.chdir(tmp_path)
    assert conn.lobject(0, 'rb', 0, 'rel.bin').read() == b'\x00\xff'


def test_import_a_missing_file_says_why(conn, tmp_path):
    missing = str(tmp_path / 'missing')
    with pytest.raises(psycopg2.OperationalError) as info:
        conn.lobject(0, 'r', 0, missing)
    assert str(info.value) == 'could not open file "%s": No such file or directory\n' % missing


def test_factory_makes_the_lobject(conn):
    class Subclass(lobject):
        pass

    lo = conn.lobject(lobject_factory=Subclass)
    assert type(lo) is Subclass and lo.mode == 'wt'
    with pytest.raises(TypeError, match='lobject factory must be subclass of '
                                        'psycopg2.extensions.lobject'):
        conn.lobject(lobject_factory=lambda *args: object())


def test_direct_construction(conn):
    lo = lobject(conn, 0, 'b')
    assert lo.mode == 'wb' and lo.write(b'x') == 1


# -- reading and writing --------------------------------------------------------------------

def test_write_returns_the_bytes_written(conn):
    lo = conn.lobject()
    assert lo.write(b'some data') == 9
    assert lo.write('\u2603') == 3
    assert lo.tell() == 12


def test_write_takes_bytes_or_str_only(conn):
    lo = conn.lobject()
    for value, name in [(1, 'int'), (bytearray(b'x'), 'bytearray'), (None, 'NoneType')]:
        with pytest.raises(TypeError, match='^lobject.write requires a string; got %s instead$'
                                            % name):
            lo.write(value)


def test_read_text_and_binary(conn):
    lo = stored(conn, 'some data \u2603', 'rt')
    assert lo.read(4) == 'some'
    assert lo.read() == ' data \u2603'
    assert lo.read() == ''
    lo = conn.lobject(lo.oid, 'rb')
    assert lo.read(4) == b'some'
    assert lo.read() == b' data \xe2\x98\x83'
    assert lo.read(10) == b''


def test_every_byte_value(conn):
    data = bytes(range(256)) * 3
    assert stored(conn, data).read() == data


def test_text_mode_uses_the_connection_encoding(conn):
    conn.set_client_encoding('LATIN1')
    lo = conn.lobject()
    assert lo.write('caf\xe9') == 4
    lo.seek(0)
    assert lo.read() == 'caf\xe9'
    assert conn.lobject(lo.oid, 'rb').read() == b'caf\xe9'
    with pytest.raises(UnicodeEncodeError):
        lo.write('\u2603')


def test_large_data(conn):
    data = 'data' * 1000000
    lo = conn.lobject()
    assert lo.write('some' + data) == 4000004
    lo.close()
    lo = conn.lobject(lo.oid)
    assert lo.read(4) == 'some'
    assert lo.read() == data


def test_writing_through_a_read_only_descriptor(conn):
    lo = stored(conn, b'x', 'r')
    with pytest.raises(psycopg2.OperationalError, match='not opened for writing'):
        lo.write(b'y')


def test_seek_and_tell(conn):
    lo = stored(conn, b'some data', 'r')
    assert lo.seek(5, 0) == 5 and lo.tell() == 5
    assert lo.read() == 'data'
    lo.seek(5)
    assert lo.seek(2, 1) == 7 and lo.tell() == 7
    assert lo.read() == 'ta'
    assert lo.seek(-2, 2) == 7
    assert lo.read() == 'ta'


def test_truncate(conn):
    lo = stored(conn, b'some data', 'w')
    lo.truncate(4)
    assert lo.tell() == 0
    assert lo.read() == 'some'
    lo.truncate(6)
    lo.seek(0)
    assert lo.read() == 'some\x00\x00'
    lo.truncate()
    lo.seek(0)
    assert lo.read() == ''


def test_positions_past_2_gb(conn):
    lo = conn.lobject()
    length = (1 << 31) + (1 << 30)
    lo.truncate(length)
    assert lo.seek(length, 0) == length
    assert lo.tell() == length
    assert lo.seek(-1, 2) == length - 1


def test_sizes_beyond_c_ranges(conn):
    lo = conn.lobject()
    with pytest.raises(OverflowError):
        lo.seek(1 << 63)
    with pytest.raises(OverflowError):
        lo.seek(0, 1 << 31)
    with pytest.raises(psycopg2.OperationalError, match='argument of lo_read exceeds integer'):
        lo.read(1 << 31)


# -- export, unlink, close ------------------------------------------------------------------

def test_export(conn, tmp_path):
    lo = conn.lobject()
    lo.write(b'some data')
    path = tmp_path / 'data.txt'
    lo.export(str(path))
    assert path.read_bytes() == b'some data'
    lo.close()
    path.write_bytes(b'longer than before')
    lo.export(str(path))
    assert path.read_bytes() == b'some data', 'after close(), and truncated'


def test_export_a_relative_path_to_the_python_working_directory(conn, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stored(conn, b'x').export('out.bin')
    assert (tmp_path / 'out.bin').read_bytes() == b'x'


def test_export_failures(conn, tmp_path):
    lo = conn.lobject()
    with pytest.raises(psycopg2.OperationalError, match='could not open file .*Is a directory'):
        lo.export(str(tmp_path))
    with pytest.raises(TypeError):
        lo.export(None)


def test_unlink(conn):
    lo = conn.lobject()
    lo.unlink()
    assert lo.closed is True
    with pytest.raises(psycopg2.OperationalError):
        conn.lobject(lo.oid)


def test_unlink_after_close(conn):
    lo = conn.lobject()
    lo.close()
    lo.unlink()
    with pytest.raises(psycopg2.OperationalError):
        conn.lobject(lo.oid)


def test_close_twice_and_after_the_connection(conn):
    lo = conn.lobject()
    lo.close()
    lo.close()
    lo = conn.lobject()
    conn.close()
    assert lo.closed is True
    lo.close()


@pytest.mark.parametrize('method, args', [('read', (5,)), ('write', (b'x',)), ('seek', (0,)),
                                          ('tell', ()), ('truncate', ())])
def test_file_methods_after_close(conn, method, args):
    lo = conn.lobject()
    lo.close()
    with pytest.raises(psycopg2.InterfaceError, match='^lobject already closed$'):
        getattr(lo, method)(*args)


# -- the transaction ------------------------------------------------------------------------

def test_refused_in_autocommit(conn):
    conn.autocommit = True
    with pytest.raises(psycopg2.ProgrammingError,
                       match="^can't use a lobject outside of transactions$"):
        conn.lobject()


@pytest.mark.parametrize('end', ['commit', 'rollback', 'reset'])
@pytest.mark.parametrize('method, args', [('read', (5,)), ('write', (b'x',)), ('seek', (0,)),
                                          ('tell', ()), ('truncate', ())])
def test_file_methods_once_the_transaction_is_over(conn, committed, end, method, args):
    lo = conn.lobject()
    committed.append(lo.oid)
    getattr(conn, end)()
    with pytest.raises(psycopg2.ProgrammingError, match="^lobject isn't valid anymore$"):
        getattr(lo, method)(*args)


def test_after_commit_close_does_nothing_and_whole_object_methods_work(conn, committed, tmp_path):
    lo = conn.lobject()
    committed.append(lo.oid)
    lo.write(b'some data')
    conn.commit()
    lo.close()
    assert lo.closed is False, "psycopg2 keeps the stale descriptor's number"
    lo.export(str(tmp_path / 'out'))
    assert (tmp_path / 'out').read_bytes() == b'some data'
    assert conn.status == ext.STATUS_BEGIN, 'export began a transaction'
    lo.unlink()
    conn.commit()
    committed.remove(lo.oid)


def test_a_lobject_whose_connection_went_autocommit(conn, committed, tmp_path):
    lo = conn.lobject()
    committed.append(lo.oid)
    conn.commit()
    conn.autocommit = True
    with pytest.raises(psycopg2.ProgrammingError, match="outside of transactions"):
        lo.read()
    with pytest.raises(psycopg2.ProgrammingError, match="outside of transactions"):
        lo.export(str(tmp_path / 'out'))
    lo.close()
    lo.unlink()
    committed.remove(lo.oid)


def test_a_server_error_leaves_the_transaction_failed(conn):
    lo = stored(conn, b'x', 'r')
    with pytest.raises(psycopg2.OperationalError):
        lo.write(b'y')
    assert conn.info.transaction_status == ext.TRANSACTION_STATUS_INERROR
    with pytest.raises(psycopg2.OperationalError, match='current transaction is aborted'):
        lo.read()
    conn.rollback()
    assert conn.lobject().mode == 'wt'


def test_a_lost_connection_closes_it(conn, connect):
    lo = conn.lobject()
    killer = connect()
    killer.autocommit = True
    killer.cursor().execute('SELECT pg_terminate_backend(%s)', (conn.info.backend_pid,))
    with pytest.raises(psycopg2.OperationalError):
        lo.write(b'x')
    assert conn.closed == 2
    assert lo.closed is True


# -- what connection.lobject() refuses ------------------------------------------------------

def test_refused_on_a_closed_connection(conn):
    conn.close()
    with pytest.raises(psycopg2.InterfaceError, match='connection already closed'):
        conn.lobject()


def test_refused_in_async_mode(dsn):
    conn = psycopg2.connect(dsn, async_=True)
    try:
        with pytest.raises(psycopg2.ProgrammingError,
                           match='^lobject cannot be used in asynchronous mode$'):
            conn.lobject()
    finally:
        conn.close()


def test_refused_with_a_wait_callback(conn):
    ext.set_wait_callback(psycopg2.extras.wait_select)
    try:
        with pytest.raises(psycopg2.ProgrammingError,
                           match='^lobject cannot be used with an asynchronous callback.$'):
            conn.lobject()
    finally:
        ext.set_wait_callback(None)
