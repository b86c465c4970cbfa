"""How figures and tables are written in the Markdown report (three significant digits or so:
the runs do not support more)."""


def fmt_rate(x):
    if x is None:
        return '-'
    if x >= 1e6:
        return '%.2fM' % (x / 1e6)
    if x >= 1e4:
        return '%.0fk' % (x / 1e3)
    if x >= 1e3:
        return '%.1fk' % (x / 1e3)
    if x >= 10:
        return '%.0f' % x
    return '%.2g' % x


def fmt_num(x):
    if x is None:
        return '-'
    if x >= 100:
        return '{:,.0f}'.format(x)
    if x >= 10:
        return '%.1f' % x
    return '%.2f' % x


def fmt_kind(kind, x):
    return fmt_rate(x) if kind == 'rate' else fmt_num(x)


def fmt_ratio(r):
    return '-' if r is None else '%.2f' % r


def markdown_table(header, rows):
    """Columns padded to their widest cell, so that the plain text reads as a table too."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]

    def line(cells):
        return '| ' + ' | '.join(str(c).ljust(w) for c, w in zip(cells, widths)) + ' |'
    out = [line(header), '|' + '|'.join('-' * (w + 2) for w in widths) + '|']
    out += [line(r) for r in rows]
    return '\n'.join(out)
