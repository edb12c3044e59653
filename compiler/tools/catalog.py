"""`capplan catalog` and `capplan explain KIND`: what the standard catalog holds."""

from __future__ import annotations

from capplan.engine.evaluate import evaluate_model
from capplan.ir.lower import lower_model
from capplan.check.schema import KINDS
from capplan.check.units import dims_text
from capplan.check.values import fmt_number, fmt_quantity
from capplan.pipeline import compile_files
from capplan.render.text import table


def catalog_entries(kind: str | None = None):
    comp = compile_files([], evaluate=False)
    entries = []
    for name in sorted(comp.checked.objects):
        obj = comp.checked.objects[name]
        if obj.span is None or not obj.span.path.startswith("<catalog>") or obj.name != name:
            continue
        if kind and obj.kind != kind:
            continue
        entry = {"name": name, "kind": obj.kind, "file": obj.span.path, "line": obj.span.line,
                 "display_name": obj.fields.get("name") or name}
        if obj.kind == "model":
            entry["params"] = evaluate_model(lower_model(obj))["params"]["total"]
        elif obj.kind == "gpu":
            entry["memory_bytes"] = obj.memory
            entry["memory_bandwidth"] = obj.memory_bandwidth
        entries.append(entry)
    return entries, comp


def render_catalog(entries: list[dict]) -> str:
    out = []
    for kind in ("gpu", "cluster", "model", "precision"):
        rows = [e for e in entries if e["kind"] == kind]
        if not rows:
            continue
        if kind == "model":
            body = [[e["name"], e["display_name"], fmt_number(e["params"])] for e in rows]
            out.append(table(["model", "name", "parameters"], body, {2}))
        elif kind == "gpu":
            body = [[e["name"], e["display_name"], fmt_quantity(e["memory_bytes"], (("information", 1),)),
                     fmt_quantity(e["memory_bandwidth"], (("information", 1), ("time", -1)), "TB/s")]
                    for e in rows]
            out.append(table(["gpu", "name", "memory", "bandwidth"], body, {2, 3}))
        else:
            out.append(table([kind, "name"], [[e["name"], e["display_name"]] for e in rows], set()))
    return "\n\n".join(out)


def describe_kind(kind: str) -> str:
    schema = KINDS[kind]
    lines = [f"{kind}: {schema.doc}", ""]
    for name, f in schema.fields.items():
        unit = " or ".join(dims_text(d) for d in f.dims) if f.dims else ""
        detail = f.type + (f" [{unit}]" if unit else "") + (f" one of {', '.join(f.choices)}" if f.choices else "")
        req = " (required)" if f.required else (f" (default {f.default})" if f.default is not None else "")
        lines.append(f"  {name:<22} {detail}{req}\n  {'':<22} {f.doc}")
    return "\n".join(lines)
