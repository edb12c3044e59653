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

from capplan.engine import activations_hf
from capplan.engine.blocks.base import Context
from capplan.engine.layers import layer_bytes
from capplan.ir.blocks import Attention, Mlp, Moe, Norm, TransformerLayer

from conftest import ROOT

DATA = json.loads((ROOT / "validation" / "data" / "activations.json").read_text())
RUNS = DATA["runs"]
RECIPES = {"bf16_weights": (2, 2), "fp32_weights_autocast_bf16": (4, 2), "fp32": (4, 4)}  # (rho, beta)


def model_of(run: dict) -> tuple[TransformerLayer, int, int]:
    """The measured run's first layer as an IR block, its hidden size and vocabulary."""
    c = run["config"]
    if run["arch"] == "gpt2":
        h, a = c["n_embd"], c["n_head"]
        layer = TransformerLayer(Attention(a, a, h // a, rope=False),
                                 Mlp(c.get("n_inner") or 4 * h, gated=False, bias=True, activation="gelu_new"),
                                 Norm("layernorm", True), code_path="gpt2")
        return layer, h, c["vocab_size"]
    h, a = c["hidden_size"], c["num_attention_heads"]
    attention = Attention(a, c["num_key_value_heads"], c.get("head_dim") or h // a)
    if run["arch"] == "mixtral":
        ffn = Moe(c["num_local_experts"], c["num_experts_per_tok"], c["intermediate_size"])
    else:
        ffn = Mlp(c["intermediate_size"])
    return TransformerLayer(attention, ffn, Norm("rmsnorm")), h, c["vocab_size"]


def context(run: dict) -> Context:
    rho, beta = RECIPES[run["recipe"]]
    return Context(seq=run["seq"], batch=run["batch"], tp=1, sp=False, beta=beta,
                   kernel="eager" if run["attn_implementation"] == "eager" else "sdpa",
                   recompute="full" if run["gradient_checkpointing"] else "none",
                   impl="transformers", residual=rho)


def measured(run: dict, part: str) -> int:
    return run["by_part"][part]["activation_only"]["dedup_bytes"]


@pytest.mark.parametrize("run", RUNS, ids=[r["run_id"] for r in RUNS])
def test_layer_activations_within_5_percent(run):
    (layer, h, _vocab), c = model_of(run), context(run)
    ours, _ = layer_bytes(layer, h, c)
    expected = measured(run, "layer.0")
    assert abs(ours - expected) / expected < 0.05, (ours, expected)


@pytest.mark.parametrize("run", [r for r in RUNS if not r["gradient_checkpointing"]],
                         ids=[r["run_id"] for r in RUNS if not r["gradient_checkpointing"]])
def test_head_and_loss_within_5_percent(run):
    (layer, h, vocab), c = model_of(run), context(run)
    ours = sum(x.bytes for x in activations_hf.head_saved(layer.norm, h, vocab, c, loss_upcast=True))
    expected = measured(run, "final_norm") + measured(run, "lm_head") + measured(run, "loss")
    assert abs(ours - expected) / expected < 0.05, (ours, expected)


def test_the_corpus_covers_the_required_grid():
    archs = {r["arch"] for r in RUNS}
    assert {"llama", "mixtral", "gpt2", "qwen2"} <= archs
    assert {r["attn_implementation"] for r in RUNS} == {"eager", "sdpa"}
    assert {r["gradient_checkpointing"] for r in RUNS} == {True, False}
    assert set(RECIPES) == {r["recipe"] for r in RUNS}
