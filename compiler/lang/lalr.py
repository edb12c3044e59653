"""The parser's fast path: grammar/capplan.lark's LALR(1) tables, run without importing Lark.

Lark (https://github.com/lark-parser/lark) analyses the grammar; its tables, the terminals each
parser state's lexer accepts, and how each rule shapes the tree are written once into
capplan/lang/lalr_tables.py (`python -m capplan.lang.lalr` regenerates it; tests/test_parser_fast.py
fails when it is stale). At run time this module lexes and parses a spec with those tables and
builds the AST as it reduces, which avoids what Lark costs on every start (importing it, loading
its cached parser, building its lexers) and its per-reduction tree building and position
propagation, about 40 ms of a `capplan check`.

It reproduces, on the tables Lark computed, exactly what Lark's LALR parser with the contextual
lexer and `propagate_positions=True` produces, the same tree in the same positions (Lark's
lexer.py: BasicLexer.next_token, ContextualLexer, _create_unless; parse_tree_builder.py:
ChildFilterLALR_NoPlaceholders, ExpandSingleChild, PropagatePositions; lalr_parser_state.py:
feed_token), for a spec without errors only: at the first thing it does not accept (a character
no token of the state's lexer matches, a token the state has no action for, a number out of range,
a tree deeper than the limit) it gives up and returns None, and capplan.lang.parser parses the
text again with Lark, which reports the problems as before. Spec: specs/README.md (Syntax).
"""

from __future__ import annotations

import re

from capplan.lang import lalr_tables as T


class Tok:
    """A token: its type, text and 1-based start and end position (end column exclusive)."""

    __slots__ = ("type", "value", "line", "column", "end_line", "end_column")

    def __init__(self, type_: str, value: str, line: int, column: int, end_line: int, end_column: int):
        self.type, self.value, self.line, self.column = type_, value, line, column
        self.end_line, self.end_column = end_line, end_column


class Node:
    """A tree node being built: Lark's Tree and Meta in one (the meta's own and container positions)."""

    __slots__ = ("data", "children", "value", "height", "line", "column", "end_line", "end_column",
                 "cline", "ccolumn", "cend_line", "cend_column")

    def __init__(self, data: str, children: list, height: int):
        self.data, self.children, self.height, self.value = data, children, height, None
        self.line = self.column = self.end_line = self.end_column = None
        self.cline = self.ccolumn = self.cend_line = self.cend_column = None


# Each terminal's compiled `match`, compiled when first tried. A state's lexer tries its terminals
# in Lark's order and takes the first that matches: what Lark's one alternation of them all, in
# that order, matches (an alternation takes its first alternative that matches). Compiling the
# alternations, one per state, cost ~1 ms each, 20 ms for a typical spec; the terminals alone, 1 ms.
_MATCHERS: dict = {}


# Unit rules (`?sum: product`): the child is the node, its positions unchanged (Lark's
# PropagatePositions over one child sets the child's container to its own): only the state changes.
_UNIT_RULES = frozenset(i for i, (_, size, _, single, include) in enumerate(T.RULES)
                        if size == 1 and single and include is None)


def _matcher(name: str):
    _MATCHERS[name] = match = re.compile(T.TERMINALS[name]).match
    return match


def parse(text: str, path: str, build: dict, max_depth: int, number_ok) -> tuple[list, list] | None:
    """(the file's items as built by `build`, its comments as tokens), or None if Lark must decide.

    `build` maps a tree node's name to a function (path, node, children) -> AST value; children are
    Tok tokens and built values. `number_ok(text)` says whether a NUMBER literal is in range.
    """
    lexers, matchers, unit_rules = T.LEXERS, _MATCHERS, _UNIT_RULES
    states, rules, ignore, newline_types = T.STATES, T.RULES, T.IGNORE, T.NEWLINE_TYPES
    state_stack = [T.START_STATE]
    value_stack: list = []
    comments: list[Tok] = []
    pos, line, line_start, end = 0, 1, 0, len(text)
    while True:
        state = state_stack[-1]
        lexer_index, actions = states[state]
        if pos < end:
            names, unless = lexers[lexer_index]
            while True:  # skip the ignored tokens (white space, comments) before the next one
                for type_ in names:
                    m = (matchers.get(type_) or _matcher(type_))(text, pos)
                    if m is not None:
                        break
                else:
                    return None
                value = m.group()
                column = pos - line_start + 1
                start_line = line
                pos += len(value)
                if type_ in newline_types:
                    newlines = value.count("\n")
                    if newlines:
                        line += newlines
                        line_start = pos - len(value) + value.rindex("\n") + 1
                if type_ in ignore:
                    if type_ == "COMMENT":
                        comments.append(Tok(type_, value, start_line, column, line, pos - line_start + 1))
                    if pos < end:
                        continue
                    type_ = None
                break
            if type_ is None:
                token = None
            else:
                keywords = unless.get(type_)
                if keywords is not None:
                    type_ = keywords.get(value, type_)
                if type_ == "NUMBER" and not number_ok(value):
                    return None
                token = Tok(type_, value, start_line, column, line, pos - line_start + 1)
        else:
            token = None
        if token is None:
            root = _finish(state_stack, value_stack, states, rules, path, build)
            if root is None or root.height > max_depth:  # Lark's path reports E0803 at the right node
                return None
            return [kid.value for kid in root.children], comments
        while True:
            action = actions.get(token.type)
            if action is None:
                return None
            if action >= 0:
                state_stack.append(action)
                value_stack.append(token)
                break
            if ~action in unit_rules:
                state_stack[-1] = states[state_stack[-2]][1][rules[~action][0]]
            else:
                _reduce(~action, state_stack, value_stack, states, rules, path, build)
            actions = states[state_stack[-1]][1]


def _finish(state_stack, value_stack, states, rules, path, build) -> Node | None:
    """Feed the end of input: reduce until the start rule is complete (Lark's feed_token, is_end)."""
    while True:
        action = states[state_stack[-1]][1].get("$END")
        if action is None or action >= 0:
            return None
        _reduce(~action, state_stack, value_stack, states, rules, path, build)
        if state_stack[-1] == T.END_STATE:
            return value_stack[-1]


def _reduce(rule_index, state_stack, value_stack, states, rules, path, build) -> None:
    origin, size, name, expand_single, include = rules[rule_index]
    if size:
        raw = value_stack[-size:]
        del state_stack[-size:]
        del value_stack[-size:]
    else:
        raw = []
    if include is None:
        kids = raw
    else:
        kids = []
        for index, splice in include:
            if splice:
                kids.extend(raw[index].children)
            else:
                kids.append(raw[index])
    if expand_single and len(kids) == 1:
        result = kids[0]
        if result.__class__ is Node:
            _propagate(result, raw)
    else:
        height = 0
        for kid in kids:
            if kid.__class__ is Node and kid.height > height:
                height = kid.height
        result = Node(name, kids, height + 1)
        _propagate(result, raw)
        maker = build.get(name)
        if maker is not None:
            result.value = maker(path, result, [k.value if k.__class__ is Node else k for k in kids])
    state_stack.append(states[state_stack[-1]][1][origin])
    value_stack.append(result)


def _propagate(node: Node, raw: list) -> None:
    """Lark's PropagatePositions: a node starts at its first child's container, ends at its last's."""
    first = last = None
    for child in raw:
        if child.__class__ is Tok or child.line is not None:
            first = child
            break
    if first is None:
        return
    for child in reversed(raw):
        if child.__class__ is Tok or child.line is not None:
            last = child
            break
    if first.__class__ is Tok:
        cline, ccolumn = first.line, first.column
    else:
        cline, ccolumn = first.cline, first.ccolumn
    if last.__class__ is Tok:
        cend_line, cend_column = last.end_line, last.end_column
    else:
        cend_line, cend_column = last.cend_line, last.cend_column
    if node.line is None:
        node.line, node.column = cline, ccolumn
    if node.end_line is None:
        node.end_line, node.end_column = cend_line, cend_column
    node.cline, node.ccolumn, node.cend_line, node.cend_column = cline, ccolumn, cend_line, cend_column
