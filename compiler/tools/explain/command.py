"""`capplan explain`: the documentation of a code or kind, or the derivation of one figure."""

from __future__ import annotations

from capplan.core.codes import CODES
from capplan.core.diagnostics import did_you_mean
from capplan.check.schema import BLOCK, KINDS, RESULTS
from capplan.check.search_spec import (BOOL_VARIABLES, GOAL_FIELDS, INTEGER_VARIABLES, METRICS, OBJECTIVES, OPTIONS,
                                       WORD_VARIABLES, GoalSpec)
from capplan.check.units import dims_of, dims_text
from capplan.check.values import fmt_number, fmt_quantity
from capplan.tools.explain.derived import DERIVED, derived_figure, numeric_paths

_UNITS = {"B": dims_of("information"), "param": dims_of("parameter"), "token": dims_of("token")}


def explain_topic(topic: str) -> str | None:
    """A diagnostic code (E0301) or a declaration kind (model); None if neither."""
    if topic.upper() in CODES:
        c = CODES[topic.upper()]
        return f"{c.code} {c.slug}: {c.summary}\n\n{c.explanation}"
    if topic in KINDS:
        return describe_kind(topic)
    return None


def _field_lines(schema, indent: str) -> list[str]:
    lines = []
    for name, f in schema.fields.items():
        unit = " or ".join(dims_text(d) for d in f.dims) if f.dims else ""
        detail = f.type + (f" [{unit}]" if unit else "") + (f", one of {', '.join(f.choices)}" if f.choices else "")
        if f.ref_kind:
            detail += f" (a `{f.ref_kind}`)"
        req = "; required" if f.required else (f"; default {_default(f.default)}" if f.default is not None else "")
        example = f"; e.g. `{f.example}`" if f.example else ""
        lines.append(f"{indent}{name:<22} {detail}{req}{example}")
        lines.append(f"{indent}{'':<22} {f.doc}")
        if f.type == BLOCK and f.block is not None:
            lines.append(f"{indent}{'':<22} `{name} {{ ... }}`: {f.block.doc}")
            lines += _field_lines(f.block, indent + "    ")
    return lines


def _default(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return fmt_number(value) if isinstance(value, (int, float)) else str(value)


def describe_kind(kind: str) -> str:
    """Every field of a kind, its sub-blocks' fields too, with type, unit, default and meaning (from the schema)."""
    schema = KINDS[kind]
    lines = [f"{kind}: {schema.doc}", ""] + _field_lines(schema, "  ")
    if kind == "search":
        lines += ["  vary NAME in [...]     the layout values to try; NAME one of: "
                  + ", ".join(INTEGER_VARIABLES) + " (whole numbers), "
                  + ", ".join(f"{k} ({' | '.join(v)})" for k, v in WORD_VARIABLES.items()) + ", "
                  + ", ".join(BOOL_VARIABLES) + " (true | false)",
                  "  minimize|maximize M    the objective; M one of " + ", ".join(OBJECTIVES)
                  + " (default: minimize step_time)",
                  "  require M OP VALUE     a constraint on a metric: " + ", ".join(METRICS) + "; joined by `and`"]
        lines += [f"  {name:<22} {kind_}" + ("; default false" if name == "cross_node_tensor" else "; default 5")
                  for name, kind_ in OPTIONS.items()]
    if kind == "goal":
        defaults = GoalSpec("", None)
        lines.append("  minimize cost|gpus|time  what to rank the options by (default cost)")
        for name, kind_ in GOAL_FIELDS.items():
            default = getattr(defaults, name, None)
            lines.append(f"  {name:<22} {kind_}" + (f"; default {default}" if default is not None else ""))
    if kind in RESULTS:
        lines += ["", f"  results a `require` of a {kind} plan can use:"]
        lines += [f"    {name:<20} {dims or 'number'}: {doc}" for name, (dims, doc) in RESULTS[kind].items()]
    return "\n".join(lines)


def _value(fig: dict) -> str:
    if fig["unit"] == "s":
        return fmt_quantity(fig["value"], dims_of("time"))
    dims = _UNITS.get(fig["unit"])
    if dims is None:
        return f"{fmt_number(fig['value'])} {fig['unit']}".rstrip()
    exact = f" ({fmt_number(fig['value'])} {fig['unit']})" if fig["unit"] == "B" else ""
    return fmt_quantity(fig["value"], dims) + exact


def explain_figure(plan: dict, key: str) -> tuple[str | None, str | None]:
    """(text, error) for figure `key` of an evaluated plan."""
    figures = plan["figures"]
    fig = figures.get(key) or derived_figure(plan, key)
    if fig is None:
        names = sorted(figures) + sorted(k for k in DERIVED if derived_figure(plan, k) is not None)
        close = did_you_mean(key, names + numeric_paths(plan), cutoff=0.5)
        hint = f" Did you mean `{close}`?" if close else ""
        return None, (f"plan `{plan['name']}` has no figure `{key}`.{hint} Figures: " + ", ".join(names)
                      + " (and any number of the plan's JSON by its path, e.g. `serving.tpot_s`)")
    lines = [f"{key} of {plan['kind']} {plan['name']} = {_value(fig)}"
             + (f"  (result: {fig['path']})" if fig.get("path") and fig["path"] != key else ""),
             f"  formula:    {fig['formula']}"]
    if fig.get("derivation"):
        lines.append(f"  values:     {fig['derivation']}")
    lines.append(f"  source:     {fig['source']}")
    terms = fig.get("terms")
    if not terms and key.endswith(".activations"):
        per_layer = [k for k in figures if k.startswith("activations.per_layer")]
        for k in per_layer:
            lines.append(f"  per layer ({k}): {_value(figures[k])}")
            terms = figures[k].get("terms")
            if terms:
                lines += _terms(terms)
    elif terms:
        lines += _terms(terms)
    return "\n".join(lines), None


def _terms(terms: list[dict]) -> list[str]:
    width = max(len(t["name"]) for t in terms)
    out = ["  made of:"]
    for t in terms:
        out.append(f"    {t['name']:<{width}}  {fmt_quantity(t['bytes'], _UNITS['B']):>12}   {t['formula']}")
    return out
