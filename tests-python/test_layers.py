"""The package's layers, checked on its source: psycopg2._impl (the C extension's stand-in)
never imports a public module, only _impl/pq.py imports GraalPy's `java`, and the module-level
import graph has no cycle. No database needed."""
import ast
import os

import psycopg2

PACKAGE = os.path.dirname(psycopg2.__file__)


def _modules():
    """{dotted module name: parsed source} for every module of the package."""
    found = {}
    for folder, _, files in os.walk(PACKAGE):
        for name in files:
            if not name.endswith('.py'):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, os.path.dirname(PACKAGE))[:-3].replace(os.sep, '.')
            if rel.endswith('.__init__'):
                rel = rel[:-len('.__init__')]
            with open(path, encoding='utf-8') as f:
                found[rel] = ast.parse(f.read(), path)
    return found


def _imports(module, tree, top_level_only):
    """The modules ``module`` imports (absolute names), at module level or anywhere."""
    package = module if module in _packages() else module.rpartition('.')[0]
    nodes = tree.body if top_level_only else ast.walk(tree)
    out = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition('.')[0]
                target = base + ('.' + node.module if node.module else '')
            else:
                target = node.module
            out.add(target)
            # `from . import x` imports the module x.
            out.update(target + '.' + alias.name for alias in node.names)
    return out


def _packages():
    return {'psycopg2', 'psycopg2._impl', 'psycopg2._impl.types'}


MODULES = _modules()


def test_the_modules_are_found():
    assert 'psycopg2._impl.pq' in MODULES and 'psycopg2.extras' in MODULES


def test_impl_never_imports_a_public_module():
    offenders = []
    for module, tree in MODULES.items():
        if not module.startswith('psycopg2._impl'):
            continue
        for target in _imports(module, tree, top_level_only=False):
            if target.startswith('psycopg2') and not target.startswith('psycopg2._impl') \
                    and target in MODULES:
                offenders.append((module, target))
    assert offenders == []


def test_only_pq_imports_java():
    users = sorted(m for m, tree in MODULES.items()
                   if any(t == 'java' or t.startswith('java.')
                          for t in _imports(m, tree, top_level_only=False)))
    assert users == ['psycopg2._impl.pq']


def test_no_import_cycle():
    graph = {m: {t for t in _imports(m, tree, top_level_only=False) if t in MODULES and t != m}
             for m, tree in MODULES.items()}
    # A package imports its submodules through `from . import x`; the edge from a module to
    # its own package (`from . import x` inside it) is not a cycle of ours to break.
    state, cycle = {}, []

    def visit(node, path):
        state[node] = 'open'
        for nxt in sorted(graph[node]):
            if nxt in _packages() and node.startswith(nxt + '.'):
                continue
            if state.get(nxt) == 'open':
                cycle.append(path + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 'done'

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycle == []
