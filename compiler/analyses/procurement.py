"""Procurement answers: how many GPUs of which type, laid out how, at what cost.

`goal NAME for PLAN { gpus = [a100_80gb, h100_sxm]; within = 90 d; minimize cost }`
takes the workload of PLAN and asks, for each GPU type listed:
- a training plan: the fewest whole nodes (doubling, then the best layout found
  by the strategy search at each size) that train PLAN's `tokens` within the
  deadline, with the layout, the time and the cost; sized at the pessimistic end
  of the time band and with the expected interruptions (`sized_days`): `days`
  and the cost are that figure, `days_model` the model's central time, and
  `days_low` / `cost_low_usd` the optimistic end of the same band with the same
  goodput (the range `days_low`..`days` a reader is shown);
- an inference plan: the tensor-parallel size and number of replicas that
  serve `requests` per second within PLAN's latency targets, with the cost per
  hour and per million tokens; sized at the pessimistic end of the serving
  bands (`serving_load.pessimistic`: the load raised, the targets tightened by
  the validation half's error percentiles, `sized_at` says by how much).
The GPU types are then ranked by the objective.
"""

from __future__ import annotations

import math

from dataclasses import replace

from capplan.check.layout_rules import runtime_of
from capplan.engine import tco
from capplan.engine.goodput import goodput
from capplan.engine.inference import inference_memory
from capplan.engine.params import count
from capplan.engine.timing import published_band, time_band
from capplan.analyses.planner import run_search
from capplan.analyses.search import recompute_choices
from capplan.engine.serving import serving_time
from capplan.engine.serving_load import fewest_replicas, pessimistic, rate_per_replica
from capplan.ir.plan import Gpu, Hardware, Inference, Training

GOAL_HEADROOM = 0.05  # layouts must keep 5% of GPU memory free, as `capplan eval` reports them


def _with_hardware(w: Training, gpu: Gpu, per_node: int, nodes: int) -> Training:
    """Plan `w` on `nodes` nodes of `per_node` GPUs of type `gpu`: the plan's network, and its
    cluster's price only if the cluster had this GPU."""
    hw = w.hardware
    price = hw.price if hw.gpu.name == gpu.name else gpu.price
    hardware = Hardware(gpu, per_node * nodes, per_node, f"{gpu.name}_x{nodes}", gpu.link, hw.inter_node, price)
    return replace(w, hardware=hardware)


SPACE = {"tensor": [1, 2, 4, 8], "pipeline": [1, 2, 4, 8, 16], "zero": [0, 1, 3],   # recompute: recompute_choices
         "micro_batch": [1, 2], "virtual_stages": [1],
         "context": [1], "sequence_parallel": [True], "distributed_optimizer": [False, True]}


BATCH_RANGE = 0.25     # default: the global batch may move so tokens per step stay within +-25% of the plan's
BATCHES_PER_SIZE = 6   # global batches tried at one size (the largest that split evenly, and the plan's own)
MAX_SIZES = 48         # node counts evaluated per GPU type before the goal gives up (said in the answer)


def batch_range(w: Training, low: int | None, high: int | None) -> tuple[int, int]:
    """The global batches a goal may use: as stated, else tokens per step within +-25% of the plan's
    (the sequence length is the plan's, so the batch itself moves by +-25%)."""
    lo = low if low is not None else max(1, math.ceil(w.global_batch * (1 - BATCH_RANGE)))
    hi = high if high is not None else max(lo, math.floor(w.global_batch * (1 + BATCH_RANGE)))
    return lo, hi


def batches_for(w: Training, gpus: int, tensors: list[int], lo: int, hi: int) -> tuple[list[int], list[int]]:
    """Global batches in [lo, hi] that split into whole micro-batches over the data-parallel ranks of some
    layout at `gpus` GPUs: for each data x micro-batch size, its largest multiple in range (a larger batch
    has fewer pipeline bubbles), the plan's own batch first when it splits. Returns (batches, the sizes)."""
    splits = sorted({(gpus // (t * p)) * mb for t in tensors for p in SPACE["pipeline"] for mb in SPACE["micro_batch"]
                     if gpus % (t * p) == 0})
    found = {hi // k * k for k in splits if hi // k * k >= lo}
    own = [w.global_batch] if lo <= w.global_batch <= hi and any(w.global_batch % k == 0 for k in splits) else []
    rest = sorted(found - set(own), reverse=True)
    return (own + rest)[:BATCHES_PER_SIZE], splits


def sized_days(w: Training, train_s: float) -> dict:
    """The days a goal sizes a training run for: the model's time to train at the pessimistic end of the
    time band (capplan.engine.timing.time_band), divided by the goodput of a run of that length on the
    plan's GPUs (checkpoints, interruptions, restarts: capplan.engine.goodput). `days_model` is the
    model's central figure without interruptions; `days_low` the optimistic end of the band, divided by
    the goodput of a run of that length (the same share: goodput does not depend on the run's length),
    so `days_low`..`days` is the band with interruptions."""
    band = time_band(0.0, train_s, published=published_band(w, w.layout.recompute))
    low, high = band["train_low_s"], band["train_high_s"]
    params = count(w.model).total if w.model.is_architecture else None
    g = goodput(w, high, params) if params is not None else {"unavailable": "no architecture"}
    g_low = goodput(w, low, params) if params is not None else g
    wall = g["train_s"] if "train_s" in g else high
    wall_low = g_low["train_s"] if "train_s" in g_low else low
    return {"days": wall / 86400, "days_low": wall_low / 86400, "days_model": train_s / 86400,
            "days_high": high / 86400, "goodput": g.get("goodput"), "interruptions": g.get("interruptions"),
            "goodput_unavailable": g.get("unavailable")}


def _size(w: Training, gpu: Gpu, per_node: int, nodes: int, lo: int, hi: int, within: float | None) -> dict:
    """The fastest layout and global batch at `nodes` nodes, or the reason the size is rejected."""
    gpus = per_node * nodes
    tensors = [t for t in SPACE["tensor"] if w.model.attention.heads % t == 0 and t <= per_node]
    batches, splits = batches_for(w, gpus, tensors, lo, hi)
    rec = {"nodes": nodes, "days": None, "global_batch": None, "ok": False, "why": "batch"}
    if not batches:
        rec["reason"] = (f"global batch not divisible: no batch in {lo}..{hi} is a multiple of data x micro-batch "
                         f"({', '.join(map(str, splits[:8]))}{', ...' if len(splits) > 8 else ''}) of any layout "
                         f"on {gpus} GPUs")
        return rec
    best, empty = None, None
    for batch in batches:
        hw = _with_hardware(replace(w, global_batch=batch), gpu, per_node, nodes)
        space = {**SPACE, "tensor": tensors, "recompute": recompute_choices(w), "gpus": [gpus]}
        r = run_search(hw, space, ("minimize", "step_time"), [("headroom", ">=", GOAL_HEADROOM)], top=1)
        b = r["best"]
        if b is not None and b.get("step_s"):
            days = sized_days(hw, w.tokens / b["tokens_per_s"])
            if best is None or days["days"] < best[0]:
                best = (days["days"], batch, b, days)
        elif empty is None:
            empty = r.get("empty_reason", "no layout")
    if best is None:
        rec["why"] = "memory"
        rec["reason"] = f"no fitting layout at global batch {batches[0]}: {empty}"
        return rec
    days, batch, b, sized = best
    rec.update({"days": days, "global_batch": batch, "_best": b, "_sized": sized})
    if within is not None and days * 86400 > within:
        rec["why"] = "deadline"
        rec["reason"] = (f"deadline missed: {days:.1f} d at global batch {batch} (fastest layout) > "
                         f"{within / 86400:g} d")
    else:
        rec["ok"], rec["reason"], rec["why"] = True, None, None
    return rec


def _smallest_size(w: Training, gpu: Gpu, per_node: int, max_nodes: int, lo: int, hi: int,
                   within: float | None) -> tuple[dict | None, list[dict], list[dict]]:
    """The fewest whole nodes (any count, not only powers of two) whose fastest layout meets the goal.

    Sizes are tried in two passes, fast enough for a goal of a few GPU types: doubling (1, 2, 4, ...,
    and max_nodes itself) up to the first size that meets the goal, then every size between the last
    power that did not and that one, in increasing order; the first that meets the goal is the answer.
    Below a size that has a fitting layout but misses the deadline by a factor f, the sizes under
    f x its nodes are skipped (training time does not scale better than linearly with GPUs), and the
    sizes under a doubling step that found no fitting layout at all are not tried (fewer GPUs hold more
    per GPU). Every size tried gets its reason, and every skipped range its own.
    """
    tried: dict[int, dict] = {}
    skipped: list[dict] = []

    def attempt(n: int) -> dict:
        if n not in tried:
            tried[n] = _size(w, gpu, per_node, n, lo, hi, within)
        return tried[n]

    def needed_from_scaling(n: int) -> tuple[int, int | None]:
        """The fewest nodes any measured size below n says the deadline needs, and that size."""
        need, src = 0, None
        for k, r in tried.items():
            if k < n and r["days"] is not None and within:
                m = math.ceil(k * r["days"] * 86400 / within - 1e-9)
                if m > need:
                    need, src = m, k
        return need, src

    n, below, hit = 1, 0, None
    while True:
        if attempt(n)["ok"]:
            hit = n
            break
        if n >= max_nodes or len(tried) >= MAX_SIZES:
            break
        below, n = n, min(n * 2, max_nodes)
    powers = sorted(tried)
    for a, b in zip(powers, powers[1:]):
        if b > below or b - a < 2:
            continue
        why = tried[b]["why"]
        if why == "batch":  # divisibility is no bound on the sizes below: try them
            small = next((k for k in range(a + 1, b) if len(tried) < MAX_SIZES and attempt(k)["ok"]), None)
            if small is not None:  # gaps go in increasing order: the first size found is the smallest
                hit = small
                break
            continue
        skipped.append({"from": a + 1, "to": b - 1, "reason": (
            f"not tried: {b} nodes miss the deadline ({tried[b]['days']:.1f} d) and fewer nodes are not faster"
            if why == "deadline" else f"not tried: {b} nodes have no fitting layout and fewer nodes hold more "
            "per GPU")})
    top = hit if hit is not None else max_nodes + 1
    m = below + 1
    while m < top and len(tried) < MAX_SIZES:
        need, src = needed_from_scaling(m)
        if need > m:
            end = min(need, top) - 1
            skipped.append({"from": m, "to": end, "reason": (
                f"skipped: {src} nodes take {tried[src]['days']:.1f} d, so even linear scaling needs at least "
                f"{need} nodes for {within / 86400:g} d")})
            m = end + 1
            continue
        if m not in tried and attempt(m)["ok"]:
            hit = m
            break
        m += 1
    if hit is None and len(tried) >= MAX_SIZES:
        skipped.append({"from": max(tried) + 1, "to": max_nodes, "reason": (
            f"not tried: the goal stops after {MAX_SIZES} sizes per GPU type")})
    order = sorted(tried.values(), key=lambda r: r["nodes"])
    found = tried[hit] if hit is not None else None
    return found, order, skipped


def _tried_rows(order: list[dict], skipped: list[dict]) -> list[dict]:
    rows = [{"nodes": r["nodes"], "days": r["days"], "global_batch": r["global_batch"],
             "reason": r.get("reason")} for r in order]
    return sorted(rows + [dict(s) for s in skipped], key=lambda r: r.get("nodes", r.get("from")))


def node_size(w: Training | Inference, gpu: Gpu, per_node: int) -> int:
    """GPUs per node for `gpu` in a goal: the plan's own nodes for the plan's GPU, else the GPU's usual
    system, its NVLink domain (an HGX/DGX board of 8; a GB200 NVL72 rack of 72)."""
    return per_node if gpu.name == w.hardware.gpu.name else gpu.nvlink_domain


def training_goal(w: Training, gpus: list[Gpu], within: float | None, max_nodes: int, per_node: int,
                  objective: str, min_batch: int | None = None, max_batch: int | None = None) -> list[dict]:
    out = []
    lo, hi = batch_range(w, min_batch, max_batch)
    for gpu in gpus:
        row = {"gpu": gpu.name, "gpu_name": gpu.display_name}
        if not w.tokens:
            row["unavailable"] = "the plan gives no `tokens` to train"
            out.append(row)
            continue
        size = node_size(w, gpu, per_node)
        found, order, skipped = _smallest_size(w, gpu, size, max_nodes, lo, hi, within)
        row["global_batch_range"] = [lo, hi]
        row["tried"] = _tried_rows(order, skipped)
        if found is None:
            timed = any(r["days"] is not None for r in order)
            row["unavailable"] = (f"no size up to {max_nodes} nodes of {size} trains {w.tokens / 1e12:g}T tokens "
                                  "in time" if timed else f"no size up to {max_nodes} nodes of {size} has a "
                                  "fitting layout") + " (reasons per size under `tried`)"
            out.append(row)
            continue
        nodes, best, days, sized = found["nodes"], found["_best"], found["days"], found["_sized"]
        price = gpu.price
        gpu_hours = size * nodes * days * 24
        gpu_hours_low = size * nodes * sized["days_low"] * 24
        row.update({"nodes": nodes, "gpus": size * nodes, "global_batch": found["global_batch"],
                    "layout": best["layout"], "runtime": runtime_of(
                        w.framework.runtime, w.framework.implementation, best["layout"]["zero"], w.layout.fsdp,
                        best["layout"]["distributed_optimizer"], w.layout.offload)[0],
                    "days": days, "days_low": sized["days_low"], "days_model": sized["days_model"],
                    "days_high": sized["days_high"], "goodput": sized["goodput"],
                    "interruptions": sized["interruptions"],
                    "step_s": best["step_s"], "mfu": best["mfu"], "peak_bytes": best["peak_bytes"],
                    "gpu_hours": gpu_hours, "cost_usd": gpu_hours * 3600 * price if price else None,
                    "cost_low_usd": gpu_hours_low * 3600 * price if price else None,
                    "energy_kwh": (size * nodes * gpu.power * days * 86400 / 3.6e6) if gpu.power else None})
        row.update(tco.option_costs(gpu, w.framework, gpu_hours=gpu_hours))
        out.append(row)
    return _rank(out, objective)


def serving_goal(w: Inference, gpus: list[Gpu], requests: float, per_node: int, objective: str) -> list[dict]:
    out = []
    for gpu in gpus:
        row = {"gpu": gpu.name, "gpu_name": gpu.display_name}
        best = _cheapest_serving_size(w, gpu, requests, node_size(w, gpu, per_node))
        if best is None:
            row["unavailable"] = "no tensor-parallel size up to 8 fits the model and meets the targets"
        else:
            row.update(best)
        out.append(row)
    return _rank(out, objective)


def _serving_sizes(w: Inference, gpu: Gpu, per_node: int):
    """(tensor size, the plan at that size on `gpu`, its memory) for each size whose replica fits."""
    for tp in (1, 2, 4, 8):
        if tp > per_node or w.model.attention.heads % tp:
            continue
        hardware = Hardware(gpu, tp, w.hardware.per_node, None, gpu.link, None, gpu.price)
        copy = replace(w, tensor=tp, pipeline=1, hardware=hardware)
        mem = inference_memory(copy)
        if mem["max_batch"] >= 1:
            yield tp, copy, mem


def _cheapest_serving_size(w: Inference, gpu: Gpu, requests: float, per_node: int) -> dict | None:
    """The tensor size whose fleet serves `requests` at the lowest cost per hour (GPUs without a price),
    the smaller size on a tie. Sized on the simulated rate per replica where the plan can be simulated,
    else on the closed form. Simulations are the slow part: each size's saturated rate bounds the rate
    it can serve, so sizes are tried cheapest bound first, a size whose bound cannot beat the best found
    is not tried, and a size that is tried is first simulated at the most replicas that would still beat
    the best — if that many do not serve the rate, no fewer do (a replica's share only grows as replicas
    are removed) and the size is done in one simulation. The answer is the one an exhaustive search
    gives."""
    price = gpu.price
    asked = requests
    w, requests, factors = pessimistic(w, requests)

    def key_of(total: int) -> float:
        return total * price * 3600 if price else total

    sizes = []
    for tp, copy, mem in _serving_sizes(w, gpu, per_node):
        sv = serving_time(copy, mem)
        load = (rate_per_replica(copy, mem, search=False) if copy.mode != "forward" and copy.prompt
                and copy.output else {"unavailable": "no request shape"})
        if "unavailable" in load:  # the closed form: its rate is known, the bound is the key itself
            rps, bound = sv.get("best_requests_per_s"), sv.get("best_requests_per_s")
        else:
            rps, bound = None, load["saturated_requests_per_s"]
        if not bound or bound <= 0:
            continue
        sizes.append((key_of(math.ceil(requests / bound - 1e-9) * tp), tp, copy, mem, sv, rps, bound))
    best = None
    for bound_key, tp, copy, mem, sv, rps, bound in sorted(sizes, key=lambda s: (s[0], s[1])):
        if best is not None and (bound_key, tp) >= best[0]:
            continue  # cannot be cheaper than the best found
        simulated = rps is None
        replicas = None
        if simulated:  # other requests' prefills included
            limit = None if best is None else _fewer_than(best[0], tp, key_of)
            replicas = fewest_replicas(copy, mem, requests, at_most=limit, saturated=bound)
            if replicas is not None:
                rps = requests / replicas  # the share each replica was shown to serve within the targets
            elif limit is not None:
                continue  # the most replicas that would beat the best found do not serve the rate
            else:
                rps = rate_per_replica(copy, mem)["max_requests_per_s"]
        if rps and not replicas:
            replicas = math.ceil(requests / rps - 1e-9)
        if not rps or not replicas:
            continue
        total = replicas * tp
        served_tokens = asked * w.output if simulated else replicas * sv["best_tokens_per_s"] / factors["requests"]
        cand = {"tensor": tp, "replicas": replicas, "gpus": total, "batch": sv["best_batch"],
                "requests_per_s_per_replica": rps, "ttft_s": sv["ttft_s"], "tpot_s": sv["best_tpot_s"],
                "sized_by": "simulation" if simulated else "closed form", "sized_at": factors,
                "cost_per_hour_usd": total * price * 3600 if price else None,
                "cost_per_mtok_usd": (total * price) / served_tokens * 1e6 if price else None}
        if best is None or (key_of(total), tp) < best[0]:
            cand.update(tco.option_costs(gpu, w.framework, gpus=total))
            best = ((key_of(total), tp), cand)
    return best[1] if best else None


def _fewer_than(best: tuple, tp: int, key_of) -> int:
    """The most replicas of tensor size `tp` whose fleet still beats `best` ((cost key, tensor size):
    a lower cost, or the same cost at a smaller tensor size)."""
    unit = key_of(tp)
    count = max(0, math.ceil(best[0] / unit) + 1)
    while count > 0 and (key_of(count * tp), tp) >= best:
        count -= 1
    return count


def _rank(rows: list[dict], objective: str) -> list[dict]:
    key = {"cost": ("cost_usd", "cost_per_hour_usd"), "gpus": ("gpus",), "time": ("days",),
           "step_time": ("days",)}.get(objective, ("cost_usd", "cost_per_hour_usd"))

    def sort_key(row):
        for k in key:
            if row.get(k) is not None:
                return (0, row[k])
        return (1, 0) if "unavailable" not in row else (2, 0)

    ranked = sorted(rows, key=lambda r: (sort_key(r), r["gpu"]))
    for i, row in enumerate(ranked):
        row["rank"] = i + 1 if "unavailable" not in row else None
    return ranked
