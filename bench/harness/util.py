"""Small helpers every part of the harness uses: progress messages and child processes."""
import subprocess
import sys


def say(msg):
    # Progress goes to stderr: stdout carries only the tables (bin/bench > report.md).
    sys.stderr.write('bench: %s\n' % msg)
    sys.stderr.flush()


def run_capture(cmd, env=None, timeout=None, cwd=None, input=None):
    return subprocess.run(cmd, env=env, cwd=cwd, input=input, timeout=timeout, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def last_line(text):
    """The line of an error that says what happened (a traceback's last one)."""
    lines = [x for x in text.strip().splitlines() if x.strip()]
    return lines[-1][:300] if lines else ''
