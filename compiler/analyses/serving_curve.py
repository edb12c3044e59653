"""Latency against load: a serving plan's simulated TTFT and TPOT percentiles at request rates from
light load up to its saturated rate (capplan.engine.serving_sim), for the report's latency chart.

Each point is the same simulation `capplan eval` runs at the plan's own rate (Poisson arrivals,
seed 0, `rate_trace` seconds of them), at a share of the rate the replica completes when every
request comes at once; past that rate the queue only grows. Computed for the report only (eval's
JSON carries the figures at the plan's rate).
"""

from __future__ import annotations

from capplan.core.records import Record, record
from capplan.engine.inference import inference_memory
from capplan.engine.serving_load import rate_trace, targets
from capplan.engine.serving_sim import saturated_rate, simulate
from capplan.ir.plan import Inference

SHARES = (0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 1.0)   # of the saturated rate


@record
class LatencyPoint(Record):
    rate: float                  # requests/s offered
    output_tokens_per_s: float
    ttft_p50: float
    ttft_p99: float
    tpot_p50: float
    tpot_p99: float
    attainment: float | None     # share of requests within every target (None without targets)

    def __init__(self, rate: float, output_tokens_per_s: float, ttft_p50: float, ttft_p99: float, tpot_p50: float,
                 tpot_p99: float, attainment: float | None) -> None:
        self.__dict__.update(rate=rate, output_tokens_per_s=output_tokens_per_s, ttft_p50=ttft_p50, ttft_p99=ttft_p99,
                             tpot_p50=tpot_p50, tpot_p99=tpot_p99, attainment=attainment)


def latency_curve(w: Inference) -> tuple[list[LatencyPoint], float] | None:
    """The points and the saturated rate, or None when the plan has no request shape or cannot be simulated."""
    if w.mode == "forward" or not (w.prompt and w.output):
        return None
    mem = inference_memory(w)
    if mem["max_batch"] < 1:
        return None
    saturated = saturated_rate(w, mem, rate_trace(w))
    if saturated <= 0:
        return None
    slo = targets(w)
    points = []
    for share in SHARES:
        rate = saturated * share
        f = simulate(w, mem, rate_trace(w, rate), slo or None)
        if "unavailable" in f or f.get("ttft_p50_s") is None or f.get("tpot_p50_s") is None:
            continue
        points.append(LatencyPoint(rate, f["output_tokens_per_s"], f["ttft_p50_s"], f["ttft_p99_s"],
                                   f["tpot_p50_s"], f["tpot_p99_s"], f.get("slo_attainment") if slo else None))
    return (points, saturated) if len(points) >= 2 else None
