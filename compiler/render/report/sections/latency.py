"""A serving plan's latency against load (issue 13 item 5): simulated TTFT and TPOT, median and 99th
percentile, at request rates up to the replica's saturated rate, with the plan's targets and its own
rate marked (capplan.analyses.serving_curve), and the chart's data as a table."""

from __future__ import annotations

from capplan.analyses.serving_curve import latency_curve
from capplan.render.report.context import Context
from capplan.render.report.view import Chart, Table


def latency_chart(ctx: Context, plan: dict, w, pid: str) -> Chart | None:
    """The chart, or None when the plan gives no request shape or cannot be simulated."""
    if w is None or getattr(w, "kind", "") != "inference":
        return None
    found = latency_curve(w)
    if found is None:
        return None
    points, saturated = found
    _ = ctx._
    nf = ctx.nf
    targets = {"ttft": w.target_ttft, "tpot": w.target_tpot}
    rows, classes = [], []
    for p in points:
        within = lambda v, t: t is None or v <= t   # noqa: E731
        ok = within(p.ttft_p99, targets["ttft"]) and within(p.tpot_p99, targets["tpot"])
        rows.append([nf.num(p.rate), nf.num(p.output_tokens_per_s), ctx.dur(p.ttft_p50), ctx.dur(p.ttft_p99),
                     ctx.dur(p.tpot_p50), ctx.dur(p.tpot_p99),
                     nf.pct(p.attainment) if p.attainment is not None else "—"])
        classes.append("" if ok else "bad")
    said = [_("{what} ≤ {t}").format(what=k.upper(), t=ctx.dur(v)) for k, v in targets.items() if v]
    caption = _("The chart's data: one replica under Poisson arrivals at each rate, simulated as `capplan eval` "
                "simulates the plan's own rate; the replica completes at most {sat} requests/s when every "
                "request comes at once.").format(sat=nf.num(saturated))
    if said:
        caption += " " + _("Targets: {targets}; rows where a 99th percentile misses one are marked.").format(
            targets=_(", ").join(said))
    table = Table([_("requests/s"), _("output tokens/s"), _("TTFT p50"), _("TTFT p99"), _("TPOT p50"),
                   _("TPOT p99"), _("within targets")], rows, ["r"] * 7, classes, caption=caption)
    worst = points[-1]
    desc = _("Simulated latency against request rate for one replica, from {lo} to {hi} requests/s: at the "
             "highest rate TTFT p99 is {ttft} and TPOT p99 {tpot}.").format(
        lo=nf.num(points[0].rate), hi=nf.num(worst.rate), ttft=ctx.dur(worst.ttft_p99),
        tpot=ctx.dur(worst.tpot_p99))
    spec = {"rates": [p.rate for p in points],
            "series": [{"key": "ttft_p50", "label": _("TTFT p50"), "values": [p.ttft_p50 for p in points]},
                       {"key": "ttft_p99", "label": _("TTFT p99"), "values": [p.ttft_p99 for p in points]},
                       {"key": "tpot_p50", "label": _("TPOT p50"), "values": [p.tpot_p50 for p in points]},
                       {"key": "tpot_p99", "label": _("TPOT p99"), "values": [p.tpot_p99 for p in points]}],
            "targets": [{"key": k, "label": _("{what} target").format(what=k.upper()), "value": v}
                        for k, v in targets.items() if v],
            "current": _per_replica(plan, w), "current_label": _("the plan's request rate per replica"),
            "xlabel": _("requests/s per replica"), "ylabel": _("latency (s, log scale)")}
    return Chart(f"{pid}-latency", "latency", _("Latency against load"), desc, spec, table)


def _per_replica(plan: dict, w) -> float | None:
    """The plan's request rate over its replicas (the fleet the closed form sizes, one when it gives none)."""
    if not w.requests:
        return None
    replicas = (plan.get("serving") or {}).get("replicas") or 1
    return w.requests / replicas
