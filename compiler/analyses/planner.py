"""Searching layouts for a training plan: enumerate, evaluate, filter, rank, verify.

A `search NAME for PLAN { vary ...; minimize ...; require ... }` block says what
to vary (the rest is taken from PLAN), what to optimise and which conditions a
layout must meet. The answer: how many layouts were considered, why the
invalid and non-fitting ones were rejected (per family, with the figure that
failed), the best layout, the top layouts, and the Pareto front of GPUs, step
time and cost — the reported figures evaluated by the reference engine.
"""

from __future__ import annotations

import math
import time as _time

import numpy as np

from dataclasses import replace

from capplan.check.units import dims_of
from capplan.check.values import fmt_quantity
from capplan.analyses import search as S
from capplan.engine.timing import training_time
from capplan.engine.training import training_memory
from capplan.ir.plan import Training

INFO = dims_of("information")
RECOMPUTE = S.RECOMPUTE


def with_layout(w: Training, layout: dict) -> Training:
    """Training plan `w` with another parallel layout (and cluster size)."""
    p = w.layout
    v = layout.get("virtual_stages", p.virtual_stages)
    schedule = "interleaved" if v > 1 else ("1f1b" if p.schedule == "interleaved" else p.schedule)
    new = replace(p, layers_per_stage=None, schedule=schedule, recompute=layout.get("recompute", p.recompute),
                  **{k: layout[k] for k in ("tensor", "pipeline", "data", "context", "expert", "zero",
                                            "virtual_stages", "sequence_parallel", "distributed_optimizer")
                     if k in layout})
    hardware = replace(w.hardware, gpus=layout.get("gpus", w.hardware.gpus))
    return w.with_layout(new, micro_batch=layout.get("micro_batch", w.micro_batch), hardware=hardware)


def _layout_of(c: S.Candidates, i: int) -> dict:
    out = {k: int(c[k][i]) for k in ("tensor", "pipeline", "data", "context", "expert", "zero", "micro_batch",
                                     "virtual_stages", "nodes", "gpus")}
    out["recompute"] = RECOMPUTE[int(c["recompute"][i])]
    out["sequence_parallel"] = bool(c["sequence_parallel"][i])
    out["distributed_optimizer"] = bool(c["distributed_optimizer"][i])
    return out


def reference(w: Training, layout: dict) -> dict:
    """The reference engine's figures for one layout."""
    lw = with_layout(w, layout)
    mem = training_memory(lw)
    t = training_time(lw, mem)
    usable = w.hardware.gpu.usable
    peak = max(st.device for st in mem["stages"])
    stage = max(mem["stages"], key=lambda st: st.device).index
    price = w.hardware.price
    return {"layout": layout, "peak_bytes": peak, "peak_stage": stage, "headroom": 1 - peak / usable,
            "step_s": t.get("step_s"), "tokens_per_s": t.get("tokens_per_s"), "mfu": t.get("mfu"),
            "cost_per_step_usd": (t["step_s"] * layout["gpus"] * price) if price and t.get("step_s") else None}


def _figures(metrics: dict, c: S.Candidates, i: int, price: float | None) -> dict:
    """One layout's figures, in the shape `reference` gives them, from the evaluator's arrays."""
    layout = _layout_of(c, i)
    step = metrics["step"][i]
    timed = not math.isnan(step)
    return {"layout": layout, "peak_bytes": float(metrics["peak"][i]), "peak_stage": int(metrics["stage"][i]),
            "headroom": float(metrics["headroom"][i]), "step_s": float(step) if timed else None,
            "tokens_per_s": float(metrics["tokens_per_s"][i]) if timed else None,
            "mfu": float(metrics["mfu"][i]) if timed else None,
            "cost_per_step_usd": float(step) * layout["gpus"] * price if price and timed else None}


def run_search(w: Training, space_overrides: dict, objective: tuple[str, str], constraints: list[tuple],
               cross_node_tensor: bool = False, top: int = 5, keep_accepted: bool = False) -> dict:
    """constraints: (metric, op, value) with metric in headroom, peak_memory, step_time, mfu, gpus, ..."""
    started = _time.perf_counter()
    per_node = w.hardware.per_node
    nodes = w.hardware.nodes
    space = S.default_space(w, per_node, nodes)
    space.update(space_overrides)
    cands, rejected = S.enumerate_layouts(w, space, per_node, cross_node_tensor)
    total = len(cands) + sum(v[0] for v in rejected.values())
    structural = [{"reason": r, "count": v[0], "example": v[1]} for r, v in sorted(rejected.items(),
                                                                                 key=lambda kv: (-kv[1][0], kv[0]))]
    reasons: list = []
    evaluator = S.Evaluator(w, per_node)
    metrics = evaluator.evaluate(cands) if len(cands) else {}
    keep = np.ones(len(cands), dtype=bool)
    last_filter = structural[-1]["reason"] if structural else "no layout could be formed"
    if len(cands):
        fits = metrics["headroom"] >= 0
        if not fits.any():
            last_filter = "every valid layout needs more memory than the GPU has"
        _memory_reasons(cands, metrics, ~fits, reasons, w)
        keep &= fits
        values = {"headroom": metrics["headroom"], "peak_memory": metrics["peak"], "step_time": metrics["step"],
                  "mfu": metrics.get("mfu"), "tokens_per_s": metrics.get("tokens_per_s"),
                  "gpus": cands["gpus"].astype(float), "cost": metrics.get("cost")}
        for metric, op, value in constraints:
            arr = values[metric]
            ok = {"<=": arr <= value, ">=": arr >= value, "<": arr < value, ">": arr > value,
                  "==": arr == value, "!=": arr != value}[op]
            failed = keep & ~ok
            if failed.any():
                reasons.append({"reason": f"require {metric} {op} {_show(metric, value)}",
                                "count": int(failed.sum()), "example": _layout_of(cands, int(np.argmax(failed)))})
                if not (keep & ok).any():
                    last_filter = reasons[-1]["reason"]
            keep &= ok
    reasons += structural  # memory and requirement reasons first: they are the informative ones
    elapsed = _time.perf_counter() - started
    result = {"considered": total, "valid": len(cands), "accepted": int(keep.sum()), "rejected": reasons,
              "objective": {"direction": objective[0], "metric": objective[1]},
              "seconds": elapsed, "candidates_per_s": total / elapsed if elapsed else None}
    if keep_accepted:
        result["_accepted"] = [_layout_of(cands, int(i)) for i in np.flatnonzero(keep)]
    if not keep.any():
        result["best"] = None
        result["empty_reason"] = f"no layout is left: the last constraint to remove candidates was `{last_filter}`"
        return result
    key = {"step_time": metrics["step"], "cost": metrics.get("cost"), "gpus": cands["gpus"].astype(float),
           "peak_memory": metrics["peak"], "tokens_per_s": -metrics["tokens_per_s"], "mfu": -metrics["mfu"]}[objective[1]]
    if objective[0] == "maximize" and objective[1] not in ("tokens_per_s", "mfu"):
        key = -key
    idx = np.flatnonzero(keep)
    order = idx[np.lexsort((metrics["peak"][idx], np.nan_to_num(key[idx], nan=np.inf)))]
    # the evaluator runs the single-plan formulas (capplan.engine.training / timing) on arrays, so a
    # layout's figures are read from it; tests/test_search.py checks them against single-plan runs
    price = w.hardware.price
    result["best"] = _figures(metrics, cands, int(order[0]), price)
    result["top"] = [_figures(metrics, cands, int(i), price) for i in order[:top]]
    cost = metrics.get("cost")
    cols = [cands["gpus"][idx].astype(float), metrics["step"][idx]]
    if cost is not None and not np.isnan(cost[idx]).all():
        cols.append(cost[idx])
    points = np.stack(cols, axis=1)
    _, first = np.unique(points, axis=0, return_index=True)  # identical figures: keep one layout
    idx, points = idx[np.sort(first)], points[np.sort(first)]
    front = idx[S.pareto(points)]
    front = front[np.argsort(cands["gpus"][front], kind="stable")]
    result["pareto"] = [_figures(metrics, cands, int(i), price) for i in front[:20]]
    return result


def _show(metric: str, value: float) -> str:
    if metric == "peak_memory":
        return fmt_quantity(value, INFO, "GiB")
    if metric in ("headroom", "mfu"):
        return f"{value:.0%}"
    if metric == "step_time":
        return f"{value:g} s"
    return f"{value:g}"


def _memory_reasons(c: S.Candidates, metrics: dict, over: np.ndarray, reasons: list, w: Training) -> None:
    """Group the layouts that do not fit by (tensor, pipeline) family, with the smallest peak of each."""
    if not over.any():
        return
    usable = w.hardware.gpu.usable
    families: dict = {}
    for i in np.flatnonzero(over):
        fam = (int(c["gpus"][i]), int(c["tensor"][i]), int(c["pipeline"][i]))
        best = families.get(fam)
        if best is None or metrics["peak"][i] < metrics["peak"][best[0]]:
            families[fam] = (i, (best[1] if best else 0) + 1)
        else:
            families[fam] = (best[0], best[1] + 1)
    for (gpus, tp, pp), (i, n) in sorted(families.items()):
        reasons.append({
            "reason": (f"{gpus} GPUs, tensor {tp} x pipeline {pp}: stage {int(metrics['stage'][i])} needs at least "
                       f"{fmt_quantity(metrics['peak'][i], INFO, 'GiB')} of {fmt_quantity(usable, INFO, 'GiB')}"),
            "count": n, "example": _layout_of(c, int(i))})
