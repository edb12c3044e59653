"""Optimizer state per parameter, the temporaries of the optimizer step, and LoRA adapter sizes."""

from __future__ import annotations

from capplan.check.schema import LORA_GROUPS
from capplan.engine.formats import nbytes
from capplan.engine.vector import maximum, where
from capplan.ir.blocks import Mamba2Layer, Mlp, Moe, TransformerLayer
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


def lora_shapes(m: Model) -> dict[str, tuple[int, int]]:
    """(in, out) of each projection LoRA can adapt."""
    h = m.hidden
    a = m.attention
    d = a.head_dim
    shapes = {"q": (h, a.heads * d), "k": (h, a.kv_heads * d), "v": (h, a.kv_heads * d), "o": (a.heads * d, h)}
    mlp = next((x.ffn for x in m.blocks if isinstance(x, TransformerLayer) and isinstance(x.ffn, Mlp)), None)
    if mlp is not None and m.moe is None:
        shapes.update(up=(h, mlp.ffn), down=(mlp.ffn, h))
        if mlp.gated:
            shapes["gate"] = (h, mlp.ffn)
    return shapes


def lora_adapter_params(m: Model, rank: int, targets) -> int:
    """LoRA parameters of one layer: r * (in + out) per adapted matrix (Hu et al. 2021, sec. 4)."""
    shapes = lora_shapes(m)
    return sum(rank * sum(shapes[mod]) for mod in lora_modules(targets) if mod in shapes)


# ---- the optimizer step's temporaries ------------------------------------------------------------------
# Read in torch 2.13.0 (git cf30153c), torch/optim/adam.py (AdamW is Adam with decoupled weight decay,
# torch/optim/adamw.py) and torch/optim/sgd.py, with every argument but the implementation at its default.
TORCH_OPTIM = "torch 2.13.0 torch/optim/adam.py"
TEMPORARIES = {  # (optimizer, implementation) -> (what the step allocates besides the states, formula, source)
    ("adam", "foreach"): ("group", "one tensor per parameter, all at once: params stepped x bytes(state)",
                          f"{TORCH_OPTIM} _multi_tensor_adam: exp_avg_sq_sqrt = torch._foreach_sqrt(exp_avg_sqs) "
                          "(then divided, shifted and used in place)"),
    ("adam", "for_loop"): ("window", "max over consecutive parameter tensors (previous + 2 x current) x bytes(state)",
                           f"{TORCH_OPTIM} _single_tensor_adam: denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt)"
                           " holds two tensors of the parameter's size while `denom` still holds the previous "
                           "parameter's (measured: validation/data/optimizer_recipes.json)"),
    ("adam", "fused"): (None, "0: one fused kernel updates the parameters and states in place",
                        f"{TORCH_OPTIM} _fused_adam: torch._fused_adamw_"),
    ("sgd", "any"): (None, "0: momentum buffer and parameter updated in place",
                     "torch 2.13.0 torch/optim/sgd.py _single_tensor_sgd / _multi_tensor_sgd / _fused_sgd with "
                     "weight_decay=0 and nesterov=False (weight decay would add a gradient-sized copy)"),
    ("lion", "foreach"): ("group", "params stepped x bytes(state), sized as AdamW's foreach temporary",
                          "Lion is not in torch 2.13: sized as torch's foreach AdamW (_foreach_sqrt)"),
    ("lion", "any"): (None, "0", "Lion is not in torch 2.13; no temporary assumed"),
    ("adamw_8bit", "any"): (None, "0: bitsandbytes' 8-bit kernels update in place",
                            "bitsandbytes Optimizer8bit (block-wise quantised states, Dettmers et al. 2022)"),
    ("adafactor", "any"): (None, "0", "factored second moments (Shazeer & Stern 2018); no temporary assumed"),
}
_FAMILY = {"adamw": "adam", "adam": "adam", "sgd": "sgd", "sgd_momentum": "sgd", "lion": "lion",
           "adamw_8bit": "adamw_8bit", "adafactor": "adafactor"}


def step_temporaries(optimizer: str, impl: str, state_bytes: float, group, window) -> tuple[object, str, str]:
    """(bytes, formula, source) of what optimizer.step() allocates besides the optimizer's states.

    `group`: parameter elements the step updates on the rank; `window`: the largest (previous + 2 x
    current) over consecutive parameter tensors, in elements (`loop_window`). Numbers or arrays.
    """
    family = _FAMILY[optimizer]
    what, formula, source = TEMPORARIES.get((family, impl)) or TEMPORARIES[(family, "any")]
    value = 0.0
    if what == "group":
        value = group * state_bytes
    elif what == "window":
        value = window * state_bytes
    return value, f"{impl} {optimizer}: {formula}", source


TP, REPLICATED, EXPERTS = "tp", "replicated", "experts"


def layer_tensors(layer, h: int) -> list[tuple[int, str]]:
    """A layer's weight matrices (elements, how a rank holds them) in transformers' registration order.

    modeling_llama: attention q, k, v, o, then gate, up, down (GPT-2: one fused c_attn); transformers
    5's modeling_mixtral: the router, then the experts' fused 3-D gate_up_proj and down_proj. Biases
    and norms (vectors of a few hidden sizes) are left out.
    """
    if isinstance(layer, Mamba2Layer):
        s = layer.mixer
        return [(h * (2 * s.inner + 2 * s.groups * s.state + s.heads), TP), (s.conv_channels * s.conv_kernel, TP),
                (s.inner * h, TP)]
    out: list[tuple[int, str]] = []
    a = layer.attention
    if a is not None and a.kind == "mla":
        x = a.mla
        qk = x.qk_nope_head_dim + x.qk_rope_head_dim
        out += ([(h * x.q_lora_rank, REPLICATED), (x.q_lora_rank * a.heads * qk, TP)] if x.q_lora_rank
                else [(h * a.heads * qk, TP)])
        out += [(h * (x.kv_lora_rank + x.qk_rope_head_dim), REPLICATED),
                (x.kv_lora_rank * a.heads * (x.qk_nope_head_dim + x.v_head_dim), TP), (a.heads * x.v_head_dim * h, TP)]
    elif a is not None:
        q, kv = h * a.heads * a.head_dim, h * a.kv_heads * a.head_dim
        qkv = [(q + 2 * kv, TP)] if layer.code_path == "gpt2" else [(q, TP), (kv, TP), (kv, TP)]
        out += qkv + [(q, TP)]
    ffn = layer.ffn
    if isinstance(ffn, Mlp):
        out += [(h * ffn.ffn, TP)] * (3 if ffn.gated else 2)
    elif isinstance(ffn, Moe):
        up = ffn.experts * ffn.expert_ffn * h
        out += [(h * ffn.experts, REPLICATED), ((2 if ffn.gated else 1) * up, EXPERTS), (up, EXPERTS)]
        out += [(h * ffn.shared_ffn, TP)] * ((3 if ffn.gated else 2) if ffn.shared_ffn else 0)
    return out


def window_of(sizes: list):
    """max over consecutive tensors of (previous + 2 x current), the first following the last (the same
    layer kind repeated). Sizes may be numbers or arrays."""
    best = 0.0
    for i, cur in enumerate(sizes):
        best = maximum(best, sizes[i - 1] + 2 * cur)
    return best


def loop_window(m: Model, pc, tp, expert_ranks, dense_div, expert_div, n: list, is_first, is_last, head_tensor):
    """The for-loop optimizer's window on one rank, in elements: layers of kind i present where n[i] > 0,
    the embedding first on the first rank, the head last on the last rank (`head_tensor` elements).
    Every tensor is split over tensor parallelism (a routed expert's over expert_ranks = expert tensor x expert
    parallelism) and, with a sharded optimizer, over data parallelism per parameter (FSDP2 / DTensor) by
    `dense_div` / `expert_div`."""
    share = {TP: tp * dense_div, REPLICATED: dense_div}
    best = first = 0.0
    for layer, count_ in zip(m.blocks, n):
        sizes = [e / (expert_ranks * expert_div) if how == EXPERTS else e / share[how]
                 for e, how in layer_tensors(layer, m.hidden)]
        if sizes:
            best = maximum(best, where(count_ > 0, window_of(sizes), 0.0))
            first = maximum(first, where(count_ > 0, sizes[0], 0.0))
    emb = pc.embedding.sharded / (tp * dense_div)
    head = head_tensor / dense_div
    best = maximum(best, where(is_first, maximum(2 * emb, emb + 2 * first), 0.0))
    return maximum(best, where(is_last, 2 * head, 0.0))


def lora_window(m: Model, rank: int, targets, tp) -> float:
    """The for-loop window over LoRA adapters (peft registers lora_A (r x in) then lora_B (out x r) for each
    adapted projection, in the model's order), in elements per tensor-parallel rank."""
    shapes = lora_shapes(m)
    sizes = []
    for mod in ("q", "k", "v", "o", "gate", "up", "down"):
        if mod in shapes and mod in lora_modules(targets):
            sizes += [rank * shapes[mod][0], rank * shapes[mod][1]]
    return window_of(sizes) / tp if sizes else 0.0
