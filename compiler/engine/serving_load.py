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

from capplan.core import constants as K
from capplan.engine.serving_cost import iteration_cost
from capplan.engine.serving_sim import (Workload, limits_of, max_rate, plan_workload, saturated_rate, serves,
                                        simulate)
from capplan.ir.plan import Inference


def under_load(w: Inference, mem: dict) -> dict | None:
    """The simulated figures (serving_sim.figures) under the plan's load, with `workload` (what was
    simulated) and `max_requests_per_s` (the rate one replica serves with `slo_attainment` of its
    requests within the targets; without targets, the rate it completes at saturation);
    {"unavailable": why} when the plan does not say enough; None for recipes that serve no requests."""
    if w.mode == "forward" or w.output == 0:
        return None
    if not (w.prompt and w.output):
        return {"unavailable": "give the request shape (`prompt` and `output`) to simulate serving under load"}
    slo = _targets(w)
    wl = plan_workload(w)
    res = simulate(w, mem, wl, slo or None)
    if "unavailable" in res:
        return res
    res = {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in res.items()}
    res["workload"] = {"prompt": wl.input, "output": wl.output, "requests": wl.requests,
                       "arrivals": "poisson" if w.requests else "closed loop",
                       "rate_per_s": w.requests or None, "concurrency": None if w.requests else wl.concurrency}
    if w.requests:
        res.update(rate_per_replica(w, mem))
    return res


def _targets(w: Inference) -> dict:
    return {k: v for k, v in (("ttft", w.target_ttft), ("tpot", w.target_tpot)) if v}


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
    slo = _targets(w)
    attainment = w.framework.constant(K.SLO_ATTAINMENT)
    wl = Workload(int(w.prompt or w.context), int(w.output or 1), duration=w.framework.constant(K.RATE_TRACE))
    saturated = saturated_rate(w, mem, wl)
    out = {"saturated_requests_per_s": saturated, "slo_attainment_target": attainment if slo else None}
    if search:
        rate = max_rate(w, mem, wl, slo, attainment=attainment, steps=8, saturated=saturated)
        out["max_requests_per_s"] = rate.get("max_requests_per_s")
    return out


def fewest_replicas(w: Inference, mem: dict, requests_per_s: float, saturated: float, tries: int = 4) -> int | None:
    """The fewest replicas that serve `requests_per_s` (each replica then serves its share within the
    plan's targets, as `max_requests_per_s` judges a rate), searched upwards from the count the
    saturated rate allows (no fewer can serve); None when none of the first `tries` counts does (the
    caller then bisects for the rate). What a fleet is sized on, without the rate search's bisection."""
    if saturated <= 0:
        return None
    slo = _targets(w)
    attainment = w.framework.constant(K.SLO_ATTAINMENT)
    wl = Workload(int(w.prompt or w.context), int(w.output or 1), duration=w.framework.constant(K.RATE_TRACE))
    first = max(1, math.ceil(requests_per_s / saturated - 1e-9))
    for count in range(first, first + tries):
        if serves(w, mem, wl, slo, attainment, requests_per_s / count):
            return count
    return None


def replicas(requests_per_s: float, per_replica: float | None) -> int | None:
    """Replicas that serve `requests_per_s` when one serves `per_replica` (None: none can)."""
    if not per_replica or per_replica <= 0:
        return None
    return max(1, math.ceil(requests_per_s / per_replica - 1e-9))
