"""json: dump() that only writes, as CPython's does.

GraalPy 25.0.3's json.dump() calls fp.flush() after writing, which file-like objects without
a flush method (a list-backed writer, a socket wrapper) do not have; CPython's never does."""


def apply(json):
    original = json.dump

    def dump(obj, fp, **kwargs):
        """Serialize obj as a JSON formatted stream to fp (a .write()-supporting object)."""
        if hasattr(fp, 'flush'):
            return original(obj, fp, **kwargs)
        fp.write(json.dumps(obj, **kwargs))

    dump.__module__ = 'json'
    json.dump = dump
