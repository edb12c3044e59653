"""The report's time, throughput and cost: each plan's step time or serving figures, the strategy
searches and the procurement goals, as tables and chart descriptions in the report's language.

The engine's results are read as `capplan eval --format json` gives them (`plan["time"]`,
`plan["serving"]`, `comp.searches`, `comp.goals`); where the engine could not estimate a
figure it says why (`{"unavailable": reason}`) and the report shows that reason. The wording
follows the terminal output (`capplan.render.text`); numbers go through the locale.
"""

from __future__ import annotations

from dataclasses import dataclass

from capplan.render.report.i18n import N_
from capplan.render.report.model import Chart, Note, Table, _anchor, clean, kv_table

TIME_PARTS = {  # the parts of a training step, in stacking order: (label, result path)
    "matmul": (N_("matrix multiplications"), ("matmul_s",)),
    "elementwise": (N_("memory-bound kernels"), ("elementwise_s",)),
    "optimizer": (N_("optimizer step"), ("optimizer_s",)),
    "bubble": (N_("pipeline bubble"), ("bubble_s",)),
    "comm_tensor": (N_("tensor-parallel communication"), ("communication_s", "tensor")),
    "comm_data": (N_("data-parallel communication, not overlapped"), ("communication_s", "data")),
    "comm_pipeline": (N_("pipeline communication"), ("communication_s", "pipeline")),
    "comm_expert": (N_("expert-parallel communication"), ("communication_s", "expert")),
    "comm_context": (N_("context-parallel communication, not overlapped"), ("communication_s", "context")),
}
OBJECTIVES = {
    "step_time": N_("step time"), "cost": N_("cost"), "gpus": N_("GPUs"), "time": N_("time to train"),
    "tokens_per_s": N_("throughput"), "mfu": N_("MFU"), "memory": N_("peak memory"), "peak_memory": N_("peak memory"),
    "headroom": N_("headroom"),
}
DIRECTIONS = {"minimize": N_("minimize {metric}"), "maximize": N_("maximize {metric}")}


@dataclass
class TimeView:
    """A plan's time and cost (training) or serving performance (inference)."""
    title: str
    available: bool
    line: str                      # one line of the key figures (or why there are none)
    reason: str | None = None      # the engine's reason when it could not estimate them
    table: Table | None = None     # the figures, label and value
    chart: Chart | None = None     # training: the step time by part


@dataclass
class SearchView:
    id: str
    name: str
    target: str
    file: str
    line: int
    summary: str                   # the counts and the objective, in a sentence
    best: str | None               # the best layout, in words (None: no layout is left)
    empty_reason: str | None
    answer: str                    # the best layout with its step time, for the executive summary
    top: Table | None
    pareto_chart: Chart | None
    pareto: Table | None
    rejected: Table | None
    rejected_top: Table | None     # the most frequent reasons only (Markdown)
    rejected_more: int = 0         # reasons left out of rejected_top
    source_anchor: str | None = None


@dataclass
class GoalView:
    id: str
    name: str
    target: str
    kind: str
    file: str
    line: int
    question: str                  # what the goal asks, in a sentence
    answer: str                    # the first-ranked option, in a sentence
    options: Table
    chart: Chart | None
    chart_note: str | None = None
    source_anchor: str | None = None
    found: bool = False            # some GPU type meets the goal


def _get(d: dict, path: tuple):
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


class TimeCost:
    """Builds the time and cost parts of the report; `b` is the report's Builder (translations, numbers)."""

    def __init__(self, b):
        self.b = b
        self._ = b._
        self.nf = b.nf
        self.t = b.t

    # ------------------------------------------------------------------ words
    def dur(self, s) -> str:
        return self.nf.duration(s)

    def layout_text(self, lay: dict) -> str:
        """`TP 1 × PP 2 × DP 4, ZeRO 3, SP, distributed optimizer, 2 virtual stages, recompute none,
        micro-batch 1`: the search's layout in the report's words (`_layout_words` of the terminal)."""
        _ = self._
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
            parts.append(_("ZeRO {n}").format(n=lay["zero"]))
        if lay.get("sequence_parallel"):
            parts.append(_("SP"))
        if lay.get("distributed_optimizer"):
            parts.append(_("distributed optimizer"))
        if lay.get("virtual_stages", 1) > 1:
            parts.append(_("{n} virtual stages").format(n=lay["virtual_stages"]))
        if lay.get("recompute") is not None:
            parts.append(_("recompute {r}").format(r=lay["recompute"]))
        if lay.get("micro_batch") is not None:
            parts.append(_("micro-batch {n}").format(n=self.nf.int(lay["micro_batch"])))
        return _(", ").join(parts)

    def gpus_text(self, gpus: int) -> str:
        return self.t.ngettext("{n} GPU", "{n} GPUs", gpus).format(n=self.nf.int(gpus))

    def metric(self, name: str) -> str:
        tr = self._      # not `_`: the message is the table's, not a literal here
        return tr(OBJECTIVES[name]) if name in OBJECTIVES else str(name)

    def objective(self, obj) -> str:
        tr = self._
        if isinstance(obj, dict):
            metric, direction = self.metric(obj["metric"]), DIRECTIONS.get(obj["direction"])
            return tr(direction).format(metric=metric) if direction else f"{obj['direction']} {metric}"
        return tr(DIRECTIONS["minimize"]).format(metric=self.metric(obj))

    # ------------------------------------------------------------------ plans
    def plan(self, plan: dict, w, pid: str) -> TimeView | None:
        if plan["kind"] == "training":
            return self.training(plan, w, pid)
        return self.serving(plan, w)

    def training(self, plan: dict, w, pid: str) -> TimeView | None:
        _ = self._
        nf = self.nf
        title = _("Time and cost")
        t = plan.get("time")
        if not t:
            return None
        if "unavailable" in t:
            reason = clean(str(t["unavailable"]))
            return TimeView(title, False, _("not estimated: {reason}").format(reason=reason), reason)
        line = [_("step time {t}").format(t=self.dur(t["step_s"])),
                _("{n} tokens/s").format(n=nf.num(t["tokens_per_s"])),
                _("MFU {p}").format(p=nf.pct(t["mfu"]))]
        pairs = [(_("step time"), self.dur(t["step_s"]))]
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
            took = self.dur(t["train_s"])
            pairs.append((_("time to train"), _("{time} for {tokens} tokens").format(
                time=took, tokens=nf.params(tokens)) if tokens else took))
            pairs.append((_("GPU-hours"), nf.count(t["gpu_hours"])))
            pairs.append((_("cost to train"), nf.usd(t["cost_usd"]) if t.get("cost_usd") is not None
                          else _("no price given for this GPU")))
            pairs.append((_("energy to train"), nf.energy(t["energy_kwh"]) if t.get("energy_kwh") is not None
                          else _("no power given for this GPU")))
            line.append(_("{t} to train").format(t=took))
            line.append(_("{n} GPU-hours").format(n=nf.count(t["gpu_hours"])))
            if t.get("cost_usd") is not None:
                line.append(_("cost {c}").format(c=nf.usd(t["cost_usd"])))
            if t.get("energy_kwh") is not None:
                line.append(_("energy {e}").format(e=nf.energy(t["energy_kwh"])))
        return TimeView(title, True, " · ".join(line), table=kv_table(pairs), chart=self._step_chart(t, pid))

    def _step_chart(self, t: dict, pid: str) -> Chart:
        _ = self._
        nf = self.nf
        step = t["step_s"]
        tr = self._      # labels from TIME_PARTS, translated here
        if "matmul_s" in t:
            parts = [(k, tr(label), _get(t, path) or 0.0) for k, (label, path) in TIME_PARTS.items()]
        else:   # an engine without the split of compute: compute as one part
            parts = [("matmul", _("compute"), t["compute_s"])]
            parts += [(k, tr(label), _get(t, path) or 0.0) for k, (label, path) in TIME_PARTS.items()
                      if k not in ("matmul", "elementwise", "optimizer")]
        shown = [p for p in parts if p[2] > 0]
        factor, unit = nf.duration_unit(step)
        rows = [[label, self.dur(v), nf.pct(v / step if step else 0.0)] for _k, label, v in shown]
        classes = [""] * len(rows)
        rows.append([_("step"), self.dur(step), nf.pct(1.0)])
        classes.append("total")
        dp_total = _get(t, ("communication_s", "data_total"))
        if dp_total and dp_total > (_get(t, ("communication_s", "data")) or 0.0) * 1.0001:
            rows.append([_("data-parallel reduction before overlap"), self.dur(dp_total), ""])
            classes.append("sub")
        largest = max(shown, key=lambda p: p[2]) if shown else None
        desc = _("A stacked bar of one training step's time by part, {step} in all; the largest part is {part} "
                 "({share}).").format(step=self.dur(step), part=largest[1] if largest else "",
                                      share=nf.pct(largest[2] / step) if largest and step else "")
        spec = {"bars": [{"label": _("one step"), "values": [v / factor for _k, _l, v in shown]}],
                "series": [label for _k, label, _v in shown], "keys": [k for k, _l, _v in shown], "lines": [],
                "unit": unit, "xlabel": _("time per step ({unit})").format(unit=unit)}
        caption = _("The chart's data: the parts of one optimizer step, which add up to the step time. "
                    "Communication counts only what the computation does not hide.")
        table = Table([_("part"), _("time"), _("share of the step")], rows, ["l", "r", "r"], classes,
                      caption=caption)
        return Chart(f"{pid}-time", "stack", _("Time per step by part"), desc, spec, table)

    def serving(self, plan: dict, w) -> TimeView | None:
        _ = self._
        nf = self.nf
        title = _("Latency, throughput and cost")
        sv = plan.get("serving")
        if not sv:
            return None
        if "unavailable" in sv:
            reason = clean(str(sv["unavailable"]))
            return TimeView(title, False, _("not estimated: {reason}").format(reason=reason), reason)
        bound = _("memory-bound") if sv.get("bound") == "memory" else _("compute-bound")
        line = [_("TTFT {t}").format(t=self.dur(sv["ttft_s"])), _("TPOT {t}").format(t=self.dur(sv["tpot_s"])),
                _("{n} tokens/s").format(n=nf.num(sv["tokens_per_s"]))]
        pairs = [(_("time to first token (TTFT)"), self.dur(sv["ttft_s"])),
                 (_("time per output token (TPOT)"), _("{t} ({bound})").format(t=self.dur(sv["tpot_s"]),
                                                                              bound=bound)),
                 (_("throughput at the plan's batch"), _("{n} output tokens/s per replica").format(
                     n=nf.num(sv["tokens_per_s"])))]
        if sv.get("request_s") is not None:
            pairs.append((_("time per request"), self.dur(sv["request_s"])))
            pairs.append((_("requests per second at the plan's batch"), nf.num(sv["requests_per_s"])))
        if w is not None and (w.target_ttft is not None or w.target_tpot is not None):
            tt = [(_("TTFT"), w.target_ttft), (_("TPOT"), w.target_tpot)]
            said = [_("{what} ≤ {t}").format(what=k, t=self.dur(v)) for k, v in tt if v]
            if said:
                pairs.append((_("latency targets"), _(", ").join(said)))
        if sv.get("best_batch"):
            best = _("{n} sequences: {tps} output tokens/s, {tpot} per token").format(
                n=nf.int(sv["best_batch"]), tps=nf.num(sv["best_tokens_per_s"]), tpot=self.dur(sv.get("best_tpot_s")))
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
            pairs.append((label, self.t.ngettext("{n} replica, {g} GPUs in all", "{n} replicas, {g} GPUs in all",
                                                 sv["replicas"]).format(n=nf.int(sv["replicas"]),
                                                                        g=nf.int(sv["gpus_total"]))))
            line.append(self.t.ngettext("{n} replica", "{n} replicas", sv["replicas"]).format(
                n=nf.int(sv["replicas"])))
        if sv.get("cost_per_mtok_usd") is not None:
            pairs.append((_("cost per million output tokens"), nf.usd(sv["cost_per_mtok_usd"])))
            line.append(_("{c} per million tokens").format(c=nf.usd(sv["cost_per_mtok_usd"])))
        return TimeView(title, True, " · ".join(line), table=kv_table(pairs))

    # ------------------------------------------------------------------ executive summary
    def summary_tables(self, plans: list[dict]) -> tuple[list[Table], list[Note]]:
        """The time and cost of every plan that has them (one table per kind), and a note for the rest."""
        _ = self._
        nf = self.nf
        tables, notes = [], []
        train = [p for p in plans if p["kind"] == "training" and p.get("time") and "unavailable" not in p["time"]]
        serve = [p for p in plans if p["kind"] == "inference" and p.get("serving")
                 and "unavailable" not in p["serving"]]
        if train:
            long = any("train_s" in p["time"] for p in train)
            priced = any(p["time"].get("cost_usd") is not None for p in train)
            rows = []
            for p in train:
                t = p["time"]
                row = [p["name"], self.dur(t["step_s"]), nf.num(t["tokens_per_s"]), nf.pct(t["mfu"])]
                if long:
                    row += [self.dur(t["train_s"]) if "train_s" in t else "—",
                            nf.count(t["gpu_hours"]) if "gpu_hours" in t else "—"]
                if priced:
                    row.append(nf.usd(t["cost_usd"]) if t.get("cost_usd") is not None else "—")
                rows.append(row)
            headers = [_("training plan"), _("step time"), _("tokens/s"), _("MFU")]
            headers += [_("time to train"), _("GPU-hours")] if long else []
            headers += [_("cost to train")] if priced else []
            caption = (_("Time to train, GPU-hours and cost for the tokens each plan gives (—: no tokens or no "
                         "price).") if long else _("No plan gives the tokens to train on: no time to train."))
            tables.append(Table(headers, rows, code_columns=frozenset({0}), caption=caption))
        if serve:
            replicas = any(p["serving"].get("replicas") for p in serve)
            priced = any(p["serving"].get("cost_per_mtok_usd") is not None for p in serve)
            rows = []
            for p in serve:
                sv = p["serving"]
                row = [p["name"], self.dur(sv["ttft_s"]), self.dur(sv["tpot_s"]), nf.num(sv["tokens_per_s"]),
                       nf.int(sv["best_batch"]) if sv.get("best_batch") else "—"]
                if replicas:
                    row.append(nf.int(sv["replicas"]) if sv.get("replicas") else "—")
                if priced:
                    row.append(nf.usd(sv["cost_per_mtok_usd"]) if sv.get("cost_per_mtok_usd") is not None else "—")
                rows.append(row)
            headers = [_("inference plan"), _("TTFT"), _("TPOT"), _("tokens/s"), _("best batch")]
            headers += [_("replicas")] if replicas else []
            headers += [_("cost per million tokens")] if priced else []
            tables.append(Table(headers, rows, code_columns=frozenset({0}),
                                caption=_("Time to first token, time per output token and output tokens per "
                                          "second per replica at the plan's batch; the best batch within memory "
                                          "and the latency targets (—: none).")))
        missing: dict[str, list[str]] = {}
        for p in plans:
            r = p.get("time") if p["kind"] == "training" else p.get("serving")
            if r and "unavailable" in r:
                missing.setdefault(clean(str(r["unavailable"])), []).append(p["name"])
        for reason, names in missing.items():
            notes.append(Note("info", self.t.ngettext(
                "time, throughput and cost of plan {plans} ({reason}).",
                "time, throughput and cost of plans {plans} ({reason}).", len(names)).format(
                plans=nf.list(names), reason=reason)))
        return tables, notes

    def key_figures(self, plans: list[dict]) -> list[tuple[str, str, str]]:
        _ = self._
        nf = self.nf
        out = []
        train = [p for p in plans if p["kind"] == "training" and p.get("time") and "unavailable" not in p["time"]]
        serve = [p for p in plans if p["kind"] == "inference" and p.get("serving")
                 and "unavailable" not in p["serving"]]
        long = [p for p in train if "train_s" in p["time"]]
        if long:
            p = max(long, key=lambda p: (p["time"]["train_s"], p["name"]))
            out.append((_("longest time to train"), self.dur(p["time"]["train_s"]), p["name"]))
            priced = [p for p in long if p["time"].get("cost_usd") is not None]
            if priced:
                p = max(priced, key=lambda p: (p["time"]["cost_usd"], p["name"]))
                out.append((_("highest cost to train"), nf.usd(p["time"]["cost_usd"]), p["name"]))
        elif train:
            p = max(train, key=lambda p: (p["time"]["step_s"], p["name"]))
            out.append((_("longest step time"), self.dur(p["time"]["step_s"]), p["name"]))
        if serve:
            p = max(serve, key=lambda p: (p["serving"]["tpot_s"], p["name"]))
            out.append((_("longest time per output token"), self.dur(p["serving"]["tpot_s"]), p["name"]))
            priced = [p for p in serve if p["serving"].get("cost_per_mtok_usd") is not None]
            if priced:
                p = max(priced, key=lambda p: (p["serving"]["cost_per_mtok_usd"], p["name"]))
                out.append((_("highest cost per million tokens"), nf.usd(p["serving"]["cost_per_mtok_usd"]),
                            p["name"]))
        return out

    def answers(self, searches: list[SearchView], goals: list[GoalView]) -> Table | None:
        _ = self._
        rows = [[s.name, _("strategy search"), s.target, s.answer] for s in searches]
        rows += [[g.name, _("procurement"), g.target, g.answer] for g in goals]
        if not rows:
            return None
        return Table([_("question"), _("kind"), _("for plan"), _("answer")], rows, ["l", "l", "l", "l"],
                     code_columns=frozenset({0, 2}))

    # ------------------------------------------------------------------ searches
    def search(self, s: dict, anchors: set, plans_by_name: dict, source_anchor: str | None) -> SearchView:
        _ = self._
        nf = self.nf
        sid = _anchor("search-", s["name"], anchors)
        target = plans_by_name.get(s["target"])
        unit = target["hardware"]["memory_unit"] if target else "GiB"
        objective = self.objective(s["objective"])
        summary = _("{considered} layouts considered, {valid} valid, {accepted} fit and meet the requirements; "
                    "objective: {objective}.").format(considered=nf.int(s["considered"]), valid=nf.int(s["valid"]),
                                                      accepted=nf.int(s["accepted"]), objective=objective)
        best = top = chart = pareto = None
        empty = None
        if s["best"] is None:
            empty = clean(str(s.get("empty_reason") or _("no layout is left")))
            answer = _("no layout: {reason}").format(reason=empty)
        else:
            b = s["best"]
            best = self.gpus_text(b["layout"]["gpus"]) + _(": ") + self.layout_text(b["layout"])
            answer = best
            if b.get("step_s"):
                answer += _("; ") + _("step time {t}").format(t=self.dur(b["step_s"]))
            top = self._layouts_table(s["top"], unit, ranked=True)
            top.caption = _("The best layouts by the objective, best first.")
            if s.get("pareto"):
                pareto = self._layouts_table(s["pareto"], unit, ranked=False)
                if len(s["pareto"]) >= 2 and all(r.get("step_s") for r in s["pareto"]):
                    pareto.caption = _("The chart's data: no layout on the front is beaten on both GPUs and step "
                                       "time by another; fewest GPUs first.")
                    chart = self._pareto_chart(s, sid, pareto)
                else:
                    pareto.caption = _("No layout on the front is beaten on both GPUs and step time by another; "
                                       "fewest GPUs first.")
        rejected = rejected_top = None
        more = 0
        if s["rejected"]:
            ordered = s["rejected"]                # the engine's order, as `capplan eval` lists them
            rows = [[nf.int(r["count"]), clean(r["reason"]),
                     (self.gpus_text(r["example"]["gpus"]) + _(": ") if r["example"].get("gpus") else "")
                     + self.layout_text(r["example"]) if r.get("example") else ""] for r in ordered]
            headers = [_("layouts"), _("reason"), _("for example")]
            rejected = Table(headers, rows, ["r", "l", "l"],
                             caption=_("Why the other layouts were left out, and how many each reason excludes."))
            limit = 8
            more = max(0, len(rows) - limit)
            rejected_top = Table(headers[:2], [r[:2] for r in rows[:limit]], ["r", "l"])
        return SearchView(sid, s["name"], s["target"], clean(s.get("file", "")), s.get("line", 0), summary, best,
                          empty, answer, top, chart, pareto, rejected, rejected_top, more, source_anchor)

    def _layouts_table(self, results: list[dict], unit: str, ranked: bool) -> Table:
        _ = self._
        nf = self.nf
        rows = []
        for i, r in enumerate(results):
            lay = r["layout"]
            row = [str(i + 1)] if ranked else []
            row += [nf.int(lay["gpus"]), self.layout_text(lay), self.b.mem(r["peak_bytes"], unit),
                    nf.pct(r["headroom"], 0), self.dur(r["step_s"]) if r.get("step_s") else "—",
                    nf.num(r["tokens_per_s"]) if r.get("tokens_per_s") else "—",
                    nf.pct(r["mfu"]) if r.get("mfu") else "—",
                    nf.usd(r["cost_per_step_usd"]) if r.get("cost_per_step_usd") is not None else "—"]
            rows.append(row)
        headers = ([_("#")] if ranked else []) + [_("GPUs"), _("layout"), _("peak per GPU"), _("headroom"),
                                                  _("step time"), _("tokens/s"), _("MFU"), _("cost per step")]
        align = (["r"] if ranked else []) + ["r", "l", "r", "r", "r", "r", "r", "r"]
        return Table(headers, rows, align, ["current" if ranked and i == 0 else "" for i in range(len(rows))])

    def _pareto_chart(self, s: dict, sid: str, table: Table) -> Chart:
        _ = self._
        nf = self.nf
        front = s["pareto"]
        longest = max(r["step_s"] for r in front + [r for r in s["top"] if r.get("step_s")])
        factor, unit = nf.duration_unit(longest)
        key = lambda r: (r["layout"]["gpus"], r["step_s"])  # noqa: E731
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
            [_("{gpus}: {step}").format(gpus=self.gpus_text(r["layout"]["gpus"]), step=self.dur(r["step_s"]))
             for r in sorted(front, key=key)]))
        return Chart(f"{sid}-pareto", "pareto", _("Step time against GPUs: the Pareto front"), desc, spec, table)

    # ------------------------------------------------------------------ goals
    def goal(self, g: dict, anchors: set, workloads_by_name: dict, source_anchor: str | None) -> GoalView:
        _ = self._
        nf = self.nf
        gid = _anchor("goal-", g["name"], anchors)
        metric = self.metric(g["objective"])
        options = g["options"]
        w = workloads_by_name.get(g["target"])
        first = next((o for o in options if o.get("rank") == 1), None)
        if g["kind"] == "training":
            tokens = w.tokens if w is not None else None
            within = self.dur(g["within_s"]) if g.get("within_s") else None
            if tokens:
                what = (_("Train {tokens} tokens within {t}") if within else _("Train {tokens} tokens")).format(
                    tokens=nf.params(tokens), t=within)
            else:
                what = (_("Train the plan's tokens within {t}") if within else _("Train the plan's tokens")).format(
                    t=within)
            question = _("{what}; ranked by {metric}, lowest first.").format(what=what, metric=metric)
            table, chart = self._training_options(options, gid)
            if first:
                answer = _("{gpus} × {gpu} ({nodes}): {days}").format(
                    gpus=nf.int(first["gpus"]), gpu=clean(first["gpu_name"]),
                    nodes=self.t.ngettext("{n} node", "{n} nodes", first["nodes"]).format(n=nf.int(first["nodes"])),
                    days=self.dur(first["days"] * 86400))
                if first.get("cost_usd") is not None:
                    answer += _(", ") + nf.usd(first["cost_usd"])
        else:
            rate = g.get("requests_per_s")
            question = _("Serve {n} requests/s within the plan's latency targets; ranked by {metric}, lowest "
                         "first.").format(n=nf.num(rate) if rate else "?", metric=metric)
            table, chart = self._serving_options(options, gid)
            if first:
                answer = _("{gpus} × {gpu} ({replicas} × TP {tp})").format(
                    gpus=nf.int(first["gpus"]), gpu=clean(first["gpu_name"]),
                    replicas=self.t.ngettext("{n} replica", "{n} replicas", first["replicas"]).format(
                        n=nf.int(first["replicas"])), tp=first["tensor"])
                if first.get("cost_per_hour_usd") is not None:
                    answer += _(", ") + _("{c} per hour").format(c=nf.usd(first["cost_per_hour_usd"]))
        if not first:
            answer = _("no GPU type meets it")
        note = None
        if chart is None:
            note = _("No option has a price, so there is no cost chart.") if first else None
        return GoalView(gid, g["name"], g["target"], g["kind"], clean(g.get("file", "")), g.get("line", 0), question,
                        answer, table, chart, note, source_anchor, found=first is not None)

    def _unavailable_row(self, option: dict) -> list[str]:
        """A goal option the engine could not satisfy: its GPU, dashes, and the reason."""
        return (["—", clean(option["gpu_name"])] + ["—"] * 6
                + [self._("not possible: {reason}").format(reason=clean(str(option["unavailable"])))])

    def _training_options(self, options: list[dict], gid: str) -> tuple[Table, Chart | None]:
        _ = self._
        nf = self.nf
        rows, classes = [], []
        for o in options:
            if "unavailable" in o:
                rows.append(self._unavailable_row(o))
                classes.append("na")
                continue
            rows.append([str(o["rank"]), clean(o["gpu_name"]), self.t.ngettext(
                             "{gpus} ({n} node)", "{gpus} ({n} nodes)", o["nodes"]).format(
                             gpus=nf.int(o["gpus"]), n=nf.int(o["nodes"])),
                         self.dur(o["days"] * 86400), self.dur(o["step_s"]), nf.pct(o["mfu"]),
                         nf.count(o["gpu_hours"]),
                         nf.usd(o["cost_usd"]) if o.get("cost_usd") is not None else _("no price"),
                         self.layout_text(o["layout"])])
            classes.append("current" if o["rank"] == 1 else "")
        table = Table([_("#"), _("GPU"), _("GPUs"), _("time to train"), _("step time"), _("MFU"), _("GPU-hours"),
                       _("cost"), _("layout")], rows, ["r", "l", "r", "r", "r", "r", "r", "r", "l"], classes,
                      caption=_("Each GPU type at the fewest nodes that meet the goal, with the fastest layout "
                                "found there; best first."))
        priced = [o for o in options if "unavailable" not in o and o.get("cost_usd") is not None]
        chart = self._cost_chart(gid, [(clean(o["gpu_name"]), o["cost_usd"], o["rank"]) for o in priced],
                                 _("Cost to train by GPU type"), "train") if priced else None
        return table, chart

    def _serving_options(self, options: list[dict], gid: str) -> tuple[Table, Chart | None]:
        _ = self._
        nf = self.nf
        rows, classes = [], []
        for o in options:
            if "unavailable" in o:
                rows.append(self._unavailable_row(o))
                classes.append("na")
                continue
            rows.append([str(o["rank"]), clean(o["gpu_name"]), nf.int(o["gpus"]),
                         _("{n} × TP {tp}").format(n=nf.int(o["replicas"]), tp=o["tensor"]), nf.int(o["batch"]),
                         self.dur(o["ttft_s"]), self.dur(o["tpot_s"]),
                         nf.usd(o["cost_per_hour_usd"]) if o.get("cost_per_hour_usd") is not None else _("no price"),
                         nf.usd(o["cost_per_mtok_usd"]) if o.get("cost_per_mtok_usd") is not None else "—"])
            classes.append("current" if o["rank"] == 1 else "")
        table = Table([_("#"), _("GPU"), _("GPUs"), _("replicas"), _("batch"), _("TTFT"), _("TPOT"),
                       _("cost per hour"), _("cost per million tokens")], rows,
                      ["r", "l", "r", "r", "r", "r", "r", "r", "r"], classes,
                      caption=_("Each GPU type at its cheapest tensor-parallel size that meets the targets, and "
                                "as many replicas as the request rate needs; best first."))
        priced = [o for o in options if "unavailable" not in o and o.get("cost_per_hour_usd") is not None]
        chart = self._cost_chart(gid, [(clean(o["gpu_name"]), o["cost_per_hour_usd"], o["rank"]) for o in priced],
                                 _("Cost per hour by GPU type"), "hour") if priced else None
        return table, chart

    def _cost_chart(self, gid: str, items: list[tuple[str, float, int]], title: str, per: str) -> Chart:
        _ = self._
        nf = self.nf
        items = sorted(items, key=lambda i: i[2])
        top = max(v for _n, v, _r in items)
        factor, scale = ((1e6, _("million USD")) if top >= 1e6 else (1e3, _("thousand USD")) if top >= 1e4
                         else (1.0, "USD"))
        label = (_("cost to train ({unit})") if per == "train" else _("cost per hour ({unit})")).format(unit=scale)
        bars = [{"label": name, "value": v / factor, "text": nf.usd(v), "first": rank == 1}
                for name, v, rank in items]
        base = items[0][1]
        rows = [[str(rank), name, nf.usd(v), _("{x}×").format(x=nf.num(v / base, 3)) if base else "—"]
                for name, v, rank in items]
        table = Table([_("#"), _("GPU"), _("cost per hour") if per == "hour" else _("cost to train"),
                       _("relative to the first")], rows, ["r", "l", "r", "r"],
                      ["current" if i == 0 else "" for i in range(len(rows))], caption=_("The chart's data."))
        desc = _("Horizontal bars of the cost of each option, first-ranked on top: {items}.").format(
            items=nf.list([f"{name} {nf.usd(v)}" for name, v, _r in items]))
        spec = {"bars": bars, "xlabel": label, "first_label": _("first in the ranking"),
                "other_label": _("other options")}
        return Chart(f"{gid}-cost", "bars", title, desc, spec, table)
