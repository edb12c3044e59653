"""The checks of a training plan's recomputation: Megatron-Core's `recompute_modules`, torchtitan's per-op
selective checkpointing (`recompute = selective_op`), full recomputation of some layers (`recompute_layers`).
Each reports E0407 and returns False where the plan asks for what the framework would refuse or capplan does not
model."""

from __future__ import annotations

from capplan.check.spans import is_architecture, span_of as _span
from capplan.check.values import Obj
from capplan.core.diagnostics import Diagnostics


def selective_op_ok(p, fw: Obj | None, m: Obj, d: Diagnostics, lora: bool = False) -> bool:
    """E0407: torchtitan's per-op selective checkpointing where capplan does not model it (yet)."""
    span = _span(p, "recompute")
    impl = (fw.fields.get("implementation") if fw is not None else None) or "transformers"
    attention = (fw.fields.get("attention") if fw is not None else None) or "flash"
    why, hint = None, None
    if impl == "megatron":
        why, hint = ("selective_op is torchtitan's policy over PyTorch ops; Megatron's fused layers recompute "
                     "modules", "write `recompute = selective` (Megatron-Core's --recompute-modules)")
    elif p.tensor > 1:
        why = "selective_op with tensor parallelism is not supported yet (its collectives' replays are not modelled)"
    elif lora:
        why = ("selective_op with LoRA is not supported yet (the adapters' matmuls change which outputs the "
               "policy keeps)")
    elif attention == "eager":
        why = "selective_op keeps the fused attention kernel's output; with eager attention there is none to keep"
    elif not is_architecture(m):
        why = "selective_op needs the model's layers (hidden, heads): a bare parameter count has none"
    elif (m.fields.get("attention") == "mla" or m.moe.experts is not None or m.fields.get("parallel_block")
          or m.fields.get("post_norm") or m.fields.get("pattern") or (m.fields.get("code_path") or "llama") != "llama"):
        why = ("selective_op is modelled for Llama-style layers only (attention with separate q, k and v "
               "projections, a dense MLP, pre-norm, one after the other); not supported yet for this model")
    if why:
        d.error("E0407", why, span, label="recompute = selective_op",
                hint=hint or "use `recompute = full` or `none`, which capplan models for every layer")
        return False
    return True


def recompute_modules_ok(p, fw: Obj | None, m: Obj, d: Diagnostics) -> bool:
    """E0407: `recompute_modules` where Megatron-Core would refuse it (transformer_config.py checks the same)."""
    modules = [p.recompute_modules] if isinstance(p.recompute_modules, str) else list(p.recompute_modules)
    span = _span(p, "recompute_modules")
    if not _only_with(p, "recompute_modules", "selective", "only selective recomputation takes modules", d):
        return False
    impl = fw.fields.get("implementation") if fw is not None else None
    if (impl or "transformers") != "megatron":
        d.error("E0407", "recompute_modules are Megatron-Core's (--recompute-modules); transformers "
                "recomputes whole layers only", span, label=f"implementation = {impl or 'transformers'}",
                hint="add `framework { implementation = megatron }`, or use `recompute = full`")
        return False
    if not is_architecture(m):
        return True
    f, moe = m.fields, m.fields["moe"]
    experts = moe.experts is not None
    needs = {"mla_up_proj": (f["attention"] == "mla", "multi-head latent attention (`attention = mla`)"),
             "moe": (experts, "experts"), "moe_act": (experts, "experts"),
             "shared_experts": (experts and bool(moe.shared_experts or moe.shared_ffn), "shared experts")}
    for name in modules:
        present, what = needs.get(name, (True, ""))
        if not present:
            d.error("E0407", f"recompute module `{name}` needs {what}; model `{m.name}` has none", span,
                    label=f"`{name}` recomputes nothing here", hint=f"remove `{name}` from recompute_modules")
            return False
    return True


def recompute_layers_ok(p, m: Obj, d: Diagnostics) -> bool:
    """E0407: `recompute_layers` names how many layers of each model chunk full recomputation replays: with any
    other recomputation there is nothing to count, and no chunk holds more layers than the model spreads over the
    pipeline (Megatron-Core's TransformerConfig checks 1 <= recompute_num_layers <= layers per pipeline rank)."""
    span = _span(p, "recompute_layers")
    if not _only_with(p, "recompute_layers", "full", "only full recomputation takes a layer count", d):
        return False
    chunks = p.pipeline * (p.virtual_stages if p.schedule == "interleaved" else 1)
    if m.layers is not None and p.recompute_layers > -(-m.layers // chunks):
        per = -(-m.layers // chunks)
        d.error("E0407", f"recompute_layers = {p.recompute_layers}, but a model chunk holds at most {per} of "
                f"`{m.name}`'s {m.layers} layers", span, label=f"more than the {per} layers of a chunk",
                hint=f"use at most {per} (every layer), or remove `recompute_layers` to recompute them all")
        return False
    return True


def _only_with(p, field: str, recompute: str, label: str, d: Diagnostics) -> bool:
    """E0407 where `field` is given with another recomputation than the one it qualifies."""
    if p.recompute == recompute:
        return True
    d.error("E0407", f"{field} with recompute = {p.recompute}", _span(p, field), label=label,
            hint=f"write `recompute = {recompute}`, or remove `{field}`")
    return False
