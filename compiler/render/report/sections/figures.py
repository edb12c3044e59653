"""Provenance: every figure of a plan with its value, formula, derivation and source
(`plan["figures"]`, as `capplan eval --format json` gives them); the compact forms list values
only, and each kind of figure's formula once."""

from __future__ import annotations

import re

from capplan.render.report.context import Context
from capplan.render.report.view import Table

_STAGE = re.compile(r"^stage\d+\.")
_STAGE_KEY = re.compile(r"stage(\d+)\.(.*)")


def figure_order(key: str):
    """Stages in numeric order (stage10 after stage9), everything else alphabetical and first."""
    m = _STAGE_KEY.match(key)
    return (1, int(m.group(1)), m.group(2)) if m else (0, 0, key)


def figure_value(ctx: Context, fig: dict, unit: str) -> str:
    """A figure's value in its unit, formatted for the locale (memory in the plan's unit)."""
    nf = ctx.nf
    u = fig["unit"]
    v = fig["value"]
    if u == "B":
        return ctx.mem(v, unit)
    if u == "param":
        return nf.int(v)
    if u == "token":
        return nf.tokens(v)
    if u == "s":
        return nf.duration(v)
    if u == "USD":
        return nf.usd(v)
    if u == "kWh":
        return nf.energy(v)
    if u == "FLOP":
        return nf.si(v, "FLOP")
    if u == "" and 0 <= v < 1:
        return nf.pct(v)
    return f"{nf.num(v)} {u}".strip()


def _row(ctx: Context, key: str, fig: dict, unit: str) -> list[str]:
    return [key, figure_value(ctx, fig, unit),
            fig["formula"] + (f"\n= {fig['derivation']}" if fig.get("derivation") else ""), fig["source"]]


def figures(ctx: Context, plan: dict) -> Table:
    """Every figure with its formula and source; a per-stage figure's formula and source once for all
    stages (`stageN.weights`), then each stage's value and the formula with its numbers."""
    _ = ctx._
    unit = plan["hardware"]["memory_unit"]
    rows, classes = [], []
    figs = plan["figures"]
    grouped: dict[str, list[str]] = {}
    for key in sorted(figs, key=figure_order):
        m = _STAGE.match(key)
        if m:
            grouped.setdefault(key[m.end():], []).append(key)
    done = set()
    for key in sorted(figs, key=figure_order):
        fig = figs[key]
        m = _STAGE.match(key)
        if not m:
            rows.append(_row(ctx, key, fig, unit))
            classes.append("")
            for term in fig.get("terms") or []:
                rows.append(["  " + term["name"], ctx.mem(term["bytes"], unit), term["formula"], ""])
                classes.append("sub")
            continue
        component = key[m.end():]
        if component in done:
            continue
        done.add(component)
        keys = grouped[component]
        same = all(figs[k]["formula"] == fig["formula"] and figs[k]["source"] == fig["source"] for k in keys)
        if not same or len(keys) == 1:
            for k in keys:
                rows.append(_row(ctx, k, figs[k], unit))
                classes.append("")
            continue
        rows.append([f"stageN.{component}", "", fig["formula"], fig["source"]])
        classes.append("")
        for k in keys:
            f = figs[k]
            derivation = f"= {f['derivation']}" if f.get("derivation") else ""
            rows.append(["  " + k, figure_value(ctx, f, unit), derivation, ""])
            classes.append("sub")
    return Table([_("figure"), _("value"), _("formula"), _("source")], rows, ["l", "r", "l", "l"], classes,
                 code_columns=frozenset({0, 2}))


def figure_values(ctx: Context, plan: dict) -> Table:
    """The compact form: the figures that are not per-stage memory, value only."""
    _ = ctx._
    unit = plan["hardware"]["memory_unit"]
    rows = [[key, figure_value(ctx, plan["figures"][key], unit)]
            for key in sorted(plan["figures"], key=figure_order) if not _STAGE.match(key)]
    return Table([_("figure"), _("value")], rows, ["l", "r"], code_columns=frozenset({0}))


def formulas(ctx: Context, plans: list[dict]) -> Table:
    """Every kind of figure once, with its formula and source (stage N's figures as `stageN.`)."""
    _ = ctx._
    seen: dict[tuple, None] = {}
    for plan in plans:
        for key in sorted(plan["figures"], key=figure_order):
            fig = plan["figures"][key]
            seen.setdefault((_STAGE.sub("stageN.", key), fig["formula"], fig["source"]), None)
    rows = [list(k) for k in sorted(seen)]
    return Table([_("figure"), _("formula"), _("source")], rows, ["l", "l", "l"], code_columns=frozenset({0}))
