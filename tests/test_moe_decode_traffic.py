"""An MoE decode streams the routed experts its tokens were routed to, not all of them
(engine/inference.py `routed_expert_bytes`, `streamed_at`; both serving engines).

Independent sources: Mixtral 8x7B's exact parameter count as transformers instantiates it
(validation/data/params.json: 46,702,792,704; its experts 32 layers x 8 x 3 x 4,096 x 14,336, its untied
32,000 x 4,096 embedding table), top-k routing's definition (one token reads exactly top_k experts per layer),
and a routing experiment: tokens routed at random, top_k distinct experts each, counted (numpy), against
which the closed form 1 - (1 - top_k / experts)^tokens is held.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import compile_text

MIXTRAL = 46_702_792_704
EXPERTS = 32 * 8 * 3 * 4_096 * 14_336          # 45,097,156,608 routed-expert parameters
TABLE = 32_000 * 4_096


def memory(project, model: str = "mixtral_8x7b", tp: int = 1) -> dict:
    from capplan.engine.inference import inference_memory

    comp = compile_text(project, f"""
inference served {{
  model = {model}
  gpu = h200
  gpus = {tp}
  weights = bf16
  context = 2048 tokens
  parallel {{ tensor = {tp} }}
}}
""")
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    return inference_memory(comp.workloads["served"], limits=False)


def test_one_token_streams_its_top_k_experts(project):
    from capplan.engine.inference import streamed_at

    mem = memory(project)
    assert mem["weights_streamed"] == 2 * (MIXTRAL - TABLE)
    assert mem["experts_streamed"] == 2 * EXPERTS
    assert mem["expert_miss"] == 0.75
    # 1.47B dense + 2 of 8 experts: 12.75B parameters, Mixtral's "about 13B active"
    assert streamed_at(mem, 1) == pytest.approx(2 * (MIXTRAL - TABLE - EXPERTS + EXPERTS * 2 / 8))
    assert streamed_at(mem, 4096) == pytest.approx(mem["weights_streamed"], rel=1e-12)   # a prefill: all


def test_the_expected_experts_match_random_routing(project):
    from capplan.engine.inference import streamed_at

    mem = memory(project)
    dense = mem["weights_streamed"] - mem["experts_streamed"]
    rng = np.random.default_rng(0)
    trials, experts, top_k = 20_000, 8, 2
    for tokens in (2, 4, 8, 16):
        # each token picks top_k distinct experts at random; count the experts no token picked
        picks = np.argsort(rng.random((trials, tokens, experts)), axis=2)[:, :, :top_k]
        touched = np.zeros((trials, experts), dtype=bool)
        for t in range(tokens):
            np.put_along_axis(touched, picks[:, t, :], True, axis=1)
        measured = touched.mean()
        predicted = (streamed_at(mem, tokens) - dense) / mem["experts_streamed"]
        assert predicted == pytest.approx(measured, abs=0.01), tokens


def test_an_moe_decode_is_faster_at_batch_one_than_its_total_weights_allow(project):
    from capplan.engine.inference import streamed_at
    from capplan.engine.serving_cost import iteration_cost

    mem = memory(project)
    comp = compile_text(project, """
inference served {
  model = mixtral_8x7b
  gpu = h200
  gpus = 1
  weights = bf16
  context = 2048 tokens
  prompt = 1024 tokens
  output = 256 tokens
}
""")
    cost = iteration_cost(comp.workloads["served"], mem)
    one = cost.parts(1, 1024, 1024, 1)["linear_memory_s"]
    many = cost.parts(256, 256 * 1024, 256 * 1024, 256)["linear_memory_s"]
    assert one == pytest.approx(streamed_at(mem, 1) / cost.byte_rate)
    assert one < 0.35 * many        # 12.75B of 46.57B streamed parameters at batch 1
    assert many == pytest.approx(mem["weights_streamed"] / cost.byte_rate, rel=1e-9)


def test_a_dense_model_streams_its_weights_at_any_batch(project):
    from capplan.engine.inference import streamed_at

    mem = memory(project, "llama3_1_8b")
    assert mem["experts_streamed"] == 0
    assert streamed_at(mem, 1) == streamed_at(mem, 512) == mem["weights_streamed"]
