"""A figure of the plan with its derivation: value, unit, formula, substituted terms, source.

The engine returns figures as Figure values; the JSON result, the report's appendix and
`capplan explain` are generated from them (Figure.as_json), never written beside the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    formula: str
    source: str
    derivation: str | None = None         # the formula with this plan's numbers substituted
    terms: tuple = field(default=())       # the parts the figure adds up (e.g. each saved tensor)

    def as_json(self) -> dict:
        out = {"value": self.value, "unit": self.unit, "formula": self.formula, "source": self.source}
        if self.derivation:
            out["derivation"] = self.derivation
        if self.terms:
            out["terms"] = list(self.terms)
        return out


def figure_json(value: float, unit: str, formula: str, source: str, derivation: str | None = None,
                terms: list | None = None) -> dict:
    """A figure as the result JSON carries it."""
    return Figure(value, unit, formula, source, derivation, tuple(terms or ())).as_json()


def constant_figure(const, value: float) -> Figure:
    """A named assumption (capplan.core.constants.Constant) as used by this plan."""
    return Figure(value, "B" if const.dims == "information" else "", "named constant", const.source)
