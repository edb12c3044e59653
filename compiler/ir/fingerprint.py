"""A training plan's configuration as one digest: what its step time depends on, and nothing else.

`capplan calibrate` writes the digest of the plan its measurements were taken on into the
`calibration` block; a plan that uses the block and has the same digest was measured itself, so its
time band is the measurement's own spread rather than the published runs' (engine/timing.py).
Names, source positions, prices, the token budget and the constants the calibration sets are left
out: renaming the plan or its model, moving it in the file or changing a price keeps the digest;
any change of model shape, GPU, cluster size or links, precision, layout, batch, sequence length or
framework switch changes it.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from capplan.ir.plan import Training


def configuration(w: Training) -> str:
    """`sha256:` and the first 16 hex digits of the digest of the plan's configuration."""
    hw = w.hardware
    gpu = replace(hw.gpu, name="", display_name="", price=None, purchase_price=None)
    plain = replace(
        w, name="", span=None, tokens=None,
        model=replace(w.model, name="", display_name="", architecture_fields=()),
        hardware=replace(hw, gpu=gpu, cluster=None, price=None),
        framework=replace(w.framework, overrides=(), calibration=None))
    text = repr(plain) + "".join(f"|{name}={value}" for name, value in _later_fields(w))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _later_fields(w: Training) -> list[tuple[str, object]]:
    """Fields added after digests were first written, kept out of the dataclasses' repr: each joins the digest
    only when it is not at its default, so that the digests of plans that do not use it stay as they were."""
    out = []
    if w.layout.recompute_modules != ("core_attn",):
        out.append(("recompute_modules", sorted(w.layout.recompute_modules)))
    if w.layout.recompute_layers is not None:
        out.append(("recompute_layers", w.layout.recompute_layers))
    if w.layout.expert_tensor is not None and w.layout.expert_tensor != w.layout.tensor:
        out.append(("expert_tensor", w.layout.expert_tensor))
    if w.framework.moe_dispatcher != "alltoall":
        out.append(("moe_dispatcher", w.framework.moe_dispatcher))
    if w.framework.pipeline_scatter_gather:
        out.append(("pipeline_scatter_gather", True))
    if w.framework.norm_kernel != "torch":
        out.append(("norm_kernel", w.framework.norm_kernel))
    if w.framework.checkpoint_early_stop is not None:
        out.append(("checkpoint_early_stop", w.framework.checkpoint_early_stop))
    moe = w.model.moe
    if moe is not None and (moe.groups, moe.groups_per_token) != (1, 1):
        out.append(("routing_groups", (moe.groups, moe.groups_per_token)))
    if any(getattr(getattr(layer, "norm", None), "low_precision", False) for layer in w.model.layers):
        out.append(("low_precision_norm", True))
    return out
