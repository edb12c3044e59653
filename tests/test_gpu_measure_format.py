"""validation/gpu/compare_gpu.py on a CPU smoke fixture of validation/gpu/measure_gpu.py.

tests/data/gpu_smoke_results.json is NOT a measurement: it was written by
`measure_gpu.py --smoke --sections env,training,inference` on a CPU with tiny stand-in configs (the
`fixture_note` key was added by hand to say so). On the CPU there is no caching allocator, so it
holds no memory figures; what it does hold, from torch itself, is each model's parameter count and
each run's KV-cache bytes (summed over the cache tensors). Those are the independent numbers here:
capplan, given the recorded transformers config, must reproduce them exactly -- which checks that
compare_gpu.py translates GPT-2, Llama and Qwen2 configs faithfully. The schema check of a real GPU
results file comes with the first GPU run.
"""

from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT

FIXTURE = ROOT / "tests" / "data" / "gpu_smoke_results.json"
sys.path.insert(0, str(ROOT / "validation" / "gpu"))

import compare_gpu  # noqa: E402


@pytest.fixture(scope="module")
def results() -> dict:
    return json.loads(FIXTURE.read_text())


@pytest.fixture(scope="module")
def rows(results) -> list[dict]:
    return compare_gpu.compare(results)


def test_the_fixture_says_it_is_a_cpu_smoke_run(results):
    assert results["smoke"] is True
    assert results["what"].startswith("CPU SMOKE RUN")
    assert "NOT a measurement" in results["fixture_note"]
    assert results["schema"] == "capplan-gpu-results/1"
    for name in ("env", "training", "inference"):
        section = results["sections"][name]
        assert {"cases", "skipped", "failures", "settings", "wall_s"} <= set(section)
        assert section["failures"] == []


def test_every_memory_case_is_compared(results, rows):
    training = results["sections"]["training"]["cases"]
    generate = [c for c in results["sections"]["inference"]["cases"] if c["case"].startswith("infer ")]
    assert len(training) == 12 and len(generate) == 6
    assert [r["case"] for r in rows] == [c["case"] for c in training + generate]
    assert {c["arch"] for c in training} == {"llama3_2_1b", "gpt2", "qwen2_0_5b"}
    assert {c["cache"] for c in generate} == {"DynamicCache", "StaticCache"}


def test_parameter_counts_match_torch(rows):
    """torch's numel sum (tied weights once) for Llama (tied), GPT-2 (biases, learned positions) and
    Qwen2 (qkv bias) -- capplan's count from the same config must be identical."""
    for r in rows:
        assert r["params_predicted"] == r["params_measured"], r["case"]


def test_kv_cache_matches_torch(rows, results):
    by_case = {c["case"]: c for c in results["sections"]["inference"]["cases"]}
    for r in (r for r in rows if r["kind"] == "inference"):
        measured = by_case[r["case"]]["kv_cache_bytes_measured"]
        assert measured > 0
        assert r["kv_cache_predicted"] == measured, r["case"]


def test_markdown_marks_the_smoke_run_and_has_one_row_per_case(results, rows):
    text = compare_gpu.markdown(results, rows)
    assert "CPU smoke run" in text
    table = [line for line in text.splitlines() if line.startswith("| train ") or line.startswith("| infer ")]
    assert len(table) == len(rows)
    assert f"{len(rows)} cases; 0 with a measured peak." in text


def test_cli_writes_markdown(tmp_path, capsys):
    out = tmp_path / "cmp.md"
    assert compare_gpu.main([str(FIXTURE), "--markdown", str(out)]) == 0
    assert out.read_text() == capsys.readouterr().out


def test_cli_refuses_a_file_that_is_not_a_results_file(tmp_path, capsys):
    other = tmp_path / "x.json"
    other.write_text(json.dumps({"runs": []}))
    assert compare_gpu.main([str(other)]) == 2
    assert "not a measure_gpu.py results file" in capsys.readouterr().err
    assert compare_gpu.main([str(tmp_path / "missing.json")]) == 2
