"""The report's charts (capplan.render.report.charts on the svg canvas): marks where the axes say they
are, ticks a reader can use, well-formed and deterministic SVG, and no plotting library loaded.

Positions are checked against the chart's own tick labels (the value a reader reads off the axis),
not against the drawing code's arithmetic: a bar of 30 GiB ends where a tick labelled 30 would be.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from capplan.render.report import charts, svg
from capplan.render.report.view import Chart, Table

from conftest import ROOT

NS = "{http://www.w3.org/2000/svg}"


def _chart(kind: str, spec: dict, cid: str = "t") -> Chart:
    return Chart(cid, kind, "title", "a test chart", spec, Table(["a"], []))


def _tick_x(root, label: str) -> float:
    """The x of the bottom-axis tick labelled `label`."""
    xs = [float(t.get("x")) for t in root.iter(NS + "text") if t.text == label and t.get("text-anchor") == "middle"]
    assert xs, f"no x tick labelled {label!r}"
    return xs[0]


def _tick_y(root, label: str) -> float:
    """The y of the left-axis tick labelled `label` (its text stands 0.35 em below the tick)."""
    ys = [float(t.get("y")) - 0.35 * float(t.get("font-size")) for t in root.iter(NS + "text")
          if t.text == label and t.get("text-anchor") == "end"]
    assert ys, f"no y tick labelled {label!r}"
    return ys[0]


def test_a_stacked_bar_ends_where_the_axis_says_and_the_capacity_line_sits_on_its_tick():
    spec = {"bars": [{"label": "stage 0", "values": [30.0, 20.0]}, {"label": "stage 1", "values": [10.0, 10.0]}],
            "series": ["weights", "activations"], "keys": ["weights", "activations"],
            "lines": [{"value": 80.0, "style": "capacity", "label": "usable"}], "unit": "GiB", "xlabel": "memory"}
    root = ET.fromstring(charts.draw(_chart("stack", spec)))
    x0, x20, x80 = _tick_x(root, "0"), _tick_x(root, "20"), _tick_x(root, "80")
    per_gib = (x20 - x0) / 20
    assert x80 - x0 == pytest.approx(80 * per_gib, abs=0.02)
    fills = [r for r in root.iter(NS + "rect") if r.get("fill", "").startswith("#") and r.get("height") != "0"
             and r.find(NS + "title") is not None]
    stage0 = [r for r in fills if r.find(NS + "title").text.startswith("stage 0")]
    assert [round(float(r.get("width")) / per_gib, 1) for r in stage0] == [30.0, 20.0]
    assert float(stage0[0].get("x")) == pytest.approx(x0, abs=0.02)
    line = next(e for e in root.iter(NS + "line") if e.get("stroke-dasharray"))
    assert float(line.get("x1")) == pytest.approx(x80, abs=0.02)
    # the first stage is the top bar, and its y label sits on it
    tops = {r.find(NS + "title").text.split(":")[0]: float(r.get("y")) + float(r.get("height")) / 2 for r in fills}
    assert tops["stage 0"] < tops["stage 1"]
    assert _tick_y(root, "stage 0") == pytest.approx(tops["stage 0"], abs=0.02)


def test_a_curve_on_a_log2_axis_puts_each_point_on_its_tick_and_marks_what_it_cuts():
    xs = [512, 1024, 2048, 4096]
    spec = {"xs": xs, "ys": [20.0, 40.0, 60.0, 400.0], "capacity": 80.0, "current": 1024, "boundary": None,
            "tokens": True, "xlabel": "sequence length", "ylabel": "memory per GPU (GiB)"}
    root = ET.fromstring(charts.draw(_chart("curve", spec)))
    line = next(root.iter(NS + "polyline"))
    points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    for (px, py), label, y in zip(points, ["512", "1K", "2K", "4K"], spec["ys"]):
        assert px == pytest.approx(_tick_x(root, label), abs=0.02)
    y0, y50 = _tick_y(root, "0"), _tick_y(root, "50")
    assert points[1][1] == pytest.approx(y0 + 0.8 * (y50 - y0), abs=0.05)     # 40 GiB: 0.8 of the way to 50
    top = charts.curve_top(spec)
    cuts = [e for e in root.iter() if e.get("class") == "cut"]
    assert len(cuts) == sum(y > top for y in spec["ys"]) == 1
    tip = float(re.match(r"M[\d.]+,([\d.]+)", cuts[0].get("d")).group(1))
    edge = float(root.find(f"{NS}defs/{NS}clipPath/{NS}rect").get("y"))
    assert tip == pytest.approx(edge - 3.5, abs=0.02)    # a 7-point arrow centred on the plot's top edge
    assert [e.get("class") for e in root.iter() if e.get("class") == "current"] == ["current"]


def test_a_log10_latency_axis_labels_decades_and_places_them_by_ratio():
    spec = {"rates": [0.5, 1.0, 2.0], "series": [{"key": "ttft_p50", "values": [0.02, 0.05, 0.9], "label": "a"}],
            "targets": [{"key": "ttft", "value": 0.5, "label": "t"}], "current": 1.5, "xlabel": "r", "ylabel": "s"}
    root = ET.fromstring(charts.draw(_chart("latency", spec)))
    y01, y1 = _tick_y(root, "0.1"), _tick_y(root, "1")
    # less than three decades in view: 2 and 5 times each power of ten are labelled too, placed by ratio
    assert _tick_y(root, "0.02") == pytest.approx(y01 + (y1 - y01) * math.log10(0.2), abs=0.05)
    assert _tick_y(root, "0.5") == pytest.approx(y01 + (y1 - y01) * math.log10(5), abs=0.05)
    points = [tuple(map(float, p.split(","))) for p in next(root.iter(NS + "polyline")).get("points").split()]
    assert points[1][1] == pytest.approx(y01 + (y1 - y01) * math.log10(0.5), abs=0.05)   # 0.05 s


def _whiskers(root) -> list[tuple[float, float, float, float]]:
    """Each error bar as (x from, x to, y, cap height), read off its path."""
    out = []
    for e in root.iter(NS + "path"):
        if e.get("class") == "whisker":
            pts = [tuple(map(float, p.split(","))) for p in re.findall(r"[ML]([\d.-]+,[\d.-]+)", e.get("d"))]
            (a, y), (b, _y), cap_top, cap_bottom = pts[0], pts[1], pts[2], pts[3]
            assert cap_top[0] == a and pts[4][0] == b and cap_bottom[1] - cap_top[1] == pts[5][1] - pts[4][1]
            out.append((a, b, y, cap_bottom[1] - cap_top[1]))
    return out


def test_a_bar_with_a_band_gets_a_whisker_from_its_low_end_to_its_value_on_the_axis_ticks():
    spec = {"bars": [{"label": "h100", "value": 30.0, "low": 25.0, "range": "$25M–$30M", "text": "$30M",
                      "first": True},
                     {"label": "a100", "value": 42.5, "low": 10.0, "range": "$10M–$42.5M", "text": "$42.5M",
                      "first": False},
                     {"label": "mi300", "value": 20.0, "text": "$20M", "first": False}],
            "xlabel": "cost", "first_label": "first", "other_label": "others", "whisker_label": "time band"}
    root = ET.fromstring(charts.draw(_chart("bars", spec)))
    x0, x10 = _tick_x(root, "0"), _tick_x(root, "10")
    at = lambda v: x0 + (x10 - x0) * v / 10   # noqa: E731 (where the axis's ticks put value v)
    whiskers = _whiskers(root)
    assert len(whiskers) == 2                    # the bar without a low end has none
    bars = {r.find(NS + "title").text: r for r in root.iter(NS + "rect") if r.find(NS + "title") is not None}
    for (a, b, y, cap), bar in zip(whiskers, spec["bars"]):
        assert a == pytest.approx(at(bar["low"]), abs=0.02) and b == pytest.approx(at(bar["value"]), abs=0.02)
        rect = bars[bar["label"]]
        top, height = float(rect.get("y")), float(rect.get("height"))
        assert y == pytest.approx(top + height / 2, abs=0.02) and 0 < cap <= height    # centred, caps inside the bar
        assert b == pytest.approx(float(rect.get("x")) + float(rect.get("width")), abs=0.02)   # high end: bar's end
        assert _tick_y(root, bar["label"]) == pytest.approx(y, abs=0.02)
    tips = [e.find(NS + "title").text for e in root.iter(NS + "path") if e.get("class") == "whisker"]
    assert tips == ["h100: $25M–$30M", "a100: $10M–$42.5M"]
    assert [i["label"] for i in charts.legend(_chart("bars", spec))] == ["first", "others", "time band"]
    plain = {**spec, "bars": [spec["bars"][2]]}
    assert not _whiskers(ET.fromstring(charts.draw(_chart("bars", plain))))
    assert [i["label"] for i in charts.legend(_chart("bars", plain))] == ["first"]


def test_a_training_goals_cost_chart_puts_its_whiskers_at_the_options_band(project):
    from test_goal_sizes import SPEC
    from capplan.render.report.build import build_report
    from conftest import compile_text

    text = SPEC.format(days=5, max_nodes=8, extra="").replace("[h100_sxm]", "[h100_sxm, h200]")
    comp = compile_text(project, text)
    chart = build_report(comp).goals[0].chart
    root = ET.fromstring(charts.draw(chart))
    # the bottom axis's first two tick labels and where they stand; the axis label says the unit
    (v0, x0), (v1, x1) = [(float(t.text), float(t.get("x"))) for t in root.iter(NS + "text")
                          if t.get("text-anchor") == "middle" and re.fullmatch(r"[\d.]+", t.text or "")][:2]
    unit = {"million USD": 1e6, "thousand USD": 1e3, "USD": 1.0}[re.search(r"\((.+)\)", chart.spec["xlabel"])[1]]
    at = lambda usd: x0 + (x1 - x0) * (usd / unit - v0) / (v1 - v0)   # noqa: E731
    options = sorted((o for o in comp.goals[0]["options"] if o.get("cost_usd") is not None), key=lambda o: o["rank"])
    whiskers = _whiskers(root)
    assert len(whiskers) == len(options) == 2
    for (a, b, _y, _cap), o in zip(whiskers, options):
        assert a == pytest.approx(at(o["cost_low_usd"]), abs=0.05) and b == pytest.approx(at(o["cost_usd"]), abs=0.05)
        assert a < b
    assert len(charts.legend(chart)) == 3 and "time band" in charts.legend(chart)[-1]["label"]


@pytest.mark.parametrize("lo, hi, bins, expected", [
    (0.0, 84.8, 8, [0, 20, 40, 60, 80]),          # a step of 10 would need 8.48 intervals: 20
    (0.0, 79.0, 8, [0, 10, 20, 30, 40, 50, 60, 70]),
    (0.0, 6.0, 6, [0, 1, 2, 3, 4, 5, 6]),
    (0.0, 2.3, 8, [0, 0.5, 1.0, 1.5, 2.0]),
    (0.0, 1.0e6, 6, [0, 200000, 400000, 600000, 800000, 1000000]),
])
def test_ticks_are_round_numbers_as_matplotlib_chooses_them(lo, hi, bins, expected):
    # MaxNLocator(nbins) with steps 1, 2, 2.5, 5, 10 (matplotlib.ticker): the smallest step giving at most nbins
    assert svg.nice_ticks(lo, hi, bins) == pytest.approx(expected)


def test_tick_labels_carry_the_decimals_their_step_needs():
    ticks = svg.nice_ticks(0.0, 2.3, 8)
    assert [svg.tick_label(t, ticks) for t in ticks] == ["0", "0.5", "1.0", "1.5", "2.0"]
    assert [svg.log_label(v) for v in svg.log_ticks(0.004, 3.0)] == ["0.01", "0.1", "1"]


def test_every_chart_of_the_examples_is_well_formed_deterministic_and_its_ids_are_its_own():
    from capplan.pipeline import compile_files
    from capplan.render.report.build import build_report
    from capplan.render.report.render import _all_charts

    kinds = set()
    for spec in ("specs/examples/chat-serving.plan", "specs/seeds/002-13b-megatron-pipeline.plan"):
        for chart in _all_charts(build_report(compile_files([str(ROOT / spec)]))):
            text = charts.draw(chart)
            assert text == charts.draw(chart)
            root = ET.fromstring(text)
            ids = [e.get("id") for e in root.iter() if e.get("id")]
            assert ids and all(i.startswith(chart.id + "-") for i in ids)
            refs = re.findall(r"url\(#([^)]+)\)", text)
            assert set(refs) <= set(ids)
            assert root.find(NS + "title").text == chart.description
            kinds.add(chart.kind)
    assert kinds == {"stack", "curve", "pareto", "bars", "latency", "roofline"}


def test_an_html_report_loads_no_plotting_library():
    code = ("import sys, os; os.chdir(sys.argv[1]); from capplan.pipeline import compile_files; "
            "from capplan.render.report.render import render_report; "
            "render_report(compile_files(['specs/examples/chat-serving.plan']), 'html'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
