"""The README stays true: its commands exist and its example outputs are what capplan prints."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text()
FENCED = re.findall(r"^```[a-z]*\n(.*?)^```$", README, re.S | re.M)
BLOCKS = re.findall(r"<!-- README-OUTPUT: (\w+) (\S+) :: (.+?) -->\n```\n(.*?)```", README, re.S)


FIRST_COMMAND = ("bash scripts/setup.sh && .venv/bin/capplan report specs/examples/llama3-70b-pretrain.plan "
                 "-o llama3-70b-pretrain.html")


def test_readme_has_the_two_commands():
    assert FIRST_COMMAND in README
    assert ".venv/bin/python -m pytest" in README
    assert (ROOT / "scripts" / "setup.sh").exists()
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".venv/bin/python -m pytest" in ci and "bash scripts/setup.sh" in ci


def test_the_first_command_writes_a_report(tmp_path):
    # The part after setup: a real report from a shipped spec (setup itself runs in CI).
    args = FIRST_COMMAND.split("&& .venv/bin/capplan ", 1)[1].split()
    out = tmp_path / args[-1]
    code, _, err = run_cli(*args[:-1], str(out), cwd=ROOT)
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert html.lower().startswith("<!doctype html>")
    assert "llama3" in html and "H100" in html


@pytest.mark.parametrize("command,spec,section,shown", BLOCKS, ids=[b[2] for b in BLOCKS])
def test_readme_output_blocks_match(command, spec, section, shown):
    code, out, err = run_cli(command, "--color", "never", spec, cwd=ROOT)
    assert code == 0, err
    blocks = out.split("\n\n")
    [actual] = [b for b in blocks if b.startswith(section + " ")]
    assert actual.strip() == shown.strip()


def test_readme_examples_exist():
    assert len(BLOCKS) >= 2
    for path in re.findall(r"`((?:specs|compiler|validation|bench|grammar)/[\w./-]+)`", README):
        assert (ROOT / path).exists(), path


def test_readme_spec_example_checks_clean():
    block = next(b for b in FENCED if b.startswith("import "))
    target = ROOT / "specs" / "examples" / ".readme-example.plan"
    try:
        target.write_text(block)
        code, out, err = run_cli("check", "--color", "never", str(target))
    finally:
        target.unlink()
    assert code == 0, err + out


def test_readme_diagnostic_example_is_what_capplan_prints():
    shown = next(b for b in FENCED if b.startswith("error[E0301]"))
    golden = (ROOT / "tests" / "golden" / "diagnostics" / "E0301-unit-mismatch" / "expected.out").read_text()
    assert golden.startswith(shown)
