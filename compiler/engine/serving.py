"""Serving performance at the plan's stated batch: time to first token, time per output token,
throughput, cost, the best decode batch.

These are the closed-form figures of one replica, built from the same iteration cost as the
continuous-batching simulation (capplan.engine.serving_cost: linear layers and attention each at
their own roofline, the TP all-reduces, the host's time per iteration and per sequence), so an
unloaded plan and the simulation of one request agree:

* time to first token: one request on an idle replica: the front end's `request_overhead`, then its
  prompt in chunks of the scheduler's token budget (`max_num_batched_tokens`), one iteration each;
* time per output token: one decode iteration of the plan's batch at the mean context (prompt +
  output / 2), no other request's prefill beside it;
* the best batch: the decode batch of 1, 2, 4, ... up to what memory and `max_num_seqs` allow with
  the most tokens/s whose time per token meets the targets.

Other requests' prefills, queueing and preemption are the simulation's (`serving.load`,
capplan.engine.serving_sim), which sizes fleets where the plan has a request shape.
"""

from __future__ import annotations

from capplan.core import constants as K
from capplan.engine.inference import kv_bytes, paged, streamed_at
from capplan.engine.serving_cost import IterationCost, iteration_cost
from capplan.engine.serving_sim import limits_of
from capplan.ir.plan import Inference


def serving_time(w: Inference, mem: dict) -> dict:
    cost = iteration_cost(w, mem)
    if isinstance(cost, str):
        return {"unavailable": cost}
    lim = limits_of(w, mem)
    prompt = int(w.prompt or w.context)
    output = w.output or 1.0
    if w.mode == "forward":  # one pass over batch x prompt tokens: a time per pass, no decode
        b = w.batch
        forward_s = cost.seconds(b * prompt, b * prompt * (prompt + 1) / 2, b * prompt, b)
        return {"compute_precision": cost.precision, "forward_s": forward_s, "sequences_per_s": b / forward_s,
                "not_applicable": True, "unavailable": "not applicable: mode = forward generates no token (no "
                                                       "time to first token, time per output token or output "
                                                       "throughput)"}
    ttft = lim.front_end + cost.prefill_seconds(prompt, lim.budget)
    if w.output == 0:
        return {"compute_precision": cost.precision, "ttft_s": ttft,
                "not_applicable": True,
                "unavailable": "not applicable: output = 0 is a prefill only (no time per output token)"}
    context_mid = prompt + output / 2  # the KV cache grows during generation: its mean length
    batch = w.batch
    step = cost.decode_seconds(batch, context_mid)
    out = {
        "compute_precision": cost.precision, "ttft_s": ttft, "tpot_s": step,
        "tokens_per_s": batch / step,
        "bound": "memory" if _memory_bound(cost, batch, context_mid, step) else "compute",
        "parts": {"ttft_front_end_s": lim.front_end, "ttft_prefill_s": ttft - lim.front_end,
                  **{f"tpot_{k}": v for k, v in cost.decode_parts(batch, context_mid).items()}},
    }
    out["roofline"] = roofline(w, mem, cost, batch, context_mid)
    if w.output:  # request figures need a request shape: prompt and output lengths
        out["request_s"] = ttft + output * step
        out["requests_per_s"] = batch / (ttft + output * step)
    best = _best_batch(w, cost, min(mem["max_batch"], lim.max_seqs), context_mid, ttft, output)
    if not w.output:
        best.pop("best_requests_per_s", None)
    out.update(best)
    price = w.hardware.price
    if price:
        per_s = price * w.tensor * w.pipeline  # USD per second for the replica
        out["cost_per_mtok_usd"] = per_s / out["tokens_per_s"] * 1e6
    return out


ROOFLINE_SOURCE = "Williams, Waterman & Patterson 2009, 'Roofline' (CACM 52(4)); Pope et al. 2022 (arXiv:2211.05102) sec. 2"


def roofline(w: Inference, mem: dict, cost: IterationCost, batch: int, context: float) -> dict:
    """Where prefill (one prompt) and decode (one step of the plan's batch at the mean context) sit on the
    GPU's roofline: FLOPs per byte of memory traffic per GPU (weights read once, plus the KV cache written
    by prefill or read by decode) against the ridge point, the data sheet's dense peak over its bandwidth."""
    m, gpu = w.model, w.hardware.gpu
    tp, pp = w.tensor, w.pipeline
    ranks = tp * pp
    prompt = int(w.prompt or w.context)
    prompt_flops = cost.matmul_flops * prompt + cost.attention_flops * prompt * (prompt + 1) / 2
    phases = {
        "prefill": (prompt_flops / ranks, streamed_at(mem, prompt) / pp + kv_bytes(m, mem["kv_format"], tp, pp,
                                                                                  prompt, 1)),
        "decode": ((cost.matmul_flops * batch + cost.attention_flops * batch * context) / ranks,
                   streamed_at(mem, batch) / pp + kv_bytes(m, mem["kv_format"], tp, pp, paged(context, mem["block"]),
                                                          batch)),
    }
    peak = cost.peak
    ridge = peak / gpu.bandwidth
    out = {"ridge_flops_per_byte": ridge, "peak_flops": peak}
    for name, (flops, nbytes_) in phases.items():
        intensity = flops / nbytes_ if nbytes_ else 0.0
        out[name] = {"flops_per_byte": intensity, "attainable_flops": min(peak, intensity * gpu.bandwidth),
                     "bound": "compute" if intensity >= ridge else "memory"}
    return out


def _memory_bound(cost: IterationCost, batch: float, context: float, step: float) -> bool:
    """Streaming the weights and the KV cache takes at least `memory_bound_share` of the decode step."""
    parts = cost.decode_parts(batch, context)
    return parts["linear_memory_s"] + parts["attention_memory_s"] >= step * K.MEMORY_BOUND_SHARE.value


def _best_batch(w: Inference, cost: IterationCost, limit: int, context: float, ttft: float, output: float) -> dict:
    """The decode batch that maximises throughput within `limit` (the memory fit and max_num_seqs) and the
    latency targets."""
    target_tpot, target_ttft = w.target_tpot, w.target_ttft
    best = None
    if limit >= 1 and (target_ttft is None or ttft <= target_ttft):
        candidates = sorted({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, limit} & set(range(1, limit + 1)))
        for b in candidates:
            step = cost.decode_seconds(b, context)
            if target_tpot is not None and step > target_tpot:
                break
            best = (b, step)
    if best is None:
        return {"best_batch": 0, "best_tokens_per_s": 0.0}
    b, step = best
    return {"best_batch": b, "best_tokens_per_s": b / step, "best_tpot_s": step,
            "best_requests_per_s": b / (ttft + output * step)}
