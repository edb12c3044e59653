"""Charts as inline SVG, drawn with matplotlib's SVG backend.

Text stays text (`svg.fonttype = none`), so it is searchable, selectable and
translated; ids are salted with a fixed string and no date or version is
written, so the same data gives the same bytes. Colours are the Okabe-Ito
palette (distinguishable with every common colour-vision deficiency). The
foreground, grid and background are drawn in placeholder colours that
`themed()` turns into CSS (`currentColor`, custom properties) for HTML, which
follows light and dark mode, or into fixed colours for print.
"""

from __future__ import annotations

import html
import importlib
import os
import pickle
import re
import sys
import threading

FG, GRID, BG = "#010203", "#040506", "#070809"   # placeholders, replaced by themed()

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
    "comm_context": OKABE_ITO["dark_grey"],
}
HATCHES = {"allocator_reserve": "//", "cuda_context": "xx", "nccl": "++", "cuda_graphs": "oo", "temporary": "..", "logits": "\\\\",
           "bubble": "//", "comm_context": ".."}

RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "capplan-report",
    "svg.image_inline": True,
    "font.family": ["DejaVu Sans", "Noto Sans CJK SC"],
    "font.size": 9.0,
    "text.color": FG,
    "axes.labelcolor": FG,
    "axes.edgecolor": FG,
    "axes.facecolor": "none",
    "axes.linewidth": 0.6,
    "xtick.color": FG,
    "ytick.color": FG,
    "xtick.labelcolor": FG,
    "ytick.labelcolor": FG,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "figure.facecolor": "none",
    "figure.edgecolor": "none",
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "hatch.color": BG,
    "hatch.linewidth": 0.6,
    "path.simplify": False,
    "axes.unicode_minus": False,
}

WIDTH_IN = 7.0
DASHES = {"capacity": (0, (4, 2)), "usable": (0, (1, 1.5)), "boundary": (0, (1, 1.5)), "band": (0, (2, 1, 0.5, 1))}
DASH_CSS = {"capacity": "dashed", "usable": "dotted", "boundary": "dotted", "band": "dotted"}   # legend: CSS borders


def _figure(height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, height), dpi=72)
    return fig


def _svg(fig, description: str, chart_id: str) -> str:
    import io

    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buf = io.StringIO()
    FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return _clean(buf.getvalue(), description, chart_id)


def _clean(svg: str, description: str, chart_id: str) -> str:
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # matplotlib's global `*{...}` style would apply to the whole HTML page: the report's CSS has it, scoped
    svg = re.sub(r"<style type=\"text/css\">\*\{[^}]*\}</style>\s*", "", svg)
    svg = re.sub(r"<defs>\s*</defs>\s*", "", svg)
    # ids unique in the page: prefix every id and reference with the chart's id
    prefix = chart_id + "-"
    svg = re.sub(r'<g id="[^"]*">', "<g>", svg)       # group ids are never referenced
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(r'(?<![\w:])((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{prefix}{m.group(2)}"', svg)
    # the root: sized by CSS (responsive), described for screen readers
    head_end = svg.index(">") + 1
    head = svg[:head_end]
    width = re.search(r'width="([\d.]+)pt"', head)
    height = re.search(r'height="([\d.]+)pt"', head)
    view = re.search(r'viewBox="([^"]+)"', head)
    title_id = f"{chart_id}-title"
    root = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'class="chart" role="img" aria-labelledby="{title_id}" viewBox="{view.group(1)}" '
            f'width="{width.group(1)}pt" height="{height.group(1)}pt" version="1.1">'
            f'<title id="{title_id}">{html.escape(description, quote=False)}</title>')
    body = _simplify(svg[head_end:svg.rindex("</svg>")])
    return root + "\n" + body + "</svg>\n"


_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"


def _simplify(body: str) -> str:
    """Fewer elements for the same picture: bare `<g>` wrappers unwrapped, invisible patches dropped.

    Each element costs a browser little but WeasyPrint (the PDF) a style computation and a box;
    matplotlib wraps every artist in a group of its own.
    """
    import xml.etree.ElementTree as ET

    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    tree = ET.fromstring(f'<svg xmlns="{_SVG_NS}" xmlns:xlink="{_XLINK_NS}">{body}</svg>')
    g, path = f"{{{_SVG_NS}}}g", f"{{{_SVG_NS}}}path"

    def flatten(parent):
        out = []
        for child in list(parent):
            flatten(child)
            if child.tag == g and not child.attrib:
                out.extend(list(child))
            elif child.tag == path and child.get("style", "").strip() == "fill: none" and "id" not in child.attrib:
                continue            # the figure's and axes' transparent background patches
            else:
                out.append(child)
        for child in list(parent):
            parent.remove(child)
        parent.extend(out)
        for child in parent:
            child.tail = "\n"

    flatten(tree)
    text = ET.tostring(tree, encoding="unicode", short_empty_elements=True)
    return text[text.index(">") + 1:text.rindex("</svg>")].lstrip("\n")


def themed(svg: str, medium: str) -> str:
    """Placeholders to colours: CSS variables for the screen (light/dark), fixed for print/PDF."""
    if medium == "screen":
        colors = {FG: "currentColor", GRID: "var(--chart-grid)", BG: "var(--chart-bg)"}
    else:
        colors = {FG: "#222222", GRID: "#d4d4d4", BG: "#ffffff"}
    for placeholder, color in colors.items():
        svg = svg.replace(placeholder, color).replace(placeholder.upper(), color)
    return svg


def _fmt_tick(x: float, tokens: bool) -> str:
    x = int(x)
    if tokens and x >= 1024 and x % 1024 == 0:
        return f"{x // 1024}K" if x < 1 << 20 else f"{x / (1 << 20):g}M"
    return str(x)


def _bar_rows(n: int, left: float):
    """A figure sized for `n` horizontal bars, its axes, and the y positions (first bar on top)."""
    height = 0.75 + 0.36 * n
    fig = _figure(height)
    ax = fig.add_axes(_axes_box(height, left=left))
    return fig, ax, list(range(n))[::-1]


def stack_chart(chart) -> str:
    import matplotlib
    from matplotlib.ticker import MaxNLocator

    spec = chart.spec
    bars = spec["bars"]
    with matplotlib.rc_context(RC):
        fig, ax, ys = _bar_rows(len(bars), left=1.0)   # first stage on top
        lefts = [0.0] * len(bars)
        for j, (key, label) in enumerate(zip(spec["keys"], spec["series"])):
            widths = [b["values"][j] for b in bars]
            ax.barh(ys, widths, left=lefts, height=0.62, color=SERIES_COLORS.get(key, OKABE_ITO["grey"]),
                    edgecolor=BG, linewidth=0.5, hatch=HATCHES.get(key))
            lefts = [a + b for a, b in zip(lefts, widths)]
        top = max(lefts + [line["value"] for line in spec["lines"]]) * 1.06
        for line in spec["lines"]:
            ax.axvline(line["value"], color=FG, linewidth=1.2,
                       linestyle=DASHES[line["style"]])
        ax.set_yticks(ys, [b["label"] for b in bars])
        ax.set_xlim(0, top)
        ax.set_ylim(-0.6, len(bars) - 0.4)
        ax.set_xlabel(spec["xlabel"])
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.xaxis.set_major_locator(MaxNLocator(8))
        return _svg(fig, chart.description, chart.id)


def _axes_box(height: float, left: float = 0.75) -> list[float]:
    bottom_in = 0.5
    top_in = 0.12
    return [left / WIDTH_IN, bottom_in / height, 1 - (left + 0.2) / WIDTH_IN,
            max(0.1, 1 - (bottom_in + top_in) / height)]


def curve_top(spec: dict) -> float:
    """A curve chart's top: a quarter above the capacity, or the highest value, but never above 2.2 times
    the capacity plus a margin, so the region that matters stays readable; values above are cut (and marked)."""
    cap = spec["capacity"]
    return max(cap * 1.25, min(max(spec["ys"]), cap * 2.2) * 1.08)


def curve_chart(chart) -> str:
    import matplotlib
    from matplotlib.ticker import MaxNLocator

    spec = chart.spec
    xs, ys = spec["xs"], spec["ys"]
    cap = spec["capacity"]
    height = 2.7
    with matplotlib.rc_context(RC):
        fig = _figure(height)
        ax = fig.add_axes(_axes_box(height))
        ax.set_xscale("log", base=2)
        top = curve_top(spec)
        ax.axhspan(cap, top, color=OKABE_ITO["vermillion"], alpha=0.10, linewidth=0)
        ax.axhline(cap, color=FG, linewidth=1.2, linestyle=DASHES["capacity"])
        ax.plot(xs, ys, color=OKABE_ITO["blue"], linewidth=1.8, marker="o", markersize=3.5)
        cut = [x for x, y in zip(xs, ys) if y > top]
        if cut:     # the values above the chart's top: an arrow on the top edge says the line goes on
            ax.plot(cut, [top] * len(cut), linestyle="none", marker="^", markersize=7, clip_on=False,
                    markerfacecolor=OKABE_ITO["vermillion"], markeredgecolor=FG, markeredgewidth=0.6)
        if spec.get("boundary"):
            ax.axvline(spec["boundary"], color=OKABE_ITO["orange"], linewidth=1.4, linestyle=DASHES["boundary"])
        if spec["current"] in xs:
            y = ys[xs.index(spec["current"])]
            ax.plot([spec["current"]], [y], linestyle="none", marker="D", markersize=7,
                    markerfacecolor=OKABE_ITO["vermillion"] if y > cap else OKABE_ITO["green"],
                    markeredgecolor=FG, markeredgewidth=0.8)
        ticks = [x for x in xs if x & (x - 1) == 0] or xs
        ax.set_xticks(ticks, [_fmt_tick(x, spec["tokens"]) for x in ticks])
        ax.minorticks_off()
        ax.set_xlim(xs[0] / 1.15, xs[-1] * 1.15)
        ax.set_ylim(0, top)
        ax.set_xlabel(spec["xlabel"])
        ax.set_ylabel(spec["ylabel"])
        ax.grid(True)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.yaxis.set_major_locator(MaxNLocator(6))
        return _svg(fig, chart.description, chart.id)


def pareto_chart(chart) -> str:
    """Step time against GPUs: the Pareto front as a line of markers whose area follows the cost per
    step (labelled with it), the other top layouts as hollow grey circles."""
    import matplotlib
    from matplotlib.ticker import MaxNLocator

    spec = chart.spec
    points, others = spec["points"], spec["others"]
    xs_all = [p["x"] for p in points + others]
    ys_all = [p["y"] for p in points + others]
    costs = [p["cost"] for p in points if p.get("cost") is not None]
    height = 2.7
    with matplotlib.rc_context(RC):
        fig = _figure(height)
        ax = fig.add_axes(_axes_box(height))
        powers = all(x > 0 and x & (x - 1) == 0 for x in xs_all)
        if powers and max(xs_all) > min(xs_all):
            ax.set_xscale("log", base=2)
        if others:
            ax.scatter([p["x"] for p in others], [p["y"] for p in others], s=30, facecolors="none",
                       edgecolors=OKABE_ITO["grey"], linewidths=1.0, zorder=2)
        ax.plot([p["x"] for p in points], [p["y"] for p in points], color=OKABE_ITO["blue"], linewidth=1.4,
                zorder=3)
        top_cost = max(costs) if costs else 0.0
        sizes = [30 + 170 * (p["cost"] / top_cost) if top_cost and p.get("cost") is not None else 40
                 for p in points]
        ax.scatter([p["x"] for p in points], [p["y"] for p in points], s=sizes, color=OKABE_ITO["blue"],
                   edgecolors=FG, linewidths=0.6, zorder=4)
        for p in points:
            if p.get("label"):
                ax.annotate(p["label"], (p["x"], p["y"]), xytext=(7, 5), textcoords="offset points", fontsize=8,
                            color=FG)
        ticks = sorted(set(xs_all))
        ax.set_xticks(ticks, [str(x) for x in ticks])
        ax.minorticks_off()
        lo, hi = min(xs_all), max(xs_all)
        if ax.get_xscale() == "log":
            ax.set_xlim(lo / 1.5, hi * 1.5)
        else:
            pad = max(1.0, (hi - lo) * 0.15)
            ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(0, max(ys_all) * 1.2)
        ax.set_xlabel(spec["xlabel"])
        ax.set_ylabel(spec["ylabel"])
        ax.grid(True)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.yaxis.set_major_locator(MaxNLocator(6))
        return _svg(fig, chart.description, chart.id)


def bar_chart(chart) -> str:
    """One horizontal bar per option, the first-ranked on top and green, each labelled with its value."""
    import matplotlib
    from matplotlib.ticker import MaxNLocator

    spec = chart.spec
    bars = spec["bars"]
    with matplotlib.rc_context(RC):
        fig, ax, ys = _bar_rows(len(bars), left=2.1)
        values = [b["value"] for b in bars]
        ax.barh(ys, values, height=0.62, edgecolor=BG, linewidth=0.5,
                color=[OKABE_ITO["green"] if b["first"] else OKABE_ITO["blue"] for b in bars])
        top = max(values) or 1.0
        for y, b in zip(ys, bars):
            ax.annotate(b["text"], (b["value"], y), xytext=(4, 0), textcoords="offset points", va="center",
                        fontsize=8, color=FG)
        ax.set_yticks(ys, [b["label"] for b in bars])
        ax.set_xlim(0, top * 1.22)
        ax.set_ylim(-0.6, len(bars) - 0.4)
        ax.set_xlabel(spec["xlabel"])
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.xaxis.set_major_locator(MaxNLocator(6))
        return _svg(fig, chart.description, chart.id)


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
    if chart.kind == "bars":
        items = [{"kind": "patch", "color": OKABE_ITO["green"], "label": spec["first_label"]}]
        if len(spec["bars"]) > 1:
            items.append({"kind": "patch", "color": OKABE_ITO["blue"], "label": spec["other_label"]})
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
    import matplotlib

    spec = chart.spec
    xs = spec["rates"]
    height = 2.9
    with matplotlib.rc_context(RC):
        fig = _figure(height)
        ax = fig.add_axes(_axes_box(height))
        ax.set_yscale("log")
        for series in spec["series"]:
            color, style, marker = LATENCY_STYLE[series["key"]]
            ax.plot(xs, series["values"], color=color, linestyle=style, linewidth=1.6, marker=marker,
                    markersize=3.2)
        for target in spec["targets"]:
            ax.axhline(target["value"], color=TARGET_COLOR[target["key"]], linewidth=1.2,
                       linestyle=DASHES["usable"])
        if spec.get("current"):
            ax.axvline(spec["current"], color=FG, linewidth=1.0, linestyle=DASHES["capacity"])
        ax.set_xlim(0, max(xs + [spec.get("current") or 0]) * 1.05)
        ax.set_xlabel(spec["xlabel"])
        ax.set_ylabel(spec["ylabel"])
        ax.grid(True, which="major")
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        return _svg(fig, chart.description, chart.id)


DRAW = {"stack": stack_chart, "curve": curve_chart, "pareto": pareto_chart, "bars": bar_chart,
        "latency": latency_chart}


def draw(chart) -> str:
    return DRAW[chart.kind](chart)


class Drawing:
    """Charts drawn in a forked helper process while this one does other work (for a PDF: loading
    WeasyPrint; for HTML: the other half of the charts); `result()` gives the SVGs in order. Serial
    off Linux, with threads running (fork would copy held locks), with CAPPLAN_REPORT_JOBS=1, or if
    the helper fails. The SVGs are the same either way (matplotlib with a fixed hash salt)."""

    def __init__(self, charts: list, here: int = 0):
        self.charts = list(charts)
        self.here = here                     # how many, from the front, this process draws itself
        self.pid = None
        self.fd = None
        if (len(self.charts) - here < 2 or not sys.platform.startswith("linux")
                or os.environ.get("CAPPLAN_REPORT_JOBS") == "1" or threading.active_count() > 1):
            self.here = len(self.charts)
            return
        if here:
            # both processes draw: import matplotlib once, before the fork, not once in each
            for module in ("matplotlib.figure", "matplotlib.backends.backend_svg"):
                importlib.import_module(module)
        try:
            read, write = os.pipe()
            pid = os.fork()
        except OSError:
            self.here = len(self.charts)
            return
        if pid == 0:                         # the helper: draw its share, send it, leave at once
            code = 1
            try:
                os.close(read)
                data = pickle.dumps([draw(c) for c in self.charts[here:]])
                with os.fdopen(write, "wb") as fh:
                    fh.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.fd = pid, read

    def result(self) -> list[str]:
        mine = [draw(c) for c in self.charts[:self.here]]
        if self.pid is None:
            return mine
        with os.fdopen(self.fd, "rb") as fh:
            data = fh.read()
        _, status = os.waitpid(self.pid, 0)
        try:
            theirs = pickle.loads(data) if status == 0 else None
        except Exception:
            theirs = None
        if theirs is None or len(theirs) != len(self.charts) - self.here:
            theirs = [draw(c) for c in self.charts[self.here:]]
        return mine + theirs
