"""bin/pg-python's runtime, against what CPython gives: the stack depth (both modes), and the
gaps of GraalPy 25.0.3 that the launcher's start-up code (python/src/main/launcher) fills.
Checks that depend on the start-up run in a child interpreter started as a user starts it."""
import os
import subprocess
import sys
import textwrap

import pytest

LAUNCHER_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            'python', 'src', 'main', 'launcher')


def run(code, jit='0', env=None, executable=None):
    """Run `code` in a child bin/pg-python (or `executable`); its stdout, stripped."""
    child_env = dict(os.environ, PG_PYTHON_JIT=jit, **(env or {}))
    done = subprocess.run([executable or sys.executable, '-c', textwrap.dedent(code)],
                          env=child_env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


RECURSION = '''
    import sys, threading

    def depth(n=0):
        try:
            return depth(n + 1)
        except RecursionError:
            return n

    def nested(levels):
        return 1 + nested(levels - 1) if levels else 0

    in_thread = []
    worker = threading.Thread(target=lambda: in_thread.append((nested(990), depth())))
    worker.start()
    worker.join()
    print(nested(990), depth() >= 990, in_thread[0][0], in_thread[0][1] >= 990)
'''


@pytest.mark.parametrize('jit', ['0', '1'], ids=['interpreter', 'jit'])
def test_recursion_reaches_cpythons_limit_and_ends_in_recursion_error(jit):
    # 990 frames deep in the main thread and in a threading.Thread, and infinite recursion
    # caught as RecursionError in both (a Java StackOverflowError would end the process).
    assert run(RECURSION, jit=jit) == '990 True 990 True'


COLLECTOR = '''
    import java
    beans = java.type('java.lang.management.ManagementFactory').getGarbageCollectorMXBeans()
    print(sorted(str(bean.getName()) for bean in beans),
          java.type('java.lang.Runtime').getRuntime().maxMemory() >> 20)
'''


def test_the_jvm_collects_with_the_serial_collector_unless_the_user_names_one():
    names, _ = run(COLLECTOR).rsplit(' ', 1)
    assert names == "['Copy', 'MarkSweepCompact']"
    # PG_PYTHON_JAVA_OPTS comes after the launcher's options (its -Xmx applies) and a collector
    # named there or in the JVM's own variable replaces the serial one (two would stop the JVM).
    chosen = {'PG_PYTHON_JAVA_OPTS': '-XX:+UseG1GC  -Xmx700m'}
    names, max_mb = run(COLLECTOR, env=chosen).rsplit(' ', 1)
    assert names.startswith("['G1 ") and max_mb == '700'
    names, _ = run(COLLECTOR, env={'JAVA_TOOL_OPTIONS': '-XX:+UseParallelGC'}).rsplit(' ', 1)
    assert names == "['PS MarkSweep', 'PS Scavenge']"


def test_gc_tuning_functions_exist_and_keep_their_values():
    assert run('''
        import gc
        before = gc.get_threshold()
        gc.set_threshold(500, 5)
        gc.freeze()
        print(before, gc.get_threshold(), gc.get_freeze_count(), gc.garbage, len(gc.get_stats()))
        gc.unfreeze()
    ''') == '(700, 10, 10) (500, 5, 10) 0 [] 3'


def test_sleep_passes_an_int_on_as_a_float():
    # GraalPy's sleep(1) oversleeps by up to a second where sleep(1.0) is exact.
    assert run('''
        import time
        import pg_python_runtime.clocks as clocks
        seen = []
        clocks._sleep = seen.append
        time.sleep(0)
        time.sleep(0.0)
        print([type(v).__name__ for v in seen], time.sleep.__module__)
    ''') == "['float', 'float'] time"


def test_sleep_runs_signal_handlers_on_the_way_and_sleeps_to_its_end():
    # GraalPy's sleep runs a signal's handler only when it returns (SIGINT's KeyboardInterrupt
    # too); the start-up code's sleeps in steps: the handler runs during the sleep, and when
    # it returns the sleep goes on to its end (PEP 475), as CPython's.
    out = run('''
        import os, signal, threading, time
        seen = []
        signal.signal(signal.SIGUSR1, lambda signum, frame: seen.append(time.monotonic()))
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGUSR1)).start()
        start = time.monotonic()
        time.sleep(1.5)
        end = time.monotonic()
        print(len(seen), seen[0] < start + 1.4, 1.5 <= end - start < 2.0)
    ''')
    assert out == '1 True True'


def test_posix_clocks_and_process_times():
    out = run('''
        import os, resource, time
        sum(range(3_000_000))
        a = time.clock_gettime(time.CLOCK_MONOTONIC)
        b = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        t = os.times()
        print(b >= a * 1e9 - 1e6, time.clock_getres(time.CLOCK_REALTIME),
              usage.ru_utime > 0.01, t.user > 0.01, t.elapsed > 0,
              os.sched_getaffinity(0) == set(range(os.cpu_count())))
        try:
            time.clock_gettime(12345)
        except OSError as e:
            print(e.errno)
    ''')
    assert out.splitlines() == ['True 1e-09 True True True True', '22']


def test_json_dump_only_writes():
    assert run('''
        import json

        class Writer:              # no flush(), as many file-like objects
            def __init__(self):
                self.parts = []

            def write(self, text):
                self.parts.append(text)

        w = Writer()
        json.dump({'a': [1, 2]}, w, sort_keys=True)
        print(''.join(w.parts))
    ''') == '{"a": [1, 2]}'


def test_named_time_zones_come_from_the_system_database():
    assert run('''
        import datetime, zoneinfo
        paris = zoneinfo.ZoneInfo('Europe/Paris')
        print(datetime.datetime(2024, 7, 1, 12, tzinfo=paris).utcoffset(), zoneinfo.TZPATH[0])
    ''') == '2:00:00 /usr/share/zoneinfo'


def test_a_time_zone_path_the_user_chose_is_kept(tmp_path):
    out = run('import zoneinfo; print(zoneinfo.TZPATH)', env={'PYTHONTZPATH': str(tmp_path)})
    assert out == repr((str(tmp_path),))


def test_a_users_own_sitecustomize_still_runs(tmp_path):
    (tmp_path / 'sitecustomize.py').write_text('import builtins\nbuiltins.USER_SITE_RAN = 1\n')
    path = os.pathsep.join([str(tmp_path), os.environ.get('PYTHONPATH', '')])
    assert run('import gc; print(USER_SITE_RAN, gc.get_threshold())',
               env={'PYTHONPATH': path}) == '1 (700, 10, 10)'


def test_the_start_up_code_leaves_cpython_alone():
    # PYTHONPATH reaches CPython children of a script too: there it must change nothing.
    out = run('''
        import sys, time, sitecustomize
        print(sys.implementation.name, type(time.sleep).__name__,
              'pg_python_runtime' in sys.modules)
    ''', executable='python3', env={'PYTHONPATH': LAUNCHER_DIR})
    assert out == 'cpython builtin_function_or_method False'


UNDERSCORE_LOOKUPS = '''
    import gettext, types

    class Plain:
        pass

    class WithUnderscore:
        _ = staticmethod(lambda text: text)

    class Dynamic:
        def __getattr__(self, name):
            if name == '_':
                return 'dynamic'
            raise AttributeError(name)

    module = types.ModuleType('m')
    seen = set()
    for _round in range(20000):        # long enough for the JIT to compile the lookups
        seen.add((hasattr(Plain(), '_'), getattr(Plain(), '_', None),
                  WithUnderscore()._('x'), Dynamic()._, getattr(module, '_', None),
                  getattr(gettext, '_', None)))
    print(sorted(seen, key=repr))
'''


@pytest.mark.parametrize('jit', ['0', '1'], ids=['interpreter', 'jit'])
def test_one_character_attribute_lookups(jit):
    # GraalPy 25.0.3 was seen to die with a Java IndexOutOfBoundsException on `obj._` in some
    # uncached lookup path (with FormEncode); these shapes, and FormEncode 2.1.1's own suite,
    # run clean here in both modes (README, "Known limits").
    assert run(UNDERSCORE_LOOKUPS, jit=jit) == "[(False, None, 'x', 'dynamic', None, None)]"


@pytest.mark.parametrize('flag', ['-E', '-I'])
def test_the_package_and_the_start_up_code_survive_flags_that_drop_pythonpath(flag):
    # As CPython's site-packages do: -E and -I ignore PYTHONPATH, not the interpreter's path.
    done = subprocess.run([sys.executable, flag, '-c',
                           'import gc, psycopg2; print(gc.get_threshold(), psycopg2.__name__)'],
                          env=dict(os.environ, PG_PYTHON_JIT='0'), capture_output=True,
                          text=True, timeout=300)
    assert (done.returncode, done.stdout.strip()) == (0, '(700, 10, 10) psycopg2'), done.stderr


def test_orig_argv_shows_only_what_was_asked():
    # bin/pg-python passes --python.* options of its own to GraalPy; a program does not see them.
    out = run('import sys; print(sys.orig_argv[1], [a for a in sys.orig_argv '
              'if a.startswith("--python.")])')
    assert out == '-c []'


HOT_LOOP = '''
    def spin(n):
        total = 0
        for i in range(n):
            total += i % 7
        return total

    for _ in range(300):
        spin(20000)
    print('done')
'''


def test_the_default_mode_compiles_hot_code():
    # The JIT mode runs from a JDK image the launcher links (the JDK's placeholder compiler
    # module left out, the real one on the module path): if Truffle found no compiler there,
    # everything would run interpreted and slowly, with no error. (Interpreter-only, the
    # option does not exist.)
    done = subprocess.run([sys.executable, '--engine.TraceCompilation=true', '-c',
                           textwrap.dedent(HOT_LOOP)],
                          env=dict(os.environ, PG_PYTHON_JIT='1'), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == 'done'
    assert '[engine] opt done' in done.stdout + done.stderr, (done.stdout + done.stderr)[-3000:]


def test_preparing_a_start_up_cache_removes_the_ones_no_launcher_will_map(tmp_path):
    # Each checkout and set of JVM options gets AOT caches of its own (120-160 MB each): made in
    # an empty cache directory beside one of a checkout that is gone, one of a launcher that
    # wrote no .root file (older than a week, and new).
    gone = tmp_path / 'interp-0000000000000000.aot'
    gone.write_bytes(b'x')
    (tmp_path / 'interp-0000000000000000.aot.root').write_text(str(tmp_path / 'deleted') + '\n')
    old = tmp_path / 'jit-1111111111111111.aot'
    old.write_bytes(b'x')
    os.utime(old, (0, 0))
    recent = tmp_path / 'jit-2222222222222222.aot'
    recent.write_bytes(b'x')
    assert run('print(1)', env={'PG_PYTHON_CACHE': str(tmp_path)}) == '1'
    left = sorted(p.name for p in tmp_path.glob('*.aot*'))
    made = [name for name in left if name.startswith('interp-') and name.endswith('.aot')]
    assert len(made) == 1 and made[0] + '.root' in left, left
    root = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    assert (tmp_path / (made[0] + '.root')).read_text() == root + '\n'
    assert sorted(left) == sorted(made + [made[0] + '.root', recent.name])
