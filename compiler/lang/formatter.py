"""`capplan fmt`: the canonical layout of a .plan file.

The formatter prints the AST back, so every spec converges on one style
whatever its author's habits; it never changes what a file means (the
result is re-parsed and compared with the original, spans aside, before
anything is returned). A file that does not parse is left alone: its syntax
diagnostics are returned instead.

The canonical style
-------------------

Layout
  * 2 spaces of indentation per block level; no tabs, no trailing
    whitespace; the file ends with exactly one newline (an empty file stays
    empty).
  * One entry per line. `;` appears only inside one-line blocks.
  * A block stays on one line (`peak { bf16 = 989 TFLOP/s }`,
    `parallel { pipeline = 4; data = 2; zero = 1 }`,
    `weights = int4 { group = 128 }`) when the author wrote it on one line,
    it has at most 3 entries, every block and list inside it can stay on one
    line too, and the line fits in 100 columns (measured before `=`
    alignment and without the trailing comment). Otherwise it is expanded:
    `{` ends the opening line, one entry per line, `}` on its own line at the
    opening line's indentation. A block with nothing in it is `{}`.
  * A list stays on one line (`[1, 2, 4]`, no trailing comma) when the
    author wrote it on one line and it fits; a list written over several
    lines (or too long) gets one item per line, each followed by a comma.
    Lines are never joined: what was on several lines stays so; only
    one-line blocks and lists may be expanded. A long line with no block or
    list to expand stays long (the language has no line continuation).

Blank lines
  * Never at the start or end of a file or block, never two in a row.
  * Inside blocks and lists: one blank line where the author had one or
    more between two entries (or comments), none elsewhere.
  * At the top level: a declaration that takes several lines is always
    separated from its neighbours by one blank line (its leading comments
    stay attached above it). Between one-line items (imports, constants,
    one-line declarations such as `inference b from a { weights = fp16 }`)
    and comments the author's choice is kept: one blank line where there
    was at least one, none where there was none.
  * Items are never reordered; imports stay where they are.

Alignment
  * `=` is aligned within each run of consecutive one-line assignments of a
    block (`name = value`), and within each run of consecutive top-level
    `const` lines; likewise `in` within each run of consecutive `vary`
    lines. A blank line, a comment line, any other entry, or an assignment
    whose value takes several lines ends the run. The names are padded; `=`
    and `in` have one space on each side.

Expressions
  * One space around binary operators (`+ - * /`, comparisons, `and`,
    `or`), after `not`, none after unary `-` nor inside `( )`, `[ ]`;
    `, ` between list items; dotted references without spaces; `- -x`
    for a doubled minus.
  * Parentheses: the author's are kept (a doubled pair `((x))` becomes one
    pair): they may add clarity (`require not (peak_memory > budget)`) and
    never change the tree. Parentheses the tree needs are always printed.
  * Numbers keep their text as written (`1_000`, `.5`, `1e9`); a unit
    follows one space after the number, except that a unit written glued to
    its number stays glued (`1f1b`, which the checker reads as one word,
    unlike `1 f1b`).
  * Strings keep their text as written (same escapes).

Comments
  * Every comment is kept, in order; trailing whitespace is removed.
  * A comment alone on its line (or after nothing but a `;` or `,`) is
    attached to what follows it (the next entry, item or list item; or the
    closing `}`/`]` of its block when nothing follows, or the end of the
    file), and is indented as that block's entries are.
  * A comment after code stays on the line of the code it followed. Trailing
    comments start at column 40 (the column the shipped specs use), or two
    spaces after the code when the code is longer than 37 characters. When
    a one-line block is expanded, its trailing comment goes to the last line
    printed from that source line (the closing `}`).

The printing is capplan.lang.printer's; this module checks its result and
handles files. :func:`format_source` is the one way capplan writes spec text
from a parse tree (`capplan fmt`, and `capplan import-hf` for what it writes).
Helpers for the command line: :func:`format_file`, :func:`unified_diff`,
:func:`run_fmt` (in place, atomically; or `check=True`: a diff, exit 1).
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import TextIO

from capplan.core.atomic import write_atomically
from capplan.core.diagnostics import Diagnostics, render_all
from capplan.core.line_endings import ENDINGS, count, to_lf, with_ending
from capplan.core.source import SourceFile, SourceMap, SourceRefused, read_spec
from capplan.lang import ast
from capplan.lang.parser import parse
from capplan.lang.printer import Printer


class FormatterError(Exception):
    """The formatter's output would not mean what the input meant: a bug of ours."""


# ---------------------------------------------------------------- the AST's shape

def shape(node):
    """The AST without positions, for comparing a file before and after formatting.

    Spans go, except the one fact the checker reads from them: whether a unit
    is glued to its number (`1f1b` is a word, `1 f1b` a number and a unit).
    Comments compare by their text (trailing whitespace aside), in order.
    """
    if isinstance(node, ast.File):
        return ("File", shape(node.items), tuple(c.text.rstrip() for c in node.comments))
    if isinstance(node, tuple):
        return tuple(shape(x) for x in node)
    if dataclasses.is_dataclass(node):
        fields = [(f.name, shape(getattr(node, f.name))) for f in dataclasses.fields(node)
                  if not f.name.endswith("span")]
        if isinstance(node, ast.Quantity) and node.unit is not None:
            fields.append(("glued", node.unit_span.column == node.span.column + len(node.text)))
        return (type(node).__name__, tuple(fields))
    return node


# ---------------------------------------------------------------- entry points

def format_source(text: str, path: str = "<stdin>") -> tuple[str | None, Diagnostics]:
    """The canonical text of a spec, or None and the syntax diagnostics if it does not parse."""
    diagnostics = Diagnostics()
    tree = parse(text, path, diagnostics)
    if tree is None:
        return None, diagnostics
    out = Printer(text, tree).document()
    again = parse(out, path, Diagnostics())
    if again is None or shape(again) != shape(tree):
        raise FormatterError(f"formatting {path} would change its meaning (a capplan bug, please report it)")
    return out, diagnostics


def format_file(path: str) -> tuple[str | None, str, Diagnostics]:
    """(formatted text or None, original text, diagnostics) of one file; raises OSError if unreadable
    (SourceRefused, an OSError, for a device, a FIFO or a file over the spec size limit)."""
    original = read_spec(path)
    formatted, diagnostics = format_source(original, path)
    return formatted, original, diagnostics


def unified_diff(original: str, formatted: str, path: str) -> str:
    """What formatting would change, as a unified diff (empty when nothing would)."""
    def lines(text: str) -> list[str]:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
        return out

    return "".join(difflib.unified_diff(lines(original), lines(formatted),
                                        fromfile=f"{path} (original)", tofile=f"{path} (formatted)"))


def run_fmt(paths: list[str], check: bool, out: TextIO, err: TextIO, eol: str | None = None) -> int:
    """Format files in place (only those that change), or with check=True print diffs and write nothing.

    Line endings: each file keeps the ending most of its lines have (mixed endings are normalised to
    it, with a note), or takes `eol` ("lf" or "crlf") when given. Without `eol`, `check` ignores a
    difference in line endings alone. Returns 0 when every file is (now) canonical; 1 when a file
    could not be read or parsed (diagnostics to `err`), or, with check=True, when a file would change.
    """
    status = 0
    for path in paths:
        try:
            formatted, original, diagnostics = format_file(path)
        except FileNotFoundError:
            err.write(f"capplan: cannot read `{path}`: no such file\n")
            status = 1
            continue
        except IsADirectoryError:
            err.write(f"capplan: cannot read `{path}`: it is a directory\n")
            status = 1
            continue
        except SourceRefused as exc:
            err.write(f"capplan: cannot read `{path}` [{exc.code}]: {exc}\n")
            status = 1
            continue
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc.__class__.__name__
            err.write(f"capplan: cannot read `{path}`: {reason}\n")
            status = 1
            continue
        if formatted is None:
            sources = SourceMap()
            sources.add(SourceFile(path, original))
            err.write(render_all(diagnostics.sorted(), sources) + "\n\n")
            status = 1
            continue
        endings = count(original)
        target = ENDINGS[eol] if eol else endings.majority
        result = with_ending(formatted, target)
        if result == original:
            continue
        if to_lf(formatted) == to_lf(original):  # the text is canonical; only line endings differ
            if check and not eol:
                continue
            want = "CRLF" if target == "\r\n" else "LF"
            if check:
                out.write(f"{path}: line endings: {endings.crlf} CRLF and {endings.lf} LF, expected {want} "
                          f"(--eol {eol})\n")
                status = 1
                continue
            if not eol:
                err.write(f"capplan: {path}: mixed line endings ({endings.crlf} CRLF, {endings.lf} LF) "
                          f"normalised to {want}\n")
            write_atomically(path, result)
            continue
        if check:
            out.write(unified_diff(to_lf(original), to_lf(formatted), path))
            status = 1
        else:
            if endings.mixed and not eol:
                err.write(f"capplan: {path}: mixed line endings ({endings.crlf} CRLF, {endings.lf} LF) "
                          f"normalised to {endings.name}\n")
            write_atomically(path, result)
    return status


__all__ = ["format_source", "format_file", "unified_diff", "run_fmt", "shape", "FormatterError"]
