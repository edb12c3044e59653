"""Reports: time, throughput and cost, strategy searches and procurement goals.

The expected strings are the engine's results written with the report's own number formats
(`capplan.render.report.i18n.Numbers`), so they follow the engine when its figures change. The PDF
side of these checks runs in tests/test_report_pdf.py, on the PDFs it renders anyway.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

PRETRAIN = "specs/examples/llama3-70b-pretrain.plan"      # a training plan with tokens, a price, a goal
SERVING = "specs/examples/chat-serving.plan"              # serving plans and a serving goal
SEARCH = "specs/seeds/002-13b-megatron-pipeline.plan"     # a search; plans without an architecture


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


_COMPILED: dict = {}


def compiled(spec: str):
    from capplan.pipeline import compile_files

    if spec not in _COMPILED:
        _COMPILED[spec] = compile_files([spec])
    return _COMPILED[spec]


def render(spec: str, fmt: str, lang: str = "en") -> str:
    from capplan.render.report.render import render_report

    return render_report(compiled(spec), fmt, lang=lang)


def flat(text: str) -> str:
    """Whitespace runs as one space (PDF text and wrapped text tables)."""
    return re.sub(r"\s+", " ", text)


# ------------------------------------------------------------------ what each format must show

def plan_figures(plan: dict, lang: str = "en") -> list[str]:
    """The time and cost figures of a plan, as the report writes them."""
    from capplan.render.report.i18n import Numbers

    nf = Numbers(lang)
    if plan["kind"] == "training":
        t = plan.get("time") or {}
        if "unavailable" in t or not t:
            return []
        out = [nf.duration(t["step_s"]), nf.num(t["tokens_per_s"]), nf.pct(t["mfu"])]
        if "train_s" in t:
            out.append(nf.duration(t["train_s"]))
            if t.get("cost_usd") is not None:
                out.append(nf.usd(t["cost_usd"]))
        return out
    sv = plan.get("serving") or {}
    if "unavailable" in sv or not sv:
        return []
    out = [nf.duration(sv["ttft_s"]), nf.duration(sv["tpot_s"]), nf.num(sv["tokens_per_s"])]
    if sv.get("cost_per_mtok_usd") is not None:
        out.append(nf.usd(sv["cost_per_mtok_usd"]))
    return out


def search_best(search: dict) -> list[str]:
    """The best layout's grid and step time."""
    from capplan.render.report.i18n import Numbers

    if search["best"] is None:
        return []
    lay = search["best"]["layout"]
    return [f"TP {lay['tensor']} × PP {lay['pipeline']} × DP {lay['data']}",
            Numbers("en").duration(search["best"]["step_s"])]


def goal_ranking(goal: dict) -> list[str]:
    """The GPU types of a goal's options in rank order (unavailable ones last)."""
    return [o["gpu_name"] for o in goal["options"]]


def assert_in_order(text: str, items: list[str], after: str) -> None:
    start = text.index(after)
    at = [text.index(item, start) for item in items]
    assert at == sorted(at), (items, at)


def goal_section(text: str, name: str) -> int:
    """Where a goal's own section starts: its name, followed closely by its first choice."""
    for m in re.finditer(re.escape(name), text):
        if "First choice:" in text[m.end():m.end() + 1200]:
            return m.end()
    raise AssertionError(f"no section of goal {name}")


def check_format(comp, text: str) -> None:
    """Every plan's time figures, every search's best layout and every goal's ranking appear in `text`."""
    for plan in comp.plans:
        for figure in plan_figures(plan):
            assert figure in text, (plan["name"], figure)
    for search in comp.searches:
        for part in search_best(search):
            assert part in text, (search["name"], part)
    for goal in comp.goals:
        start = goal_section(text, goal["name"])
        at = [text.index(item, start) for item in goal_ranking(goal)]
        assert at == sorted(at), (goal["name"], at)


# ------------------------------------------------------------------ the three specs named in the brief

@pytest.mark.parametrize("spec", [PRETRAIN, SERVING, SEARCH])
@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
def test_time_cost_search_and_goal_figures_appear(spec, fmt):
    comp = compiled(spec)
    check_format(comp, flat(render(spec, fmt)))


def test_the_specs_have_what_these_tests_expect():
    pretrain, serving, search = compiled(PRETRAIN), compiled(SERVING), compiled(SEARCH)
    assert pretrain.goals and pretrain.goals[0]["kind"] == "training"
    assert "train_s" in pretrain.plans[0]["time"] and pretrain.plans[0]["time"]["cost_usd"]
    assert serving.goals and serving.goals[0]["kind"] == "inference"
    assert all("ttft_s" in p["serving"] for p in serving.plans)
    assert search.searches and search.searches[0]["best"] is not None
    assert any("unavailable" in p["time"] for p in search.plans)


def test_training_time_section_and_step_breakdown():
    comp = compiled(PRETRAIN)
    t = comp.plans[0]["time"]
    html = render(PRETRAIN, "html")
    from capplan.render.report.i18n import Numbers

    nf = Numbers("en")
    section = html[html.index("<h3>Time and cost</h3>"):html.index("Memory vs sequence length")]
    for text in ("Time per step by part", "matrix multiplications", "memory-bound kernels", "optimizer step",
                 "pipeline bubble", "tensor-parallel communication", "data-parallel communication, not overlapped",
                 "pipeline communication", "model FLOPs utilization (MFU)", "hardware FLOPs utilization",
                 nf.pct(t["hfu"]), nf.si(t["model_flops_per_token"], "FLOP"), "GPU-hours", nf.count(t["gpu_hours"]),
                 nf.usd(t["cost_usd"]), nf.energy(t["energy_kwh"]), nf.duration(t["matmul_s"]),
                 nf.duration(t["bubble_s"]), nf.duration(t["communication_s"]["tensor"])):
        assert text in section, text
    # the parts add up to the step: the table's total row is the step time, 100%
    assert re.search(r"<td class=\"l\"[^>]*>step</td><td class=\"r\"[^>]*>" + re.escape(nf.duration(t["step_s"]))
                     + r"</td><td class=\"r\"[^>]*>100.0%</td>", section)
    # the stacked bar has one rectangle per non-zero part, in the Okabe-Ito colours
    svg = re.search(r"<svg xmlns=.*?</svg>", section, re.S).group(0)
    assert "#0072b2" in svg.lower() and "#e69f00" in svg.lower()       # matmul blue, tensor-parallel orange
    assert "<text" in svg and "time per step (s)" in svg


def test_training_summary_and_key_figures():
    comp = compiled(PRETRAIN)
    t = comp.plans[0]["time"]
    from capplan.render.report.i18n import Numbers

    nf = Numbers("en")
    html = render(PRETRAIN, "html")
    summary = html[html.index('<section id="summary">'):html.index("</section>")]
    for text in ("step time", "time to train", "cost to train", nf.duration(t["train_s"]), nf.usd(t["cost_usd"]),
                 "Strategy search and procurement", "pretrain_in_120_days"):
        assert text in summary, text
    cover = html[:html.index("<nav")]
    assert "longest time to train" in cover and "highest cost to train" in cover
    md = render(PRETRAIN, "md")
    assert f"**Time and cost:** step time {nf.duration(t['step_s'])}" in md


def test_serving_section_figures():
    comp = compiled(SERVING)
    from capplan.render.report.i18n import Numbers

    nf = Numbers("en")
    html = render(SERVING, "html")
    traffic = next(p for p in comp.plans if p["name"] == "chat_traffic")["serving"]
    section = html[html.index('id="plan-chat_traffic"'):]
    section = section[:section.index("</section>")]
    for text in ("Latency, throughput and cost", "time to first token (TTFT)", "time per output token (TPOT)",
                 "best batch within memory and targets", nf.int(traffic["best_batch"]) + " sequences",
                 "replicas for 20 requests/s", f"{traffic['replicas']} replicas, {traffic['gpus_total']} GPUs in all",
                 "TTFT ≤ 2 s, TPOT ≤ 50 ms", "cost per million output tokens", nf.usd(traffic["cost_per_mtok_usd"]),
                 nf.duration(traffic["request_s"])):
        assert text in section, text
    # a plan whose best batch is none says so
    single = html[html.index('id="plan-chat_70b_bf16_single"'):]
    assert "none: no batch fits and meets the targets" in single[:single.index("</section>")]


def test_serving_parts_add_up_to_the_figures_and_are_shown():
    """The closed form's terms (engine/serving_cost.py): front end + prefill is the TTFT; the larger of each
    operator's compute and memory time, the all-reduces and the host's time make the TPOT."""
    comp = compiled(SERVING)
    from capplan.render.report.i18n import Numbers

    nf = Numbers("en")
    html = render(SERVING, "html")
    traffic = next(p for p in comp.plans if p["name"] == "chat_traffic")["serving"]
    parts = traffic["parts"]
    assert parts["ttft_front_end_s"] + parts["ttft_prefill_s"] == pytest.approx(traffic["ttft_s"], rel=1e-12)
    linear = max(parts["tpot_linear_compute_s"], parts["tpot_linear_memory_s"])
    attention = max(parts["tpot_attention_compute_s"], parts["tpot_attention_memory_s"])
    host = parts["tpot_overhead_s"] + parts["tpot_sequences_s"]
    assert parts["tpot_tensor_parallel_s"] > 0      # a TP plan: its all-reduces are a term of their own
    assert linear + attention + parts["tpot_tensor_parallel_s"] + host == pytest.approx(traffic["tpot_s"], rel=1e-12)
    section = html[html.index('id="plan-chat_traffic"'):]
    section = section[:section.index("</section>")]
    for text in ("time to first token, in parts", "time per output token, in parts",
                 "front end " + nf.duration(parts["ttft_front_end_s"]),
                 "tensor-parallel all-reduces " + nf.duration(parts["tpot_tensor_parallel_s"])):
        assert text in section, text


def test_serving_goal_ranking_and_cost_chart():
    comp = compiled(SERVING)
    goal = comp.goals[0]
    html = render(SERVING, "html")
    section = html[html.index('id="goal-serve_chat"'):]
    section = section[:section.index("</section>")]
    assert "Serve 20 requests/s within the plan&#39;s latency targets; ranked by cost, lowest first." in section
    first = goal["options"][0]
    assert f"First choice: {first['gpus']} × {first['gpu_name']}" in section
    assert_in_order(section, goal_ranking(goal), "Ranked options")
    assert "Cost per hour by GPU type" in section and "cost per hour (USD)" in section
    # the chart's table: the first option is 1×, the others relative to it
    assert re.search(r"<td class=\"r\"[^>]*>1×</td>", section)
    md = render(SERVING, "md")
    assert_in_order(md, [f"| **1** | {first['gpu_name']}"] + [f"| {o['rank']} | {o['gpu_name']}"
                                                              for o in goal["options"][1:]], "serve_chat")


def test_training_goal_answer_and_options():
    comp = compiled(PRETRAIN)
    goal = comp.goals[0]
    from capplan.render.report.i18n import Numbers

    nf = Numbers("en")
    first = goal["options"][0]
    for fmt in ("html", "md", "txt"):
        text = flat(render(PRETRAIN, fmt))
        assert "Train 15T tokens within 120 d; ranked by cost, lowest first." in text.replace("&#39;", "'")
        answer = (f"{nf.int(first['gpus'])} × {first['gpu_name']} ({first['nodes']} nodes): "
                  f"{nf.duration(first['days'] * 86400)}, {nf.usd(first['cost_usd'])}")
        assert answer in text, fmt
        # a 100-column text table leaves GPU-hours out (they are the cost / price) and says so
        hours_left_out = fmt == "txt" and re.search(
            r"Left out to fit \d+ columns \(see the other formats\): [\w ,-]*GPU-hours", text)
        for o in goal["options"]:
            if "unavailable" in o:   # a GPU type with no size that trains in time: no cost to show
                continue
            assert nf.usd(o["cost_usd"]) in text, fmt
            assert hours_left_out or nf.count(o["gpu_hours"]) in text, fmt
            if o.get("cost_low_usd") is not None:     # the range from the optimistic end of the time band
                assert f"{nf.usd(o['cost_low_usd'])}–{nf.usd(o['cost_usd'])}" in text, fmt


def test_search_section():
    comp = compiled(SEARCH)
    s = comp.searches[0]
    html = render(SEARCH, "html")
    section = html[html.index('id="search-seed_layouts"'):]
    section = section[:section.index("</section>")]
    for text in ("Top layouts", "Pareto front: GPUs, step time and cost", "Step time against GPUs: the Pareto front",
                 "Rejected layouts", f"{s['considered']:,} layouts considered, {s['valid']:,} valid, "
                 f"{s['accepted']:,} fit and meet the requirements; objective: minimize step time.",
                 "Best layout: 8 GPUs: TP 1 × PP 4 × DP 2, ZeRO 1, recompute none, micro-batch 1"):
        assert text in section, text
    # every rejection reason, with its count, in HTML
    for r in s["rejected"]:
        assert r["reason"].replace(">", "&gt;") in section
    # the Pareto chart: one point per layout on the front, each labelled with its cost per step
    svg = re.search(r"<svg xmlns=.*?</svg>", section, re.S).group(0)
    assert "<text" in svg and "step time (min)" in svg
    for r in s["pareto"]:
        assert f"${r['cost_per_step_usd']:.2f}" in svg
    md = render(SEARCH, "md")
    assert "**Best layout: 8 GPUs: TP 1 × PP 4 × DP 2" in md
    shown = min(8, len(s["rejected"]))
    assert f"… and {len(s['rejected']) - shown} more reasons" in md


def test_plans_without_a_time_model_say_why():
    html = render(SEARCH, "html")
    section = html[html.index('id="plan-seed_pp8"'):]
    section = section[:section.index("</section>")]
    assert ("the engine could not estimate time or cost for this plan: the model is a bare parameter count: "
            "FLOPs need an architecture.") in section
    summary = html[html.index('<section id="summary">'):]
    summary = summary[:summary.index("</section>")]
    assert "Not available:" in summary and "seed_pp8" in summary and "bare parameter count" in summary


def test_the_time_models_constants_are_listed_with_their_sources():
    from capplan.core import constants as K

    html = render(PRETRAIN, "html")
    appendix = html[html.index('id="provenance"'):]
    md = render(PRETRAIN, "md")
    for name, source in (("MATMUL_EFFICIENCY", K.MATMUL_EFFICIENCY.source), ("NVLINK_EFFICIENCY", K.NVLINK_EFFICIENCY.source),
                         ("CP_OVERLAP", K.CP_OVERLAP.source), ("INTER_NODE_DEFAULT", K.INTER_NODE_DEFAULT.source),
                         ("PUE", K.PUE.source), ("BANDWIDTH_EFFICIENCY", K.BANDWIDTH_EFFICIENCY.source),
                         ("ALLREDUCE_LATENCY", K.ALLREDUCE_LATENCY.source), ("ALLREDUCE_WAIT", K.ALLREDUCE_WAIT.source),
                         ("ELEMENTWISE_TRAFFIC", K.ELEMENTWISE_TRAFFIC.source)):
        assert f"<code>{name}</code>" in appendix and source.replace("'", "&#39;") in appendix, name
        assert f"`{name}`" in md and source in md.replace("\\_", "_").replace("\\|", "|").replace("\\#", "#")  # escapes
    assert f"{K.MATMUL_EFFICIENCY.value:.0%} of the GPU&#39;s achievable matmul rate" in appendix and "80% of the NVLink bandwidth" in appendix and "10 µs" in appendix and f"{K.ALLREDUCE_WAIT.value * 1e6:g} µs" in appendix and "25 GB/s per GPU" in appendix
    # the time figures' provenance: formulas and sources, values in their units
    for key in ("time.step", "time.compute", "time.bubble", "time.mfu", "time.train", "cost.train", "energy.train"):
        assert f"<code>{key}</code>" in appendix, key


def test_chinese_reports_translate_and_format_for_the_locale():
    comp = compiled(PRETRAIN)
    t = comp.plans[0]["time"]
    from capplan.render.report.i18n import Numbers

    zh = Numbers("zh")
    for fmt in ("html", "md", "txt"):
        text = render(PRETRAIN, fmt, "zh")
        for words in ("时间与成本", "每步时间的组成", "矩阵乘法", "采购", "方案排名", "训练成本", zh.usd(t["cost_usd"]),
                      zh.count(t["gpu_hours"])):
            if fmt == "md" and words in ("每步时间的组成", "方案排名"):
                continue                # headings Markdown leaves out
            assert words in text, (fmt, words)
    assert zh.usd(t["cost_usd"]).endswith("万")            # 1405.12万, not 14.05M
    text = render(SEARCH, "md", "zh")
    assert "策略搜索" in text and "最佳布局：" in text and "被排除的布局" in text
    text = render(SERVING, "txt", "zh")
    assert "首词元时间（TTFT）" in text and "首选：" in text


@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
def test_time_search_and_goal_sections_are_deterministic(fmt):
    for spec in (PRETRAIN, SERVING, SEARCH):
        first = render(spec, fmt)
        _COMPILED.clear()
        assert render(spec, fmt) == first, spec


def test_the_charts_of_searches_and_goals_are_drawn_the_same_every_time():
    from capplan.render.report import charts
    from capplan.render.report.build import build_report

    items = []
    for spec in (PRETRAIN, SERVING, SEARCH):
        report = build_report(compiled(spec))
        items += [p.time.chart for p in report.plans if p.time and p.time.chart]
        items += [s.pareto_chart for s in report.searches if s.pareto_chart]
        items += [g.chart for g in report.goals if g.chart]
    assert {c.kind for c in items} == {"stack", "pareto", "bars", "latency"}
    serial = [charts.draw(c) for c in items]
    assert [charts.draw(c) for c in items] == serial
    for svg in serial:
        assert "<metadata" not in svg and "*{" not in svg and "<title" in svg
    legend_kinds = {i["kind"] for c in items for i in charts.legend(c)}
    assert {"patch", "line"} <= legend_kinds


@pytest.mark.parametrize("lang,one,range_", [("en", "257 nodes: ", "250–257 nodes: "),
                                              ("zh", "257 个节点：", "250–257 个节点：")])
def test_a_rejected_size_of_one_count_is_not_written_as_a_range(lang, one, range_):
    # the goal's search records node counts it rejected one by one ("nodes") or as a span ("from", "to"); a span
    # of one count read "257–257 nodes" before
    from capplan.render.report.context import Context
    from capplan.render.report.sections.procurement import _rejection_text

    ctx = Context(lang)
    reason = "misses the deadline"
    assert _rejection_text(ctx, {"from": 257, "to": 257, "reason": reason}).startswith(one)
    assert _rejection_text(ctx, {"nodes": 257, "reason": reason}).startswith(one)
    assert _rejection_text(ctx, {"from": 250, "to": 257, "reason": reason}).startswith(range_)
