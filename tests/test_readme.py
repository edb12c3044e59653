"""The README stays true: its commands exist and its example outputs are what capplan prints."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"<!-- README-OUTPUT: (\w+) (\S+) :: (.+?) -->\n```\n(.*?)```", README, re.S)


def test_readme_has_the_two_commands():
    assert "bash scripts/setup.sh && .venv/bin/capplan eval specs/seeds/002-13b-megatron-pipeline.plan" in README
    assert ".venv/bin/python -m pytest" in README
    assert (ROOT / "scripts" / "setup.sh").exists()
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".venv/bin/python -m pytest" in ci and "bash scripts/setup.sh" in ci


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
