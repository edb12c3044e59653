"""Declarations and values as hover and completion show them.

Values come from the checker of the document's newest compilation in which it parsed
(documents.for_values): a declaration lowered to an object, a constant's value. Quantities
are shown as capplan prints them and, when that is not exact, in canonical units too.
"""

from __future__ import annotations

from pathlib import Path

from capplan.check.loader import display_path, is_catalog
from capplan.check.values import Bool, Format, Num, Obj, Str, fmt_number, fmt_quantity
from capplan.core.diagnostics import Diagnostics
from capplan.lang import ast
from capplan.tools.lsp.documents import Analysis

_CANONICAL = {"information": "B", "time": "s", "compute": "FLOP", "token": "token",
              "parameter": "param", "gpu": "GPU", "request": "request", "currency": "USD",
              "energy": "J", "node": "node"}


def scratch(checker, fn, *args):
    """Run a checker method for a hover or a completion without touching the published diagnostics."""
    saved = checker.d
    checker.d = Diagnostics()
    try:
        return fn(*args)
    except Exception:
        return None
    finally:
        checker.d = saved


def lowered(checker, name: str) -> Obj | None:
    """A declaration as an object (lowered now if the checker has not yet); None if it has errors."""
    if name in checker.lowered:
        return checker.lowered[name]
    if name not in checker.decls:
        return None
    return scratch(checker, checker.lower, name)


def decl_label(decl: ast.Declaration) -> str | None:
    """The declaration's `name = "..."`, if it sets one."""
    for entry in decl.body.entries:
        if isinstance(entry, ast.Assignment) and entry.name == "name" and isinstance(entry.value, ast.String):
            return entry.value.value
    return None


def where(decl, analysis: Analysis) -> str:
    """Where a declaration (or constant) is: a line of this file, another file, the catalog."""
    path = decl.name_span.path
    if is_catalog(path):
        return f"standard catalog, {path.split('/', 1)[1]}"
    here = display_path(Path(analysis.path))
    return f"line {decl.name_span.line}" if path == here else f"{path}:{decl.name_span.line}"


def canonical_unit(dims) -> str:
    num = [f"{_CANONICAL.get(d, d)}" + (f"^{e}" if e != 1 else "") for d, e in dims if e > 0]
    den = [f"{_CANONICAL.get(d, d)}" + (f"^{-e}" if e != -1 else "") for d, e in dims if e < 0]
    text = "*".join(num) or ("1" if den else "")
    return text + "".join("/" + d for d in den)


def fmt_canonical(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e21:
        return f"{int(value):,}"
    return f"{value:.10g}"


def show_value(value, dims=None, unit: str | None = None) -> str:
    """A value as markdown: a quantity in its unit (and canonical units), a string quoted, ..."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Bool):
        return str(value.value).lower()
    if isinstance(value, Num):
        value, dims = value.value, value.dims
    if isinstance(value, (int, float)):
        if dims:
            shown = fmt_quantity(value, dims, unit) if unit else fmt_quantity(value, dims)
            canonical = fmt_canonical(value)
            if shown.split(" ")[0] == canonical:
                return shown
            return f"{shown} (= {canonical} {canonical_unit(dims)})"
        return fmt_number(value)
    if isinstance(value, (Str, str)):
        return f'"{value.value if isinstance(value, Str) else value}"'
    if isinstance(value, Format):
        return value.label
    if isinstance(value, Obj):
        return f"{value.kind} `{value.name}`"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)
