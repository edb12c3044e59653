"""Every shipped spec and the catalog check clean; results do not depend on order."""

from __future__ import annotations

import json
import random
import re

import pytest

from capplan.pipeline import compile_files, result_document

from conftest import ROOT, run_cli

SPECS = sorted((ROOT / "specs").rglob("*.plan"))
CATALOG = sorted((ROOT / "compiler" / "catalog").glob("*.plan"))


@pytest.mark.parametrize("spec", SPECS, ids=[str(s.relative_to(ROOT)) for s in SPECS])
def test_spec_checks_clean(spec):
    code, out, err = run_cli("check", "--color", "never", str(spec))
    assert code == 0, err + out
    assert "error" not in err and "warning" not in err


@pytest.mark.parametrize("spec", CATALOG, ids=[s.name for s in CATALOG])
def test_catalog_file_checks_clean(spec):
    code, out, err = run_cli("check", "--color", "never", str(spec))
    assert code == 0, err + out
    assert err == ""


def test_the_whole_catalog_compiles_without_diagnostics():
    comp = compile_files([])
    assert comp.diagnostics.items == []


def _items(text: str) -> list[str]:
    """Top-level items of a spec as text chunks (comments travel with the next item)."""
    chunks, current, depth = [], [], 0
    for line in text.splitlines(keepends=True):
        current.append(line)
        depth += line.count("{") - line.count("}")
        if depth == 0 and line.strip() and not line.lstrip().startswith("#"):
            chunks.append("".join(current))
            current = []
    if current:
        chunks.append("".join(current))
    return chunks


@pytest.mark.parametrize("spec", [s for s in SPECS if "seeds" in s.parts or "examples" in s.parts],
                         ids=lambda s: s.name)
def test_shuffling_declarations_does_not_change_the_result(spec, tmp_path):
    original = spec.read_text()
    baseline = result_document(compile_files([str(spec)]))
    chunks = _items(original)
    for seed in (1, 2, 3):
        random.Random(seed).shuffle(chunks)
        shuffled = spec.parent / f".shuffled-{seed}-{spec.name}"
        try:
            shuffled.write_text("".join(c if c.endswith("\n") else c + "\n" for c in chunks))
            doc = result_document(compile_files([str(shuffled)]))
        finally:
            shuffled.unlink()
        normalise = lambda d: re.sub(r'"(file|line)": [^,\n]+', "", json.dumps(  # noqa: E731
            {**d, "files": []}, sort_keys=True, indent=1)).replace(f".shuffled-{seed}-", "")
        assert normalise(doc) == normalise(baseline)


def test_eval_json_is_byte_identical_across_runs():
    spec = str(ROOT / "specs" / "examples" / "llama3-70b-pretrain.plan")
    first = run_cli("eval", "--format", "json", spec)[1]
    second = run_cli("eval", "--format", "json", spec)[1]
    assert first == second and first.startswith("{")


def test_shipped_specs_and_catalog_are_canonically_formatted():
    files = [str(p) for p in SPECS + CATALOG + sorted((ROOT / "bench").glob("*.plan"))]
    code, out, err = run_cli("fmt", "--check", *files)
    assert code == 0, out[-3000:]


def test_pre_commit_hooks_and_workflow_use_real_commands():
    from capplan.cli import _parser

    commands = set(_parser()._subparsers._group_actions[0].choices)
    for path in (ROOT / ".pre-commit-hooks.yaml", ROOT / "examples" / "github-workflow.yml"):
        code = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("#"))
        words = re.findall(r"capplan ([a-z][a-z-]+)", code)
        assert words
        for word in words:
            assert word in commands, (path.name, word)
