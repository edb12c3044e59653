"""Activation memory, derived per tensor saved for backward, per layer.

The list of saved tensors follows Korthikanti et al. 2022, "Reducing
Activation Recomputation in Large Transformer Models" (arXiv:2205.05198),
section 4.1, generalised to grouped-query attention, a separate head_dim,
gated MLPs, RMSNorm, mixture-of-experts and multi-head latent attention.
For a GPT-3-style layer (MHA, GELU MLP of 4h, LayerNorm, dropout, no flash
attention) the sum reduces to the paper's sbh(34 + 5as/h) bytes with 16-bit
activations; with tensor parallelism t and sequence parallelism to
sbh(34/t + 5as/(ht)), as in its Table 2.

Notation: s tokens per sequence on this rank (after context parallelism),
b micro-batch, h hidden, a heads, k key/value heads, d head_dim, f ffn,
t tensor parallelism, beta bytes per activation element.
"""

from __future__ import annotations

from capplan.engine.blocks.base import Context, Saved
from capplan.ir.blocks import Norm, TransformerLayer

SOURCE = "Korthikanti et al. 2022 (arXiv:2205.05198), sec. 4.1 and Table 2, generalised per saved tensor"

MASK_BYTES = 1  # dropout masks are stored as bytes (torch.bool / uint8)
FP8_BYTES = 1   # a Transformer Engine FP8 tensor's data (its scale is one float per tensor or block)
STAT_BYTES = 4  # normalisation statistics (mean, rstd) and softmax log-sum-exp are fp32


def _norm(norm: Norm, h: int, c: Context, label: str, sp_div: int) -> list[Saved]:
    tokens = c.seq * c.batch
    stats = 2 if norm.kind == "layernorm" else 1
    return [
        Saved(f"{label} input", tokens * h * c.beta / sp_div, "s*b*h*beta" + _div(sp_div)),
        Saved(f"{label} statistics", tokens * stats * STAT_BYTES / sp_div,
              f"s*b*{stats}*4" + _div(sp_div)),
    ]


def _linear_input(c: Context) -> tuple[float, str]:
    """Bytes per element of a tensor kept only as a linear layer's input, and its formula symbol. Under an FP8
    recipe Transformer Engine keeps the quantized copy it fed the GEMM instead, 1 byte an element
    (transformer_engine/pytorch/module/linear.py: saved_inputmat is the quantized input unless
    save_original_input; layernorm_linear.py likewise keeps ln_out quantized); the 16-bit tensor is freed."""
    return (FP8_BYTES, "1") if c.fp8 else (c.beta, "beta")


def _div(n: int) -> str:
    return "/t" if n > 1 else ""


def _attention(L: TransformerLayer, h: int, c: Context, sp_div: int) -> list[Saved]:
    t, beta = c.tp, c.beta
    a = L.attention
    tokens = c.seq * c.batch
    lin, sym = _linear_input(c)
    out = [Saved("attention input (norm output)", tokens * h * lin / sp_div, f"s*b*h*{sym}" + _div(sp_div),
                 ("layernorm",))]
    if a.kind == "mla":
        x = a.mla
        qk = x.qk_nope_head_dim + x.qk_rope_head_dim
        if x.q_lora_rank:
            out.append(Saved("q compression (q_a output, norm output)", 2 * tokens * x.q_lora_rank * beta,
                             "2*s*b*q_lora_rank*beta"))
        out += [
            Saved("kv compression (kv_a output, norm output)",
                  tokens * (2 * x.kv_lora_rank + x.qk_rope_head_dim) * beta,
                  "s*b*(2*kv_lora_rank + qk_rope_head_dim)*beta"),
            # the up projections' outputs (after RoPE): what mla_up_proj discards and recomputes
            Saved("queries", tokens * a.heads * qk * beta / t, "s*b*a*(nope+rope)*beta/t", ("mla_up_proj",)),
            Saved("keys", tokens * a.heads * qk * beta / t, "s*b*a*(nope+rope)*beta/t", ("mla_up_proj",)),
            Saved("values", tokens * a.heads * x.v_head_dim * beta / t, "s*b*a*v_head_dim*beta/t",
                  ("mla_up_proj",)),
        ]
        context_width = a.heads * x.v_head_dim
    else:
        out += [
            Saved("queries", tokens * a.heads * a.head_dim * beta / t, "s*b*a*d*beta/t"),
            Saved("keys", tokens * a.kv_heads * a.head_dim * beta / t, "s*b*k*d*beta/t"),
            Saved("values", tokens * a.kv_heads * a.head_dim * beta / t, "s*b*k*d*beta/t"),
        ]
        context_width = a.heads * a.head_dim
    if c.kernel == "eager":
        scores = c.batch * a.heads * c.seq * c.seq / t
        out.append(Saved("attention probabilities (softmax output)", scores * beta, "a*s^2*b*beta/t",
                         ("core_attn",)))
        if a.dropout > 0:
            out.append(Saved("attention dropout mask", scores * MASK_BYTES, "a*s^2*b/t", ("core_attn",)))
            out.append(Saved("attention dropout output", scores * beta, "a*s^2*b*beta/t", ("core_attn",)))
    elif c.kernel != "eager":
        out.append(Saved("softmax log-sum-exp (flash attention)", tokens * a.heads * STAT_BYTES / t,
                         "s*b*a*4/t"))
    out.append(Saved("output projection input (attention context)", tokens * context_width * beta / t,
                     "s*b*a*d*beta/t"))
    if c.fp8:   # the attention keeps its 16-bit output for its own backward; the projection adds its fp8 copy
        out.append(Saved("output projection input, fp8 copy (Transformer Engine)",
                         tokens * context_width * FP8_BYTES / t, "s*b*a*d*1/t"))
    if L.dropout > 0:
        out.append(Saved("attention residual dropout mask", tokens * h * MASK_BYTES / sp_div,
                         "s*b*h" + _div(sp_div)))
    return out


def _mlp_tensors(gated: bool, c: Context, tokens: float, ffn: int, label: str, shard: int,
                 modules: tuple[str, ...], act: tuple[str, ...] = ()) -> list[Saved]:
    """An MLP's inner tensors: dropped when any of `modules` is recomputed; its activation's output (the down
    projection's input) also when any of `act` is"""
    inner = tokens * ffn * c.beta / shard
    lin, sym = _linear_input(c)
    down = Saved(f"{label} down projection input", tokens * ffn * lin / shard, f"s*b*f*{sym}/t", modules + act)
    if gated:
        return [Saved(f"{label} gate projection output (activation input)", inner, "s*b*f*beta/t", modules),
                Saved(f"{label} up projection output", inner, "s*b*f*beta/t", modules), down]
    return [Saved(f"{label} activation input", inner, "s*b*f*beta/t", modules), down]


def _mlp(L: TransformerLayer, h: int, c: Context, sp_div: int) -> list[Saved]:
    tokens = c.seq * c.batch
    beta = c.beta
    lin, sym = _linear_input(c)
    out = [Saved("MLP input (norm output)", tokens * h * lin / sp_div, f"s*b*h*{sym}" + _div(sp_div),
                 ("layernorm",))]
    moe = L.moe
    if moe is not None:
        routed = tokens * moe.top_k / sp_div
        out.append(Saved("router logits and probabilities (fp32)", 2 * tokens * moe.experts * 4 / sp_div,
                         "2*s*b*experts*4", ("moe",)))
        out.append(Saved("routed token copies (expert inputs)", routed * h * lin,
                         f"s*b*top_k*h*{sym}", ("moe",)))
        out += _mlp_tensors(moe.gated, c, routed * sp_div, moe.expert_ffn, "expert", c.tp, ("moe",), ("moe_act",))
        if moe.shared_ffn:
            out += _mlp_tensors(moe.gated, c, tokens, moe.shared_ffn, "shared expert", c.tp,
                                ("moe", "shared_experts"))
    else:
        out += _mlp_tensors(L.mlp.gated, c, tokens, L.mlp.ffn, "MLP", c.tp, ("mlp",))
    if L.dropout > 0:
        out.append(Saved("MLP residual dropout mask", tokens * h * MASK_BYTES / sp_div,
                         "s*b*h" + _div(sp_div)))
    return out


def layer_saved(L: TransformerLayer, h: int, c: Context) -> list[Saved]:
    """Every tensor one layer keeps for backward, without recomputation (Megatron's kernels)."""
    sp_div = c.tp if c.sp else 1
    if L.parallel:
        return (_norm(L.norm, h, c, "layer norm", sp_div) + _attention(L, h, c, sp_div)
                + _mlp(L, h, c, sp_div)[1:])
    out: list[Saved] = []
    if L.attention is not None:
        out += _norm(L.norm, h, c, "attention norm", sp_div) + _attention(L, h, c, sp_div)
    if L.ffn is not None:
        out += _norm(L.norm, h, c, "MLP norm", sp_div) + _mlp(L, h, c, sp_div)
    return out


def checkpointed(h: int, c: Context) -> list[Saved]:
    """Full recomputation: a layer keeps only its input."""
    sp_div = c.tp if c.sp else 1
    return [Saved("layer input", c.seq * c.batch * h * c.beta / sp_div, "layer input only: s*b*h*beta" + _div(sp_div))]


def head_saved(norm: Norm | None, h: int, vocab: int, c: Context, loss_upcast: bool,
               loss_kernel: str = "torch") -> list[Saved]:
    """The last stage's final norm, head input and fp32 log-softmax (or a fused loss's logits), kept for
    backward."""
    tokens = c.seq * c.batch
    sp_div = c.tp if c.sp else 1
    upcast = 4.0 if loss_upcast else c.beta
    out = _norm(norm, h, c, "final norm", sp_div) if norm is not None else []
    return out + [Saved("head input", tokens * h * c.beta / sp_div, "s*b*h*beta")] + (
        fused_loss_saved(tokens, vocab, c) if loss_kernel != "torch" else
        [Saved("log-softmax output", tokens * vocab / c.tp * upcast, "s*b*vocab/t*4")])


def fused_loss_saved(tokens: float, vocab: int, c: Context) -> list[Saved]:
    """What a fused cross-entropy kernel keeps for backward (flash-attn's CrossEntropyLoss,
    flash_attn/ops/triton/cross_entropy.py: ctx.save_for_backward(logits, lse, labels)): the 16-bit logits it
    read and one fp32 log-sum-exp per row; no fp32 copy, no log-softmax output."""
    return [Saved("logits (kept by the fused loss)", tokens * vocab / c.tp * c.beta, "s*b*vocab/t*beta"),
            Saved("log-sum-exp (fp32, per row)", tokens * 4.0, "s*b*4")]
