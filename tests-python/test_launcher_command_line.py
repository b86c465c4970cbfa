"""bin/pg-python's command line as CPython's, the part that test runners and tools use: the
options (-X faulthandler, -X dev, -W, -u, -B, -E, -I, -s, -O, -P), the PYTHON* variables, stdin
and interactive sessions, signals, pip and venv. Each check runs a child interpreter, as a user
or a tool starts one, in both modes (PG_PYTHON_JIT=0 and 1), and looks at an effect a program
would see. What GraalPy 25.0.3 does otherwise is marked xfail with the reason; the tests pass on
CPython (python3 -m pytest --runxfail on a copy of this file)."""
import ast
import os
import select
import signal
import subprocess
import sys
import sysconfig
import textwrap

import pytest

PY = sys.executable
# A child in JIT mode takes about 10 s to start on this machine's 2 cores.
TIMEOUT = 300


@pytest.fixture(params=['0', '1'], ids=['interpreter', 'jit'])
def jit(request):
    return request.param


def child_env(jit, env=None):
    # The child starts as from a clean shell: none of this run's PYTHON* variables (pytest's
    # path, PYTHONUNBUFFERED or PYTHONDONTWRITEBYTECODE set on the machine); bin/pg-python
    # puts its own path back.
    clean = {k: v for k, v in os.environ.items() if not k.startswith('PYTHON')}
    return dict(clean, PG_PYTHON_JIT=jit, **(env or {}))


def python(jit, *args, env=None, cwd=None, input=None):
    return subprocess.run([PY, *args], env=child_env(jit, env), cwd=cwd, input=input,
                          capture_output=True, text=True, timeout=TIMEOUT)


def values(jit, *args, **kwargs):
    """Runs a child whose last line of output is a Python literal; that value."""
    done = python(jit, *args, **kwargs)
    assert done.returncode == 0, done.stderr[-3000:]
    return ast.literal_eval(done.stdout.strip().splitlines()[-1])


def xfail(reason):
    # strict: a fix shows as XPASS and fails the run until the mark goes; raises: any other
    # failure (a child that hangs, a crash) is a real failure.
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


# Results of a child that several tests look at (one child per mode, not one per test).
_shared = {}


def shared(key, run):
    if key not in _shared:
        _shared[key] = run()
    return _shared[key]


# -- -X faulthandler, -X dev ----------------------------------------------------------------

FAULTHANDLER = ('import faulthandler, sys; '
                "print((faulthandler.is_enabled(), getattr(sys, '_xoptions', None)))")


@pytest.mark.parametrize('args, env, xoptions', [
    pytest.param(['-X', 'faulthandler'], {}, {'faulthandler': True}, id='-X faulthandler'),
    pytest.param([], {'PYTHONFAULTHANDLER': '1'}, {}, id='PYTHONFAULTHANDLER'),
])
def test_faulthandler_on(jit, args, env, xoptions):
    # pytest and test runners turn it on so that a hang or a crash shows where every thread is.
    # (GraalPy's launcher drops both; bin/pg-python's start-up code reads them back.)
    assert values(jit, *args, '-c', FAULTHANDLER, env=env) == (True, xoptions)


def test_x_dev(jit, tmp_path):
    # Development mode: faulthandler on, and the warnings that are hidden by default shown.
    (tmp_path / 'oldapi.py').write_text(
        'import warnings\nwarnings.warn("oldapi is deprecated", DeprecationWarning)\n')
    done = python(jit, '-X', 'dev', '-c',
                  'import faulthandler, sys, oldapi; '
                  'print((sys.flags.dev_mode, faulthandler.is_enabled()))', cwd=tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, '(True, True)'), done.stderr[-3000:]
    assert 'DeprecationWarning: oldapi is deprecated' in done.stderr


# -- -W, PYTHONWARNINGS ---------------------------------------------------------------------

def test_warning_options_from_the_environment_and_the_command_line(jit):
    # PYTHONWARNINGS comes first, -W after it; 'ignore' silences the DeprecationWarning that
    # __main__ shows by default, 'error' turns the UserWarning into an exception (status 1).
    done = python(jit, '-W', 'error::UserWarning', '-c',
                  'import sys, warnings\n'
                  'print(sys.warnoptions, flush=True)\n'
                  'warnings.warn("old", DeprecationWarning)\n'
                  'warnings.warn("boom")\n'
                  'print("not reached")',
                  env={'PYTHONWARNINGS': 'ignore::DeprecationWarning'})
    assert done.returncode == 1
    assert done.stdout == "['ignore::DeprecationWarning', 'error::UserWarning']\n"
    assert done.stderr.splitlines()[-1] == 'UserWarning: boom'
    assert 'old' not in done.stderr


# -- -u, PYTHONUNBUFFERED, and stdout to a pipe ---------------------------------------------

def stdout_seen_before_exit(jit, args, env, text, wait):
    """What the parent can read of the child's `sys.stdout.write(text)` while the child still
    runs (it waits for a line on stdin after saying 'ready' on stderr), and all its stdout."""
    code = ('import sys\n'
            'sys.stdout.write(%r)\n'
            'sys.stderr.write("ready\\n"); sys.stderr.flush()\n'
            'sys.stdin.readline()\n' % text)
    with subprocess.Popen([PY, *args, '-c', code], env=child_env(jit, env), bufsize=0,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as child:
        try:
            said = []
            for line in child.stderr:
                said.append(line)
                if line == b'ready\n':
                    break
            assert said[-1:] == [b'ready\n'], b''.join(said)[-3000:]
            readable, _, _ = select.select([child.stdout], [], [], wait)
            early = os.read(child.stdout.fileno(), 1000) if readable else b''
            rest, _ = child.communicate(b'\n', timeout=TIMEOUT)
        finally:
            child.kill()
    return early, early + rest


@pytest.mark.parametrize('args, env', [
    pytest.param(['-u'], {}, id='-u'),
    pytest.param([], {'PYTHONUNBUFFERED': '1'}, id='PYTHONUNBUFFERED'),
])
def test_unbuffered_stdout_reaches_the_parent_at_once(jit, args, env):
    # No newline: only an unbuffered stdout sends it before the child ends (a parent
    # streaming a test run's output relies on it).
    early, everything = stdout_seen_before_exit(jit, args, env, 'early', wait=30)
    assert (early, everything) == (b'early', b'early')


def test_stdout_to_a_pipe_is_block_buffered(jit):
    early, everything = stdout_seen_before_exit(jit, [], {}, 'early\n', wait=1)
    assert (early, everything) == (b'', b'early\n')


# -- -B, PYTHONDONTWRITEBYTECODE ------------------------------------------------------------

@pytest.mark.parametrize('args, env', [
    pytest.param(['-B'], {}, id='-B'),
    pytest.param([], {'PYTHONDONTWRITEBYTECODE': '1'}, id='PYTHONDONTWRITEBYTECODE'),
])
def test_no_bytecode_written(jit, tmp_path, args, env):
    (tmp_path / 'fresh.py').write_text('VALUE = 1\n')
    flags = values(jit, *args, '-c', 'import os, sys, fresh; '
                   'print((sys.flags.dont_write_bytecode, sys.dont_write_bytecode, '
                   'os.environ.get("PYTHONDONTWRITEBYTECODE")))',
                   env=env, cwd=tmp_path)
    # The variable stays as the user set it, for the program and its children.
    assert flags == (1, True, env.get('PYTHONDONTWRITEBYTECODE'))
    assert not (tmp_path / '__pycache__').exists()


# -- sys.path: -E, -I, -P, -s ---------------------------------------------------------------

# A script that tells which of the modules placed around it it can import.
WHERE = '''
import site, sys
found = []
for name in ('besidescript', 'incwd', 'onpythonpath'):
    try:
        __import__(name)
        found.append(name)
    except ImportError:
        pass
print((found, sys.path[0], site.ENABLE_USER_SITE, site.getusersitepackages() in sys.path,
       sys.flags.isolated, sys.flags.ignore_environment, sys.flags.no_user_site,
       sys.flags.safe_path))
'''


@pytest.fixture
def layout(tmp_path):
    """A script in scripts/ with a module beside it, a module in the working directory, one in
    a PYTHONPATH directory, and a user site directory (PYTHONUSERBASE) that exists."""
    (tmp_path / 'scripts').mkdir()
    (tmp_path / 'scripts' / 'where.py').write_text(WHERE)
    (tmp_path / 'scripts' / 'besidescript.py').write_text('')
    (tmp_path / 'incwd.py').write_text('')
    (tmp_path / 'lib').mkdir()
    (tmp_path / 'lib' / 'onpythonpath.py').write_text('')
    user_base = tmp_path / 'userbase'
    # The child is this same interpreter: its user site is where ours would be.
    os.makedirs(sysconfig.get_path('purelib', 'posix_user', vars={'userbase': str(user_base)}))
    env = {'PYTHONPATH': str(tmp_path / 'lib'), 'PYTHONUSERBASE': str(user_base)}
    return tmp_path, env


def test_P_leaves_the_script_directory_off_sys_path(jit, layout):
    root, env = layout
    found, first, user_site, user_site_on_path, _, _, _, safe_path = values(
        jit, '-P', str(root / 'scripts' / 'where.py'), env=env, cwd=root)
    assert (found, safe_path) == (['onpythonpath'], True)
    assert first != str(root / 'scripts')
    # Without -s the user site is there: what test_s checks the absence of.
    assert (user_site, user_site_on_path) == (True, True)
    # Without -B the imported module's bytecode is written: what -B turns off.
    assert (root / 'lib' / '__pycache__').is_dir()


def test_s_leaves_the_user_site_off_sys_path(jit, layout):
    root, env = layout
    found, _, user_site, user_site_on_path, _, _, no_user_site, _ = values(
        jit, '-s', str(root / 'scripts' / 'where.py'), env=env, cwd=root)
    assert (user_site, user_site_on_path, no_user_site) == (False, False, 1)
    assert found == ['besidescript', 'onpythonpath']


def test_E_ignores_the_python_variables(jit, layout):
    root, env = layout
    env = dict(env, PYTHONWARNINGS='error')
    done = python(jit, '-E', '-c', 'import sys, warnings; warnings.warn("only a warning"); '
                  'exec(open(sys.argv[1]).read())', str(root / 'scripts' / 'where.py'),
                  env=env, cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    assert 'UserWarning: only a warning' in done.stderr
    found, first, _, _, isolated, ignore_environment, _, _ = ast.literal_eval(done.stdout)
    # -c puts the working directory first; PYTHONPATH is ignored.
    assert (found, first, isolated, ignore_environment) == (['incwd'], '', 0, 1)


def test_I_isolates_from_the_script_directory_the_environment_and_the_user_site(jit, layout):
    root, env = layout
    result = values(jit, '-I', str(root / 'scripts' / 'where.py'), env=env, cwd=root)
    found, first, user_site, user_site_on_path = result[:4]
    assert (found, user_site, user_site_on_path) == ([], False, False)
    assert first != str(root / 'scripts')
    assert result[4:] == (1, 1, 1, True)


# -- -O -------------------------------------------------------------------------------------

def optimized(jit, tmp_path):
    def run():
        (tmp_path / 'checks.py').write_text('assert False, "assert kept in a module"\n')
        return values(jit, '-O', '-c', textwrap.dedent('''
            import sys
            try:
                assert False
                main_assert = 'skipped'
            except AssertionError:
                main_assert = 'ran'
            try:
                import checks
                module_assert = 'skipped'
            except AssertionError:
                module_assert = 'ran'
            print((sys.flags.optimize, __debug__, main_assert, module_assert))
        '''), cwd=tmp_path)
    return shared(('-O', jit), run)


def test_O_sets_the_flag_and_debug_off(jit, tmp_path):
    assert optimized(jit, tmp_path)[:2] == (1, False)


def test_O_skips_the_asserts_of_imported_modules(jit, tmp_path):
    assert optimized(jit, tmp_path)[3] == 'skipped'


def test_O_skips_the_asserts_of_the_script(jit, tmp_path):
    assert optimized(jit, tmp_path)[2] == 'skipped'


def test_OO_runs_a_script_file_without_asserts_and_docstrings(jit, tmp_path):
    (tmp_path / 'scripts').mkdir()
    (tmp_path / 'scripts' / 'optimized.py').write_text(textwrap.dedent('''
        import sys
        def documented():
            "a docstring"
        try:
            assert False
            asserts = 'skipped'
        except AssertionError:
            asserts = 'ran'
        print((sys.flags.optimize, asserts, documented.__doc__, sys.argv, sys.path[0],
               __file__, sys.orig_argv[1:]))
    '''))
    script = str(tmp_path / 'scripts' / 'optimized.py')
    assert values(jit, '-OO', script, 'arg', cwd=tmp_path) == (
        2, 'skipped', None, [script, 'arg'], os.path.realpath(tmp_path / 'scripts'), script,
        ['-OO', script, 'arg'])


# -- sys.flags without options --------------------------------------------------------------

def test_flags_without_options_ask_children_for_none(jit):
    # multiprocessing and test runners start children with the parent's flags.
    assert values(jit, '-c', 'import subprocess, sys; '
                  'print((sys.flags.debug, subprocess._args_from_interpreter_flags()))') == (0, [])


# -- stdin and interactive sessions ---------------------------------------------------------

def test_pythonstartup_runs_before_an_interactive_session(jit, tmp_path):
    startup = tmp_path / 'startup.py'
    startup.write_text('FROM_STARTUP = 42\n')
    done = python(jit, '-i', input='print("seen", FROM_STARTUP)\n',
                  env={'PYTHONSTARTUP': str(startup)})
    assert 'seen 42' in done.stdout, done.stderr[-3000:]


def test_a_script_read_from_stdin_sets_the_exit_status(jit):
    # `python - <<EOF` in shell scripts and CI steps: a failure must fail the step.
    done = python(jit, '-', input='import sys\nprint(sys.argv)\nsys.exit(3)\n')
    assert (done.returncode, done.stdout) == (3, "['-']\n"), done.stderr[-3000:]


def test_a_script_read_from_stdin_reports_its_exception_from_its_own_frame(jit):
    done = python(jit, '-u', '-', 'arg', input='import sys\n'
                  'print((sys.argv, sys.orig_argv[1:], __file__, __name__))\n'
                  '1 / 0\n')
    assert done.returncode == 1
    assert ast.literal_eval(done.stdout) == (['-', 'arg'], ['-u', '-', 'arg'], '<stdin>',
                                             '__main__')
    assert done.stderr == ('Traceback (most recent call last):\n'
                           '  File "<stdin>", line 3, in <module>\n'
                           'ZeroDivisionError: division by zero\n')


# -- signals --------------------------------------------------------------------------------

def signalled(jit, tmp_path, code, signum, wait):
    """Starts `code` as a script, sends it `signum` once it printed 'ready', and gives its
    (status, stdout, stderr); the status is None if it had not ended `wait` s later."""
    script = tmp_path / 'busy.py'
    script.write_text(textwrap.dedent(code))
    with subprocess.Popen([PY, str(script)], env=child_env(jit), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        try:
            assert child.stdout.readline() == 'ready\n', child.stderr.read()[-3000:]
            child.send_signal(signum)
            try:
                out, err = child.communicate(timeout=wait)
            except subprocess.TimeoutExpired:
                return None, '', ''
            return child.returncode, out, err
        finally:
            child.kill()


BUSY = '''
    try:
        print('ready', flush=True)      # inside: CPython may see SIGINT before a try after it
        n = 0
        while True:
            n += 1
    finally:
        print('finally ran', flush=True)
'''


def interrupted(jit, tmp_path):
    return shared(('SIGINT', jit), lambda: signalled(jit, tmp_path, BUSY, signal.SIGINT, 60))


def test_sigint_raises_keyboard_interrupt_in_the_main_thread(jit, tmp_path):
    status, out, err = interrupted(jit, tmp_path)
    assert status is not None and status != 0
    assert out.endswith('finally ran\n')
    assert err.splitlines()[0] == 'Traceback (most recent call last):'
    assert err.splitlines()[-1] == 'KeyboardInterrupt'


def test_an_uncaught_keyboard_interrupt_ends_the_process_by_sigint(jit, tmp_path):
    assert interrupted(jit, tmp_path)[0] == -signal.SIGINT


def test_sigint_interrupts_time_sleep(jit, tmp_path):
    status, _, err = signalled(jit, tmp_path, '''
        import time
        print('ready', flush=True)
        time.sleep(120.0)
    ''', signal.SIGINT, 5)
    assert status is not None, 'still sleeping 5 s after SIGINT'
    assert err.splitlines()[-1] == 'KeyboardInterrupt'


def test_sigterm_ends_the_process_by_sigterm(jit, tmp_path):
    status, out, _ = signalled(jit, tmp_path, '''
        import time
        print('ready', flush=True)
        try:
            time.sleep(120.0)
        finally:
            print('finally ran', flush=True)
    ''', signal.SIGTERM, 30)
    # Nothing of Python's runs: no finally, no atexit.
    assert (status, out) == (-signal.SIGTERM, '')


# -- pip and venv ---------------------------------------------------------------------------

@xfail("GraalPy's home has ensurepip but no pip in its site-packages: "
       "'bin/pg-python: No module named pip' (a venv has pip)")
def test_m_pip_version(jit):
    done = python(jit, '-m', 'pip', '--version')
    assert done.returncode == 0 and done.stdout.startswith('pip '), done.stderr[-3000:]


def test_venv_then_pip_install(tmp_path):
    # Slow (a minute and more: the venv installs pip, pip starts twice), so in one mode only.
    venv = tmp_path / 'venv'
    pip_env = {'PIP_EXTRA_INDEX_URL': ' ', 'PIP_GRAALPY_PATCHES_URL': 'disabled',
               'PIP_DISABLE_PIP_VERSION_CHECK': '1'}
    done = python('0', '-m', 'venv', str(venv))
    assert done.returncode == 0, done.stderr[-3000:]
    # The venv's pip script: its #! line starts the venv's python, a link to bin/pg-python.
    version = subprocess.run([str(venv / 'bin' / 'pip'), '--version'], capture_output=True,
                             text=True, env=child_env('0', pip_env), timeout=TIMEOUT)
    assert version.returncode == 0, version.stderr[-3000:]
    assert version.stdout.startswith('pip ') and str(venv) in version.stdout
    venv_python = str(venv / 'bin' / 'python')
    install = subprocess.run([venv_python, '-m', 'pip', 'install', 'six==1.16.0'],
                             capture_output=True, text=True, env=child_env('0', pip_env),
                             timeout=TIMEOUT)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    installed = subprocess.run(
        [venv_python, '-c', 'import six, sys; print((six.__version__, sys.prefix, six.__file__))'],
        capture_output=True, text=True, env=child_env('0'), timeout=TIMEOUT)
    assert installed.returncode == 0, installed.stderr[-3000:]
    version, prefix, where = ast.literal_eval(installed.stdout.strip())
    assert (version, prefix) == ('1.16.0', str(venv))
    assert where.startswith(str(venv / 'lib'))
