"""capplan.api, the Python API: whole pipeline and phase by phase, against the frozen eval goldens.

The figures asserted are read from tests/golden/eval/*.json (what `capplan eval --format json`
printed when the goldens were made), never recomputed here: the API must give what the command
gives.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import capplan.api as capplan
from capplan.lang import ast

from conftest import GOLDEN, ROOT

SPEC = ROOT / "specs" / "examples" / "llama3-70b-pretrain.plan"
GOLDEN_DOC = json.loads((GOLDEN / "eval" / "specs__examples__llama3-70b-pretrain.json").read_text(encoding="utf-8"))
EXPECTED = {p["name"]: p for p in GOLDEN_DOC["plans"]}["llama70b_pretrain"]
CHAT = ROOT / "specs" / "examples" / "chat-serving.plan"
CHAT_DOC = json.loads((GOLDEN / "eval" / "specs__examples__chat-serving.json").read_text(encoding="utf-8"))


def _close(a, b) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _numbers_match(expected, actual, path="$") -> list[str]:
    """Differences between two JSON values, numbers to 1e-9 (as tests/test_eval_golden.py)."""
    if isinstance(expected, dict):
        return [d for k in expected.keys() | actual.keys()
                for d in (_numbers_match(expected[k], actual[k], f"{path}.{k}") if k in expected and k in actual
                          else [f"{path}.{k}: only on one side"])]
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(expected)} -> {len(actual)} items"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in _numbers_match(e, a, f"{path}[{i}]")]
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return [] if _close(expected, actual) else [f"{path}: {expected} -> {actual}"]
    return [] if expected == actual else [f"{path}: {expected!r} -> {actual!r}"]


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # display paths as in the goldens (relative to the repository)


def test_importing_the_api_loads_nothing_else():
    code = "import sys, capplan.api; print(sorted(m for m in sys.modules if m.startswith('capplan')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['capplan', 'capplan.api']"


def test_load_gives_the_golden_figures(in_root):
    comp = capplan.load(SPEC)
    result = capplan.plan(comp, "llama70b_pretrain")
    assert _close(result["peak_bytes"], EXPECTED["peak_bytes"])  # 49,168,012,083.2 bytes (45.79 GiB)
    assert result["fits"] is EXPECTED["fits"] is True
    assert _close(result["time"]["step_s"], EXPECTED["time"]["step_s"])
    assert [r["ok"] for r in result["requirements"]] == [r["ok"] for r in EXPECTED["requirements"]]
    assert not _numbers_match(GOLDEN_DOC, capplan.result_document(comp))


def test_load_accepts_several_files_each_its_own_unit(in_root):
    comp = capplan.load([SPEC, CHAT])
    expected = {p["name"]: p for p in GOLDEN_DOC["plans"] + CHAT_DOC["plans"]}
    assert sorted(p["name"] for p in comp.plans) == sorted(expected)
    for result in comp.plans:
        assert _close(result["peak_bytes"], expected[result["name"]]["peak_bytes"])


def test_phase_by_phase_is_the_whole_pipeline(in_root):
    comp = capplan.read(SPEC)
    assert comp.checked is None and not comp.plans
    assert [f.path for f in comp.program.files] == ["specs/examples/llama3-70b-pretrain.plan",
                                                    "specs/shared/clusters.plan"]
    assert capplan.check(comp) is comp and comp.checked is not None and not comp.plans
    assert capplan.evaluate(comp) is comp
    assert not _numbers_match(GOLDEN_DOC, capplan.result_document(comp))
    assert capplan.evaluate(comp) is comp and len(comp.plans) == len(GOLDEN_DOC["plans"])  # evaluated once


def test_evaluate_takes_a_path(in_root):
    comp = capplan.evaluate(str(CHAT.relative_to(ROOT)))
    assert not _numbers_match(CHAT_DOC, capplan.result_document(comp))


def test_loads_compiles_text_with_imports_from_its_directory(in_root):
    text = SPEC.read_text(encoding="utf-8")
    comp = capplan.loads(text, name="llama3-70b-pretrain.plan", directory=SPEC.parent)
    assert _close(capplan.plan(comp, "llama70b_pretrain")["peak_bytes"], EXPECTED["peak_bytes"])
    assert capplan.result_document(comp)["files"] == ["specs/examples/llama3-70b-pretrain.plan"]


def test_loads_never_reads_the_file_it_stands_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "capplan.toml").write_text("")
    (tmp_path / "spec.plan").write_text("this is not a spec {")
    text = SPEC.read_text(encoding="utf-8").replace('import "../shared/clusters.plan"', "")
    text = text.replace("cluster      = h100_pod", "gpu = h100_sxm\n  gpus = 128")
    comp = capplan.loads(text, evaluate=False)
    assert comp.checked is not None and not comp.plans and not comp.diagnostics.errors


def test_errors_raise_with_the_diagnostics(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "capplan.toml").write_text("")
    with pytest.raises(capplan.SpecError) as raised:
        capplan.loads("training t {\n  model = llama_99b\n}\n", name="bad.plan")
    assert "E0201" in raised.value.codes
    assert "error[E0201]" in str(raised.value) and "--> bad.plan:2:" in str(raised.value)
    comp = capplan.loads("training t {\n  model = llama_99b\n}\n", name="bad.plan", raise_on_error=False)
    assert comp.failed and not comp.plans


def test_a_failed_requirement_is_a_result_not_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "capplan.toml").write_text("")
    text = (SPEC.read_text(encoding="utf-8").split("# Procurement")[0]
            .replace('import "../shared/clusters.plan"', "")
            .replace("cluster      = h100_pod", "gpu = h100_sxm\n  gpus = 128")
            .replace("require headroom >= 10 %", "require headroom >= 90 %"))
    comp = capplan.loads(text)
    result = capplan.plan(comp, "llama70b_pretrain")
    assert result["ok"] is False and [r["ok"] for r in result["requirements"]] == [True, False, True]
    assert _close(result["peak_bytes"], EXPECTED["peak_bytes"])
    assert [d.code for d in comp.diagnostics.errors] == ["E0601"]


def test_parse_gives_the_ast_or_raises(tmp_path):
    tree = capplan.parse('const seq = 8192 tokens  # c\nimport "x.plan"\n', "a.plan")
    assert isinstance(tree, ast.File) and tree.path == "a.plan"
    const, imp = tree.items
    assert (const.name, const.value.number, const.value.unit) == ("seq", 8192.0, "tokens")
    assert imp.path == "x.plan" and [c.text for c in tree.comments] == ["# c"]
    with pytest.raises(capplan.SpecError) as raised:
        capplan.parse("model m {\n  layers: 80\n}\n", "b.plan")
    assert raised.value.codes == ["E0102"] and "b.plan:2:" in str(raised.value)


def test_plan_names_the_plans_when_there_is_no_such_plan(in_root):
    comp = capplan.load(CHAT)
    with pytest.raises(KeyError, match="plans: "):
        capplan.plan(comp, "nope")


def test_read_reports_a_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(capplan.SpecError) as raised:
        capplan.read(Path("missing.plan"))
    assert raised.value.codes == ["E0505"]


def test_the_package_root_exposes_the_api_lazily():
    code = ("import sys, capplan; assert 'capplan.api' not in sys.modules; "
            "c = capplan.load('specs/examples/llama3-70b-pretrain.plan'); "
            "print(capplan.plan(c, 'llama70b_pretrain')['fits'], sorted(c.workloads))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True ['llama70b_pretrain']"
