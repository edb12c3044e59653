"""capplan's memory figures against a real GPU: 68 training and inference runs measured on one
NVIDIA H200 (validation/data/gpu/h200-2026-12-04.json, written by validation/gpu/measure_gpu.py;
torch.cuda.max_memory_allocated per step). Independent numbers: torch's own parameter counts, KV-cache
bytes and peak allocated memory. compare_gpu.py builds the capplan plan of each run.

Bounds are today's, measured, not wished: the known misses (GPT-2 in fp32 + bf16 autocast without
checkpointing, 14-17% low; reserved memory, up to 28% low against a flat 5% allocator reserve) are
for the memory-engine issue; this test keeps everything else where it is.
"""

from __future__ import annotations

import json
import statistics
import sys

import pytest

from conftest import ROOT

RESULTS = ROOT / "validation" / "data" / "gpu" / "h200-2026-12-04.json"
sys.path.insert(0, str(ROOT / "validation" / "gpu"))

import compare_gpu  # noqa: E402


@pytest.fixture(scope="module")
def results() -> dict:
    return json.loads(RESULTS.read_text())


@pytest.fixture(scope="module")
def rows(results) -> list[dict]:
    return compare_gpu.compare(results)


def _known_miss(case: str) -> bool:
    return case.startswith("train gpt2") and "fp32_weights_autocast_bf16" in case and "ckpt=False" in case


def test_the_file_is_a_real_gpu_run(results):
    assert results["smoke"] is False and results.get("complete") is True
    assert results["sections"]["env"]["device"]["name"] == "NVIDIA H200"


def test_parameters_and_kv_cache_are_exact(rows):
    assert len(rows) == 68
    assert all(r["params_predicted"] == r["params_measured"] for r in rows)
    inference = [r for r in rows if r["kind"] == "inference"]
    assert len(inference) == 12
    assert all(r["kv_cache_predicted"] == r["kv_cache_measured"] for r in inference)


def test_peak_allocated_memory_matches_the_gpu(rows):
    errors = [abs(r["error_allocated"]) for r in rows]
    assert statistics.median(errors) <= 0.015
    assert max(errors) <= 0.17
    others = [r for r in rows if not _known_miss(r["case"])]
    assert len(others) == 62
    worst = max(others, key=lambda r: abs(r["error_allocated"]))
    assert abs(worst["error_allocated"]) <= 0.055, worst["case"]
    # capplan never over-states a peak here by more than 1%: the misses are all on the low side.
    assert all(r["error_allocated"] <= 0.01 for r in rows)


def test_the_cuda_context_is_what_the_engine_assumes_or_more(results):
    # capplan charges 512 MiB of CUDA context (engine/constants.py); measured: 524 MiB after
    # init, 592 MiB once cuBLAS is loaded, 600 MiB after the first SDPA call.
    ctx = results["sections"]["env"]["context"]
    first = ctx["after_init_and_tiny_allocation"]["context_bytes_nvml_device"] / 2**20
    loaded = ctx["after_first_sdpa"]["context_bytes_nvml_device"] / 2**20
    assert 500 <= first <= 540 and 580 <= loaded <= 620
