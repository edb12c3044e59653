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
    assert kinds == {"stack", "curve", "pareto", "bars", "latency"}


def test_an_html_report_loads_no_plotting_library():
    code = ("import sys, os; os.chdir(sys.argv[1]); from capplan.pipeline import compile_files; "
            "from capplan.render.report.render import render_report; "
            "render_report(compile_files(['specs/examples/chat-serving.plan']), 'html'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
