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
from capplan.engine.serving_sim import Workload, max_rate, plan_workload, simulate
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
    slo = {k: v for k, v in (("ttft", w.target_ttft), ("tpot", w.target_tpot)) if v}
    wl = plan_workload(w)
    res = simulate(w, mem, wl, slo or None)
    if "unavailable" in res:
        return res
    res = {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in res.items()}
    res["workload"] = {"prompt": wl.input, "output": wl.output, "requests": wl.requests,
                       "arrivals": "poisson" if w.requests else "closed loop",
                       "rate_per_s": w.requests or None, "concurrency": None if w.requests else wl.concurrency}
    if w.requests:
        attainment = w.framework.constant(K.SLO_ATTAINMENT)
        rate = max_rate(w, mem, Workload(wl.input, wl.output, duration=w.framework.constant(K.RATE_TRACE)), slo,
                        attainment=attainment, steps=8)
        res["max_requests_per_s"] = rate["max_requests_per_s"]
        res["saturated_requests_per_s"] = rate["saturated_requests_per_s"]
        res["slo_attainment_target"] = attainment if slo else None
    return res


def replicas(requests_per_s: float, per_replica: float | None) -> int | None:
    """Replicas that serve `requests_per_s` when one serves `per_replica` (None: none can)."""
    if not per_replica or per_replica <= 0:
        return None
    return max(1, math.ceil(requests_per_s / per_replica - 1e-9))
