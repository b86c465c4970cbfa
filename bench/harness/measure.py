"""One measured process: run a workload script, time it from the outside, read its result line."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

from workloads import _common

from .config import ROOT


def run_measured(cmd, env, timeout, label, cwd=ROOT):
    """Run one process, teeing its stderr; wall time and its rusage (all threads) from wait4.

    BENCH_T0_NS is set just before the process starts, for the start-up workload.
    """
    env = dict(env)
    env['BENCH_T0_NS'] = str(time.time_ns())
    t0 = time.perf_counter()
    # stdout goes to a file, not a pipe: a large result line must never block the child.
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.PIPE,
                                start_new_session=True)
        err_lines = []
        reader = threading.Thread(target=_tee, args=(proc.stderr, err_lines), daemon=True)
        reader.start()
        killed = []
        timer = threading.Timer(timeout, _kill_group, args=(proc.pid, killed))
        timer.start()
        try:
            # wait4, not proc.wait(): the rusage covers every thread (GraalPy's JIT compilers).
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        reader.join(10)
        out.seek(0)
        stdout = out.read().decode('utf-8', 'replace')
    result = result_of(stdout)
    stderr = ''.join(err_lines)
    error = run_error(bool(killed), proc.returncode, result, stderr, timeout)
    return {'label': label, 'cmd': cmd, 'wall_s': wall, 'returncode': proc.returncode,
            'cpu_user_s': usage.ru_utime, 'cpu_sys_s': usage.ru_stime,
            'cpu_s': usage.ru_utime + usage.ru_stime, 'max_rss_mb': usage.ru_maxrss / 1024.0,
            'error': error, 'result': result,
            'stderr_tail': None if error is None else stderr[-4000:]}


def _tee(stream, lines):
    """Keep all of the child's stderr; show only its progress lines ("  [label] ...")."""
    for raw in stream:
        text = raw.decode('utf-8', 'replace')
        lines.append(text)
        if text.startswith('  ['):
            sys.stderr.write(text)
            sys.stderr.flush()


def _kill_group(pid, killed):
    # The whole session: a runtime may have started helpers of its own.
    killed.append(True)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def result_of(stdout):
    """The JSON of the last result line a workload printed, or None."""
    result = None
    for text in stdout.splitlines():
        if text.startswith(_common.RESULT_PREFIX):
            result = json.loads(text[len(_common.RESULT_PREFIX):])
    return result


def run_error(killed, returncode, result, stderr, timeout):
    """Why a measured process has no usable result (None when it has one)."""
    if killed:
        return 'timed out after %d s' % timeout
    if returncode != 0:
        return 'exit status %d: %s' % (returncode, stderr.strip()[-2000:])
    if result is None:
        return 'no result line; stderr: %s' % stderr.strip()[-2000:]
    return None
