"""String literals escaped the way libpq's PQescapeStringConn does: on the bytes that will be
sent, by the rules of the encoding the server will read them in.

Escaping a ``str`` and encoding it afterwards is not safe: a codec may turn a character that is
not a quote or a backslash into one (EUC_JP and Shift-JIS codecs write U+00A5 YEN SIGN as byte
0x5C, a backslash), and with ``standard_conforming_strings`` off that backslash escapes the
quote that follows it. So the text is encoded first and the escaping works on its bytes.

In most client encodings every byte below 0x80 is an ASCII character (UTF8, the single-byte
encodings, EUC_*: a multibyte character has all its bytes above 0x7F), so doubling each quote
and backslash byte is exact. In the client-only encodings below, the second byte of a
character may be 0x5C or another ASCII byte: there the bytes are read character by character,
with the server's character lengths (pg_encoding_mblen), and only standalone quote and
backslash bytes are doubled.
"""
import re

_ANY = br'[\x00-\xff]'

# A run of multibyte characters, by the server's length rules, for each client-only encoding
# (as the server names it in client_encoding).
_MULTIBYTE_RUNS = {
    # pg_sjis_mblen: a high-bit byte starts two bytes, except the half-width katakana A1-DF.
    'SJIS': br'[\x80-\xa0\xe0-\xff]' + _ANY,
    'SHIFT_JIS_2004': br'[\x80-\xa0\xe0-\xff]' + _ANY,
    # pg_big5_mblen, pg_gbk_mblen, pg_uhc_mblen: any high-bit byte starts two bytes.
    'BIG5': br'[\x80-\xff]' + _ANY,
    'GBK': br'[\x80-\xff]' + _ANY,
    'UHC': br'[\x80-\xff]' + _ANY,
    # pg_gb18030_mblen: four bytes when the second is a digit, else two.
    'GB18030': br'[\x80-\xff](?:[\x30-\x39]' + _ANY + _ANY + b'|' + _ANY + b')',
    # pg_johab_mblen is pg_euc_mblen: 0x8F starts three bytes, any other high-bit byte two.
    'JOHAB': br'\x8f' + _ANY + _ANY + br'|[\x80-\xff]' + _ANY,
}


class LiteralRules(object):
    """How to escape literals for one client encoding: a compiled scanner for the client-only
    encodings, None for the others."""

    __slots__ = ('encoding', 'quotes', 'quotes_and_backslashes')

    def __init__(self, server_encoding):
        self.encoding = server_encoding
        run = _MULTIBYTE_RUNS.get(server_encoding)
        if run is None:
            self.quotes = self.quotes_and_backslashes = None
        else:
            # Multibyte characters are matched (and kept) whole, so the scan never starts
            # inside one: a quote or backslash matched on its own is a character.
            self.quotes = re.compile(b'(?:' + run + b")+|'")
            self.quotes_and_backslashes = re.compile(b'(?:' + run + br")+|['\\]")


_rules_cache = {}


def rules_for(server_encoding):
    """The LiteralRules of an encoding as the server reports client_encoding (one object per
    name, whose ``encoding`` is that name: the connection compares it after each statement)."""
    rules = _rules_cache.get(server_encoding)
    if rules is None:
        rules = _rules_cache[server_encoding] = LiteralRules(server_encoding)
    return rules


def _double_lone_byte(match):
    found = match.group()
    return found + found if len(found) == 1 else found


def escape_string(data, rules, standard_strings):
    """The body of a string literal (no quotes around it) for ``data``, bytes in the client
    encoding: quotes doubled, and backslashes too when ``standard_conforming_strings`` is off.
    ``rules`` None stands for no connection: plain ASCII rules."""
    backslashes = not standard_strings and b'\\' in data
    if b"'" not in data and not backslashes:
        return data
    scanner = None
    if rules is not None:
        scanner = rules.quotes_and_backslashes if backslashes else rules.quotes
    if scanner is None:
        data = data.replace(b"'", b"''")
        return data.replace(b'\\', b'\\\\') if backslashes else data
    return scanner.sub(_double_lone_byte, data)
