"""Activations saved for backward by Hugging Face transformers' PyTorch code.

Where Megatron-LM fuses kernels (activations.py, Korthikanti et al.), the
modeling code of transformers runs PyTorch ops one by one and autograd keeps
what each op needs. This module lists those tensors per layer, as measured
with torch.autograd.graph.saved_tensors_hooks on real transformers classes
(validation/measure_activations.py, data in validation/data/activations.json;
tests/test_validation_activations.py compares every measured configuration):

- RMSNorm (LlamaRMSNorm and its copies) upcasts to fp32: it keeps the fp32
  input, the fp32 1/rms, and the normalised input cast back; nn.LayerNorm
  keeps its input, mean and 1/std.
- A norm's output is kept once by the projections that read it; under
  autocast each projection keeps its own bf16 cast of it. llm-foundry's
  LPLayerNorm (`norm = low_precision_layernorm`, MPT's default) casts its input
  to the autocast dtype and normalises in it: under autocast it keeps that
  low-precision input, and its low-precision output is shared by every
  projection (validation/measure_low_precision_norm.py, data in
  validation/data/low_precision_norm.json).
- A fused RMSNorm kernel (`framework.norm_kernel = fused`) keeps its input as it
  came and the fp32 1/rms: torchtitan's TritonFusedRMSNorm saves (x, weight,
  rstd) (pytorch/torchtitan@559a526 torchtitan/models/norms.py, its
  `norm_type = "fused_rmsnorm"`); its output is kept by the projections.
- Rotary embeddings keep cos and sin (s x head_dim each).
- SDPA / flash attention keeps q, k, v (k and v not expanded for GQA), the
  output and the fp32 log-sum-exp; eager attention keeps q, k and v expanded
  to all heads, the fp32 softmax and its cast, and the re-laid-out output.
- The gated MLP keeps gate and up outputs, the activation output and the
  product; GPT-2's gelu_new (composed of pow/tanh/mul) keeps four tensors.
- Mixtral-style MoE (grouped_mm experts) keeps the router's fp32 softmax,
  top-k indices and weights, the permuted tokens and each expert matmul's input.

Notation as in activations.py; rho is the residual stream's bytes (the
weights' dtype), beta the matmul dtype (the autocast dtype, if any).
"""

from __future__ import annotations

from capplan.engine import activations
from capplan.engine.blocks.base import Context, Saved
from capplan.engine.blocks.transformer import op_selective_saved_matmuls
from capplan.ir.blocks import Norm, TransformerLayer

SOURCE = ("transformers modeling_llama.py / modeling_mixtral.py / modeling_gpt2.py as measured by "
          "validation/measure_activations.py (saved_tensors_hooks)")
OP_SELECTIVE_SOURCE = ("pytorch/torchtitan@559a526 torchtitan/parallelisms/parallelize_llama.py (the per-op "
                       "selective checkpointing policy) and torchtitan/models/llama/model.py (the order of its mms)")
INDEX_BYTES = 8  # int64 indices


def _norm(norm: Norm, h: int, c: Context, label: str) -> list[Saved]:
    tokens, rho = c.seq * c.batch, c.residual
    if norm.low_precision and c.autocast:
        return [Saved(f"{label}: input cast to the autocast dtype", tokens * h * c.beta, "s*b*h*beta"),
                Saved(f"{label}: mean and 1/std (fp32)", tokens * 2 * 4, "s*b*2*4")]
    if norm.kind == "rmsnorm" and c.norm_kernel == "fused":
        return [Saved(f"{label}: input (fused kernel)", tokens * h * rho, "s*b*h*rho"),
                Saved(f"{label}: 1/rms (fp32)", tokens * 4, "s*b*4")]
    if norm.kind == "rmsnorm":
        return [Saved(f"{label}: fp32 input", tokens * h * 4, "s*b*h*4"),
                Saved(f"{label}: 1/rms (fp32)", tokens * 4, "s*b*4"),
                Saved(f"{label}: normalised input", tokens * h * rho, "s*b*h*rho")]
    return [Saved(f"{label}: input", tokens * h * rho, "s*b*h*rho"),
            Saved(f"{label}: mean and 1/std (fp32)", tokens * 2 * 4, "s*b*2*4")]


def _norm_output(norm: Norm | None, h: int, c: Context, label: str, readers: int) -> list[Saved]:
    tokens = c.seq * c.batch
    if c.autocast and norm is not None and norm.low_precision:
        return [Saved(f"{label} (low precision, shared)", tokens * h * c.beta, "s*b*h*beta")]
    if c.autocast:
        return [Saved(f"{label} (autocast copy per projection)", readers * tokens * h * c.beta,
                      f"{readers}*s*b*h*beta")]
    return [Saved(label, tokens * h * c.residual, "s*b*h*rho")]


def _attention(L: TransformerLayer, h: int, c: Context) -> list[Saved]:
    t, beta = c.tp, c.beta
    tokens = c.seq * c.batch
    at = L.attention
    a, k, d = at.heads, at.kv_heads, at.head_dim
    gpt2 = L.code_path == "gpt2"
    readers = 1 if gpt2 else 3
    out = _norm_output(L.norm, h, c, "attention input (norm output)", readers)
    if at.rope:
        out.append(Saved("rotary cos and sin", 2 * c.seq * d * c.residual, "2*s*d*rho"))
    q = tokens * a * d * beta / t
    kv = tokens * k * d * beta / t
    if c.kernel == "eager":
        scores = c.batch * a * c.seq * c.seq / t
        softmax_bytes = (beta if gpt2 and not c.autocast else 4)
        out += [Saved("queries", q, "s*b*a*d*beta/t"),
                Saved("keys (expanded to all heads)", q, "s*b*a*d*beta/t"),
                Saved("softmax output", scores * softmax_bytes, "a*s^2*b*(4 or beta)/t")]
        if softmax_bytes != beta:
            out.append(Saved("attention probabilities (cast)", scores * beta, "a*s^2*b*beta/t"))
        out += [Saved("values (expanded to all heads)", q, "s*b*a*d*beta/t"),
                Saved("output projection input", q, "s*b*a*d*beta/t")]
        return out
    if gpt2:  # the query is a view of the fused c_attn output: the whole buffer stays alive
        out.append(Saved("fused qkv output (query view)", tokens * (a + 2 * k) * d * beta / t,
                         "s*b*(a+2k)*d*beta/t"))
    else:
        out.append(Saved("queries", q, "s*b*a*d*beta/t"))
    out += [Saved("keys", kv, "s*b*k*d*beta/t"), Saved("values", kv, "s*b*k*d*beta/t"),
            Saved("softmax log-sum-exp (fp32)", c.batch * a * c.seq * 4 / t, "s*b*a*4/t"),
            Saved("attention output (= output projection input)", q, "s*b*a*d*beta/t")]
    return out


def _mlp_body(gated: bool, activation: str, c: Context, tokens: float, ffn: int, dtype: float,
              label: str) -> list[Saved]:
    inner = tokens * ffn * dtype / c.tp
    if gated:
        return [Saved(f"{label} gate and up outputs", 2 * inner, "2*s*b*f*beta/t"),
                Saved(f"{label} activation output", inner, "s*b*f*beta/t"),
                Saved(f"{label} product (down projection input)", inner, "s*b*f*beta/t")]
    if activation == "gelu_new":
        return [Saved(f"{label} gelu_new intermediates (pow, tanh, 2 x mul)", 4 * inner, "4*s*b*f*beta/t"),
                Saved(f"{label} down projection input", inner, "s*b*f*beta/t")]
    return [Saved(f"{label} activation input", inner, "s*b*f*beta/t"),
            Saved(f"{label} down projection input", inner, "s*b*f*beta/t")]


def _mlp(L: TransformerLayer, h: int, c: Context) -> list[Saved]:
    tokens = c.seq * c.batch
    moe = L.moe
    if moe is None:
        mlp = L.mlp
        readers = 2 if mlp.gated else 1
        return (_norm_output(L.norm, h, c, "MLP input (norm output)", readers)
                + _mlp_body(mlp.gated, mlp.activation, c, tokens, mlp.ffn, c.beta, "MLP"))
    k = moe.top_k
    routed = tokens * k
    # grouped_mm is not autocast: under autocast the experts run in the residual dtype
    expert_dtype = c.residual if c.autocast else c.beta
    out = _norm_output(L.norm, h, c, "router input (norm output)", 1)
    out += [
        Saved("router softmax (fp32)", tokens * moe.experts * 4, "s*b*experts*4"),
        Saved("top-k indices (int64)", routed * INDEX_BYTES, "s*b*k*8"),
        Saved("top-k weights and their sum (fp32)", routed * 4 + tokens * 4, "s*b*(k+1)*4"),
        Saved("token permutation indices (int64, 3 x)", 3 * routed * INDEX_BYTES, "3*s*b*k*8"),
        Saved("permuted tokens (expert input)", routed * h * expert_dtype, "s*b*k*h*beta"),
    ]
    out += _mlp_body(moe.gated, moe.activation, c, routed, moe.expert_ffn, expert_dtype, "expert")
    out += [Saved("routing weights per token copy (fp32)", routed * 4, "s*b*k*4"),
            Saved("expert outputs", routed * h * expert_dtype, "s*b*k*h*beta")]
    if moe.shared_ffn:
        out += _mlp_body(moe.gated, moe.activation, c, tokens, moe.shared_ffn, c.beta, "shared expert")
    return out


def layer_saved(L: TransformerLayer, h: int, c: Context) -> list[Saved]:
    out: list[Saved] = []
    if L.attention is not None:
        out += _norm(L.norm, h, c, "attention norm") + _attention(L, h, c)
    if L.ffn is not None:
        out += ([] if L.parallel else _norm(L.norm, h, c, "MLP norm")) + _mlp(L, h, c)
    return out


def checkpointed(L: TransformerLayer, h: int, c: Context) -> list[Saved]:
    """Under torch.utils.checkpoint a layer keeps its input (the hidden states), and on
    GPT-2's code path in eager mode the [b, 1, s, s] causal mask, passed positionally."""
    out = [Saved("layer input (hidden states)", c.seq * c.batch * h * c.residual, "s*b*h*rho")]
    if L.code_path == "gpt2" and c.kernel == "eager":
        out.append(Saved("causal mask (eager, passed to the block)", c.batch * c.seq * c.seq * c.residual,
                         "b*s^2*rho"))
    return out


def op_selective(L: TransformerLayer, h: int, c: Context) -> list[Saved]:
    """What a layer keeps under torchtitan's per-op selective checkpointing (`recompute = selective_op`;
    torchtitan/parallelisms/parallelize_llama.py at pytorch/torchtitan@559a526, `selective_ac_option = "op"`):
    the checkpoint's input, the outputs of every other matrix multiply (the 1st, 3rd, ...: q, v, gate and down
    for a gated MLP) and of the attention kernel (its output and fp32 log-sum-exp); everything else is
    recomputed in backward, one layer at a time."""
    tokens = c.seq * c.batch
    a = L.attention
    out = [Saved("layer input (hidden states)", tokens * h * c.residual, "s*b*h*rho")]
    width = {"q": "a*d", "k": "k*d", "v": "k*d", "output": "h", "gate": "f", "up": "f", "down": "h"}
    out += [Saved(f"{name} projection output (kept by the per-op policy)", tokens * features * c.beta / c.tp,
                  f"s*b*{width[name]}*beta/t") for name, _, features in op_selective_saved_matmuls(L, h)]
    return out + [Saved("attention output", tokens * a.heads * a.head_dim * c.beta / c.tp, "s*b*a*d*beta/t"),
                  Saved("softmax log-sum-exp (fp32)", c.batch * a.heads * c.seq * 4 / c.tp, "s*b*a*4/t")]


def head_saved(norm: Norm | None, h: int, vocab: int, c: Context, loss_upcast: bool,
               loss_kernel: str = "torch") -> list[Saved]:
    tokens = c.seq * c.batch
    loss_bytes = 4 if loss_upcast else c.beta
    loss = (activations.fused_loss_saved(tokens, vocab, c) if loss_kernel != "torch" else
            [Saved("log-softmax output", tokens * vocab * loss_bytes / c.tp, "s*b*vocab*4/t")])
    return ((_norm(norm, h, c, "final norm") if norm is not None else [])
            + _norm_output(norm, h, c, "head input (norm output)", 1)
            + loss + [Saved("loss targets (int64)", tokens * INDEX_BYTES, "s*b*8")])
