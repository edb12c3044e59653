"""The PDF's tables: column widths from the widest unbreakable word of each column, measured with the
report's fonts (WeasyPrint's fixed table layout is fast but lets a word wider than its column run into
the next one), and the columns a table too wide for the page leaves out."""

from __future__ import annotations

import functools
import re
import unicodedata

from capplan.render.report import font_advances
from capplan.render.report.i18n import N_
from capplan.render.report.view import Table


# the PDF's tables (report-pdf.css): the width they may take, their font and cell padding, in points
PDF_TABLE_PT = 500.0                     # A4 less its margins is 504 pt (letter: 521)
PDF_FONT_PT, PDF_PAD_PT = 8.5, 7.6       # table; th, td { padding: 0 0.4rem } at 9.5 pt
PDF_WIDE_FONT_PT, PDF_WIDE_PAD_PT = 7.0, 4.75   # table.wide (more than 8 columns)


MISSING_EM = 0.6      # a character outside the table (font_advances.RANGES): about DejaVu Sans's average


@functools.lru_cache(maxsize=4096)
def _advance(ch: str, bold: bool, code: bool) -> float:
    """One character's advance in em: DejaVu Sans (bold), or DejaVu Sans Mono at 0.88em for code; CJK 1em
    (font_advances: the fonts' own advance widths, written by scripts/font_advances.py)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if not ch.isprintable():
        return 0.0
    table = font_advances.ADVANCES["mono" if code else "bold" if bold else "regular"]
    c = ord(ch)
    units = 0
    for start, values in table.items():
        if start <= c < start + len(values):
            units = values[c - start]
            break
    em = units / font_advances.UNITS_PER_EM if units else MISSING_EM
    return em * (0.88 if code else 1.0)


def _em(text: str, bold: bool = False, code: bool = False) -> float:
    """The width of `text` in em as the PDF sets it, a little over rather than under (no kerning)."""
    return 1.03 * sum(_advance(ch, bold, code) for ch in text)


def _longest_unbroken(text: str, bold: bool = False, code: bool = False) -> float:
    """The widest piece of `text` that a line never breaks inside (a word; one CJK character), in em."""
    pieces = re.split(r"\s+|(?<=[\u2e80-\uffef])|(?=[\u2e80-\uffef])", text)
    return max((_em(p, bold, code) for p in pieces if p), default=0.0)


def column_widths(t: Table) -> list[str]:
    """Column widths in percent for a fixed table layout (the PDF).

    WeasyPrint's automatic table layout measures every possible line break of every cell, which is
    slow for long formulas; a fixed layout is fast, but a word wider than its column runs into the next
    one (or, with overflow-wrap, is cut mid-word: 'headroo/m'). So every column first gets its widest
    word (headers are bold and never broken inside a word; a cell's word counts up to 10 em, 16 for
    names in code, and a longer one wraps: report-pdf.css), then the room left goes to the columns
    whose content would like more, in proportion to how much more.
    """
    if all(not h for h in t.headers):
        return ["36", "64"]
    least, want = _column_needs(t)
    room = PDF_TABLE_PT - sum(least)
    extra = [w - m for w, m in zip(want, least)]
    if room <= 0 or sum(extra) <= 0:
        widths = least if room <= 0 else [m + room * m / sum(least) for m in least]
    else:
        widths = [m + room * e / sum(extra) for m, e in zip(least, extra)]
    total = sum(widths)
    return [f"{100 * w / total:.2f}" for w in widths]


def printable(t: Table, gettext=str) -> Table:
    """A table for the PDF page: when its columns' widest words do not fit the page's width, the columns
    its `drop_order` names go first (as in terminal text), and the caption says which."""
    if all(not h for h in t.headers) or sum(_column_needs(t.leading())[0]) <= PDF_TABLE_PT:
        return t
    dropped: list[int] = []
    for i in t.drop_order:
        dropped.append(i)
        if sum(_column_needs(t.without(set(dropped)).leading())[0]) <= PDF_TABLE_PT:
            break
    left_out = ", ".join(t.headers[i] for i in dropped)
    note = gettext(N_("Left out to fit the page: {columns} (the HTML report and --format json have them)."))
    return t.without(set(dropped), caption=(t.caption + " " if t.caption else "") + note.format(columns=left_out))


def _column_needs(t: Table) -> tuple[list[float], list[float]]:
    """Per column, the least width (its widest unbreakable word) and the width its content would like, in pt."""
    wide = len(t.headers) > 8
    font, pad = (PDF_WIDE_FONT_PT, PDF_WIDE_PAD_PT) if wide else (PDF_FONT_PT, PDF_PAD_PT)
    bold = [c in ("current", "total", "bad") for c in t.classes]       # rows set in bold (report.css)
    least, want = [], []
    for i, h in enumerate(t.headers):
        cells, code = [(r[i], b) for r, b in zip(t.rows, bold) if i < len(r)], i in t.code_columns
        word = max([_longest_unbroken(h, bold=True)] +
                   [min(_longest_unbroken(c, b, code), 16 if code else 10) for c, b in cells])
        longest = max([_em(c, b, code) for c, b in cells] + [_em(h, bold=True), 1.0])
        least.append(word * font + pad)
        want.append(max(word, min(longest, 40)) * font + pad)
    return least, want
