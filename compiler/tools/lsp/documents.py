"""Open documents: their compilations (one per version the server compiled), and LSP positions.

A document is compiled from its buffer, not from the file on disk; every other open
document's buffer is served to the loader too, so imports of unsaved files resolve to what
the editor shows. Positions: LSP counts characters in the client's units (UTF-16 code units
unless the client negotiated UTF-8 or UTF-32), capplan in code points.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from capplan.check.loader import _read_file, display_path
from capplan.pipeline import Compilation, compile_files

log = logging.getLogger(__name__)


@dataclass
class Analysis:
    """One compilation of one open document."""

    uri: str
    version: int | None
    path: str                       # the real path the document was compiled as
    text: str
    comp: Compilation
    parsed: bool                    # the document itself parsed: its declarations are in comp
    reads: dict[str, str] = field(default_factory=dict)   # display path -> real path, user files
    published: set[str] = field(default_factory=set)      # URIs this compilation published to
    internal: str | None = None     # an internal error while evaluating (the plans are missing)


class State:
    """The server's memory of the open documents."""

    def __init__(self) -> None:
        self.latest: dict[str, Analysis] = {}
        self.good: dict[str, Analysis] = {}      # the newest analysis in which the document parsed
        self.pending: dict[str, int] = {}        # uri -> change counter, to coalesce bursts
        self.counter = 0


STATE = State()


def doc_path(doc) -> str:
    """The real path a document is compiled as (an unsaved `untitled:` buffer gets one in the cwd)."""
    path = getattr(doc, "path", None) or to_fs_path(doc.uri)
    if not path or not doc.uri.startswith("file:"):
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", doc.uri.split(":", 1)[-1]) or "untitled"
        path = os.path.join(os.getcwd(), stem if stem.endswith(".plan") else stem + ".plan")
    return str(Path(path).resolve())


def open_texts(ls: LanguageServer) -> dict[str, tuple[str, str]]:
    """real path -> (uri, text) of every open document."""
    out = {}
    for doc in list(ls.workspace.text_documents.values()):
        out[doc_path(doc)] = (doc.uri, doc.source)
    return out


def analyse(ls: LanguageServer, uri: str) -> Analysis:
    """Compile one open document (its buffer, not the file on disk) and remember the result."""
    doc = ls.workspace.get_text_document(uri)
    path = doc_path(doc)
    texts = open_texts(ls)
    text = doc.source
    texts[path] = (uri, text)
    reads: dict[str, str] = {}

    def read(real: str) -> str:
        reads[display_path(Path(real))] = real
        if real in texts:
            return texts[real][1]
        return _read_file(real)

    internal = None
    try:
        comp = compile_files([path], read=read)
    except Exception as exc:  # a bug of ours in evaluation: still show what checking finds
        log.exception("capplan: internal error evaluating %s", uri)
        internal = f"{exc.__class__.__name__}: {exc}"
        reads.clear()
        comp = compile_files([path], read=read, evaluate=False)
    shown = display_path(Path(path))
    parsed = any(f.path == shown for f in comp.program.files)
    analysis = Analysis(uri, doc.version, path, text, comp, parsed, reads, internal=internal)
    STATE.latest[uri] = analysis
    if parsed:
        STATE.good[uri] = analysis
    return analysis


def for_values(uri: str) -> Analysis | None:
    """The analysis to read declarations from: the newest in which the document parsed."""
    return STATE.good.get(uri) or STATE.latest.get(uri)


def dependents(uri: str, path: str) -> list[str]:
    """The other open documents whose last compilation read `path`."""
    return [other for other, a in STATE.latest.items()
            if other != uri and path in a.reads.values()]


# ================================================================ positions

def line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def client_units(ls: LanguageServer, chars: str) -> int:
    """The length of `chars` in the client's position units."""
    encoding = ls.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(chars)
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(chars.encode("utf-8"))
    return len(chars.encode("utf-16-le")) // 2


def position(ls: LanguageServer, lines: list[str], line: int, column: int) -> lsp.Position:
    """1-based line and code-point column -> an LSP position in the client's units."""
    row = max(0, line - 1)
    col = max(0, column - 1)
    text = lines[row] if row < len(lines) else ""
    units = client_units(ls, text[:col]) + max(0, col - len(text))
    return lsp.Position(line=row, character=units)


def to_range(ls: LanguageServer, lines: list[str], span) -> lsp.Range:
    """A capplan span -> an LSP range (the file's start for a diagnostic without one)."""
    if span is None:
        return lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))
    start = position(ls, lines, span.line, span.column)
    end = position(ls, lines, span.end_line, span.end_column)
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return lsp.Range(start=start, end=end)


def offset_of(ls: LanguageServer, text: str, where: lsp.Position) -> int:
    """An LSP position (client units) -> an offset into `text` (code points)."""
    starts = line_starts(text)
    if where.line >= len(starts):
        return len(text)
    start = starts[where.line]
    end = starts[where.line + 1] - 1 if where.line + 1 < len(starts) else len(text)
    line = text[start:end]
    units = 0
    for i, ch in enumerate(line):
        if units >= where.character:
            return start + i
        units += client_units(ls, ch)
    return end
