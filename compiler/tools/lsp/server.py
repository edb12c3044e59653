"""The language server itself: pygls's server, the LSP methods it answers, and `main`.

Each handler converts the request (positions in the client's units) and calls the feature
modules; a feature that fails logs the error and answers nothing rather than leaving the
editor waiting. capplan.tools.lsp's docstring describes the features.
"""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from capplan import __version__
from capplan.pipeline import compile_files
from capplan.tools.lsp.completion import complete
from capplan.tools.lsp.definition import definition
from capplan.tools.lsp.diagnostics import refresh
from capplan.tools.lsp.documents import STATE, dependents, offset_of
from capplan.tools.lsp.hover import hover_markdown

log = logging.getLogger(__name__)

CHANGE_DEBOUNCE_S = 0.05  # a burst of keystrokes compiles once


class AnsweringProtocol(LanguageServerProtocol):
    """pygls's protocol, except that a request whose params do not validate gets an error response.

    pygls drops such a request (a negative position, params of the wrong shape) after logging it,
    and the editor waits for an answer forever. Here it is answered with InvalidParams (-32602).
    """

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            ident = data.get("id") if isinstance(data, dict) else None
            if isinstance(ident, (int, str)) and not isinstance(ident, bool) and "method" in data:
                code = exc.CODE if isinstance(exc, JsonRpcInvalidParams) else JsonRpcInvalidParams.CODE
                self._send_response(ident, error=lsp.ResponseError(
                    code=code, message=f"invalid params for {str(data.get('method'))[:80]}"))
            return data  # unstructured: pygls logs it and moves on to the next message


server = LanguageServer("capplan", __version__, protocol_cls=AnsweringProtocol,
                        text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)


@server.feature(lsp.INITIALIZED)
def initialized(ls: LanguageServer, params: lsp.InitializedParams) -> None:
    """Warm up while the editor settles: the grammar and the catalog (the engine is imported already)."""
    try:
        compile_files([], evaluate=False)
    except Exception:
        log.exception("capplan: warm-up failed")


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    refresh(ls, uri)
    path = STATE.latest[uri].path if uri in STATE.latest else None
    if path:
        for other in dependents(uri, path):
            refresh(ls, other)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: LanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    STATE.counter += 1
    mine = STATE.pending[uri] = STATE.counter
    await asyncio.sleep(CHANGE_DEBOUNCE_S)
    if STATE.pending.get(uri) != mine:
        return  # a newer change of this document compiles instead
    STATE.pending.pop(uri, None)
    if uri not in ls.workspace.text_documents and uri not in STATE.latest:
        return
    analysis = refresh(ls, uri)
    if analysis is not None:
        for other in dependents(uri, analysis.path):
            refresh(ls, other)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    analysis = refresh(ls, uri)
    if analysis is not None:
        for other in dependents(uri, analysis.path):
            refresh(ls, other)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    STATE.pending.pop(uri, None)
    analysis = STATE.latest.pop(uri, None)
    STATE.good.pop(uri, None)
    for target in (analysis.published if analysis else {uri}):
        if target == uri or target not in STATE.latest:
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=target, diagnostics=[]))


def _fresh_text(ls: LanguageServer, uri: str) -> str:
    """The document's text; compiles it first if a change is still pending (hover needs values)."""
    doc = ls.workspace.get_text_document(uri)
    latest = STATE.latest.get(uri)
    if latest is None or latest.version != doc.version or latest.text != doc.source:
        STATE.pending.pop(uri, None)
        refresh(ls, uri)
    return doc.source


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    uri = params.text_document.uri
    text = _fresh_text(ls, uri)
    offset = offset_of(ls, text, params.position)
    try:
        value = hover_markdown(uri, text, offset)
    except Exception:
        log.exception("capplan: hover failed")
        return None
    if not value:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=value))


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                lsp.CompletionOptions(trigger_characters=[".", "="]))
def completion(ls: LanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    uri = params.text_document.uri
    doc = ls.workspace.get_text_document(uri)
    text = doc.source
    if uri not in STATE.latest:
        refresh(ls, uri)
    offset = offset_of(ls, text, params.position)
    try:
        items = complete(uri, text, offset)
    except Exception:
        log.exception("capplan: completion failed")
        items = []
    return lsp.CompletionList(is_incomplete=False, items=items)


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def goto_definition(ls: LanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
    uri = params.text_document.uri
    text = _fresh_text(ls, uri)
    try:
        return definition(ls, uri, text, offset_of(ls, text, params.position))
    except Exception:
        log.exception("capplan: definition failed")
        return None


def main(argv: list[str] | None = None) -> int:
    """Serve LSP over stdio until the client says `exit`."""
    logging.basicConfig(level=logging.WARNING, format="capplan-lsp: %(levelname)s %(message)s")
    server.start_io()
    return 0

