"""The parser: golden ASTs, comments, recovery, and every construct of the language."""

from __future__ import annotations

import dataclasses

import pytest

from capplan.lang import ast
from capplan.core.diagnostics import Diagnostics
from capplan.lang.parser import parse
from capplan.core.source import Span

from conftest import GOLDEN, check_golden

CASES = sorted((GOLDEN / "parse").glob("*.plan"))


def dump(node, indent: int = 0) -> str:
    """A readable, stable rendering of an AST, spans as @line:col-line:col."""
    pad = "  " * indent
    if isinstance(node, Span):
        return f"@{node.line}:{node.column}-{node.end_line}:{node.end_column}"
    if dataclasses.is_dataclass(node):
        lines = [f"{pad}{type(node).__name__} {dump(node.span) if hasattr(node, 'span') else ''}".rstrip()]
        for f in dataclasses.fields(node):
            if f.name in ("span", "path"):
                continue
            value = getattr(node, f.name)
            if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
                lines.append(f"{pad}  {f.name}:")
                lines.extend(dump(v, indent + 2) for v in value)
            elif dataclasses.is_dataclass(value) and not isinstance(value, Span):
                lines.append(f"{pad}  {f.name}:")
                lines.append(dump(value, indent + 2))
            else:
                shown = dump(value) if isinstance(value, Span) else repr(value)
                lines.append(f"{pad}  {f.name}: {shown}")
        return "\n".join(lines)
    return pad + repr(node)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_parse_golden(case):
    d = Diagnostics()
    tree = parse(case.read_text(), case.name, d)
    assert not d.items, [x.message for x in d.items]
    check_golden(case.with_suffix(".ast"), dump(tree) + "\n")


def test_comments_are_kept_with_positions():
    d = Diagnostics()
    tree = parse('# head\ngpu g { # inline\n  memory = 1 GiB\n}\n', "x.plan", d)
    assert [(c.text, c.span.line, c.span.column) for c in tree.comments] == [
        ("# head", 1, 1), ("# inline", 2, 9)]


def test_hash_inside_a_string_is_not_a_comment():
    d = Diagnostics()
    tree = parse('model m { name = "a # b" }\n', "x.plan", d)
    assert tree.items[0].body.entries[0].value.value == "a # b"
    assert tree.comments == ()


def test_all_syntax_errors_of_a_file_in_one_run():
    d = Diagnostics()
    text = "gpu a {\n  memory: 1 GiB\n  x = \n  y = 3 4\n}\n"
    assert parse(text, "x.plan", d) is None
    assert [(x.code, x.span.line) for x in d.items] == [("E0102", 2), ("E0101", 3), ("E0101", 4)]


def test_units_bind_to_numbers_and_spaces_make_division():
    d = Diagnostics()
    tree = parse("const a = 3.35 TB/s\nconst b = 100 GB / steps\n", "x.plan", d)
    a, b = tree.items
    assert isinstance(a.value, ast.Quantity) and a.value.unit == "TB/s"
    assert isinstance(b.value, ast.Binary) and b.value.op == "/"


def test_enum_words_that_start_with_a_digit():
    d = Diagnostics()
    tree = parse("training t { parallel { schedule = 1f1b } }\n", "x.plan", d)
    value = tree.items[0].body.entries[0].body.entries[0].value
    assert (value.text, value.unit) == ("1", "f1b")
