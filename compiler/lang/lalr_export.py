"""Writes capplan/lang/lalr_tables.py from Lark's analysis of grammar/capplan.lark.

Run `python -m capplan.lang.lalr_export` after changing the grammar (tests/test_parser_fast.py
fails until then). Only this module and capplan.lang.parser's fallback import Lark; the tables
are read by capplan.lang.lalr. What is taken from Lark (https://github.com/lark-parser/lark):
the LALR(1) parse table; the terminals' regular expressions; for each parser state, the terminals
its contextual lexer accepts, in Lark's order, and which keywords its name-like terminals become
(lexer.py: ContextualLexer, BasicLexer._build_scanner, _create_unless); for each rule, the tree
node it builds (parse_tree_builder.py: the name, which children are kept or spliced in, whether a
single child replaces the node).
"""

from __future__ import annotations

import sys
import zlib
from importlib import resources
from pathlib import Path

from capplan.lang.parser import _lark

HEADER = '''"""LALR(1) tables of grammar/capplan.lark for capplan.lang.lalr: GENERATED, do not edit.

Regenerate with `python -m capplan.lang.lalr_export` (tests/test_parser_fast.py checks them).
STATES[state] = (lexer index, {symbol: action}): action >= 0 shifts to that state, action < 0
reduces RULES[~action] = (origin, length, tree node name, a single child replaces the node,
((child index, splice its children), ...) or None for every child). LEXERS[index] = (the
terminals tried, in order: the first whose TERMINALS regular expression matches is the token,
{terminal: {text: keyword terminal}}).
"""
# fmt: off
# flake8: noqa
'''


def grammar_crc32() -> int:
    return zlib.crc32(resources.files("capplan.grammar").joinpath("capplan.lark").read_bytes())


def tables_source() -> str:
    """The text of lalr_tables.py for the installed grammar and Lark."""
    import lark
    from lark.parse_tree_builder import _should_expand
    from lark.parsers.lalr_analysis import Shift

    parser = _lark()
    frontend = parser.parser
    table = frontend.parser.parser.parse_table
    assert frontend.lexer_conf.g_regex_flags == 0 and not frontend.lexer_conf.use_bytes
    assert not parser.options.maybe_placeholders and not parser.options.keep_all_tokens
    rules = list(parser.rules)
    rule_index = {id(rule): i for i, rule in enumerate(rules)}
    start, end = table.start_states["start"], table.end_states["start"]
    number = _canonical_numbers(table, start)
    lexer_index: dict[int, int] = {}
    lexers = []
    for state in sorted(table.states, key=number.__getitem__):
        lexer = frontend.lexer.lexers[state]
        if id(lexer) not in lexer_index:
            scanner = lexer.scanner  # builds it: terminals in Lark's order, keyword callbacks
            assert len(scanner._mres) == 1, "more than 100 terminals in one state"
            unless = {}
            for name, callback in sorted(lexer.callback.items()):
                if name in lexer.user_callbacks:
                    assert callback is lexer.user_callbacks[name], name  # COMMENT's sink, no keywords
                    continue
                words: dict[str, str] = {}
                for term in callback.scanner.terminals:
                    assert term.pattern.type == "str" and not term.pattern.flags, term
                    words.setdefault(term.pattern.value, term.name)
                unless[name] = dict(sorted(words.items()))
            lexer_index[id(lexer)] = len(lexers)
            order = tuple(t.name for t in scanner.terminals)
            assert scanner._mres[0].pattern == "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})"
                                                          for t in scanner.terminals)
            lexers.append((order, unless))
    states = []
    for state in sorted(table.states, key=number.__getitem__):
        actions = {}
        for symbol, (action, arg) in sorted(table.states[state].items()):
            actions[symbol] = number[arg] if action is Shift else ~rule_index[id(arg)]
        states.append((lexer_index[id(frontend.lexer.lexers[state])], actions))
    rule_rows = []
    for rule in rules:
        # str(): a freshly built Lark (no cache yet) names rules with its Token, a str subclass
        name = str(rule.alias or rule.options.template_source or rule.origin.name)
        kept = [(i, _should_expand(sym)) for i, sym in enumerate(rule.expansion)
                if rule.options.keep_all_tokens or not (sym.is_term and sym.filter_out)]
        include = None if len(kept) == len(rule.expansion) and not any(s for _, s in kept) else tuple(kept)
        rule_rows.append((str(rule.origin.name), len(rule.expansion), name,
                          bool(rule.options.expand1 and not rule.alias), include))
    ignore = frozenset(frontend.lexer_conf.ignore)
    newline = set()
    for lexer in frontend.lexer.lexers.values():
        newline |= lexer.newline_types
    terminals = {t.name: t.pattern.to_regexp() for t in parser.terminals}
    out = [HEADER, f"GRAMMAR_CRC32 = {grammar_crc32()!r}", f"LARK_VERSION = {lark.__version__!r}",
           f"START_STATE = {number[start]!r}", f"END_STATE = {number[end]!r}",
           f"IGNORE = frozenset({sorted(ignore)!r})", f"NEWLINE_TYPES = frozenset({sorted(newline)!r})", "",
           "RULES = ("]
    out += [f"    {row!r}," for row in rule_rows]
    out += [")", "", "TERMINALS = {"]
    out += [f"    {name!r}: {regexp!r}," for name, regexp in sorted(terminals.items())]
    out += ["}", "", "LEXERS = ("]
    out += [f"    {row!r}," for row in lexers]
    out += [")", "", "STATES = ("]
    out += [f"    {row!r},  # {i}" for i, row in enumerate(states)]
    out += [")", ""]
    return "\n".join(out)


def _canonical_numbers(table, start: int) -> dict[int, int]:
    """Parser state -> its number in the tables: breadth first from the start state, each state's
    successors in the order of their symbols. Lark numbers states in the order of Python sets of
    its items, which changes with the string hash seed (PYTHONHASHSEED) when it builds the parser
    afresh; these numbers depend only on the table, so the file is the same from any process."""
    from lark.parsers.lalr_analysis import Shift

    number = {start: 0}
    queue = [start]
    for state in queue:
        for _symbol, (action, arg) in sorted(table.states[state].items()):
            if action is Shift and arg not in number:
                number[arg] = len(number)
                queue.append(arg)
    assert len(number) == len(table.states), "a parser state no shift reaches"
    return number


def main() -> int:
    target = Path(__file__).with_name("lalr_tables.py")
    text = tables_source()
    if target.exists() and target.read_text(encoding="utf-8") == text:
        print(f"{target}: up to date")
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"{target}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
