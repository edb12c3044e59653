"""Golden reports of one seed spec (Markdown byte for byte, HTML with its charts), and the Markdown of
the pre-training example (time, cost, a procurement goal).

The charts are capplan's own SVG (capplan.render.report.svg), so their geometry is kept too. Pygments' stylesheet and its quote escaping depend on Pygments' version and are
normalised (`pygments_neutral`); the highlighted source's text and token classes are kept. Refresh with CAPPLAN_UPDATE_GOLDENS=1 after a deliberate change, and review the diff.
"""

from __future__ import annotations

import re

import pytest

from conftest import GOLDEN, ROOT, check_golden

SPEC = "specs/seeds/004-llama2-7b-kv-cache.plan"
GOLDEN_DIR = GOLDEN / "report"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def render(fmt: str, lang: str = "en") -> str:
    from capplan.pipeline import compile_files
    from capplan.render.report.render import render_report

    return render_report(compile_files([SPEC]), fmt, lang=lang)


def pygments_neutral(html: str) -> str:
    """The parts Pygments writes vary with its version (its stylesheets' colours and rules, and
    whether the highlighted source escapes quotes as entities): the stylesheet is replaced by a
    marker and quotes in the highlighted source are unescaped. Everything capplan writes stays."""
    from capplan.render.report.render import pygments_css

    css = pygments_css("screen")
    assert css in html, "the report lost its highlighting stylesheet"
    html = html.replace(css, "/* Pygments' stylesheet (its own output, version-dependent) */\n")

    def quotes(m: re.Match) -> str:
        return m.group(0).replace("&quot;", '"').replace("&#39;", "'").replace("&#x27;", "'")

    return re.sub(r'<div class="highlight">.*?</div>', quotes, html, flags=re.S)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markdown_golden(lang):
    check_golden(GOLDEN_DIR / f"004-llama2-7b-kv-cache.{lang}.md", render("md", lang))


def test_html_golden():
    check_golden(GOLDEN_DIR / "004-llama2-7b-kv-cache.en.html", pygments_neutral(render("html")))


def test_text_golden():
    check_golden(GOLDEN_DIR / "004-llama2-7b-kv-cache.en.txt", render("txt"))


def test_markdown_golden_of_a_training_plan_with_time_cost_and_a_goal():
    from capplan.pipeline import compile_files
    from capplan.render.report.render import render_report

    md = render_report(compile_files(["specs/examples/llama3-70b-pretrain.plan"]), "md")
    check_golden(GOLDEN_DIR / "llama3-70b-pretrain.en.md", md)
