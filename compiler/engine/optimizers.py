"""Optimizer state per parameter, and LoRA adapter sizes."""

from __future__ import annotations

from capplan.check.schema import LORA_GROUPS
from capplan.engine.formats import nbytes
from capplan.ir.blocks import Mlp, TransformerLayer
from capplan.ir.model import Model

OPTIMIZER_STATES = {  # states per parameter, and where the figure comes from
    "adamw": (2, "Adam m and v (Loshchilov & Hutter 2019); torch.optim.AdamW"),
    "adam": (2, "Adam m and v (Kingma & Ba 2015); torch.optim.Adam"),
    "adamw_8bit": (2, "bitsandbytes AdamW8bit: m and v in 8 bits, block-wise (Dettmers et al. 2022)"),
    "sgd": (0, "plain SGD keeps no state"),
    "sgd_momentum": (1, "SGD with momentum keeps one buffer"),
    "lion": (1, "Lion keeps one momentum buffer (Chen et al. 2023)"),
    "adafactor": (0, "Adafactor keeps factored second moments: rows + columns per matrix "
                     "(Shazeer & Stern 2018)"),
}
ADAM8_BLOCK = 2048  # bitsandbytes blockwise quantization: one fp32 absmax per 2048 values


def _ffn_width(m: Model) -> int | None:
    for layer in m.blocks:
        if isinstance(layer, TransformerLayer) and isinstance(layer.ffn, Mlp):
            return layer.ffn.ffn
    moe = m.moe
    return moe.expert_ffn if moe is not None else None


def optimizer_state_bytes(w, params: float, pc) -> tuple[float, str]:
    """Bytes of optimizer state for `params` parameters of plan `w` (capplan.ir.plan.Training)."""
    opt = w.optimizer
    states, _src = OPTIMIZER_STATES[opt]
    fmt = w.precision.optimizer_states
    if opt == "adamw_8bit":
        return params * states * (1 + 4 / ADAM8_BLOCK), f"{states} states x (1 + 4/{ADAM8_BLOCK}) B"
    if opt == "adafactor":
        m = w.model
        f = _ffn_width(m) if pc is not None else None
        if pc is None or m.hidden is None or f is None:
            return params * 4 * 0.01, "~1% of 4 B/param (no architecture to factor)"
        # rows + columns of each matrix per parameter, averaged over the model's main matrices
        h = m.hidden
        ratio = ((h + h) / (h * h) * 4 + (h + f) / (h * f) * 3) / 7
        return params * 4 * ratio, "(rows + columns) x 4 B per matrix"
    return params * states * nbytes(fmt), f"{states} x {nbytes(fmt):g} B"


def lora_modules(targets) -> tuple[str, ...]:
    """The projections a `targets` value adapts: a group name or a list of names and groups."""
    names = (targets,) if isinstance(targets, str) else tuple(targets)
    out: list[str] = []
    for name in names:
        for module in LORA_GROUPS.get(name, (name,)):
            if module not in out:
                out.append(module)
    return tuple(out)


def lora_adapter_params(m: Model, rank: int, targets) -> int:
    """LoRA parameters of one layer: r * (in + out) per adapted matrix (Hu et al. 2021, sec. 4)."""
    h = m.hidden
    a = m.attention
    d = a.head_dim
    shapes = {"q": (h, a.heads * d), "k": (h, a.kv_heads * d), "v": (h, a.kv_heads * d), "o": (a.heads * d, h)}
    mlp = next((x.ffn for x in m.blocks if isinstance(x, TransformerLayer) and isinstance(x.ffn, Mlp)), None)
    if mlp is not None and m.moe is None:
        shapes.update(up=(h, mlp.ffn), down=(mlp.ffn, h))
        if mlp.gated:
            shapes["gate"] = (h, mlp.ffn)
    return sum(rank * sum(shapes[mod]) for mod in lora_modules(targets) if mod in shapes)
