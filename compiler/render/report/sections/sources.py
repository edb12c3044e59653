"""The appendix's sources: every spec file the compilation read, as text, with its anchor."""

from __future__ import annotations

from capplan.render.report import lexer
from capplan.render.report.context import Context, anchor, clean
from capplan.render.report.view import SourceView


def sources(comp, taken: set[str]) -> list[SourceView]:
    """The compilation's files in the order it read them; each anchor is added to `taken`."""
    out = []
    for f in comp.program.files:
        src = comp.program.sources.get(f.path)
        if src is None:
            continue
        out.append(SourceView(clean(f.path), clean(src.text), len(src.text.splitlines()),
                              anchor("source-", f.path, taken)))
    return out


def lexer_note(ctx: Context) -> str | None:
    """Why the sources are plain text, when the spec language's highlighter is missing."""
    if lexer.CapplanLexer is not None:
        return None
    return ctx._("The spec language's syntax highlighter is not installed; sources are shown as plain text.")
