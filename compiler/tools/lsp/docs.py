"""Markdown for what the schema and the unit table define: a field, a declaration kind, a quantity.

Shown by hover and in completion items' documentation; the text comes from
capplan.check.schema (fields' docs, types, units, defaults, choices) and the unit table
(capplan.check.units).
"""

from __future__ import annotations

from capplan.check.schema import (BLOCK, BOOL, COUNT, COUNTS, ENUM, FORMAT, FORMATS, FRACTION, KINDS, NUMBER,
                                  QUANTITY, REF, STRING, Field)
from capplan.check.units import UnitError, describe, table
from capplan.check.values import fmt_number, fmt_quantity
from capplan.tools.lsp.values import canonical_unit, fmt_canonical


def field_doc(spec: Field, owner: str) -> str:
    """A field's documentation: doc, type, unit or choices, default."""
    lines = [f"**{spec.name}** — field of `{owner}`", "", spec.doc, ""]
    facts = _field_facts(spec)
    return "\n".join(lines + [f"- {fact}" for fact in facts]).rstrip()


def _field_facts(spec: Field) -> list[str]:
    lines: list[str] = []
    if spec.type == QUANTITY:
        units = " or ".join(describe(d) for d in spec.dims)
        lines.append(f"type: quantity — {units}" + (f"; e.g. `{spec.example}`" if spec.example else ""))
    elif spec.type == COUNT:
        lines.append("type: a whole number, no unit")
    elif spec.type == NUMBER:
        lines.append("type: a plain number, no unit")
    elif spec.type == FRACTION:
        lines.append("type: a fraction between 0 and 1 (`90 %` or `0.9`)")
    elif spec.type == BOOL:
        lines.append("type: `true` or `false`")
    elif spec.type == ENUM:
        lines.append("type: one of " + " | ".join(f"`{c}`" for c in spec.choices))
    elif spec.type == REF:
        lines.append(f"type: the name of a `{spec.ref_kind}` declaration")
    elif spec.type == STRING:
        lines.append('type: text in double quotes')
    elif spec.type == FORMAT:
        lines.append("type: a numeric format: " + " ".join(f"`{f}`" for f in FORMATS)
                     + " (options: `int4 { group = 128 }`)")
    elif spec.type == COUNTS:
        lines.append("type: a list of whole numbers, e.g. `[19, 20, 20, 21]`")
    elif spec.type == BLOCK and spec.block is not None:
        lines.append(f"a block `{spec.name} {{ ... }}`: {spec.block.doc}")
        lines.append("fields: " + ", ".join(f"`{n}`" for n in spec.block.fields))
    if spec.required:
        lines.append("required")
    elif spec.default is not None and spec.type != BLOCK:
        if spec.dims:
            shown = fmt_quantity(spec.default, spec.dims[0])
        elif isinstance(spec.default, bool):
            shown = str(spec.default).lower()
        elif spec.type == FRACTION:
            shown = f"{fmt_number(spec.default)} ({spec.default:.0%})"
        else:
            shown = str(spec.default)
        lines.append(f"default: `{shown}`")
    elif spec.type != BLOCK:
        lines.append("optional")
    return lines


def kind_doc(kind: str) -> str:
    schema = KINDS[kind]
    required = [n for n, f in schema.fields.items() if f.required]
    lines = [f"**{kind}** — {schema.doc}"]
    if required:
        lines.append("")
        lines.append("required: " + ", ".join(f"`{n}`" for n in required))
    if schema.fields:
        lines.append("fields: " + ", ".join(f"`{n}`" for n in schema.fields))
    return "\n".join(lines)


def quantity_doc(number: str, unit: str | None) -> str | None:
    try:
        x = float(number.replace("_", ""))
    except ValueError:
        return None
    if unit is None:
        return None
    try:
        info = table().lookup(unit)
    except UnitError as exc:
        return f"`{number} {unit}`: {exc}" + (f" — {exc.hint}" if exc.hint else "")
    value = x * info.factor
    if not info.dims:
        return f"`{number} {unit}` = **{fmt_canonical(value)}** (a plain number)"
    lines = [f"`{number} {unit}` = **{fmt_canonical(value)} {canonical_unit(info.dims)}**", "",
             describe(info.dims)]
    human = fmt_quantity(value, info.dims)
    if human.replace(" ", "").replace(",", "") != f"{number}{unit}".replace("_", ""):
        lines[-1] += f" — {human}"
    return "\n".join(lines)

