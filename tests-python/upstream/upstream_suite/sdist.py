"""What the test processes need from outside the repository: the tests/ of psycopg2's pinned
sdist (from PyPI's simple index, sha256-checked, cached) and pytest for GraalPy."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse
import urllib.request

from .config import CACHE, GRAALPY, PYTEST_VERSION, SetupError, say


def fetch_sdist(suite=GRAALPY):
    """The suite's pinned sdist, from the cache or from PyPI's simple index; sha256-checked."""
    name, digest = suite.sdist, suite.sdist_sha256
    folder = os.path.join(CACHE, 'upstream')
    path = os.path.join(folder, name)
    if os.path.exists(path) and sha256(path) == digest:
        return path
    os.makedirs(folder, exist_ok=True)
    index = (os.environ.get('PIP_INDEX_URL') or 'https://pypi.org/simple').rstrip('/')
    say(f'downloading {name} from {index}')
    for attempt in range(3):
        tmp = tempfile.NamedTemporaryFile(dir=folder, delete=False)
        try:
            url = sdist_url(f'{index}/psycopg2/', name)
            with urllib.request.urlopen(url, timeout=120) as response, tmp:
                shutil.copyfileobj(response, tmp)
            break
        except OSError as e:
            tmp.close()
            os.unlink(tmp.name)
            if attempt == 2:
                raise SetupError(f'could not download {name}: {e} '
                                 f'(or put the file, sha256 {digest}, at {path})')
            say(f'download failed ({e}); trying again')
            time.sleep(5)
    got = sha256(tmp.name)
    if got != digest:
        os.unlink(tmp.name)
        raise SetupError(f'{name}: sha256 {got}, expected {digest}')
    os.replace(tmp.name, path)
    return path


def sdist_url(page, sdist=GRAALPY.sdist):
    """The sdist's address from a PEP 691 (JSON) or PEP 503 (HTML) project page."""
    request = urllib.request.Request(page, headers={
        'Accept': 'application/vnd.pypi.simple.v1+json, text/html;q=0.1'})
    with urllib.request.urlopen(request, timeout=60) as response:
        kind = response.headers.get('Content-Type', '')
        body = response.read().decode('utf-8', 'replace')
    return sdist_link(page, kind, body, sdist)


def sdist_link(page, content_type, body, sdist=GRAALPY.sdist):
    """The sdist's address in a project page's body (JSON or HTML, by its content type)."""
    if 'json' in content_type:
        links = [f['url'] for f in json.loads(body)['files'] if f['filename'] == sdist]
    else:
        links = [urllib.parse.urljoin(page, href.replace('&amp;', '&'))
                 for href in re.findall(r'href="([^"]+)"', body)
                 if href.split('#')[0].endswith('/' + sdist)]
    if not links:
        raise SetupError(f'{sdist} is not on {page}')
    return links[0]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 16), b''):
            digest.update(block)
    return digest.hexdigest()


PYTEST_INI = """\
# Written by bin/upstream-suite. Only the unittest tests are collected: no plain test functions,
# so that the modules' `test_suite()` helpers are not taken for tests (749 tests, as upstream's
# own `tests.test_suite()` has).
[pytest]
python_files = test_*.py
python_classes = Test
python_functions = __upstream_suite_collects_unittest_tests_only__
console_output_style = classic
"""


def extract(sdist, cache=None, suite=GRAALPY):
    """tests/ of the suite's sdist (and nothing else: no psycopg2 package next to it) + a
    pytest.ini."""
    version, digest = suite.version, suite.sdist_sha256
    top = os.path.join(cache or CACHE, 'upstream', f'psycopg2-{version}')
    marker = os.path.join(top, '.extracted')
    if os.path.exists(marker):
        with open(marker) as f:
            if f.read().strip() == digest:
                return top
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)
    prefix = f'psycopg2-{version}/tests/'
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            name = member.name
            if not name.startswith(prefix) or not member.isfile() or '..' in name.split('/'):
                continue
            target = os.path.join(top, name[len(f'psycopg2-{version}/'):])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with tar.extractfile(member) as src, open(target, 'wb') as dst:
                shutil.copyfileobj(src, dst)
    with open(os.path.join(top, 'pytest.ini'), 'w') as f:
        f.write(PYTEST_INI)
    with open(marker, 'w') as f:
        f.write(digest + '\n')
    return top


def ensure_pytest():
    """pytest for GraalPy, installed as bin/run-tests does (CPython's pip, --target)."""
    site = os.path.join(CACHE, f'pytest-{PYTEST_VERSION}')
    if not os.path.exists(os.path.join(site, '.installed')):
        say(f'installing pytest {PYTEST_VERSION} for GraalPy into {site}')
        pip = shutil.which('pip3') or shutil.which('pip')
        if not pip:
            raise SetupError('pip is needed to install pytest (apt-get install python3-pip)')
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([pip, 'install', '-q', '--disable-pip-version-check', '--target', site,
                        '--python-version', '3.12', '--implementation', 'py', '--abi', 'none',
                        '--platform', 'any', '--only-binary=:all:', f'pytest=={PYTEST_VERSION}'],
                       check=True, stdout=sys.stderr)
        open(os.path.join(site, '.installed'), 'w').close()
    return site
