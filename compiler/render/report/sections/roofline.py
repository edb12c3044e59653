"""A serving plan's roofline (issue 13 item 5): where prefill (one prompt) and decode (one step of the
plan's batch) sit against the GPU's roof, min(dense peak, bandwidth x FLOP per byte), from the engine's
own roofline figures (engine/serving.py `roofline`: the data sheet's peak and bandwidth, FLOPs and bytes
per GPU). The figures are in the plan's time table too, which serves as the chart's data."""

from __future__ import annotations

from capplan.render.report.context import Context
from capplan.render.report.view import Chart


def roofline_chart(ctx: Context, plan: dict, pid: str) -> Chart | None:
    """The chart, or None when the engine gave no roofline for the plan."""
    sv = plan.get("serving") or {}
    roof = sv.get("roofline")
    if not roof or not roof.get("peak_flops"):
        return None
    _ = ctx._
    nf = ctx.nf
    peak, ridge = roof["peak_flops"], roof["ridge_flops_per_byte"]
    labels = {"prefill": _("prefill, one prompt"), "decode": _("decode, the plan's batch")}
    points = [{"key": k, "label": labels[k], "x": roof[k]["flops_per_byte"], "y": roof[k]["attainable_flops"],
               "bound": roof[k]["bound"]} for k in ("prefill", "decode") if roof[k]["flops_per_byte"] > 0]
    if not points:
        return None
    bound = {"compute": _("compute-bound"), "memory": _("memory-bound")}
    desc = _("A log-log roofline: attainable FLOP/s per GPU against FLOP per byte of memory traffic, the roof "
             "rising with the bandwidth up to the ridge point ({ridge} FLOP per byte) and flat at the peak "
             "({peak}) after it; {points}.").format(
        ridge=nf.num(ridge), peak=nf.si(peak, "FLOP/s"),
        points=nf.list([_("{phase} at {x} FLOP per byte, {bound}").format(
            phase=p["label"], x=nf.num(p["x"]), bound=bound[p["bound"]]) for p in points]))
    spec = {"peak": peak, "ridge": ridge, "points": points,
            "roof_label": _("the roof: the smaller of the peak and bandwidth x FLOP per byte"),
            "ridge_label": _("ridge point"),
            "xlabel": _("FLOP per byte of memory traffic (log scale)"),
            "ylabel": _("TFLOP/s per GPU (log scale)")}
    # its data are the time table's roofline rows (sections/time_cost.py): no table of its own
    return Chart(f"{pid}-roofline", "roofline", _("Roofline: prefill and decode"), desc, spec, None)
