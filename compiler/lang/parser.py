"""Phase 1: text -> AST, with spans, and syntax diagnostics.

The grammar lives in grammar/capplan.lark (installed as capplan.grammar). A spec is parsed first
by capplan.lang.lalr, which runs the grammar's LALR(1) tables (computed by Lark, written into
capplan/lang/lalr_tables.py) without importing Lark, and builds the AST as it goes. Only a spec
that path does not accept (a syntax error, a number out of range, nesting over the limit) is
parsed again with Lark itself, imported then: its errors, recovery and budget checks below make
the diagnostics. Both paths build the AST with the same functions (BUILD) on the same tree, so the
result does not depend on the path (tests/test_parser_fast.py compares them).

Lark's parser is built once per process (LALR, contextual lexer) and its tables are cached on
disk by Lark, keyed by the grammar's hash.
"""

from __future__ import annotations

import copy
import functools
import math
import os
import threading
import zlib

import capplan.grammar
from capplan.lang import ast, lalr, lalr_tables
from capplan.core.diagnostics import Diagnostic, Diagnostics
from capplan.core.limits import limits
from capplan.core.source import Span

MAX_SYNTAX_ERRORS = 50

# Lark's terminal names, in words a spec author knows.
_TOKEN_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "UNIT": "a unit", "STRING": "a string",
    "_NL": "end of line", "SEMICOLON": "`;`", "LBRACE": "`{`", "RBRACE": "`}`",
    "LSQB": "`[`", "RSQB": "`]`", "LPAR": "`(`", "RPAR": "`)`", "EQUAL": "`=`",
    "COMMA": "`,`", "DOT": "`.`", "MINUS": "`-`", "ADD_OP": "`+` or `-`",
    "MUL_OP": "`*` or `/`", "COMPARATOR": "a comparison (`<=`, `>=`, ...)",
    "TRUE": "`true`", "FALSE": "`false`", "IMPORT": "`import`", "CONST": "`const`",
    "FROM": "`from`", "FOR": "`for`", "REQUIRE": "`require`", "DROP": "`drop`", "VARY": "`vary`",
    "IN": "`in`", "AND": "`and`", "OR": "`or`", "NOT": "`not`", "OBJECTIVE": "`minimize` or `maximize`",
    "$END": "end of file",
}


# Comments are not in Lark's tree; its lexer hands them here as it meets them. The parser
# object is shared, so Lark's parses are serialised (the language server parses from threads).
_COMMENT_SINK: list = []
_PARSE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _lark():
    from importlib import resources

    from lark import Lark

    grammar = resources.files("capplan.grammar").joinpath("capplan.lark")
    with resources.as_file(grammar) as path:
        return Lark.open(str(path), parser="lalr", lexer="contextual",
                         propagate_positions=True, maybe_placeholders=False, cache=True,
                         lexer_callbacks={"COMMENT": _COMMENT_SINK.append})


@functools.lru_cache(maxsize=1)
def _tables_current() -> bool:
    """Whether capplan/lang/lalr_tables.py was generated from the installed grammar (its CRC-32:
    a check against a grammar edited without regenerating the tables, not against tampering)."""
    try:
        with open(os.path.join(os.path.dirname(capplan.grammar.__file__), "capplan.lark"), "rb") as fh:
            text = fh.read()
    except OSError:  # not a plain directory (a zip): read it as a package resource
        from importlib import resources

        text = resources.files("capplan.grammar").joinpath("capplan.lark").read_bytes()
    return zlib.crc32(text) == lalr_tables.GRAMMAR_CRC32


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


# ------------------------------------------------------------------ tree -> AST
# One function per tree node name: (path, the node's positions, its children) -> AST value.
# Children are tokens (with .value and positions: Lark's or capplan.lang.lalr's) and built values.

def _declaration(path, meta, c):
    kind, name, *rest = c
    base = target = None
    for part in rest[:-1]:
        if part[0] == "base":
            base = part[1]
        else:
            target = part[1]
    return ast.Declaration(kind.value, _span(path, kind), name.value, _span(path, name),
                           base, target, rest[-1], _span(path, meta))


def _quantity(path, meta, c):
    number, unit = c[0], (c[1] if len(c) > 1 else None)
    return ast.Quantity(_number(number.value), number.value, unit.value if unit else None,
                        _span(path, unit) if unit else None, _span(path, meta))


BUILD = {
    # items
    "import_stmt": lambda p, m, c: ast.Import(_unquote(c[0].value), _span(p, c[0]), _span(p, m)),
    "const_decl": lambda p, m, c: ast.Const(c[0].value, _span(p, c[0]), c[1], _span(p, m)),
    "declaration": _declaration,
    "base": lambda p, m, c: ("base", c[0]),
    "target": lambda p, m, c: ("target", ast.Ref((c[0].value,), _span(p, c[0]))),
    "block": lambda p, m, c: ast.Block(tuple(c), _span(p, m)),
    # entries
    "assignment": lambda p, m, c: ast.Assignment(c[0].value, _span(p, c[0]), c[1], _span(p, m)),
    "subblock": lambda p, m, c: ast.SubBlock(c[0].value, _span(p, c[0]), c[1], _span(p, m)),
    "require_stmt": lambda p, m, c: ast.Require(c[0], _span(p, m)),
    "drop_stmt": lambda p, m, c: ast.DropRequire(c[0], _span(p, m)),
    "vary_stmt": lambda p, m, c: ast.Vary(c[0].value, _span(p, c[0]), c[1], _span(p, m)),
    "objective": lambda p, m, c: ast.Objective(c[0].value, c[1].value, _span(p, c[1]), _span(p, m)),
    # expressions
    "configured": lambda p, m, c: ast.Configured(c[0].value, _span(p, c[0]), c[1], _span(p, m)),
    "negation": lambda p, m, c: ast.Not(c[0], _span(p, m)),
    "conjunction": lambda p, m, c: ast.Conjunction(c[0], c[1], _span(p, m)),
    "disjunction": lambda p, m, c: ast.Disjunction(c[0], c[1], _span(p, m)),
    "compare": lambda p, m, c: ast.Compare(c[1].value, c[0], c[2], _span(p, m)),
    "binary": lambda p, m, c: ast.Binary(c[1].value, c[0], c[2], _span(p, m)),
    "negate": lambda p, m, c: ast.Negate(c[0], _span(p, m)),
    "quantity": _quantity,
    "string": lambda p, m, c: ast.String(_unquote(c[0].value), _span(p, c[0])),
    "boolean": lambda p, m, c: ast.Boolean(c[0].value == "true", _span(p, c[0])),
    "ref": lambda p, m, c: ast.Ref(tuple(n.value for n in c), _span(p, m)),
    "list": lambda p, m, c: ast.ListExpr(tuple(c), _span(p, m)),
}


def _lark_tree_to_ast(tree, path: str):
    """A Lark tree's AST (the root `start` gives the list of items), with the BUILD functions."""
    from lark import Tree

    children = [_lark_tree_to_ast(c, path) if isinstance(c, Tree) else c for c in tree.children]
    build = BUILD.get(tree.data)
    return build(path, tree.meta, children) if build is not None else children


def _expected_words(expected) -> str:
    words = sorted({_TOKEN_WORDS.get(t, f"`{t.lower()}`") for t in expected})
    if len(words) > 6:
        words = words[:6] + ["..."]
    return ", ".join(words)


def _syntax_diagnostic(path: str, err, text: str) -> Diagnostic:
    """The diagnostic for one of Lark's UnexpectedInput errors."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

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
        lines = _lines(text)
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
    is skipped and parsing resumes from the parser's state at the start of that
    line, so one run reports the errors of every line (up to MAX_SYNTAX_ERRORS)
    without cascades, in one pass over the file (time linear in its length).
    A tree nested deeper than the syntax-depth limit, or a number too large to
    compute with, is reported before the tree becomes an AST.

    The fast path (capplan.lang.lalr) parses the specs that have none of these
    problems; the others, and every spec if lalr_tables.py is stale, go to Lark.
    """
    if _tables_current():
        fast = lalr.parse(text, path, BUILD, limits().max_syntax_depth, _number_in_range)
        if fast is not None:
            items, comments = fast
            return ast.File(path, tuple(items), tuple(ast.Comment(t.value, _span(path, t)) for t in comments),
                            _file_span(text, path))
    with _PARSE_LOCK:
        return _parse_with_lark(text, path, diagnostics)


def _number_in_range(text: str) -> bool:
    return number_out_of_range(text) is None


def _lines(text: str) -> list[str]:
    """The lines as the grammar counts them (ended by "\n" only; str.splitlines also ends them at a form
    feed or U+2028), without the empty one after a final newline."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    return lines[:-1] if len(lines) > 1 and lines[-1] == "" else lines


def _file_span(text: str, path: str) -> Span:
    lines = _lines(text)
    return Span(path, 1, 1, len(lines), len(lines[-1]) + 1)


def _parse_with_lark(text: str, path: str, diagnostics: Diagnostics) -> ast.File | None:
    """Lark's parse: the syntax errors with recovery, the budget checks, then the AST."""
    _COMMENT_SINK.clear()
    tree, found = _parse_tree(text)
    for err in found:
        diagnostics.add(_syntax_diagnostic(path, err, text))
    if found or tree is None:
        return None
    comments = [ast.Comment(str(token), _span(path, token)) for token in _COMMENT_SINK]
    _COMMENT_SINK.clear()
    budget = _over_budget(tree, path)
    if budget:
        diagnostics.extend(budget)
        return None
    return ast.File(path, tuple(_lark_tree_to_ast(tree, path)), tuple(comments), _file_span(text, path))


def _parse_tree(text: str) -> tuple:
    """(Lark's tree or None, the UnexpectedInput errors: Lark's exceptions)."""
    """Lark's LALR parser driven token by token, with line-wise recovery.

    The parser's state stack is saved after every newline token. On an error on
    line L, the state saved at the start of line L is restored and lexing resumes
    at line L + 1: the same as parsing the file again with line L blanked, without
    parsing again. After the first error only syntax matters (no tree is built),
    so the parse runs without tree-building callbacks.
    """
    from lark import Token
    from lark.exceptions import UnexpectedEOF, UnexpectedInput, UnexpectedToken
    from lark.parsers.lalr_interactive_parser import InteractiveParser

    interactive = _lark().parse_interactive(text)
    state, lexer_thread = interactive.parser_state, interactive.lexer_thread
    line_ends = [i for i, ch in enumerate(text) if ch == "\n"]
    saved = list(state.state_stack)  # the state stack at the start of the current line
    found: list = []
    last = None
    while len(found) < MAX_SYNTAX_ERRORS:
        try:
            for token in lexer_thread.lex(state):
                state.feed_token(token)
                last = token
                if token.type == "_NL":  # errors come later in the text: only the latest is needed
                    saved = list(state.state_stack)
            end = Token.new_borrow_pos("$END", "", last) if last is not None else Token("$END", "", 0, 1, 1)
            result = state.feed_token(end, True)
            return (None if found else result), found
        except UnexpectedInput as err:
            if isinstance(err, UnexpectedToken):
                err.interactive_parser = InteractiveParser(interactive.parser, state, lexer_thread)
                err.accepts  # noqa: B018  (computed now, before the state is rewound)
            found.append(err)
            line = err.line
            if isinstance(err, UnexpectedEOF) or (isinstance(err, UnexpectedToken) and err.token.type == "$END") \
                    or not (0 < line <= len(line_ends) + 1):
                break
            stack = saved
            if not found[1:]:  # first error: stop building the tree
                state.parse_conf = copy.copy(state.parse_conf)
                state.parse_conf.callbacks = {}
            state.state_stack = list(stack)
            state.value_stack = [None] * (len(stack) - 1)
            resume = line_ends[line - 1] + 1 if line <= len(line_ends) else len(text)
            counter = lexer_thread.state.line_ctr
            counter.char_pos, counter.line, counter.column, counter.line_start_pos = resume, line + 1, 1, resume
            lexer_thread.state.last_token = None
    return None, found


def _over_budget(tree, path: str) -> list[Diagnostic]:
    """E0803 for nesting deeper than the limit, E0801 for numeric literals out of range.

    Walks the parse tree without recursion (a sum of 1,000 terms is a tree 1,000 deep),
    before anything recursive (the AST transformer, the checker) sees it.
    """
    from lark import Token, Tree

    cap = limits()
    problems: list[Diagnostic] = []
    pending = [(tree, 1)]
    too_deep, deepest = False, None
    while pending:
        node, depth = pending.pop()
        if depth > cap.max_syntax_depth:
            too_deep = True
            if not node.meta.empty and (deepest is None or (node.meta.line, node.meta.column) <
                                        (deepest.meta.line, deepest.meta.column)):
                deepest = node
            continue
        for child in node.children:
            if isinstance(child, Tree):
                pending.append((child, depth + 1))
            elif isinstance(child, Token) and child.type == "NUMBER":
                reason = number_out_of_range(str(child))
                if reason:
                    problems.append(Diagnostic("E0801", f"number `{_clip(child)}` is out of range",
                                               _span(path, child), label=reason,
                                               hint="write the number with a unit prefix (`15 Ttoken`, "
                                                    "`3.8e25 FLOP`) or check it for a typo"))
    if too_deep:  # at the first (in the file) of the nodes one level too deep
        span = _span(path, deepest.meta) if deepest is not None else None
        problems.append(Diagnostic("E0803", f"nesting deeper than {cap.max_syntax_depth} levels", span,
                                   label="this is nested too deep",
                                   notes=("blocks, lists, brackets and each operator of an expression "
                                          "count a level: a sum of 1,000 terms is 1,000 levels",),
                                   hint="name parts of the expression with `const`"))
    return problems


def number_out_of_range(text: str) -> str | None:
    """Why a numeric literal is rejected (too many digits, not finite, too large), or None."""
    cap = limits()
    mantissa = text.replace("_", "").lower().split("e")[0]
    if sum(ch.isdigit() for ch in mantissa) > cap.max_number_digits:
        return f"more than {cap.max_number_digits} digits"
    value = _number(text)
    if not math.isfinite(value) or abs(value) >= 10.0 ** cap.max_magnitude_exponent:
        return f"numbers must be below 10^{cap.max_magnitude_exponent}"
    return None


def _clip(token) -> str:
    text = str(token)
    return text if len(text) <= 24 else text[:20] + "..."
