"""capplan's diagnostics as LSP diagnostics, published to the file each one is in.

A document's compilation may report errors in the files it imports: those are published to
those files' URIs (the open document's own URI as the client spelled it; the catalog's are
left out), and cleared again when a later compilation no longer reports them.
"""

from __future__ import annotations

import logging

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path

from capplan.check.loader import _catalog_files, is_catalog
from capplan.core.diagnostics import Diagnostic
from capplan.tools.lsp.documents import STATE, Analysis, analyse, open_texts, to_range

log = logging.getLogger(__name__)

SOURCE = "capplan"


def _catalog_real(shown: str) -> str | None:
    for real, display, _text, _tree, _problems in _catalog_files():
        if display == shown:
            return str(real) if real is not None else None
    return None


def uri_of(analysis: Analysis, shown: str, opened: dict[str, tuple[str, str]]) -> str | None:
    """The URI of a file by its display path (the entry's own URI as the client spelled it)."""
    if is_catalog(shown):
        real = _catalog_real(shown)
    else:
        real = analysis.reads.get(shown)
    if real is None:
        return None
    if real == analysis.path:
        return analysis.uri
    if real in opened:
        return opened[real][0]
    return from_fs_path(real)


def lines_of(analysis: Analysis, shown: str) -> list[str]:
    """The lines of a file the compilation read, by its display path."""
    source = analysis.comp.program.sources.get(shown)
    return source.text.split("\n") if source is not None else []


def message_of(d: Diagnostic) -> str:
    """The compiler's message, its notes, and its hint, one per line."""
    parts = [d.message, *d.notes]
    if d.hint:
        parts.append(f"hint: {d.hint}")
    return "\n".join(parts)


def to_lsp(ls: LanguageServer, analysis: Analysis, d: Diagnostic,
           opened: dict[str, tuple[str, str]]) -> tuple[str, lsp.Diagnostic] | None:
    """(URI, LSP diagnostic) for a capplan diagnostic; None for one inside the catalog."""
    if d.span is None:
        uri, lines = analysis.uri, analysis.text.split("\n")
    else:
        if is_catalog(d.span.path):
            return None
        uri = uri_of(analysis, d.span.path, opened)
        if uri is None:
            return None
        lines = lines_of(analysis, d.span.path)
    related = []
    for label in d.secondary:
        where = uri_of(analysis, label.span.path, opened)
        if where is not None:
            related.append(lsp.DiagnosticRelatedInformation(
                location=lsp.Location(uri=where, range=to_range(ls, lines_of(analysis, label.span.path),
                                                                label.span)),
                message=label.text or d.message))
    severity = lsp.DiagnosticSeverity.Warning if d.severity == "warning" else lsp.DiagnosticSeverity.Error
    return uri, lsp.Diagnostic(range=to_range(ls, lines, d.span), message=message_of(d), severity=severity,
                               code=d.code, source=SOURCE, related_information=related or None)


def _internal_diagnostic(message: str) -> lsp.Diagnostic:
    origin = lsp.Position(line=0, character=0)
    return lsp.Diagnostic(range=lsp.Range(start=origin, end=origin), message=message,
                          severity=lsp.DiagnosticSeverity.Error, code="internal", source=SOURCE)


def publish(ls: LanguageServer, analysis: Analysis, previous: Analysis | None) -> None:
    """Send a compilation's diagnostics, per file; clear the files the previous one published to."""
    opened = open_texts(ls)
    by_uri: dict[str, list[lsp.Diagnostic]] = {analysis.uri: []}
    if analysis.internal:
        by_uri[analysis.uri].append(_internal_diagnostic(
            f"capplan internal error while evaluating the plans: {analysis.internal} (please report "
            "it); the other diagnostics come from checking alone"))
    for d in analysis.comp.diagnostics.sorted():
        converted = to_lsp(ls, analysis, d, opened)
        if converted is not None:
            by_uri.setdefault(converted[0], []).append(converted[1])
    stale = (previous.published if previous else set()) - set(by_uri)
    for uri in stale:
        if uri in STATE.latest and uri != analysis.uri:
            continue  # an open document publishes its own diagnostics
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    for uri, items in by_uri.items():
        version = analysis.version if uri == analysis.uri else None
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, diagnostics=items, version=version))
    analysis.published = set(by_uri)


def refresh(ls: LanguageServer, uri: str) -> Analysis | None:
    """Compile a document and publish its diagnostics (the callers then refresh its dependents)."""
    previous = STATE.latest.get(uri)
    try:
        analysis = analyse(ls, uri)
    except Exception as exc:  # our own bug: report it, keep serving
        log.exception("capplan: internal error compiling %s", uri)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[
            _internal_diagnostic(f"capplan internal error: {exc.__class__.__name__}: {exc} "
                                 "(please report it)")]))
        return None
    publish(ls, analysis, previous)
    return analysis
