"""Serving performance: time to first token, time per output token, throughput, cost.

Prefill is compute-bound: 2 x (parameters a token multiplies with) per
prompt token plus causal attention, at the achievable share of the dense
peak. Decode is bandwidth-bound at the batch sizes that serve chat: each
step streams the GPU's weights and the batch's KV cache from memory once
(Pope et al. 2022, "Efficiently Scaling Transformer Inference", sec. 2),
unless the compute of the step takes longer; tensor parallelism adds two
all-reduces per layer, whose latency dominates at these sizes.
"""

from __future__ import annotations


from capplan.core import constants as K
from capplan.engine.inference import kv_bytes, paged, streamed_at
from capplan.engine.timing import compute_precision, flops_per_token
from capplan.ir.plan import Inference


def serving_peak(w: Inference, mem: dict) -> tuple[str, float | None]:
    """The precision a serving replica's matmuls run in (fp8 when the weights are fp8, else the recipe's
    compute precision, else bf16) and the GPU's dense peak for it (bf16's when the GPU gives none)."""
    name = compute_precision(w.precision) if w.precision is not None else "bf16"
    if mem["weights_format"].name.startswith("fp8"):
        name = "fp8"
    gpu = w.hardware.gpu
    return name, gpu.peak.get(name) or gpu.peak.get("bf16")


def serving_time(w: Inference, mem: dict) -> dict:
    m, gpu, fw = w.model, w.hardware.gpu, w.framework
    pc = mem["params"]
    if pc is None:
        return {"unavailable": "the model is a bare parameter count: FLOPs need an architecture"}
    prec_name, peak = serving_peak(w, mem)
    if not peak:
        return {"unavailable": f"gpu `{gpu.name}` gives no dense `peak.{prec_name}`"}
    tp, pp = w.tensor, w.pipeline
    ranks = tp * pp
    bandwidth = gpu.bandwidth * fw.constant(K.BANDWIDTH_EFFICIENCY)
    efficiency = fw.constant(K.MATMUL_EFFICIENCY)
    allreduce = fw.constant(K.ALLREDUCE_LATENCY) + fw.constant(K.ALLREDUCE_WAIT)   # kernel + the ranks' wait
    prompt = w.prompt or w.context
    output = w.output or 1.0
    f = flops_per_token(m, pc, 1.0)
    attention_width = f.attention_per_token / 2  # per token per unit of context (2 * width per layer...)

    def prefill_flops(tokens: float) -> float:
        # causal attention: token i attends to i tokens, so on average tokens / 2
        return 2 * f.matmul_params * tokens + attention_width * 2 * tokens * tokens / 2

    ttft = prefill_flops(prompt) / (ranks * peak * efficiency)
    ttft += 2 * m.depth * allreduce if tp > 1 else 0.0
    if w.mode == "forward":  # one pass over batch x prompt tokens: a time per pass, no decode
        forward_s = w.batch * prefill_flops(prompt) / (ranks * peak * efficiency) + (
            2 * m.depth * allreduce if tp > 1 else 0.0)
        return {"compute_precision": prec_name, "forward_s": forward_s, "sequences_per_s": w.batch / forward_s,
                "not_applicable": True, "unavailable": "not applicable: mode = forward generates no token (no "
                                                       "time to first token, time per output token or output "
                                                       "throughput)"}
    if w.output == 0:
        return {"compute_precision": prec_name, "ttft_s": ttft,
                "not_applicable": True,
                "unavailable": "not applicable: output = 0 is a prefill only (no time per output token)"}

    def tpot(batch: int, context: float) -> float:
        # a token crosses every stage in turn: the weights it streams are all stages' (less the embedding lookup;
        # of an MoE model's routed experts, those the batch's tokens were routed to)
        kv = kv_bytes(m, mem["kv_format"], tp, pp, paged(context, mem["block"]), batch)
        memory_time = (streamed_at(mem, batch) + kv * pp) / bandwidth
        compute_time = (2 * f.matmul_params * batch + attention_width * 2 * batch * context) / (
            ranks * peak * efficiency)
        comm = 2 * m.depth * allreduce if tp > 1 else 0.0
        return max(memory_time, compute_time) + comm

    context_mid = prompt + output / 2  # the KV cache grows during generation: its mean length
    batch = w.batch
    step = tpot(batch, context_mid)
    out = {
        "compute_precision": prec_name, "ttft_s": ttft, "tpot_s": step,
        "tokens_per_s": batch / step,
        "bound": "memory" if _memory_bound(step, tpot, batch, context_mid, mem, m, bandwidth, pp) else "compute",
    }
    out["roofline"] = roofline(w, mem, f, prefill_flops(prompt), batch, context_mid, peak)
    if w.output:  # request figures need a request shape: prompt and output lengths
        out["request_s"] = ttft + output * step
        out["requests_per_s"] = batch / (ttft + output * step)
    best = _best_batch(w, mem, tpot, context_mid, ttft, output)
    if not w.output:
        best.pop("best_requests_per_s", None)
    out.update(best)
    price = w.hardware.price
    if price:
        per_s = price * ranks  # USD per second for the replica
        out["cost_per_mtok_usd"] = per_s / out["tokens_per_s"] * 1e6
    return out


ROOFLINE_SOURCE = "Williams, Waterman & Patterson 2009, 'Roofline' (CACM 52(4)); Pope et al. 2022 (arXiv:2211.05102) sec. 2"


def roofline(w: Inference, mem: dict, f, prompt_flops: float, batch: int, context: float, peak: float) -> dict:
    """Where prefill (one prompt) and decode (one step of the plan's batch at the mean context) sit on the
    GPU's roofline: FLOPs per byte of memory traffic per GPU (weights read once, plus the KV cache written
    by prefill or read by decode) against the ridge point, the data sheet's dense peak over its bandwidth."""
    m, gpu = w.model, w.hardware.gpu
    tp, pp = w.tensor, w.pipeline
    ranks = tp * pp
    prompt = w.prompt or w.context
    attention_width = f.attention_per_token / 2
    phases = {
        "prefill": (prompt_flops / ranks, streamed_at(mem, prompt) / pp + kv_bytes(m, mem["kv_format"], tp, pp,
                                                                                  prompt, 1)),
        "decode": ((2 * f.matmul_params * batch + attention_width * 2 * batch * context) / ranks,
                   streamed_at(mem, batch) / pp + kv_bytes(m, mem["kv_format"], tp, pp, paged(context, mem["block"]),
                                                          batch)),
    }
    ridge = peak / gpu.bandwidth
    out = {"ridge_flops_per_byte": ridge, "peak_flops": peak}
    for name, (flops, nbytes_) in phases.items():
        intensity = flops / nbytes_ if nbytes_ else 0.0
        out[name] = {"flops_per_byte": intensity, "attainable_flops": min(peak, intensity * gpu.bandwidth),
                     "bound": "compute" if intensity >= ridge else "memory"}
    return out


def _memory_bound(step, tpot, batch, context, mem, m, bandwidth, pp) -> bool:
    kv = kv_bytes(m, mem["kv_format"], 1, 1, context, batch)
    return (streamed_at(mem, batch) + kv * pp) / bandwidth >= step * K.MEMORY_BOUND_SHARE.value


def _best_batch(w: Inference, mem: dict, tpot, context: float, ttft: float, output: float) -> dict:
    """The batch that maximises throughput within the memory fit and the latency targets."""
    limit = mem["max_batch"]
    target_tpot, target_ttft = w.target_tpot, w.target_ttft
    best = None
    if limit >= 1 and (target_ttft is None or ttft <= target_ttft):
        candidates = sorted({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, limit} & set(range(1, limit + 1)))
        for b in candidates:
            step = tpot(b, context)
            if target_tpot is not None and step > target_tpot:
                break
            best = (b, step)
    if best is None:
        return {"best_batch": 0, "best_tokens_per_s": 0.0}
    b, step = best
    return {"best_batch": b, "best_tokens_per_s": b / step, "best_tpot_s": step,
            "best_requests_per_s": b / (ttft + output * step)}
