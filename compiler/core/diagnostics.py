"""Diagnostics: collected by every phase, rendered rustc-style.

A phase never raises on bad input: it appends a :class:`Diagnostic` to a
:class:`Diagnostics` bag and carries on, so one run reports every problem.
Only our own bugs raise, and the CLI turns those into "internal error,
please report".
"""

from __future__ import annotations

from typing import Iterable

from capplan.core.codes import CODES
from capplan.core.escape import github_command, terminal, visible
from capplan.core.records import Record, record, set_field
from capplan.core.source import SourceMap, Span


@record
class Label(Record):
    """A secondary span of a diagnostic, with its text."""

    __slots__ = ("span", "text")
    span: Span
    text: str

    def __init__(self, span: Span, text: str = "") -> None:
        set_field(self, "span", span)
        set_field(self, "text", text)

    def __getstate__(self) -> list:
        return [self.span, self.text]

    def __setstate__(self, state: list) -> None:
        set_field(self, "span", state[0])
        set_field(self, "text", state[1])


@record
class Diagnostic(Record):
    """One problem found in the specs: a frozen record (capplan.core.records)."""

    code: str
    message: str
    span: Span | None = None
    label: str = ""
    secondary: tuple[Label, ...] = ()
    notes: tuple[str, ...] = ()
    hint: str | None = None

    def __init__(self, code: str, message: str, span: Span | None = None, label: str = "",
                 secondary: tuple[Label, ...] = (), notes: tuple[str, ...] = (), hint: str | None = None) -> None:
        self.__dict__.update(code=code, message=message, span=span, label=label, secondary=secondary, notes=notes,
                             hint=hint)

    @property
    def severity(self) -> str:
        return "warning" if self.code.startswith("W") else "error"

    @property
    def slug(self) -> str:
        return CODES[self.code].slug

    def to_json(self) -> dict:
        out: dict = {"code": self.code, "name": self.slug, "severity": self.severity,
                     "message": self.message}
        if self.span is not None:
            out["file"] = self.span.path
            out["line"] = self.span.line
            out["column"] = self.span.column
        if self.notes:
            out["notes"] = list(self.notes)
        if self.hint:
            out["hint"] = self.hint
        return out


class Diagnostics:
    """An ordered bag of diagnostics, deduplicated."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        self._seen: set[tuple] = set()

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic.code not in CODES:
            raise KeyError(f"unregistered diagnostic code {diagnostic.code}")
        key = (diagnostic.code, diagnostic.message, diagnostic.span)
        if key not in self._seen:
            self._seen.add(key)
            self.items.append(diagnostic)

    def error(self, code: str, message: str, span: Span | None = None, **kw) -> None:
        self.add(Diagnostic(code, message, span, **kw))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        for item in items:
            self.add(item)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        def key(d: Diagnostic):
            s = d.span
            return (s.path, s.line, s.column, d.code) if s else ("", 0, 0, d.code)
        return sorted(self.items, key=key)


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest candidate, for hints: edit-similarity, case-insensitive first."""
    pool = sorted(set(candidates))
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    import difflib  # only when a name is unknown: not on every start

    close = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    return close[0] if close else None


def render(diagnostic: Diagnostic, sources: SourceMap, color: bool = False) -> str:
    """rustc-style text: header, location, source line with carets, notes, hint."""
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    sev = diagnostic.severity
    head = paint(f"{sev}[{diagnostic.code}]", "1;31" if sev == "error" else "1;33")
    lines = [f"{head}: {terminal(diagnostic.message)}"]
    spans = []
    if diagnostic.span is not None:
        spans.append((diagnostic.span, diagnostic.label, "^"))
    spans += [(lab.span, lab.text, "-") for lab in diagnostic.secondary]
    gutter = max((len(str(s.line)) for s, _, _ in spans), default=1)
    pad = " " * gutter
    if diagnostic.span is not None:
        lines.append(f"{pad}--> {terminal(str(diagnostic.span))}")
    for index, (span, text, mark) in enumerate(spans):
        source = sources.get(span.path)
        if index > 0 and span.path != diagnostic.span.path:
            lines.append(f"{pad}::: {terminal(str(span))}")
        if source is None:
            continue
        line_text = terminal(source.line_text(span.line).rstrip("\n"))
        lines.append(f"{pad} |")
        lines.append(f"{span.line:>{gutter}} | {line_text}")
        end = span.end_column if span.end_line == span.line else len(line_text) + 1
        width = max(1, end - span.column)
        indent = " " * (span.column - 1)
        marks = paint(mark * width, "1;31" if mark == "^" else "1;34")
        lines.append(f"{pad} | {indent}{marks}" + (f" {terminal(text)}" if text else ""))
    if spans:
        lines.append(f"{pad} |")
    for note in diagnostic.notes:
        lines.append(f"{pad} = {terminal(note)}")
    if diagnostic.hint:
        lines.append(f"{pad} = hint: {terminal(diagnostic.hint)}")
    return "\n".join(lines)


def render_github(diagnostic: Diagnostic) -> str:
    """One GitHub Actions workflow command (an annotation), every part escaped (escape.py)."""
    d = diagnostic
    props = {"file": visible(d.span.path), "line": d.span.line, "col": d.span.column} if d.span else {}
    props["title"] = f"{d.code} {d.slug}"
    message = visible(d.message + (f" (hint: {d.hint})" if d.hint else ""))  # the log is a terminal too
    return github_command("error" if d.severity == "error" else "warning", props, message)


def render_all(diagnostics: Iterable[Diagnostic], sources: SourceMap, color: bool = False) -> str:
    return "\n\n".join(render(d, sources, color) for d in diagnostics)

