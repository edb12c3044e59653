"""Peak training memory against PyTorch's MemTracker (same recipe, same model classes).

Independent source: validation/data/peak_memory.json, written by
validation/measure_peak_memory.py: two full training iterations (forward with
the loss, backward, AdamW step, zero_grad(set_to_none=True)) of real
transformers LlamaForCausalLM / MixtralForCausalLM models under
FakeTensorMode, tracked by torch.distributed._tools.mem_tracker.MemTracker.
Recipes: fp32 weights + bf16 autocast, and bf16 weights (Adam states in the
parameters' dtype); foreach and fused AdamW; SDPA and eager attention;
gradient checkpointing on and off. MemTracker counts tensor bytes (no CUDA
context, no allocator rounding), so the engine's allocated peak is compared,
with cuda_context = 0 and allocator_overhead = 0.
Requirement (issue 3): median error <= 3%, worst <= 8%.
"""

from __future__ import annotations

import statistics

import pytest

from peak_harness import spec_for, training_runs

RUNS = training_runs()


def first_plan(project, text: str) -> dict:
    from conftest import compile_text

    comp = compile_text(project, text, "run.plan")
    assert comp.plans, [d.message for d in comp.diagnostics.items]
    return comp.plans[0]


def engine_peak(project, run: dict) -> dict:
    return first_plan(project, spec_for(run))["ranks"][0]


@pytest.fixture(scope="module")
def errors(tmp_path_factory):
    out = {}
    for i, run in enumerate(RUNS):
        root = tmp_path_factory.mktemp(f"run{i}")
        (root / "capplan.toml").write_text("")

        def write(name, text, root=root):
            (root / name).write_text(text)

        write.root = root
        rank = engine_peak(write, run)
        out[run["run_id"]] = (rank["allocated_bytes"] - run["peak_bytes"]) / run["peak_bytes"]
    return out


def test_the_corpus_is_broad():
    assert len(RUNS) >= 40
    assert {r["arch"] for r in RUNS} >= {"llama", "mixtral"}
    assert {r["gradient_checkpointing"] for r in RUNS} == {True, False}
    assert {r["attn_implementation"] for r in RUNS} == {"sdpa", "eager"}
    assert {("fused" in r["optimizer"]) for r in RUNS} == {True, False}


def test_median_error_at_most_3_percent(errors):
    assert statistics.median(abs(e) for e in errors.values()) <= 0.03


def test_worst_error_at_most_8_percent(errors):
    worst = max(errors, key=lambda k: abs(errors[k]))
    assert abs(errors[worst]) <= 0.08, (worst, errors[worst])


INFERENCE = [r for r in __import__("peak_harness").inference_runs()]


@pytest.mark.parametrize("run", INFERENCE, ids=[r["run_id"] for r in INFERENCE])
def test_inference_peak_and_kv_cache(project, run):
    """Prefill + decode with transformers' DynamicCache (bf16), measured by MemTracker: the KV cache
    after generation exactly, the peak (in the prefill: weights, the prompt's cache and the last layer's
    activations) within 3% (was 8% before the prefill counted the embeddings and the layer input that
    transformers keeps alive; Mixtral's grouped experts are the remaining -2.2%)."""
    from peak_harness import inference_spec_for

    p = first_plan(project, inference_spec_for(run))
    assert p["recipe"]["kv_cache_final"] == run["kv_cache_bytes_measured"]
    assert p["recipe"]["peak_phase"] == run["peak_reached_at"]["phase"] == "prefill"
    assert abs(p["peak_bytes"] - run["peak_bytes"]) / run["peak_bytes"] <= 0.03
