"""Procurement answers: how many GPUs of which type, laid out how, at what cost.

`goal NAME for PLAN { gpus = [a100_80gb, h100_sxm]; within = 90 d; minimize cost }`
takes the workload of PLAN and asks, for each GPU type listed:
- a training plan: the fewest whole nodes (doubling, then the best layout found
  by the strategy search at each size) that train PLAN's `tokens` within the
  deadline, with the layout, the time and the cost;
- an inference plan: the tensor-parallel size and number of replicas that
  serve `requests` per second within PLAN's latency targets, with the cost per
  hour and per million tokens.
The GPU types are then ranked by the objective.
"""

from __future__ import annotations

import math

from dataclasses import replace

from capplan.engine.inference import inference_memory
from capplan.analyses.planner import run_search
from capplan.engine.serving import serving_time
from capplan.ir.plan import Gpu, Hardware, Inference, Training

GOAL_HEADROOM = 0.05  # layouts must keep 5% of GPU memory free, as `capplan eval` reports them


def _with_hardware(w: Training, gpu: Gpu, per_node: int, nodes: int) -> Training:
    """Plan `w` on `nodes` nodes of `per_node` GPUs of type `gpu`: the plan's network, and its
    cluster's price only if the cluster had this GPU."""
    hw = w.hardware
    price = hw.price if hw.gpu.name == gpu.name else gpu.price
    hardware = Hardware(gpu, per_node * nodes, per_node, f"{gpu.name}_x{nodes}", gpu.link, hw.inter_node, price)
    return replace(w, hardware=hardware)


SPACE = {"tensor": [1, 2, 4, 8], "pipeline": [1, 2, 4, 8, 16], "zero": [0, 1, 3],
         "recompute": ["none", "selective", "full"], "micro_batch": [1, 2], "virtual_stages": [1],
         "context": [1], "sequence_parallel": [True], "distributed_optimizer": [False, True]}


def training_goal(w: Training, gpus: list[Gpu], within: float | None, max_nodes: int, per_node: int,
                  objective: str) -> list[dict]:
    out = []
    for gpu in gpus:
        row = {"gpu": gpu.name, "gpu_name": gpu.display_name}
        if not w.tokens:
            row["unavailable"] = "the plan gives no `tokens` to train"
            out.append(row)
            continue
        nodes, found = 1, None
        tried = []
        while nodes <= max_nodes:
            hw = _with_hardware(w, gpu, per_node, nodes)
            heads_ok = [t for t in SPACE["tensor"] if w.model.attention.heads % t == 0 and t <= per_node]
            space = {**SPACE, "tensor": heads_ok, "gpus": [per_node * nodes]}
            r = run_search(hw, space, ("minimize", "step_time"), [("headroom", ">=", GOAL_HEADROOM)], top=1)
            best = r["best"]
            if best is not None and best.get("step_s"):
                days = w.tokens / best["tokens_per_s"] / 86400
                tried.append((nodes, days))
                if within is None or days * 86400 <= within:
                    found = (nodes, best, days)
                    break
            else:
                tried.append((nodes, None))
            nodes *= 2
        if found is None:
            row["unavailable"] = (f"no size up to {max_nodes} nodes of {per_node} trains {w.tokens / 1e12:g}T tokens "
                                  f"in time" if tried and tried[-1][1] else "no layout fits")
            row["tried"] = [{"nodes": n, "days": d} for n, d in tried]
            out.append(row)
            continue
        nodes, best, days = found
        price = gpu.price
        gpu_hours = per_node * nodes * days * 24
        row.update({"nodes": nodes, "gpus": per_node * nodes, "layout": best["layout"], "days": days,
                    "step_s": best["step_s"], "mfu": best["mfu"], "peak_bytes": best["peak_bytes"],
                    "gpu_hours": gpu_hours, "cost_usd": gpu_hours * 3600 * price if price else None,
                    "energy_kwh": (per_node * nodes * gpu.power * days * 86400 / 3.6e6) if gpu.power else None,
                    "tried": [{"nodes": n, "days": d} for n, d in tried]})
        out.append(row)
    return _rank(out, objective)


def serving_goal(w: Inference, gpus: list[Gpu], requests: float, per_node: int, objective: str) -> list[dict]:
    out = []
    for gpu in gpus:
        row = {"gpu": gpu.name, "gpu_name": gpu.display_name}
        best = None
        for tp in (1, 2, 4, 8):
            if tp > per_node or w.model.attention.heads % tp:
                continue
            hardware = Hardware(gpu, tp, w.hardware.per_node, None, gpu.link, None, gpu.price)
            copy = replace(w, tensor=tp, pipeline=1, hardware=hardware)
            mem = inference_memory(copy)
            if mem["max_batch"] < 1:
                continue
            sv = serving_time(copy, mem)
            rps = sv.get("best_requests_per_s")
            if not rps:
                continue
            replicas = math.ceil(requests / rps)
            total = replicas * tp
            price = gpu.price
            cand = {"tensor": tp, "replicas": replicas, "gpus": total, "batch": sv["best_batch"],
                    "requests_per_s_per_replica": rps, "ttft_s": sv["ttft_s"], "tpot_s": sv["best_tpot_s"],
                    "cost_per_hour_usd": total * price * 3600 if price else None,
                    "cost_per_mtok_usd": (total * price) / (replicas * sv["best_tokens_per_s"]) * 1e6 if price else None}
            key = cand["cost_per_hour_usd"] if cand["cost_per_hour_usd"] is not None else total
            if best is None or key < best[0]:
                best = (key, cand)
        if best is None:
            row["unavailable"] = "no tensor-parallel size up to 8 fits the model and meets the targets"
        else:
            row.update(best[1])
        out.append(row)
    return _rank(out, objective)


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
