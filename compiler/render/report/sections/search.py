"""Strategy searches: the counts, the best layouts, the Pareto front of GPUs against step time
(with its chart) and why the other layouts were left out (`comp.searches`, as `capplan eval
--format json` gives them). Layouts are written as the terminal writes them (`_layout_words` of
capplan.render.text), in the report's language."""

from __future__ import annotations

from capplan.check.layout_rules import megatron_fsdp
from capplan.render.report.context import Context, clean
from capplan.render.report.i18n import N_
from capplan.render.report.view import Chart, SearchView, Table

OBJECTIVES = {
    "step_time": N_("step time"), "cost": N_("cost"), "gpus": N_("GPUs"), "time": N_("time to train"),
    "tokens_per_s": N_("throughput"), "mfu": N_("MFU"), "memory": N_("peak memory"), "peak_memory": N_("peak memory"),
    "headroom": N_("headroom"),
}
DIRECTIONS = {"minimize": N_("minimize {metric}"), "maximize": N_("maximize {metric}")}
REJECTED_SHOWN = 8     # the reasons the compact table (Markdown) lists, most frequent first


def layout_text(ctx: Context, lay: dict, runtime: str | None = None) -> str:
    """`TP 1 × PP 2 × DP 4, ZeRO 3, SP, distributed optimizer, 2 virtual stages, recompute none,
    micro-batch 1`: the search's layout in the report's words (under Megatron, ZeRO 2/3 is Megatron-FSDP)."""
    _ = ctx._
    if lay.get("data") is not None:
        grid = _("TP {t} × PP {p} × DP {d}").format(t=lay["tensor"], p=lay["pipeline"], d=lay["data"])
    else:   # a layout rejected before its data-parallel size was known
        grid = _("TP {t} × PP {p}").format(t=lay["tensor"], p=lay["pipeline"])
    if lay.get("context", 1) > 1:
        grid += " " + _("× CP {c}").format(c=lay["context"])
    parts = [grid]
    if lay.get("expert", 1) > 1:
        parts.append(_("EP {e}").format(e=lay["expert"]))
    if lay.get("zero") is not None:
        parts.append((_("Megatron-FSDP (ZeRO {n})") if megatron_fsdp(runtime, lay["zero"])
                      else _("ZeRO {n}")).format(n=lay["zero"]))
    if lay.get("sequence_parallel"):
        parts.append(_("SP"))
    if lay.get("distributed_optimizer"):
        parts.append(_("distributed optimizer"))
    if lay.get("virtual_stages", 1) > 1:
        parts.append(_("{n} virtual stages").format(n=lay["virtual_stages"]))
    if lay.get("recompute") is not None:
        parts.append(_("recompute {r}").format(r=ctx.choice("recompute", lay["recompute"])))
    if lay.get("micro_batch") is not None:
        parts.append(_("micro-batch {n}").format(n=ctx.nf.int(lay["micro_batch"])))
    return _(", ").join(parts)


def gpus_text(ctx: Context, gpus: int) -> str:
    return ctx.t.ngettext("{n} GPU", "{n} GPUs", gpus).format(n=ctx.nf.int(gpus))


def metric(ctx: Context, name: str) -> str:
    tr = ctx._      # not `_`: the message is the table's, not a literal here
    return tr(OBJECTIVES[name]) if name in OBJECTIVES else str(name)


def objective(ctx: Context, obj) -> str:
    """`minimize step time`: a search's objective (a metric, or a metric and a direction)."""
    tr = ctx._
    if isinstance(obj, dict):
        name, direction = metric(ctx, obj["metric"]), DIRECTIONS.get(obj["direction"])
        return tr(direction).format(metric=name) if direction else f"{obj['direction']} {name}"
    return tr(DIRECTIONS["minimize"]).format(metric=metric(ctx, obj))


def search(ctx: Context, s: dict, sid: str, target: dict | None, source_anchor: str | None) -> SearchView:
    """The view of search `s`; `target` is the evaluated plan it searches around (for its memory unit)."""
    _ = ctx._
    nf = ctx.nf
    unit = target["hardware"]["memory_unit"] if target else "GiB"
    summary = _("{considered} layouts considered, {valid} valid, {accepted} fit and meet the requirements; "
                "objective: {objective}.").format(considered=nf.int(s["considered"]), valid=nf.int(s["valid"]),
                                                  accepted=nf.int(s["accepted"]),
                                                  objective=objective(ctx, s["objective"]))
    best = top = chart = pareto = None
    empty = None
    if s["best"] is None:
        empty = clean(str(s.get("empty_reason") or _("no layout is left")))
        answer = _("no layout: {reason}").format(reason=empty)
    else:
        b = s["best"]
        best = gpus_text(ctx, b["layout"]["gpus"]) + _(": ") + layout_text(ctx, b["layout"])
        answer = best
        if b.get("step_s"):
            answer += _("; ") + _("step time {t}").format(t=ctx.dur(b["step_s"]))
        top = layouts_table(ctx, s["top"], unit, ranked=True)
        top.caption = _("The best layouts by the objective, best first.")
        if s.get("pareto"):
            pareto = layouts_table(ctx, s["pareto"], unit, ranked=False)
            if len(s["pareto"]) >= 2 and all(r.get("step_s") for r in s["pareto"]):
                pareto.caption = _("The chart's data: no layout on the front is beaten on both GPUs and step "
                                   "time by another; fewest GPUs first.")
                chart = pareto_chart(ctx, s, sid, pareto)
            else:
                pareto.caption = _("No layout on the front is beaten on both GPUs and step time by another; "
                                   "fewest GPUs first.")
    rejected = rejected_top = None
    more = 0
    if s["rejected"]:
        ordered = s["rejected"]                # the engine's order, as `capplan eval` lists them
        rows = [[nf.int(r["count"]), clean(r["reason"]),
                 (gpus_text(ctx, r["example"]["gpus"]) + _(": ") if r["example"].get("gpus") else "")
                 + layout_text(ctx, r["example"]) if r.get("example") else ""] for r in ordered]
        headers = [_("layouts"), _("reason"), _("for example")]
        rejected = Table(headers, rows, ["r", "l", "l"],
                         caption=_("Why the other layouts were left out, and how many each reason excludes."))
        more = max(0, len(rows) - REJECTED_SHOWN)
        rejected_top = Table(headers[:2], [r[:2] for r in rows[:REJECTED_SHOWN]], ["r", "l"])
    return SearchView(sid, s["name"], s["target"], clean(s.get("file", "")), s.get("line", 0), summary, best,
                      empty, answer, top, chart, pareto, rejected, rejected_top, more, source_anchor)


def layouts_table(ctx: Context, results: list[dict], unit: str, ranked: bool) -> Table:
    """Layouts with their memory, time, throughput and cost; `ranked`: numbered, the first marked."""
    _ = ctx._
    nf = ctx.nf
    rows = []
    for i, r in enumerate(results):
        lay = r["layout"]
        row = [str(i + 1)] if ranked else []
        row += [nf.int(lay["gpus"]), layout_text(ctx, lay), ctx.mem(r["peak_bytes"], unit),
                nf.pct(r["headroom"], 0), ctx.dur(r["step_s"]) if r.get("step_s") else "—",
                nf.num(r["tokens_per_s"]) if r.get("tokens_per_s") else "—",
                nf.pct(r["mfu"]) if r.get("mfu") else "—",
                nf.usd(r["cost_per_step_usd"]) if r.get("cost_per_step_usd") is not None else "—"]
        rows.append(row)
    headers = ([_("#")] if ranked else []) + [_("GPUs"), _("layout"), _("peak per GPU"), _("headroom"),
                                              _("step time"), _("tokens/s"), _("MFU"), _("cost per step")]
    align = (["r"] if ranked else []) + ["r", "l", "r", "r", "r", "r", "r", "r"]
    return Table(headers, rows, align, ["current" if ranked and i == 0 else "" for i in range(len(rows))])


def pareto_chart(ctx: Context, s: dict, sid: str, table: Table) -> Chart:
    """The Pareto front of GPUs against step time, the other top layouts beside it."""
    _ = ctx._
    nf = ctx.nf
    front = s["pareto"]
    longest = max(r["step_s"] for r in front + [r for r in s["top"] if r.get("step_s")])
    factor, unit = nf.duration_unit(longest)

    def key(r):
        return r["layout"]["gpus"], r["step_s"]

    on_front = {key(r) for r in front}
    points = [{"x": r["layout"]["gpus"], "y": r["step_s"] / factor, "cost": r.get("cost_per_step_usd"),
               "label": nf.usd(r["cost_per_step_usd"]) if r.get("cost_per_step_usd") is not None else ""}
              for r in sorted(front, key=key)]
    others = [{"x": r["layout"]["gpus"], "y": r["step_s"] / factor} for r in s["top"]
              if r.get("step_s") and key(r) not in on_front]
    priced = any(p["cost"] is not None for p in points)
    spec = {"points": points, "others": others, "unit": unit,
            "xlabel": _("GPUs"), "ylabel": _("step time ({unit})").format(unit=unit),
            "series_label": _("Pareto front") + (_(" (marker area: cost per step)") if priced else ""),
            "others_label": _("other top layouts")}
    desc = _("The Pareto front of GPUs against step time: {points}.").format(points=nf.list(
        [_("{gpus}: {step}").format(gpus=gpus_text(ctx, r["layout"]["gpus"]), step=ctx.dur(r["step_s"]))
         for r in sorted(front, key=key)]))
    return Chart(f"{sid}-pareto", "pareto", _("Step time against GPUs: the Pareto front"), desc, spec, table)
