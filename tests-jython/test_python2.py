# -*- coding: utf-8 -*-
"""The package on Jython behaves as psycopg2 2.8 does on Python 2 (run under bin/pg-jython by
`bin/run-tests jython`, against the PG* database): what differs from psycopg2 2.9 on Python 3.
"""
import datetime
import decimal
import os
import unittest

import psycopg2
import psycopg2.extensions
import psycopg2.extras
import psycopg2.tz


def connect():
    return psycopg2.connect(os.environ.get('PG_TEST_DSN', ''))


class Python2Values(unittest.TestCase):

    def setUp(self):
        self.conn = connect()
        self.cur = self.conn.cursor()

    def tearDown(self):
        self.conn.close()

    def one(self, query, args=None):
        self.cur.execute(query, args)
        return self.cur.fetchone()[0]

    def test_version_is_2_8(self):
        self.assertTrue(psycopg2.__version__.startswith('2.8.6 '), psycopg2.__version__)
        from psycopg2.compat import PY2, PY3, string_types, text_type
        self.assertEqual((PY2, PY3, text_type), (True, False, unicode))  # noqa: F821
        self.assertEqual(string_types, (str, unicode))  # noqa: F821

    def test_text_is_str_in_the_client_encoding(self):
        self.assertEqual(self.one("SELECT 'caf\xc3\xa9'::text"), 'caf\xc3\xa9')
        self.assertEqual(type(self.one("SELECT 'x'::varchar")), str)
        self.assertEqual(type(self.one("SELECT '(1,2)'::point")), str)   # no caster: str too

    def test_unicode_typecaster_gives_unicode(self):
        psycopg2.extensions.register_type(psycopg2.extensions.UNICODE, self.cur)
        value = self.one("SELECT 'caf\xc3\xa9'::text")
        self.assertEqual((type(value), value), (unicode, u'caf\xe9'))  # noqa: F821

    def test_str_and_unicode_parameters_are_text(self):
        self.assertEqual(self.one("SELECT %s || %s", ('caf\xc3\xa9', u' cr\xe8me')),
                         'caf\xc3\xa9 cr\xc3\xa8me')
        self.assertEqual(self.cur.mogrify("SELECT %s", (u'\u2603',)), "SELECT '\xe2\x98\x83'")

    def test_bytea_is_a_buffer_both_ways(self):
        value = self.one("SELECT %s::bytea", (buffer('\x00\xff'),))  # noqa: F821
        self.assertEqual((type(value), str(value)), (buffer, '\x00\xff'))  # noqa: F821

    def test_integers_are_int_or_long(self):
        self.assertEqual(type(self.one("SELECT 7::int8")), int)
        self.assertEqual(self.one("SELECT %s::numeric", (2 ** 70,)), decimal.Decimal(2 ** 70))
        # Jython's int is 32-bit: a larger int8 is a long, as psycopg2 2.8 gives past sys.maxint.
        self.assertEqual(self.one("SELECT (2^40)::int8"), 2 ** 40)

    def test_timestamptz_gets_fixed_offset_timezone(self):
        self.assertEqual(self.cur.tzinfo_factory, psycopg2.tz.FixedOffsetTimezone)
        self.cur.execute("SET TIME ZONE 'Europe/Paris'")
        value = self.one("SELECT '2024-05-01 09:30:00+02'::timestamptz")
        self.assertEqual(value, datetime.datetime(2024, 5, 1, 9, 30,
                                                  tzinfo=psycopg2.tz.FixedOffsetTimezone(120)))
        self.assertEqual(repr(value.tzinfo),
                         'psycopg2.tz.FixedOffsetTimezone(offset=120, name=None)')

    def test_offsets_with_seconds_round_to_minutes(self):
        self.cur.execute("SET TIME ZONE 'UTC'")
        value = self.one("SELECT '2024-05-01 09:30:00'::timestamp::text || '+01:15:30'")
        cast = psycopg2.extensions.PYDATETIMETZ(value, self.cur)
        self.assertEqual(cast.utcoffset(), datetime.timedelta(minutes=76))

    def test_errors_are_standard_errors(self):
        self.assertTrue(issubclass(psycopg2.Error, StandardError))  # noqa: F821
        self.assertTrue(issubclass(psycopg2.Warning, StandardError))  # noqa: F821
        with self.assertRaises(psycopg2.errors.UndefinedTable) as caught:
            self.cur.execute("SELECT * FROM no_such_table")
        self.assertEqual(caught.exception.pgcode, '42P01')
        self.assertEqual(type(caught.exception.pgerror), str)

    def test_dict_row_has_python_2_mapping_methods(self):
        cur = self.conn.cursor(cursor_factory=psycopg2.extras.DictCursor)
        cur.execute("SELECT 1 AS a, 2 AS b")
        row = cur.fetchone()
        self.assertEqual((row.keys(), row.values(), row.items()),
                         (['a', 'b'], (1, 2), [('a', 1), ('b', 2)]))
        self.assertEqual(list(row.iteritems()), [('a', 1), ('b', 2)])
        self.assertTrue(row.has_key('a'))

    def test_cursor_iterates_with_next(self):
        self.cur.execute("SELECT generate_series(1, 3)")
        self.assertEqual(self.cur.next(), (1,))
        self.assertEqual(list(self.cur), [(2,), (3,)])

    def test_quote_ident_gives_str(self):
        quoted = psycopg2.extensions.quote_ident(u'\u2603', self.conn)
        self.assertEqual((type(quoted), quoted), (str, '"\xe2\x98\x83"'))

    def test_lobject_is_binary_unless_asked(self):
        lo = self.conn.lobject(0, 'wb')
        lo.write(u'caf\xe9')
        lo = self.conn.lobject(lo.oid)
        self.assertEqual((lo.mode, lo.read()), ('rb', 'caf\xc3\xa9'))
        lo = self.conn.lobject(lo.oid, 'rt')
        self.assertEqual(lo.read(), u'caf\xe9')
        self.conn.rollback()

    def test_connect_wants_something(self):
        self.assertRaises(TypeError, psycopg2.connect)

    def test_fileno_says_what_jython_cannot_do(self):
        with self.assertRaises(psycopg2.NotSupportedError) as caught:
            self.conn.fileno()
        self.assertIn('poll()', str(caught.exception))


if __name__ == '__main__':
    unittest.main()
