"""A small SVG plotting canvas for the report's charts: a figure, axes with linear, log-2 and log-10
scales, ticks, grid and spines, lines with markers, horizontal bars with hatching, error bars, text.

Written directly as SVG text (no plotting library): a chart costs well under a millisecond, where
matplotlib's import alone took half a second of a report. Coordinates are points (1/72 inch), the
viewBox of a figure WIDTH_IN inches wide, so that a CSS width of 576 px draws 8-unit text at 9 px.
Text stays text (searchable, selectable, translated). Every id is prefixed with the chart's id, so
many charts share one page. Numbers are rounded to 0.01 pt, so the same data gives the same bytes.
The foreground, grid and background colours are placeholders that charts.themed() turns into CSS.
"""

from __future__ import annotations

import html
import math

FG, GRID, BG = "#010203", "#040506", "#070809"   # placeholders, replaced by charts.themed()
FONT = "'DejaVu Sans', 'Noto Sans CJK SC', sans-serif"
TICK_PT, PAD_PT, LABEL_PT, SMALL_PT = 3.5, 3.5, 9.0, 8.0   # matplotlib's defaults at font.size 9
STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def n(v: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never `-0`."""
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def nice_ticks(lo: float, hi: float, bins: int) -> list[float]:
    """At most `bins` + 1 ticks at multiples of 1, 2, 2.5 or 5 x 10^k inside [lo, hi] (matplotlib's
    MaxNLocator with its default steps)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / bins
    scale = 10 ** math.floor(math.log10(raw))
    step = next(s * scale for s in STEPS if s * scale >= raw * (1 - 1e-9))
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    k = first
    while k * step <= hi * (1 + 1e-9) + 1e-12:
        ticks.append(round(k * step, 12))
        k += 1
    return ticks


def tick_label(v: float, ticks: list[float]) -> str:
    """A linear axis's label: as many decimals as the tick step needs (0.5, 2.5, 10)."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else abs(v) or 1.0
    decimals = 0
    while decimals < 6 and abs(round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6 * 10 ** decimals:
        decimals += 1
    text = f"{v:.{decimals}f}"
    return "0" if float(text) == 0 else text


def log_ticks(lo: float, hi: float) -> list[float]:
    """Ticks of a log-10 axis: the powers of ten inside [lo, hi], with 2 and 5 times them when fewer
    than three powers fall inside."""
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    decades = [10.0 ** k for k in range(a, b + 1) if lo <= 10.0 ** k <= hi]
    if len(decades) >= 3:
        return decades
    return [m * 10.0 ** k for k in range(a, b + 1) for m in (1, 2, 5) if lo <= m * 10.0 ** k <= hi]


def log_label(v: float) -> str:
    return f"{v:.10f}".rstrip("0").rstrip(".") if v < 1 else f"{v:g}"


def text_width(text: str, size: float) -> float:
    """An estimate of DejaVu Sans's advance for `text` (0.62 em a character; 1 em for CJK), in points."""
    return sum(size * (1.0 if ord(ch) >= 0x2E80 else 0.62) for ch in text)


class Scale:
    """Data to a 0..1 position along an axis: linear, or logarithmic in `base`."""

    def __init__(self, lo: float, hi: float, log_base: float | None = None):
        self.lo, self.hi, self.base = lo, hi, log_base
        self._a, self._b = (self._f(lo), self._f(hi))

    def _f(self, v: float) -> float:
        return math.log(v, self.base) if self.base else v

    def __call__(self, v: float) -> float:
        span = self._b - self._a
        return (self._f(v) - self._a) / span if span else 0.5


class Figure:
    """One chart: layers drawn in order (grid, data, axes, free marks) and the definitions they use."""

    def __init__(self, chart_id: str, width_in: float, height_in: float):
        self.id = chart_id
        self.width, self.height = width_in * 72, height_in * 72
        self.defs: list[str] = []
        self.layers: dict[str, list[str]] = {"grid": [], "axes": [], "over": []}
        self.plots: list[Axes] = []
        self._patterns: dict[str, str] = {}

    def axes(self, left_in: float, bottom_in: float, right_in: float, top_in: float) -> "Axes":
        """Axes inset by these margins (inches) from the figure's edges."""
        return Axes(self, left_in * 72, top_in * 72, self.width - right_in * 72, self.height - bottom_in * 72)

    def hatch(self, kind: str) -> str:
        """The id of a pattern of lines in the background colour, laid over a bar's fill."""
        if kind not in self._patterns:
            pid = f"{self.id}-hatch{len(self._patterns)}"
            stroke = f'stroke="{BG}" stroke-width="0.6" fill="none"'
            shapes = {
                "//": f'<path d="M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5" {stroke}/>',
                "\\\\": f'<path d="M-1,5 L1,7 M0,0 L6,6 M5,-1 L7,1" {stroke}/>',
                "xx": f'<path d="M0,6 L6,0 M0,0 L6,6" {stroke}/>',
                "++": f'<path d="M3,0 L3,6 M0,3 L6,3" {stroke}/>',
                "..": f'<circle cx="3" cy="3" r="0.8" fill="{BG}"/>',
                "oo": f'<circle cx="3" cy="3" r="1.6" {stroke}/>',
            }
            self.defs.append(f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="6" height="6">'
                             f'{shapes.get(kind, shapes["//"])}</pattern>')
            self._patterns[kind] = pid
        return self._patterns[kind]

    def svg(self, description: str) -> str:
        title_id = f"{self.id}-title"
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{title_id}" '
                 f'viewBox="0 0 {n(self.width)} {n(self.height)}" width="{n(self.width)}pt" '
                 f'height="{n(self.height)}pt" version="1.1" font-family="{esc(FONT)}">',
                 f'<title id="{title_id}">{html.escape(description, quote=False)}</title>']
        if self.defs:
            parts.append("<defs>" + "".join(self.defs) + "</defs>")
        parts += self.layers["grid"]
        for ax in self.plots:
            if ax.clipped:
                parts += [f'<g clip-path="url(#{ax.clip_id})">', *ax.clipped, "</g>"]
        parts += self.layers["axes"] + self.layers["over"]
        return "\n".join(parts) + "\n</svg>\n"


class Axes:
    """A plot area: data coordinates to points, and what is drawn in it."""

    def __init__(self, fig: Figure, x0: float, y0: float, x1: float, y1: float):
        self.fig = fig
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1      # SVG box: y0 is the top
        self.sx = Scale(0.0, 1.0)
        self.sy = Scale(0.0, 1.0)
        self.clip_id = f"{fig.id}-clip"
        fig.defs.append(f'<clipPath id="{self.clip_id}"><rect x="{n(x0)}" y="{n(y0)}" width="{n(x1 - x0)}" '
                        f'height="{n(y1 - y0)}"/></clipPath>')
        self.clipped: list[str] = []               # the data marks, drawn inside the plot's box only
        fig.plots.append(self)
        self.yticks_width = 0.0

    # ---- coordinates
    def set_x(self, lo: float, hi: float, log_base: float | None = None) -> None:
        self.sx = Scale(lo, hi, log_base)

    def set_y(self, lo: float, hi: float, log_base: float | None = None) -> None:
        self.sy = Scale(lo, hi, log_base)

    def X(self, v: float) -> float:
        return self.x0 + self.sx(v) * (self.x1 - self.x0)

    def Y(self, v: float) -> float:
        return self.y1 - self.sy(v) * (self.y1 - self.y0)

    def row(self, i: float, rows: int) -> float:
        """The centre of bar row `i` of `rows` (row 0 on top), each row 1 unit in -0.6 .. rows - 0.4."""
        return self.y0 + (i + 0.6) / rows * (self.y1 - self.y0) if rows else self.y0

    def row_height(self, rows: int, share: float = 0.62) -> float:
        return share / rows * (self.y1 - self.y0) if rows else 0.0

    # ---- marks (clipped to the plot unless said otherwise)
    def add(self, element: str, clip: bool = True) -> None:
        (self.clipped if clip else self.fig.layers["over"]).append(element)

    def hbar(self, cy: float, height: float, x_from: float, x_to: float, color: str, hatch: str | None = None,
             title: str = "") -> None:
        x, w = self.X(x_from), self.X(x_to) - self.X(x_from)
        if w <= 0:
            return
        attrs = f'x="{n(x)}" y="{n(cy - height / 2)}" width="{n(w)}" height="{n(height)}"'
        tip = f"<title>{esc(title)}</title>" if title else ""
        self.add(f'<rect {attrs} fill="{color}" stroke="{BG}" stroke-width="0.5">{tip}</rect>')
        if hatch:
            self.add(f'<rect {attrs} fill="url(#{self.fig.hatch(hatch)})"/>')

    def whisker(self, cy: float, x_from: float, x_to: float, cap: float, color: str, width: float,
                title: str = "") -> None:
        """An error bar along x at height `cy`: a line from `x_from` to `x_to` (data) with a cap `cap`
        points tall at each end."""
        a, b, h = self.X(x_from), self.X(x_to), cap / 2
        tip = f"<title>{esc(title)}</title>" if title else ""
        self.add(f'<path class="whisker" d="M{n(a)},{n(cy)} L{n(b)},{n(cy)} M{n(a)},{n(cy - h)} L{n(a)},{n(cy + h)} '
                 f'M{n(b)},{n(cy - h)} L{n(b)},{n(cy + h)}" fill="none" stroke="{color}" stroke-width="{n(width)}">'
                 f'{tip}</path>')

    def line(self, xs: list[float], ys: list[float], color: str, width: float, dash: tuple = (),
             marker: str | None = None, size: float = 3.5) -> None:
        pts = " ".join(f"{n(self.X(x))},{n(self.Y(y))}" for x, y in zip(xs, ys))
        self.add(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="{n(width)}"'
                 f'{dash_attr(dash, width)}/>')
        if marker:
            for x, y in zip(xs, ys):
                self.add(mark(marker, self.X(x), self.Y(y), size, color, color, 0))

    def vline(self, x: float, color: str, width: float, dash: tuple = ()) -> None:
        self.add(f'<line x1="{n(self.X(x))}" y1="{n(self.y0)}" x2="{n(self.X(x))}" y2="{n(self.y1)}" '
                 f'stroke="{color}" stroke-width="{n(width)}"{dash_attr(dash, width)}/>')

    def hline(self, y: float, color: str, width: float, dash: tuple = ()) -> None:
        self.add(f'<line x1="{n(self.x0)}" y1="{n(self.Y(y))}" x2="{n(self.x1)}" y2="{n(self.Y(y))}" '
                 f'stroke="{color}" stroke-width="{n(width)}"{dash_attr(dash, width)}/>')

    def hspan(self, y_from: float, y_to: float, color: str, opacity: float) -> None:
        top, bottom = self.Y(y_to), self.Y(y_from)
        self.add(f'<rect x="{n(self.x0)}" y="{n(top)}" width="{n(self.x1 - self.x0)}" height="{n(bottom - top)}" '
                 f'fill="{color}" fill-opacity="{opacity:g}"/>')

    def text(self, x: float, y: float, text: str, size: float = SMALL_PT, anchor: str = "start",
             middle: bool = False) -> None:
        """Text at (x, y) points, never clipped; `middle`: centred on y rather than standing on it."""
        align = "" if anchor == "start" else f' text-anchor="{anchor}"'
        self.add(f'<text x="{n(x)}" y="{n(y + (0.35 * size if middle else 0.0))}" font-size="{n(size)}" '
                 f'fill="{FG}"{align}>{esc(text)}</text>', clip=False)

    # ---- the frame
    def xticks(self, values: list[float], labels: list[str], grid: bool = True) -> None:
        base = self.y1
        for v, label in zip(values, labels):
            x = self.X(v)
            if x < self.x0 - 0.01 or x > self.x1 + 0.01:
                continue
            if grid:
                self.fig.layers["grid"].append(f'<line x1="{n(x)}" y1="{n(self.y0)}" x2="{n(x)}" y2="{n(self.y1)}" '
                                               f'stroke="{GRID}" stroke-width="0.6"/>')
            self.fig.layers["axes"].append(
                f'<line x1="{n(x)}" y1="{n(base)}" x2="{n(x)}" y2="{n(base + TICK_PT)}" stroke="{FG}" '
                f'stroke-width="0.6"/>\n<text x="{n(x)}" y="{n(base + TICK_PT + PAD_PT + 0.8 * LABEL_PT)}" '
                f'font-size="{n(LABEL_PT)}" fill="{FG}" text-anchor="middle">{esc(label)}</text>')

    def yticks(self, values: list[float], labels: list[str], grid: bool = True, rows: int | None = None) -> None:
        """Ticks on the left; with `rows`, `values` are bar rows (no tick mark, no grid line)."""
        length = 0.0 if rows is not None else TICK_PT
        for v, label in zip(values, labels):
            y = self.row(v, rows) if rows is not None else self.Y(v)
            if y < self.y0 - 0.01 or y > self.y1 + 0.01:
                continue
            if grid and rows is None:
                self.fig.layers["grid"].append(f'<line x1="{n(self.x0)}" y1="{n(y)}" x2="{n(self.x1)}" y2="{n(y)}" '
                                               f'stroke="{GRID}" stroke-width="0.6"/>')
            tick = (f'<line x1="{n(self.x0 - length)}" y1="{n(y)}" x2="{n(self.x0)}" y2="{n(y)}" stroke="{FG}" '
                    f'stroke-width="0.6"/>\n') if length else ""
            self.fig.layers["axes"].append(
                f'{tick}<text x="{n(self.x0 - length - PAD_PT)}" y="{n(y + 0.35 * LABEL_PT)}" '
                f'font-size="{n(LABEL_PT)}" fill="{FG}" text-anchor="end">{esc(label)}</text>')
            self.yticks_width = max(self.yticks_width, length + PAD_PT + text_width(label, LABEL_PT))

    def frame(self, xlabel: str = "", ylabel: str = "") -> None:
        """The left and bottom spines and the axis labels."""
        layer = self.fig.layers["axes"]
        layer.append(f'<path d="M{n(self.x0)},{n(self.y0)} L{n(self.x0)},{n(self.y1)} L{n(self.x1)},{n(self.y1)}" '
                     f'fill="none" stroke="{FG}" stroke-width="0.6"/>')
        if xlabel:
            layer.append(f'<text x="{n((self.x0 + self.x1) / 2)}" '
                         f'y="{n(self.y1 + TICK_PT + PAD_PT + LABEL_PT + PAD_PT + 0.8 * LABEL_PT)}" '
                         f'font-size="{n(LABEL_PT)}" fill="{FG}" text-anchor="middle">{esc(xlabel)}</text>')
        if ylabel:
            x = max(LABEL_PT, self.x0 - self.yticks_width - PAD_PT - 0.2 * LABEL_PT)
            y = (self.y0 + self.y1) / 2
            layer.append(f'<text x="{n(x)}" y="{n(y)}" font-size="{n(LABEL_PT)}" fill="{FG}" text-anchor="middle" '
                         f'transform="rotate(-90 {n(x)} {n(y)})">{esc(ylabel)}</text>')


def dash_attr(dash: tuple, width: float) -> str:
    """A dash pattern given in line widths (as matplotlib scales it), as an SVG attribute."""
    if not dash:
        return ""
    return f' stroke-dasharray="{",".join(n(d * width) for d in dash)}"'


def mark(kind: str, x: float, y: float, size: float, fill: str, stroke: str, stroke_width: float,
         css_class: str = "") -> str:
    """A marker centred on (x, y) points, `size` across: o circle, s square, ^ triangle, D diamond."""
    r = size / 2
    style = f'fill="{fill}"' + (f' stroke="{stroke}" stroke-width="{n(stroke_width)}"' if stroke_width else "")
    cls = f' class="{css_class}"' if css_class else ""
    if kind == "o":
        return f'<circle{cls} cx="{n(x)}" cy="{n(y)}" r="{n(r)}" {style}/>'
    if kind == "s":
        s = r * 0.85
        return f'<rect{cls} x="{n(x - s)}" y="{n(y - s)}" width="{n(2 * s)}" height="{n(2 * s)}" {style}/>'
    if kind == "^":
        return f'<path{cls} d="M{n(x)},{n(y - r)} L{n(x + r)},{n(y + r)} L{n(x - r)},{n(y + r)} Z" {style}/>'
    if kind == "D":
        return f'<path{cls} d="M{n(x)},{n(y - r)} L{n(x + r)},{n(y)} L{n(x)},{n(y + r)} L{n(x - r)},{n(y)} Z" {style}/>'
    raise ValueError(f"unknown marker {kind!r}")
