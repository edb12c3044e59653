"""Where the cursor is: the tokens around it and the blocks that enclose it.

Read from capplan.lang.lexer's tokens, not from the parse tree, so that it works on text
being typed, which seldom parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from capplan.check.schema import BLOCK, FORMAT, FORMAT_OPTIONS, KINDS, BlockSchema
from capplan.lang.lexer import NAME, NAME_KINDS, Kind, Token, tokenize

_NAME_RE = re.compile(NAME)


def lex(text: str) -> list[Token]:
    """Significant tokens (no blanks, no comments); a WHITESPACE token (a `newline` marker) where a line ends."""
    out: list[Token] = []
    for token in tokenize(text):
        if token.kind is Kind.COMMENT:
            continue
        if token.kind is Kind.WHITESPACE or not token.text.strip():
            if token.kind is Kind.WHITESPACE and "\n" in token.text:
                out.append(token)
            continue
        out.append(token)
    return out


def is_newline(token: Token) -> bool:
    """A line break among lex()'s tokens (the only blanks it keeps)."""
    return token.kind is Kind.WHITESPACE


def in_comment_or_string(text: str, offset: int) -> bool:
    """Whether `offset` is inside a comment or a string (neither spans lines)."""
    line = tokenize(text[text.rfind("\n", 0, offset) + 1:offset])
    if any(token.kind is Kind.COMMENT for token in line):
        return True
    quotes = sum(1 for token in line if token.kind is Kind.STRING and token.text == '"')
    return quotes % 2 == 1  # an opening quote without its closing one


@dataclass
class Frame:
    """One open `{ ... }` around the cursor."""

    role: str                        # decl | sub | format | unknown
    label: str                       # the kind, the sub-block's name or the format
    decl: str = ""                   # the declaration's name (decl frames)
    schema: BlockSchema | None = None
    fields: set[str] = field(default_factory=set)   # fields set in this block


@dataclass
class Context:
    frames: list[Frame]
    tokens: list[Token]
    index: int                       # the token at or after the cursor

    @property
    def schema(self) -> BlockSchema | None:
        return self.frames[-1].schema if self.frames else None

    @property
    def decl(self) -> Frame | None:
        return self.frames[0] if self.frames else None


def context_at(text: str, offset: int, tokens: list[Token] | None = None) -> Context:
    """The blocks that enclose `offset`, found by lexing (works on text that does not parse)."""
    tokens = lex(text) if tokens is None else tokens
    stack: list[Frame] = []
    snapshot: list[Frame] | None = None
    index = len(tokens)
    stmt: list[Token] = []   # the tokens of the current statement
    for i, tok in enumerate(tokens):
        if snapshot is None and tok.start >= offset:
            snapshot, index = list(stack), i
        if is_newline(tok) or tok.text == ";":
            stmt = []
            continue
        if tok.text == "{" and tok.kind is Kind.PUNCTUATION:
            stack.append(_frame(stack, stmt))
            stmt = []
            continue
        if tok.text == "}" and tok.kind is Kind.PUNCTUATION:
            if stack:
                stack.pop()
            stmt = []
            continue
        if stack and not stmt and tok.kind is Kind.FIELD and not tok.start <= offset <= tok.end:
            stack[-1].fields.add(tok.text)
        stmt.append(tok)
    if snapshot is None:
        snapshot = list(stack)
    return Context(snapshot, tokens, index)


def _frame(stack: list[Frame], stmt: list[Token]) -> Frame:
    if not stack:
        kind = stmt[0].text if stmt else ""
        name = stmt[1].text if len(stmt) > 1 and stmt[1].kind in NAME_KINDS else ""
        return Frame("decl", kind, name, KINDS.get(kind))
    parent = stack[-1].schema
    if stmt and stmt[-1].kind is Kind.FIELD and len(stmt) == 1:
        spec = parent.fields.get(stmt[0].text) if parent else None
        return Frame("sub", stmt[0].text, stack[0].decl, spec.block if spec and spec.type == BLOCK else None)
    if len(stmt) >= 3 and stmt[-1].kind in NAME_KINDS and stmt[-2].text == "=":
        spec = parent.fields.get(stmt[0].text) if parent else None
        schema = FORMAT_OPTIONS if spec is not None and spec.type == FORMAT else None
        return Frame("format", stmt[-1].text, stack[0].decl, schema)
    return Frame("unknown", stmt[-1].text if stmt else "", stack[0].decl)


def token_at(tokens: list[Token], offset: int) -> int | None:
    """The index of the token under `offset` (or of the word that ends there)."""
    for i, tok in enumerate(tokens):
        if is_newline(tok):
            continue
        if tok.start <= offset < tok.end:
            return i
    for i, tok in enumerate(tokens):  # at the end of a word
        if tok.end == offset and not is_newline(tok) and _NAME_RE.fullmatch(tok.text):
            return i
    return None


def dotted(tokens: list[Token], i: int) -> list[str]:
    """The dotted reference ending at token i: [`lab`, `gpu`, `memory`]."""
    parts = [tokens[i].text]
    j = i
    while j >= 2 and tokens[j - 1].text == "." and tokens[j - 2].kind in NAME_KINDS:
        parts.insert(0, tokens[j - 2].text)
        j -= 2
    return parts


def stmt_start(tokens: list[Token], i: int) -> int:
    """The index of the first token of the statement token i is in."""
    j = i
    while j > 0 and not is_newline(tokens[j - 1]) and tokens[j - 1].text not in (";", "{", "}"):
        j -= 1
    return j
