"""Procurement goals: each GPU type's cheapest way to meet a training deadline or a serving rate
within the latency targets, ranked, with a chart of their costs (`comp.goals`, as `capplan eval
--format json` gives them)."""

from __future__ import annotations

import functools
import re

from capplan.render.report.context import Context, clean
from capplan.render.report.sections.search import layout_text, metric
from capplan.render.report.view import Chart, GoalView, Table


def goal(ctx: Context, g: dict, gid: str, w, source_anchor: str | None) -> GoalView:
    """The view of goal `g`; `w` is the declaration of the plan it sizes (for the tokens to train on)."""
    _ = ctx._
    nf = ctx.nf
    ngettext = ctx.t.ngettext
    ranked_by = metric(ctx, g["objective"])
    options = g["options"]
    first = next((o for o in options if o.get("rank") == 1), None)
    if g["kind"] == "training":
        tokens = w.tokens if w is not None else None
        within = ctx.dur(g["within_s"]) if g.get("within_s") else None
        if tokens:
            what = (_("Train {tokens} tokens within {t}") if within else _("Train {tokens} tokens")).format(
                tokens=nf.params(tokens), t=within)
        else:
            what = (_("Train the plan's tokens within {t}") if within else _("Train the plan's tokens")).format(
                t=within)
        question = _("{what}; ranked by {metric}, lowest first.").format(what=what, metric=ranked_by)
        table, chart = training_options(ctx, options, gid)
        if first:
            answer = _("{gpus} × {gpu} ({nodes}): {days}").format(
                gpus=nf.int(first["gpus"]), gpu=clean(first["gpu_name"]),
                nodes=ngettext("{n} node", "{n} nodes", first["nodes"]).format(n=nf.int(first["nodes"])),
                days=ctx.dur(first["days"] * 86400))
            if first.get("cost_usd") is not None:
                answer += _(", ") + nf.usd(first["cost_usd"])
            if first.get("days_model") is not None:
                answer += _("; sized at {basis}").format(basis=sizing_basis(ctx, first))
    else:
        rate = g.get("requests_per_s")
        question = _("Serve {n} requests/s within the plan's latency targets; ranked by {metric}, lowest "
                     "first.").format(n=nf.num(rate) if rate else "?", metric=ranked_by)
        table, chart = serving_options(ctx, options, gid)
        if first:
            answer = _("{gpus} × {gpu} ({replicas} × TP {tp})").format(
                gpus=nf.int(first["gpus"]), gpu=clean(first["gpu_name"]),
                replicas=ngettext("{n} replica", "{n} replicas", first["replicas"]).format(
                    n=nf.int(first["replicas"])), tp=first["tensor"])
            if first.get("cost_per_hour_usd") is not None:
                answer += _(", ") + _("{c} per hour").format(c=nf.usd(first["cost_per_hour_usd"]))
            if first.get("sized_at"):
                answer += _("; sized at {basis}").format(basis=serving_basis(ctx, first["sized_at"]))
    if not first:
        answer = _("no GPU type meets it")
    note = None
    if chart is None:
        note = _("No option has a price, so there is no cost chart.") if first else None
    return GoalView(gid, g["name"], g["target"], g["kind"], clean(g.get("file", "")), g.get("line", 0), question,
                    answer, table, chart, note, source_anchor, found=first is not None)


def sizing_basis(ctx: Context, o: dict) -> str:
    """How a training goal's time was sized: the pessimistic end of the time band, with interruptions."""
    _ = ctx._
    if o.get("goodput") is None:
        return _("the pessimistic end of the time band, {high} (the model's central estimate: {model})").format(
            high=ctx.dur(o["days_high"] * 86400), model=ctx.dur(o["days_model"] * 86400))
    return _("the pessimistic end of the time band, {high}, with {n} expected interruptions (goodput {p}); the "
             "model's central estimate: {model}").format(
        high=ctx.dur(o["days_high"] * 86400), n=count_of(ctx, o["interruptions"]), p=ctx.nf.pct(o["goodput"]),
        model=ctx.dur(o["days_model"] * 86400))


def serving_basis(ctx: Context, k: dict) -> str:
    """How a serving goal's fleet was sized: the pessimistic end of the serving bands."""
    return ctx._("the pessimistic end of the serving bands (the load × {r}, the TTFT target × {ttft}, the TPOT "
                 "target × {tpot})").format(r=ctx.nf.num(k["requests"], 3), ttft=ctx.nf.num(k["ttft"], 3),
                                            tpot=ctx.nf.num(k["tpot"], 3))


def duration_range(ctx: Context, low_s: float, high_s: float) -> str:
    """A range of durations, "43.2–47.9 d": the unit once when both ends are written in the same one."""
    nf = ctx.nf
    factor, _symbol = nf.duration_unit(high_s)
    if nf.duration_unit(low_s)[0] != factor:
        return ctx._("{low}–{high}").format(low=ctx.dur(low_s), high=ctx.dur(high_s))
    ends = ctx._("{low}–{high}").format(low=nf.num(low_s / factor), high=nf.num(high_s / factor))
    return nf.duration(high_s).replace(nf.num(high_s / factor), ends, 1)


def usd_range(ctx: Context, low: float, high: float) -> str:
    return ctx._("{low}–{high}").format(low=ctx.nf.usd(low), high=ctx.nf.usd(high))


def count_of(ctx: Context, n: float) -> str:
    """An expected count: whole from 10 up, else with its decimals."""
    return ctx.nf.int(round(n)) if n >= 10 else ctx.nf.num(n)


def _unavailable_row(ctx: Context, option: dict, dashes: int = 6) -> list[str]:
    """A goal option the engine could not satisfy: its GPU, dashes, and the reason."""
    return (["—", clean(option["gpu_name"])] + ["—"] * dashes
            + [ctx._("not possible: {reason}").format(reason=clean(str(option["unavailable"])))])


def nearest_rejection(option: dict) -> dict | None:
    """The largest size below the answer that was tried or skipped, with its reason (the goal tries
    sizes in increasing order, so this is the one that came closest)."""
    below = [t for t in option.get("tried", ()) if t.get("reason") and t.get("nodes", t.get("to", 0)) < option.get(
        "nodes", 1 << 62)]
    return max(below, key=lambda t: t.get("nodes", t.get("to", 0))) if below else None


_NUM = r"(\d+(?:\.\d+)?(?:e[+-]?\d+)?)"
# the reasons capplan.analyses.procurement gives for a size it rejected, in English: the report translates them
_REASONS = (
    rf"skipped: (\d+) nodes take {_NUM} d, so even linear scaling needs at least (\d+) nodes for {_NUM} d",
    rf"not tried: (\d+) nodes miss the deadline \({_NUM} d\) and fewer nodes are not faster",
    rf"deadline missed: {_NUM} d at global batch (\d+) \(fastest layout\) > {_NUM} d",
    r"not tried: (\d+) nodes have no fitting layout and fewer nodes hold more per GPU",
)


@functools.cache
def _reason_patterns() -> list[re.Pattern]:
    """_REASONS compiled, on first use (only a translated report of a goal needs them)."""
    return [re.compile(p) for p in _REASONS]


def reason_text(ctx: Context, reason: str) -> str:
    """A rejected size's reason in the report's language (durations in its units); as given in English."""
    if ctx.lang == "en":
        return clean(reason)
    _ = ctx._
    reasons = _reason_patterns()
    for pattern in reasons:
        m = pattern.fullmatch(reason)
        if not m:
            continue
        g = m.groups()
        dur = lambda x: ctx.dur(float(x) * 86400)   # noqa: E731 (days in the engine's reason)
        if pattern is reasons[0]:
            return _("skipped: {n} nodes take {t}, so even linear scaling needs at least {need} nodes for "
                     "{within}").format(n=ctx.nf.int(int(g[0])), t=dur(g[1]), need=ctx.nf.int(int(g[2])),
                                        within=dur(g[3]))
        if pattern is reasons[1]:
            return _("not tried: {n} nodes miss the deadline ({t}) and fewer nodes are not faster").format(
                n=ctx.nf.int(int(g[0])), t=dur(g[1]))
        if pattern is reasons[2]:
            return _("deadline missed: {t} at global batch {batch} (fastest layout) > {within}").format(
                t=dur(g[0]), batch=ctx.nf.int(int(g[1])), within=dur(g[2]))
        return _("not tried: {n} nodes have no fitting layout and fewer nodes hold more per GPU").format(
            n=ctx.nf.int(int(g[0])))
    return clean(reason)


def _rejection_text(ctx: Context, t: dict | None) -> str:
    if t is None:
        return "—"
    n = t["nodes"] if "nodes" in t else (t["from"] if t["from"] == t["to"] else None)
    if n is not None:   # one count (a range of one is one count, not "257–257")
        ngettext = ctx.t.ngettext
        return ngettext("{n} node: {reason}", "{n} nodes: {reason}", n).format(
            n=ctx.nf.int(n), reason=reason_text(ctx, t["reason"]))
    return ctx._("{a}–{b} nodes: {reason}").format(a=ctx.nf.int(t["from"]), b=ctx.nf.int(t["to"]),
                                                  reason=reason_text(ctx, t["reason"]))


def training_options(ctx: Context, options: list[dict], gid: str) -> tuple[Table, Chart | None]:
    """Each GPU type at the fewest nodes that meet the deadline; the chart of the priced ones' cost."""
    _ = ctx._
    nf = ctx.nf
    rows, classes = [], []
    for o in options:
        if "unavailable" in o:
            rows.append(_unavailable_row(ctx, o, 8))
            classes.append("na")
            continue
        low = o.get("days_low")
        cost = (_("no price") if o.get("cost_usd") is None else nf.usd(o["cost_usd"]) if o.get("cost_low_usd") is None
                else usd_range(ctx, o["cost_low_usd"], o["cost_usd"]))
        rows.append([str(o["rank"]), clean(o["gpu_name"]), ctx.t.ngettext(
                         "{gpus} ({n} node)", "{gpus} ({n} nodes)", o["nodes"]).format(
                         gpus=nf.int(o["gpus"]), n=nf.int(o["nodes"])),
                     ctx.dur(o["days"] * 86400) if low is None else duration_range(ctx, low * 86400, o["days"] * 86400),
                     ctx.dur(o["step_s"]), nf.pct(o["mfu"]), nf.count(o["gpu_hours"]), cost,
                     nf.int(o["global_batch"]) if o.get("global_batch") else "—",
                     layout_text(ctx, o["layout"], o.get("runtime")), _rejection_text(ctx, nearest_rejection(o))])
        classes.append("current" if o["rank"] == 1 else "")
    table = Table([_("#"), _("GPU"), _("GPUs"), _("time to train"), _("step time"), _("MFU"), _("GPU-hours"),
                   _("cost"), _("global batch"), _("layout"), _("next smaller size")], rows,
                  ["r", "l", "r", "r", "r", "r", "r", "r", "r", "l", "l"], classes,
                  nowrap=frozenset({1}), drop_order=(9, 8, 6, 4, 10),   # a narrow terminal keeps GPU, GPUs, time, cost
                  caption=_("Each GPU type at the fewest nodes (any whole number) that meet the goal, with the "
                            "fastest layout and global batch found there, and why the next smaller size was "
                            "rejected; best first. Time and cost run from the optimistic to the pessimistic end "
                            "of the time band, with the expected interruptions; each size is chosen at the "
                            "pessimistic end, and GPU-hours are counted there."))
    priced = [o for o in options if "unavailable" not in o and o.get("cost_usd") is not None]
    chart = cost_chart(ctx, gid, [(clean(o["gpu_name"]), o["cost_usd"], o["rank"], o.get("cost_low_usd"))
                                  for o in priced], _("Cost to train by GPU type"), "train") if priced else None
    return table, chart


def serving_options(ctx: Context, options: list[dict], gid: str) -> tuple[Table, Chart | None]:
    """Each GPU type at its cheapest tensor-parallel size that meets the targets; the chart of their cost."""
    _ = ctx._
    nf = ctx.nf
    rows, classes = [], []
    for o in options:
        if "unavailable" in o:
            rows.append(_unavailable_row(ctx, o))
            classes.append("na")
            continue
        rows.append([str(o["rank"]), clean(o["gpu_name"]), nf.int(o["gpus"]),
                     _("{n} × TP {tp}").format(n=nf.int(o["replicas"]), tp=o["tensor"]), nf.int(o["batch"]),
                     ctx.dur(o["ttft_s"]), ctx.dur(o["tpot_s"]),
                     nf.usd(o["cost_per_hour_usd"]) if o.get("cost_per_hour_usd") is not None else _("no price"),
                     nf.usd(o["cost_per_mtok_usd"]) if o.get("cost_per_mtok_usd") is not None else "—"])
        classes.append("current" if o["rank"] == 1 else "")
    table = Table([_("#"), _("GPU"), _("GPUs"), _("replicas"), _("batch"), _("TTFT"), _("TPOT"),
                   _("cost per hour"), _("cost per million tokens")], rows,
                  ["r", "l", "r", "r", "r", "r", "r", "r", "r"], classes,
                  nowrap=frozenset({1}), drop_order=(4, 3, 5, 6),
                  caption=_("Each GPU type at its cheapest tensor-parallel size that meets the targets, and "
                            "as many replicas as the request rate needs; best first."))
    priced = [o for o in options if "unavailable" not in o and o.get("cost_per_hour_usd") is not None]
    chart = cost_chart(ctx, gid, [(clean(o["gpu_name"]), o["cost_per_hour_usd"], o["rank"], None) for o in priced],
                       _("Cost per hour by GPU type"), "hour") if priced else None
    return table, chart


def cost_chart(ctx: Context, gid: str, items: list[tuple[str, float, int, float | None]], title: str,
               per: str) -> Chart:
    """Horizontal bars of each priced option's cost (`per`: "train" or "hour"), first-ranked on top; an
    item's fourth value, when given, is the optimistic end of its time band: the bar (the cost the option
    is sized at, the pessimistic end) gets a whisker from there."""
    _ = ctx._
    nf = ctx.nf
    items = sorted(items, key=lambda i: i[2])
    top = max(v for _n, v, _r, _l in items)
    factor, scale = ((1e6, _("million USD")) if top >= 1e6 else (1e3, _("thousand USD")) if top >= 1e4
                     else (1.0, "USD"))
    label = (_("cost to train ({unit})") if per == "train" else _("cost per hour ({unit})")).format(unit=scale)
    banded = any(low is not None for _n, _v, _r, low in items)
    bars = [{"label": name, "value": v / factor, "text": nf.usd(v), "first": rank == 1}
            | ({"low": low / factor, "range": usd_range(ctx, low, v)} if low is not None else {})
            for name, v, rank, low in items]
    base = items[0][1]
    rows = [[str(rank), name, nf.usd(v)] + ([usd_range(ctx, low, v) if low is not None else "—"] if banded else [])
            + [_("{x}×").format(x=nf.num(v / base, 3)) if base else "—"] for name, v, rank, low in items]
    headers = [_("#"), _("GPU"), _("cost per hour") if per == "hour" else _("cost to train")]
    headers += [_("range (time band)")] if banded else []
    caption = (_("The chart's data: each bar is the cost the option is sized at, at the pessimistic end of the "
                 "time band with the expected interruptions; its whisker runs from the optimistic end, the "
                 "range the validation half's step-time errors allow.") if banded else _("The chart's data."))
    table = Table(headers + [_("relative to the first")], rows, ["r", "l", "r"] + (["r"] if banded else []) + ["r"],
                  ["current" if i == 0 else "" for i in range(len(rows))], caption=caption,
                  nowrap=frozenset({1}))
    if banded:
        desc = _("Horizontal bars of the cost of each option at the pessimistic end of the time band, "
                 "first-ranked on top, each with a whisker from the optimistic end: {items}.").format(
            items=nf.list([f"{name} {usd_range(ctx, low, v) if low is not None else nf.usd(v)}"
                           for name, v, _r, low in items]))
    else:
        desc = _("Horizontal bars of the cost of each option, first-ranked on top: {items}.").format(
            items=nf.list([f"{name} {nf.usd(v)}" for name, v, _r, _l in items]))
    spec = {"bars": bars, "xlabel": label, "first_label": _("first in the ranking"),
            "other_label": _("other options"),
            "whisker_label": _("time band (10th-90th percentile of the published runs' errors)")}
    return Chart(f"{gid}-cost", "bars", title, desc, spec, table)
