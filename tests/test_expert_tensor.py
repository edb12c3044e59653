"""Expert tensor parallelism as its own degree (`parallel.expert_tensor`, Megatron-Core's
--expert-tensor-parallel-size).

Independent sources:
- Mixtral 8x7B's config.json (hidden 4096, intermediate 14336, 8 experts, 32 layers; the catalog's
  mixtral_8x7b): one expert is 3 x 4096 x 14336 = 176,160,768 parameters.
- Megatron-Core parallel_state.py: the routed experts are split over expert tensor (ETP) x expert (EP) ranks, the
  expert data-parallel group is TP x CP x DP / (ETP x EP) ranks (the distributed optimizer shards the experts'
  states over it), and the expert rank order is tp-ep-dp-pp with tp = ETP, so EP ranks sit ETP apart.
- Megatron-Core's MoE layer with ETP = 1 runs no tensor-parallel collective around the experts (the token
  dispatcher's gather_from_sequence_parallel_region / reduce_scatter_to_sequence_parallel_region over the
  expert-tensor group, which has one rank).
"""

from __future__ import annotations

import pytest

from conftest import compile_text, plan

EXPERT = 3 * 4096 * 14336
LAYERS, EXPERTS = 32, 8

SPEC = """
cluster c {{
  gpu = h100_sxm
  gpus_per_node = 8
  nodes = 2
  inter_node = 400 Gbit/s
}}
training t {{
  model = mixtral_8x7b
  cluster = c
  precision = megatron_bf16
  seq_len = 4096 tokens
  micro_batch = 1
  global_batch = 64
  parallel {{ tensor = 2; expert = 8; sequence_parallel = true; distributed_optimizer = true{extra} }}
  framework {{ implementation = megatron }}
  require not fits or fits
}}
"""


def _plan(project, extra: str = "") -> dict:
    comp = compile_text(project, SPEC.format(extra=extra))
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    return plan(comp, "t")


def test_whole_experts_on_each_rank_at_expert_tensor_one(project):
    etp2, etp1 = _plan(project), _plan(project, "; expert_tensor = 1")
    assert etp2["layout"]["expert_tensor"] == 2 and etp1["layout"]["expert_tensor"] == 1
    # the dense part is the same; the experts double: 8 experts over 8 ranks, whole instead of halved
    per_rank = LAYERS * EXPERTS * EXPERT / EXPERTS
    assert etp1["ranks"][0]["params"] - etp2["ranks"][0]["params"] == pytest.approx(per_rank / 2, rel=1e-9)


def test_the_expert_optimizer_states_shard_over_the_expert_data_parallel_group(project):
    # 16 GPUs: expert data-parallel group 2 x 8 / (2 x 8) = 1 at ETP 2, 2 x 8 / (1 x 8) = 2 at ETP 1: twice the
    # expert weights on a rank, sharded over twice the ranks -- the same optimizer-state bytes
    etp2, etp1 = _plan(project), _plan(project, "; expert_tensor = 1")
    states = [p["ranks"][0]["memory"]["optimizer_states"] for p in (etp2, etp1)]
    assert states[1] == pytest.approx(states[0], rel=1e-9)
    weights = [p["ranks"][0]["memory"]["weights"] for p in (etp2, etp1)]
    assert weights[1] > 1.5 * weights[0]


def test_no_tensor_collective_around_whole_experts(project):
    etp2, etp1 = _plan(project), _plan(project, "; expert_tensor = 1")
    # ETP 1: the MoE layer has no TP pair at all; the attention's pair remains
    assert etp1["time"]["communication_s"]["tensor_total"] < etp2["time"]["communication_s"]["tensor_total"]
    # and the 8 expert-parallel ranks sit 1 apart: inside one node of 8, over NVLink
    assert etp1["time"]["communication_s"]["expert_total"] < etp2["time"]["communication_s"]["expert_total"]


@pytest.mark.parametrize("extra, model, words", [
    ("; expert_tensor = 4", "mixtral_8x7b", "expert tensor 4 x expert 8 does not divide"),
    ("; expert_tensor = 1", "llama3_1_8b", "expert_tensor on a model without experts"),
])
def test_expert_layouts_megatron_refuses_are_diagnosed(project, extra, model, words):
    text = SPEC.format(extra=extra).replace("mixtral_8x7b", model)
    if model != "mixtral_8x7b":
        text = text.replace("expert = 8; ", "")
    comp = compile_text(project, text)
    errors = comp.diagnostics.errors
    assert errors and errors[0].code == "E0407" and words in errors[0].message


def test_the_megatron_export_states_the_expert_tensor_degree(project):
    from test_export_meaning import export, parse_with_megatron

    project("e.plan", SPEC.format(extra="; expert_tensor = 1"))
    _, text = export(project.root / "e.plan", "t", "megatron")
    ns = parse_with_megatron(text)
    assert ns.expert_tensor_parallel_size == 1 and ns.tensor_model_parallel_size == 2
    assert ns.expert_model_parallel_size == 8
