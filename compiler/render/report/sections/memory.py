"""A plan's memory: the verdict in a sentence, and the chart of memory per GPU by component
(training: one bar per pipeline stage against the usable memory; serving: one bar against the budget)."""

from __future__ import annotations

from capplan.render.report.context import Context
from capplan.render.report.i18n import N_
from capplan.render.report.view import Chart, Table

COMPONENTS = {  # training memory components, in stacking order
    "weights": N_("weights"),
    "gradients": N_("gradients"),
    "master_weights": N_("master weights"),
    "optimizer_states": N_("optimizer states"),
    "comm_buffers": N_("communication buffers"),
    "activations": N_("activations"),
    "logits": N_("logits and loss"),
    "temporary": N_("temporary buffers"),
    "allocator_reserve": N_("allocator reserve"),
    "cuda_context": N_("CUDA context"),
    "nccl": N_("NCCL communicators"),
}
SERVING_COMPONENTS = {
    "weights": N_("weights"),
    "kv_cache": N_("KV cache"),
    "activations": N_("activations"),
    "cuda_context": N_("CUDA context"),
    "nccl": N_("NCCL communicators"),
    "cuda_graphs": N_("CUDA graphs"),
}
PHASES = {"forward end": N_("forward end"), "backward start": N_("backward start"),
          "optimizer step": N_("optimizer step")}


def capacity(plan: dict) -> float:
    """What the plan must stay under: the usable memory (training) or the serving budget."""
    return plan["hardware"]["usable_bytes"] if plan["kind"] == "training" else plan["budget_bytes"]


def verdict(ctx: Context, plan: dict) -> str:
    """Whether the plan fits, and how much its largest stage needs of what."""
    _ = ctx._
    hw = plan["hardware"]
    unit = hw["memory_unit"]
    if plan["kind"] == "training":
        worst = max(plan["ranks"], key=lambda r: r["peak_bytes"])
        where = _("stage {n}").format(n=worst["stage"]) if len(plan["ranks"]) > 1 else _("each GPU")
        text = (_("fits: {where} needs {peak} of {capacity}") if plan["fits"]
                else _("does not fit: {where} needs {peak} of {capacity}"))
        return text.format(where=where, peak=ctx.mem(worst["peak_bytes"], unit),
                           capacity=ctx.mem(hw["usable_bytes"], unit))
    text = (_("fits: each GPU needs {peak} of a {budget} budget ({share} of {usable})") if plan["fits"]
            else _("does not fit: each GPU needs {peak} of a {budget} budget ({share} of {usable})"))
    return text.format(peak=ctx.mem(plan["peak_bytes"], unit), budget=ctx.mem(plan["budget_bytes"], unit),
                       share=ctx.nf.pct(plan["layout"]["memory_utilization"], 0),
                       usable=ctx.mem(hw["usable_bytes"], unit))


def memory_chart(ctx: Context, plan: dict, pid: str) -> Chart:
    """The stacked bars of memory per GPU by component, with the chart's data as a table."""
    return (_training_chart if plan["kind"] == "training" else _serving_chart)(ctx, plan, pid)


def _spec(ctx: Context, unit: str, keys: list[str], bars: list[dict], lines: list[dict]) -> dict:
    _ = ctx._
    labels = [_(COMPONENTS.get(k) or SERVING_COMPONENTS[k]) for k in keys]
    return {"bars": bars, "series": labels, "keys": keys, "lines": lines, "unit": unit,
            "xlabel": _("memory per GPU ({unit})").format(unit=unit)}


def _training_chart(ctx: Context, plan: dict, pid: str) -> Chart:
    _ = ctx._
    nf = ctx.nf
    unit = plan["hardware"]["memory_unit"]
    keys = [k for k in COMPONENTS if any(r["memory"].get(k) for r in plan["ranks"])]
    bars = [{"label": _("stage {n}").format(n=r["stage"]),
             "values": [nf.mem_value(r["memory"].get(k, 0.0), unit) for k in keys]} for r in plan["ranks"]]
    usable = plan["hardware"]["usable_bytes"]
    lines = [{"label": _("usable GPU memory"), "value": nf.mem_value(usable, unit), "style": "capacity"}]
    headers = [_("stage"), _("layers"), _("in flight")] + [_(COMPONENTS[k]) for k in keys] + \
              [_("peak"), _("peak phase"), _("fits")]
    # memory in the chart's unit, written once in the caption: the table stays narrow enough to print
    rows = [[str(r["stage"]), nf.int(r["layers"]), nf.num(r["inflight_microbatches"])]
            + [nf.num(nf.mem_value(r["memory"].get(k, 0.0), unit)) for k in keys]
            + [nf.num(nf.mem_value(r["peak_bytes"], unit)), _(PHASES.get(r["peak_phase"], r["peak_phase"])),
               ctx.yes(r["fits"])] for r in plan["ranks"]]
    classes = ["" if r["fits"] else "bad" for r in plan["ranks"]]
    align = ["l", "r", "r"] + ["r"] * len(keys) + ["r", "l", "l"]
    caption = _("The chart's data: memory per GPU in {unit}; micro-batches in flight at the peak.").format(unit=unit)
    title = _("Memory per GPU by pipeline stage")
    desc = _("Stacked bars of each pipeline stage's memory per GPU by component, against the usable "
             "memory of {capacity}; the largest stage needs {peak}.").format(
        capacity=ctx.mem(usable, unit), peak=ctx.mem(plan["peak_bytes"], unit))
    # on a narrow terminal layers and micro-batches in flight go first (the memory breakdown is what the
    # table is for), then the smallest components; stage, peak, peak phase and fits stay
    smallest = sorted(range(len(keys)), key=lambda i: (max(r["memory"].get(keys[i], 0.0) for r in plan["ranks"]), i))
    table = Table(headers, rows, align, classes, caption=caption,
                  drop_order=(1, 2) + tuple(3 + i for i in smallest),
                  lead=(len(headers) - 3, len(headers) - 2, len(headers) - 1),   # a wide screen table: peak first
                  units=("", "", _("micro-batches")) + (unit,) * (len(keys) + 1) + ("", ""))
    return Chart(f"{pid}-memory", "stack", title, desc, _spec(ctx, unit, keys, bars, lines), table)


def _serving_chart(ctx: Context, plan: dict, pid: str) -> Chart:
    _ = ctx._
    nf = ctx.nf
    unit = plan["hardware"]["memory_unit"]
    memory, budget = plan["memory"], plan["budget_bytes"]
    keys = [k for k in SERVING_COMPONENTS if memory.get(k)]
    bars = [{"label": _("per GPU"), "values": [nf.mem_value(memory[k], unit) for k in keys]}]
    lines = [{"label": _("budget"), "value": nf.mem_value(budget, unit), "style": "capacity"},
             {"label": _("usable GPU memory"), "value": nf.mem_value(plan["hardware"]["usable_bytes"], unit),
              "style": "usable"}]
    headers = [_("component"), _("memory per GPU"), _("share of budget")]
    rows = [[_(SERVING_COMPONENTS[k]), ctx.mem(memory[k], unit), nf.pct(memory[k] / budget)] for k in keys]
    rows.append([_("total"), ctx.mem(plan["peak_bytes"], unit), nf.pct(plan["peak_bytes"] / budget)])
    rows.append([_("budget"), ctx.mem(budget, unit), nf.pct(1.0)])
    classes = [""] * len(keys) + ["total" if plan["fits"] else "bad", "sub"]
    caption = _("The chart's data.")
    title = _("Memory per GPU")
    desc = _("A stacked bar of one GPU's memory by component, against the serving budget of {budget} "
             "and the usable memory.").format(budget=ctx.mem(budget, unit))
    table = Table(headers, rows, ["l", "r", "r"], classes, caption=caption)
    return Chart(f"{pid}-memory", "stack", title, desc, _spec(ctx, unit, keys, bars, lines), table)
