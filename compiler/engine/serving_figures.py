"""A simulated serving trace's figures: latency percentiles, throughput, goodput, and their JSON.

`figures` reads what `serving_sim.run` returns (per-request arrival, first-token and finish times);
`figures_json` gives each figure its formula and source as the result JSON carries figures.
"""

from __future__ import annotations

import math

from capplan.engine.figure import figure_json


def quantile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default `linear` method)."""
    xs = sorted(values)
    if not xs:
        return math.nan
    pos = q * (len(xs) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def figures(trace: dict, slo: dict | None = None, clients: int | None = None) -> dict:
    """Latency percentiles, throughput and goodput of a simulated trace.

    TTFT: first token - arrival. TPOT: per request, (finish - first token) / (output - 1), as
    genai-perf's and MLPerf's per-request inter-token latency; `itl_mean_s` is the token-weighted
    mean gap (vLLM benchmark_serving's mean ITL). Goodput: requests/s that meet every SLO target
    (DistServe, Zhong et al. 2024, arXiv:2401.09670, sec. 2).

    clients: a closed loop of that many clients, measured in its steady state as GenAI-Perf measures
    concurrency runs (in windows once the load is stable): its first `clients` requests (issued before
    any queue formed) and its last (issued while the loop drains) are not measured, and the rates follow
    from Little's law (`clients` requests are always in the system: clients / mean(finish - arrival)
    requests/s)."""
    n, span = trace["n"], trace["makespan"]
    steady = clients is not None and n > 2 * clients
    measured = range(clients, n - clients) if steady else range(n)
    ok = [i for i in measured if trace["finish"][i] == trace["finish"][i]]
    ttft = [trace["first"][i] - trace["arrival"][i] for i in ok]
    e2e = [trace["finish"][i] - trace["arrival"][i] for i in ok]
    multi = [i for i in ok if trace["output"][i] > 1]
    tpot = [(trace["finish"][i] - trace["first"][i]) / (trace["output"][i] - 1) for i in multi]
    gaps = sum(trace["output"][i] - 1 for i in multi)
    out_tokens = sum(trace["output"][i] for i in ok)
    in_tokens = sum(trace["input"][i] for i in ok)
    done = len(ok) if not steady else sum(1 for f in trace["finish"] if f == f)
    res = {"requests": n, "completed": done, "duration_s": span, "iterations": trace["iterations"],
           "preemptions": trace["preemptions"], "stalled": trace["stalled"],
           "output_tokens_per_s": out_tokens / span if span else 0.0,
           "total_tokens_per_s": (out_tokens + in_tokens) / span if span else 0.0,
           "requests_per_s": len(ok) / span if span else 0.0,
           "ttft_mean_s": sum(ttft) / len(ttft) if ttft else math.nan,
           "tpot_mean_s": sum(tpot) / len(tpot) if tpot else math.nan,
           "itl_mean_s": sum(trace["finish"][i] - trace["first"][i] for i in multi) / gaps if gaps else math.nan,
           "e2e_mean_s": sum(e2e) / len(e2e) if e2e else math.nan}
    if steady and e2e:
        span = len(ok) * res["e2e_mean_s"] / clients   # the time in which the loop completes them
        res.update({"output_tokens_per_s": out_tokens / span, "total_tokens_per_s": (out_tokens + in_tokens) / span,
                    "requests_per_s": len(ok) / span, "measured_requests": len(ok)})
    for name, xs in (("ttft", ttft), ("tpot", tpot), ("e2e", e2e)):
        for q in (50, 90, 99):
            res[f"{name}_p{q}_s"] = quantile(xs, q / 100)
    if slo:
        good = sum(1 for j, i in enumerate(ok) if _meets(slo, ttft[j], (trace["finish"][i] - trace["first"][i])
                                                         / max(1, trace["output"][i] - 1)))
        res["goodput_requests_per_s"] = good / span if span else 0.0
        res["slo_attainment"] = good / len(measured) if n else 0.0
    return res


def _meets(slo: dict, ttft: float, tpot: float) -> bool:
    return ttft <= slo.get("ttft", math.inf) and tpot <= slo.get("tpot", math.inf)


FIGURES = {  # figure name -> (result key, unit, formula)
    "ttft_p50": ("ttft_p50_s", "s", "median over requests of (first token - arrival)"),
    "ttft_p90": ("ttft_p90_s", "s", "90th percentile over requests of (first token - arrival)"),
    "ttft_p99": ("ttft_p99_s", "s", "99th percentile over requests of (first token - arrival)"),
    "tpot_p50": ("tpot_p50_s", "s", "median over requests of (finish - first token) / (output - 1)"),
    "tpot_p90": ("tpot_p90_s", "s", "90th percentile over requests of (finish - first token) / (output - 1)"),
    "tpot_p99": ("tpot_p99_s", "s", "99th percentile over requests of (finish - first token) / (output - 1)"),
    "e2e_p50": ("e2e_p50_s", "s", "median over requests of (finish - arrival)"),
    "e2e_p99": ("e2e_p99_s", "s", "99th percentile over requests of (finish - arrival)"),
    "output_tokens_per_s": ("output_tokens_per_s", "token/s", "output tokens of all requests / simulated time"),
    "total_tokens_per_s": ("total_tokens_per_s", "token/s",
                           "(prompt + output tokens of all requests) / simulated time"),
    "requests_per_s": ("requests_per_s", "request/s", "completed requests / simulated time"),
    "goodput": ("goodput_requests_per_s", "request/s",
                "requests meeting every SLO target / simulated time (DistServe, arXiv:2401.09670)"),
}


def figures_json(res: dict) -> dict:
    """A simulation's figures (`simulate`'s result) as the result JSON carries figures, each with its
    formula and source, keyed `serving.sim.<name>`."""
    src = f"{res['source']}; iteration times: capplan.engine.serving_cost"
    steady = (f" (a closed loop's steady state: the middle {res['measured_requests']} measured, rates by Little's "
              "law)") if "measured_requests" in res else ""
    how = (f"{res['requests']} requests{steady}, {res['iterations']} iterations, {res['preemptions']} preemptions, "
           f"{res['kv_blocks']} KV blocks of {res['block_tokens']} tokens, max_num_seqs {res['max_num_seqs']}, "
           f"max_num_batched_tokens {res['max_num_batched_tokens']}")
    return {f"serving.sim.{name}": figure_json(res[key], unit, formula, src, derivation=how)
            for name, (key, unit, formula) in FIGURES.items() if key in res}
