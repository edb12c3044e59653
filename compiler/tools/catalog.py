"""`capplan catalog` and `capplan explain KIND`: what the standard catalog holds.

Models list their architecture fields (layers, hidden, heads, kv_heads, head_dim, ffn, vocab, and the
MoE sizes) as lowering keeps them for reports (`Model.architecture_fields`); clusters list their GPU,
shape and bandwidths.
"""

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
            model = lower_model(obj)
            entry["params"] = evaluate_model(model)["params"]["total"]
            entry["architecture"] = _architecture(model.architecture_fields)
        elif obj.kind == "gpu":
            entry["memory_bytes"] = obj.memory
            entry["memory_bandwidth"] = obj.memory_bandwidth
        elif obj.kind == "cluster":
            entry.update(gpu=obj.fields["gpu"].name, gpus_per_node=obj.fields["gpus_per_node"],
                         nodes=obj.fields["nodes"], intra_node=obj.fields["intra_node"],
                         inter_node=obj.fields["inter_node"])
        entries.append(entry)
    return entries, comp


def _architecture(fields: tuple) -> dict:
    """(name, value) pairs, the MoE block nested, as a JSON object; empty for a bare-count model."""
    return {k: _architecture(v) if k == "moe" else v for k, v in fields}


ARCHITECTURE_COLUMNS = ("layers", "hidden", "heads", "kv_heads", "head_dim", "ffn", "vocab")
_RATE = (("information", 1), ("time", -1))


def _experts(arch: dict) -> str:
    moe = arch.get("moe")
    if not moe:
        return "-"
    shared = f" + {moe['shared_experts']} shared" if moe.get("shared_experts") else ""
    return f"{moe['experts']} (top {moe['experts_per_token']}{shared}, ffn {moe['expert_ffn']})"


def _cell(value) -> str:
    return "-" if value is None else fmt_number(value) if isinstance(value, (int, float)) else str(value)


def render_catalog(entries: list[dict]) -> str:
    out = []
    for kind in ("gpu", "cluster", "model", "precision"):
        rows = [e for e in entries if e["kind"] == kind]
        if not rows:
            continue
        if kind == "model":
            body = [[e["name"], e["display_name"], fmt_number(e["params"]),
                     *(_cell(e["architecture"].get(c)) for c in ARCHITECTURE_COLUMNS),
                     _cell(e["architecture"].get("attention")), _experts(e["architecture"])] for e in rows]
            out.append(table(["model", "name", "parameters", *ARCHITECTURE_COLUMNS, "attention", "experts"], body,
                             set(range(2, 3 + len(ARCHITECTURE_COLUMNS)))))
        elif kind == "cluster":
            body = [[e["name"], e["display_name"], e["gpu"], f"{e['nodes']} x {e['gpus_per_node']}",
                     "-" if e["intra_node"] is None else fmt_quantity(e["intra_node"], _RATE, "GB/s"),
                     "-" if e["inter_node"] is None else fmt_quantity(e["inter_node"], _RATE, "Gbit/s")]
                    for e in rows]
            out.append(table(["cluster", "name", "gpu", "nodes x gpus", "intra-node", "inter-node"], body,
                             {3, 4, 5}))
        elif kind == "gpu":
            body = [[e["name"], e["display_name"], fmt_quantity(e["memory_bytes"], (("information", 1),)),
                     fmt_quantity(e["memory_bandwidth"], _RATE, "TB/s")]
                    for e in rows]
            out.append(table(["gpu", "name", "memory", "bandwidth"], body, {2, 3}))
        else:
            out.append(table([kind, "name"], [[e["name"], e["display_name"]] for e in rows], set()))
    return "\n".join(line.rstrip() for line in "\n\n".join(out).split("\n"))


def describe_kind(kind: str) -> str:
    schema = KINDS[kind]
    lines = [f"{kind}: {schema.doc}", ""]
    for name, f in schema.fields.items():
        unit = " or ".join(dims_text(d) for d in f.dims) if f.dims else ""
        detail = f.type + (f" [{unit}]" if unit else "") + (f" one of {', '.join(f.choices)}" if f.choices else "")
        req = " (required)" if f.required else (f" (default {f.default})" if f.default is not None else "")
        lines.append(f"  {name:<22} {detail}{req}\n  {'':<22} {f.doc}")
    return "\n".join(lines)
