"""Transformer layers (attention and/or a feed-forward block): parameters, FLOPs, KV cache.

Parameters follow transformers' module shapes (LlamaDecoderLayer, MixtralSparseMoeBlock,
DeepseekV3 MLA, BertLayer, NemotronH attention/MLP layers); FLOPs follow Narayanan et al. 2021
(arXiv:2104.04473, eq. 3): 2 x parameters per token for the matmuls, and 4 x seq x heads x
head_dim per layer for the attention scores and their use. Saved activations are in
capplan.engine.activations (Megatron's fused kernels) and activations_hf (transformers' ops).
"""

from __future__ import annotations

from capplan.engine.blocks.base import LayerFlops, LayerParams, Part, linear
from capplan.ir.blocks import Attention, Mlp, Moe, TransformerLayer


def attention_params(a: Attention, h: int) -> Part:
    if a.kind == "mla":
        x = a.mla
        qk = x.qk_nope_head_dim + x.qk_rope_head_dim
        if x.q_lora_rank:
            # q_a_proj and q_a_layernorm are replicated in Megatron's MLA; q_b_proj is column-parallel.
            q = Part(0, h * x.q_lora_rank + x.q_lora_rank) + linear(x.q_lora_rank, a.heads * qk, False, True)
        else:
            q = linear(h, a.heads * qk, a.qkv_bias, True)
        kv_a = Part(0, h * (x.kv_lora_rank + x.qk_rope_head_dim) + x.kv_lora_rank)  # + kv_a_layernorm
        kv_b = linear(x.kv_lora_rank, a.heads * (x.qk_nope_head_dim + x.v_head_dim), False, True)
        o = linear(a.heads * x.v_head_dim, h, a.out_bias, False)
        return q + kv_a + kv_b + o
    q = linear(h, a.heads * a.head_dim, a.qkv_bias, True)
    kv = linear(h, 2 * a.kv_heads * a.head_dim, a.qkv_bias, True)
    o = linear(a.heads * a.head_dim, h, a.out_bias, False)
    qk_norm = Part(0, 2 * a.head_dim) if a.qk_norm else Part()
    return q + kv + o + qk_norm


def mlp_params(h: int, ffn: int, gated: bool, bias: bool) -> Part:
    up = linear(h, ffn * (2 if gated else 1), bias, True)
    down = linear(ffn, h, bias, False)
    return up + down


def params(layer: TransformerLayer, h: int) -> LayerParams:
    attention = attention_params(layer.attention, h) if layer.attention is not None else Part()
    norms = Part(0, layer.norms * h * layer.norm.width_factor)
    ffn = layer.ffn
    if isinstance(ffn, Mlp):
        return LayerParams(attention, mlp=mlp_params(h, ffn.ffn, ffn.gated, ffn.bias), norms=norms)
    if isinstance(ffn, Moe):
        expert = mlp_params(h, ffn.expert_ffn, ffn.gated, ffn.bias)
        shared = mlp_params(h, ffn.shared_ffn, ffn.gated, ffn.bias) if ffn.shared_ffn else Part()
        if ffn.shared_gate:
            shared = shared + Part(0, h)
        # DeepSeek-V3's e_score_correction_bias is a registered buffer in transformers, not a
        # parameter: it is not counted (experts floats per MoE layer, a few KiB).
        router = Part(0, h * ffn.experts)
        return LayerParams(attention, experts=expert.times(ffn.experts), shared_experts=shared, router=router,
                           norms=norms)
    return LayerParams(attention, norms=norms)


def flops(layer: TransformerLayer, lp: LayerParams) -> LayerFlops:
    experts = lp.experts.total * (layer.moe.top_k / layer.moe.experts) if layer.moe is not None else 0.0
    matmul = (lp.attention.total + lp.mlp.total + lp.shared_experts.total + lp.router.total + experts
              - lp.attention.replicated - lp.mlp.replicated)
    a = layer.attention
    if a is None:
        return LayerFlops(matmul, 0.0)
    if a.kind == "mla":
        width = a.heads * (a.mla.qk_nope_head_dim + a.mla.qk_rope_head_dim + a.mla.v_head_dim)
    else:
        width = 2 * a.heads * a.head_dim
    return LayerFlops(matmul, 2 * width)


def kv_per_token(layer: TransformerLayer, element_bytes: float, tp: int) -> float:
    """KV-cache bytes per token of context on one tensor-parallel rank (vLLM's layout).

    MLA caches the compressed latent and the shared rotary key, replicated on every rank
    (DeepSeek-V2, arXiv:2405.04434, sec. 2.1); MHA/GQA caches K and V for its KV heads, a KV head
    replicated when tp exceeds them.
    """
    a = layer.attention
    if a is None:
        return 0.0
    if a.kind == "mla":
        return (a.mla.kv_lora_rank + a.mla.qk_rope_head_dim) * element_bytes
    per_rank = max(1, a.kv_heads // tp) if a.kv_heads >= tp else 1
    return 2 * per_rank * a.head_dim * element_bytes


def cached_tokens(layer: TransformerLayer, context: float) -> float:
    """Tokens a layer keeps in its cache: a sliding window caps them."""
    a = layer.attention
    if a is None:
        return 0.0
    return min(context, a.window) if a.window else context


def op_selective_supported(layer: TransformerLayer) -> bool:
    """Whether torchtitan's per-op selective checkpointing is modelled for the layer: a sequential (not parallel)
    pre-norm layer of multi-head or grouped-query attention with separate q, k and v projections and a dense MLP
    (engine/activations_hf.py `op_selective`)."""
    a = layer.attention
    return (a is not None and a.kind == "mha" and isinstance(layer.ffn, Mlp) and not layer.parallel
            and not layer.post_norm and layer.code_path == "llama")


def matmuls_in_order(layer: TransformerLayer, h: int) -> list[tuple[str, int, int]]:
    """The layer's matrix multiplies as its forward issues them, (name, in features, out features): the
    attention's q, k, v and output projections, then the MLP's gate, up and down projections (plain: up, down).
    torchtitan's Attention and FeedForward (w1, w3, w2) and transformers' LlamaAttention and LlamaMLP (gate_proj,
    up_proj, down_proj) run them in this order."""
    a, f = layer.attention, layer.mlp.ffn
    out = [("q", h, a.heads * a.head_dim), ("k", h, a.kv_heads * a.head_dim), ("v", h, a.kv_heads * a.head_dim),
           ("output", a.heads * a.head_dim, h)]
    out += [("gate", h, f), ("up", h, f)] if layer.mlp.gated else [("up", h, f)]
    return out + [("down", f, h)]


def op_selective_saved_matmuls(layer: TransformerLayer, h: int) -> list[tuple[str, int, int]]:
    """The matrix multiplies whose outputs torchtitan's per-op policy keeps: the 1st, 3rd, 5th, ... of the layer
    (torchtitan/parallelisms/parallelize_llama.py `_custom_policy`: every aten.mm output is saved except each
    second one, counted per layer); the others are recomputed in backward."""
    return matmuls_in_order(layer, h)[0::2]


def op_selective_recomputed_matmuls(layer: TransformerLayer, h: int) -> list[tuple[str, int, int]]:
    return matmuls_in_order(layer, h)[1::2]
