"""The decision page: the report's first page, for the reader who has to decide.

Per question the specs ask (each goal, each search, each plan's requirements) the answer in one
line; a recommendation card (which GPU, how many, nodes, cost, time against the deadline,
headroom, the runner-up and the margin to it, the binding constraint); the risks (reality checks
from capplan.analyses.reality); every price the answer rests on with its source and date
(capplan.analyses.prices) and how the ranking moves when one price is 30% lower or higher.
Plans that declare they must fail (`require not fits`) are shown as such and never recommended.
"""

from __future__ import annotations

from capplan.analyses import reality
from capplan.analyses.prices import catalog_prices, parse_prices
from capplan.engine.timing import FSDP_BASIS
from capplan.render.report.context import Context, clean
from capplan.render.report.sections.procurement import count_of, serving_basis, sizing_basis
from capplan.render.report.view import Decision, GoalView, Note, SearchView, Table, kv_table

HOURS_PER_MONTH = 730          # 8,760 h a year / 12
SWING = 0.3                    # the price sensitivity: each price alone 30% lower and higher


def decision(ctx: Context, comp, plans: list[dict], declared: dict, searches: list[SearchView],
             goals: list[GoalView], sources: list, base_verdict: str, base_ok: bool) -> Decision:
    """The decision page of the report; `base_verdict` is the memory verdict (summary.verdict)."""
    deadlines = reality.deadline_findings(plans, comp.goals)
    verdict_parts = [_deadline_text(ctx, f) for f in deadlines] + [base_verdict]
    ok = base_ok and not deadlines
    answers = _answers(ctx, plans, searches, goals, deadlines)
    goal_dicts = sorted(comp.goals, key=lambda g: (g["name"], g.get("file", "")))
    first = next((g for g in goal_dicts if any(o.get("rank") == 1 for o in g["options"])), None)
    plans_by_name = {p["name"]: p for p in plans}
    card, card_title = (None, "")
    if first is not None:
        card, card_title = _goal_card(ctx, first, plans_by_name.get(first["target"]))
    elif searches and any(s.best for s in searches):
        s = next(s for s in searches if s.best)
        card_title = ctx._("Recommendation: the best layout of search {name}").format(name=s.name)
        card = kv_table([(ctx._("layout"), s.answer), (ctx._("for plan"), s.target)])
    else:
        card, card_title = _plan_card(ctx, plans)
    risks = [Note("error", _deadline_text(ctx, f)) for f in deadlines] + _risks(ctx, plans, comp, declared)
    prices, sensitivity = _prices(ctx, comp, plans, sources)
    return Decision(verdict=("" if ctx.lang == "zh" else " ").join(verdict_parts), ok=ok, answers=answers, card=card,
                    card_title=card_title, risks=risks, prices=prices, sensitivity=sensitivity,
                    fleets=_fleets(ctx, plans, declared))


def _fleets(ctx: Context, plans: list[dict], declared: dict) -> Table | None:
    """Each serving plan's fleet (its replicas' GPUs) at its price per GPU-hour: per hour and per month."""
    _ = ctx._
    nf = ctx.nf
    rows = []
    for p in plans:
        w = declared.get((p["file"], p["name"]))
        sv = p.get("serving") or {}
        price = getattr(getattr(w, "hardware", None), "price", None)     # USD per GPU-second
        if p["kind"] != "inference" or not price or reality.expected_to_fail(p) or "unavailable" in sv:
            continue
        gpus = sv.get("gpus_total") or p["hardware"]["gpus"]
        hour = price * 3600 * gpus
        figs = p.get("figures") or {}
        rows.append([p["name"], nf.int(gpus), nf.usd(hour), nf.usd(hour * HOURS_PER_MONTH)]
                    + [nf.usd(figs[k]["value"]) if k in figs else "—" for k in ("cost.month.reserved",
                                                                                 "cost.month.owned")])
    if not rows:
        return None
    return Table([_("serving plan"), _("GPUs"), _("cost per hour"),
                  _("cost per month ({h} h)").format(h=nf.int(HOURS_PER_MONTH)), _("per month, reserved"),
                  _("per month, owned")], rows, code_columns=frozenset({0}),
                 caption=_("Each serving plan's fleet (all replicas) at its price per GPU-hour, running all month; "
                           "reserved and owned as in each plan's cost-basis table (—: no purchase price)."))


def _deadline_text(ctx: Context, f: reality.Finding) -> str:
    v = f.values
    return ctx._("Deadline missed: plan {plan} as declared takes {t} with the expected interruptions, {ratio}× "
                 "the {within} of goal {goal} ({late} late).").format(plan=f.subject, t=ctx.dur(v["train_s"]), ratio=ctx.nf.num(v["ratio"], 3),
                                          within=ctx.dur(v["within_s"]), goal=v["goal"], late=ctx.dur(v["late_s"]))


def _answers(ctx: Context, plans, searches, goals, deadlines) -> Table | None:
    """One line per question: each goal, each search, each plan's requirements."""
    _ = ctx._
    rows, classes = [], []
    for g in goals:
        rows.append([g.name, _("procurement"), (_("First choice:") + ("" if ctx.lang == "zh" else " ") if g.found else "") + g.answer])
        classes.append("" if g.found else "bad")
    for s in searches:
        rows.append([s.name, _("strategy search"), s.answer])
        classes.append("" if s.best else "bad")
    late = {f.subject: f for f in deadlines}
    for p in plans:
        reqs = p.get("requirements") or []
        if reality.expected_to_fail(p):
            text = (_("expected to fail, and fails as documented") if p["ok"]
                    else _("expected to fail, but the documented failure does not happen"))
        elif not reqs:
            text = _("no requirement declared")
        elif p["ok"]:
            text = ctx.t.ngettext("its requirement holds", "all {n} requirements hold", len(reqs)).format(
                n=ctx.nf.int(len(reqs)))
        else:
            failed = [clean(str(r.get("text", ""))) for r in reqs if not r.get("ok")]
            text = _("fails: {which}").format(which=ctx.nf.list(failed))
        if p["name"] in late:
            text += _("; ") + _("misses the deadline of goal {goal}").format(goal=late[p["name"]].values["goal"])
        rows.append([p["name"], _("requirements"), text])
        classes.append("" if p["ok"] and p["name"] not in late else "bad")
    if not rows:
        return None
    return Table([_("question"), _("kind"), _("answer")], rows, ["l", "l", "l"], classes,
                 code_columns=frozenset({0}))


def _goal_card(ctx: Context, g: dict, plan: dict | None) -> tuple[Table, str]:
    _ = ctx._
    nf = ctx.nf
    ranked = sorted((o for o in g["options"] if o.get("rank")), key=lambda o: o["rank"])
    best = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else None
    rows = [(_("GPU"), clean(best["gpu_name"])), (_("GPUs"), nf.int(best["gpus"]))]
    cost_key = "cost_usd" if g["kind"] == "training" else "cost_per_hour_usd"
    if g["kind"] == "training":
        rows.append((_("nodes"), nf.int(best["nodes"])))
        if best.get("cost_usd") is not None:
            rows.append((_("total cost"), nf.usd(best["cost_usd"])))
        if g.get("within_s"):
            spare = g["within_s"] - best["days"] * 86400
            rows.append((_("time against the deadline"), _("{t} of {within} ({spare} to spare)").format(
                t=ctx.dur(best["days"] * 86400), within=ctx.dur(g["within_s"]), spare=ctx.dur(spare))))
        else:
            rows.append((_("time to train"), ctx.dur(best["days"] * 86400)))
        if best.get("days_model") is not None:
            rows.append((_("sized at"), sizing_basis(ctx, best)))
        binding = _("the deadline: fewer nodes miss it") if g.get("within_s") else _("GPU memory")
    else:
        rows.append((_("replicas"), _("{n} × TP {tp}").format(n=nf.int(best["replicas"]), tp=best["tensor"])))
        if best.get("cost_per_hour_usd") is not None:
            rows.append((_("cost per hour"), nf.usd(best["cost_per_hour_usd"])))
            rows.append((_("cost per month ({h} h)").format(h=nf.int(HOURS_PER_MONTH)),
                         nf.usd(best["cost_per_hour_usd"] * HOURS_PER_MONTH)))
        if best.get("sized_at"):
            rows.append((_("sized at"), serving_basis(ctx, best["sized_at"])))
        binding = _("the request rate within the latency targets: fewer replicas miss it")
    owned = best.get("cost_owned_usd" if g["kind"] == "training" else "cost_per_hour_owned_usd")
    if owned is not None and best.get("owned_break_even_months") is not None:
        rows.append((_("if owned"), _("{cost}; buying costs less than renting on demand after {n} months of use")
                     .format(cost=nf.usd(owned), n=nf.num(best["owned_break_even_months"], 3))))
    if plan is not None and best["gpu"] == plan["hardware"]["gpu"] and best.get("peak_bytes"):
        usable = plan["hardware"]["usable_bytes"]
        rows.append((_("headroom"), nf.pct(1 - best["peak_bytes"] / usable)))
    elif best.get("peak_bytes"):
        rows.append((_("peak memory per GPU"), ctx.mem(best["peak_bytes"], "GiB")))
    if runner is not None:
        if best.get(cost_key) and runner.get(cost_key) is not None:
            margin = runner[cost_key] / best[cost_key] - 1
            rows.append((_("runner-up"), _("{gpu}, {cost} ({margin} more)").format(
                gpu=clean(runner["gpu_name"]), cost=nf.usd(runner[cost_key]), margin=nf.pct(margin))))
        else:
            rows.append((_("runner-up"), clean(runner["gpu_name"])))
    rows.append((_("binding constraint"), binding))
    return kv_table(rows), _("Recommendation: goal {name} for plan {plan}").format(name=g["name"], plan=g["target"])


def _plan_card(ctx: Context, plans: list[dict]) -> tuple[Table | None, str]:
    """Without a goal or search: the cheapest plan that holds (never one expected to fail)."""
    _ = ctx._
    good = [p for p in plans if p["ok"] and p["fits"] and not reality.expected_to_fail(p)]
    if not good:
        return None, ""

    def cost(p):
        t = p.get("time") or p.get("serving") or {}
        return (t.get("cost_usd") if t.get("cost_usd") is not None else t.get("cost_per_mtok_usd") or float("inf"),
                p["name"])
    p = min(good, key=cost)
    hw = p["hardware"]
    rows = [(_("plan"), p["name"]), (_("GPU"), clean(hw["gpu_name"])), (_("GPUs"), ctx.nf.int(hw["gpus"])),
            (_("headroom"), ctx.nf.pct(p["headroom"]))]
    t = p.get("time") or {}
    if "train_s" in t:
        rows.append((_("time to train"), ctx.dur(t["train_s"])))
        g = t.get("goodput") or {}
        if "goodput" in g:
            rows.append((_("with interruptions"), _("{time} to train, goodput {p}").format(
                time=ctx.dur(g["train_s"]), p=ctx.nf.pct(g["goodput"]))))
    if t.get("cost_usd") is not None:
        rows.append((_("total cost"), ctx.nf.usd(t["cost_usd"])))
    sv = p.get("serving") or {}
    if sv.get("cost_per_mtok_usd") is not None:
        rows.append((_("cost per million tokens"), ctx.nf.usd(sv["cost_per_mtok_usd"])))
    return kv_table(rows), _("Recommendation: the cheapest plan whose requirements hold")


def _risks(ctx: Context, plans, comp, declared) -> list[Note]:
    _ = ctx._
    nf = ctx.nf
    out = []
    for f in reality.mfu_findings(plans, comp.goals):
        v = f.values
        out.append(Note("warning", _("{subject}: MFU {mfu} on {gpus} GPUs is above the published {ceiling} ({source}); "
                                     "treat its time and cost as optimistic.").format(
            subject=f.subject, mfu=nf.pct(v["mfu"]), gpus=nf.int(v["gpus"]), ceiling=nf.pct(v["ceiling"]),
            source=v["source"])))
    for f in reality.context_findings(plans, declared):
        v = f.values
        out.append(Note("warning", _("{subject}: {tokens} tokens of context exceed the {max} position embeddings "
                                     "of {model}; positions beyond it are untrained.").format(
            subject=f.subject, tokens=nf.int(v["tokens"]), max=nf.int(v["max_seq"]), model=clean(v["model"]))))
    for p in plans:
        g = (p.get("time") or {}).get("goodput") or {}
        if p["kind"] == "training" and g.get("goodput") is not None and g["goodput"] < 0.99:
            out.append(Note("info", _("{plan}: {n} interruptions expected over the run (one every {every} on {gpus} "
                                      "GPUs, at Llama 3's rate of 419 in 54 days on 16,384 H100s): with restarts "
                                      "and redone work it takes {t}, goodput {p}.").format(
                plan=p["name"], n=count_of(ctx, g["interruptions"]), every=ctx.dur(g["job_interruption_interval_s"]),
                gpus=nf.int(p["hardware"]["gpus"]), t=ctx.dur(g["train_s"]), p=nf.pct(g["goodput"]))))
    for p in plans:
        band = (p.get("time") or {}).get("band") or {}
        if band.get("basis", "").startswith(FSDP_BASIS) and band["error_p90"] < 0:
            out.append(Note("warning", _("{plan}: on llm-foundry's published FSDP runs of this kind capplan's step "
                                         "time came out {low} to {high} short; expect the time band, not the "
                                         "estimate.").format(plan=p["name"], low=nf.pct(-band["error_p90"]),
                                                             high=nf.pct(-band["error_p10"]))))
        load = (p.get("serving") or {}).get("load") or {}
        load_band = load.get("band") or {}
        if load_band.get("basis") == "closed loop" and ((load.get("workload") or {}).get("concurrency") or 1) > 1:
            times = 1 / (1 + load_band["errors"]["ttft"]["low"])
            out.append(Note("warning", _("{plan}: under a closed loop of clients the published TTFT ran up to {times} "
                                         "times capplan's (NIM's tables); its TTFT band carries that.").format(
                plan=p["name"], times=nf.num(round(times, 1)))))
    failing = sorted(p["name"] for p in plans if reality.expected_to_fail(p))
    if failing:
        out.append(Note("info", ctx.t.ngettext(
            "Plan {plans} is expected to fail (`require not fits`): a documented counter-example, left out of "
            "the headline figures and recommendations.",
            "Plans {plans} are expected to fail (`require not fits`): documented counter-examples, left out of "
            "the headline figures and recommendations.", len(failing)).format(plans=nf.list(failing))))
    return out


def _prices(ctx: Context, comp, plans, sources) -> tuple[Table | None, Table | None]:
    """Each price the plans and goals use, with its source and date; and the goals' sensitivity to them."""
    _ = ctx._
    nf = ctx.nf
    known = dict(catalog_prices())
    for s in sources:                       # a spec's own price lines win over the catalog's
        for p in parse_prices(s.text, s.path):
            known[p.gpu] = p
    used = {p["hardware"]["gpu"] for p in plans}
    for g in comp.goals:
        used |= {o["gpu"] for o in g["options"] if o.get("gpu")}
    bought = dict(catalog_prices("purchase_price"))
    for s in sources:
        for p in parse_prices(s.text, s.path, "purchase_price"):
            bought[p.gpu] = p
    rows = []
    for k in sorted(used):
        for table, text in ((known, _("{usd} per GPU-hour")), (bought, _("{usd} to buy, per GPU"))):
            if k in table:
                rows.append([k, text.format(usd=nf.usd(table[k].usd_per_hour)), clean(table[k].source) or "—",
                             table[k].date or "—"])
    prices = Table([_("GPU"), _("price"), _("source"), _("as of")], rows, ["l", "r", "l", "l"],
                   code_columns=frozenset({0}),
                   caption=_("Assumed list prices per GPU-hour and purchase prices (the owned cost's basis), cited "
                             "in the catalog; override them in a spec's gpu block.")) if rows else None
    sens_rows = []
    for g in sorted(comp.goals, key=lambda g: g["name"]):
        if g.get("objective") != "cost":
            continue
        key = "cost_usd" if g["kind"] == "training" else "cost_per_hour_usd"
        costs = {o["gpu"]: o[key] for o in g["options"] if o.get("rank") and o.get(key) is not None}
        if len(costs) < 2:
            continue
        first = min(sorted(costs), key=lambda k: costs[k])
        for gpu, (low, high) in reality.sensitivity(costs, SWING).items():
            changed = low != first or high != first
            sens_rows.append([g["name"], gpu, nf.usd(costs[gpu]), low, high,
                              _("changes") if changed else _("holds")])
    sensitivity = Table([_("goal"), _("GPU"), _("cost"), _("first choice at −30%"), _("first choice at +30%"),
                         _("ranking")], sens_rows, ["l", "l", "r", "l", "l", "l"],
                        code_columns=frozenset({0, 1, 3, 4}),
                        caption=_("Each GPU's price alone 30% lower and 30% higher, the others as assumed: the "
                                  "first choice then.")) if sens_rows else None
    return prices, sensitivity
