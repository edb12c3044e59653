"""Issue 13 item 5: a serving plan's report charts latency against load (simulated TTFT and TPOT, median
and 99th percentile, up to the replica's saturated rate) with its targets and its own rate per replica.

The simulation is the one `capplan eval` runs (scored against published serving figures in
tests/test_serving_sim.py); here the chart is held to what the reader must be able to trust: it is
drawn from the simulation (each point as a direct simulation at that rate gives it), it marks the
points that miss a target, and a plan without a request shape gets no chart."""

from __future__ import annotations

import pytest

from capplan.analyses.serving_curve import latency_curve
from capplan.engine.inference import inference_memory
from capplan.engine.serving_sim import Workload, simulate
from capplan.render.report.build import build_report
from conftest import ROOT

from capplan.pipeline import compile_files

CHAT = ROOT / "specs" / "examples" / "chat-serving.plan"


@pytest.fixture(scope="module")
def chat():
    comp = compile_files([str(CHAT)])
    return comp, build_report(comp, "en")


def test_the_chat_plan_has_a_latency_chart_with_targets_and_its_rate(chat):
    _comp, report = chat
    plan = next(p for p in report.plans if p.name == "chat_traffic")
    chart = plan.time.chart
    assert chart is not None and chart.kind == "latency"
    spec = chart.spec
    assert {t["key"]: t["value"] for t in spec["targets"]} == {"ttft": 2.0, "tpot": 0.05}
    assert spec["rates"] == sorted(spec["rates"]) and len(spec["rates"]) >= 6
    # 20 requests/s over the closed form's replicas: the rate one replica of the fleet sees
    assert 0 < spec["current"] < 20
    # the rows whose 99th percentile misses a target are marked, the others not
    tpot99 = next(s for s in spec["series"] if s["key"] == "tpot_p99")["values"]
    ttft99 = next(s for s in spec["series"] if s["key"] == "ttft_p99")["values"]
    marked = [c == "bad" for c in chart.table.classes]
    assert marked == [a > 0.05 or b > 2.0 for a, b in zip(tpot99, ttft99)]
    assert any(marked) and not all(marked)


def test_each_point_is_the_simulation_at_its_rate(chat):
    comp, _report = chat
    w = next(w for w in comp.workloads.values() if w.name == "chat_traffic")
    points, saturated = latency_curve(w)
    p = points[3]
    direct = simulate(w, inference_memory(w), Workload(2048, 512, rate=p.rate, duration=120.0))
    assert direct["ttft_p99_s"] == pytest.approx(p.ttft_p99) and direct["tpot_p50_s"] == pytest.approx(p.tpot_p50)
    assert points[-1].rate == pytest.approx(saturated)


def test_a_plan_without_a_request_shape_has_no_latency_chart(chat):
    _comp, report = chat
    plan = next(p for p in report.plans if p.name == "chat_70b_int4")
    assert plan.time is None or plan.time.chart is None


def test_roofline_positions_of_prefill_and_decode(chat):
    """Issue 13 item 5: decode at batch 1 in bf16 moves about 2 bytes of weights per 2 FLOPs, about one FLOP
    per byte (Pope et al. 2022, sec. 2; the KV cache adds bytes, attention FLOPs), far below the H100's
    ridge point (989.5 dense bf16 TFLOP/s over 3.35 TB/s: NVIDIA H100 SXM data sheet); a 2,048-token
    prefill is far above it."""
    comp, report = chat
    plan = next(p for p in comp.plans if p["name"] == "chat_70b_bf16_single")
    roof = plan["serving"]["roofline"]
    assert roof["ridge_flops_per_byte"] == pytest.approx(989.5e12 / 3.35e12, rel=0.01)
    assert roof["decode"]["flops_per_byte"] == pytest.approx(1.0, rel=0.15) and roof["decode"]["bound"] == "memory"
    assert roof["prefill"]["bound"] == "compute"
    view = next(p for p in report.plans if p.name == "chat_70b_bf16_single")
    assert any("roofline position, decode" in row[0] for row in view.time.table.rows)


def test_the_roofline_is_drawn_with_prefill_and_decode_where_the_engine_puts_them(chat):
    # the chart of item 5: the roof from the data sheet's peak and bandwidth (989.5 TFLOP/s, 3.35 TB/s), the
    # ridge between them, decode on the slope below it and prefill on the flat part above it
    from capplan.render.report.render import render_report

    comp, report = chat
    plan = next(p for p in comp.plans if p["name"] == "chat_70b_bf16_single")
    chart = next(p for p in report.plans if p.name == "chat_70b_bf16_single").time.roofline
    assert chart is not None and chart.kind == "roofline"
    roof = plan["serving"]["roofline"]
    assert chart.spec["peak"] == pytest.approx(989.5e12, rel=0.01)
    assert chart.spec["ridge"] == roof["ridge_flops_per_byte"]
    points = {p["key"]: p for p in chart.spec["points"]}
    assert points["decode"]["x"] < chart.spec["ridge"] < points["prefill"]["x"]
    assert points["decode"]["y"] == pytest.approx(points["decode"]["x"] * 3.35e12, rel=0.01)   # on the slope
    assert points["prefill"]["y"] == chart.spec["peak"]                                          # on the flat
    html = render_report(comp, "html")
    assert 'id="plan-chat_70b_bf16_single-roofline"' in html
    assert html.count('class="decode"') >= 1 and html.count('class="prefill"') >= 1
