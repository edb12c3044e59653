"""A serving plan under its stated load: the continuous-batching simulation (capplan.engine.serving_sim)
run on the plan's request shape, and the request rate one replica serves within the plan's targets.

The closed-form figures of capplan.engine.serving (one request's prefill, a decode step at the plan's
batch) describe an unloaded replica; what a fleet is sized on is the load: other requests' prefills
delay a new request's first token and slow every decode step. A plan states its load by its request
shape (`prompt`, `output`) and either a request rate (`requests`, Poisson arrivals) or `batch`
clients that each send the next request when the last one finishes.
"""

from __future__ import annotations

import math
from dataclasses import replace

from capplan.core import constants as K
from capplan.engine.serving_cost import iteration_cost
from capplan.engine.serving_sim import (Workload, limits_of, max_rate, plan_workload, saturated_rate, serves,
                                        simulate)
from capplan.ir.plan import Inference


def under_load(w: Inference, mem: dict) -> dict | None:
    """The simulated figures (serving_figures.figures) under the plan's load, with `workload` (what was
    simulated) and `max_requests_per_s` (the rate one replica serves with `slo_attainment` of its
    requests within the targets; without targets, the rate it completes at saturation);
    {"unavailable": why} when the plan does not say enough; None for recipes that serve no requests."""
    if w.mode == "forward" or w.output == 0:
        return None
    if not (w.prompt and w.output):
        return {"unavailable": "give the request shape (`prompt` and `output`) to simulate serving under load"}
    slo = targets(w)
    wl = plan_workload(w)
    res = simulate(w, mem, wl, slo or None)
    if "unavailable" in res:
        return res
    res = {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in res.items()}
    res["workload"] = {"prompt": wl.input, "output": wl.output, "requests": wl.requests,
                       "arrivals": "poisson" if w.requests else "closed loop",
                       "rate_per_s": w.requests or None, "concurrency": None if w.requests else wl.concurrency,
                       "scheduler": w.framework.scheduler}
    if w.requests:
        res.update(rate_per_replica(w, mem))
    res["band"] = band(res, closed_loop=not w.requests)
    return res


# figure kind of the validation corpus -> its (low, high) error constants, and the simulated figures it bands
BAND_KINDS = {
    "throughput": ((K.SERVING_BAND_THROUGHPUT_LOW, K.SERVING_BAND_THROUGHPUT_HIGH),
                   ("output_tokens_per_s", "total_tokens_per_s", "max_requests_per_s", "saturated_requests_per_s")),
    "ttft": ((K.SERVING_BAND_TTFT_LOW, K.SERVING_BAND_TTFT_HIGH),
             ("ttft_mean_s", "ttft_p50_s", "ttft_p90_s", "ttft_p99_s")),
    "itl": ((K.SERVING_BAND_ITL_LOW, K.SERVING_BAND_ITL_HIGH),
            ("tpot_mean_s", "tpot_p50_s", "tpot_p90_s", "tpot_p99_s", "itl_mean_s")),
}
BAND_FORMULA = ("predicted / (1 + e), e = the 90th (low end) and 10th (high end) percentiles of the signed error "
                "(predicted - published) / published of that kind of figure (throughput, TTFT, ITL) on the "
                "validation half of the published serving figures loaded as the plan is: at a request rate, or by "
                "clients at a fixed concurrency")


def band(res: dict, closed_loop: bool = False) -> dict:
    """The range each simulated figure's published counterpart fell in: a prediction that was e too high
    means the figure is predicted / (1 + e); `errors` holds the percentiles used: those of the published
    figures loaded as the plan is (a closed loop of clients: K.SERVING_BAND_CLOSED_LOOP, whose TTFT the
    simulation underestimates up to tenfold; `basis` says which)."""
    out = {"basis": "closed loop" if closed_loop else "request rate", "errors": {}}
    for kind, ((lo, hi), keys) in BAND_KINDS.items():
        if closed_loop:
            lo, hi = K.SERVING_BAND_CLOSED_LOOP[kind]
        out["errors"][kind] = {"low": lo.value, "high": hi.value}
        for key in keys:
            v = res.get(key)
            if isinstance(v, (int, float)) and v:
                out[key] = {"low": v / (1 + hi.value), "high": v / (1 + lo.value)}
    return out


def pessimistic(w: Inference, requests_per_s: float) -> tuple[Inference, float, dict]:
    """The plan and load a serving goal sizes a fleet on: the pessimistic end of the serving bands. The
    replica must carry the load x (1 + throughput error p90) (what it serves may be that much below the
    simulated), and meet each latency target x (1 + error p10) (what it takes may be that much above)."""
    k = {"requests": 1 + K.SERVING_BAND_THROUGHPUT_HIGH.value, "ttft": 1 + K.SERVING_BAND_TTFT_LOW.value,
         "tpot": 1 + K.SERVING_BAND_ITL_LOW.value}
    k = {key: round(v, 6) for key, v in k.items()}  # the band's three decimals, not 1 + 0.239's binary tail
    copy = replace(w, target_ttft=w.target_ttft * k["ttft"] if w.target_ttft else w.target_ttft,
                   target_tpot=w.target_tpot * k["tpot"] if w.target_tpot else w.target_tpot)
    return copy, requests_per_s * k["requests"], k


def targets(w: Inference) -> dict:
    """The plan's latency targets, keyed as the simulation takes them ({} without any)."""
    return {k: v for k, v in (("ttft", w.target_ttft), ("tpot", w.target_tpot)) if v}


def rate_trace(w: Inference, rate: float = math.inf) -> Workload:
    """The requests a rate is judged on: the plan's request shape arriving for `rate_trace` seconds
    (Poisson at `rate`; all at once when it is infinite)."""
    return Workload(int(w.prompt or w.context), int(w.output or 1), rate=rate,
                    duration=w.framework.constant(K.RATE_TRACE))


def rate_per_replica(w: Inference, mem: dict, search: bool = True) -> dict:
    """`max_requests_per_s` (the Poisson rate one replica serves with `slo_attainment` of its requests
    within the plan's targets), `saturated_requests_per_s` (the rate it completes when every request
    comes at once: an upper bound of the served rate) and `slo_attainment_target`; {"unavailable": why}
    where the plan cannot be simulated. search=False: the bound alone (the search is the slow part)."""
    cost = iteration_cost(w, mem)
    if isinstance(cost, str):
        return {"unavailable": cost}
    if limits_of(w, mem).blocks < 1:
        return {"unavailable": "no KV-cache block fits next to the weights"}
    slo = targets(w)
    attainment = w.framework.constant(K.SLO_ATTAINMENT)
    wl = rate_trace(w)
    saturated = saturated_rate(w, mem, wl)
    out = {"saturated_requests_per_s": saturated, "slo_attainment_target": attainment if slo else None}
    if search:
        rate = max_rate(w, mem, wl, slo, attainment=attainment, steps=8, saturated=saturated)
        out["max_requests_per_s"] = rate.get("max_requests_per_s")
    return out


def fewest_replicas(w: Inference, mem: dict, requests_per_s: float, tries: int = 12,
                    at_most: int | None = None, saturated: float | None = None) -> int | None:
    """The fewest replicas that serve `requests_per_s` (each replica then serves its share within the
    plan's targets, as `max_requests_per_s` judges a rate), searched upwards from the count the
    saturated rate allows (no fewer can serve): counts first, first + 1, + 2, + 4, ... until one serves,
    then bisection between the last that did not and that one (a share only gets easier as replicas
    are added). None when `tries` simulations find none (the caller then bisects for the rate), or,
    with `at_most`, when that many replicas do not serve it (then one simulation decides: what a caller
    that only wants fleets smaller than one it has asks). What a fleet is sized on, without the rate
    search. `saturated`: the replica's saturated rate, if the caller has it."""
    slo = targets(w)
    attainment = w.framework.constant(K.SLO_ATTAINMENT)
    wl = rate_trace(w)

    def ok(count: int) -> bool:
        return serves(w, mem, wl, slo, attainment, requests_per_s / count)
    if at_most is not None and (at_most < 1 or not ok(at_most)):
        return None
    saturated = saturated_rate(w, mem, wl) if saturated is None else saturated
    if saturated <= 0:
        return None
    first = max(1, math.ceil(requests_per_s / saturated - 1e-9))
    if at_most is not None:
        if at_most < first:
            return None
        below, count, used = first - 1, at_most, 1
    else:
        below, step, used, count = first - 1, 1, 0, first
        while True:
            used += 1
            if ok(count):
                break
            if used >= tries:
                return None
            below, count, step = count, count + step, step * 2
    while count - below > 1 and (used < tries or at_most is not None):
        mid = (below + count) // 2
        used += 1
        if ok(mid):
            count = mid
        else:
            below = mid
    return count if count - below == 1 else None


def replicas(requests_per_s: float, per_replica: float | None) -> int | None:
    """Replicas that serve `requests_per_s` when one serves `per_replica` (None: none can)."""
    if not per_replica or per_replica <= 0:
        return None
    return max(1, math.ceil(requests_per_s / per_replica - 1e-9))
