"""Values of the compiler after unit checking: canonical floats with dimensions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from capplan.core.source import Span
from capplan.check.units import DIMENSIONLESS, Dims, table


@dataclass(frozen=True)
class Num:
    value: float | None  # canonical units; None while type-checking a `require`
    dims: Dims = DIMENSIONLESS
    written: str = ""     # as written in the spec, for messages


@dataclass(frozen=True)
class Bool:
    value: bool | None


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Word:
    """A bare word that names no declaration or constant: an enum choice or format."""

    name: str
    span: Span


@dataclass(frozen=True)
class ListVal:
    items: tuple


@dataclass(frozen=True)
class Format:
    """A numeric storage format, with group-quantization options."""

    name: str
    group: int | None = None
    scale: str | None = None
    zero_point: bool = False
    double_quant: bool = False

    @property
    def label(self) -> str:
        if self.group:
            extra = ", zero point" if self.zero_point else ""
            default = "fp32" if self.name == "nf4" else "fp16"
            scale = "double-quantized" if self.double_quant else (self.scale or default)
            return f"{self.name} (group {self.group}, {scale} scale{extra})"
        return self.name


class Obj:
    """A lowered declaration or sub-block: fields as plain Python values.

    Attribute access reads a field; a field the schema does not define is an
    AttributeError (a bug of ours, caught by the tests).
    """

    __slots__ = ("kind", "name", "span", "fields", "spans", "dims")

    def __init__(self, kind: str, name: str, span: Span | None, fields: dict[str, Any],
                 spans: dict[str, Span] | None = None, dims: dict[str, Dims] | None = None):
        self.kind = kind
        self.name = name
        self.span = span
        self.fields = fields
        self.spans = spans or {}
        self.dims = dims or {}

    def __getattr__(self, item: str):
        try:
            return self.fields[item]
        except KeyError:
            raise AttributeError(f"{self.kind} has no field {item!r}") from None

    def get(self, item: str, default=None):
        value = self.fields.get(item)
        return default if value is None else value

    def __repr__(self) -> str:
        return f"Obj({self.kind} {self.name})"


@dataclass
class Requirement:
    condition: Any  # ast expression
    span: Span
    text: str
    inherited_from: str = ""  # the base plan (`from`) whose `require` line this is; "" for the plan's own


# ---------------------------------------------------------------- formatting

_DISPLAY = {
    (("information", 1),): [(2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB"), (1, "B")],
    (("information", 1), ("time", -1)): [(1e12, "TB/s"), (1e9, "GB/s"), (1e6, "MB/s")],
    (("compute", 1), ("time", -1)): [(1e15, "PFLOP/s"), (1e12, "TFLOP/s"), (1e9, "GFLOP/s")],
    (("compute", 1),): [(1e21, "ZFLOP") if False else (1e18, "EFLOP"), (1e15, "PFLOP"), (1e12, "TFLOP"),
                        (1e9, "GFLOP")],
    (("token", 1),): [(1e12, "Ttoken"), (1e9, "Gtoken"), (1e6, "Mtoken"), (1, "tokens")],
    (("parameter", 1),): [(1e9, "Gparam"), (1e6, "Mparam"), (1, "param")],
    (("time", 1),): [(86400, "d"), (3600, "h"), (60, "min"), (1, "s"), (1e-3, "ms")],
    (("currency", 1),): [(1, "USD")],
    (("currency", 1), ("time", -1)): [(1 / 3600, "USD/h")],
    (("currency", 1), ("gpu", -1), ("time", -1)): [(1 / 3600, "USD/GPU/h")],
    (("energy", 1),): [(3.6e9, "MWh"), (3.6e6, "kWh"), (3600, "Wh")],
    (("energy", 1), ("time", -1)): [(1e3, "kW"), (1, "W")],
}


def unit_for(dims: Dims, value: float) -> tuple[float, str]:
    choices = _DISPLAY.get(dims)
    if not choices:
        return 1.0, ""
    for factor, name in choices:
        if abs(value) >= factor:
            return factor, name
    return choices[-1]


def fmt_number(x: float, digits: int = 4) -> str:
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return str(x)
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    mag = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - mag)
    text = f"{x:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_quantity(value: float | None, dims: Dims, unit: str | None = None) -> str:
    if value is None:
        return "?"
    if not dims:
        return fmt_number(value)
    if unit is None:
        factor, unit = unit_for(dims, value)
    else:

        factor = table().lookup(unit).factor
    return f"{fmt_number(value / factor)} {unit}".rstrip()
