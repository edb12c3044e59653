"""Full recomputation as PyTorch's non-reentrant checkpoint runs it: it stops as soon as the backward's tensors
are rebuilt (torch.utils.checkpoint, set_checkpoint_early_stop, on by default), so a pre-norm layer's last
matmul, the MLP's down projection, whose output feeds only the residual add, is not run again.

Measured: validation/measure_selective_op.py counts the backward's matmul FLOPs of a Llama block (bf16, CPU,
torch 2.13) with and without torch.utils.checkpoint (validation/data/selective_op.json); the difference is the
recomputed forward: every matmul of the block but w2. capplan charges that (engine/recompute.py
`early_stop_skipped`) for PyTorch FSDP plans of PyTorch ops, where FSDP's checkpoint_wrapper is non-reentrant
(torchtitan, Composer, Accelerate), and the whole forward for Megatron's and DeepSpeed's checkpointing;
framework.checkpoint_early_stop states it either way.
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, compile_text, plan


def test_pytorchs_checkpoint_recomputes_every_matmul_but_the_down_projection():
    runs = json.loads((ROOT / "validation" / "data" / "selective_op.json").read_text())["runs"]
    by = {(r["hidden"], r["kv_heads"], r["mode"]): r for r in runs}
    for r in (x for x in runs if x["mode"] == "full"):
        h, a, k, f = r["hidden"], r["heads"], r["kv_heads"], r["ffn"]
        d, tokens = h // a, r["batch"] * r["seq"]
        forward = 2 * tokens * (h * a * d + 2 * h * k * d + a * d * h + 3 * h * f)
        down = 2 * tokens * f * h
        recomputed = r["backward_mm_flops"] - by[(h, k, "none")]["backward_mm_flops"]
        assert recomputed == forward - down


SPEC = """
training t {{
  model        = llama2_7b
  gpu          = a100_80gb
  gpus         = 8
  precision    = {precision}
  seq_len      = 4096 tokens
  micro_batch  = 1
  global_batch = 8
  parallel {{ data = 8; {layout}; recompute = full }}
  framework {{ {framework} }}
}}
"""


def _flops(project, name, **kw) -> float:
    return plan(compile_text(project, SPEC.format(**kw), name=f"{name}.plan"), "t")["time"]["hardware_flops_per_step"]


def test_fsdp_plans_skip_it_megatron_plans_do_not_and_a_plan_can_say(project):
    fsdp = dict(precision="fsdp_bf16", layout="fsdp = true", framework="runtime = fsdp")
    megatron = dict(precision="megatron_bf16", layout="distributed_optimizer = true",
                    framework="implementation = megatron")
    skipped = 32 * 2 * 11008 * 4096 * 8 * 4096      # layers x 2 x ffn x hidden x tokens per step
    assert _flops(project, "a", **{**fsdp, "framework": "runtime = fsdp; checkpoint_early_stop = false"}) - \
        _flops(project, "b", **fsdp) == pytest.approx(skipped, rel=1e-9)
    assert _flops(project, "c", **{**megatron, "framework": "implementation = megatron; checkpoint_early_stop = "
                                                            "true"}) < _flops(project, "d", **megatron)
