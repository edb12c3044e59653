"""`capplan explain`: the documentation of a code or kind, or the derivation of one figure."""

from __future__ import annotations

from .codes import CODES
from .diagnostics import did_you_mean
from .schema import KINDS
from .units import dims_of
from .values import fmt_number, fmt_quantity

_UNITS = {"B": dims_of("information"), "param": dims_of("parameter"), "token": dims_of("token")}


def explain_topic(topic: str) -> str | None:
    """A diagnostic code (E0301) or a declaration kind (model); None if neither."""
    if topic.upper() in CODES:
        c = CODES[topic.upper()]
        return f"{c.code} {c.slug}: {c.summary}\n\n{c.explanation}"
    if topic in KINDS:
        from .catalog_listing import describe_kind

        return describe_kind(topic)
    return None


def _value(fig: dict) -> str:
    dims = _UNITS.get(fig["unit"])
    if dims is None:
        return f"{fmt_number(fig['value'])} {fig['unit']}".rstrip()
    exact = f" ({fmt_number(fig['value'])} {fig['unit']})" if fig["unit"] == "B" else ""
    return fmt_quantity(fig["value"], dims) + exact


def explain_figure(plan: dict, key: str) -> tuple[str | None, str | None]:
    """(text, error) for figure `key` of an evaluated plan."""
    figures = plan["figures"]
    if key not in figures:
        close = did_you_mean(key, figures, cutoff=0.5)
        hint = f" Did you mean `{close}`?" if close else ""
        return None, (f"plan `{plan['name']}` has no figure `{key}`.{hint} Figures: "
                      + ", ".join(sorted(figures)))
    fig = figures[key]
    lines = [f"{key} of {plan['kind']} {plan['name']} = {_value(fig)}",
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
