"""One entry point per question about a layer, dispatched on its block type.

Adding a block type is one module in capplan.engine.blocks (parameters, FLOPs, saved tensors,
cache) plus its line in each table here.
"""

from __future__ import annotations

from capplan.engine import activations, activations_hf
from capplan.engine.blocks import mamba2, transformer
from capplan.engine.blocks.base import Context, LayerFlops, LayerParams, Saved
from capplan.ir.blocks import Layer, Mamba2Layer, TransformerLayer
from capplan.ir.model import Model

SELECTIVE_DROPPED = ("attention probabilities", "attention dropout", "softmax output")


def layer_params(layer: Layer, h: int) -> LayerParams:
    if isinstance(layer, Mamba2Layer):
        return mamba2.params(layer, h)
    return transformer.params(layer, h)


def layer_flops(layer: Layer, lp: LayerParams) -> LayerFlops:
    if isinstance(layer, Mamba2Layer):
        return mamba2.flops(layer, lp)
    return transformer.flops(layer, lp)


def layer_saved(layer: Layer, h: int, c: Context) -> list[Saved]:
    """Every tensor one layer keeps for backward, without recomputation."""
    if isinstance(layer, Mamba2Layer):
        return mamba2.saved(layer, h, c)
    if c.impl == "transformers":
        return activations_hf.layer_saved(layer, h, c)
    return activations.layer_saved(layer, h, c)


def _dropped(x: Saved, recomputed: tuple[str, ...]) -> bool:
    """Whether selective recomputation of `recomputed` drops tensor x (core attention's tensors are known by
    name too: transformers' kernels carry no module tags)."""
    return any(m in recomputed for m in x.dropped_by) or (
        "core_attn" in recomputed and any(word in x.name for word in SELECTIVE_DROPPED))


def kept_saved(layer: Layer, h: int, c: Context) -> list[Saved]:
    """The tensors a layer keeps for backward under selective recomputation (or none)."""
    return [x for x in layer_saved(layer, h, c) if not _dropped(x, c.recomputed)]


def recomputed_bytes(layer: Layer, h: int, c: Context) -> float:
    """Bytes the selectively recomputed modules other than core attention rebuild for one layer's backward."""
    others = tuple(m for m in c.recomputed if m != "core_attn")
    if not others:
        return 0.0
    return sum(x.bytes for x in layer_saved(layer, h, c) if _dropped(x, others))


def kept_tensors(layer: Layer, h: int, c: Context) -> list[Saved]:
    """The tensors one layer keeps between its forward and its backward, under `c.recompute`: torchtitan's
    per-op policy's, full recomputation's checkpointed input, or what selective recomputation (or none) leaves."""
    if c.recompute == "selective_op":
        return activations_hf.op_selective(layer, h, c)
    if c.recompute == "full":
        if c.impl == "transformers" and isinstance(layer, TransformerLayer):
            return activations_hf.checkpointed(layer, h, c)
        return activations.checkpointed(h, c)[:1]
    return kept_saved(layer, h, c)


def layer_bytes(layer: Layer, h: int, c: Context) -> tuple[float, str]:
    """Bytes one layer keeps between its forward and its backward, under `c.recompute`, and their formula."""
    kept = kept_tensors(layer, h, c)
    formulas = ([x.formula for x in kept] if c.recompute in ("selective_op", "full")
                else sorted({x.formula for x in kept}))
    return sum(x.bytes for x in kept), " + ".join(formulas)


def largest_saved(layer: Layer, h: int, c: Context) -> float:
    """The largest single tensor a layer saves: backward through it holds its gradient in and out."""
    return max(x.bytes for x in layer_saved(layer, h, c))


def head_bytes(m: Model, c: Context, loss_upcast: bool, loss_kernel: str = "torch") -> tuple[float, float, float, str]:
    """The last stage's final norm, head input and loss buffers for one micro-batch.

    Returns (held, forward_transient, backward_extra, formula):
    - held from the end of the forward pass into the backward pass: the saved tensors (final
      norm, head input, the fp32 log-softmax output of the loss);
    - forward transient, while the loss runs: the logits and their fp32 copy (transformers'
      ForCausalLMLoss upcasts; the Trainer drops the model output before backward);
    - backward extra at its start: the loss gradient and the log-softmax input gradient, both
      fp32 s*b*vocab/t (torch nll_loss / log_softmax backward).
    A fused loss (flash-attn's CrossEntropyLoss) keeps the 16-bit logits and a per-row log-sum-exp instead: no
    forward transient beyond them, and at the start of backward one logits-sized gradient (`torch.empty_like`;
    none with inplace_backward, `fused_inplace`).
    A classifier head's logits are one row per sequence (b x classes): negligible beside the layers.
    """
    h = m.hidden
    width = m.head.classes if m.head.kind == "classifier" else m.vocab
    rows = c.batch if m.head.kind == "classifier" else c.seq * c.batch
    upcast = 4.0 if loss_upcast else c.beta
    logits = rows * width / c.tp
    module = activations_hf if c.impl == "transformers" else activations
    lm = Context(rows / c.batch, c.batch, c.tp, c.sp, c.beta, c.kernel, c.recompute, c.impl, c.residual,
                 norm_kernel=c.norm_kernel)
    held = sum(x.bytes for x in module.head_saved(m.head.final_norm or m.blocks[0].norm, h, width, lm,
                                                   loss_upcast, loss_kernel))
    if loss_kernel != "torch":
        return (held, 0.0, logits * c.beta if loss_kernel == "fused" else 0.0,
                "held: final norm + head input + s*b*vocab/t*beta (logits the fused loss keeps) + s*b*4 (its "
                "log-sum-exp); backward start: + s*b*vocab/t*beta (their gradient; 0 in place)")
    transient = logits * (c.beta + (upcast if loss_upcast else 0.0))
    extra = 2 * logits * upcast
    formula = ("held: final norm + head input + s*b*vocab/t*4 (log-softmax output); forward transient: "
               "s*b*vocab/t*(beta + 4) (logits and their fp32 copy); backward start: + 2*s*b*vocab/t*4")
    return held, transient, extra, formula


def kv_per_token(layer: Layer, element_bytes: float, tp: int) -> float:
    if isinstance(layer, Mamba2Layer):
        return 0.0
    return transformer.kv_per_token(layer, element_bytes, tp)


def cached_tokens(layer: Layer, context: float) -> float:
    if isinstance(layer, Mamba2Layer):
        return 0.0
    return transformer.cached_tokens(layer, context)


def state_per_sequence(layer: Layer, element_bytes: float, tp: int) -> float:
    """Cache bytes per sequence that do not grow with the context (a state-space layer's state)."""
    if isinstance(layer, Mamba2Layer):
        return mamba2.state_bytes(layer, element_bytes, tp)
    return 0.0


def kind_label(layer: Layer) -> str:
    """A short name for a layer kind in figure keys: '' (dense), moe, attention, mlp, mamba2."""
    if isinstance(layer, Mamba2Layer):
        return "mamba2"
    if layer.moe is not None:
        return "moe"
    if layer.attention is None:
        return "mlp"
    if layer.ffn is None:
        return "attention"
    return ""
