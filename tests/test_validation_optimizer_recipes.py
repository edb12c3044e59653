"""AdamW's three implementations, at the first step and in the steady state, against MemTracker.

Independent source: validation/data/optimizer_recipes.json, written by
validation/measure_optimizer_recipes.py: two training iterations of transformers' LlamaForCausalLM
(forward with the loss, backward, AdamW step, zero_grad(set_to_none=True)) under FakeTensorMode,
tracked by torch.distributed._tools.mem_tracker.MemTracker, with torch.optim.AdamW(foreach=False)
(the single-tensor for-loop), foreach=True and fused=True; fp32 weights + bf16 autocast and bf16
weights; gradient checkpointing on and off. The first iteration's peak is the first step's (the
optimizer creates its states inside step()), the second's the steady state's. MemTracker counts
tensor bytes (no CUDA context, no allocator rounding): the engine's allocated peak is compared.
Requirement (issue 15, item 4): every case within 3% of the measurement.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import ROOT, compile_text
from peak_harness import spec_for

DATA = json.loads((ROOT / "validation" / "data" / "optimizer_recipes.json").read_text())
RUNS = [r for r in DATA["runs"] if r["run_id"].startswith("train ")]  # the cross-check runs repeat two of them
WHEN = {False: "steady_state", True: "first_step"}


def rank_of(project, run: dict, first_step: bool) -> dict:
    comp = compile_text(project, spec_for(run, first_step), "run.plan")
    assert comp.plans, [d.message for d in comp.diagnostics.items]
    return comp.plans[0]["ranks"][0]


@pytest.mark.parametrize("first_step", [False, True], ids=["steady", "first-step"])
@pytest.mark.parametrize("run", RUNS, ids=[r["run_id"] for r in RUNS])
def test_peak_within_3_percent(project, run, first_step):
    measured = run[WHEN[first_step]]["peak_bytes"]
    rank = rank_of(project, run, first_step)
    assert abs(rank["allocated_bytes"] - measured) / measured <= 0.03, (rank["allocated_bytes"], measured)


@pytest.mark.parametrize("first_step", [False, True], ids=["steady", "first-step"])
@pytest.mark.parametrize("run", RUNS, ids=[r["run_id"] for r in RUNS])
def test_the_optimizer_step_within_half_a_percent(project, run, first_step):
    """The step holds weights, gradients, states and the implementation's temporaries, all exact tensor
    sizes: within 0.5% (the for-loop's temporaries alone are 3.7% of it on the 16-layer Llama)."""
    measured = run[WHEN[first_step]]["phase_totals"]["optimizer_step"]
    engine = rank_of(project, run, first_step)["phases"]["optimizer step"]
    assert abs(engine - measured) / measured <= 0.005, (engine, measured)


def test_the_cases_cover_every_implementation_and_a_first_step_below_the_steady_state():
    assert {r["optimizer_impl"] for r in RUNS} == {"for_loop", "foreach", "fused"}
    assert {r["recipe"] for r in RUNS} == {"fp32_weights_autocast_bf16", "bf16_weights"}
    assert {r["gradient_checkpointing"] for r in RUNS} == {True, False}
    assert any(r["config"].get("tie_word_embeddings") for r in RUNS)
    # the first step's forward runs without optimizer states: its peak is lower where the forward's was
    assert any(r["first_step"]["peak_bytes"] < 0.9 * r["steady_state"]["peak_bytes"] for r in RUNS)
    # the for-loop's temporaries set the step's peak where the forward does not
    assert any(r["optimizer_impl"] == "for_loop" and r["steady_state"]["phase"] == "optimizer_step" for r in RUNS)


def test_fake_tensors_measure_what_real_tensors_do():
    cross = DATA["fake_vs_real_crosscheck"]
    assert cross and all(c.get("identical") for c in cross), cross


@pytest.mark.parametrize("impl", ["for_loop", "foreach", "fused"])
@pytest.mark.parametrize("first_step", [False, True])
def test_the_search_evaluates_the_step_as_the_engine_does(impl, first_step):
    """Every layout the search evaluates (arrays) gets the single-plan engine's peak (numbers)."""
    from capplan.analyses import search as S
    from capplan.analyses.planner import _layout_of, reference
    from capplan.pipeline import compile_files

    comp = compile_files([str(ROOT / "specs" / "seeds" / "002-13b-megatron-pipeline.plan")], evaluate=False)
    plan = comp.lowered("llama2_13b_pp4_dp2_zero1")
    fw = dataclasses.replace(plan.framework, optimizer_impl=impl, first_step=first_step, activation_rule=None)
    plan = dataclasses.replace(plan, framework=fw)
    space = S.default_space(plan, 8, 1)
    space.update({"gpus": [8], "tensor": [1, 2], "pipeline": [1, 2, 4], "zero": [0, 1, 3],
                  "recompute": ["full"], "micro_batch": [1], "virtual_stages": [1]})
    cands, _ = S.enumerate_layouts(plan, space, 8, False)
    metrics = S.Evaluator(plan, 8).evaluate(cands)
    assert len(cands) > 10
    for i in range(len(cands)):
        assert metrics["peak"][i] == pytest.approx(reference(plan, _layout_of(cands, i))["peak_bytes"], rel=1e-9)
