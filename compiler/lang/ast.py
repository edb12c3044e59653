"""The abstract syntax tree: frozen dataclasses, one per grammar rule.

Every node carries the :class:`~capplan.core.source.Span` it was parsed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from capplan.core.source import Span


# ---------------------------------------------------------------- expressions

@dataclass(frozen=True)
class Quantity:
    number: float
    text: str  # the number as written, for messages and the formatter
    unit: str | None
    unit_span: Span | None
    span: Span


@dataclass(frozen=True)
class String:
    value: str
    span: Span


@dataclass(frozen=True)
class Boolean:
    value: bool
    span: Span


@dataclass(frozen=True)
class Ref:
    parts: tuple[str, ...]
    span: Span

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class ListExpr:
    items: tuple["Expr", ...]
    span: Span


@dataclass(frozen=True)
class Binary:
    op: str  # + - * /
    left: "Expr"
    right: "Expr"
    span: Span


@dataclass(frozen=True)
class Negate:
    operand: "Expr"
    span: Span


@dataclass(frozen=True)
class Compare:
    op: str  # <= >= == != < >
    left: "Expr"
    right: "Expr"
    span: Span


@dataclass(frozen=True)
class Not:
    operand: "Expr"
    span: Span


@dataclass(frozen=True)
class Conjunction:
    left: "Expr"
    right: "Expr"
    span: Span


@dataclass(frozen=True)
class Disjunction:
    left: "Expr"
    right: "Expr"
    span: Span


@dataclass(frozen=True)
class Configured:
    """A named choice with options, e.g. `int4 { group = 128 }`."""

    name: str
    name_span: Span
    body: "Block"
    span: Span


Expr = Union[Quantity, String, Boolean, Ref, ListExpr, Binary, Negate, Compare,
             Not, Conjunction, Disjunction, Configured]


# ----------------------------------------------------------------- entries

@dataclass(frozen=True)
class Assignment:
    name: str
    name_span: Span
    value: Expr
    span: Span


@dataclass(frozen=True)
class SubBlock:
    name: str
    name_span: Span
    body: "Block"
    span: Span


@dataclass(frozen=True)
class Require:
    condition: Expr
    span: Span


@dataclass(frozen=True)
class Vary:
    name: str
    name_span: Span
    values: Expr
    span: Span


@dataclass(frozen=True)
class Objective:
    direction: str  # minimize | maximize
    name: str
    name_span: Span
    span: Span


Entry = Union[Assignment, SubBlock, Require, Vary, Objective]


@dataclass(frozen=True)
class Block:
    entries: tuple[Entry, ...]
    span: Span


# ------------------------------------------------------------------- items

@dataclass(frozen=True)
class Import:
    path: str
    path_span: Span
    span: Span


@dataclass(frozen=True)
class Const:
    name: str
    name_span: Span
    value: Expr
    span: Span


@dataclass(frozen=True)
class Declaration:
    kind: str
    kind_span: Span
    name: str
    name_span: Span
    base: Ref | None
    target: Ref | None
    body: Block
    span: Span


Item = Union[Import, Const, Declaration]


@dataclass(frozen=True)
class Comment:
    text: str
    span: Span


@dataclass(frozen=True)
class File:
    path: str
    items: tuple[Item, ...]
    comments: tuple[Comment, ...]
    span: Span
