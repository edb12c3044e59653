"""Layout that holds (issue 13, item 6): tables and charts measured in a real browser and in the PDF.

In Chromium at 1280, 800 and 390 px, no table is wider than its wrapper unless the wrapper scrolls with the
first column pinned and the decisive columns (peak, fits, headroom) in view; on a phone tables are cards.
Every chart's smallest text is at least 9 px where it is drawn. In the PDF, the cover's words do not
overlap (pdftotext -bbox-layout), no table header is broken inside a word ('headroo/m'), and curves
cut at the chart's top are marked.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from test_report_browser import browser, load, write_report  # noqa: F401  (browser: the Chromium fixture)
from test_report_pdf import need, pdf_of

SEED = "specs/seeds/002-13b-megatron-pipeline.plan"
EXAMPLES = ["specs/examples/llama3-70b-pretrain.plan", "specs/examples/chat-serving.plan"]
DECISIVE = {"peak", "peak per GPU", "peak phase", "fits", "headroom"}
MIN_CHART_TEXT_PX = 9.0

# every table: its size against its wrapper's, its headers, and what of them shows in the wrapper's box
MEASURE = """() => [...document.querySelectorAll('.scroll > table')].map(t => {
  const wrap = t.parentElement, box = wrap.getBoundingClientRect();
  const heads = [...t.querySelectorAll('thead th')];
  const first = t.querySelector('tbody tr > :first-child');
  return {heads: heads.map(h => h.textContent.trim()), cls: t.className,
          width: Math.ceil(t.getBoundingClientRect().width), room: wrap.clientWidth,
          scrolls: getComputedStyle(wrap).overflowX === 'auto',
          pinned: first ? getComputedStyle(first).position === 'sticky' : false,
          shown: heads.filter(h => { const r = h.getBoundingClientRect();
                                     return r.left >= box.left - 1 && r.right <= box.left + wrap.clientWidth + 1; })
                      .map(h => h.textContent.trim())};
})"""
# every chart: its smallest text as drawn, in CSS px (font size x the SVG's drawn width / its viewBox width)
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].map(s => {
  const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
  const sizes = [...s.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return {id: s.closest('figure').id, px: Math.min(...sizes), texts: sizes.length};
})"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("layout")
    seed, examples = out / "seed", out / "examples"
    seed.mkdir()
    examples.mkdir()
    return {"seed": write_report(seed, [SEED]), "examples": write_report(examples, EXAMPLES)}


@pytest.mark.parametrize("width", [1280, 800, 390])
@pytest.mark.parametrize("which", ["seed", "examples"])
def test_tables_fit_or_scroll_with_their_decisive_columns_in_view(browser, reports, which, width):  # noqa: F811
    url = reports[which].as_uri()
    ctx, page, requests, console, errors = load(browser, url, viewport={"width": width, "height": 900})
    try:
        assert errors == [] and console == []
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        tables = page.evaluate(MEASURE)
        assert len(tables) > 10
        if width == 800 and which == "seed":      # a width where the 14-column table must scroll
            assert any(t["width"] > t["room"] and len(t["heads"]) >= 14 for t in tables)
        for t in tables:
            if t["width"] <= t["room"]:
                continue
            # wider than its wrapper: only in a scrolling wrapper, first column pinned, decisive columns shown
            assert width > 640, f"at {width} px every table is a card list, but this one overflows: {t}"
            assert t["scrolls"] and t["pinned"], t
            hidden = DECISIVE & set(t["heads"]) - set(t["shown"])
            assert not hidden, f"{hidden} scrolled out of view at {width} px: {t}"
        # the per-stage memory table (14 columns for a pipeline plan) leads with peak, peak phase and fits
        stages = [t for t in tables if t["heads"][:1] == ["stage"]]
        assert stages and all(t["heads"][1:4] == ["peak", "peak phase", "fits"] for t in stages)
        if which == "seed":
            assert max(len(t["heads"]) for t in stages) >= 14
        if width == 390:      # cards: one row a box, each cell labelled with its column
            display = page.evaluate("getComputedStyle(document.querySelector('table.cards tbody tr')).display")
            assert display == "block"
            labels = page.eval_on_selector_all("table.cards td", "els => els.filter(e => !e.dataset.label).length")
            assert labels == 0
        else:
            display = page.evaluate("getComputedStyle(document.querySelector('table.cards tbody tr')).display")
            assert display == "table-row"
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_chart_text_is_at_least_9_px(browser, reports, width):  # noqa: F811
    for which in ("seed", "examples"):
        ctx, page, *_ = load(browser, reports[which].as_uri(), viewport={"width": width, "height": 900})
        try:
            charts = page.evaluate(CHART_TEXT)
            assert len(charts) >= 5
            small = [c for c in charts if c["texts"] and c["px"] < MIN_CHART_TEXT_PX]
            assert not small, f"chart text under {MIN_CHART_TEXT_PX} px at {width} px: {small}"
            # a chart wider than the phone scrolls inside its own wrapper, never the page
            assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        finally:
            ctx.close()


# ------------------------------------------------------------------------- PDF

def words_of(pdf: Path, first: int = 1, last: int | None = None) -> list[tuple[float, float, float, float, str]]:
    """The words of pages `first`..`last` with their boxes (xMin, yMin, xMax, yMax, text), from poppler."""
    args = [need("pdftotext"), "-bbox-layout", "-f", str(first)] + (["-l", str(last)] if last else [])
    xml = subprocess.run(args + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)]


def overlaps(words) -> list[tuple]:
    slack = 0.5    # poppler's boxes of neighbouring glyphs may touch
    return [(a, b) for i, a in enumerate(words) for b in words[i + 1:]
            if a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack]


def header_words(specs: list[str]) -> set[str]:
    """Every word of every table header the report has (the HTML with its appendix holds them all)."""
    from capplan.pipeline import compile_files
    from capplan.render.report.render import render_report

    page = render_report(compile_files(specs), "html", appendix=True)
    return {w for h in re.findall(r'<th class="[lr]?" scope="col">(.*?)</th>', page) for w in html.unescape(h).split()}


def fragments(tokens: list[str], words: set[str]) -> list[str]:
    """Words split over two lines: consecutive tokens, neither a word of its own, that join into one."""
    return [f"{a}/{b}" for a, b in zip(tokens, tokens[1:])
            if a not in words and len(a.rstrip("-\u00ad")) > 1 and a.rstrip("-\u00ad") + b in words]


def broken_words(pdf: Path, words: set[str]) -> list[str]:
    """Header words broken in the PDF, its text read in content order (a wrapped cell stays one run)."""
    return fragments(subprocess.run([need("pdftotext"), "-raw", str(pdf), "-"], capture_output=True, text=True,
                                    check=True).stdout.split(), words)


@pytest.mark.parametrize("specs,appendix", [([SEED], True), (EXAMPLES, False)], ids=["seed-appendix", "examples"])
def test_pdf_cover_words_do_not_overlap_and_headers_keep_their_words(tmp_path, monkeypatch, specs, appendix):
    monkeypatch.chdir(ROOT)
    from capplan.pipeline import compile_files
    from capplan.render.report.render import render_report

    if len(specs) == 1:
        pdf = pdf_of(specs[0], tmp_path, appendix=appendix)
    else:
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(render_report(compile_files(specs), "pdf", commit="abc1234", appendix=appendix))
    cover = words_of(pdf, 1, 1)
    assert len(cover) > 50
    assert overlaps(cover) == []
    words = header_words(specs)
    assert {"headroom", "weights", "fits"} <= words
    assert broken_words(pdf, words) == []


LONG_NAMES = "".join(f"""inference chat_service_llama2_7b_{w}_on_one_rtx4090_for_the_{team}_team_and_its_partners {{
  model = llama2_7b
  gpu = rtx4090
  gpus = 1
  weights = {w}
  context = {ctx} tokens
}}
""" for w, team, ctx in [("fp16", "support", 2048), ("int8", "sales", 4096), ("int4", "documents", 16384)])


def test_pdf_cover_wraps_long_plan_names(tmp_path, project):
    """Plan names longer than their column wrap inside it (before: they ran into the next column)."""
    from capplan.render.report.render import render_report
    from conftest import compile_text

    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_report(compile_text(project, LONG_NAMES), "pdf"))
    cover = words_of(pdf, 1, 1)
    assert any(w[4].startswith("chat_service_llama2_7b_") for w in cover)
    assert overlaps(cover) == []


def test_the_broken_word_check_sees_a_break():
    """The check above finds the breaks the issue saw ('headroo/m', 'weight/s'), and not a wrapped header."""
    words = {"headroom", "peak", "per", "GPU", "weights", "master"}
    assert fragments("peak per GPU headroo m master weight s".split(), words) == ["headroo/m", "weight/s"]
    assert fragments("peak per GPU headroom master weights".split(), words) == []


# ------------------------------------------------------------------------- without a browser or a PDF

def test_pdf_columns_hold_their_widest_header_word():
    """Each column of a PDF table is at least as wide as its widest header word, set in bold."""
    from capplan.pipeline import compile_files
    from capplan.render.report.build import build_report
    from capplan.render.report.render import (PDF_FONT_PT, PDF_PAD_PT, PDF_TABLE_PT, PDF_WIDE_FONT_PT,
                                              PDF_WIDE_PAD_PT, _longest_unbroken, column_widths, printable)

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        report = build_report(compile_files([SEED]))
    finally:
        os.chdir(old)
    tables = [report.summary] + [p.memory_chart.table for p in report.plans]
    assert max(len(t.headers) for t in tables) >= 14
    # the PDF prints a table too wide for the page without the columns its drop_order names first
    printed = [printable(t).leading() for t in tables]
    assert any("Left out to fit the page" in t.caption for t in printed)
    for t in printed:
        wide = len(t.headers) > 8
        font, pad = (PDF_WIDE_FONT_PT, PDF_WIDE_PAD_PT) if wide else (PDF_FONT_PT, PDF_PAD_PT)
        for h, w in zip(t.headers, column_widths(t)):
            assert float(w) / 100 * PDF_TABLE_PT >= _longest_unbroken(h, bold=True) * font + pad - 0.05, (h, w)


def test_curves_cut_at_the_top_are_marked():
    from capplan.pipeline import compile_files
    from capplan.render.report import charts
    from capplan.render.report.build import build_report

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        report = build_report(compile_files([SEED]))
    finally:
        os.chdir(old)
    curves = {c.id: c for p in report.plans for c in p.curves}
    cut = curves["plan-seed_one_card-seq-len"]      # 236 to 502 GB of an 80 GB card: the curve leaves the plot
    top = charts.curve_top(cut.spec)
    assert max(cut.spec["ys"]) > top
    assert [i["kind"] for i in charts.legend(cut)].count("arrow") == 1
    assert "cut off" in cut.spec["cut_label"]
    whole = dataclasses.replace(cut, spec=dict(cut.spec, ys=[cut.spec["capacity"] * 0.5] * len(cut.spec["xs"])))
    assert "arrow" not in [i["kind"] for i in charts.legend(whole)]

    def on_top_edge(chart) -> int:
        """Vermillion arrows (class `cut`) centred on the plot's top edge (the y of its clip rectangle)."""
        svg = charts.draw(chart)
        edge = float(re.search(r'<clipPath[^>]*><rect x="[\d.]+" y="([\d.]+)"', svg).group(1))
        tips = [float(y) for y in re.findall(rf'<path class="cut" d="M[\d.]+,([\d.]+) [^"]*" fill="{charts.OKABE_ITO["vermillion"]}"',
                                             svg, re.I)]
        return sum(abs(tip + 3.5 - edge) < 0.02 for tip in tips)

    assert on_top_edge(cut) == sum(y > top for y in cut.spec["ys"]) > 0     # an arrow for each point cut
    assert on_top_edge(whole) == 0
