"""Terminal text that fits the terminal's width (issue 13).

`terminal_width` is the width the CLI renders for: `COLUMNS` when set, else the terminal's
width when the stream is one, else DEFAULT_WIDTH (100), so that output to a file or a pipe
does not depend on the terminal it was started from. The renderers take the width as an
argument (default DEFAULT_WIDTH), so what they produce depends only on their inputs.

`fit_lines` is the last pass of every terminal renderer: a line wider than the width is
wrapped at spaces, continuing under its own indent (plus two columns); a word wider than
what is left is cut. Tables are narrowed before that (`shrink_widths`, and the columns
each renderer may drop), so the pass only wraps prose.
"""

from __future__ import annotations

import os
import re
import unicodedata

DEFAULT_WIDTH = 100
MIN_WIDTH = 40          # narrower than this, tables cannot be laid out; COLUMNS below it counts as 40

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def terminal_width(stream=None) -> int:
    """COLUMNS if set (at least MIN_WIDTH); the terminal's width if `stream` is a terminal; else 100."""
    value = os.environ.get("COLUMNS", "").strip()
    if value:
        try:
            return max(MIN_WIDTH, int(value))
        except ValueError:
            pass
    try:
        if stream is not None and stream.isatty():
            return max(MIN_WIDTH, os.get_terminal_size(stream.fileno()).columns)
    except (AttributeError, OSError, ValueError):
        pass
    return DEFAULT_WIDTH


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def visible_width(text: str) -> int:
    """Terminal columns of `text`: ANSI colour codes take none, wide (CJK) characters two."""
    return sum(_char_width(ch) for ch in _ANSI.sub("", text))


def _tokens(text: str) -> list[str]:
    """Words with their trailing spaces, ANSI codes kept inside them; CJK characters one by one."""
    out = []
    for word in re.findall(r"\S+\s*|\s+", text):
        if any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in word):
            out += re.findall(r"\x1b\[[0-9;]*m|.\s*", word)
        else:
            out.append(word)
    return out


def _cut(word: str, room: int) -> tuple[str, str]:
    """The longest head of `word` that takes at most `room` columns (at least one character), and the rest."""
    col, i = 0, 0
    while i < len(word):
        m = _ANSI.match(word, i)
        if m:
            i = m.end()
            continue
        w = _char_width(word[i])
        if col + w > room and col > 0:
            break
        col += w
        i += 1
    return word[:i], word[i:]


def fit_line(line: str, width: int, hang: int = 2) -> list[str]:
    """`line` wrapped at `width` columns; continuation lines are indented `hang` columns more than it."""
    if visible_width(line) <= width:
        return [line]
    body = line.lstrip(" ")
    lead = min(len(line) - len(body), width // 2)
    indent = " " * min(lead + hang, width // 2)
    out: list[str] = []
    current, col = " " * lead, lead
    for word in _tokens(body):
        w = visible_width(word.rstrip())
        if col + w > width and current.strip():
            out.append(current.rstrip())
            current, col = indent, len(indent)
            word = word.lstrip()
            w = visible_width(word.rstrip())
        while col + w > width:                     # a word wider than the line: cut it
            head, word = _cut(word, width - col)
            out.append(current + head)
            current, col = indent, len(indent)
            w = visible_width(word.rstrip())
        current += word
        col += visible_width(word)
    if current.strip():
        out.append(current.rstrip())
    return out


def fit_lines(text: str, width: int = DEFAULT_WIDTH) -> str:
    """`text` with every line at most `width` columns wide (see the module's note)."""
    return "\n".join(piece for line in text.split("\n") for piece in fit_line(line, width))


def table_lines(headers: list[str], rows: list[list[str]], right: set[int], width: int | None = DEFAULT_WIDTH,
                drop: tuple[str, ...] = ()) -> list[str]:
    """An aligned table of at most `width` columns: the widest columns narrowed (cells wrap, down to their
    longest word, at most max(12, width / 5) columns), then the columns named in `drop` left out in that order (a last line
    names them)."""
    if width is None:          # no limit (the catalog's listing)
        width = 1 << 30

    def fitted(cols: list[int]) -> tuple[list[int], int]:
        widths = [max(visible_width(c) for c in [headers[i]] + [r[i] for r in rows]) for i in cols]
        # text wraps at spaces (down to its longest word); right-aligned figures ("72.55 GB") never wrap
        floors = [max([min(max(12, width // 5), max([visible_width(w) for w in c.split()] + [1]))
                       for c in [headers[i]] + [r[i] for r in rows]]
                      + ([visible_width(r[i]) for r in rows] if i in right else [])) for i in cols]
        widths = shrink_widths(widths, [min(f, w) for f, w in zip(floors, widths)], width)
        return widths, sum(widths) + 2 * (len(widths) - 1)

    cols = list(range(len(headers)))
    widths, total = fitted(cols)
    dropped = []
    for name in drop:
        if total <= width:
            break
        if name in headers and headers.index(name) in cols:
            cols.remove(headers.index(name))
            dropped.append(name)
            widths, total = fitted(cols)

    def line(cells: list[str]) -> list[str]:
        wrapped = [fit_line(c, w, 0) if visible_width(c) > w else [c] for c, w in zip(cells, widths)]
        out = []
        for k in range(max(len(x) for x in wrapped)):
            parts = []
            for j, (x, w) in enumerate(zip(wrapped, widths)):
                text = x[k] if k < len(x) else ""
                gap = " " * max(0, w - visible_width(text))
                parts.append(gap + text if cols[j] in right else text + gap)
            out.append("  ".join(parts).rstrip())
        return out

    out = line([headers[i] for i in cols]) + ["  ".join("-" * w for w in widths)]
    for r in rows:
        out += line([r[i] for i in cols])
    if dropped:
        out += fit_line(f"(left out to fit {width} columns: {', '.join(dropped)}; see --format json)", width)
    return out


def shrink_widths(widths: list[int], floors: list[int], width: int, gap: int = 2) -> list[int]:
    """Column widths narrowed, widest first and never below `floors`, until the row fits `width`."""
    widths = list(widths)
    total = sum(widths) + gap * (len(widths) - 1)
    while total > width:
        candidates = [i for i, w in enumerate(widths) if w > floors[i]]
        if not candidates:
            break
        i = max(candidates, key=lambda k: (widths[k] - floors[k], widths[k]))
        widths[i] -= 1
        total -= 1
    return widths
