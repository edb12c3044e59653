"""The serving host's time outside the GPU: per scheduled sequence (`sequence_overhead`) in every
iteration, and per request before the scheduler sees it (`request_overhead`).

What is checked is each term's definition, not its value (the values are fitted: validation/score_serving.py
--fit). An iteration pays `sequence_overhead` once for every sequence it schedules, a decode or a prefill
chunk, whatever the sequence's token count (WukLab, "Can Scheduling Overhead Dominate LLM Inference Performance?",
2024-09-10: vLLM's scheduling overhead "is proportional to the number of sequences in the batch, rather
than the number of tokens"). The figures below are counted by hand from the workload: b requests of a
512-token prompt arriving at once, prefilled together in one iteration (b x 512 tokens within the default
token budget), then decoding together, one sequence each per iteration.
"""

from __future__ import annotations

import math

import pytest

from capplan.core import constants as K
from capplan.engine.inference import inference_memory
from capplan.engine.serving_cost import iteration_cost
from capplan.engine.serving_sim import Workload, simulate
from capplan.pipeline import compile_files


def plan(per_sequence_us: float, per_request_us: float = 0.0):
    text = f"""
inference s {{
  model = llama3_1_8b
  gpu = h100_sxm
  gpus = 1
  context = 640 tokens
  prompt = 512 tokens
  output = 128 tokens
  framework {{ sequence_overhead = {per_sequence_us:g} us; request_overhead = {per_request_us:g} us }}
}}
"""
    comp = compile_files(["s.plan"], read=lambda path: text)
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    w = comp.workloads["s"]
    return w, inference_memory(w)


@pytest.mark.parametrize("b", [1, 4])
def test_every_scheduled_sequence_costs_the_host_its_time(b):
    without, with_ = plan(0), plan(1000)
    assert K.PREFILL_CHUNK_TOKENS.value >= 4 * 512   # the b prompts share one prefill iteration
    f0 = simulate(*without, Workload(512, 128, requests=b))
    f1 = simulate(*with_, Workload(512, 128, requests=b))
    # the prefill iteration schedules b chunks: b ms more to every first token
    assert f1["ttft_mean_s"] - f0["ttft_mean_s"] == pytest.approx(b * 1e-3, rel=1e-6)
    # each of the 127 later tokens comes from an iteration of b decodes: b ms more per token
    assert f1["tpot_mean_s"] - f0["tpot_mean_s"] == pytest.approx(b * 1e-3, rel=1e-6)


def test_the_term_counts_sequences_not_tokens():
    w, mem = plan(1000)
    cost = iteration_cost(w, mem)
    one_chunk = cost.parts(2048, 2048 * 2049 / 2, 2048, 1)       # one prompt of 2,048 tokens
    many_decodes = cost.parts(64, 64 * 512, 64 * 512, 64)         # 64 decodes at 512 tokens of context
    assert one_chunk["sequences_s"] == pytest.approx(1e-3)
    assert many_decodes["sequences_s"] == pytest.approx(64e-3)
    p = many_decodes   # the linear layers and attention each at the slower of their compute and memory times
    assert math.isclose(cost.seconds(64, 64 * 512, 64 * 512, 64),
                        max(p["linear_compute_s"], p["linear_memory_s"])
                        + max(p["attention_compute_s"], p["attention_memory_s"])
                        + p["tensor_parallel_s"] + p["overhead_s"] + p["sequences_s"], rel_tol=1e-12)


def test_a_request_reaches_the_scheduler_after_the_front_end():
    """`request_overhead` delays a request's admission, not the engine: every time to first token and
    end-to-end latency grows by it, the time per output token does not; in a closed loop the client's next
    request waits for it too, so one client's cycle (and its throughput's inverse) grows by it exactly."""
    without, with_ = plan(0), plan(0, 10_000)
    one0 = simulate(*without, Workload(512, 128, requests=1))
    one1 = simulate(*with_, Workload(512, 128, requests=1))
    assert one1["ttft_mean_s"] - one0["ttft_mean_s"] == pytest.approx(10e-3, rel=1e-9)
    assert one1["tpot_mean_s"] == pytest.approx(one0["tpot_mean_s"], rel=1e-12)
    loop0 = simulate(*without, Workload(512, 128, requests=12, concurrency=1))
    loop1 = simulate(*with_, Workload(512, 128, requests=12, concurrency=1))
    cycle0, cycle1 = 1 / loop0["requests_per_s"], 1 / loop1["requests_per_s"]
    assert cycle1 - cycle0 == pytest.approx(10e-3, rel=1e-6)
    assert loop1["ttft_mean_s"] - loop0["ttft_mean_s"] == pytest.approx(10e-3, rel=1e-6)
