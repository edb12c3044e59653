"""`recompute = selective_op`: torchtitan's per-op selective activation checkpointing.

Source: pytorch/torchtitan@559a526 torchtitan/parallelisms/parallelize_llama.py. Each transformer block is
wrapped in torch.utils.checkpoint with a selective-checkpoint policy that saves the outputs of
aten.mm, the SDPA flash/efficient attention ops and reduce_scatter, "except every second mm", the mm count kept
per block; torchtitan/models/llama/model.py issues the block's mms as wq, wk, wv, wo, then w1, w3, w2
(FeedForward: w2(silu(w1(x)) * w3(x))). So a block keeps its input, the outputs of wq, wv, w1 and w2, and the
attention op's output and log-sum-exp; wk, wo, w3 and every memory-bound op are recomputed in backward.
The published consequences (torchtitan docs/performance.md, 64 A100s) are tested in tests/test_torchtitan_table.py.
"""

from __future__ import annotations

import pytest

from capplan.engine.activations_hf import op_selective
from capplan.engine.blocks.base import Context
from conftest import compile_text, plan, run_cli

SPEC = ("model m {{ layers = 4; hidden = 1024; heads = 16; kv_heads = 4; ffn = 2816; vocab = 32000; "
        "max_seq = 2048 tokens{model} }}\n"
        "training t {{ model = m; gpu = a100_80gb; gpus = {gpus}; precision = pure_bf16; seq_len = 2048 tokens; "
        "micro_batch = 2; global_batch = {batch}\n"
        "  parallel {{ recompute = {rc}{layout} }}{extra}\n  framework {{ loss_upcast = true{fw} }} }}\n")


def _spec(rc="selective_op", model="", layout="", fw="", gpus=1, extra=""):
    return SPEC.format(rc=rc, model=model, layout=layout, fw=fw, gpus=gpus, batch=2 * gpus, extra=extra)


def test_a_block_keeps_its_input_every_other_matmul_and_the_attention_output(project):
    comp = compile_text(project, _spec(), name="a.plan")
    w = comp.lowered("t")
    layer = w.model.blocks[0]
    tokens, h, a, k, d, f = 2048 * 2, 1024, 16, 4, 64, 2816
    c = Context(seq=2048, batch=2, tp=1, sp=False, beta=2.0, kernel="flash", recompute="selective_op",
                impl="transformers", residual=2.0)
    kept = {x.name: x.bytes for x in op_selective(layer, h, c)}
    expected = {"layer input (hidden states)": tokens * h * 2,
                "q projection output (kept by the per-op policy)": tokens * a * d * 2,       # wq, mm 1
                "v projection output (kept by the per-op policy)": tokens * k * d * 2,       # wv, mm 3
                "gate projection output (kept by the per-op policy)": tokens * f * 2,        # w1, mm 5
                "down projection output (kept by the per-op policy)": tokens * h * 2,        # w2, mm 7
                "attention output": tokens * a * d * 2, "softmax log-sum-exp (fp32)": tokens * a * 4}
    assert kept == expected
    # the plan holds those per layer and micro-batch in flight: between full recomputation and none
    p = {rc: plan(compile_text(project, _spec(rc), name=f"{rc}.plan"), "t")["ranks"][0]["memory"]["activations"]
         for rc in ("none", "selective_op", "full")}
    assert p["full"] < p["selective_op"] < p["none"]


def test_it_recomputes_the_other_matmuls_forward_and_no_attention(project):
    t = {rc: plan(compile_text(project, _spec(rc), name=f"t_{rc}.plan"), "t")["time"]
         for rc in ("none", "selective_op")}
    h, k, f, tokens = 1024, 4 * 64, 2816, 4096
    recomputed = 4 * 2 * (h * k + h * h + h * f) * tokens          # wk, wo, w3 in each of 4 layers
    extra = t["selective_op"]["hardware_flops_per_step"] - t["none"]["hardware_flops_per_step"]
    assert extra == pytest.approx(recomputed, rel=1e-9)
    assert t["selective_op"]["attention_s"] == t["none"]["attention_s"]


@pytest.mark.parametrize("model, layout, fw, gpus, extra, words", [
    ("", "", "; implementation = megatron", 1, "", "Megatron's fused layers recompute modules"),
    ("", "; tensor = 2", "", 2, "", "tensor parallelism is not supported yet"),
    ("", "", "; attention = eager", 1, "", "with eager attention there is none to keep"),
    ("; moe { experts = 8; experts_per_token = 2; expert_ffn = 1408 }", "", "", 1, "", "Llama-style layers only"),
    ("", "", "", 1, "\n  lora { rank = 16; targets = all }", "with LoRA is not supported yet"),
])
def test_where_it_is_not_modelled_it_says_so(project, model, layout, fw, gpus, extra, words):
    text = _spec(model=model, layout=layout, fw=fw, gpus=gpus, extra=extra)
    comp = compile_text(project, text, name="bad.plan")
    errors = [x for x in comp.diagnostics.items if x.code == "E0407"]
    assert len(errors) == 1 and words in errors[0].message, [x.message for x in comp.diagnostics.items]


def test_the_exports_say_what_to_run(project):
    project("e.plan", _spec())
    code, out, err = run_cli("export", str(project.root / "e.plan"), "t", "--to", "torchrun")
    assert code == 0, err
    assert "--activation-checkpointing selective_op" in out and "every other aten.mm" in out
    code, out, err = run_cli("export", str(project.root / "e.plan"), "t", "--to", "megatron")
    assert "Megatron-LM has none like it" in out + err


SEARCH = """
training t {
  model = llama2_13b
  gpu = a100_80gb
  gpus = 64
  precision = fsdp_bf16
  seq_len = 4096 tokens
  micro_batch = 4
  global_batch = 256
  parallel { data = 64; fsdp = true; recompute = full }
  framework { runtime = fsdp%s }
}
search s for t {
  vary tensor in [1, 2]
  vary pipeline in [1]
  vary zero in [3]
  vary micro_batch in [4]
  minimize step_time
}
"""


def test_a_search_of_pytorch_plans_weighs_the_per_op_policy_between_none_and_full(project):
    """Llama 2 13B on 64 A100s at micro-batch 4 (the plan: full recomputation): without recomputation it does not
    fit, the per-op policy does and costs less than full recomputation; with tensor parallelism it is refused
    (not modelled yet). The search's recompute values are its default space's."""
    from capplan.analyses.search import RECOMPUTE, default_space

    comp = compile_text(project, SEARCH % "", name="s.plan")
    assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
    [result] = comp.searches
    assert result["best"]["layout"]["recompute"] == "selective_op", result["best"]
    assert any("selective_op with tensor 2 is not supported yet" in r["reason"] for r in result["rejected"])
    # the default space of such a plan: the per-op policy in place of Megatron's modules, which drop nothing here
    w = comp.lowered("t")
    assert default_space(w, 8, 8)["recompute"] == ["none", "selective_op", "full"]
    megatron = compile_text(project, SEARCH % "; implementation = megatron", name="m.plan").lowered("t")
    assert default_space(megatron, 8, 8)["recompute"] == ["none", "selective", "full"]
    assert RECOMPUTE.index("selective_op") == 3


def test_the_kept_tensors_are_what_pytorch_keeps_under_the_policy():
    """validation/measure_selective_op.py runs a torchtitan-style Llama block (bf16, CPU) under
    torch.utils.checkpoint with torchtitan's policy and records the tensors still alive after the forward
    (validation/data/selective_op.json): MHA and GQA, two widths. capplan's per-op list, the block's input aside,
    is those bytes exactly, tensor by tensor; the input is what checkpointing keeps besides."""
    import json

    from capplan.ir.blocks import Attention, Mlp, TransformerLayer
    from conftest import ROOT

    runs = json.loads((ROOT / "validation" / "data" / "selective_op.json").read_text())["runs"]
    measured = [r for r in runs if r["mode"] == "selective_op"]
    assert len(measured) == 3
    for r in measured:
        layer = TransformerLayer(Attention(r["heads"], r["kv_heads"], r["hidden"] // r["heads"]), Mlp(r["ffn"]))
        c = Context(seq=r["seq"], batch=r["batch"], tp=1, sp=False, beta=2.0, kernel="flash",
                    recompute="selective_op", impl="transformers", residual=2.0)
        ours = op_selective(layer, r["hidden"], c)
        assert ours[0].name == "layer input (hidden states)" and ours[0].bytes == r["input_bytes"]
        assert sorted(x.bytes for x in ours[1:]) == sorted(t["bytes"] for t in r["tensors"])
    # and far less than the same block keeps without checkpointing
    none = {(r["hidden"], r["kv_heads"]): r["bytes"] for r in runs if r["mode"] == "none"}
    assert all(r["bytes"] < none[(r["hidden"], r["kv_heads"])] / 3 for r in measured)
