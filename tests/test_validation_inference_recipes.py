"""Inference recipes against PyTorch's MemTracker: forward passes with full logits, DynamicCache and
StaticCache decoding, prefill only.

Independent source: validation/data/inference_recipes.json, written by
validation/measure_inference_recipes.py: transformers 5.23 LlamaForCausalLM (hidden 2048, 16 layers,
GQA 16/4 heads, vocab 32000) in bf16 under FakeTensorMode, tracked by
torch.distributed._tools.mem_tracker.MemTracker; sdpa and eager attention. MemTracker counts tensor
bytes (no CUDA context, no allocator rounding), so the engine runs with cuda_context = 0 and a
100% budget.
Requirement (issue 15 item 3): every case within 3% of the measured peak. The weights are most of
that peak, so the part above the weights (activations, logits, cache) is held to 3% as well.
"""

from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT, compile_text

sys.path.insert(0, str(ROOT / "validation"))
from spec_builder import model_block  # noqa: E402

DATA = json.loads((ROOT / "validation" / "data" / "inference_recipes.json").read_text())
RUNS = [r for r in DATA["runs"] if r["arch"] == "llama" and r["tensor_mode"] == "fake"]


def spec_for(run: dict) -> str:
    if run["recipe"].startswith("forward"):
        use_cache = "false" if run["use_cache"] is False else "true"
        recipe = (f"mode = forward\n  loss = {'true' if run['recipe'] == 'forward_loss' else 'false'}\n"
                  f"  use_cache = {use_cache}")
    else:
        recipe = (f"cache = {'static' if run['recipe'] == 'static' else 'dynamic'}\n"
                  f"  output = {run['new_tokens']} tokens")
    return model_block(run["config"]) + f"""
inference i {{
  model  = m
  gpu    = big
  gpus   = 1
  weights = bf16
  prompt = {run['prompt_tokens']} tokens
  batch  = {run['batch']}
  {recipe}
  memory_utilization = 100 %
  framework {{ attention = {run['attn_implementation']}; cuda_context = 0 B }}
}}
"""


def plan_for(project, run: dict) -> dict:
    comp = compile_text(project, spec_for(run), "run.plan")
    assert comp.plans, [d.message for d in comp.diagnostics.items]
    return comp.plans[0]


def test_the_corpus_covers_every_recipe():
    assert {r["recipe"] for r in RUNS} == {"forward", "forward_loss", "dynamic", "static", "prefill"}
    assert {r["attn_implementation"] for r in RUNS} == {"sdpa", "eager"}
    assert {r["use_cache"] for r in RUNS if r["recipe"] == "forward"} == {None, False}
    assert len(RUNS) >= 40 and not DATA["failures"]
    # a case whose peak is in the decode, where the dynamic cache's transient shows
    assert any(r["peak_reached_at"]["phase"].startswith("decode") for r in RUNS if r["recipe"] == "dynamic")
    # fake tensors count what real ones hold
    assert all(c["identical"] for c in DATA["fake_vs_real_crosscheck"])


@pytest.mark.parametrize("run", RUNS, ids=[r["run_id"] for r in RUNS])
def test_peak_within_3_percent(project, run):
    p = plan_for(project, run)
    measured = run["peak_bytes"]
    assert abs(p["peak_bytes"] - measured) / measured <= 0.03
    # above the weights (the measured Parameter bytes are the engine's weights exactly)
    assert p["memory"]["weights"] == run["peak_by_category"]["Parameter"]
    above = measured - run["peak_by_category"]["Parameter"]
    assert abs(p["peak_bytes"] - p["memory"]["weights"] - above) / above <= 0.03


@pytest.mark.parametrize("run", RUNS, ids=[r["run_id"] for r in RUNS])
def test_cache_and_phase(project, run):
    """The cache at the peak and after the run, and where the peak is."""
    p = plan_for(project, run)
    rec = p["recipe"]
    if run["recipe"].startswith("forward"):
        assert rec["cache"] == ("dynamic" if run["use_cache_effective"] else None)
        assert p["memory"]["kv_cache"] == run["kv_cache_bytes_measured"]
        return
    # StaticCache allocates the whole context; DynamicCache ends holding prompt + new tokens
    assert rec["kv_cache_final"] == run["kv_cache_bytes_measured"]
    phase = run["peak_reached_at"]["phase"]
    assert rec["peak_phase"] == ("decode" if phase.startswith("decode") else "prefill")


DECODES = [r for r in RUNS if r["recipe"] in ("dynamic", "static")]


@pytest.mark.parametrize("run", DECODES, ids=[r["run_id"] for r in DECODES])
def test_each_phase_peak(project, run):
    """The prefill's and the decode's peaks apart, each above the weights within 3% (most decode peaks are
    below the prefill's, so the reported peak does not test them)."""
    p = plan_for(project, run)
    weights = run["peak_by_category"]["Parameter"]
    for phase, measured in (("prefill", run["prefill_peak_bytes"]), ("decode", run["decode_peak_bytes"])):
        engine = p["recipe"]["phase_peaks"][phase]
        assert abs(engine - measured) / (measured - weights) <= 0.03, (phase, engine, measured)


RECIPES = """
inference score {
  model = llama2_7b
  gpu = a100_80gb
  gpus = 1
  mode = forward
  prompt = 4096 tokens
  require tpot < 50 ms
}
inference prefill {
  model = llama2_7b
  gpu = a100_80gb
  gpus = 1
  prompt = 4096 tokens
  output = 0 tokens
  require ttft < 10 s
}
"""


def test_a_forward_pass_and_a_prefill_have_no_time_per_output_token(project):
    """Not applicable, not a number: a tpot requirement on a forward pass is E0604; a prefill keeps ttft."""
    comp = compile_text(project, RECIPES, "run.plan")
    assert [d.code for d in comp.diagnostics.items] == ["E0604"]
    by_name = {p["name"]: p for p in comp.plans}
    score, prefill = by_name["score"]["serving"], by_name["prefill"]["serving"]
    assert score["not_applicable"] and "tpot_s" not in score and score["forward_s"] > 0
    assert prefill["not_applicable"] and "tpot_s" not in prefill and prefill["ttft_s"] > 0
    # the peak of a prefill is in the prefill
    assert by_name["prefill"]["recipe"]["peak_phase"] == "prefill"
