"""The abstract syntax tree: frozen records, one per grammar rule.

Every node carries the :class:`~capplan.core.source.Span` it was parsed from. The nodes behave as
frozen dataclasses (and are registered as dataclasses: fields(), replace() work) but are
:class:`~capplan.core.records.Record` subclasses with their `__init__` written out, so that
importing this module generates no code (see capplan.core.records).
"""

from __future__ import annotations

from typing import Union

from capplan.core.records import Record, record
from capplan.core.source import Span


# ---------------------------------------------------------------- expressions

@record
class Quantity(Record):
    """A number with an optional unit: `80 GiB`, `2.5`."""

    number: float
    text: str  # the number as written, for messages and the formatter
    unit: str | None
    unit_span: Span | None
    span: Span

    def __init__(self, number: float, text: str, unit: str | None, unit_span: Span | None, span: Span) -> None:
        self.__dict__.update(number=number, text=text, unit=unit, unit_span=unit_span, span=span)


@record
class String(Record):
    """A string literal, unquoted and unescaped."""

    value: str
    span: Span

    def __init__(self, value: str, span: Span) -> None:
        self.__dict__.update(value=value, span=span)


@record
class Boolean(Record):
    """`true` or `false`."""

    value: bool
    span: Span

    def __init__(self, value: bool, span: Span) -> None:
        self.__dict__.update(value=value, span=span)


@record
class Ref(Record):
    """A dotted name: `h100_sxm`, `pod.gpu`."""

    parts: tuple[str, ...]
    span: Span

    def __init__(self, parts: tuple[str, ...], span: Span) -> None:
        self.__dict__.update(parts=parts, span=span)

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@record
class ListExpr(Record):
    """A list: `[1, 2, 4]`."""

    items: tuple["Expr", ...]
    span: Span

    def __init__(self, items: tuple["Expr", ...], span: Span) -> None:
        self.__dict__.update(items=items, span=span)


@record
class Binary(Record):
    """`left op right` with op one of + - * /."""

    op: str  # + - * /
    left: "Expr"
    right: "Expr"
    span: Span

    def __init__(self, op: str, left: "Expr", right: "Expr", span: Span) -> None:
        self.__dict__.update(op=op, left=left, right=right, span=span)


@record
class Negate(Record):
    """`-operand`."""

    operand: "Expr"
    span: Span

    def __init__(self, operand: "Expr", span: Span) -> None:
        self.__dict__.update(operand=operand, span=span)


@record
class Compare(Record):
    """`left op right` with op one of <= >= == != < >."""

    op: str  # <= >= == != < >
    left: "Expr"
    right: "Expr"
    span: Span

    def __init__(self, op: str, left: "Expr", right: "Expr", span: Span) -> None:
        self.__dict__.update(op=op, left=left, right=right, span=span)


@record
class Not(Record):
    """`not operand`."""

    operand: "Expr"
    span: Span

    def __init__(self, operand: "Expr", span: Span) -> None:
        self.__dict__.update(operand=operand, span=span)


@record
class Conjunction(Record):
    """`left and right`."""

    left: "Expr"
    right: "Expr"
    span: Span

    def __init__(self, left: "Expr", right: "Expr", span: Span) -> None:
        self.__dict__.update(left=left, right=right, span=span)


@record
class Disjunction(Record):
    """`left or right`."""

    left: "Expr"
    right: "Expr"
    span: Span

    def __init__(self, left: "Expr", right: "Expr", span: Span) -> None:
        self.__dict__.update(left=left, right=right, span=span)


@record
class Configured(Record):
    """A named choice with options, e.g. `int4 { group = 128 }`."""

    name: str
    name_span: Span
    body: "Block"
    span: Span

    def __init__(self, name: str, name_span: Span, body: "Block", span: Span) -> None:
        self.__dict__.update(name=name, name_span=name_span, body=body, span=span)


Expr = Union[Quantity, String, Boolean, Ref, ListExpr, Binary, Negate, Compare,
             Not, Conjunction, Disjunction, Configured]


# ----------------------------------------------------------------- entries

@record
class Assignment(Record):
    """A field: `name = value`."""

    name: str
    name_span: Span
    value: Expr
    span: Span

    def __init__(self, name: str, name_span: Span, value: Expr, span: Span) -> None:
        self.__dict__.update(name=name, name_span=name_span, value=value, span=span)


@record
class SubBlock(Record):
    """A nested block: `name { ... }`."""

    name: str
    name_span: Span
    body: "Block"
    span: Span

    def __init__(self, name: str, name_span: Span, body: "Block", span: Span) -> None:
        self.__dict__.update(name=name, name_span=name_span, body=body, span=span)


@record
class Require(Record):
    """`require condition`."""

    condition: Expr
    span: Span

    def __init__(self, condition: Expr, span: Span) -> None:
        self.__dict__.update(condition=condition, span=span)


@record
class DropRequire(Record):
    """`drop require condition`: a plan derived with `from` does not inherit that base requirement."""

    condition: Expr
    span: Span

    def __init__(self, condition: Expr, span: Span) -> None:
        self.__dict__.update(condition=condition, span=span)


@record
class Vary(Record):
    """`vary name in values` (in a search)."""

    name: str
    name_span: Span
    values: Expr
    span: Span

    def __init__(self, name: str, name_span: Span, values: Expr, span: Span) -> None:
        self.__dict__.update(name=name, name_span=name_span, values=values, span=span)


@record
class Objective(Record):
    """`minimize name` or `maximize name` (in a search)."""

    direction: str  # minimize | maximize
    name: str
    name_span: Span
    span: Span

    def __init__(self, direction: str, name: str, name_span: Span, span: Span) -> None:
        self.__dict__.update(direction=direction, name=name, name_span=name_span, span=span)


Entry = Union[Assignment, SubBlock, Require, DropRequire, Vary, Objective]


@record
class Block(Record):
    """The entries between `{` and `}`."""

    entries: tuple[Entry, ...]
    span: Span

    def __init__(self, entries: tuple[Entry, ...], span: Span) -> None:
        self.__dict__.update(entries=entries, span=span)


# ------------------------------------------------------------------- items

@record
class Import(Record):
    """`import "path"`."""

    path: str
    path_span: Span
    span: Span

    def __init__(self, path: str, path_span: Span, span: Span) -> None:
        self.__dict__.update(path=path, path_span=path_span, span=span)


@record
class Const(Record):
    """`const name = value`."""

    name: str
    name_span: Span
    value: Expr
    span: Span

    def __init__(self, name: str, name_span: Span, value: Expr, span: Span) -> None:
        self.__dict__.update(name=name, name_span=name_span, value=value, span=span)


@record
class Declaration(Record):
    """`kind name [from base] [for target] { body }`."""

    kind: str
    kind_span: Span
    name: str
    name_span: Span
    base: Ref | None
    target: Ref | None
    body: Block
    span: Span

    def __init__(self, kind: str, kind_span: Span, name: str, name_span: Span, base: Ref | None,
                 target: Ref | None, body: Block, span: Span) -> None:
        self.__dict__.update(kind=kind, kind_span=kind_span, name=name, name_span=name_span, base=base,
                             target=target, body=body, span=span)


Item = Union[Import, Const, Declaration]


@record
class Comment(Record):
    """A `#` comment, kept for the formatter."""

    text: str
    span: Span

    def __init__(self, text: str, span: Span) -> None:
        self.__dict__.update(text=text, span=span)


@record
class File(Record):
    """One parsed spec file: its items and comments."""

    path: str
    items: tuple[Item, ...]
    comments: tuple[Comment, ...]
    span: Span

    def __init__(self, path: str, items: tuple[Item, ...], comments: tuple[Comment, ...], span: Span) -> None:
        self.__dict__.update(path=path, items=items, comments=comments, span=span)