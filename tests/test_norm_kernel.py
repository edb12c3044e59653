"""`framework.norm_kernel = fused`: RMSNorm as one kernel, as torchtitan runs it (`norm_type = "fused_rmsnorm"`).

Source: pytorch/torchtitan@559a526 torchtitan/models/norms.py, TritonFusedRMSNorm.forward:
ctx.save_for_backward(x, weight, rstd), rstd an fp32 tensor of one value per row. PyTorch's RMSNorm ops (transformers'
LlamaRMSNorm, torchtitan's own `rmsnorm`) keep the fp32 input, the fp32 1/rms and the normalised input cast back
(measured: validation/data/activations.json). Either way the output is kept by the projections that read it. So the
fused kernel keeps, per token, the input in its own dtype and 4 bytes, where the ops keep 4 h + rho h + 4: 4 h
bytes less per norm and token. The table run this matters to: tests/test_torchtitan_table.py.
"""

from __future__ import annotations

import pytest

from capplan.engine.activations_hf import _norm
from capplan.engine.blocks.base import Context
from capplan.ir.blocks import Norm
from conftest import compile_text, plan, run_cli

H, TOKENS = 512, 256


@pytest.mark.parametrize("residual", [2.0, 4.0])
def test_the_fused_kernel_keeps_its_input_and_the_fp32_rstd(residual):
    c = Context(seq=TOKENS, batch=1, tp=1, sp=False, beta=2.0, kernel="flash", recompute="none",
                impl="transformers", residual=residual, norm_kernel="fused")
    saved = _norm(Norm("rmsnorm", False), H, c, "norm")
    assert sorted(s.bytes for s in saved) == sorted([TOKENS * H * residual, TOKENS * 4])
    ops = _norm(Norm("rmsnorm", False), H, Context(seq=TOKENS, batch=1, tp=1, sp=False, beta=2.0, kernel="flash",
                                                    recompute="none", impl="transformers", residual=residual), "n")
    assert sum(s.bytes for s in ops) - sum(s.bytes for s in saved) == TOKENS * H * 4


SPEC = ("model m {{ layers = 4; hidden = 1024; heads = 16; ffn = 2816; vocab = 32000; max_seq = 2048 tokens }}\n"
        "training t {{ model = m; gpu = a100_80gb; gpus = 1; precision = pure_bf16; seq_len = 2048 tokens; "
        "micro_batch = 4; global_batch = 4; framework {{ norm_kernel = {kernel} }} }}\n")


def _plans(project) -> dict:
    return {k: plan(compile_text(project, SPEC.format(kernel=k), name=f"{k}.plan"), "t") for k in ("torch", "fused")}


def test_a_plan_with_the_fused_kernel_keeps_4h_bytes_less_per_norm_and_token(project):
    plans = _plans(project)
    saved = {k: p["ranks"][0]["memory"]["activations"] for k, p in plans.items()}
    norms = 4 * 2                              # two a layer (the final norm is counted with the head's logits)
    assert saved["torch"] - saved["fused"] == norms * 4 * 2048 * 1024 * 4
    # less traffic for the memory-bound kernels too, the same matmuls
    t = {k: p["time"] for k, p in plans.items()}
    assert t["fused"]["elementwise_s"] < t["torch"]["elementwise_s"]
    assert t["fused"]["matmul_s"] == t["torch"]["matmul_s"]


def test_calibration_digests_keep_older_plans_and_tell_the_kernels_apart(project):
    from capplan.ir.fingerprint import configuration
    from capplan.ir.plan import Framework

    assert "norm_kernel" not in repr(Framework())
    digests = {k: configuration(compile_text(project, SPEC.format(kernel=k), name=f"d_{k}.plan").lowered("t"))
               for k in ("torch", "fused")}
    assert digests["torch"] != digests["fused"]


def test_the_torchrun_export_asks_for_the_fused_kernel(project):
    for kernel in ("torch", "fused"):
        project(f"e_{kernel}.plan", SPEC.format(kernel=kernel))
        code, out, err = run_cli("export", str(project.root / f"e_{kernel}.plan"), "t", "--to", "torchrun")
        assert code == 0, err
        assert ("--norm-kernel fused" in out) == (kernel == "fused")


def test_a_fused_kernel_where_nothing_is_replaced_is_flagged(project):
    text = SPEC.format(kernel="fused").replace("max_seq = 2048 tokens", "max_seq = 2048 tokens; norm = layernorm")
    comp = compile_text(project, text, name="ln.plan")
    warnings = [d for d in comp.diagnostics.items if d.code == "W0202"]
    assert len(warnings) == 1 and "the model's norm is layernorm" in warnings[0].message
