"""Inference memory per GPU: weights, KV cache, prefill activations, logits, runtime.

The budget follows vLLM: the server may use `memory_utilization` of the
GPU's memory (gpu_memory_utilization); weights, the activation peak of one
profiling forward pass and the runtime overheads come off the top, and what
is left holds the KV cache. A plan fits when its KV cache fits in what is left.
"""

from __future__ import annotations

import math

from capplan.check.values import Format, Obj
from capplan.engine import constants as K
from capplan.engine.formats import nbytes
from capplan.engine.params import ParamCount, count

QUANTIZED = {"int8", "int4", "nf4", "fp4", "fp8", "fp8_e4m3", "fp8_e5m2"}


def weight_bytes(m: Obj, pc: ParamCount | None, fmt: Format, dense_fmt: str, tp: int,
                 pp: int) -> tuple[float, str]:
    """Weights per GPU (the first pipeline stage when stages differ).

    Quantized formats apply to the linear layers of the decoder blocks; embeddings, head, norms
    and routers stay in the dense format, as GPTQ/AWQ/bitsandbytes checkpoints keep them.
    """
    if pc is None:
        return m.params * nbytes(fmt) / (tp * pp), "params x bytes(weights) / (tp x pp)"
    q = fmt.name in QUANTIZED
    qb, db = nbytes(fmt), nbytes(dense_fmt)
    layer_bytes = 0.0
    per_stage = math.ceil(m.layers / pp)
    for i in range(per_stage):
        layer = pc.layer(i)
        linear = (layer.attention.sharded / tp + layer.mlp.sharded / tp + layer.experts.sharded / tp
                  + layer.shared_experts.sharded / tp)
        whole = (layer.attention.replicated + layer.mlp.replicated + layer.norms.replicated
                 + layer.router.replicated + layer.experts.replicated + layer.shared_experts.replicated)
        if q:
            layer_bytes += linear * qb + whole * db
        else:
            layer_bytes += (linear + whole) * qb
    edge = pc.embedding.per_rank(tp) + (pc.head.per_rank(tp) + pc.final_norm.replicated if pp == 1 else 0)
    edge_bytes = edge * (db if q else qb)
    formula = ("decoder linear layers x bytes(weights) + embeddings, head and norms x bytes(dense)"
               if q else "params on the rank x bytes(weights)")
    return layer_bytes + edge_bytes, formula


def kv_bytes_per_token(m: Obj, fmt, tp: int, pp: int, context: float) -> float:
    """KV-cache bytes per sequence for `context` tokens, on one GPU (first stage)."""
    if m.layers is None:
        return 0.0
    per_stage = math.ceil(m.layers / pp)
    b = nbytes(fmt)
    if m.attention == "mla":
        # MLA caches the compressed latent and the shared rotary key; vLLM replicates it per TP rank
        width = m.mla.kv_lora_rank + m.mla.qk_rope_head_dim
        return per_stage * width * context * b
    kv_heads_per_rank = max(1, m.kv_heads // tp) if m.kv_heads >= tp else 1
    per_layer_token = 2 * kv_heads_per_rank * m.head_dim * b
    window_layers = 0
    if m.sliding_window is not None:
        window_layers = round(m.sliding_window_layers * per_stage / m.layers)
    full_layers = per_stage - window_layers
    windowed = min(context, m.sliding_window) if m.sliding_window else context
    return per_layer_token * (full_layers * context + window_layers * windowed)


def paged(tokens: float, block: float) -> float:
    return math.ceil(tokens / block) * block


def prefill_activation_bytes(m: Obj, tokens: float, beta: float, tp: int, kernel: str = "flash",
                             sequence: float = 0.0) -> float:
    """Peak transient activations of one layer's forward on `tokens` tokens (no autograd).

    Residual stream and norm output (2 x h), then the larger of attention and the MLP
    intermediate (gated: gate, up and their product alive at once). Flash/SDPA attention holds
    q, k, v and the output; eager attention (transformers) also materialises, per head, the
    s x s scores, their sum with the causal mask, the fp32 softmax and its cast (3 beta + 4 bytes),
    k and v expanded to all heads, and the [s, s] mask itself (validated against MemTracker).
    """
    if m.hidden is None:
        return 0.0
    h = m.hidden
    if m.attention == "mla":
        attn = m.heads * (2 * (m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim) + 2 * m.mla.v_head_dim) / tp
    else:
        attn = (2 * m.heads + 2 * m.kv_heads) * m.head_dim / tp
    ffn = m.moe.expert_ffn * m.moe.experts_per_token if m.moe.experts else m.ffn
    mlp = (3 if m.mlp == "gated" else 2) * ffn / tp
    attention_bytes = tokens * beta * attn
    if kernel == "eager" and sequence:
        seqs = tokens / sequence
        attention_bytes = (tokens * beta * 4 * m.heads * m.head_dim / tp
                           + seqs * (m.heads / tp) * sequence * sequence * (3 * beta + 4)
                           + seqs * sequence * sequence * beta)
    return tokens * beta * 2 * h + max(attention_bytes, tokens * beta * mlp)


def inference_memory(w: Obj) -> dict:
    m, p, fw = w.model, w.parallel, w.framework
    tp, pp = p.tensor, p.pipeline
    prec = w.precision
    weights_fmt = w.weights or (prec.weights if prec else None) or Format("bf16")
    dense_fmt = (prec.activations.name if prec and prec.activations else "bf16")
    kv_fmt = w.kv_cache or (prec.kv_cache if prec and prec.kv_cache else None) or Format(dense_fmt)
    architecture = m.layers is not None and m.hidden is not None and m.heads is not None
    pc = count(m) if architecture else None
    beta = nbytes(dense_fmt)
    gpu = w._gpu
    usable = gpu.memory_usable or gpu.memory
    budget = usable * w.memory_utilization
    block = w.block_size or K.KV_BLOCK_TOKENS
    chunk = w.prefill_chunk or K.PREFILL_CHUNK_TOKENS
    cuda_context = fw.cuda_context if fw.cuda_context is not None else K.CUDA_CONTEXT

    weights, weights_formula = weight_bytes(m, pc, weights_fmt, dense_fmt, tp, pp)

    def activation_peak(batch: int, context: float) -> float:
        # the prefill of `batch` sequences of `context` tokens (the plan's prompt when it gives one)
        prompt = min(w.prompt, context) if w.prompt else context
        tokens = min(chunk, batch * prompt)
        sequence = min(chunk, prompt)
        layer = prefill_activation_bytes(m, tokens, beta, tp, fw.attention, sequence)
        if pc is None:
            return layer
        logits_rows = batch if fw.last_logits_only else tokens
        return layer + logits_rows * m.vocab / tp * (beta + 4)  # logits and their fp32 copy for sampling

    def kv(batch: int, context: float) -> float:
        return batch * kv_bytes_per_token(m, kv_fmt, tp, pp, paged(context, block))

    def needed(batch: int, context: float) -> float:
        return weights + activation_peak(batch, context) + cuda_context + kv(batch, context)

    batch, context = w.batch, w.context
    kv_now = kv(batch, context)
    act_now = activation_peak(batch, context)
    total = weights + act_now + cuda_context + kv_now
    fits = total <= budget

    max_batch = 0
    if architecture:
        lo, hi = 0, 1
        while needed(hi, context) <= budget and hi < 1 << 24:
            lo, hi = hi, hi * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if needed(mid, context) <= budget else (lo, mid)
        max_batch = lo
    max_context = 0.0
    if architecture and needed(batch, block) <= budget:
        limit = float(m.max_seq or 1 << 20) * 64
        lo, hi = block, block
        while needed(batch, hi) <= budget and hi < limit:
            lo, hi = hi, hi * 2
        if hi >= limit and needed(batch, hi) <= budget:
            lo = hi
        else:
            while hi - lo > block:
                mid = paged((lo + hi) / 2, block)
                lo, hi = (mid, hi) if needed(batch, mid) <= budget else (lo, mid)
        max_context = lo
    return {
        "params": pc, "weights": weights, "weights_formula": weights_formula, "kv_cache": kv_now,
        "activations": act_now, "cuda_context": cuda_context, "total": total, "budget": budget,
        "usable": usable, "fits": fits, "max_batch": max_batch, "max_context": max_context,
        "weights_format": weights_fmt, "kv_format": kv_fmt, "dense_format": dense_fmt, "block": block,
        "chunk": chunk,
    }
