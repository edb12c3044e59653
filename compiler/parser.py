"""Phase 1: text -> AST, with spans, and syntax diagnostics.

The grammar lives in grammar/capplan.lark (installed as capplan.grammar).
The Lark parser is built once per process (LALR, contextual lexer) and its
tables are cached on disk by Lark, keyed by the grammar's hash.
"""

from __future__ import annotations

import functools
import threading
from importlib import resources

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from . import ast
from .diagnostics import Diagnostic, Diagnostics
from .source import Span

MAX_SYNTAX_ERRORS = 50

# Lark's terminal names, in words a spec author knows.
_TOKEN_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "UNIT": "a unit", "STRING": "a string",
    "_NL": "end of line", "SEMICOLON": "`;`", "LBRACE": "`{`", "RBRACE": "`}`",
    "LSQB": "`[`", "RSQB": "`]`", "LPAR": "`(`", "RPAR": "`)`", "EQUAL": "`=`",
    "COMMA": "`,`", "DOT": "`.`", "MINUS": "`-`", "ADD_OP": "`+` or `-`",
    "MUL_OP": "`*` or `/`", "COMPARATOR": "a comparison (`<=`, `>=`, ...)",
    "TRUE": "`true`", "FALSE": "`false`", "IMPORT": "`import`", "CONST": "`const`",
    "FROM": "`from`", "FOR": "`for`", "REQUIRE": "`require`", "VARY": "`vary`",
    "IN": "`in`", "AND": "`and`", "OR": "`or`", "NOT": "`not`", "OBJECTIVE": "`minimize` or `maximize`",
    "$END": "end of file",
}


# Comments are not in the tree; the lexer hands them here as it meets them. The parser
# object is shared, so parses are serialised (the language server parses from threads).
_COMMENT_SINK: list[Token] = []
_PARSE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = resources.files("capplan.grammar").joinpath("capplan.lark")
    with resources.as_file(grammar) as path:
        return Lark.open(str(path), parser="lalr", lexer="contextual",
                         propagate_positions=True, maybe_placeholders=False, cache=True,
                         lexer_callbacks={"COMMENT": _COMMENT_SINK.append})


def _span(path: str, meta_or_token) -> Span:
    m = meta_or_token
    return Span(path, m.line, m.column, m.end_line, m.end_column)


def _number(text: str) -> float:
    return float(text.replace("_", ""))


def _unquote(text: str) -> str:
    body = text[1:-1]
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append({"n": "\n", "t": "\t"}.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


@v_args(meta=True, inline=True)
class _ToAst(Transformer):
    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def _s(self, x) -> Span:
        return _span(self.path, x)

    # items
    def import_stmt(self, meta, string: Token):
        return ast.Import(_unquote(string), self._s(string), self._s(meta))

    def const_decl(self, meta, name: Token, value):
        return ast.Const(str(name), self._s(name), value, self._s(meta))

    def declaration(self, meta, kind: Token, name: Token, *rest):
        base = target = None
        body = rest[-1]
        for part in rest[:-1]:
            if part[0] == "base":
                base = part[1]
            else:
                target = part[1]
        return ast.Declaration(str(kind), self._s(kind), str(name), self._s(name),
                               base, target, body, self._s(meta))

    def base(self, meta, ref):
        return ("base", ref)

    def target(self, meta, name: Token):
        return ("target", ast.Ref((str(name),), self._s(name)))

    def block(self, meta, *entries):
        return ast.Block(tuple(entries), self._s(meta))

    # entries
    def assignment(self, meta, name: Token, value):
        return ast.Assignment(str(name), self._s(name), value, self._s(meta))

    def subblock(self, meta, name: Token, body):
        return ast.SubBlock(str(name), self._s(name), body, self._s(meta))

    def require_stmt(self, meta, condition):
        return ast.Require(condition, self._s(meta))

    def vary_stmt(self, meta, name: Token, values):
        return ast.Vary(str(name), self._s(name), values, self._s(meta))

    def objective(self, meta, direction: Token, name: Token):
        return ast.Objective(str(direction), str(name), self._s(name), self._s(meta))

    # expressions
    def configured(self, meta, name: Token, body):
        return ast.Configured(str(name), self._s(name), body, self._s(meta))

    def negation(self, meta, operand):
        return ast.Not(operand, self._s(meta))

    def conjunction(self, meta, left, right):
        return ast.Conjunction(left, right, self._s(meta))

    def disjunction(self, meta, left, right):
        return ast.Disjunction(left, right, self._s(meta))

    def compare(self, meta, left, op: Token, right):
        return ast.Compare(str(op), left, right, self._s(meta))

    def binary(self, meta, left, op: Token, right):
        return ast.Binary(str(op), left, right, self._s(meta))

    def negate(self, meta, operand):
        return ast.Negate(operand, self._s(meta))

    def quantity(self, meta, number: Token, unit: Token | None = None):
        return ast.Quantity(_number(number), str(number), str(unit) if unit else None,
                            self._s(unit) if unit else None, self._s(meta))

    def string(self, meta, token: Token):
        return ast.String(_unquote(token), self._s(token))

    def boolean(self, meta, token: Token):
        return ast.Boolean(token == "true", self._s(token))

    def ref(self, meta, *names: Token):
        return ast.Ref(tuple(str(n) for n in names), self._s(meta))

    def list(self, meta, *items):
        return ast.ListExpr(tuple(items), self._s(meta))


def _expected_words(expected) -> str:
    words = sorted({_TOKEN_WORDS.get(t, f"`{t.lower()}`") for t in expected})
    if len(words) > 6:
        words = words[:6] + ["..."]
    return ", ".join(words)


def _syntax_diagnostic(path: str, err: UnexpectedInput, text: str) -> Diagnostic:
    line, column = err.line, err.column
    if isinstance(err, UnexpectedCharacters):
        ch = text[err.pos_in_stream] if err.pos_in_stream < len(text) else ""
        span = Span(path, line, column, line, column + 1)
        hint = None
        if ch == "'":
            hint = 'strings are written in double quotes: "..."'
        elif ch == ":":
            hint = "fields are assigned with `=`, not `:`"
        return Diagnostic("E0101" if ch.isalnum() else "E0102", f"unexpected character `{ch}`",
                          span, label="no token of the language starts here", hint=hint)
    if isinstance(err, UnexpectedToken) and err.token.type == "$END" or isinstance(err, UnexpectedEOF):
        lines = text.splitlines() or [""]
        last = len(lines)
        span = Span(path, last, len(lines[-1]) + 1, last, len(lines[-1]) + 2)
        expected = getattr(err, "expected", None) or getattr(err, "accepts", None) or []
        return Diagnostic("E0103", "unexpected end of file", span,
                          label="the file ends here", notes=(f"expected: {_expected_words(expected)}",),
                          hint="is a closing `}` or `]` missing?" if {"RBRACE", "RSQB"} & set(expected) else None)
    assert isinstance(err, UnexpectedToken)
    tok = err.token
    value = str(tok).replace("\n", "\\n")
    width = max(1, len(str(tok)) if tok.type != "_NL" else 1)
    span = Span(path, line, column, line, column + width)
    expected = set(err.accepts or err.expected)
    shown = "end of line" if tok.type == "_NL" else f"`{value}`"
    hint = None
    if tok.type == "UNIT" or (tok.type == "NAME" and "EQUAL" in expected):
        hint = "each field is `name = value`; put one field per line or separate them with `;`"
    if tok.type == "_NL" and "EQUAL" in expected:
        hint = "a field needs a value: `name = value`"
    if tok.type == "COLON" or value == ":":
        hint = "fields are assigned with `=`, not `:`"
    return Diagnostic("E0101", f"unexpected {shown}", span, label="not expected here",
                      notes=(f"expected: {_expected_words(expected)}",), hint=hint)


def parse(text: str, path: str, diagnostics: Diagnostics) -> ast.File | None:
    """Parse one file. Syntax errors go to `diagnostics`; returns None if any.

    Recovery is by lines, as statements are: after an error, the offending line
    is blanked and the file parsed again, so one run reports the errors of
    every line (up to MAX_SYNTAX_ERRORS) without cascades.
    """
    with _PARSE_LOCK:
        return _parse(text, path, diagnostics)


def _parse(text: str, path: str, diagnostics: Diagnostics) -> ast.File | None:
    parser = _lark()
    lines = text.split("\n")
    found: list[UnexpectedInput] = []
    tree = None
    while len(found) < MAX_SYNTAX_ERRORS:
        _COMMENT_SINK.clear()
        try:
            tree = parser.parse("\n".join(lines))
            break
        except UnexpectedInput as err:
            found.append(err)
            at_end = isinstance(err, UnexpectedEOF) or (
                isinstance(err, UnexpectedToken) and err.token.type == "$END")
            if at_end or not (0 < err.line <= len(lines)) or not lines[err.line - 1].strip():
                break
            lines[err.line - 1] = ""
    for err in found:
        diagnostics.add(_syntax_diagnostic(path, err, text))
    if found or tree is None:
        return None
    comments = []
    for token in _COMMENT_SINK:
        comments.append(ast.Comment(str(token), _span(path, token)))
    _COMMENT_SINK.clear()
    try:
        items = _ToAst(path).transform(tree)
    except VisitError as exc:  # our own bug: unwrap at this one boundary
        raise exc.orig_exc from None
    lines = text.splitlines() or [""]
    span = Span(path, 1, 1, len(lines), len(lines[-1]) + 1)
    return ast.File(path, tuple(items.children), tuple(comments), span)
