"""What the report says about where it ran: the machine and the commit."""
import os
import platform
import sys

from .config import ROOT
from .util import run_capture


def machine():
    info = {'platform': platform.platform(), 'cpus': os.cpu_count(),
            'python': sys.version.split()[0]}
    try:
        with open('/proc/cpuinfo') as f:
            for text in f:
                if text.startswith('model name'):
                    info['cpu'] = text.split(':', 1)[1].strip()
                    break
        with open('/proc/meminfo') as f:
            info['mem_gb'] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:  # not Linux: the report says '?'
        pass
    info['loadavg'] = os.getloadavg()
    return info


def git_state():
    rev = run_capture(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'])
    dirty = run_capture(['git', '-C', ROOT, 'status', '--porcelain', '--untracked-files=no'])
    return {'commit': rev.stdout.strip() or None, 'dirty': bool(dirty.stdout.strip())}
