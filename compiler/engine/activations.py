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

from dataclasses import dataclass

from capplan.check.values import Obj

SOURCE = "Korthikanti et al. 2022 (arXiv:2205.05198), sec. 4.1 and Table 2, generalised per saved tensor"

MASK_BYTES = 1  # dropout masks are stored as bytes (torch.bool / uint8)
STAT_BYTES = 4  # normalisation statistics (mean, rstd) and softmax log-sum-exp are fp32


@dataclass(frozen=True)
class Saved:
    name: str
    bytes: float
    formula: str


@dataclass(frozen=True)
class Context:
    seq: float          # tokens per sequence on this rank
    batch: int          # micro-batch size
    tp: int
    sp: bool            # sequence parallelism: non-tensor-parallel regions split by t too
    beta: float         # bytes per activation element (the matmul dtype)
    kernel: str         # flash | sdpa | eager
    recompute: str      # none | selective | full
    impl: str = "megatron"        # megatron (fused kernels) | transformers (PyTorch ops)
    residual: float = 0.0         # bytes of the residual stream (the weights' dtype); 0: beta

    def __post_init__(self):
        if not self.residual:
            object.__setattr__(self, "residual", self.beta)

    @property
    def autocast(self) -> bool:
        return self.residual != self.beta


def _norm(m: Obj, c: Context, label: str, sp_div: int) -> list[Saved]:
    tokens = c.seq * c.batch
    stats = 2 if m.norm == "layernorm" else 1
    return [
        Saved(f"{label} input", tokens * m.hidden * c.beta / sp_div, "s*b*h*beta" + _div(sp_div)),
        Saved(f"{label} statistics", tokens * stats * STAT_BYTES / sp_div,
              f"s*b*{stats}*4" + _div(sp_div)),
    ]


def _div(n: int) -> str:
    return "/t" if n > 1 else ""


def _attention(m: Obj, c: Context, sp_div: int) -> list[Saved]:
    t, beta = c.tp, c.beta
    tokens = c.seq * c.batch
    out = [Saved("attention input (norm output)", tokens * m.hidden * beta / sp_div, "s*b*h*beta" + _div(sp_div))]
    if m.attention == "mla":
        a = m.mla
        qk = a.qk_nope_head_dim + a.qk_rope_head_dim
        if a.q_lora_rank:
            out.append(Saved("q compression (q_a output, norm output)", 2 * tokens * a.q_lora_rank * beta,
                             "2*s*b*q_lora_rank*beta"))
        out += [
            Saved("kv compression (kv_a output, norm output)",
                  tokens * (2 * a.kv_lora_rank + a.qk_rope_head_dim) * beta,
                  "s*b*(2*kv_lora_rank + qk_rope_head_dim)*beta"),
            Saved("queries", tokens * m.heads * qk * beta / t, "s*b*a*(nope+rope)*beta/t"),
            Saved("keys", tokens * m.heads * qk * beta / t, "s*b*a*(nope+rope)*beta/t"),
            Saved("values", tokens * m.heads * a.v_head_dim * beta / t, "s*b*a*v_head_dim*beta/t"),
        ]
        context_width = m.heads * a.v_head_dim
    else:
        out += [
            Saved("queries", tokens * m.heads * m.head_dim * beta / t, "s*b*a*d*beta/t"),
            Saved("keys", tokens * m.kv_heads * m.head_dim * beta / t, "s*b*k*d*beta/t"),
            Saved("values", tokens * m.kv_heads * m.head_dim * beta / t, "s*b*k*d*beta/t"),
        ]
        context_width = m.heads * m.head_dim
    if c.kernel == "eager" and c.recompute == "none":
        scores = c.batch * m.heads * c.seq * c.seq / t
        out.append(Saved("attention probabilities (softmax output)", scores * beta, "a*s^2*b*beta/t"))
        if m.attention_dropout > 0:
            out.append(Saved("attention dropout mask", scores * MASK_BYTES, "a*s^2*b/t"))
            out.append(Saved("attention dropout output", scores * beta, "a*s^2*b*beta/t"))
    elif c.kernel != "eager":
        out.append(Saved("softmax log-sum-exp (flash attention)", tokens * m.heads * STAT_BYTES / t,
                         "s*b*a*4/t"))
    out.append(Saved("output projection input (attention context)", tokens * context_width * beta / t,
                     "s*b*a*d*beta/t"))
    if m.dropout > 0:
        out.append(Saved("attention residual dropout mask", tokens * m.hidden * MASK_BYTES / sp_div,
                         "s*b*h" + _div(sp_div)))
    return out


def _mlp_tensors(m: Obj, c: Context, tokens: float, ffn: int, label: str, shard: int) -> list[Saved]:
    beta = c.beta
    inner = tokens * ffn * beta / shard
    if m.mlp == "gated":
        return [Saved(f"{label} gate projection output (activation input)", inner, "s*b*f*beta/t"),
                Saved(f"{label} up projection output", inner, "s*b*f*beta/t"),
                Saved(f"{label} down projection input", inner, "s*b*f*beta/t")]
    return [Saved(f"{label} activation input", inner, "s*b*f*beta/t"),
            Saved(f"{label} down projection input", inner, "s*b*f*beta/t")]


def _mlp(m: Obj, c: Context, sp_div: int, moe_layer: bool) -> list[Saved]:
    tokens = c.seq * c.batch
    beta = c.beta
    out = [Saved("MLP input (norm output)", tokens * m.hidden * beta / sp_div, "s*b*h*beta" + _div(sp_div))]
    if moe_layer:
        moe = m.moe
        routed = tokens * moe.experts_per_token / sp_div
        out.append(Saved("router logits and probabilities (fp32)", 2 * tokens * moe.experts * 4 / sp_div,
                         "2*s*b*experts*4"))
        out.append(Saved("routed token copies (expert inputs)", routed * m.hidden * beta,
                         "s*b*top_k*h*beta"))
        out += _mlp_tensors(m, c, routed * sp_div, moe.expert_ffn, "expert", c.tp)
        if moe.shared_ffn:
            out += _mlp_tensors(m, c, tokens, moe.shared_ffn, "shared expert", c.tp)
    else:
        out += _mlp_tensors(m, c, tokens, m.ffn, "MLP", c.tp)
    if m.dropout > 0:
        out.append(Saved("MLP residual dropout mask", tokens * m.hidden * MASK_BYTES / sp_div,
                         "s*b*h" + _div(sp_div)))
    return out


def layer_saved(m: Obj, c: Context, moe_layer: bool) -> list[Saved]:
    """Every tensor one layer keeps for backward, without recomputation."""
    if c.impl == "transformers":
        from capplan.engine import activations_hf

        return activations_hf.layer_saved(m, c, moe_layer)
    sp_div = c.tp if c.sp else 1
    if m.parallel_block:
        return (_norm(m, c, "layer norm", sp_div) + _attention(m, c, sp_div) + _mlp(m, c, sp_div, moe_layer)[1:])
    return (_norm(m, c, "attention norm", sp_div) + _attention(m, c, sp_div)
            + _norm(m, c, "MLP norm", sp_div) + _mlp(m, c, sp_div, moe_layer))


def layer_bytes(m: Obj, c: Context, moe_layer: bool) -> tuple[float, str]:
    """Bytes one layer keeps between its forward and its backward, under `c.recompute`."""
    if c.recompute == "full":
        if c.impl == "transformers":
            from capplan.engine import activations_hf

            kept = activations_hf.checkpointed_layer(m, c)
            return sum(x.bytes for x in kept), " + ".join(x.formula for x in kept)
        sp_div = c.tp if c.sp else 1
        return c.seq * c.batch * m.hidden * c.beta / sp_div, "layer input only: s*b*h*beta" + _div(sp_div)
    saved = layer_saved(m, c, moe_layer)
    if c.recompute == "selective":
        # the core attention (scores, softmax, dropout) is recomputed in backward
        saved = [x for x in saved if "attention probabilities" not in x.name
                 and "attention dropout" not in x.name and "softmax output" not in x.name]
    return sum(x.bytes for x in saved), " + ".join(sorted({x.formula for x in saved}))


def head_bytes(m: Obj, c: Context, loss_upcast: bool) -> tuple[float, float, float, str]:
    """The last stage's final norm, head input and loss buffers for one micro-batch.

    Returns (held, forward_transient, backward_extra, formula):
    - held from the end of the forward pass into the backward pass: the saved tensors (final
      norm, head input, the fp32 log-softmax output of the loss);
    - forward transient, while the loss runs: the logits and their fp32 copy (transformers'
      ForCausalLMLoss upcasts; the Trainer drops the model output before backward);
    - backward extra at its start: the loss gradient and the log-softmax input gradient, both
      fp32 s*b*vocab/t (torch nll_loss / log_softmax backward).
    """
    tokens = c.seq * c.batch
    upcast = 4.0 if loss_upcast else c.beta
    logits = tokens * m.vocab / c.tp
    if c.impl == "transformers":
        from capplan.engine import activations_hf

        held = sum(x.bytes for x in activations_hf.head_saved(m, c, loss_upcast))
    else:
        sp_div = c.tp if c.sp else 1
        held = (sum(x.bytes for x in _norm(m, c, "final norm", sp_div)) + tokens * m.hidden * c.beta / sp_div
                + logits * upcast)
    transient = logits * (c.beta + (upcast if loss_upcast else 0.0))
    extra = 2 * logits * upcast
    formula = ("held: final norm + head input + s*b*vocab/t*4 (log-softmax output); forward transient: "
               "s*b*vocab/t*(beta + 4) (logits and their fp32 copy); backward start: + 2*s*b*vocab/t*4")
    return held, transient, extra, formula


def largest_saved(m: Obj, c: Context, moe_layer: bool) -> float:
    """The largest single tensor a layer saves: backward through it holds its gradient in and out."""
    return max(x.bytes for x in layer_saved(m, c, moe_layer))
