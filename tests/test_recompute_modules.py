"""Selective recomputation by module: Megatron-Core's --recompute-modules (`parallel.recompute_modules`).

Independent sources:
- validation/data/megatron_recompute.json: the bytes one real Megatron-Core 0.16.1 TransformerLayer (local spec,
  CPU) keeps for backward with and without each module recomputed (validation/measure_megatron_recompute.py).
  Its unfused PyTorch ops keep more than the fused kernels capplan's `megatron` implementation models, so the
  comparisons are of module boundaries -- what a module's recomputation drops relative to another's -- not of
  absolute bytes.
- Megatron-Core's TransformerConfig (recompute_modules: default ["core_attn"]; mla_up_proj only with MLA; only
  with recompute_granularity selective) for the diagnostics.
- The FLOP counts of the recomputed modules follow from the model's own shapes (2 FLOPs per parameter and token,
  Narayanan et al. 2021 eq. 3): the recomputed forward of the dense MLP of Llama-2-7B's shape is
  2 x 3 x 4096 x 11008 FLOPs per token and layer.
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, compile_text, plan

DATA = json.loads((ROOT / "validation" / "data" / "megatron_recompute.json").read_text())
SHAPE = DATA["shape"]

MODELS = f"""
model small {{
  layers = 2
  hidden = {SHAPE['hidden']}
  heads = {SHAPE['heads']}
  kv_heads = {SHAPE['kv_heads']}
  ffn = {SHAPE['dense_ffn']}
  mlp = gated
  activation = silu
  vocab = 1000
  norm = rmsnorm
  position = rope
}}
model small_moe from small {{
  moe {{
    experts = {SHAPE['experts']}
    experts_per_token = {SHAPE['top_k']}
    expert_ffn = {SHAPE['expert_ffn']}
    shared_experts = {SHAPE['shared_ffn'] // SHAPE['expert_ffn']}
  }}
}}
"""


def _training(name: str, model: str, parallel: str, framework: str = "implementation = megatron",
              seq: int = SHAPE["seq"], batch: int = SHAPE["batch"]) -> str:
    return f"""
training {name} {{
  model = {model}
  gpu = h100_sxm
  gpus = 1
  precision = megatron_bf16
  seq_len = {seq} tokens
  micro_batch = {batch}
  global_batch = {batch}
  parallel {{ {parallel} }}
  framework {{ {framework} }}
  require not fits or fits
}}
"""


def _measured(layer: str, modules: list[str]) -> int:
    return next(p["saved_bytes"] for p in DATA["points"] if p["layer"] == layer and p["recompute_modules"] == modules)


def _per_layer(project, cases: dict[str, tuple[str, str]]) -> dict[str, float]:
    """Activation bytes of one layer per micro-batch, per plan."""
    comp = compile_text(project, MODELS + "".join(_training(n, m, par) for n, (m, par) in cases.items()))
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    out = {}
    for name, (model, _) in cases.items():
        figs = plan(comp, name)["figures"]
        key = "activations.per_layer.moe" if model == "small_moe" else "activations.per_layer"
        out[name] = figs[key]["value"]
    return out


def test_moe_recomputation_keeps_what_dense_mlp_recomputation_keeps(project):
    # measured: a MoE layer recomputing `moe` keeps exactly the bytes a dense layer recomputing `mlp` keeps
    # (the block's input and the attention half): the router, the routed copies, the experts and the shared
    # experts are all inside the checkpointed MoE layer
    assert _measured("moe", ["moe"]) == _measured("dense", ["mlp"])
    b = _per_layer(project, {"dense_mlp": ("small", "recompute = selective; recompute_modules = mlp"),
                             "moe_moe": ("small_moe", "recompute = selective; recompute_modules = moe"),
                             "moe_none": ("small_moe", "recompute = none"),
                             "dense_none": ("small", "recompute = none")})
    assert b["moe_moe"] == pytest.approx(b["dense_mlp"], rel=1e-12)
    assert b["moe_none"] > b["dense_none"] > b["dense_mlp"]


def test_shared_expert_recomputation_drops_what_an_mlp_of_its_width_drops(project):
    # measured: recomputing the shared experts drops (shared_ffn / dense_ffn) of what recomputing the dense MLP
    # drops: the same MLP module, narrower
    dense_drop = _measured("dense", []) - _measured("dense", ["mlp"])
    shared_drop = _measured("moe", []) - _measured("moe", ["shared_experts"])
    ratio = SHAPE["shared_ffn"] / SHAPE["dense_ffn"]
    assert shared_drop == pytest.approx(ratio * dense_drop, rel=1e-12)
    b = _per_layer(project, {"dense_none": ("small", "recompute = none"),
                             "dense_mlp": ("small", "recompute = selective; recompute_modules = mlp"),
                             "moe_none": ("small_moe", "recompute = none"),
                             "moe_shared": ("small_moe", "recompute = selective; recompute_modules = shared_experts")})
    assert b["moe_none"] - b["moe_shared"] == pytest.approx(ratio * (b["dense_none"] - b["dense_mlp"]), rel=1e-12)


def test_default_module_is_core_attention(project):
    # Megatron-Core: recompute_modules defaults to ["core_attn"]; naming it changes nothing
    b = _per_layer(project, {"default": ("small", "recompute = selective"),
                             "named": ("small", "recompute = selective; recompute_modules = [core_attn]")})
    assert b["default"] == b["named"]


def test_mlp_recomputation_repeats_the_mlp_forward(project):
    # Llama-2-7B's MLP: 3 x 4096 x 11008 weights; recomputed forward = 2 FLOPs per weight and token
    text = _training("core", "llama2_7b", "recompute = selective", seq=4096, batch=1) + _training(
        "mlp", "llama2_7b", "recompute = selective; recompute_modules = [core_attn, mlp]", seq=4096, batch=1)
    comp = compile_text(project, text)
    core, mlp = plan(comp, "core")["time"], plan(comp, "mlp")["time"]
    tokens = 4096
    extra = 2 * 3 * 4096 * 11008 * 32 * tokens
    assert mlp["hardware_flops_per_step"] - core["hardware_flops_per_step"] == pytest.approx(extra, rel=1e-9)
    assert mlp["model_flops_per_step"] == core["model_flops_per_step"]
    assert mlp["step_s"] > core["step_s"]


def test_without_core_attention_the_eager_scores_stay(project):
    # recompute_modules replaces the default list: without core_attn the eager kernel's probabilities are kept
    text = MODELS + _training("eager_mlp", "small", "recompute = selective; recompute_modules = mlp",
                              "implementation = megatron; attention = eager") + _training(
        "eager_core", "small", "recompute = selective", "implementation = megatron; attention = eager") + _training(
        "eager_none", "small", "recompute = none", "implementation = megatron; attention = eager")
    text += _training("flash_mlp", "small", "recompute = selective; recompute_modules = mlp") + _training(
        "flash_none", "small", "recompute = none")
    comp = compile_text(project, text)
    per = {n: plan(comp, n)["figures"]["activations.per_layer"]["value"]
           for n in ("eager_mlp", "eager_core", "eager_none", "flash_mlp", "flash_none")}
    probabilities = SHAPE["batch"] * SHAPE["heads"] * SHAPE["seq"] ** 2 * 2     # b a s^2, bf16
    assert per["eager_none"] - per["eager_core"] == pytest.approx(probabilities, rel=1e-12)
    # recomputing the MLP alone drops the same bytes under either kernel: the scores stay
    assert per["eager_none"] - per["eager_mlp"] == pytest.approx(per["flash_none"] - per["flash_mlp"], rel=1e-12)


@pytest.mark.parametrize("parallel, framework, words", [
    ("recompute = full; recompute_modules = mlp", "implementation = megatron", "recompute = full"),
    ("recompute = selective; recompute_modules = mlp", "implementation = transformers", "transformers"),
    ("recompute = selective; recompute_modules = mla_up_proj", "implementation = megatron", "mla_up_proj"),
    ("recompute = selective; recompute_modules = [mlp, moe]", "implementation = megatron", "`moe`"),
    ("recompute = selective; recompute_modules = [attention]", "implementation = megatron", "attention"),
])
def test_modules_megatron_would_refuse_are_diagnosed(project, parallel, framework, words):
    comp = compile_text(project, MODELS + _training("t", "small", parallel, framework))
    errors = comp.diagnostics.errors
    assert errors and words in errors[0].message + " ".join(errors[0].labels if hasattr(errors[0], "labels") else [])
    assert errors[0].span.line > 0
