"""The continuous-batching serving simulation (capplan.engine.serving_sim), by its properties, and its
score against published serving benchmarks.

Independent sources: the rooflines use only the GPU's data-sheet peak and bandwidth (the catalog)
and the model's parameter count; the published figures come from validation/published/corpus/
serving.json (TensorRT-LLM's performance overview, transcribed with quotes). The single-request
check compares the simulation with the closed-form serving model (capplan.engine.serving), a
separate formula, at the same efficiencies.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from functools import lru_cache

import pytest
from hypothesis import given, settings, strategies as st

from capplan.engine.inference import inference_memory
from capplan.engine.serving import serving_time
from capplan.engine.serving_cost import iteration_cost
from capplan.engine.serving_figures import figures_json
from capplan.engine.serving_sim import Workload, limits_of, max_rate, plan_workload, run, simulate
from capplan.pipeline import compile_files
from conftest import ROOT, run_cli

SCORE = ROOT / "validation" / "published" / "serving_vs_published.json"


@lru_cache(maxsize=None)
def served(model: str, gpu: str, tp: int, weights: str = "bf16", extra: str = "", prompt: int = 512,
           output: int = 256):
    text = f"""
inference s {{
  model = {model}
  gpu = {gpu}
  gpus = {tp}
  weights = {weights}
  context = {prompt + output} tokens
  prompt = {prompt} tokens
  output = {output} tokens
  {extra}
  parallel {{ tensor = {tp} }}
}}
"""
    comp = compile_files(["s.plan"], read=lambda path: text)
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    w = comp.workloads["s"]
    return w, inference_memory(w)


CONFIGS = st.sampled_from([("llama3_1_8b", "h100_sxm", 1), ("llama3_1_8b", "a100_80gb", 1),
                           ("llama3_1_70b", "h200", 4), ("llama3_1_70b", "h100_sxm", 8),
                           ("mixtral_8x7b", "h100_sxm", 2)])


SCHEDULERS = st.sampled_from(["vllm", "sglang", "tensorrt_llm"])


@settings(max_examples=25, deadline=None)
@given(CONFIGS, st.integers(16, 4096), st.integers(2, 1024), st.sampled_from([1.0, 8.0, 64.0, math.inf]),
       st.sampled_from(["bf16", "fp8_e4m3"]), SCHEDULERS)
def test_throughput_never_above_the_compute_or_bandwidth_roofline(cfg, prompt, output, rate, weights, scheduler):
    model, gpu, tp = cfg
    w, mem = served(model, gpu, tp, weights, extra=f"framework {{ scheduler = {scheduler} }}")
    f = simulate(w, mem, Workload(prompt, output, requests=200, rate=rate, seed=3))
    assert f["completed"] == 200 and not f["stalled"]
    peak = max(v for v in w.hardware.gpu.peak.values() if isinstance(v, float))  # highest dense peak
    flops_per_token = 2 * _active(w)  # parameters one token multiplies with (MoE: the active ones)
    # compute: every token (prompt or output) costs at least 2 x the parameters it multiplies with
    assert f["total_tokens_per_s"] <= tp * peak / flops_per_token
    # bandwidth: an iteration streams each GPU's weights at least once and samples at most
    # max_num_seqs tokens
    assert f["output_tokens_per_s"] <= f["max_num_seqs"] * w.hardware.gpu.bandwidth / mem["weights"]


def _active(w) -> float:
    from capplan.engine.timing import flops_per_token

    return flops_per_token(w.model, inference_memory(w)["params"], 1.0).matmul_params


def test_ttft_grows_with_load():
    w, mem = served("llama3_1_70b", "h100_sxm", 4)
    ttft = [simulate(w, mem, Workload(467, 256, requests=400, rate=r, seed=1))["ttft_mean_s"]
            for r in (0.5, 2.0, 8.0, 16.0, 32.0, math.inf)]
    assert ttft == sorted(ttft) and ttft[-1] > 10 * ttft[0]


def test_one_request_reduces_to_the_single_request_prefill_and_decode():
    # the closed-form figures are built from the simulation's iteration cost, host time included: one request
    # alone is their time to first token exactly (front end, then two chunks of the 8192-token budget), and its
    # time per output token the decode step at the mean context (prompt + output / 2 against the simulation's
    # prompt + (output - 2) / 2: one token apart)
    w, mem = served("llama3_1_8b", "h100_sxm", 1, extra="batch = 1", prompt=10000, output=64)
    f = simulate(w, mem, Workload(10000, 64, requests=1))
    closed = serving_time(w, mem)
    assert f["max_num_batched_tokens"] == 8192
    assert math.isclose(f["ttft_mean_s"], closed["ttft_s"], rel_tol=1e-12)
    assert math.isclose(f["tpot_mean_s"], closed["tpot_s"], rel_tol=1e-4)


def test_deterministic_for_a_seed():
    w, mem = served("llama3_1_8b", "h100_sxm", 1)
    a = simulate(w, mem, Workload(300, 200, requests=300, rate=20.0, seed=7))
    b = simulate(w, mem, Workload(300, 200, requests=300, rate=20.0, seed=7))
    c = simulate(w, mem, Workload(300, 200, requests=300, rate=20.0, seed=8))
    assert a == b and a["ttft_p90_s"] != c["ttft_p90_s"]


def test_a_full_cache_preempts_and_every_request_still_finishes():
    # a 70B model on two H100s at 70% utilisation leaves room for a few thousand tokens only
    w, mem = served("llama3_1_70b", "h100_sxm", 2, extra="memory_utilization = 0.95", prompt=1024, output=1024)
    f = simulate(w, mem, Workload(1024, 1024, requests=300))
    assert f["kv_blocks"] * f["block_tokens"] < 300 * 2048  # the cache cannot hold every request at once
    assert f["completed"] == 300 and f["preemptions"] > 0


def test_no_evict_admission_never_preempts():
    """TensorRT-LLM's GUARANTEED_NO_EVICT: a request starts only when its whole prompt and output fit."""
    w, mem = served("llama3_1_70b", "h100_sxm", 2, extra="memory_utilization = 0.95", prompt=1024, output=1024)
    vllm = simulate(w, mem, Workload(1024, 1024, requests=300))
    w, mem = served("llama3_1_70b", "h100_sxm", 2, prompt=1024, output=1024,
                    extra="memory_utilization = 0.95\n  framework { scheduler = tensorrt_llm }")
    no_evict = simulate(w, mem, Workload(1024, 1024, requests=300))
    assert no_evict["completed"] == 300 and no_evict["preemptions"] == 0 < vllm["preemptions"]
    assert "GUARANTEED_NO_EVICT" in no_evict["source"]


def test_sglang_prefills_first_so_a_wave_decodes_in_lockstep():
    """SGLang's scheduler runs a prefill batch whenever it can admit a request, and the running decodes wait
    (Scheduler.get_next_batch_to_run; mixed chunks are off by default): 64 prompts of 2,048 tokens arriving
    together are all prefilled, a budget's worth per iteration, before any of them decodes, so every request
    samples its first token before any finishes and all finish together. vLLM's scheduler decodes the early
    ones while it prefills the rest: they finish earlier."""
    wave = Workload(2048, 128, requests=64)
    w, mem = served("llama3_1_8b", "h100_sxm", 1, extra="framework { scheduler = sglang }", prompt=2048, output=128)
    sg = run(iteration_cost(w, mem), limits_of(w, mem), wave)
    assert max(sg["first"]) < min(sg["finish"]) and len(set(sg["finish"])) == 1
    w, mem = served("llama3_1_8b", "h100_sxm", 1, prompt=2048, output=128)
    vl = run(iteration_cost(w, mem), limits_of(w, mem), wave)
    assert len(set(vl["finish"])) > 1


def test_sglang_admission_reserves_room_for_the_running_requests_outputs():
    """SGLang's PrefillAdder admits a request only while its prompt and output fit beside the running requests'
    remaining outputs x new_token_ratio (0.7 at first); vLLM admits on the first chunk's blocks and preempts
    when the cache fills. On a cache too small for the load, SGLang retracts less and still finishes every
    request."""
    extra = "memory_utilization = 0.95"
    w, mem = served("llama3_1_70b", "h100_sxm", 2, extra=extra, prompt=1024, output=1024)
    vllm = simulate(w, mem, Workload(1024, 1024, requests=300))
    w, mem = served("llama3_1_70b", "h100_sxm", 2, extra=extra + "\n  framework { scheduler = sglang }",
                    prompt=1024, output=1024)
    sg = simulate(w, mem, Workload(1024, 1024, requests=300))
    assert sg["completed"] == 300 and sg["preemptions"] < vllm["preemptions"]
    assert "PrefillAdder" in sg["source"]
    # the spec's reservation (SGLang's --schedule-conservativeness scales it) reaches the admission
    w, mem = served("llama3_1_70b", "h100_sxm", 2, prompt=1024, output=1024,
                    extra=extra + "\n  framework { scheduler = sglang; new_token_ratio = 0.05 }")
    bold = simulate(w, mem, Workload(1024, 1024, requests=300))
    assert bold["completed"] == 300 and bold["preemptions"] != sg["preemptions"]


def test_closed_loop_concurrency_keeps_that_many_requests_in_flight():
    w, mem = served("llama3_1_8b", "h100_sxm", 1)
    one = simulate(w, mem, Workload(512, 128, requests=50, concurrency=1))
    eight = simulate(w, mem, Workload(512, 128, requests=200, concurrency=8))
    assert one["completed"] == 50 and eight["completed"] == 200
    assert 4 * one["requests_per_s"] < eight["requests_per_s"] < 8 * one["requests_per_s"]


def test_a_closed_loops_clients_can_start_apart_and_a_finished_client_sends_at_once():
    """`stagger`: client i starts i x stagger s in. A client whose request ends before a later client has even
    started sends its next request at that moment (the pending arrivals are kept in time order)."""
    w, mem = served("llama3_1_8b", "h100_sxm", 1)
    trace = run(iteration_cost(w, mem), limits_of(w, mem), Workload(512, 128, requests=8, concurrency=4, stagger=3.0))
    assert trace["arrival"][:4] == [0.0, 3.0, 6.0, 9.0]
    assert trace["finish"][0] < 3.0 and trace["arrival"][4] == trace["finish"][0]  # client 0 again, before client 1
    assert trace["first"][4] - trace["arrival"][4] < 0.1   # admitted at once, not after the later clients' starts
    assert all(trace["first"][i] >= trace["arrival"][i] for i in range(8))


def test_a_closed_loop_is_measured_in_its_steady_state():
    """`simulate` spreads the clients over one request's time and measures all but the first and last `clients`
    requests; the loop keeps `clients` requests in the system, so (Little's law) it completes clients / mean e2e
    of them per second, and a single client's requests follow each other with nothing else running."""
    w, mem = served("llama3_1_8b", "h100_sxm", 1)
    one = simulate(w, mem, Workload(512, 128, requests=10, concurrency=1))
    assert one["measured_requests"] == 8 and one["completed"] == 10
    assert one["requests_per_s"] == pytest.approx(1 / one["e2e_mean_s"])
    assert one["output_tokens_per_s"] == pytest.approx(128 / one["e2e_mean_s"])
    many = simulate(w, mem, Workload(512, 128, requests=200, concurrency=32))
    assert many["measured_requests"] == 200 - 2 * 32
    assert many["requests_per_s"] == pytest.approx(32 / many["e2e_mean_s"])
    # spread over a lap, 32 clients' prompts come a few at a time: their first tokens wait about an iteration,
    # not for a cohort of 32 prompts to be prefilled together
    assert many["ttft_mean_s"] < 3 * many["tpot_mean_s"] + one["ttft_mean_s"]


def test_a_ten_minute_trace_is_simulated_whole():
    # how fast: bench/serving_sim.py (a ratio to `capplan eval`), not a timed unit test
    w, mem = served("llama3_1_8b", "h100_sxm", 1)
    f = simulate(w, mem, Workload(467, 256, rate=20.0, duration=600.0))
    assert f["requests"] == 12000 and f["duration_s"] > 550  # 12,000 Poisson arrivals at 20/s span about 600 s
    assert f["completed"] == 12000 and not f["stalled"]


def test_max_rate_meets_the_slo_and_grows_with_a_looser_one():
    w, mem = served("llama3_1_8b", "h100_sxm", 1)
    wl = Workload(467, 256, requests=300, duration=120.0)
    tight = max_rate(w, mem, wl, {"ttft": 0.05, "tpot": 0.012})
    loose = max_rate(w, mem, wl, {"ttft": 0.5, "tpot": 0.03})
    assert 0 < tight["max_requests_per_s"] <= loose["max_requests_per_s"] <= loose["saturated_requests_per_s"]
    at = simulate(w, mem, Workload(467, 256, rate=tight["max_requests_per_s"], duration=120.0),
                  {"ttft": 0.05, "tpot": 0.012})
    assert at["slo_attainment"] >= 0.9


def test_the_committed_serving_score_is_current():
    proc = subprocess.run([sys.executable, "validation/score_serving.py", "--check"], cwd=ROOT)
    assert proc.returncode == 0, "run `python validation/score_serving.py` and commit the result"


def test_serving_score_bounds_reached():
    """The errors reached on the validation half (figures the fit never saw) with the constants fitted on the
    calibration half, per campaign. The issue's target is median <= 10% and worst <= 25%. Met: throughput and TTFT
    under a request rate (TensorRT-LLM 0.14 online: 3.4% / 18.8%, 3.5% / 12.3%) and ITL's median there (9.5%), the
    offline median, NIM's throughput and ITL (5.5% / 20.3%, 6.3% / 19.1%). Not met: ITL's worst under a request
    rate (+30%, Llama 3.1 8B with every 467 / 256 request at once: a batch limit the source does not state), the
    offline worst (+39%), and TTFT in NIM's closed loops (median 58%: NIM's TTFT grows with the number of clients
    far faster than its engine's iterations do, so the time goes to the front end's queue, which the simulation
    does not model; validation/README.md). History: 10% / 35%, 30% / 40%, 20% / 30% with 20 records; the whole
    TensorRT-LLM online table brought the high-load 202/214 rows (+68% throughput at worst); NIM 1.8.0's tables
    (79 records, concurrency 1-250) and the three-constant refit (2.5 ms, 0.50, 30 us of wait per all-reduce);
    the decode's weight traffic without the embedding lookup (ITL medians 12-13% -> 11%); the host's times per
    sequence and per request, five constants (1.5 ms, 0.55, 40 us, 20 us, 7.5 ms: NIM's throughput worst
    49.7% -> 20.3%, its ITL median 11.2% -> 6.3%; the INF rows' ITL worst 53.5% -> 89.7%); stop 35: the 202/214
    sweeps, whose completions rule out fixed lengths, listed as not expressible (tests/test_serving_lengths_rule.py),
    and NIM's contended TTFTs left out of the fit's loss (1.5 ms, 0.55, 30 us, 20 us, 5 ms: TensorRT-LLM's TTFT
    11.3% / 26.2% -> 3.5% / 12.3%)."""
    s = json.loads(SCORE.read_text())["summary"]
    bounds = {"TensorRT-LLM 0.14 online (request rate)": {"throughput": (0.05, 0.20), "ttft": (0.05, 0.15),
                                                         "itl": (0.10, 0.32)},
              "TensorRT-LLM 0.17 offline": {"throughput": (0.10, 0.40)},
              "NIM 1.8.0 (concurrency)": {"throughput": (0.10, 0.25), "ttft": (0.60, 1.0), "itl": (0.10, 0.25)}}
    for campaign, kinds in bounds.items():
        for kind, (median, worst) in kinds.items():
            v = s[f"{campaign} | validation.{kind}"]
            assert v["n"] >= 4
            assert v["median"] <= median and v["worst"] <= worst, (campaign, kind, v)


def test_the_plans_closed_loop_runs_twenty_rounds_and_measures_what_two_thousand_requests_do():
    # identical requests in a closed loop repeat after the first round: 20 rounds give the long run's figures
    w, mem = served("llama3_1_8b", "h100_sxm", 1, extra="batch = 4", prompt=467, output=64)
    short = plan_workload(w)
    assert (short.concurrency, short.requests) == (4, 100)
    assert plan_workload(served("llama3_1_8b", "h100_sxm", 1, extra="batch = 300")[0]).requests == 2000
    a, b = simulate(w, mem, short), simulate(w, mem, Workload(467, 64, requests=2000, concurrency=4))
    for key in ("ttft_p50_s", "tpot_p50_s", "e2e_p99_s", "output_tokens_per_s"):
        assert a[key] == pytest.approx(b[key], rel=1e-9), key


def test_the_plan_states_its_load_and_every_figure_has_a_formula_and_source():
    w, mem = served("llama3_1_8b", "h100_sxm", 1, extra="requests = 12 req/s")
    wl = plan_workload(w, requests=300)
    assert (wl.input, wl.output, wl.rate, wl.concurrency) == (512, 256, 12.0, None)
    w1, mem1 = served("llama3_1_8b", "h100_sxm", 1, extra="batch = 16")
    assert plan_workload(w1).concurrency == 16
    figs = figures_json(simulate(w, mem, wl, {"ttft": 0.2, "tpot": 0.02}))
    assert {"serving.sim.ttft_p99", "serving.sim.tpot_p50", "serving.sim.goodput"} <= set(figs)
    for f in figs.values():
        assert f["formula"] and "vllm/v1/core/sched/scheduler.py" in f["source"] and f["value"] >= 0
    looped = figures_json(simulate(w1, mem1, plan_workload(w1, requests=100)))   # 16 clients: 68 measured
    assert "steady state: the middle 68 measured" in looped["serving.sim.ttft_p50"]["derivation"]


def test_the_terminal_names_a_scheduler_other_than_vllms(project):
    plan = ("inference s {{\n  model = llama3_1_8b\n  gpu = h100_sxm\n  gpus = 1\n  prompt = 1024 tokens\n"
            "  output = 256 tokens\n  batch = 16\n{fw}}}\n")
    project("s.plan", plan.format(fw="  framework { scheduler = sglang }\n"))
    code, out, err = run_cli("eval", "s.plan", "--color", "never", cwd=project.root)
    assert code == 0, err
    assert "under load (SGLang's scheduler, 16 clients in a closed loop" in " ".join(out.split())
    project("s.plan", plan.format(fw=""))
    code, out, _ = run_cli("eval", "s.plan", "--color", "never", cwd=project.root)
    assert "under load (16 clients in a closed loop" in " ".join(out.split())


def test_every_scheduler_the_schema_offers_is_simulated():
    from capplan.check.schema import INFERENCE
    from capplan.engine.serving_sim import SCHEDULERS

    assert set(INFERENCE.fields["framework"].block.fields["scheduler"].choices) == set(SCHEDULERS)
