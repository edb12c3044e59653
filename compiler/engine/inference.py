"""Inference memory per GPU: weights, KV cache, prefill activations, logits, runtime.

The budget follows vLLM: the server may use `memory_utilization` of the
GPU's memory (gpu_memory_utilization); weights, the activation peak of one
profiling forward pass and the runtime overheads come off the top, and what
is left holds the KV cache. A plan fits when its KV cache fits in what is left.

Beside vLLM's paged recipe, transformers' own: generation with a DynamicCache (grown by torch.cat)
or a StaticCache (allocated whole), and a forward pass that keeps every position's logits
(`mode = forward`), each measured with MemTracker (validation/data/inference_recipes.json).
"""

from __future__ import annotations

import math
from collections import Counter

from capplan.check.values import Format
from capplan.core import constants as K
from capplan.engine.formats import nbytes
from capplan.engine.layers import cached_tokens, kv_per_token, state_per_sequence
from capplan.engine.params import ParamCount, count
from capplan.ir.blocks import TransformerLayer
from capplan.ir.model import Model
from capplan.ir.plan import Inference

KV_CAPACITY_SOURCE = ("vLLM v0.7.3: Worker.determine_num_available_blocks (vllm/worker/worker.py), "
                      "num_gpu_blocks = available_kv_cache_memory // cache_block_size; "
                      "CacheEngine.get_cache_block_size (vllm/worker/cache_engine.py)")
QUANTIZED = {"int8", "int4", "nf4", "fp4", "fp8", "fp8_e4m3", "fp8_e5m2"}


def weight_bytes(m: Model, pc: ParamCount | None, fmt: Format, dense_fmt: str, tp: int,
                 pp: int) -> tuple[float, str]:
    """Weight bytes per GPU of the first stage (stages are alike; the head's stage is compared too).

    Quantized formats apply to the linear layers of the decoder blocks; embeddings, head, norms
    and routers stay in the dense format, as GPTQ/AWQ/bitsandbytes checkpoints keep them.
    """
    if pc is None:
        return m.params * nbytes(fmt) / (tp * pp), "params x bytes(weights) / (tp x pp)"
    q = fmt.name in QUANTIZED
    qb, db = nbytes(fmt), nbytes(dense_fmt)
    layer_bytes = 0.0
    per_stage = math.ceil(m.depth / pp)
    for i in range(per_stage):
        layer = pc.layer(i)
        linear = (layer.attention.sharded / tp + layer.mlp.sharded / tp + layer.experts.sharded / tp
                  + layer.shared_experts.sharded / tp + layer.mixer.sharded / tp)
        whole = (layer.attention.replicated + layer.mlp.replicated + layer.norms.replicated
                 + layer.router.replicated + layer.experts.replicated + layer.shared_experts.replicated
                 + layer.mixer.replicated)
        if q:
            layer_bytes += linear * qb + whole * db
        else:
            layer_bytes += (linear + whole) * qb
    edge = pc.embedding.per_rank(tp) + (pc.head.per_rank(tp) + pc.final_norm.replicated if pp == 1 else 0)
    edge_bytes = edge * (db if q else qb)
    formula = ("decoder linear layers x bytes(weights) + embeddings, head and norms x bytes(dense)"
               if q else "params on the rank x bytes(weights)")
    return layer_bytes + edge_bytes, formula


def streamed_weight_bytes(m: Model, pc: ParamCount | None, fmt: Format, dense_fmt: str, tp: int, pp: int,
                          weights: float) -> float:
    """Weight bytes one forward pass reads per tensor-parallel rank, over all pipeline stages, from the
    first stage's `weights` (stages are alike): every weight once except the embeddings (token table,
    learned positions), which a pass indexes one row per token (torch.nn.Embedding, Megatron-LM's
    VocabParallelEmbedding: a lookup, not a matrix product; an embedding norm's 2 x hidden are left out
    with them); a tied table is still read once, as the output head (the logits' GEMM)."""
    if pc is None:
        return weights * pp
    edge = nbytes(dense_fmt) if fmt.name in QUANTIZED else nbytes(fmt)
    lookup = pc.embedding.per_rank(tp) * edge   # the token table is vocab-parallel across the TP ranks
    head = pc.embedding.sharded / tp * edge if m.head.tied else 0.0
    if pp == 1:
        return weights - lookup + head
    head = head or pc.head.per_rank(tp) * edge  # the last stage's head and final norm
    return (weights - lookup) * pp + head + pc.final_norm.replicated * edge


def routed_expert_bytes(pc: ParamCount | None, fmt: Format, dense_fmt: str, tp: int) -> tuple[float, float]:
    """Bytes per tensor-parallel rank of the routed experts of every MoE layer, and the chance that one
    token's routing leaves a given expert unread (1 - top_k / experts; 1 for a dense model)."""
    if pc is None:
        return 0.0, 1.0
    edge = nbytes(dense_fmt) if fmt.name in QUANTIZED else nbytes(fmt)
    total, miss = 0.0, 1.0
    for layer, lp, n in pc.counts():
        moe = layer.moe if isinstance(layer, TransformerLayer) else None
        if moe is not None:
            total += n * (lp.experts.sharded / tp * nbytes(fmt) + lp.experts.replicated * edge)
            miss = 1 - moe.top_k / moe.experts
    return total, miss


def streamed(weights: float, experts: float, miss: float, tokens: float) -> float:
    """Weight bytes an iteration of `tokens` tokens streams (all stages, per TP rank), of `weights` streamed
    whole of which `experts` are routed experts: the dense weights once, and of the routed experts those some
    token was routed to. With balanced routing (each token picks top_k of the experts, each expert with chance
    top_k / experts, tokens independently) an expert is left unread by all `tokens` with chance
    miss^tokens, miss = 1 - top_k / experts: one token reads exactly its top_k experts, a large batch nearly
    all of them."""
    return weights - experts * miss ** max(tokens, 1.0) if experts else weights


def streamed_at(mem: dict, tokens: float) -> float:
    """`streamed` for a plan's inference memory (its "weights_streamed", "experts_streamed", "expert_miss")."""
    return streamed(mem["weights_streamed"], mem["experts_streamed"], mem["expert_miss"], tokens)


def first_stage(m: Model, pp: int) -> dict[int, int]:
    """Layers of each kind on the first pipeline stage (ceil(L / pp)): the cache is sized for it.
    The kinds in the order of their first layer (Counter keeps it, and counts in C)."""
    return Counter(m.stack[:math.ceil(m.depth / pp)] if m.stack else ())


def kv_bytes(m: Model, fmt, tp: int, pp: int, context: float, batch: float = 1) -> float:
    """Cache bytes of `batch` sequences of `context` tokens on one GPU of the first stage: K and V
    per token for attention layers (a sliding window caps the tokens), a fixed state per sequence
    for state-space layers."""
    b = nbytes(fmt)
    total = 0.0
    for kind, n in first_stage(m, pp).items():
        layer = m.blocks[kind]
        total += n * (kv_per_token(layer, b, tp) * cached_tokens(layer, context) + state_per_sequence(layer, b, tp))
    return batch * total


def kv_capacity(m: Model, fmt, tp: int, pp: int, block: float, batch: int, room: float) -> dict:
    """How much KV cache fits in `room` bytes (the budget less weights, activation peak and the runtime's
    own memory at the plan's batch: CUDA context, communicators, CUDA graphs), counted as vLLM counts it: the room, less the fixed state of the
    batch's sequences (state-space layers), divided by the bytes of one paged block, the K and V of
    `block` tokens in every attention layer of the first stage (sliding windows are not discounted:
    a page holds every layer's tokens).

    vLLM: `Worker.determine_num_available_blocks` (vllm/worker/worker.py) sets
    num_gpu_blocks = available_kv_cache_memory // cache_block_size, and
    `CacheEngine.get_cache_block_size` (vllm/worker/cache_engine.py) sizes a block as
    block_size x layers x 2 x kv_heads x head_size x bytes(kv); vLLM v0.7.3."""
    b = nbytes(fmt)
    per_token = state = 0.0
    for kind, n in first_stage(m, pp).items():
        layer = m.blocks[kind]
        per_token += n * kv_per_token(layer, b, tp)
        state += n * state_per_sequence(layer, b, tp)
    kv_room = max(0.0, room - batch * state)
    block_bytes = per_token * block
    blocks = int(kv_room // block_bytes) if block_bytes > 0 else 0
    return {"tokens": int(blocks * block), "blocks": blocks, "block_tokens": int(block),
            "block_bytes": block_bytes, "per_token_bytes": per_token, "room_bytes": kv_room}


def paged(tokens: float, block: float) -> float:
    return math.ceil(tokens / block) * block


def prefill_activation_bytes(m: Model, tokens: float, beta: float, tp: int, kernel: str = "flash",
                             sequence: float = 0.0, transformers: bool = False, keys: float = 0.0,
                             attention_only: bool = False) -> float:
    """Activation peak of one prefill forward pass (no autograd: only the live tensors).

    Residual stream and norm output (2 x h), then the larger of attention and the MLP
    intermediate (gated: gate, up and their product alive at once). Flash/SDPA attention holds
    q, k, v and the output; eager attention (transformers) also materialises, per head, the
    s x s scores, their sum with the causal mask, the fp32 softmax and its cast (3 beta + 4 bytes),
    k and v expanded to all heads, and the [s, s] mask itself (validated against MemTracker).
    With `transformers` (its own code paths: mode = forward, cache = dynamic or static), two more
    streams are alive during the MLP (2 x h): the embeddings, which the model's forward keeps in
    `inputs_embeds`, and the layer's input, which the decoder loop holds until the layer returns
    (transformers 5.23 modeling_llama.LlamaModel.forward; MemTracker puts the prefill peak in the
    last layer's MLP at exactly tokens x (4 h + 3 ffn) x bytes plus the rotary tables); and the
    rotary tables (cos and sin, [1, s, head_dim] in the model's format) with the int64 positions
    live for the whole pass: s x (2 head_dim x bytes + 8). The paged (vLLM) recipe keeps the
    2 x h stream, vLLM's layers passing (hidden, residual) pairs. `keys` (default: the sequence) is
    how many keys eager attention sees: a StaticCache hands it the whole preallocated context
    (sdpa slices the keys to the queries when no mask is given: integrations/sdpa_attention.py).
    `attention_only` leaves the MLP and mixers out: what is alive inside attention. Under eager
    attention transformers' decoder layer keeps the attention probabilities (heads x s x keys) and the
    model the mask (s x keys) alive through the MLP (MemTracker: 34 bytes per s x s at 16 heads, bf16).
    """
    if m.hidden is None or not m.blocks:
        return 0.0
    h = m.hidden
    widest = rope = 0.0
    seen = keys or sequence
    for layer in m.kinds():
        if not isinstance(layer, TransformerLayer):
            if attention_only:
                continue
            s = layer.mixer
            widest = max(widest, tokens * beta * (2 * s.inner + 2 * s.groups * s.state + s.heads
                                                  + s.conv_channels) / tp)
            continue
        a, ffn = layer.attention, layer.ffn
        if a is not None:
            if a.rope and transformers:
                rope_dim = a.mla.qk_rope_head_dim if a.kind == "mla" else a.head_dim
                rope = max(rope, (sequence or tokens) * (2 * rope_dim * beta + 8))
            if a.kind == "mla":
                attn = a.heads * (2 * (a.mla.qk_nope_head_dim + a.mla.qk_rope_head_dim) + 2 * a.mla.v_head_dim) / tp
            else:
                attn = (2 * a.heads + 2 * a.kv_heads) * a.head_dim / tp
            attention_bytes = tokens * beta * attn
            if kernel == "eager" and sequence:
                seqs = tokens / sequence
                attention_bytes = ((tokens + seqs * seen) * beta * 2 * a.heads * a.head_dim / tp
                                   + seqs * (a.heads / tp) * sequence * seen * (3 * beta + 4)
                                   + seqs * sequence * seen * beta)
            widest = max(widest, attention_bytes)
        if ffn is not None and not attention_only:
            width = ffn.expert_ffn * ffn.top_k if layer.moe is not None else ffn.ffn
            streams = 2 * h if transformers else 0
            mlp = tokens * beta * (streams + (3 if ffn.gated else 2) * width / tp)
            if transformers and kernel == "eager" and sequence and a is not None and a.kind != "mla":
                # the decoder layer keeps eager attention's probabilities (`hidden_states, _ = self_attn(...)`)
                # and the model its [s, keys] mask through the MLP
                mlp += tokens / sequence * sequence * seen * beta * (a.heads / tp + 1)
            widest = max(widest, mlp)
    return tokens * beta * 2 * h + widest + rope


def decode_step_bytes(m: Model, fmt, beta: float, tp: int, pp: int, cached: float, batch: int,
                      kernel: str, static: bool = False) -> float:
    """Transient bytes of a decode step with transformers' DynamicCache whose layers hold `cached` tokens,
    beyond the cache grown by the step's token (`static`: a StaticCache of `cached` tokens, written in
    place by index_copy_, so no concatenation): the largest of

    * inside a layer's attention, the step's streams (embeddings, layer input, norm output: 2 h counted
      with the norm's input, q, k and v after rotary, the rotary tables) plus the larger of
      - the concatenation: DynamicLayer.update sets keys = torch.cat([keys, new]), then values
        likewise, so while the values are copied the layer's old values are alive beside the new ones
        (transformers 5.23 cache_utils.py, DynamicLayer.update): half of one layer's cache;
      - eager attention: repeat_kv copies the layer's keys and values to every query head, and the
        scores, their masked sum, the fp32 softmax and its cast hold batch x heads x (cached + 1) x
        (3 bytes + 4) (sdpa runs GQA without copies for one query token: integrations/sdpa_attention.py,
        pack_gqa / enable_gqa);
    * the step's MLP (one token per sequence);
    * the sampled logits: generate() copies the last logits to fp32 while the model's output is alive
      (generation/utils.py, GenerationMixin._sample).
    """
    b = nbytes(fmt)
    streams = prefill_activation_bytes(m, batch, beta, tp, "flash", 1, True, attention_only=True)
    worst = 0.0
    for kind in first_stage(m, pp):
        layer = m.blocks[kind]
        a = getattr(layer, "attention", None)
        if a is None:
            continue
        keys = cached_tokens(layer, cached)
        held = 0.0 if static else batch * kv_per_token(layer, b, tp) * keys / 2
        if kernel == "eager" and a.kind != "mla":
            held = max(held, batch * a.heads / tp * (keys + 1) * (2 * a.head_dim * beta + 3 * beta + 4))
        worst = max(worst, held + streams)
    step = prefill_activation_bytes(m, batch, beta, tp, kernel, 1, True)
    logits = batch * m.vocab / tp * (beta + 4) if m.vocab else 0.0
    return max(worst, step, logits)


def forward_logits_bytes(m: Model, tokens: float, beta: float, tp: int, loss: bool) -> float:
    """What a forward pass that keeps every position's logits holds after its last layer: the final norm's
    output (tokens x h) and the logits (tokens x vocab) in the model's format; with the loss,
    transformers' ForCausalLMLoss adds an fp32 copy of the logits and cross_entropy its fp32 log_softmax
    (transformers 5.23 loss/loss_utils.py; MemTracker: tokens x (h x bytes + vocab x (bytes + 8)))."""
    return tokens * (m.hidden * beta + m.vocab / tp * (beta + (8 if loss else 0)))


def comm_groups(tp: int) -> int:
    """Communicators of more than one GPU that a serving GPU joins: its tensor-parallel group. Pipeline stages
    exchange activations point to point, which vLLM measures as no non-torch memory (0.07 GiB at PP 2 and 4
    against 0.25 GiB at PP 1: K.NCCL_MEMORY's source), so they add none."""
    return 1 if tp > 1 else 0


def nccl_bytes(fw, tp: int) -> float:
    """Non-torch memory of the communicators a GPU joins: framework.nccl_memory for each group of more than one."""
    return comm_groups(tp) * fw.constant(K.NCCL_MEMORY)


def inference_memory(w: Inference, limits: bool = True) -> dict:
    """The plan's memory per GPU at its own batch and context; with `limits` (the default) also the
    largest batch and the longest context that fit (searches of ~40 re-evaluations each). Without
    them "max_batch", "max_context" and "caps" are None (the memory curves need only the total)."""
    m, fw = w.model, w.framework
    tp, pp = w.tensor, w.pipeline
    weights_fmt, kv_fmt, dense_fmt = w.weights, w.kv_cache, w.dense
    pc = count(m) if m.is_architecture else None
    beta = nbytes(dense_fmt)
    usable = w.hardware.gpu.usable
    budget = usable * w.memory_utilization
    # transformers' caches are not paged and prefill the whole prompt in one pass
    whole = w.mode == "forward" or w.cache != "paged"
    block = 1 if whole else (w.block_size or K.KV_BLOCK_TOKENS.value)
    chunk = math.inf if whole else (w.prefill_chunk or K.PREFILL_CHUNK_TOKENS.value)
    cuda_context = fw.constant(K.CUDA_CONTEXT)
    nccl = nccl_bytes(fw, tp)
    # vLLM captures CUDA graphs for decode; transformers' recipes run eagerly
    cuda_graphs = fw.constant(K.CUDA_GRAPHS) if not whole else 0.0
    runtime = cuda_context + nccl + cuda_graphs

    weights, weights_formula = weight_bytes(m, pc, weights_fmt, dense_fmt, tp, pp)

    def prompt_of(context: float) -> float:
        # a forward pass reads its whole context (the prompt); generation prefills the prompt
        return min(w.prompt, context) if w.prompt and w.mode == "generate" else context

    def activation_peak(batch: int, context: float) -> float:
        # the prefill of `batch` sequences of `context` tokens (the plan's prompt when it gives one)
        prompt = prompt_of(context)
        tokens = min(chunk, batch * prompt)
        sequence = min(chunk, prompt)
        keys = context if w.mode == "generate" and w.cache == "static" else 0.0
        layer = prefill_activation_bytes(m, tokens, beta, tp, fw.attention, sequence, whole, keys)
        if pc is None:
            return layer
        if w.mode == "forward":
            return max(layer, forward_logits_bytes(m, tokens, beta, tp, w.loss))
        logits_rows = batch if fw.last_logits_only else tokens
        logits = logits_rows * m.vocab / tp * (beta + 4)  # the logits and their fp32 copy for sampling
        # transformers: the logits come after the last layer's activations are freed (MemTracker: the prefill
        # peak is in the last layer); the paged recipe adds them, as vLLM's profiling pass is counted whole
        return max(layer, logits) if whole else layer + logits

    def kv(batch: int, context: float) -> float:
        return kv_bytes(m, kv_fmt, tp, pp, paged(context, block), batch)

    def at_peak(batch: int, context: float) -> tuple[float, float, str]:
        """(activations, KV cache) alive at the peak of the recipe, and its phase."""
        act = activation_peak(batch, context)
        if w.mode == "forward":
            return act, kv(batch, prompt_of(context)) if w.use_cache else 0.0, "forward"
        if w.cache == "paged":  # preallocated from the budget
            return act, kv(batch, context), "prefill"
        # static: allocated whole at the first step; dynamic: the prompt's cache during the prefill
        prefill = (act, kv(batch, context if w.cache == "static" else prompt_of(context)), "prefill")
        if not w.output or context <= prompt_of(context):
            return prefill
        static = w.cache == "static"
        step = decode_step_bytes(m, kv_fmt, beta, tp, pp, context if static else context - 1, batch,
                                 fw.attention, static)
        decode = (step, kv(batch, context), "decode")
        return max(prefill, decode, key=lambda p: p[0] + p[1])

    def phase_peaks(batch: int, context: float) -> dict[str, float]:
        """The peak of each phase of a transformers generation (the reported peak is their maximum)."""
        if w.mode == "forward" or w.cache == "paged" or not w.output:
            return {}
        act = activation_peak(batch, context)
        static = w.cache == "static"
        step = decode_step_bytes(m, kv_fmt, beta, tp, pp, context if static else context - 1, batch,
                                 fw.attention, static)
        base = weights + runtime
        return {"prefill": base + act + kv(batch, context if static else prompt_of(context)),
                "decode": base + step + kv(batch, context)}

    def needed(batch: int, context: float) -> float:
        act, cache, _ = at_peak(batch, context)
        return weights + act + runtime + cache

    batch, context = w.batch, w.context
    act_now, kv_now, phase = at_peak(batch, context)
    total = weights + act_now + runtime + kv_now
    fits = total <= budget

    def search_limits() -> tuple[int, float, dict]:
        """The largest batch at the plan's context and the longest context at its batch that fit, and
        the bounds that stopped the searches."""
        max_batch, batch_bound = 0, 1 << 24  # the search's own bound, stated in `caps` when reached
        if pc is not None:
            lo, hi = 0, 1
            while needed(hi, context) <= budget and hi < batch_bound:
                lo, hi = hi, hi * 2
            if hi >= batch_bound and needed(hi, context) <= budget:
                lo = hi
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if needed(mid, context) <= budget else (lo, mid)
            max_batch = lo
        # the longest context: never past the model's max_seq (positions beyond it are untrained, or have no
        # row in a learned table); a model without max_seq is searched up to MAX_CONTEXT_FACTOR x 2^20 tokens
        if m.max_seq:
            context_bound, bound_by = int(m.max_seq), "max_seq"
        else:
            context_bound, bound_by = (1 << 20) * int(K.MAX_CONTEXT_FACTOR.value), "max_context_factor"
        max_context = 0.0
        if pc is not None and needed(batch, min(block, context_bound)) <= budget:
            lo = hi = min(block, context_bound)
            while needed(batch, hi) <= budget and hi < context_bound:
                lo, hi = hi, min(hi * 2, context_bound)
            if needed(batch, hi) <= budget:
                lo = hi
            else:
                while hi - lo > block:
                    mid = paged((lo + hi) / 2, block)
                    lo, hi = (mid, hi) if needed(batch, mid) <= budget else (lo, mid)
            max_context = lo
        caps = {
            "max_context": {"limit": context_bound, "by": bound_by, "reached": bool(max_context >= context_bound)},
            "max_batch": {"limit": batch_bound, "by": "search_bound", "reached": bool(max_batch >= batch_bound)},
        }
        return max_batch, max_context, caps

    max_batch, max_context, caps = search_limits() if limits else (None, None, None)
    capacity = kv_capacity(m, kv_fmt, tp, pp, block, batch, budget - weights - act_now - runtime)
    return {
        "params": pc, "weights": weights, "weights_formula": weights_formula, "kv_cache": kv_now,
        "weights_streamed": streamed_weight_bytes(m, pc, weights_fmt, dense_fmt, tp, pp, weights),
        **dict(zip(("experts_streamed", "expert_miss"), routed_expert_bytes(pc, weights_fmt, dense_fmt, tp))),
        "activations": act_now, "cuda_context": cuda_context, "nccl": nccl, "cuda_graphs": cuda_graphs,
        "total": total, "budget": budget,
        "usable": usable, "fits": fits, "max_batch": max_batch, "max_context": max_context,
        "weights_format": weights_fmt, "kv_format": kv_fmt, "dense_format": dense_fmt, "block": block,
        "chunk": None if whole else chunk, "caps": caps, "kv_capacity": capacity, "peak_phase": phase,
        "kv_cache_final": kv(batch, context) if w.mode == "generate" else kv_now,
        "phase_peaks": phase_peaks(batch, context),
    }
