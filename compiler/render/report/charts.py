"""The report's charts as inline SVG, drawn with capplan.render.report.svg (no plotting library).

Text stays text, so it is searchable, selectable and translated; the same data gives the same bytes.
Colours are the Okabe-Ito palette (distinguishable with every common colour-vision deficiency). The
foreground, grid and background are drawn in placeholder colours that `themed()` turns into CSS
(`currentColor`, custom properties) for HTML, which follows light and dark mode, or into fixed
colours for print. The legends are drawn by the page beside each chart (`legend()`). The figures'
geometry (7 inches wide, margins, font sizes, line widths, marker sizes) is matplotlib's defaults as
the report used them, so the charts read as before.
"""

from __future__ import annotations

import math

from capplan.render.report import svg
from capplan.render.report.svg import BG, FG, GRID, log_label, log_ticks, mark, nice_ticks, tick_label

# Okabe & Ito 2008, "Color Universal Design"; black is replaced by greys for the runtime parts.
OKABE_ITO = {
    "blue": "#0072B2", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "orange": "#E69F00", "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#999999",
    "dark_grey": "#6E6E6E",
}
SERIES_COLORS = {
    "weights": OKABE_ITO["blue"], "gradients": OKABE_ITO["sky"], "master_weights": OKABE_ITO["green"],
    "optimizer_states": OKABE_ITO["yellow"], "comm_buffers": "#332288", "activations": OKABE_ITO["orange"],
    "logits": OKABE_ITO["vermillion"], "temporary": OKABE_ITO["purple"],
    "allocator_reserve": OKABE_ITO["grey"], "cuda_context": OKABE_ITO["dark_grey"],
    "kv_cache": OKABE_ITO["green"], "nccl": "#332288", "cuda_graphs": OKABE_ITO["purple"],
    # the parts of a training step: compute in blues, idle time grey, communication in the warm colours
    "matmul": OKABE_ITO["blue"], "elementwise": OKABE_ITO["sky"], "optimizer": OKABE_ITO["yellow"],
    "bubble": OKABE_ITO["grey"], "comm_tensor": OKABE_ITO["orange"], "comm_data": OKABE_ITO["green"],
    "comm_pipeline": OKABE_ITO["vermillion"], "comm_expert": OKABE_ITO["purple"],
    "comm_context": OKABE_ITO["dark_grey"], "overlap": OKABE_ITO["green"],   # hatched: compute the traffic slows
}
HATCHES = {"allocator_reserve": "//", "cuda_context": "xx", "nccl": "++", "cuda_graphs": "oo", "temporary": "..", "logits": "\\\\",
           "bubble": "//", "comm_context": "..", "overlap": "//"}

WIDTH_IN = 7.0
# dash patterns in line widths (matplotlib's: dashed 3.7/1.6); the legend draws them as CSS borders
DASHES = {"capacity": (4, 2), "usable": (1, 1.5), "boundary": (1, 1.5), "band": (2, 1, 0.5, 1), "dashed": (3.7, 1.6)}
DASH_CSS = {"capacity": "dashed", "usable": "dotted", "boundary": "dotted", "band": "dotted"}


def themed(svg_text: str, medium: str) -> str:
    """Placeholders to colours: CSS variables for the screen (light/dark), fixed for print/PDF."""
    if medium == "screen":
        colors = {FG: "currentColor", GRID: "var(--chart-grid)", BG: "var(--chart-bg)"}
    else:
        colors = {FG: "#222222", GRID: "#d4d4d4", BG: "#ffffff"}
    for placeholder, color in colors.items():
        svg_text = svg_text.replace(placeholder, color).replace(placeholder.upper(), color)
    return svg_text


def _fmt_tick(x: float, tokens: bool) -> str:
    x = int(x)
    if tokens and x >= 1024 and x % 1024 == 0:
        return f"{x // 1024}K" if x < 1 << 20 else f"{x / (1 << 20):g}M"
    return str(x)


def _plot(chart, height: float, left: float = 0.75) -> tuple[svg.Figure, svg.Axes]:
    """A figure WIDTH_IN wide and its axes: `left` inches for the y labels, half an inch below."""
    fig = svg.Figure(chart.id, WIDTH_IN, height)
    return fig, fig.axes(left, 0.5, 0.2, 0.12)


def _linear_x(ax: svg.Axes, top: float, bins: int) -> None:
    ticks = nice_ticks(0.0, top, bins)
    ax.xticks(ticks, [tick_label(t, ticks) for t in ticks])


def _linear_y(ax: svg.Axes, top: float, bins: int) -> None:
    ticks = nice_ticks(0.0, top, bins)
    ax.yticks(ticks, [tick_label(t, ticks) for t in ticks])


def stack_chart(chart) -> str:
    """One horizontal stacked bar per stage (or one step), first on top, with vertical reference lines."""
    spec = chart.spec
    bars = spec["bars"]
    rows = len(bars)
    fig, ax = _plot(chart, 0.75 + 0.36 * rows, left=1.0)
    totals = [sum(b["values"]) for b in bars]
    top = max(totals + [line["value"] for line in spec["lines"]]) * 1.06 or 1.0
    ax.set_x(0.0, top)
    for i, bar in enumerate(bars):
        left = 0.0
        for key, label, value in zip(spec["keys"], spec["series"], bar["values"]):
            ax.hbar(ax.row(i, rows), ax.row_height(rows), left, left + value, SERIES_COLORS.get(key, OKABE_ITO["grey"]),
                    HATCHES.get(key), title=f"{bar['label']}: {label}")
            left += value
    for line in spec["lines"]:
        ax.vline(line["value"], FG, 1.2, DASHES[line["style"]])
    _linear_x(ax, top, 8)
    ax.yticks(list(range(rows)), [b["label"] for b in bars], rows=rows)
    ax.frame(spec["xlabel"])
    return fig.svg(chart.description)


def curve_top(spec: dict) -> float:
    """A curve chart's top: a quarter above the capacity, or the highest value, but never above 2.2 times
    the capacity plus a margin, so the region that matters stays readable; values above are cut (and marked)."""
    cap = spec["capacity"]
    return max(cap * 1.25, min(max(spec["ys"]), cap * 2.2) * 1.08)


def curve_chart(chart) -> str:
    """Peak memory against a swept value (log-2 axis): the region over the capacity shaded, values above
    the chart's top cut and marked with an arrow on the top edge, the plan's own value a diamond."""
    spec = chart.spec
    xs, ys = spec["xs"], spec["ys"]
    cap = spec["capacity"]
    fig, ax = _plot(chart, 2.7)
    top = curve_top(spec)
    ax.set_x(xs[0] / 1.15, xs[-1] * 1.15, log_base=2)
    ax.set_y(0.0, top)
    ax.hspan(cap, top, OKABE_ITO["vermillion"], 0.10)
    ax.hline(cap, FG, 1.2, DASHES["capacity"])
    ax.line(xs, ys, OKABE_ITO["blue"], 1.8, marker="o", size=3.5)
    for x, y in zip(xs, ys):
        if y > top:     # the line goes on above the chart: an arrow on the top edge says so
            ax.add(mark("^", ax.X(x), ax.Y(top), 7, OKABE_ITO["vermillion"], FG, 0.6, "cut"), clip=False)
    if spec.get("boundary"):
        ax.vline(spec["boundary"], OKABE_ITO["orange"], 1.4, DASHES["boundary"])
    if spec["current"] in xs:
        y = ys[xs.index(spec["current"])]
        ax.add(mark("D", ax.X(spec["current"]), ax.Y(y), 7,
                    OKABE_ITO["vermillion"] if y > cap else OKABE_ITO["green"], FG, 0.8, "current"))
    ticks = [x for x in xs if x & (x - 1) == 0] or xs
    ax.xticks(ticks, [_fmt_tick(x, spec["tokens"]) for x in ticks])
    _linear_y(ax, top, 6)
    ax.frame(spec["xlabel"], spec["ylabel"])
    return fig.svg(chart.description)


def pareto_chart(chart) -> str:
    """Step time against GPUs: the Pareto front as a line of markers whose area follows the cost per
    step (labelled with it), the other top layouts as hollow grey circles."""
    spec = chart.spec
    points, others = spec["points"], spec["others"]
    xs_all = [p["x"] for p in points + others]
    ys_all = [p["y"] for p in points + others]
    costs = [p["cost"] for p in points if p.get("cost") is not None]
    fig, ax = _plot(chart, 2.7)
    lo, hi = min(xs_all), max(xs_all)
    if all(x > 0 and x & (x - 1) == 0 for x in xs_all) and hi > lo:
        ax.set_x(lo / 1.5, hi * 1.5, log_base=2)
    else:
        pad = max(1.0, (hi - lo) * 0.15)
        ax.set_x(lo - pad, hi + pad)
    ytop = max(ys_all) * 1.2 or 1.0
    ax.set_y(0.0, ytop)
    for p in others:      # hollow, marker area 30
        ax.add(mark("o", ax.X(p["x"]), ax.Y(p["y"]), math.sqrt(30), "none", OKABE_ITO["grey"], 1.0))
    ax.line([p["x"] for p in points], [p["y"] for p in points], OKABE_ITO["blue"], 1.4)
    top_cost = max(costs) if costs else 0.0
    for p in points:      # marker area (points squared) 30 to 200 with the cost per step
        area = 30 + 170 * (p["cost"] / top_cost) if top_cost and p.get("cost") is not None else 40
        ax.add(mark("o", ax.X(p["x"]), ax.Y(p["y"]), math.sqrt(area), OKABE_ITO["blue"], FG, 0.6))
        if p.get("label"):
            ax.text(ax.X(p["x"]) + 7, ax.Y(p["y"]) - 5, p["label"], size=8)
    ticks = sorted(set(xs_all))
    ax.xticks(ticks, [str(x) for x in ticks])
    _linear_y(ax, ytop, 6)
    ax.frame(spec["xlabel"], spec["ylabel"])
    return fig.svg(chart.description)


def bar_chart(chart) -> str:
    """One horizontal bar per option, the first-ranked on top and green, each labelled with its value; a bar
    with a `low` end (its value being the high end of a band) gets an error bar, a whisker with caps, from
    `low` to its value, its tooltip `range`."""
    spec = chart.spec
    bars = spec["bars"]
    rows = len(bars)
    fig, ax = _plot(chart, 0.75 + 0.36 * rows, left=2.1)
    top = max(b["value"] for b in bars) or 1.0
    ax.set_x(0.0, top * 1.22)
    for i, b in enumerate(bars):
        ax.hbar(ax.row(i, rows), ax.row_height(rows), 0.0, b["value"],
                OKABE_ITO["green"] if b["first"] else OKABE_ITO["blue"], title=b["label"])
        if b.get("low") is not None:
            ax.whisker(ax.row(i, rows), b["low"], b["value"], ax.row_height(rows) * 0.55, FG, 1.2,
                       title=f"{b['label']}: {b.get('range', '')}")
        ax.text(ax.X(b["value"]) + 4, ax.row(i, rows), b["text"], size=8, middle=True)
    _linear_x(ax, top * 1.22, 6)
    ax.yticks(list(range(rows)), [b["label"] for b in bars], rows=rows)
    ax.frame(spec["xlabel"])
    return fig.svg(chart.description)


def legend(chart) -> list[dict]:
    """The chart's legend, drawn by the page (HTML) beside the SVG: swatch kind, colour, label."""
    spec = chart.spec
    if chart.kind == "stack":
        items = [{"kind": "patch", "color": SERIES_COLORS.get(k, OKABE_ITO["grey"]), "hatch": k in HATCHES,
                  "label": label} for k, label in zip(spec["keys"], spec["series"])]
        items += [{"kind": "line", "color": "currentColor", "dash": DASH_CSS[line["style"]], "label": line["label"]}
                  for line in spec["lines"]]
        return [_item(**i) for i in items]
    if chart.kind == "pareto":
        items = [{"kind": "line", "color": OKABE_ITO["blue"], "dash": "solid", "marker": True,
                  "label": spec["series_label"]}]
        if spec["others"]:
            items.append({"kind": "ring", "color": OKABE_ITO["grey"], "label": spec["others_label"]})
        return [_item(**i) for i in items]
    if chart.kind == "latency":
        items = [{"kind": "line", "color": LATENCY_STYLE[x["key"]][0], "dash": LATENCY_CSS[LATENCY_STYLE[x["key"]][1]],
                  "marker": True, "label": x["label"]} for x in spec["series"]]
        items += [{"kind": "line", "color": TARGET_COLOR[t["key"]], "dash": DASH_CSS["usable"], "label": t["label"]}
                  for t in spec["targets"]]
        if spec.get("current"):
            items.append({"kind": "line", "color": "currentColor", "dash": DASH_CSS["capacity"],
                          "label": spec["current_label"]})
        return [_item(**i) for i in items]
    if chart.kind == "roofline":
        items = [{"kind": "line", "color": "currentColor", "dash": "solid", "label": spec["roof_label"]},
                 {"kind": "line", "color": OKABE_ITO["grey"], "dash": DASH_CSS["boundary"], "label": spec["ridge_label"]}]
        items += [{"kind": "diamond" if p["key"] == "prefill" else "patch", "color": ROOF_MARKS[p["key"]][1],
                   "label": p["label"]} for p in spec["points"]]
        return [_item(**i) for i in items]
    if chart.kind == "bars":
        items = [{"kind": "patch", "color": OKABE_ITO["green"], "label": spec["first_label"]}]
        if len(spec["bars"]) > 1:
            items.append({"kind": "patch", "color": OKABE_ITO["blue"], "label": spec["other_label"]})
        if any(b.get("low") is not None for b in spec["bars"]):
            items.append({"kind": "line", "color": "currentColor", "dash": "whisker", "label": spec["whisker_label"]})
        return [_item(**i) for i in items]
    items = [{"kind": "line", "color": OKABE_ITO["blue"], "dash": "solid", "marker": True,
              "label": spec["series_label"]},
             {"kind": "line", "color": "currentColor", "dash": DASH_CSS["capacity"], "label": spec["capacity_label"]},
             {"kind": "patch", "color": OKABE_ITO["vermillion"], "opacity": "0.2", "label": spec["over_label"]}]
    if spec.get("boundary"):
        items.append({"kind": "line", "color": OKABE_ITO["orange"], "dash": DASH_CSS["boundary"],
                      "label": spec["boundary_label"]})
    if max(spec["ys"]) > curve_top(spec):
        items.append({"kind": "arrow", "color": OKABE_ITO["vermillion"], "label": spec["cut_label"]})
    if spec["current"] in spec["xs"]:
        fits = spec["ys"][spec["xs"].index(spec["current"])] <= spec["capacity"]
        items.append({"kind": "diamond", "color": OKABE_ITO["green" if fits else "vermillion"],
                      "label": spec["current_label"]})
    return [_item(**i) for i in items]


def _item(kind: str, color: str, label: str, hatch: bool = False, opacity: str = "", dash: str = "",
          marker: bool = False) -> dict:
    return {"kind": kind, "color": color, "label": label, "hatch": hatch, "opacity": opacity, "dash": dash,
            "marker": marker}


LATENCY_STYLE = {"ttft_p50": (OKABE_ITO["blue"], "-", "o"), "ttft_p99": (OKABE_ITO["blue"], "--", "s"),
                 "tpot_p50": (OKABE_ITO["orange"], "-", "o"), "tpot_p99": (OKABE_ITO["orange"], "--", "s")}
LATENCY_CSS = {"-": "solid", "--": "dashed"}
TARGET_COLOR = {"ttft": OKABE_ITO["blue"], "tpot": OKABE_ITO["orange"]}


def latency_chart(chart) -> str:
    """TTFT and TPOT percentiles against the request rate (log axis), targets dotted, the plan's rate dashed."""
    spec = chart.spec
    xs = spec["rates"]
    fig, ax = _plot(chart, 2.9)
    values = [v for s in spec["series"] for v in s["values"] if v and v > 0] + \
             [t["value"] for t in spec["targets"] if t["value"] > 0]
    lo, hi = min(values), max(values)
    right = max(xs + [spec.get("current") or 0]) * 1.05
    ax.set_x(0.0, right)
    ax.set_y(lo / 1.4, hi * 1.4, log_base=10)
    for series in spec["series"]:
        color, style, marker = LATENCY_STYLE[series["key"]]
        ax.line(xs, series["values"], color, 1.6, DASHES["dashed"] if style == "--" else (), marker, 3.2)
    for target in spec["targets"]:
        ax.hline(target["value"], TARGET_COLOR[target["key"]], 1.2, DASHES["usable"])
    if spec.get("current"):
        ax.vline(spec["current"], FG, 1.0, DASHES["capacity"])
    _linear_x(ax, right, 8)
    yt = log_ticks(lo / 1.4, hi * 1.4)
    ax.yticks(yt, [log_label(v) for v in yt])
    ax.frame(spec["xlabel"], spec["ylabel"])
    return fig.svg(chart.description)


ROOF_MARKS = {"prefill": ("D", OKABE_ITO["blue"]), "decode": ("s", OKABE_ITO["orange"])}


def roofline_chart(chart) -> str:
    """Attainable FLOP/s against FLOP per byte, both log 10: the roof (bandwidth x intensity up to the ridge,
    the peak after it), the ridge dashed, prefill and decode marked where they sit on it."""
    spec = chart.spec
    peak, ridge, points = spec["peak"], spec["ridge"], spec["points"]
    xs = [p["x"] for p in points] + [ridge]
    x_lo, x_hi = min(xs) / 4, max(xs) * 4
    tera = 1e12
    y_hi = peak / tera * 2
    y_lo = min([peak * x_lo / ridge] + [p["y"] for p in points]) / tera / 1.5
    fig, ax = _plot(chart, 2.7)
    ax.set_x(x_lo, x_hi, log_base=10)
    ax.set_y(y_lo, y_hi, log_base=10)
    ax.line([x_lo, ridge, x_hi], [peak * x_lo / ridge / tera, peak / tera, peak / tera], FG, 1.6)
    ax.vline(ridge, OKABE_ITO["grey"], 1.0, DASHES["boundary"])
    for p in points:
        kind, color = ROOF_MARKS[p["key"]]
        ax.add(mark(kind, ax.X(p["x"]), ax.Y(p["y"] / tera), 8, color, FG, 0.8, p["key"]))
    xt, yt = log_ticks(x_lo, x_hi), log_ticks(y_lo, y_hi)
    ax.xticks(xt, [log_label(v) for v in xt])
    ax.yticks(yt, [log_label(v) for v in yt])
    ax.frame(spec["xlabel"], spec["ylabel"])
    return fig.svg(chart.description)


DRAW = {"stack": stack_chart, "curve": curve_chart, "pareto": pareto_chart, "bars": bar_chart,
        "latency": latency_chart, "roofline": roofline_chart}


def draw(chart) -> str:
    return DRAW[chart.kind](chart)
