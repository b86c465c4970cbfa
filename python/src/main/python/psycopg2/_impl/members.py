"""The data members of psycopg2's C objects, as Python descriptors.

psycopg2's connection and cursor keep their state in C struct fields published as members:
every one is visible on the class (``hasattr(cursor, 'rowcount')``, ``dir()``, documentation
tools and mocks built from the class see it), most are read-only (``cur.rowcount = 5`` raises
AttributeError) and an object whose ``__init__`` never ran shows the zeroed field (None, 0).
Our objects keep the value in ``_name``; the class sets the zeroed default of each ``_name``.
"""
from operator import attrgetter


def readonly(name, doc=None):
    """A member the object changes and the user only reads."""
    return property(attrgetter('_' + name), doc=doc)


def writable(name, doc=None):
    """A member the user may assign too (no check: psycopg2 takes any object)."""
    key = '_' + name

    def set_member(self, value):
        setattr(self, key, value)

    return property(attrgetter(key), set_member, doc=doc)
