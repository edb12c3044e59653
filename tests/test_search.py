"""Strategy search: the vectorised evaluator agrees with the reference engine; searches answer."""

from __future__ import annotations

import numpy as np
import pytest

from capplan.analyses import search as S
from capplan.analyses.planner import reference, run_search
from capplan.pipeline import compile_files

from conftest import ROOT, compile_text, plan

SEED = ROOT / "specs" / "seeds" / "002-13b-megatron-pipeline.plan"


@pytest.fixture(scope="module")
def seed_plan():
    comp = compile_files([str(SEED)], evaluate=False)
    return comp.lowered("llama2_13b_pp4_dp2_zero1")


SPACE = {"gpus": [4, 8], "tensor": [1, 2, 4, 8], "pipeline": [1, 2, 4, 8], "zero": [0, 1, 2, 3],
         "recompute": ["none", "selective", "full"], "micro_batch": [1, 2], "virtual_stages": [1, 2]}


def test_vectorised_evaluator_matches_the_reference_engine(seed_plan):
    space = S.default_space(seed_plan, 8, 1)
    space.update(SPACE)
    cands, _ = S.enumerate_layouts(seed_plan, space, 8, False)
    metrics = S.Evaluator(seed_plan, 8).evaluate(cands)
    rng = np.random.default_rng(0)
    from capplan.analyses.planner import _layout_of

    for i in rng.choice(len(cands), size=60, replace=False):
        ref = reference(seed_plan, _layout_of(cands, int(i)))
        assert metrics["peak"][i] == pytest.approx(ref["peak_bytes"], rel=1e-9)
        assert metrics["step"][i] == pytest.approx(ref["step_s"], rel=1e-9)


def test_the_seed_answer_is_found_and_pipeline_4_alone_is_rejected(seed_plan):
    r = run_search(seed_plan, SPACE, ("minimize", "step_time"), [], keep_accepted=True)
    seed_answer = [a for a in r["_accepted"] if (a["gpus"], a["tensor"], a["pipeline"], a["data"], a["zero"],
                                                 a["recompute"]) == (8, 1, 4, 2, 1, "none")]
    assert seed_answer, "the seed's PP 4 x ZeRO-1 DP 2 layout should fit"
    # pipeline 4 on 4 cards without recompute: the first stage holds 4 micro-batches (1F1B) and does not fit
    alone = reference(seed_plan, {"tensor": 1, "pipeline": 4, "data": 1, "context": 1, "expert": 1, "zero": 0,
                                  "micro_batch": 1, "virtual_stages": 1, "gpus": 4, "nodes": 1,
                                  "recompute": "none", "sequence_parallel": False, "distributed_optimizer": False})
    assert alone["headroom"] < 0 and alone["peak_stage"] == 0
    reasons = [x["reason"] for x in r["rejected"]]
    assert any(x.startswith("4 GPUs, tensor 1 x pipeline 4: stage 0 needs") for x in reasons)


def test_invalid_layouts_are_reported_with_reasons(seed_plan):
    r = run_search(seed_plan, {"tensor": [3, 16], "pipeline": [64], "gpus": [8]}, ("minimize", "step_time"), [])
    reasons = " | ".join(x["reason"] for x in r["rejected"])
    assert "does not divide the 40 heads" in reasons
    assert r["best"] is None and "last constraint" in r["empty_reason"]


def test_an_empty_search_says_which_constraint_removed_the_last_candidates(seed_plan):
    r = run_search(seed_plan, {"gpus": [8]}, ("minimize", "step_time"), [("step_time", "<=", 0.001)])
    assert r["best"] is None
    assert "require step_time <= 0.001 s" in r["empty_reason"]


def test_more_gpus_never_raise_the_best_step_time(seed_plan):
    best = []
    for gpus in ([8], [8, 16], [8, 16, 32]):
        r = run_search(seed_plan, {**SPACE, "gpus": gpus}, ("minimize", "step_time"), [])
        best.append(r["best"]["step_s"])
    assert best[0] >= best[1] >= best[2]


def test_cross_node_tensor_parallelism_is_refused_unless_allowed(seed_plan):
    r = run_search(seed_plan, {"gpus": [40], "tensor": [10], "pipeline": [1]}, ("minimize", "step_time"), [])
    assert any("crosses the node boundary" in x["reason"] for x in r["rejected"])


SEARCH_SPEC = """
training t {{
  model        = llama2_7b
  gpu          = h100_sxm
  gpus         = 8
  precision    = megatron_bf16
  seq_len      = 4096 tokens
  global_batch = 64
  framework {{ implementation = megatron }}
  require not fits or fits
}}

search s for t {{
  vary tensor    in [1, 2, 4]
  vary pipeline  in [1, 2]
  vary recompute in [none, full]
  minimize {objective}
  require headroom >= 10 %
}}
"""


def test_search_in_the_spec_language_and_json(project):
    comp = compile_text(project, SEARCH_SPEC.format(objective="step_time"))
    assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
    [s] = comp.searches
    assert s["accepted"] > 0 and s["best"]["headroom"] >= 0.10
    assert all(r["headroom"] >= 0.10 for r in s["top"])


def test_doubling_the_price_doubles_the_cost(project):
    text = SEARCH_SPEC.format(objective="cost") + "\n"
    cheap = compile_text(project, text.replace("h100_sxm", "g1") + "gpu g1 from h100_sxm { price = 2 USD/h }\n")
    dear = compile_text(project, text.replace("h100_sxm", "g1") + "gpu g1 from h100_sxm { price = 4 USD/h }\n")
    a, b = cheap.searches[0]["best"], dear.searches[0]["best"]
    assert b["cost_per_step_usd"] == pytest.approx(2 * a["cost_per_step_usd"])
    ta = plan(cheap, "t")["time"]
    assert ta["step_s"] > 0


def test_decode_bound_serving_scales_with_memory_bandwidth(project):
    spec = """
gpu slow from h100_sxm {{ memory_bandwidth = {bw} TB/s }}
inference i {{
  model   = llama3_1_8b
  gpu     = slow
  gpus    = 1
  weights = bf16
  prompt  = 512 tokens
  output  = 256 tokens
  batch   = 4{host}
}}
"""
    # the GPU's part of a decode step: without the host's time per iteration and per sequence, twice the
    # bandwidth gives (nearly) twice the tokens
    gpu_only = "\n  framework { iteration_overhead = 0 us; sequence_overhead = 0 us }"
    t1 = plan(compile_text(project, spec.format(bw=2, host=gpu_only)), "i")["serving"]
    t2 = plan(compile_text(project, spec.format(bw=4, host=gpu_only)), "i")["serving"]
    assert t1["bound"] == "memory"
    assert t2["tokens_per_s"] / t1["tokens_per_s"] == pytest.approx(2, rel=0.02)
    # with it, the memory parts halve and the host's part does not: less than twice (Amdahl)
    h1 = plan(compile_text(project, spec.format(bw=2, host="")), "i")["serving"]
    h2 = plan(compile_text(project, spec.format(bw=4, host="")), "i")["serving"]
    assert h2["parts"]["tpot_linear_memory_s"] == pytest.approx(h1["parts"]["tpot_linear_memory_s"] / 2)
    assert h2["parts"]["tpot_overhead_s"] == h1["parts"]["tpot_overhead_s"] > 0
    assert 1.5 < h2["tokens_per_s"] / h1["tokens_per_s"] < 1.95


GOALS = """
training pretrain {{
  model        = llama2_7b
  gpu          = a100_80gb
  gpus         = 8
  precision    = megatron_bf16
  seq_len      = 4096 tokens
  global_batch = 512
  tokens       = 100 Gtoken
  framework {{ implementation = megatron }}
  require not fits or fits
}}

inference chat {{
  model    = llama3_1_8b
  gpu      = h100_sxm
  gpus     = 1
  weights  = bf16
  prompt   = 1024 tokens
  output   = 256 tokens
  requests = 10 req/s
  targets {{ ttft = 1 s; tpot = 40 ms }}
  require fits
}}

goal train_fast for pretrain {{
  gpus   = [a100_80gb, h100_sxm]
  within = {days} d
  minimize cost
}}

goal serve for chat {{
  gpus = [a100_80gb, h100_sxm, l40s]
  minimize cost
}}
"""


def test_training_goal_meets_the_deadline_and_ranks_by_cost(project):
    comp = compile_text(project, GOALS.format(days=30))
    assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
    goal = {g["name"]: g for g in comp.goals}["train_fast"]
    options = [o for o in goal["options"] if "unavailable" not in o]
    assert options and all(o["days"] <= 30 for o in options)
    assert [o["rank"] for o in options] == list(range(1, len(options) + 1))
    costs = [o["cost_usd"] for o in options]
    assert costs == sorted(costs)
    for o in options:  # whole nodes
        assert o["gpus"] == 8 * o["nodes"]


def test_a_tighter_deadline_never_needs_fewer_gpus(project):
    loose = {o["gpu"]: o for o in compile_text(project, GOALS.format(days=60)).goals[1]["options"]}
    tight = {o["gpu"]: o for o in compile_text(project, GOALS.format(days=15)).goals[1]["options"]}
    for gpu, o in tight.items():
        if "unavailable" not in o and "unavailable" not in loose[gpu]:
            assert o["gpus"] >= loose[gpu]["gpus"]


def test_serving_goal_covers_the_request_rate_within_targets(project):
    comp = compile_text(project, GOALS.format(days=30))
    goal = {g["name"]: g for g in comp.goals}["serve"]
    for o in goal["options"]:
        if "unavailable" in o:
            continue
        assert o["replicas"] * o["requests_per_s_per_replica"] >= 10
        assert o["ttft_s"] <= 1 and o["tpot_s"] <= 0.040


def test_goal_errors(project):
    bad = GOALS.format(days=30).replace("gpus = [a100_80gb, h100_sxm, l40s]", "gpus = [a100_80gb, llama2_7b]")
    comp = compile_text(project, bad)
    assert any(d.code == "E0201" and "is not a gpu" in d.message for d in comp.diagnostics.items)


def test_uneven_pipeline_splits_are_candidates_and_agree_with_the_reference(seed_plan):
    from capplan.analyses.planner import _layout_of

    space = S.default_space(seed_plan, 8, 1)
    space.update({"gpus": [8], "pipeline": [3, 6], "tensor": [1], "zero": [1], "recompute": ["full"],
                  "micro_batch": [1], "virtual_stages": [1]})
    cands, rejected = S.enumerate_layouts(seed_plan, space, 8, False)
    assert len(cands) == 0 and any("does not divide 8 GPUs" in r for r in rejected)
    space.update({"gpus": [6]})
    cands, _ = S.enumerate_layouts(seed_plan, space, 8, False)
    assert sorted(set(cands["pipeline"].tolist())) == [3, 6]  # 40 layers over 3 or 6 stages: uneven
    metrics = S.Evaluator(seed_plan, 8).evaluate(cands)
    for i in range(len(cands)):
        ref = reference(seed_plan, _layout_of(cands, i))
        assert metrics["peak"][i] == pytest.approx(ref["peak_bytes"], rel=1e-9)


def test_a_stated_runtime_keeps_the_search_to_layouts_it_can_run(project):
    """`runtime = pytorch` (DDP) has no ZeRO stage: a search varying zero keeps stage 0 and says why the
    others went, as check does for one plan (E0407)."""
    text = SEARCH_SPEC.format(objective="step_time").replace(
        "framework {{ implementation = megatron }}".replace("{{", "{").replace("}}", "}"),
        "framework { runtime = pytorch }").replace("vary recompute in [none, full]", "vary zero in [0, 1, 2, 3]")
    comp = compile_text(project, text)
    assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
    [s] = comp.searches
    assert s["accepted"] > 0 and {r["layout"]["zero"] for r in s["top"]} == {0}
    assert any("runtime pytorch cannot run ZeRO" in r["reason"] for r in s["rejected"])
