"""A plan's time and cost: a training plan's step time by part, throughput, MFU and the time,
GPU-hours, cost and energy to train; an inference plan's latency, throughput, replicas and cost.

The engine's results are read as `capplan eval --format json` gives them (`plan["time"]`,
`plan["serving"]`); where the engine could not estimate a figure it says why
(`{"unavailable": reason}`) and the report shows that reason. The wording follows the terminal
output (capplan.render.text); numbers go through the locale.
"""

from __future__ import annotations

from capplan.analyses.prices import catalog_prices
from capplan.core import constants as K
from capplan.engine.tco import HOURS_PER_MONTH, rates
from capplan.render.report.context import Context, clean
from capplan.render.report.i18n import N_
from capplan.render.report.sections.latency import latency_chart
from capplan.render.report.sections.procurement import count_of
from capplan.render.report.sections.roofline import roofline_chart
from capplan.render.report.view import Chart, Table, TimeView, kv_table

TIME_PARTS = {  # the parts of a training step, in stacking order: (label, result path)
    "matmul": (N_("matrix multiplications"), ("matmul_s",)),
    "elementwise": (N_("memory-bound kernels"), ("elementwise_s",)),
    "optimizer": (N_("optimizer step"), ("optimizer_s",)),
    "bubble": (N_("pipeline bubble"), ("bubble_s",)),
    "comm_tensor": (N_("tensor-parallel communication, not overlapped"), ("communication_s", "tensor")),
    "comm_data": (N_("data-parallel communication, not overlapped"), ("communication_s", "data")),
    "overlap": (N_("compute slowed by overlapped data-parallel traffic"), ("overlap_slowdown_s",)),
    "comm_pipeline": (N_("pipeline communication"), ("communication_s", "pipeline")),
    "comm_expert": (N_("expert-parallel communication"), ("communication_s", "expert")),
    "comm_context": (N_("context-parallel communication, not overlapped"), ("communication_s", "context")),
}


def _get(d: dict, path: tuple):
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def plan_time(ctx: Context, plan: dict, w, pid: str) -> TimeView | None:
    """The plan's time view; None when the engine gave no time for it."""
    if plan["kind"] == "training":
        return training(ctx, plan, w, pid)
    view = serving(ctx, plan, w)
    if view is not None and view.available:
        view.chart = latency_chart(ctx, plan, w, pid)
        view.roofline = roofline_chart(ctx, plan, pid)
    return view


def training(ctx: Context, plan: dict, w, pid: str) -> TimeView | None:
    """Step time, throughput and utilization; with the plan's tokens (from its declaration `w`), the time,
    GPU-hours, cost and energy to train."""
    _ = ctx._
    nf = ctx.nf
    title = _("Time and cost")
    t = plan.get("time")
    if not t:
        return None
    if "unavailable" in t:
        reason = clean(str(t["unavailable"]))
        return TimeView(title, False, _("not estimated: {reason}").format(reason=reason), reason)
    line = [_("step time {t}").format(t=ctx.dur(t["step_s"])),
            _("{n} tokens/s").format(n=nf.num(t["tokens_per_s"])),
            _("MFU {p}").format(p=nf.pct(t["mfu"]))]
    pairs = [(_("step time"), ctx.dur(t["step_s"]))]
    if t.get("tokens_per_step"):
        pairs.append((_("tokens per step"), nf.tokens(t["tokens_per_step"])))
    pairs += [(_("throughput"), _("{n} tokens/s").format(n=nf.num(t["tokens_per_s"]))),
              (_("model FLOPs utilization (MFU)"), nf.pct(t["mfu"])),
              (_("hardware FLOPs utilization (HFU, with recomputation)"), nf.pct(t["hfu"]))]
    if t.get("model_flops_per_token"):
        pairs.append((_("model FLOPs per token"), nf.si(t["model_flops_per_token"], "FLOP")))
    if t.get("peak_flops"):
        pairs.append((_("peak per GPU"), _("{value} ({fmt}, dense)").format(
            value=nf.si(t["peak_flops"], "FLOP/s"), fmt=t.get("compute_precision") or "bf16")))
    if "train_s" in t:
        tokens = w.tokens if w is not None else None
        took = ctx.dur(t["train_s"])
        pairs.append((_("time to train"), _("{time} for {tokens} tokens").format(
            time=took, tokens=nf.params(tokens)) if tokens else took))
        pairs.append((_("GPU-hours"), nf.count(t["gpu_hours"])))
        pairs.append((_("cost to train"), nf.usd(t["cost_usd"]) if t.get("cost_usd") is not None
                      else _("no price given for this GPU")))
        pairs.append((_("energy to train"), nf.energy(t["energy_kwh"]) if t.get("energy_kwh") is not None
                      else _("no power given for this GPU")))
        g = t.get("goodput") or {}
        if "goodput" in g:
            pairs.append((_("with interruptions"), _("{time} to train, goodput {p}").format(
                time=ctx.dur(g["train_s"]), p=nf.pct(g["goodput"]))))
            pairs.append((_("interruptions, restarts, checkpoints"), _(
                "{n} expected (one every {every}); restart {restart}; checkpoint {save} every {interval}").format(
                n=count_of(ctx, g["interruptions"]), every=ctx.dur(g["job_interruption_interval_s"]),
                restart=ctx.dur(g["restart_s"]), save=ctx.dur(g["checkpoint_save_s"]),
                interval=ctx.dur(g["checkpoint_interval_s"]))))
            if g.get("cost_usd") is not None:
                pairs.append((_("cost with interruptions"), nf.usd(g["cost_usd"])))
        line.append(_("{t} to train").format(t=took))
        line.append(_("{n} GPU-hours").format(n=nf.count(t["gpu_hours"])))
        if t.get("cost_usd") is not None:
            line.append(_("cost {c}").format(c=nf.usd(t["cost_usd"])))
        if t.get("energy_kwh") is not None:
            line.append(_("energy {e}").format(e=nf.energy(t["energy_kwh"])))
    return TimeView(title, True, " · ".join(line), table=kv_table(pairs), chart=step_chart(ctx, t, pid),
                    bases=cost_bases(ctx, plan, w))


def step_chart(ctx: Context, t: dict, pid: str) -> Chart:
    """One training step's time as a stacked bar of its parts, with the chart's data as a table."""
    _ = ctx._
    nf = ctx.nf
    step = t["step_s"]
    tr = ctx._      # labels from TIME_PARTS, translated here
    if "matmul_s" in t:
        parts = [(k, tr(label), _get(t, path) or 0.0) for k, (label, path) in TIME_PARTS.items()]
    else:   # an engine without the split of compute: compute as one part
        parts = [("matmul", _("compute"), t["compute_s"])]
        parts += [(k, tr(label), _get(t, path) or 0.0) for k, (label, path) in TIME_PARTS.items()
                  if k not in ("matmul", "elementwise", "optimizer")]
    shown = [p for p in parts if p[2] > 0]
    factor, unit = nf.duration_unit(step)
    rows = [[label, ctx.dur(v), nf.pct(v / step if step else 0.0)] for _k, label, v in shown]
    classes = [""] * len(rows)
    rows.append([_("step"), ctx.dur(step), nf.pct(1.0)])
    classes.append("total")
    for total_key, shown_key, label in (
            ("tensor_total", "tensor", _("tensor-parallel communication before overlap")),
            ("data_total", "data", _("data-parallel reduction before overlap")),
            ("expert_total", "expert", _("expert-parallel all-to-alls before overlap"))):
        total = _get(t, ("communication_s", total_key))
        if total and total > (_get(t, ("communication_s", shown_key)) or 0.0) * 1.0001:
            rows.append([label, ctx.dur(total), ""])
            classes.append("sub")
    largest = max(shown, key=lambda p: p[2]) if shown else None
    desc = _("A stacked bar of one training step's time by part, {step} in all; the largest part is {part} "
             "({share}).").format(step=ctx.dur(step), part=largest[1] if largest else "",
                                  share=nf.pct(largest[2] / step) if largest and step else "")
    band = t.get("band") or {}
    lines = [{"value": band[key] / factor, "style": "band", "label": label} for key, label in (
        ("step_low_s", _("time band: optimistic end")), ("step_high_s", _("time band: pessimistic end")))
        if band.get(key)]
    spec = {"bars": [{"label": _("one step"), "values": [v / factor for _k, _l, v in shown]}],
            "series": [label for _k, label, _v in shown], "keys": [k for k, _l, _v in shown], "lines": lines,
            "unit": unit, "xlabel": _("time per step ({unit})").format(unit=unit)}
    caption = _("The chart's data: the parts of one optimizer step, which add up to the step time. "
                "Communication counts only what the computation does not hide.")
    if lines:
        rows.append([_("time band (10th-90th percentile of this configuration's measured iterations)")
                     if band.get("basis") == "measured" else
                     _("time band (10th-90th percentile of the published runs' errors)"),
                     _("{low} to {high}").format(low=ctx.dur(band["step_low_s"]), high=ctx.dur(band["step_high_s"])),
                     ""])
        classes.append("sub")
    table = Table([_("part"), _("time"), _("share of the step")], rows, ["l", "r", "r"], classes, caption=caption)
    return Chart(f"{pid}-time", "stack", _("Time per step by part"), desc, spec, table)


def serving(ctx: Context, plan: dict, w) -> TimeView | None:
    """Time to first token, time per output token, throughput, the best batch, replicas and cost; the
    latency targets and request rate come from the declaration `w`."""
    _ = ctx._
    nf = ctx.nf
    ngettext = ctx.t.ngettext
    title = _("Latency, throughput and cost")
    sv = plan.get("serving")
    if not sv:
        return None
    if "unavailable" in sv:
        reason = clean(str(sv["unavailable"]))
        return TimeView(title, False, _("not estimated: {reason}").format(reason=reason), reason)
    bound = _("memory-bound") if sv.get("bound") == "memory" else _("compute-bound")
    line = [_("TTFT {t}").format(t=ctx.dur(sv["ttft_s"])), _("TPOT {t}").format(t=ctx.dur(sv["tpot_s"])),
            _("{n} tokens/s").format(n=nf.num(sv["tokens_per_s"]))]
    pairs = [(_("time to first token (TTFT)"), ctx.dur(sv["ttft_s"])),
             (_("time per output token (TPOT)"), _("{t} ({bound})").format(t=ctx.dur(sv["tpot_s"]), bound=bound)),
             (_("throughput at the plan's batch"), _("{n} output tokens/s per replica").format(
                 n=nf.num(sv["tokens_per_s"])))]
    parts = sv.get("parts")
    if parts:  # the closed form's terms (engine/serving_cost.py): each sum is the figure above it
        pairs[1:1] = [(_("time to first token, in parts"), _("front end {fe} + prefill {pf}").format(
            fe=ctx.dur(parts["ttft_front_end_s"]), pf=ctx.dur(parts["ttft_prefill_s"])))]
        terms = (_("linear layers {lin} + attention {att} + tensor-parallel all-reduces {tp} + host {host}")
                 if parts["tpot_tensor_parallel_s"] else _("linear layers {lin} + attention {att} + host {host}"))
        pairs[3:3] = [(_("time per output token, in parts"), terms.format(
            lin=ctx.dur(max(parts["tpot_linear_compute_s"], parts["tpot_linear_memory_s"])),
            att=ctx.dur(max(parts["tpot_attention_compute_s"], parts["tpot_attention_memory_s"])),
            tp=ctx.dur(parts["tpot_tensor_parallel_s"]),
            host=ctx.dur(parts["tpot_overhead_s"] + parts["tpot_sequences_s"])))]
    if sv.get("request_s") is not None:
        pairs.append((_("time per request"), ctx.dur(sv["request_s"])))
        pairs.append((_("requests per second at the plan's batch"), nf.num(sv["requests_per_s"])))
    if w is not None and (w.target_ttft is not None or w.target_tpot is not None):
        tt = [(_("TTFT"), w.target_ttft), (_("TPOT"), w.target_tpot)]
        said = [_("{what} ≤ {t}").format(what=k, t=ctx.dur(v)) for k, v in tt if v]
        if said:
            pairs.append((_("latency targets"), _(", ").join(said)))
    if sv.get("best_batch"):
        best = _("{n} sequences: {tps} output tokens/s, {tpot} per token").format(
            n=nf.int(sv["best_batch"]), tps=nf.num(sv["best_tokens_per_s"]), tpot=ctx.dur(sv.get("best_tpot_s")))
        if sv.get("best_requests_per_s"):
            best += _(", ") + _("{n} requests/s").format(n=nf.num(sv["best_requests_per_s"]))
        pairs.append((_("best batch within memory and targets"), best))
        line.append(_("best batch {n}").format(n=nf.int(sv["best_batch"])))
    else:
        pairs.append((_("best batch within memory and targets"), _("none: no batch fits and meets the targets")))
    if sv.get("replicas"):
        rate = w.requests if w is not None else None
        label = (_("replicas for {n} requests/s").format(n=nf.num(rate)) if rate
                 else _("replicas for the request rate"))
        pairs.append((label, ngettext("{n} replica, {g} GPUs in all", "{n} replicas, {g} GPUs in all",
                                      sv["replicas"]).format(n=nf.int(sv["replicas"]), g=nf.int(sv["gpus_total"]))))
        line.append(ngettext("{n} replica", "{n} replicas", sv["replicas"]).format(n=nf.int(sv["replicas"])))
    roof = sv.get("roofline")
    if roof:
        for phase, label in (("prefill", _("roofline position, prefill (one prompt)")),
                             ("decode", _("roofline position, decode (the plan's batch)"))):
            r = roof[phase]
            pairs.append((label, _("{i} FLOP per byte against a ridge point of {ridge}: {bound}, at most {flops}").format(
                i=nf.num(r["flops_per_byte"]), ridge=nf.num(roof["ridge_flops_per_byte"]),
                bound=_("compute-bound") if r["bound"] == "compute" else _("memory-bound"),
                flops=nf.si(r["attainable_flops"], "FLOP/s"))))
    if sv.get("cost_per_mtok_usd") is not None:
        pairs.append((_("cost per million output tokens"), nf.usd(sv["cost_per_mtok_usd"])))
        line.append(_("{c} per million tokens").format(c=nf.usd(sv["cost_per_mtok_usd"])))
    return TimeView(title, True, " · ".join(line), table=kv_table(pairs), bases=cost_bases(ctx, plan, w))


BASES = {"on_demand": N_("on demand"), "reserved": N_("reserved (1-year commitment)"), "owned": N_("owned")}


def cost_bases(ctx: Context, plan: dict, w) -> Table | None:
    """The plan's cost on demand, reserved and owned (engine/tco.py figures): the price per GPU-hour, the cost to
    train (training) or of the fleet per month (serving), and what each rate rests on; None without any rate."""
    _ = ctx._
    nf = ctx.nf
    figs = plan.get("figures") or {}
    training = plan["kind"] == "training"
    total_key = "cost.train.{}" if training else "cost.month.{}"
    missing = plan.get("cost_unavailable") or {}
    rows = []
    for basis, label in BASES.items():
        rate = figs.get(f"cost.rate.{basis}")
        if rate is None:
            if basis in missing:
                rows.append([ctx._(label), "—", "—", clean(missing[basis])])
            continue
        total = figs.get("cost.train" if training and basis == "on_demand" else total_key.format(basis))
        rows.append([ctx._(label), nf.usd(rate["value"]), nf.usd(total["value"]) if total else "—",
                     _basis_text(ctx, basis, plan, w)])
    if not any(r[1] != "—" for r in rows):
        return None
    even = figs.get("cost.owned.break_even")
    if even is not None:
        rows.append([_("owned: break-even"), "—", _("{n} months").format(n=nf.num(even["value"], 3)),
                     _("months of use after which buying has cost less than renting on demand")])
    caption = _("Each basis's price per GPU-hour; the constants are named in the appendix and overridable in the "
                "spec's framework block.")
    last = _("cost to train") if training else _("cost per month ({h} h)").format(h=nf.int(HOURS_PER_MONTH))
    return Table([_("basis"), _("per GPU-hour"), last, _("what the rate rests on")], rows, ["l", "r", "r", "l"],
                 caption=caption)


def _basis_text(ctx: Context, basis: str, plan: dict, w) -> str:
    _ = ctx._
    nf = ctx.nf
    fw = w.framework if w is not None else None

    def const(c):
        return fw.constant(c) if fw is not None else c.value
    if basis == "on_demand":
        return _("the price per GPU-hour of the catalog or the spec (sources on the decision page)")
    if basis == "reserved":
        return _("on demand less {d} (reserved_discount)").format(d=nf.pct(const(K.RESERVED_DISCOUNT), 0))
    paid = w.hardware.gpu.purchase_price if w is not None else None
    bought = catalog_prices("purchase_price").get(plan["hardware"]["gpu"])
    if bought is not None and (paid is None or paid == bought.usd_per_hour):
        price = _("purchase price {usd} per GPU ({source}, {date})").format(
            usd=nf.usd(bought.usd_per_hour), source=bought.file, date=bought.date or "—")
    else:
        price = _("the spec's purchase price {usd} per GPU").format(usd=nf.usd(paid or 0.0))
    return _("{price} over {years} years at {use} use, plus electricity at {draw} per GPU (board power × "
             "system_power × PUE) at {kwh} per kWh, plus colocation {colo} per GPU-hour").format(
        price=price, years=nf.num(const(K.DEPRECIATION) / K.YEAR, 3), use=nf.pct(const(K.OWNED_UTILIZATION), 0),
        draw=nf.si(rates(w)["draw_w"] if w is not None else 0.0, "W"), kwh=nf.usd(const(K.ELECTRICITY_PRICE) * 3.6e6),
        colo=nf.usd(const(K.COLOCATION) * 3600))
