"""`capplan calibrate`: constants fitted back from logs generated at known values, a real public log
parsed, the written block used by a plan, and the refusals.

Synthetic logs are written from capplan's own figures at a known constant (e.g. step time at
matmul_efficiency = 0.55): fitting them back must return that constant (within 1%, the issue's bound).
That tests the fit and the parsers, not the time model, which the validation corpus scores.
"""

from __future__ import annotations

import json

import pytest

from conftest import compile_text, plan, run_cli

TRAINING = """
training t {{
  model        = llama2_7b
  gpu          = h100_sxm
  gpus         = 8
  precision    = megatron_bf16
  seq_len      = 4096 tokens
  global_batch = 64
  tokens       = 1 Gtoken
  parallel {{ data = 8; distributed_optimizer = true }}
  framework {{ implementation = megatron{extra} }}
}}
"""
INFERENCE = """
inference s {{
  model     = llama3_1_8b
  gpu       = h100_sxm
  gpus      = 1
  precision = bf16_inference
  context   = 4096 tokens
  prompt    = 2048 tokens
  output    = 256 tokens
  batch     = 1
  framework {{ attention = flash{extra} }}
}}
"""


def _megatron_line(iteration: int, ms: float, batch: int = 64, skipped: int = 0) -> str:
    # the format of megatron/training/training.py training_log
    return (f" [2025-04-13 23:41:12] iteration {iteration:8d}/    1000 | consumed samples: {iteration * batch:12d} | "
            f"elapsed time per iteration (ms): {ms:.1f} | learning rate: 1.000000E-04 | global batch size: {batch:5d} "
            f"| lm loss: 7.1E+00 | loss scale: 4096.0 | number of skipped iterations: {skipped:3d} | "
            "number of nan iterations:   0 |")


def _calibrate(project, *args):
    return run_cli("calibrate", *args, cwd=project.root)


def _block_value(text: str, name: str) -> float:
    line = next(x for x in text.splitlines() if x.split("=")[0].strip() == name)
    return float(line.split("=")[1].split()[0])


def test_megatron_log_at_a_known_efficiency_is_fitted_back(project):
    truth = compile_text(project, TRAINING.format(extra="; matmul_efficiency = 0.55"), name="truth.plan")
    step = plan(truth, "t")["time"]["step_s"]
    # two start-up lines (dropped: --warmup 2), one interval that skipped iterations (loss-scale warm-up:
    # dropped), then steady iterations at the step time and 1% either side
    lines = [_megatron_line(10, step * 1400), _megatron_line(20, step * 1200), _megatron_line(30, step * 900, skipped=3)]
    lines += [_megatron_line(40 + 10 * i, step * 1000 * (0.99, 1.0, 1.01)[i % 3]) for i in range(27)]
    project("train.log", "\n".join(lines) + "\n")
    project("main.plan", TRAINING.format(extra=""))
    code, out, err = _calibrate(project, "main.plan", "t", "--megatron-log", "train.log", "--name", "lab")
    assert code == 0, err
    assert _block_value(out, "matmul_efficiency") == pytest.approx(0.55, rel=0.01)
    assert _block_value(out, "fit_error") == pytest.approx(1.0, abs=0.05)  # the ±1% the log was written with
    # the block, imported by a spec and named by the plan, reproduces the measured step time
    project("lab.plan", out)
    used = compile_text(project, 'import "lab.plan"\n' + TRAINING.format(extra="; calibration = lab"))
    p = plan(used, "t")
    assert p["time"]["step_s"] == pytest.approx(step, rel=0.01)
    assert p["calibration"]["name"] == "lab" and "train.log" in p["calibration"]["fitted_from"]
    assert set(p["calibration"]["constants"]) == {"matmul_efficiency"}
    code, text, _ = run_cli("eval", "--color", "never", "main.plan", cwd=project.root)
    assert "calibrated (lab): matmul_efficiency = 0.55" in text


def test_a_constant_the_plan_states_wins_over_the_calibration(project):
    project("lab.plan", 'calibration lab {\n  fitted_from = "test"\n  matmul_efficiency = 0.4\n}\n')
    p = plan(compile_text(project, 'import "lab.plan"\n' + TRAINING.format(
        extra="; calibration = lab; matmul_efficiency = 0.6")), "t")
    ref = plan(compile_text(project, TRAINING.format(extra="; matmul_efficiency = 0.6"), name="ref.plan"), "t")
    assert p["time"]["step_s"] == ref["time"]["step_s"]
    assert p["calibration"]["constants"] == {}  # nothing of the calibration is in use


def test_vllm_benchmark_at_known_efficiencies_is_fitted_back(project):
    truth = plan(compile_text(project, INFERENCE.format(
        extra="; bandwidth_efficiency = 0.7; serving_matmul_efficiency = 0.6"), name="truth.plan"), "s")
    result = {"completed": 200, "max_concurrency": 1, "request_rate": "inf",
              "median_ttft_ms": truth["serving"]["ttft_s"] * 1e3, "median_tpot_ms": truth["serving"]["tpot_s"] * 1e3}
    project("bench.json", json.dumps(result))
    project("main.plan", INFERENCE.format(extra=""))
    code, out, err = _calibrate(project, "main.plan", "s", "--vllm-bench", "bench.json")
    assert code == 0, err
    assert _block_value(out, "bandwidth_efficiency") == pytest.approx(0.7, rel=0.01)
    assert _block_value(out, "serving_matmul_efficiency") == pytest.approx(0.6, rel=0.01)
    assert _block_value(out, "samples") == 200


GPU_PROFILE = """\
-------------------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  
                     Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg     Self CUDA   Self CUDA %    CUDA total  CUDA time avg    # of Calls  Total TFLOPs  
-------------------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  
             aten::linear         0.10%      50.000us        10.00%       5.000ms      50.000us       0.000us         0.00%     300.000ms       3.000ms           100            --  
              aten::addmm         5.00%       2.500ms         9.00%       4.500ms      45.000us     200.000ms        60.00%     200.000ms       2.000ms           100       118.740  
                 aten::mm         2.00%       1.000ms         3.00%       1.500ms      15.000us     100.000ms        30.00%     100.000ms       1.000ms           100        59.370  
     aten::_flash_attention   1.00%     500.000us         1.00%     500.000us       5.000us      33.000ms        10.00%      33.000ms     330.000us           100            --  
-------------------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  
"""


def test_profiler_table_gives_the_achieved_matmul_efficiency(project):
    """300 ms of GEMMs for 178.11 TFLOP: 593.7 TFLOP/s, 60% of the H100 SXM's 989.5 TFLOP/s dense bf16, of which
    its fastest matmul reaches 80.3% (the catalog's matmul_achievable): matmul_efficiency 0.6 / 0.803.
    The table follows torch 2.13's key_averages().table() layout (torch/autograd/profiler_util.py:
    `Self {DEVICE}` columns, `Total {prefix}FLOPs` auto-scaled); aten::linear's `--` is its children's."""
    project("main.plan", TRAINING.format(extra=""))
    project("prof.txt", GPU_PROFILE)
    code, out, err = _calibrate(project, "main.plan", "t", "--torch-profile", "prof.txt")
    assert code == 0, err
    assert _block_value(out, "matmul_efficiency") == pytest.approx(0.6 / 0.803, rel=1e-4)


CPU_PROFILE = """\
----------------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  
                  Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg    # of Calls  Total MFLOPs  
----------------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  
           aten::addmm        38.15%      48.850ms        46.76%      59.882ms      19.961ms             3       201.327  
----------------------  ------------  ------------  ------------  ------------  ------------  ------------  ------------  
"""


def test_a_cpu_only_profile_is_refused_with_the_reason(project):
    """A real torch 2.13 CPU profile (no device columns) cannot measure a GPU's efficiency."""
    project("main.plan", TRAINING.format(extra=""))
    project("prof.txt", CPU_PROFILE)
    code, _, err = _calibrate(project, "main.plan", "t", "--torch-profile", "prof.txt")
    assert code == 1 and "Self CUDA" in err


NCCL = """\
# nThread 1 nGpus 8 minBytes 8 maxBytes 134217728 step: 2(factor) warmup iters: 5 iters: 20
#                                                              out-of-place                       in-place
#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong
#        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)
           8             2     float     sum      -1    12.30    0.00    0.00      0    12.10    0.00    0.00      0
          16             4     float     sum      -1    12.50    0.00    0.00      0    12.40    0.00    0.00      0
   134217728      33554432     float     sum      -1   1010.0  132.89  232.56      0   1008.0  133.15  233.02      0
# Avg bus bandwidth    : 77.5
"""


def test_nccl_tests_give_the_small_message_latency(project):
    project("main.plan", INFERENCE.format(extra=""))
    project("nccl.txt", NCCL)
    code, out, err = _calibrate(project, "main.plan", "s", "--nccl-tests", "nccl.txt")
    assert code == 0, err
    assert _block_value(out, "allreduce_latency") == 12.3 and "12.3 us" in out
    assert "232.6 GB/s" in out  # the largest bus bandwidth is recorded in fitted_from


# bigscience-workshop/bigscience at 9e64edec2ad1fb9263bf39ba616a84ff64b4d947, train/tr11-176B-ml/chronicles.md
# lines 45 and 202: BLOOM-176B on 384 A100s (Megatron-DeepSpeed prints seconds, not milliseconds)
BLOOM = """\
[default7]: iteration    12695/  115311 | consumed samples:      9841584 | consumed tokens:  20155564032 | elapsed time per iteration (s): 105.22 | learning rate: 5.969E-05 | global batch size:  2048 | lm loss: 2.463556E+00 | grad norm: 0.174 | num zeros: 0.0 | number of skipped iterations:   0 | number of nan iterations:   0 | samples per second: 19.463 | TFLOPs: 149.02 |
[default7]: iteration    31214/  115311 | consumed samples:     47768496 | consumed tokens:  97829879808 | elapsed time per iteration (s): 106.46 | learning rate: 5.279E-05 | global batch size:  2048 | lm loss: 2.198845E+00 | grad norm: 0.242 | num zeros: 0.0 | number of skipped iterations:   0 | number of nan iterations:   0 | samples per second: 19.238 | TFLOPs: 147.29 |
"""


def test_a_real_public_megatron_log_is_read():
    from capplan.tools.calibrate.logs import megatron_iterations

    its = megatron_iterations(BLOOM)
    assert [(i.iteration, i.seconds, i.global_batch, i.skipped) for i in its] == [
        (12695, 105.22, 2048, 0), (31214, 106.46, 2048, 0)]


def test_refusals_say_why(project):
    project("main.plan", TRAINING.format(extra=""))
    project("other.log", "\n".join(_megatron_line(10 * i, 3000.0, batch=16) for i in range(1, 8)) + "\n")
    code, _, err = _calibrate(project, "main.plan", "t", "--megatron-log", "other.log")
    assert code == 1 and "global batch size (16) is not the plan's (64)" in err
    project("fast.log", "\n".join(_megatron_line(10 * i, 1.0) for i in range(1, 8)) + "\n")
    code, _, err = _calibrate(project, "main.plan", "t", "--megatron-log", "fast.log")
    assert code == 1 and "faster than this plan allows" in err
    project("prof.txt", GPU_PROFILE)
    project("slow.log", "\n".join(_megatron_line(10 * i, 9000.0) for i in range(1, 8)) + "\n")
    code, _, err = _calibrate(project, "main.plan", "t", "--megatron-log", "slow.log", "--torch-profile", "prof.txt")
    assert code == 1 and "matmul_efficiency is measured by both" in err
    assert _calibrate(project, "main.plan", "t")[0] == 2
    code, _, err = _calibrate(project, "main.plan", "nope", "--megatron-log", "slow.log")
    assert code == 1 and "no plan `nope`" in err


def test_same_logs_same_block(project):
    project("main.plan", TRAINING.format(extra=""))
    project("slow.log", "\n".join(_megatron_line(10 * i, 4000.0 + i) for i in range(1, 12)) + "\n")
    a = _calibrate(project, "main.plan", "t", "--megatron-log", "slow.log")
    b = _calibrate(project, "main.plan", "t", "--megatron-log", "slow.log")
    assert a[0] == 0 and a == b
    code, _, err = run_cli("fmt", "--check", "main.plan", cwd=project.root)
    project("cal.plan", a[1])
    code, out, err = run_cli("fmt", "--check", "cal.plan", cwd=project.root)
    assert code == 0, out + err  # the written block is already in capplan's canonical style


def _nccl_output(hosts: int, busbw_large: float) -> str:
    """nccl-tests' all_reduce_perf output with its device list (`#  Rank ... on HOST device ...`)."""
    ranks = "\n".join(f"#  Rank {r:2d} Group  0 Pid {1000 + r:6d} on {'node%03d' % (r // 8):>10} device {r % 8:2d} "
                      f"[0x{r:02x}] NVIDIA H100 80GB HBM3" for r in range(8 * hosts))
    return ("# nThread 1 nGpus 1 minBytes 8 maxBytes 8589934592 step: 2(factor) warmup iters: 5 iters: 20\n"
            "#\n# Using devices\n" + ranks + "\n"
            "#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong\n"
            "           8             2     float     sum      -1    18.30    0.00    0.00      0    18.10    0.00    0.00      0\n"
            f"  8589934592    2147483648     float     sum      -1  40000.0  214.75  {busbw_large:.2f}      0  40000.0  "
            f"214.75  {busbw_large:.2f}      0\n")


def test_nccl_tests_on_one_host_give_a_training_plans_nvlink_efficiency(project):
    # H100 SXM: NVLink 4 at 900 GB/s both directions summed, 450 per direction (the catalog's figure)
    project("main.plan", TRAINING.format(extra=""))
    project("nccl.txt", _nccl_output(1, 369.0))
    code, out, err = _calibrate(project, "main.plan", "t", "--nccl-tests", "nccl.txt")
    assert code == 0, err
    assert _block_value(out, "nvlink_efficiency") == pytest.approx(369.0 / 450, abs=1e-4)
    assert "8 ranks on 1 hosts" in out and "allreduce_latency" not in out


def test_nccl_tests_over_several_hosts_give_the_network_efficiency(project):
    spec = TRAINING.format(extra="").replace("  gpu          = h100_sxm\n  gpus         = 8\n",
                                             "  cluster      = c\n")
    spec = spec.replace("data = 8;", "data = 16;")
    project("main.plan", "cluster c {\n  gpu = h100_sxm\n  gpus_per_node = 8\n  nodes = 2\n"
                         "  inter_node = 400 Gbit/s\n}\n" + spec)
    project("nccl.txt", _nccl_output(2, 360.0))
    code, out, err = _calibrate(project, "main.plan", "t", "--nccl-tests", "nccl.txt")
    assert code == 0, err
    # 8 ranks per host, one 400 Gbit/s (50 GB/s) adapter each: 400 GB/s per host
    assert _block_value(out, "network_efficiency") == pytest.approx(360.0 / 400, abs=1e-4)
    assert "16 ranks on 2 hosts" in out


def test_a_calibration_narrows_the_band_of_the_configuration_it_measured_only(project):
    # the log's steady iterations lie 1% either side of their median: a plan identical to the one measured
    # takes that spread as its time band; any other plan that uses the block keeps the published runs' band,
    # which validation/README.md ("Calibrated on one run") shows a one-run calibration does not narrow
    from capplan.core import constants as K

    truth = compile_text(project, TRAINING.format(extra="; matmul_efficiency = 0.55"), name="truth.plan")
    step = plan(truth, "t")["time"]["step_s"]
    lines = [_megatron_line(10, step * 1400), _megatron_line(20, step * 1200)]
    lines += [_megatron_line(30 + 10 * i, step * 1000 * (0.99, 1.0, 1.01)[i % 3]) for i in range(27)]
    project("train.log", "\n".join(lines) + "\n")
    project("main.plan", TRAINING.format(extra=""))
    code, out, err = _calibrate(project, "main.plan", "t", "--megatron-log", "train.log", "--name", "lab")
    assert code == 0, err
    assert _block_value(out, "step_spread_below") == pytest.approx(1.0, abs=0.01)   # the log's ms have one decimal
    assert _block_value(out, "step_spread_above") == pytest.approx(1.0, abs=0.01)
    assert 'configuration     = "sha256:' in out
    project("lab.plan", out)
    same = TRAINING.format(extra="; calibration = lab").replace("training t ", "training renamed ")
    band = plan(compile_text(project, 'import "lab.plan"\n' + same), "renamed")["time"]["band"]
    assert band["basis"] == "measured"
    assert band["step_low_s"] == pytest.approx(step * 0.99, rel=0.01)
    assert band["step_high_s"] == pytest.approx(step * 1.01, rel=0.01)
    project("same.plan", 'import "lab.plan"\n' + same)
    code, text, _ = run_cli("eval", "--color", "never", "same.plan", cwd=project.root)
    assert code == 0 and "this configuration's measured iterations" in " ".join(text.split())  # wrapped
    # another configuration (twice the GPUs), or the fitted constant overridden: the published band
    for other in (TRAINING.format(extra="; calibration = lab").replace("gpus         = 8", "gpus         = 16")
                  .replace("data = 8", "data = 16"),
                  TRAINING.format(extra="; calibration = lab; matmul_efficiency = 0.6")):
        b = plan(compile_text(project, 'import "lab.plan"\n' + other, name="other.plan"), "t")["time"]["band"]
        assert b["basis"] == "published"
        assert (b["error_p10"], b["error_p90"]) == (K.TIME_BAND_LOW.value, K.TIME_BAND_HIGH.value)


@pytest.mark.parametrize("lang,said", [("en", "Calibrated (lab): matmul_efficiency = 0.55"), ("zh", "已校准（lab）")])
def test_reports_say_what_is_calibrated_and_which_band_the_time_carries(project, lang, said):
    from capplan.ir.fingerprint import configuration
    from capplan.render.report.render import render_report

    block = ('calibration lab {{\n  fitted_from = "a Megatron log"\n  matmul_efficiency = 0.55\n'
             '  configuration = "{digest}"\n  step_spread_below = 2 %\n  step_spread_above = 3 %\n}}\n')
    spec = TRAINING.format(extra="; calibration = lab")
    project("lab.plan", block.format(digest="sha256:0000000000000000"))
    other = compile_text(project, 'import "lab.plan"\n' + spec)
    html = render_report(other, "html", lang=lang)
    assert said in html
    assert ("stays the published runs" if lang == "en" else "仍采用已发表运行的区间") in html
    # the block written for this very plan: the measured spread, 2% below and 3% above
    digest = configuration(other.lowered("t"))
    project("lab.plan", block.format(digest=digest))
    same = compile_text(project, 'import "lab.plan"\n' + spec)
    p = plan(same, "t")
    assert p["time"]["band"]["basis"] == "measured"
    assert p["time"]["band"]["step_high_s"] == pytest.approx(p["time"]["step_s"] * 1.03)
    html = render_report(same, "html", lang=lang)
    assert ("the time band is their spread" if lang == "en" else "时间区间即其离散范围") in html
