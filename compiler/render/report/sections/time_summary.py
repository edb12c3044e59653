"""Time and cost in the executive summary: one table per kind of plan, a note for the plans whose
time the engine could not estimate, the key figures, and each search's and goal's answer."""

from __future__ import annotations

from capplan.render.report.context import Context, clean
from capplan.render.report.view import GoalView, Note, SearchView, Table


def _timed(plans: list[dict]) -> tuple[list[dict], list[dict]]:
    """The training plans with a step time, and the inference plans with serving figures."""
    train = [p for p in plans if p["kind"] == "training" and p.get("time") and "unavailable" not in p["time"]]
    serve = [p for p in plans if p["kind"] == "inference" and p.get("serving")
             and "unavailable" not in p["serving"]]
    return train, serve


def summary_tables(ctx: Context, plans: list[dict]) -> tuple[list[Table], list[Note]]:
    """The time and cost of every plan that has them (one table per kind), and a note for the rest."""
    train, serve = _timed(plans)
    tables = []
    if train:
        tables.append(_training_table(ctx, train))
    if serve:
        tables.append(_serving_table(ctx, serve))
    return tables, _unestimated(ctx, plans)


def _training_table(ctx: Context, train: list[dict]) -> Table:
    _ = ctx._
    nf = ctx.nf
    long = any("train_s" in p["time"] for p in train)
    priced = any(p["time"].get("cost_usd") is not None for p in train)
    rows = []
    for p in train:
        t = p["time"]
        row = [p["name"], ctx.dur(t["step_s"]), nf.num(t["tokens_per_s"]), nf.pct(t["mfu"])]
        if long:
            row += [ctx.dur(t["train_s"]) if "train_s" in t else "—",
                    nf.count(t["gpu_hours"]) if "gpu_hours" in t else "—"]
        if priced:
            row.append(nf.usd(t["cost_usd"]) if t.get("cost_usd") is not None else "—")
        rows.append(row)
    headers = [_("training plan"), _("step time"), _("tokens/s"), _("MFU")]
    headers += [_("time to train"), _("GPU-hours")] if long else []
    headers += [_("cost to train")] if priced else []
    caption = (_("Time to train, GPU-hours and cost for the tokens each plan gives (—: no tokens or no "
                 "price).") if long else _("No plan gives the tokens to train on: no time to train."))
    return Table(headers, rows, code_columns=frozenset({0}), caption=caption)


def _serving_table(ctx: Context, serve: list[dict]) -> Table:
    _ = ctx._
    nf = ctx.nf
    replicas = any(p["serving"].get("replicas") for p in serve)
    priced = any(p["serving"].get("cost_per_mtok_usd") is not None for p in serve)
    rows = []
    for p in serve:
        sv = p["serving"]
        row = [p["name"], ctx.dur(sv["ttft_s"]), ctx.dur(sv["tpot_s"]), nf.num(sv["tokens_per_s"]),
               nf.int(sv["best_batch"]) if sv.get("best_batch") else "—"]
        if replicas:
            row.append(nf.int(sv["replicas"]) if sv.get("replicas") else "—")
        if priced:
            row.append(nf.usd(sv["cost_per_mtok_usd"]) if sv.get("cost_per_mtok_usd") is not None else "—")
        rows.append(row)
    headers = [_("inference plan"), _("TTFT"), _("TPOT"), _("tokens/s"), _("best batch")]
    headers += [_("replicas")] if replicas else []
    headers += [_("cost per million tokens")] if priced else []
    return Table(headers, rows, code_columns=frozenset({0}),
                 caption=_("Time to first token, time per output token and output tokens per "
                           "second per replica at the plan's batch; the best batch within memory "
                           "and the latency targets (—: none)."))


def _unestimated(ctx: Context, plans: list[dict]) -> list[Note]:
    """One note per reason the engine gave for not estimating plans' time, naming the plans."""
    missing: dict[str, list[str]] = {}
    for p in plans:
        r = p.get("time") if p["kind"] == "training" else p.get("serving")
        if r and "unavailable" in r:
            missing.setdefault(clean(str(r["unavailable"])), []).append(p["name"])
    return [Note("info", ctx.t.ngettext(
        "time, throughput and cost of plan {plans} ({reason}).",
        "time, throughput and cost of plans {plans} ({reason}).", len(names)).format(
        plans=ctx.nf.list(names), reason=reason)) for reason, names in missing.items()]


def key_figures(ctx: Context, plans: list[dict]) -> list[tuple[str, str, str]]:
    """The longest time to train (or step time) and the highest cost, the slowest serving and its cost."""
    _ = ctx._
    nf = ctx.nf
    out = []
    train, serve = _timed(plans)
    long = [p for p in train if "train_s" in p["time"]]
    if long:
        p = max(long, key=lambda p: (p["time"]["train_s"], p["name"]))
        out.append((_("longest time to train"), ctx.dur(p["time"]["train_s"]), p["name"]))
        priced = [p for p in long if p["time"].get("cost_usd") is not None]
        if priced:
            p = max(priced, key=lambda p: (p["time"]["cost_usd"], p["name"]))
            out.append((_("highest cost to train"), nf.usd(p["time"]["cost_usd"]), p["name"]))
    elif train:
        p = max(train, key=lambda p: (p["time"]["step_s"], p["name"]))
        out.append((_("longest step time"), ctx.dur(p["time"]["step_s"]), p["name"]))
    if serve:
        p = max(serve, key=lambda p: (p["serving"]["tpot_s"], p["name"]))
        out.append((_("longest time per output token"), ctx.dur(p["serving"]["tpot_s"]), p["name"]))
        priced = [p for p in serve if p["serving"].get("cost_per_mtok_usd") is not None]
        if priced:
            p = max(priced, key=lambda p: (p["serving"]["cost_per_mtok_usd"], p["name"]))
            out.append((_("highest cost per million tokens"), nf.usd(p["serving"]["cost_per_mtok_usd"]),
                        p["name"]))
    return out


def answers(ctx: Context, searches: list[SearchView], goals: list[GoalView]) -> Table | None:
    """Each search's and goal's answer in one table; None when the specs ask nothing."""
    _ = ctx._
    rows = [[s.name, _("strategy search"), s.target, s.answer] for s in searches]
    rows += [[g.name, _("procurement"), g.target, g.answer] for g in goals]
    if not rows:
        return None
    return Table([_("question"), _("kind"), _("for plan"), _("answer")], rows, ["l", "l", "l", "l"],
                 code_columns=frozenset({0, 2}))
