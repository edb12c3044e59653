"""Terminal text fits the terminal (issue 13): `capplan eval` and `capplan report --format txt` read COLUMNS
(default 100 when it is not set and standard output is not a terminal) and no line is wider."""

from __future__ import annotations

import pytest

from conftest import ROOT, run_cli
from capplan.render.fit import DEFAULT_WIDTH, fit_lines, terminal_width, visible_width

EXAMPLES = sorted((ROOT / "specs" / "examples").glob("*.plan"))


def _widest(text: str) -> int:
    return max(visible_width(line) for line in text.split("\n"))


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_eval_text_fits_columns(monkeypatch, spec, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run_cli("eval", str(spec))
    assert code in (0, 1), err
    assert out.strip() and _widest(out) <= columns


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_report_text_fits_columns(monkeypatch, spec, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    for lang in ("en", "zh"):
        code, out, err = run_cli("report", "--lang", lang, str(spec))
        assert code == 0, err
        assert out.strip() and _widest(out) <= columns, lang


def test_the_default_is_100_columns_off_a_terminal(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width(None) == DEFAULT_WIDTH == 100
    code, out, _ = run_cli("eval", str(ROOT / "specs" / "examples" / "llama3-70b-pretrain.plan"))
    assert _widest(out) <= 100
    monkeypatch.setenv("COLUMNS", "nonsense")
    assert terminal_width(None) == 100
    monkeypatch.setenv("COLUMNS", "10")
    assert terminal_width(None) == 40   # the narrowest width tables are laid out for


def test_narrow_tables_keep_peak_and_fits_and_say_what_they_left_out(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = run_cli("eval", str(ROOT / "specs" / "examples" / "llama3-70b-pretrain.plan"))
    header = next(line for line in out.splitlines() if line.startswith("stage"))
    assert "peak" in header and "fits" in header
    assert "left out to fit 80 columns" in out


def test_fit_lines_wraps_under_its_indent_and_cuts_long_words():
    text = "  " + "word " * 30 + "x" * 90
    lines = fit_lines(text, 40).split("\n")
    assert all(visible_width(line) <= 40 for line in lines)
    assert all(line.startswith("    ") for line in lines[1:])
    assert fit_lines("\x1b[31m" + "red " * 20 + "\x1b[0m", 30).count("\n") >= 2
