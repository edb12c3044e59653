"""The report's content, built once from a Compilation and laid out by every format.

Everything here is data in the report's language: translated labels, numbers
formatted for the locale, tables as rows of strings. The templates only
arrange it, so HTML, PDF, Markdown and terminal text always say the same.
Charts are described by their data (`Chart.spec`); the SVG is drawn only for
the formats that show pictures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from capplan.render.report.i18n import N_, Numbers, translations
from capplan.core import constants as K
from capplan.analyses.sweep import Curve, inference_curves, training_curves

NOT_FATAL = {"E0601", "E0603", "E0701"}    # requirement failures and unsupported search: still reported

COMPONENTS = {  # training memory components, in stacking order
    "weights": N_("weights"),
    "gradients": N_("gradients"),
    "master_weights": N_("master weights"),
    "optimizer_states": N_("optimizer states"),
    "activations": N_("activations"),
    "logits": N_("logits and loss"),
    "temporary": N_("temporary buffers"),
    "allocator_reserve": N_("allocator reserve"),
    "cuda_context": N_("CUDA context"),
}
SERVING_COMPONENTS = {
    "weights": N_("weights"),
    "kv_cache": N_("KV cache"),
    "activations": N_("activations"),
    "cuda_context": N_("CUDA context"),
}
PARAM_COMPONENTS = {
    "embedding": N_("embedding"),
    "attention": N_("attention"),
    "mlp": N_("MLP"),
    "experts": N_("routed experts"),
    "shared_experts": N_("shared experts"),
    "router": N_("router"),
    "norms": N_("norms"),
    "head": N_("output head"),
}
KINDS = {"training": N_("training"), "inference": N_("inference")}
PHASES = {"forward end": N_("forward end"), "backward start": N_("backward start"),
          "optimizer step": N_("optimizer step")}
AXES = {
    "seq_len": N_("sequence length (tokens)"),
    "micro_batch": N_("micro-batch size (sequences)"),
    "context": N_("context (tokens per sequence)"),
    "batch": N_("batch (concurrent sequences)"),
}
CURVE_TITLES = {
    "seq_len": N_("Memory per GPU vs sequence length"),
    "micro_batch": N_("Memory per GPU vs micro-batch size"),
    "context": N_("Memory per GPU vs context length"),
    "batch": N_("Memory per GPU vs batch size"),
}


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    align: list[str] = field(default_factory=list)       # "l" | "r" per column
    classes: list[str] = field(default_factory=list)     # per row: "" | "bad" | "current" | "sub"
    caption: str = ""
    code_columns: frozenset = frozenset()                 # columns shown as code

    def __post_init__(self):
        if not self.align:
            self.align = ["l"] + ["r"] * (len(self.headers) - 1)
        if not self.classes:
            self.classes = [""] * len(self.rows)


def kv_table(pairs: list[tuple[str, str]], caption: str = "") -> Table:
    return Table(["", ""], [[k, v] for k, v in pairs], ["l", "l"], caption=caption)


@dataclass
class Chart:
    id: str
    kind: str                  # "stack" | "curve"
    title: str
    description: str           # the alt text: what the chart shows, in words
    spec: dict                 # everything charts.py needs to draw it
    table: Table
    svg: str | None = None
    legend: list = field(default_factory=list)


@dataclass
class Note:
    level: str                 # "error" | "warning" | "info"
    text: str


@dataclass
class ModelCard:
    name: str
    display_name: str
    total: str
    total_exact: str
    active: str | None
    exact: bool
    components: Table | None
    architecture: Table | None


@dataclass
class PlanView:
    id: str
    name: str
    kind: str
    kind_label: str
    file: str
    line: int
    fits: bool
    ok: bool
    verdict: str
    peak: str
    capacity: str
    model: ModelCard
    hardware: Table
    layout: Table
    precision: Table
    memory_chart: Chart
    curves: list[Chart]
    curves_note: str | None
    serving: Table | None
    requirements: Table | None
    notes: list[Note]
    figures: Table
    summary_row: list[str]
    source_anchor: str | None = None
    training_tokens: str | None = None     # what the plan asks to train on
    headline: str = ""                     # hardware and layout in one line
    figure_values: Table | None = None     # compact: the figures that are not per-stage memory, value only
    time: object | None = None             # timecost.TimeView: step time and cost, or serving latency and cost


@dataclass
class SourceView:
    path: str
    text: str
    lines: int
    anchor: str


@dataclass
class Report:
    lang: str
    title: str
    files: list[str]
    commit: str | None
    version: str
    ok: bool
    verdict: str
    summary: Table | None
    key_figures: list[tuple[str, str, str]]      # label, value, the plan it comes from (or "")
    plans: list[PlanView]
    models: list[ModelCard]
    notes: list[Note]
    constants: Table
    sources: list[SourceView]
    lexer_note: str | None = None
    sep: str = " "             # between a label ending in a colon and its text: none after a full-width colon
    formulas: Table | None = None   # compact provenance: each kind of figure's formula and source, once
    time_tables: list = field(default_factory=list)    # executive summary: time and cost per plan, by kind
    time_notes: list = field(default_factory=list)     # plans whose time the engine could not estimate, and why
    answers: Table | None = None                       # executive summary: each search's and goal's answer
    searches: list = field(default_factory=list)       # timecost.SearchView
    goals: list = field(default_factory=list)          # timecost.GoalView
    time_constants: Table | None = None                # the time model's assumed constants


# ----------------------------------------------------------------------------- helpers

def _anchor(prefix: str, name: str, taken: set[str]) -> str:
    base = prefix + re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower()
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _workloads(comp) -> dict[tuple[str, str], object]:
    """The typed plan (capplan.ir.plan) of every evaluated plan, keyed by (file, name)."""
    return {(w.span.path, w.name): w for w in comp.workloads.values() if w.span is not None}


# ----------------------------------------------------------------------------- builder

class Builder:
    def __init__(self, comp, lang: str, commit: str | None):
        self.comp = comp
        self.lang = lang
        self.commit = commit
        self.t = translations(lang)
        self._ = self.t.gettext
        self.nf = Numbers(lang)
        self.anchors: set[str] = set()

    # ------------------------------------------------------------------ formatting
    def mem(self, x: float, unit: str) -> str:
        return self.nf.mem(x, unit)

    def yes(self, flag: bool) -> str:
        return self._("yes") if flag else self._("no")

    def build(self) -> Report:
        from capplan import __version__
        from capplan.render.report.timecost import TimeCost

        _ = self._
        comp = self.comp
        self.tc = TimeCost(self)
        workloads = _workloads(comp)
        plans = sorted(comp.plans, key=lambda p: (p["name"], p["file"]))
        sources = self._sources()
        source_anchor = {s.path: s.anchor for s in sources}
        views = [self._plan(p, workloads.get((p["file"], p["name"])), source_anchor.get(p["file"]))
                 for p in plans]
        plans_by_name = {p["name"]: p for p in plans}
        workloads_by_name = {name: w for (_f, name), w in sorted(workloads.items())}
        searches = [self.tc.search(s, self.anchors, plans_by_name, source_anchor.get(clean(s.get("file", ""))))
                    for s in sorted(comp.searches, key=lambda s: (s["name"], s.get("file", "")))]
        goals = [self.tc.goal(g, self.anchors, workloads_by_name, source_anchor.get(clean(g.get("file", ""))))
                 for g in sorted(comp.goals, key=lambda g: (g["name"], g.get("file", "")))]
        time_tables, time_notes = self.tc.summary_tables(plans)
        used = {p["model"]["name"] for p in plans}
        models = [self._model_card(m) for m in sorted(comp.models, key=lambda m: m["name"])
                  if m["name"] not in used]
        n_fit = sum(1 for p in plans if p["fits"])
        ok = all(p["ok"] for p in plans) and not any(d.code in NOT_FATAL - {"E0701"}
                                                     for d in comp.diagnostics.items)
        if not plans:
            verdict = _("The specs declare no training or inference plan.")
        else:
            verdict = self.t.ngettext("{fit} of {n} plan fits in GPU memory",
                                      "{fit} of {n} plans fit in GPU memory", len(plans)).format(
                fit=n_fit, n=len(plans))
            verdict = _("{fit}; {requirements}").format(
                fit=verdict, requirements=_("every requirement holds") if ok else _("some requirements fail"))
        summary = None
        if plans:
            summary = Table([_("plan"), _("kind"), _("model"), _("GPUs"), _("peak per GPU"), _("capacity"),
                             _("headroom"), _("fits"), _("requirements")],
                            [v.summary_row for v in views], ["l", "l", "l", "l", "r", "r", "r", "l", "l"],
                            ["" if v.ok else "bad" for v in views],
                            code_columns=frozenset({0}))
        key = []
        if plans:
            worst = max(plans, key=lambda p: p["peak_bytes"])
            biggest = max(plans, key=lambda p: (p["hardware"]["gpus"], p["name"]))
            key.append((_("plans"), self.nf.int(len(plans)), ""))
            key.append((_("plans that fit"), self.nf.int(n_fit), ""))
            key.append((_("GPUs, largest plan"), self.nf.int(biggest["hardware"]["gpus"]), biggest["name"]))
            key.append((_("highest peak memory per GPU"),
                        self.mem(worst["peak_bytes"], worst["hardware"]["memory_unit"]), worst["name"]))
            key += self.tc.key_figures(plans)
        files = [clean(f) for f in comp.program.entries]
        title = _("Capacity plan: {files}").format(files=self.nf.list([Path(f).name for f in files]))
        lexer_note = None if _lexer_available() else _(
            "The spec language's syntax highlighter is not installed; sources are shown as plain text.")
        return Report(lang=self.lang, title=title, files=files, commit=self.commit, version=__version__,
                      ok=ok, verdict=verdict, summary=summary, key_figures=key, plans=views, models=models,
                      notes=self._diagnostics(), constants=self._constants(), sources=sources,
                      lexer_note=lexer_note, sep="" if self.lang == "zh" else " ", formulas=self._formulas(plans),
                      time_tables=time_tables, time_notes=time_notes, answers=self.tc.answers(searches, goals),
                      searches=searches, goals=goals, time_constants=self._time_constants())

    # ------------------------------------------------------------------ global parts
    def _sources(self) -> list[SourceView]:
        out = []
        for f in self.comp.program.files:
            src = self.comp.program.sources.get(f.path)
            if src is None:
                continue
            out.append(SourceView(clean(f.path), clean(src.text), len(src.text.splitlines()),
                                  _anchor("source-", f.path, self.anchors)))
        return out

    def _diagnostics(self) -> list[Note]:
        out = []
        for d in self.comp.diagnostics.sorted():
            where = f"{d.span.path}:{d.span.line}: " if d.span else ""
            level = "warning" if d.severity == "warning" else "error"
            if d.code == "E0701":
                level = "info"
            out.append(Note(level, clean(f"{where}{d.code} {d.message}" + (f" ({d.hint})" if d.hint else ""))))
        return out

    def _constants(self) -> Table:
        _ = self._
        rows = [
            ["cuda_context", self.nf.mem(K.CUDA_CONTEXT.value, "GiB"), K.CUDA_CONTEXT.source],
            ["allocator_overhead", self.nf.pct(K.ALLOCATOR_OVERHEAD.value), K.ALLOCATOR_OVERHEAD.source],
            ["prefill_chunk", self.nf.tokens(K.PREFILL_CHUNK_TOKENS.value), K.PREFILL_CHUNK_TOKENS.source],
            ["block_size", self.nf.tokens(K.KV_BLOCK_TOKENS.value), K.KV_BLOCK_TOKENS.source],
        ]
        return Table([_("constant"), _("default"), _("source")], rows, ["l", "r", "l"],
                     code_columns=frozenset({0}))

    def _time_constants(self) -> Table:
        _ = self._
        nf = self.nf
        rows = [
            ["MATMUL_EFFICIENCY", _("{share} of the dense peak").format(share=nf.pct(K.MATMUL_EFFICIENCY.value, 0)),
             K.MATMUL_EFFICIENCY.source],
            ["ELEMENTWISE_TRAFFIC", _("{n} bytes per byte saved").format(n=nf.num(K.ELEMENTWISE_TRAFFIC.value)),
             K.ELEMENTWISE_TRAFFIC.source],
            ["BANDWIDTH_EFFICIENCY", _("{share} of the memory bandwidth").format(
                share=nf.pct(K.BANDWIDTH_EFFICIENCY.value, 0)), K.BANDWIDTH_EFFICIENCY.source],
            ["DP_OVERLAP", _("{share} hidden").format(share=nf.pct(K.DP_OVERLAP.value, 0)), K.DP_OVERLAP.source],
            ["CP_OVERLAP", _("{share} hidden").format(share=nf.pct(K.CP_OVERLAP.value, 0)), K.CP_OVERLAP.source],
            ["INTER_NODE_DEFAULT", _("{rate} per GPU").format(rate=nf.si(K.INTER_NODE_DEFAULT.value, "B/s")),
             K.INTER_NODE_DEFAULT.source],
            ["ALLREDUCE_LATENCY", nf.duration(K.ALLREDUCE_LATENCY.value), K.ALLREDUCE_LATENCY.source],
            ["PUE", nf.num(K.PUE.value), K.PUE.source],
        ]
        return Table([_("constant"), _("value"), _("source")], rows, ["l", "r", "l"], code_columns=frozenset({0}))

    # ------------------------------------------------------------------ model card
    def _model_card(self, model: dict) -> ModelCard:
        _ = self._
        p = model["params"]
        comps = None
        if p["components"]:
            formulas = p.get("formulas", {})
            rows, total = [], p["total"] or 1
            for key, label in PARAM_COMPONENTS.items():
                n = p["components"].get(key, 0)
                if n:
                    rows.append([_(label), self.nf.int(n), self.nf.pct(n / total), formulas.get(key, "")])
            rows.append([_("total"), self.nf.int(p["total"]), self.nf.pct(1.0), ""])
            comps = Table([_("component"), _("parameters"), _("share"), _("formula")], rows,
                          ["l", "r", "r", "l"], [""] * (len(rows) - 1) + ["total"], code_columns=frozenset({3}))
        arch = None
        if model.get("architecture"):
            a = model["architecture"]
            pairs = [(_("layers"), self.nf.int(a["layers"])), (_("hidden size"), self.nf.int(a["hidden"])),
                     (_("attention heads"), self.nf.int(a["heads"]))]
            if a.get("kv_heads") is not None and a["kv_heads"] != a["heads"]:
                pairs.append((_("key/value heads"), self.nf.int(a["kv_heads"])))
            if a.get("head_dim"):
                pairs.append((_("head dimension"), self.nf.int(a["head_dim"])))
            if a.get("ffn"):
                pairs.append((_("MLP width"), self.nf.int(a["ffn"])))
            pairs.append((_("vocabulary"), self.nf.int(a["vocab"])))
            pairs.append((_("MLP / norm / positions"), f"{a.get('mlp')} / {a.get('norm')} / {a.get('position')}"))
            if a.get("attention") and a["attention"] != "mha":
                pairs.append((_("attention"), str(a["attention"])))
            moe = a.get("moe")
            if moe:
                pairs.append((_("mixture of experts"), _(
                    "{experts} experts, {k} per token, width {ffn}, {shared} shared, {dense} dense layers").format(
                    experts=moe["experts"], k=moe["experts_per_token"], ffn=self.nf.int(moe["expert_ffn"]),
                    shared=moe.get("shared_experts") or 0, dense=moe.get("dense_layers") or 0)))
            arch = kv_table(pairs)
        active = None
        if p["active"] != p["total"]:
            active = _("{n} ({share} of the total)").format(n=self.nf.params(p["active"]),
                                                           share=self.nf.pct(p["active"] / p["total"]))
        return ModelCard(model["name"], clean(model["display_name"]), self.nf.params(p["total"]),
                         self.nf.int(p["total"]), active, p["exact"], comps, arch)

    # ------------------------------------------------------------------ plans
    def _plan(self, plan: dict, w, source_anchor: str | None) -> PlanView:
        _ = self._
        hw = plan["hardware"]
        unit = hw["memory_unit"]
        training = plan["kind"] == "training"
        pid = _anchor("plan-", plan["name"], self.anchors)
        capacity = plan["budget_bytes"] if not training else hw["usable_bytes"]
        verdict = self._verdict(plan)
        card = self._model_card(plan["model"])
        hardware = self._hardware(plan, w)
        layout, precision = (self._training_layout(plan) if training else self._serving_layout(plan))
        memory_chart = self._memory_chart(plan, pid)
        curves, curves_note = self._curves(plan, w, pid)
        serving = self._serving(plan) if not training else None
        reqs = None
        if plan["requirements"]:
            reqs = Table([_("requirement"), _("line"), _("holds")],
                         [[f"require {r['text']}", str(r["line"]), _("yes") if r["ok"] else _("FAILED")]
                          for r in plan["requirements"]], ["l", "r", "l"],
                         ["" if r["ok"] else "bad" for r in plan["requirements"]], code_columns=frozenset({0}))
        reqs_text = (_("all hold") if all(r["ok"] for r in plan["requirements"]) else _("FAILED")) \
            if plan["requirements"] else _("none")
        gpus = _("{n} × {gpu}").format(n=hw["gpus"], gpu=clean(hw["gpu_name"]))
        summary_row = [plan["name"], _(KINDS[plan["kind"]]), clean(plan["model"]["display_name"]), gpus,
                       self.mem(plan["peak_bytes"], unit), self.mem(capacity, unit), self.nf.pct(plan["headroom"]),
                       self.yes(plan["fits"]), reqs_text]
        return PlanView(
            id=pid, name=plan["name"], kind=plan["kind"], kind_label=_(KINDS[plan["kind"]]), file=clean(plan["file"]),
            line=plan["line"], fits=plan["fits"], ok=plan["ok"], verdict=verdict,
            peak=self.mem(plan["peak_bytes"], unit), capacity=self.mem(capacity, unit), model=card,
            hardware=hardware, layout=layout, precision=precision, memory_chart=memory_chart, curves=curves,
            curves_note=curves_note, serving=serving, requirements=reqs, notes=self._plan_notes(plan, w),
            figures=self._figures(plan), summary_row=summary_row, source_anchor=source_anchor,
            training_tokens=self._training_tokens(w), headline=self._headline(plan, gpus),
            figure_values=self._figure_values(plan), time=self.tc.plan(plan, w, pid))

    def _figure_values(self, plan: dict) -> Table:
        _ = self._
        unit = plan["hardware"]["memory_unit"]
        rows = [[key, self._figure_value(plan["figures"][key], unit)]
                for key in sorted(plan["figures"], key=_figure_order) if not _STAGE.match(key)]
        return Table([_("figure"), _("value")], rows, ["l", "r"], code_columns=frozenset({0}))

    def _formulas(self, plans: list[dict]) -> Table:
        """Every kind of figure once, with its formula and source (stage N's figures as `stageN.`)."""
        _ = self._
        seen: dict[tuple, None] = {}
        for plan in plans:
            for key in sorted(plan["figures"], key=_figure_order):
                fig = plan["figures"][key]
                seen.setdefault((_STAGE.sub("stageN.", key), fig["formula"], fig["source"]), None)
        rows = [list(k) for k in sorted(seen)]
        return Table([_("figure"), _("formula"), _("source")], rows, ["l", "l", "l"], code_columns=frozenset({0}))

    def _headline(self, plan: dict, gpus: str) -> str:
        _ = self._
        lay = plan["layout"]
        if plan["kind"] == "training":
            parts = [gpus, _("tensor {t} × pipeline {p} × data {d} × context {c}").format(
                t=lay["tensor"], p=lay["pipeline"], d=lay["data"], c=lay["context"]),
                _("ZeRO {n}").format(n=lay["zero"]), _("sequence length {n}").format(n=self.nf.tokens(lay["seq_len"])),
                _("micro-batch {n}").format(n=self.nf.int(lay["micro_batch"]))]
        else:
            parts = [gpus, _("tensor {t} × pipeline {p}").format(t=lay["tensor"], p=lay["pipeline"]),
                     _("batch {n}").format(n=self.nf.int(lay["batch"])),
                     _("context {n}").format(n=self.nf.tokens(lay["context"]))]
        return " · ".join(parts)

    def _training_tokens(self, w) -> str | None:
        tokens = w.tokens if w is not None and w.kind == "training" else None
        return self.nf.params(tokens) if tokens else None

    def _verdict(self, plan: dict) -> str:
        _ = self._
        hw = plan["hardware"]
        unit = hw["memory_unit"]
        if plan["kind"] == "training":
            worst = max(plan["ranks"], key=lambda r: r["peak_bytes"])
            where = _("stage {n}").format(n=worst["stage"]) if len(plan["ranks"]) > 1 else _("each GPU")
            text = (_("fits: {where} needs {peak} of {capacity}") if plan["fits"]
                    else _("does not fit: {where} needs {peak} of {capacity}"))
            return text.format(where=where, peak=self.mem(worst["peak_bytes"], unit),
                               capacity=self.mem(hw["usable_bytes"], unit))
        text = (_("fits: each GPU needs {peak} of a {budget} budget ({share} of {usable})") if plan["fits"]
                else _("does not fit: each GPU needs {peak} of a {budget} budget ({share} of {usable})"))
        return text.format(peak=self.mem(plan["peak_bytes"], unit), budget=self.mem(plan["budget_bytes"], unit),
                           share=self.nf.pct(plan["layout"]["memory_utilization"], 0),
                           usable=self.mem(hw["usable_bytes"], unit))

    def _hardware(self, plan: dict, w) -> Table:
        _ = self._
        hw = plan["hardware"]
        unit = hw["memory_unit"]
        pairs = [(_("GPU"), clean(f"{hw['gpu_name']} ({hw['gpu']})")),
                 (_("GPUs"), self.nf.int(hw["gpus"])),
                 (_("GPUs per node"), self.nf.int(hw["gpus_per_node"])),
                 (_("memory per GPU"), self.mem(hw["memory_bytes"], unit)),
                 (_("usable per GPU"), self.mem(hw["usable_bytes"], unit))]
        gpu = w.hardware.gpu if w is not None else None
        if gpu is not None:
            if gpu.bandwidth:
                pairs.append((_("memory bandwidth"), f"{self.nf.num(gpu.bandwidth / 1e12)} TB/s"))
            for fmt in ("bf16", "fp16", "fp8", "fp32", "tf32", "int8", "fp4"):
                value = gpu.peak.get(fmt)
                if value:
                    pairs.append((_("peak {fmt} (dense)").format(fmt=fmt), f"{self.nf.num(value / 1e12)} TFLOP/s"))
            if gpu.link:
                pairs.append((_("GPU link"), f"{self.nf.num(gpu.link / 1e9)} GB/s"))
            if gpu.price:
                pairs.append((_("price"), _("{value} USD per GPU-hour").format(value=self.nf.num(gpu.price * 3600))))
        return kv_table(pairs)

    def _training_layout(self, plan: dict) -> tuple[Table, Table]:
        _ = self._
        lay, prec = plan["layout"], plan["precision"]
        pairs = [
            (_("parallelism"), _("tensor {t} × pipeline {p} × data {d} × context {c}").format(
                t=lay["tensor"], p=lay["pipeline"], d=lay["data"], c=lay["context"])),
            (_("expert parallelism"), self.nf.int(lay["expert"])),
            (_("ZeRO stage"), str(lay["zero"]) + (" (FSDP)" if lay["fsdp"] else "")),
            (_("distributed optimizer"), self.yes(lay["distributed_optimizer"])),
            (_("sequence parallelism"), self.yes(lay["sequence_parallel"])),
            (_("pipeline schedule"), lay["schedule"] + (f", {_('virtual stages')} {lay['virtual_stages']}"
                                                       if lay["schedule"] == "interleaved" else "")),
            (_("activation recomputation"), lay["recompute"]),
            (_("offload"), lay["offload"]),
            (_("sequence length"), self.nf.tokens(lay["seq_len"])),
            (_("micro-batch"), self.t.ngettext("{mb} sequence", "{mb} sequences", lay["micro_batch"]).format(
                mb=self.nf.int(lay["micro_batch"])) + " × " + self.t.ngettext(
                "{m} micro-batch per step", "{m} micro-batches per step", lay["microbatches"]).format(
                m=self.nf.int(lay["microbatches"]))),
            (_("global batch"), self.t.ngettext("{n} sequence", "{n} sequences", lay["global_batch"]).format(
                n=self.nf.int(lay["global_batch"]))),
        ]
        ppairs = [(_("recipe"), prec["recipe"]),
                  (_("weights"), prec["weights"]), (_("gradients"), prec["gradients"]),
                  (_("master weights"), prec["master_weights"]),
                  (_("optimizer"), _("{opt}, states in {fmt}").format(opt=prec["optimizer"],
                                                                      fmt=prec["optimizer_states"])),
                  (_("activations"), prec["activations"] or "bf16"),
                  (_("bytes per parameter"), self.nf.num(prec["bytes_per_param"]))]
        lora = prec.get("lora")
        if lora:
            ppairs.append((_("LoRA adapters"), _("rank {r} on {targets}: {n} trainable parameters").format(
                r=lora["rank"], targets=lora["targets"], n=self.nf.int(lora["adapter_params"]))))
        return kv_table(pairs), kv_table(ppairs)

    def _serving_layout(self, plan: dict) -> tuple[Table, Table]:
        _ = self._
        lay, prec = plan["layout"], plan["precision"]
        pairs = [(_("parallelism"), _("tensor {t} × pipeline {p}").format(t=lay["tensor"], p=lay["pipeline"])),
                 (_("batch"), self.t.ngettext("{n} concurrent sequence", "{n} concurrent sequences",
                                              lay["batch"]).format(n=self.nf.int(lay["batch"]))),
                 (_("context"), self.nf.tokens(lay["context"])),
                 (_("memory utilization"), self.nf.pct(lay["memory_utilization"], 0))]
        ppairs = [(_("weights"), _("{fmt} ({bits} bits per weight)").format(
                      fmt=prec["weights"], bits=self.nf.num(prec["weight_bits"]))),
                  (_("KV cache"), prec["kv_cache"]), (_("activations"), prec["activations"])]
        return kv_table(pairs), kv_table(ppairs)

    def _serving(self, plan: dict) -> Table:
        _ = self._
        unit = plan["hardware"]["memory_unit"]
        lay = plan["layout"]
        per_seq = plan["memory"]["kv_cache"] / lay["batch"] if lay["batch"] else 0.0
        none = _("none fits")
        left = plan["budget_bytes"] - plan["peak_bytes"]
        pairs = [(_("largest batch at this context"), (self.nf.int(plan["max_batch"]) if plan["max_batch"] else none)
                  + " " + _("(plan: {n})").format(n=self.nf.int(lay["batch"]))),
                 (_("longest context at this batch"), (self.nf.tokens(plan["max_context"]) if plan["max_context"]
                                                       else none)
                  + " " + _("(plan: {n})").format(n=self.nf.int(lay["context"]))),
                 (_("KV cache per sequence"), self.mem(per_seq, unit)),
                 (_("KV cache, whole batch"), self.mem(plan["memory"]["kv_cache"], unit)),
                 (_("budget per GPU"), self.mem(plan["budget_bytes"], unit)),
                 (_("left for more KV cache"), self.mem(left, unit) if left >= 0 else
                  _("none: {over} over the budget").format(over=self.mem(-left, unit)))]
        return kv_table(pairs)

    # ------------------------------------------------------------------ charts
    def _memory_chart(self, plan: dict, pid: str) -> Chart:
        _ = self._
        unit = plan["hardware"]["memory_unit"]
        nf = self.nf
        if plan["kind"] == "training":
            keys = [k for k in COMPONENTS if any(r["memory"].get(k) for r in plan["ranks"])]
            bars = []
            for r in plan["ranks"]:
                bars.append({"label": _("stage {n}").format(n=r["stage"]),
                             "values": [nf.mem_value(r["memory"].get(k, 0.0), unit) for k in keys]})
            capacity = plan["hardware"]["usable_bytes"]
            lines = [{"label": _("usable GPU memory"), "value": nf.mem_value(capacity, unit), "style": "capacity"}]
            headers = [_("stage"), _("layers"), _("in flight")] + [_(COMPONENTS[k]) for k in keys] + \
                      [_("peak"), _("peak phase"), _("fits")]
            # memory in the chart's unit, written once in the caption: the table stays narrow enough to print
            rows = [[str(r["stage"]), nf.int(r["layers"]), nf.num(r["inflight_microbatches"])]
                    + [nf.num(nf.mem_value(r["memory"].get(k, 0.0), unit)) for k in keys]
                    + [nf.num(nf.mem_value(r["peak_bytes"], unit)), _(PHASES.get(r["peak_phase"], r["peak_phase"])),
                       self.yes(r["fits"])] for r in plan["ranks"]]
            classes = ["" if r["fits"] else "bad" for r in plan["ranks"]]
            align = ["l", "r", "r"] + ["r"] * len(keys) + ["r", "l", "l"]
            caption = _("The chart's data: memory per GPU in {unit}; micro-batches in flight at the peak.").format(
                unit=unit)
            title = _("Memory per GPU by pipeline stage")
            desc = _("Stacked bars of each pipeline stage's memory per GPU by component, against the usable "
                     "memory of {capacity}; the largest stage needs {peak}.").format(
                capacity=self.mem(capacity, unit), peak=self.mem(plan["peak_bytes"], unit))
        else:
            keys = [k for k in SERVING_COMPONENTS if plan["memory"].get(k)]
            bars = [{"label": _("per GPU"), "values": [nf.mem_value(plan["memory"][k], unit) for k in keys]}]
            lines = [{"label": _("budget"), "value": nf.mem_value(plan["budget_bytes"], unit), "style": "capacity"},
                     {"label": _("usable GPU memory"), "value": nf.mem_value(plan["hardware"]["usable_bytes"], unit),
                      "style": "usable"}]
            headers = [_("component"), _("memory per GPU"), _("share of budget")]
            rows = [[_(SERVING_COMPONENTS[k]), self.mem(plan["memory"][k], unit),
                     nf.pct(plan["memory"][k] / plan["budget_bytes"])] for k in keys]
            rows.append([_("total"), self.mem(plan["peak_bytes"], unit),
                         nf.pct(plan["peak_bytes"] / plan["budget_bytes"])])
            rows.append([_("budget"), self.mem(plan["budget_bytes"], unit), nf.pct(1.0)])
            classes = [""] * len(keys) + ["total" if plan["fits"] else "bad", "sub"]
            align = ["l", "r", "r"]
            caption = _("The chart's data.")
            title = _("Memory per GPU")
            desc = _("A stacked bar of one GPU's memory by component, against the serving budget of {budget} "
                     "and the usable memory.").format(budget=self.mem(plan["budget_bytes"], unit))
            keys = list(keys)
        labels = [_(COMPONENTS.get(k) or SERVING_COMPONENTS[k]) for k in keys]
        spec = {"bars": bars, "series": labels, "keys": keys, "lines": lines, "unit": unit,
                "xlabel": _("memory per GPU ({unit})").format(unit=unit)}
        table = Table(headers, rows, align, classes, caption=caption)
        return Chart(f"{pid}-memory", "stack", title, desc, spec, table)

    def _curves(self, plan: dict, w, pid: str) -> tuple[list[Chart], str | None]:
        _ = self._
        if w is None:
            return [], _("Curves are not available: the plan's declaration could not be re-evaluated.")
        if plan["kind"] == "training":
            curves = training_curves(w, plan["hardware"]["usable_bytes"])
        else:
            if not plan["model"]["params"]["exact"]:
                return [], _("Curves are not available: the model is given by its parameter count alone, "
                             "so the engine models no KV cache or activations that grow with context or batch.")
            curves = inference_curves(w, plan)
        charts = [self._curve_chart(plan, c, pid) for c in curves if not c.flat]
        note = None
        if any(c.flat for c in curves):
            note = _("Memory does not depend on {axes} in this plan (the model has no architecture to scale "
                     "activations with), so those curves are left out.").format(
                axes=self.nf.list([_(AXES[c.axis]) for c in curves if c.flat]))
        return charts, note

    def _curve_chart(self, plan: dict, c: Curve, pid: str) -> Chart:
        _ = self._
        nf = self.nf
        unit = plan["hardware"]["memory_unit"]
        training = plan["kind"] == "training"
        tokens_axis = c.axis in ("seq_len", "context")
        fmt_x = (lambda x: nf.int(x))
        cap_label = _("usable GPU memory") if training else _("budget")
        rows, classes = [], []
        for i, x in enumerate(c.xs):
            row = [fmt_x(x), self.mem(c.peaks[i], unit)]
            if training:
                row.append(str(c.stages[i]))
            row.append(nf.pct(1 - c.peaks[i] / c.capacity))
            row.append(self.yes(c.fits(i)))
            rows.append(row)
            classes.append("current" if x == c.current else ("" if c.fits(i) else "bad"))
        headers = [_(AXES[c.axis]), _("peak per GPU")] + ([_("peak stage")] if training else []) + \
                  [_("headroom"), _("fits")]
        align = ["r", "r"] + (["r"] if training else []) + ["r", "l"]
        if c.boundary is None:
            boundary = _("Even the smallest value does not fit.")
        elif c.beyond:
            boundary = _("Fits up to at least {x} (the search limit).").format(x=fmt_x(c.boundary))
        else:
            boundary = _("The largest value that fits: {x}.").format(x=fmt_x(c.boundary))
        if c.engine_boundary is not None:
            boundary += " " + _("(The engine's own longest context, {x}, holds the prefill activations at the "
                                "plan's context.)").format(x=fmt_x(c.engine_boundary))
        held = self.nf.list([self._held(k, v) for k, v in c.fixed.items()])
        caption = _("The chart's data; held fixed: {held}. {boundary} The plan's own value is marked.").format(
            held=held, boundary=boundary)
        spec = {"xs": c.xs, "ys": [nf.mem_value(p, unit) for p in c.peaks], "capacity": nf.mem_value(c.capacity, unit),
                "capacity_label": cap_label, "current": c.current,
                "boundary": c.boundary if (c.boundary is not None and not c.beyond) else None,
                "boundary_label": _("largest that fits: {x}").format(x=fmt_x(c.boundary)) if c.boundary else "",
                "current_label": _("this plan"),
                "series_label": _("peak per GPU"), "unit": unit,
                "xlabel": _(AXES[c.axis]), "ylabel": _("memory per GPU ({unit})").format(unit=unit),
                "log2": True, "tokens": tokens_axis, "over_label": _("does not fit")}
        desc = _("A line of the peak memory per GPU at each {axis}, against the {capacity} line. {boundary}").format(
            axis=_(AXES[c.axis]), capacity=cap_label, boundary=boundary)
        return Chart(f"{pid}-{c.axis.replace('_', '-')}", "curve", _(CURVE_TITLES[c.axis]), desc, spec,
                     Table(headers, rows, align, classes, caption=caption))

    def _held(self, key: str, value) -> str:
        _ = self._
        if key == "micro_batch":
            return _("micro-batch {n}").format(n=self.nf.int(value))
        if key == "seq_len":
            return _("sequence length {n}").format(n=self.nf.tokens(value))
        if key == "microbatches":
            return _("{n} micro-batches per step").format(n=self.nf.int(value))
        if key == "batch":
            return _("batch {n}").format(n=self.nf.int(value))
        return _("context {n}").format(n=self.nf.tokens(value))

    # ------------------------------------------------------------------ notes and provenance
    def _plan_notes(self, plan: dict, w) -> list[Note]:
        _ = self._
        notes = []
        mentions_fits = any("fits" in r["text"].split() for r in plan["requirements"])
        if not plan["fits"]:
            if plan["ok"] and mentions_fits:
                notes.append(Note("info", _("The plan does not fit, as its requirements expect.")))
            else:
                notes.append(Note("error", _("The plan does not fit in GPU memory.")))
        for r in plan["requirements"]:
            if not r["ok"]:
                notes.append(Note("error", _("Requirement `{text}` (line {line}) does not hold.").format(
                    text=r["text"], line=r["line"])))
        if plan["fits"] and plan["headroom"] < 0.10:
            notes.append(Note("warning", _("Less than 10% of GPU memory is left free ({share}): fragmentation "
                                           "or a longer batch may not fit.").format(
                share=self.nf.pct(plan["headroom"]))))
        rule = w is not None and w.framework.activation_rule is not None
        if not plan["model"]["params"]["exact"] and not rule:
            notes.append(Note("warning", _("Model `{name}` is given by its parameter count alone: the estimate "
                                           "has no architecture-derived activations or KV cache.").format(
                name=plan["model"]["name"])))
        if w is not None:
            fw = w.framework
            overrides = dict(fw.overrides)
            cuda = overrides.get("cuda_context")
            if cuda is not None and cuda != K.CUDA_CONTEXT.value:
                notes.append(Note("info", _("The CUDA context is set to {value} instead of the default {default}.")
                                  .format(value=self.nf.mem(cuda, "GiB"),
                                          default=self.nf.mem(K.CUDA_CONTEXT.value, "GiB"))))
            reserve = overrides.get("allocator_overhead")
            if reserve is not None and reserve != K.ALLOCATOR_OVERHEAD.value:
                notes.append(Note("info", _("The allocator reserve is set to {value} instead of the default "
                                            "{default}.").format(value=self.nf.pct(reserve),
                                                                 default=self.nf.pct(K.ALLOCATOR_OVERHEAD.value))))
            if fw.activation_rule is not None:
                notes.append(Note("info", _("Activations follow the rule of thumb {rule} × s × b × h bytes per "
                                            "layer instead of the per-tensor derivation.").format(
                    rule=self.nf.num(fw.activation_rule))))
        return notes

    def _figure_value(self, fig: dict, unit: str) -> str:
        u = fig["unit"]
        v = fig["value"]
        if u == "B":
            return self.mem(v, unit)
        if u == "param":
            return self.nf.int(v)
        if u == "token":
            return self.nf.tokens(v)
        if u == "s":
            return self.nf.duration(v)
        if u == "USD":
            return self.nf.usd(v)
        if u == "kWh":
            return self.nf.energy(v)
        if u == "FLOP":
            return self.nf.si(v, "FLOP")
        if u == "" and 0 <= v < 1:
            return self.nf.pct(v)
        return f"{self.nf.num(v)} {u}".strip()

    def _figures(self, plan: dict) -> Table:
        """Every figure with its formula and source; a per-stage figure's formula and source once for all
        stages (`stageN.weights`), then each stage's value and the formula with its numbers."""
        _ = self._
        unit = plan["hardware"]["memory_unit"]
        rows, classes = [], []
        figures = plan["figures"]
        grouped: dict[str, list[str]] = {}
        for key in sorted(figures, key=_figure_order):
            m = _STAGE.match(key)
            if m:
                grouped.setdefault(key[m.end():], []).append(key)
        done = set()
        for key in sorted(figures, key=_figure_order):
            fig = figures[key]
            m = _STAGE.match(key)
            if not m:
                rows.append([key, self._figure_value(fig, unit), fig["formula"]
                             + (f"\n= {fig['derivation']}" if fig.get("derivation") else ""), fig["source"]])
                classes.append("")
                for term in fig.get("terms") or []:
                    rows.append(["  " + term["name"], self.mem(term["bytes"], unit), term["formula"], ""])
                    classes.append("sub")
                continue
            component = key[m.end():]
            if component in done:
                continue
            done.add(component)
            keys = grouped[component]
            same = all(figures[k]["formula"] == fig["formula"] and figures[k]["source"] == fig["source"] for k in keys)
            if not same or len(keys) == 1:
                for k in keys:
                    f = figures[k]
                    rows.append([k, self._figure_value(f, unit), f["formula"]
                                 + (f"\n= {f['derivation']}" if f.get("derivation") else ""), f["source"]])
                    classes.append("")
                continue
            rows.append([f"stageN.{component}", "", fig["formula"], fig["source"]])
            classes.append("")
            for k in keys:
                f = figures[k]
                derivation = f"= {f['derivation']}" if f.get("derivation") else ""
                rows.append(["  " + k, self._figure_value(f, unit), derivation, ""])
                classes.append("sub")
        return Table([_("figure"), _("value"), _("formula"), _("source")], rows, ["l", "r", "l", "l"], classes,
                     code_columns=frozenset({0, 2}))


_STAGE = re.compile(r"^stage\d+\.")


def _figure_order(key: str):
    # stages in numeric order (stage10 after stage9), everything else alphabetical
    m = re.match(r"stage(\d+)\.(.*)", key)
    return (1, int(m.group(1)), m.group(2)) if m else (0, 0, key)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Text from a spec without control characters (an ESC in a model name must not reach a terminal)."""
    return _CONTROL.sub("\ufffd", text)


def _lexer_available() -> bool:
    try:
        from capplan.lang.highlight import CapplanLexer  # noqa: F401
    except Exception:
        return False
    return True


def build_report(comp, lang: str = "en", commit: str | None = None) -> Report:
    return Builder(comp, lang, commit).build()
