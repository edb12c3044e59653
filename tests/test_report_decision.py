"""The decision page (issue 13): the answer to each question first, a recommendation card, risks.

Numbers asserted here come from the specs themselves (a goal's `within = 120 d`), from the
catalog's cited price lines, or from published papers; the rest are structural properties (a plan
that declares `require not fits` never feeds a headline figure; the PDF without its appendix
stays within a page bound).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LLAMA = "specs/examples/llama3-70b-pretrain.plan"
CHAT = "specs/examples/chat-serving.plan"
SEED_002 = "specs/seeds/002-13b-megatron-pipeline.plan"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def render(spec: str, fmt: str, **kw):
    from capplan.pipeline import compile_files
    from capplan.render.report.render import render_report

    return render_report(compile_files([spec]), fmt, **kw)


def build(spec: str, lang: str = "en"):
    from capplan.pipeline import compile_files
    from capplan.render.report.build import build_report

    return build_report(compile_files([spec]), lang)


# ------------------------------------------------------------------ llama3: the deadline is missed

def test_llama3_verdict_says_the_deadline_is_missed_and_by_how_much():
    r = build(LLAMA)
    # 128 H100s at any MFU the papers report cannot train 15T tokens of a 70B model in 120 days:
    # 6 * 70.6e9 * 15e12 FLOP / (128 * 989.5e12 FLOP/s * 0.55) > 120 days by far
    assert 6 * 70.55e9 * 15e12 / (128 * 989.5e12 * 0.55) / 86400 > 120
    assert not r.ok and not r.decision.ok
    assert "Deadline missed" in r.verdict and "pretrain_in_120_days" in r.verdict
    assert "120 d" in r.verdict                                   # the spec's own `within = 120 d`
    assert re.search(r"\(\S[\d,.]* d late\)", r.verdict)          # by how much
    assert "with the expected interruptions" in r.verdict         # which time: the wall time, not the model's
    assert "every requirement holds" not in r.verdict


@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
def test_llama3_decision_comes_first_in_every_format(fmt):
    out = render(LLAMA, fmt)
    first = out.index("Deadline missed")
    for later in ("Executive summary" if fmt != "md" else "| plan |", "Memory per GPU"):
        if later in out:
            assert first < out.index(later), later
    head = out[:out.index("Executive summary")] if "Executive summary" in out else out[:6000]
    for text in ("Recommendation", "runner-up", "binding constraint", "time against the deadline"):
        assert text in head, text
    if fmt == "html":
        banner = re.search(r'<div class="verdict (\w+)" role="status">', out).group(1)
        assert banner == "bad"                                    # never green when the deadline is missed
    if fmt == "md":
        assert "**❌ Deadline missed" in out


def test_llama3_prices_carry_their_catalog_source_and_date():
    out = render(LLAMA, "txt")
    head = out[:out.index("Executive summary")]
    # compiler/catalog/gpus_nvidia.plan: price = 3.78 USD/h, Lambda, as listed 2026-05
    assert re.search(r"h100_sxm\s+\$3\.78 per GPU-hour\s+Lambda 1x H100 SXM on-demand", head)
    assert "2026-05" in head
    # the owned cost's basis: purchase_price = 33750 USD, DGX H100 ~270,000 USD / 8 (SemiAnalysis, 2023-05)
    assert re.search(r"h100_sxm\s+\$33,750\.00 to buy, per GPU\s+DGX H100 sale price", head)
    assert "2023-05" in head
    assert "first choice at +30%" in head                         # the sensitivity table


# ------------------------------------------------------------------ chat-serving: a plan meant to fail

def test_chat_serving_failing_plan_is_not_in_headline_cards():
    r = build(CHAT)
    assert "chat_70b_bf16_single" not in {plan for _k, _v, plan in r.key_figures}
    assert r.decision.card is not None
    assert "chat_70b_bf16_single" not in " ".join(" ".join(row) for row in r.decision.card.rows)
    answers = {row[0]: row[2] for row in r.decision.answers.rows}
    assert "expected to fail" in answers["chat_70b_bf16_single"]
    html = render(CHAT, "html")
    cover = html[:html.index('<nav class="toc"')]
    figures = cover[cover.index('<dl class="figures">'):cover.index("</dl>")]
    assert "chat_70b_bf16_single" not in figures


def test_chat_serving_card_gives_a_monthly_cost():
    r = build(CHAT)
    labels = [row[0] for row in r.decision.card.rows]
    assert any(label.startswith("cost per month") for label in labels)


# ------------------------------------------------------------------ reality checks (published norms)

def test_mfu_above_published_norms_is_warned():
    from capplan.analyses.reality import mfu_findings

    plan = {"name": "p", "kind": "training", "requirements": [], "hardware": {"gpus": 8}, "time": {"mfu": 0.71}}
    found = mfu_findings([plan])
    assert found and found[0].code == "mfu-above-published"
    # MegaScale (arXiv:2402.15627) reports 55.2% MFU: the highest of the published figures cited
    assert mfu_findings([dict(plan, time={"mfu": 0.50})]) == []
    # Llama 3 (arXiv:2407.21783) reports 38-43% on 8,192-16,384 H100s: 50% at 16,384 GPUs is above it
    assert mfu_findings([dict(plan, hardware={"gpus": 16384}, time={"mfu": 0.50})])


def test_context_over_max_positions_is_warned():
    from types import SimpleNamespace

    from capplan.analyses.reality import context_findings

    # Llama-3.1's config.json: max_position_embeddings 131072
    w = SimpleNamespace(model=SimpleNamespace(max_seq=131072), context=200_000)
    plan = {"name": "p", "kind": "inference", "file": "f", "model": {"display_name": "m"}, "max_context": 0}
    assert [f.code for f in context_findings([plan], {("f", "p"): w})] == ["context-over-max-positions"]
    w.context = 8192
    assert context_findings([plan], {("f", "p"): w}) == []


def test_price_lines_parse_with_source_and_date():
    from capplan.analyses.prices import parse_prices

    text = 'gpu x {\n  memory = 80 GiB\n  price = 2.50 USD/h   # assumption: Somewhere, listed 2026-05-18\n}\n'
    [p] = parse_prices(text, "x.plan")
    assert (p.gpu, p.usd_per_hour, p.date, p.line) == ("x", 2.5, "2026-05-18", 3)
    assert p.source == "Somewhere, listed 2026-05-18"


def test_sensitivity_finds_a_change_of_first_choice():
    from capplan.analyses.reality import sensitivity

    s = sensitivity({"a": 100.0, "b": 120.0, "c": 200.0})
    assert s["a"] == ("a", "b")          # a 30% dearer (130) loses to b (120)
    assert s["c"] == ("a", "a")          # c 30% cheaper (140) still loses to a


# ------------------------------------------------------------------ the appendix and the page bound

def test_appendix_is_optional():
    with_it = render(LLAMA, "md", appendix=True)
    without = render(LLAMA, "md", appendix=False)
    assert "Source specs" in with_it and "Source specs" not in without
    assert "--appendix" in without


@pytest.mark.parametrize("appendix", [True, False])
def test_every_internal_link_has_its_target(appendix):
    # without the appendix, no "(source)" link may point into the sources it leaves out
    html = render(LLAMA, "html", appendix=appendix)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert targets and not targets - ids, sorted(targets - ids)[:5]
    assert any(t.startswith("source-") for t in targets) == appendix


def _pages(pdf: Path) -> int:
    binary = shutil.which("pdfinfo")
    if binary is None:
        pytest.skip("pdfinfo is not installed (Debian package poppler-utils)")
    info = subprocess.run([binary, str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_seed_002_pdf_without_appendix_stays_within_15_pages(tmp_path):
    assert len((ROOT / SEED_002).read_text().splitlines()) >= 140       # the largest shipped spec
    data = render(SEED_002, "pdf")                                       # PDF: no appendix by default
    out = tmp_path / "seed.pdf"
    out.write_bytes(data)
    assert _pages(out) <= 15


def test_serving_fleet_monthly_cost_is_the_catalog_price_times_gpus_and_hours():
    r = build(CHAT)
    rows = {row[0]: row for row in r.decision.fleets.rows}
    assert "chat_70b_bf16_single" not in rows                    # expected to fail: no fleet
    name, gpus, hour, month, reserved, owned = rows["chat_traffic"]
    money = lambda s: float(s.replace("$", "").replace(",", ""))  # noqa: E731
    # compiler/catalog/gpus_nvidia.plan: h100_sxm price = 3.78 USD/h; a month is 8,760 h / 12 = 730 h
    assert money(hour) == pytest.approx(3.78 * int(gpus.replace(",", "")), abs=0.01)
    assert money(month) == pytest.approx(money(hour) * 730, abs=0.01)
    # reserved: within published 1-year commitment discounts on H100, 28% (RunPod) to 47% (AWS p5), tests/test_tco.py
    assert money(month) * (1 - 0.47) <= money(reserved) <= money(month) * (1 - 0.28)
    assert money(owned) < money(reserved)                        # at full use, owning is the cheapest basis


# ------------------------------------------------------------------ Markdown within a comment's size

def test_markdown_of_every_shipped_spec_fits_a_github_comment():
    from capplan.pipeline import compile_files
    from capplan.render.report.render import MARKDOWN_LIMIT, render_report

    specs = sorted(str(p.relative_to(ROOT)) for d in ("specs/examples", "specs/seeds")
                   for p in (ROOT / d).glob("*.plan"))
    text = render_report(compile_files(specs), "md")
    assert MARKDOWN_LIMIT == 65_536                      # GitHub's comment body limit, in characters
    assert len(text) <= MARKDOWN_LIMIT
    assert "Truncated to fit a 65,536-character comment" in text
    assert text.count("```") % 2 == 0


def test_markdown_under_the_limit_is_not_cut_and_a_tight_limit_cuts_at_a_section():
    from capplan.pipeline import compile_files
    from capplan.render.report.build import build_report
    from capplan.render.report.render import markdown_within_limit

    whole = render(LLAMA, "md")
    assert "Truncated" not in whole and "Source specs" in whole          # appendix kept when it fits
    report = build_report(compile_files([LLAMA]), "en", None)
    cut = markdown_within_limit(report, limit=6000)
    assert len(cut) <= 6000 and "Truncated to fit a 6,000-character comment" in cut
    assert cut.count("```") % 2 == 0 and "Source specs" not in cut     # the appendix went first


def test_every_markdown_memory_table_states_its_unit():
    # seed 002 mixes plans in GB (its own cards, as the seed counts) and in GiB (catalog GPUs)
    lines = render(SEED_002, "md").splitlines()
    tables = [i for i, line in enumerate(lines) if line.startswith("| stage |")]
    assert len(tables) >= 2
    units = {re.search(r"memory per GPU in (GiB|GB)\b", lines[i - 2]).group(1) for i in tables}
    assert units == {"GiB", "GB"}


def test_markdown_names_files_relative_to_the_repository(tmp_path, project):
    """Issue 13 item 7: a PR comment never shows a local absolute path, even for a spec given by its
    absolute path from elsewhere; a plan that does not fit (expected) is not headed ✅."""
    spec = project("specs/a.plan", "inference single {\n  model = llama3_1_70b\n  gpu = h100_sxm\n  gpus = 1\n"
                                   "  weights = bf16\n  context = 8192 tokens\n  require not fits\n}\n")
    out = tmp_path / "elsewhere"
    out.mkdir()
    proc = subprocess.run([sys.executable, "-m", "capplan", "report", str(spec), "-o", "r.md"], cwd=out,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    text = (out / "r.md").read_text()
    assert str(project.root) not in text and "`specs/a.plan`" in text
    assert "### ⚠️ inference `single`" in text
