"""The tools' tokenizer (capplan.lang.lexer) against the grammar it follows (grammar/capplan.lark).

The parser reads the grammar's terminals; the lexer has its own table of patterns, for text
that does not parse. These tests check that the two read the same words: keywords, names,
numbers, units, strings and comments; and that tokenize never loses or repeats a character.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Lark

from capplan.check.schema import KINDS as SCHEMA_KINDS
from capplan.lang.lexer import KEYWORDS, KINDS, NAME, NAME_KINDS, NUMBER_KINDS, Kind, tokenize

from conftest import ROOT

GRAMMAR = (ROOT / "grammar" / "capplan.lark").read_text()
TERMINALS = {t.name: t.pattern for t in Lark(GRAMMAR, parser="lalr").terminals}


def terminal(name: str) -> re.Pattern:
    return re.compile(TERMINALS[name].to_regexp())


def kinds(text: str) -> list[tuple[Kind, str]]:
    return [(t.kind, t.text) for t in tokenize(text)]


def test_keywords_and_kinds_are_the_grammars_and_the_schemas():
    assert set(KEYWORDS) == set(re.findall(r'"([a-z][a-z_]*)"', GRAMMAR))
    assert set(KINDS) == set(SCHEMA_KINDS)


def test_names_are_the_grammars():
    assert NAME == TERMINALS["NAME"].to_regexp()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789_.eE+-", min_size=1, max_size=8))
def test_numbers_are_the_grammars(text):
    """A whole NUMBER of the grammar is one number token, and one number token is a NUMBER."""
    tokens = tokenize(text)
    one_number = len(tokens) == 1 and tokens[0].kind in NUMBER_KINDS
    assert bool(terminal("NUMBER").fullmatch(text)) == one_number, kinds(text)
    if one_number:
        assert (tokens[0].kind is Kind.FLOAT) == ("." in text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aGBsi_/*^2%µx", min_size=1, max_size=8))
def test_units_after_a_number_are_the_grammars(unit):
    if unit in KEYWORDS:
        return
    got = kinds(f"8 {unit}")
    as_unit = got[:2] == [(Kind.INTEGER, "8"), (Kind.WHITESPACE, " ")] and got[2:] == [(Kind.UNIT, unit)]
    assert bool(terminal("UNIT").fullmatch(unit)) == as_unit, got


def test_keywords_after_a_number_are_not_units():
    assert kinds("x = 8 and y")[4:6] == [(Kind.INTEGER, "8"), (Kind.WHITESPACE, " ")]
    assert (Kind.KEYWORD, "and") in kinds("x = 8 and y")
    assert (Kind.UNIT, "inch") in kinds("x = 8 inch")
    assert kinds("x = 1f1b")[-1] == (Kind.NAME, "1f1b")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "#", "\\\\", '\\"', "\\n", "\\t", "é"]), max_size=6))
def test_strings_are_the_grammars(parts):
    text = '"' + "".join(parts) + '"'
    assert terminal("STRING").fullmatch(text)
    tokens = tokenize(text)
    assert all(t.kind in (Kind.STRING, Kind.ESCAPE) for t in tokens), kinds(text)
    assert tokens[-1].text == '"' and tokens[-1].start == len(text) - 1


def test_comments_are_the_grammars():
    text = "x = 1 # a comment, with \"quotes\" and (parens)\n"
    (comment,) = [t for t in tokenize(text) if t.kind is Kind.COMMENT]
    assert comment.text == terminal("COMMENT").search(text).group()


def test_context_gives_words_their_kind():
    got = kinds("const k = 2\ngpu g from h {\n  memory = 80 GiB\n  peak { bf16 = 1 }\n}\n"
                "search s for t {\n  vary tensor in [1, 2]\n  minimize cost\n}\n")
    for expected in [(Kind.CONST, "const"), (Kind.CONST_NAME, "k"), (Kind.KIND, "gpu"), (Kind.DECL_NAME, "g"),
                     (Kind.KEYWORD, "from"), (Kind.NAME, "h"), (Kind.FIELD, "memory"), (Kind.UNIT, "GiB"),
                     (Kind.FIELD, "peak"), (Kind.FIELD, "bf16"), (Kind.VARIABLE, "tensor"),
                     (Kind.KEYWORD, "minimize"), (Kind.NAME, "cost")]:
        assert expected in got, expected
    assert {Kind.NAME, Kind.FIELD} <= NAME_KINDS
    assert kinds("x = a.b")[-1] == (Kind.FIELD, "b")
    assert [k for k, v in kinds("x = 'a'") if v == "'"] == [Kind.ERROR, Kind.ERROR]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('gpu const{}=;#"\\\n\r\t .()[]1f1b80GiB%/é:') + ["\u00a0", "🚀"]),
               max_size=60))
def test_tokens_cover_the_text_end_to_end(text):
    offset = 0
    for token in tokenize(text):
        assert token.start == offset and token.end > token.start
        assert text[token.start:token.end] == token.text
        offset = token.end
    assert offset == len(text)
