"""Go to definition: where a referenced declaration or constant is declared (this file, another, the catalog)."""

from __future__ import annotations

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from capplan.lang.lexer import NAME_KINDS, Kind
from capplan.tools.lsp.context import lex, token_at
from capplan.tools.lsp.diagnostics import lines_of, uri_of
from capplan.tools.lsp.documents import for_values, open_texts, to_range


def definition(ls: LanguageServer, uri: str, text: str, offset: int) -> lsp.Location | None:
    """The location of the declaration named at `offset` of `text` (the document), or None."""
    tokens = lex(text)
    i = token_at(tokens, offset)
    analysis = for_values(uri)
    if i is None or analysis is None or analysis.comp.checker is None:
        return None
    tok = tokens[i]
    if tok.kind not in NAME_KINDS or tok.kind is Kind.FIELD:
        return None
    checker = analysis.comp.checker
    item = checker.decls.get(tok.text) or checker.consts.get(tok.text)
    if item is None:
        return None
    target = uri_of(analysis, item.name_span.path, open_texts(ls))
    if target is None:
        return None
    lines = (analysis.text.split("\n") if target == analysis.uri
             else lines_of(analysis, item.name_span.path))
    return lsp.Location(uri=target, range=to_range(ls, lines, item.name_span))
