"""`capplan calibrate --torchtitan-log`: torchtitan's step lines fitted back.

torchtitan logs, every `log_freq` steps, the tokens per second per GPU over the interval and the peak memory
the caching allocator reserved in it (torchtitan/components/metrics.py MetricsProcessor.log; `wps:` in 2024's
train.py). A synthetic log written from the plan at known constants (matmul_efficiency 0.55, allocator_overhead
0.12) must be fitted back within 1%; a real line from torchtitan's repository is parsed.
"""

from __future__ import annotations

import pytest

from conftest import compile_text, plan, run_cli
from test_calibrate import _block_value as _value

PLAN = """
training t {{
  model        = llama3_1_8b
  gpu          = h100_sxm
  gpus         = 8
  precision    = fsdp_bf16
  seq_len      = 8192 tokens
  micro_batch  = 1
  global_batch = 8
  parallel {{ data = 8; fsdp = true; recompute = selective_op }}
  framework {{ runtime = fsdp{extra} }}
}}
"""
GIB = 2 ** 30


def _line(step: int, tps: float, reserved_gib: float, legacy: bool = False) -> str:
    # MetricsProcessor.log's line with its colour codes (red, green, orange, turquoise, blue, cyan, magenta)
    name = "wps" if legacy else "tps"
    return (f"[rank0]:[titan] 2025-06-13 10:00:00,000 - root - INFO - \x1b[31mstep: {step:2}  \x1b[32mloss: "
            f" 7.12345  \x1b[33mgrad_norm:  1.2345  \x1b[36mmemory: {reserved_gib:5.2f}GiB(60.00%)  "
            f"\x1b[34m{name}: {round(tps):,}  \x1b[36mtflops: 400.00  \x1b[35mmfu: 40.00%\x1b[39m")


def _truth(project) -> tuple[float, float]:
    """The truth plan's tokens per second per GPU and what it allocates on its GPU, at 0.55 and 12%."""
    p = plan(compile_text(project, PLAN.format(extra="; matmul_efficiency = 0.55; allocator_overhead = 0.12"),
                          name="truth.plan"), "t")
    m = p["ranks"][0]["memory"]
    reserved = p["ranks"][0]["peak_bytes"] - m["cuda_context"] - m["nccl"]
    return p["time"]["tokens_per_s"] / 8, reserved / GIB


def test_a_torchtitan_log_at_known_constants_is_fitted_back(project):
    tps, reserved = _truth(project)
    lines = [_line(1, tps * 0.5, reserved * 0.9), _line(10, tps * 0.8, reserved)]    # compile / warm-up: dropped
    lines += [_line(20 + 10 * i, tps * (0.99, 1.0, 1.01)[i % 3], reserved) for i in range(9)]
    lines.insert(5, "validate step:  5  loss:  7.0000  memory:  1.00GiB(1.00%)  tps: 99")   # not a training step
    project("train.log", "\n".join(lines) + "\n")
    project("main.plan", PLAN.format(extra=""))
    code, out, err = run_cli("calibrate", "main.plan", "t", "--torchtitan-log", "train.log", cwd=project.root)
    assert code == 0, err
    assert _value(out, "matmul_efficiency") == pytest.approx(0.55, rel=0.01)
    assert _value(out, "allocator_overhead") == pytest.approx(0.12, rel=0.01)
    assert "the global batch over the log's tokens per second per GPU" in " ".join(out.split())
    assert 'configuration' in out and "step_spread_above" in out    # this plan's band becomes the measured spread


def test_a_run_that_reserved_less_than_the_plan_allocates_fits_the_time_and_says_why_not_the_memory(project):
    tps, reserved = _truth(project)
    lines = [_line(10 * i, tps, reserved * 0.8) for i in range(1, 8)]
    project("train.log", "\n".join(lines) + "\n")
    project("main.plan", PLAN.format(extra=""))
    code, out, err = run_cli("calibrate", "main.plan", "t", "--torchtitan-log", "train.log", cwd=project.root)
    assert code == 0, err
    assert "allocator_overhead =" not in out and "allocator_overhead not fitted" in " ".join(out.split())
    assert _value(out, "matmul_efficiency") == pytest.approx(0.55, rel=0.01)


def test_the_2024_wps_lines_and_a_real_line_are_read():
    from capplan.tools.calibrate.logs import LogError, torchtitan_steps

    # pytorch/torchtitan@b5bcd76 torchtitan/experiments/graph_trainer/.claude/CLAUDE.md (DeepSeek-V3 16B on 8 H100s)
    real = ("step: 20  loss: 11.83506  grad_norm:  9.6669  memory: 48.87GiB(51.44%)  tps: 4,376  tflops: 253.41  "
            "mfu: 25.62%")
    (s,) = torchtitan_steps(real)
    assert (s.step, s.tokens_per_s, s.reserved_gib) == (20, 4376.0, 48.87)
    (old,) = torchtitan_steps(_line(3, 2162, 70.5, legacy=True))
    assert (old.step, old.tokens_per_s, old.reserved_gib) == (3, 2162.0, 70.5)
    with pytest.raises(LogError, match="no torchtitan step line"):
        torchtitan_steps("iteration 1/ 10 | elapsed time per iteration (ms): 5.0 |")


def test_an_inference_plan_is_refused(project):
    project("log.txt", _line(1, 100, 1) + "\n" + _line(2, 100, 1) + "\n" + _line(3, 100, 1) + "\n")
    compile_text(project, "inference s { model = llama3_1_8b; gpu = h100_sxm; gpus = 1; "
                          "precision = bf16_inference; context = 4096 tokens }\n", name="main.plan")
    code, _, err = run_cli("calibrate", "main.plan", "s", "--torchtitan-log", "log.txt", cwd=project.root)
    assert code == 1 and "measures training" in err
