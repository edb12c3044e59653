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
import re

FG, GRID, BG = "#010203", "#040506", "#070809"   # placeholders, replaced by themed()

# Okabe & Ito 2008, "Color Universal Design"; black is replaced by greys for the runtime parts.
OKABE_ITO = {
    "blue": "#0072B2", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "orange": "#E69F00", "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#999999",
    "dark_grey": "#6E6E6E",
}
SERIES_COLORS = {
    "weights": OKABE_ITO["blue"], "gradients": OKABE_ITO["sky"], "master_weights": OKABE_ITO["green"],
    "optimizer_states": OKABE_ITO["yellow"], "activations": OKABE_ITO["orange"],
    "logits": OKABE_ITO["vermillion"], "temporary": OKABE_ITO["purple"],
    "allocator_reserve": OKABE_ITO["grey"], "cuda_context": OKABE_ITO["dark_grey"],
    "kv_cache": OKABE_ITO["orange"],
}
HATCHES = {"allocator_reserve": "//", "cuda_context": "xx", "temporary": "..", "logits": "\\\\"}

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


def _figure(height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, height), dpi=72)
    return fig


def _svg(fig, description: str, chart_id: str) -> str:
    import io

    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buf = io.StringIO()
    FigureCanvasSVG(fig)
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
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
    body = svg[head_end:].strip()
    return root + "\n" + body + "\n"


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


def stack_chart(chart) -> str:
    import matplotlib

    spec = chart.spec
    bars = spec["bars"]
    n = len(bars)
    legend_rows = (len(spec["series"]) + len(spec["lines"]) + 3) // 4
    height = 0.9 + 0.38 * n + 0.22 * legend_rows
    with matplotlib.rc_context(RC):
        fig = _figure(height)
        ax = fig.add_axes(_axes_box(height, legend_rows, left=1.1))
        ys = list(range(n))[::-1]     # first stage on top
        lefts = [0.0] * n
        for j, (key, label) in enumerate(zip(spec["keys"], spec["series"])):
            widths = [b["values"][j] for b in bars]
            ax.barh(ys, widths, left=lefts, height=0.62, color=SERIES_COLORS.get(key, OKABE_ITO["grey"]),
                    edgecolor=BG, linewidth=0.5, label=label, hatch=HATCHES.get(key))
            lefts = [a + b for a, b in zip(lefts, widths)]
        top = max(lefts + [line["value"] for line in spec["lines"]]) * 1.06
        for line in spec["lines"]:
            ax.axvline(line["value"], color=FG, linewidth=1.2,
                       linestyle=(0, (4, 2)) if line["style"] == "capacity" else (0, (1, 1.5)),
                       label=line["label"])
        ax.set_yticks(ys, [b["label"] for b in bars])
        ax.set_xlim(0, top)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlabel(spec["xlabel"])
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        fig.legend(loc="lower center", ncol=4, bbox_to_anchor=(0.5, 0.0), handlelength=1.6,
                   columnspacing=1.2)
        return _svg(fig, chart.description, chart.id)


def _axes_box(height: float, legend_rows: int, left: float = 0.9) -> list[float]:
    bottom_in = 0.45 + 0.22 * legend_rows
    top_in = 0.12
    return [left / WIDTH_IN, bottom_in / height, 1 - (left + 0.2) / WIDTH_IN,
            max(0.1, 1 - (bottom_in + top_in) / height)]


def curve_chart(chart) -> str:
    import matplotlib

    spec = chart.spec
    xs, ys = spec["xs"], spec["ys"]
    cap = spec["capacity"]
    height = 3.0
    with matplotlib.rc_context(RC):
        fig = _figure(height)
        ax = fig.add_axes(_axes_box(height, 1))
        ax.set_xscale("log", base=2)
        top = max(cap * 1.25, min(max(ys), cap * 2.2) * 1.08)
        ax.axhspan(cap, top, color=OKABE_ITO["vermillion"], alpha=0.10, linewidth=0, label=spec["over_label"])
        ax.axhline(cap, color=FG, linewidth=1.2, linestyle=(0, (4, 2)), label=spec["capacity_label"])
        ax.plot(xs, ys, color=OKABE_ITO["blue"], linewidth=1.8, marker="o", markersize=3.5,
                label=spec["series_label"])
        if spec.get("boundary"):
            ax.axvline(spec["boundary"], color=OKABE_ITO["orange"], linewidth=1.4, linestyle=(0, (1, 1.5)),
                       label=f"{spec['boundary_label']}: {_fmt_tick(spec['boundary'], spec['tokens'])}")
        if spec["current"] in xs:
            y = ys[xs.index(spec["current"])]
            ax.plot([spec["current"]], [y], linestyle="none", marker="D", markersize=7,
                    markerfacecolor=OKABE_ITO["vermillion"] if y > cap else OKABE_ITO["green"],
                    markeredgecolor=FG, markeredgewidth=0.8, label=spec["current_label"])
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
        fig.legend(loc="lower center", ncol=5, bbox_to_anchor=(0.5, 0.0), handlelength=1.6, columnspacing=1.0)
        return _svg(fig, chart.description, chart.id)


def draw(chart) -> str:
    return stack_chart(chart) if chart.kind == "stack" else curve_chart(chart)
