"""The resolved inputs of every plan of a compilation, flattened for `capplan diff` and `capplan affected`.

A plan's inputs are what the checker resolved for it: the model and every field of
its architecture, the GPU (directly or through the cluster) with its memory, peaks
and price, the precision recipe per tensor class, every layout field of `parallel`,
the `framework`, `lora` and `targets` blocks, and the catalog or user declarations
these come from. Each input is a path (`cluster.gpu.memory`) and the value as
written in the spec's units (`80 GiB`), so a change reads as the reviewer would
write it. Fields left unset are absent.
"""

from __future__ import annotations

from capplan.check.units import table
from capplan.check.values import Format, ListVal, Obj, Str, Word, fmt_number
from capplan.pipeline import _source_text

_MAX_DEPTH = 6  # declarations reference each other a few levels deep (plan -> cluster -> gpu -> peak)


def _unit_factor(unit: str) -> float:
    return table().lookup(unit).factor


def show_value(value, unit: str | None = None) -> str | None:
    """A field's value as it reads in a spec; None for an unset field."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if unit:
            return f"{fmt_number(value / _unit_factor(unit), digits=6)} {unit}"
        return fmt_number(value, digits=6)
    if isinstance(value, Format):
        return value.label
    if isinstance(value, (Str, Word)):
        return value.value if isinstance(value, Str) else value.name
    if isinstance(value, ListVal):
        value = value.items
    if isinstance(value, (list, tuple)):
        shown = [show_value(v) for v in value]
        return "[" + ", ".join(s for s in shown if s is not None) + "]"
    if isinstance(value, Obj):
        return value.name
    return str(value)


def _is_reference(obj: Obj) -> bool:
    """A named declaration (`h100_sxm`), as opposed to a sub-block (`parallel { ... }`)."""
    return obj.name != obj.kind


def flatten(obj: Obj, prefix: str = "", out: dict | None = None, uses: dict | None = None,
            depth: int = 0) -> tuple[dict[str, str], dict[str, dict]]:
    """(inputs: path -> shown value, uses: declaration name -> {kind, file})."""
    out = {} if out is None else out
    uses = {} if uses is None else uses
    for key, value in obj.fields.items():
        if key.startswith("_"):
            continue
        path = f"{prefix}{key}"
        if isinstance(value, Obj):
            if _is_reference(value):
                out[path] = value.name
                where = value.span.path if value.span else "?"
                uses.setdefault(value.name, {"kind": value.kind, "file": where})
            if depth < _MAX_DEPTH:
                flatten(value, path + ".", out, uses, depth + 1)
            continue
        shown = show_value(value, obj.fields.get(f"_unit_{key}"))
        if shown is not None:
            out[path] = shown
    return out, uses


def plan_inputs(comp) -> dict[str, dict]:
    """Per plan name: {"inputs": {path: shown}, "uses": {...}, "requirements": [text, ...]}."""
    if comp.checked is None:
        return {}
    result = {}
    for workload in comp.checked.workloads:
        inputs, uses = flatten(workload)
        reqs = comp.checked.requirements.get(workload.name, [])
        result[workload.name] = {"inputs": inputs, "uses": dict(sorted(uses.items())),
                                 "requirements": [_requirement_text(comp, r) for r in reqs],
                                 "file": workload.span.path if workload.span else None}
    return result


def _requirement_text(comp, req) -> str:
    return _source_text(comp, req.span) or req.text
