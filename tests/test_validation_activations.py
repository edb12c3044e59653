"""Activations against PyTorch measurements of real transformers models.

Independent source: validation/data/activations.json, written by
validation/measure_activations.py: one forward pass (with the loss) of
LlamaForCausalLM, Qwen2ForCausalLM, MixtralForCausalLM and GPT2LMHeadModel
built from small configs, every tensor autograd saves recorded with
torch.autograd.graph.saved_tensors_hooks and de-duplicated by storage.
Recipes: bf16 weights, fp32 weights under bf16 autocast, fp32; attention
"eager" and "sdpa"; gradient checkpointing off and on. The engine's
per-layer and head figures must be within 5% for every configuration.
"""

from __future__ import annotations

import json

import pytest

from capplan.engine import activations as act
from capplan.check.values import Obj

from conftest import ROOT

DATA = json.loads((ROOT / "validation" / "data" / "activations.json").read_text())
RUNS = DATA["runs"]
RECIPES = {"bf16_weights": (2, 2), "fp32_weights_autocast_bf16": (4, 2), "fp32": (4, 4)}  # (rho, beta)


def model_of(run: dict) -> Obj:
    c = run["config"]
    if run["arch"] == "gpt2":
        h = c["n_embd"]
        fields = dict(hidden=h, heads=c["n_head"], kv_heads=c["n_head"], head_dim=h // c["n_head"],
                      ffn=c.get("n_inner") or 4 * h, mlp="plain", activation="gelu_new", norm="layernorm",
                      position="learned", code_path="gpt2", vocab=c["vocab_size"], layers=c["n_layer"])
    else:
        fields = dict(hidden=c["hidden_size"], heads=c["num_attention_heads"],
                      kv_heads=c["num_key_value_heads"],
                      head_dim=c.get("head_dim") or c["hidden_size"] // c["num_attention_heads"],
                      ffn=c["intermediate_size"], mlp="gated", activation="silu", norm="rmsnorm",
                      position="rope", code_path="llama", vocab=c["vocab_size"], layers=c["num_hidden_layers"])
    moe = {"experts": None}
    if run["arch"] == "mixtral":
        moe = {"experts": c["num_local_experts"], "experts_per_token": c["num_experts_per_tok"],
               "expert_ffn": c["intermediate_size"], "shared_ffn": 0, "dense_layers": 0}
    fields.update(parallel_block=False, dropout=0.0, attention_dropout=0.0, attention="mha",
                  moe=Obj("moe", "moe", None, moe))
    return Obj("model", run["arch"], None, fields)


def context(run: dict) -> act.Context:
    rho, beta = RECIPES[run["recipe"]]
    return act.Context(seq=run["seq"], batch=run["batch"], tp=1, sp=False, beta=beta,
                       kernel="eager" if run["attn_implementation"] == "eager" else "sdpa",
                       recompute="full" if run["gradient_checkpointing"] else "none",
                       impl="transformers", residual=rho)


def measured(run: dict, part: str) -> int:
    return run["by_part"][part]["activation_only"]["dedup_bytes"]


@pytest.mark.parametrize("run", RUNS, ids=[r["run_id"] for r in RUNS])
def test_layer_activations_within_5_percent(run):
    m, c = model_of(run), context(run)
    ours, _ = act.layer_bytes(m, c, moe_layer=run["arch"] == "mixtral")
    expected = measured(run, "layer.0")
    assert abs(ours - expected) / expected < 0.05, (ours, expected)


@pytest.mark.parametrize("run", [r for r in RUNS if not r["gradient_checkpointing"]],
                         ids=[r["run_id"] for r in RUNS if not r["gradient_checkpointing"]])
def test_head_and_loss_within_5_percent(run):
    m, c = model_of(run), context(run)
    from capplan.engine import activations_hf

    ours = sum(x.bytes for x in activations_hf.head_saved(m, c, loss_upcast=True))
    expected = measured(run, "final_norm") + measured(run, "lm_head") + measured(run, "loss")
    assert abs(ours - expected) / expected < 0.05, (ours, expected)


def test_the_corpus_covers_the_required_grid():
    archs = {r["arch"] for r in RUNS}
    assert {"llama", "mixtral", "gpt2", "qwen2"} <= archs
    assert {r["attn_implementation"] for r in RUNS} == {"eager", "sdpa"}
    assert {r["gradient_checkpointing"] for r in RUNS} == {True, False}
    assert set(RECIPES) == {r["recipe"] for r in RUNS}
