"""llm-foundry's low-precision LayerNorm (`norm = low_precision_layernorm`, MPT's default) against PyTorch.

validation/data/low_precision_norm.json holds what a norm and the projections reading its output save for
backward, measured with torch.autograd.graph.saved_tensors_hooks on real CPU tensors
(validation/measure_low_precision_norm.py): nn.LayerNorm and llm-foundry's LPLayerNorm, fp32 weights under
bf16 autocast and bf16 weights, one to three projections. The engine's per-token bytes for the norm and its
output (engine/activations_hf.py `_norm` + `_norm_output`) must equal the measured h-sized tensors exactly;
the statistics (mean and 1/std) the engine counts in fp32, as CUDA keeps them for 16-bit inputs, where the
CPU kernel keeps them in the input's dtype: within 8 bytes a token.
"""

from __future__ import annotations

import json

import pytest

from capplan.engine.activations_hf import _norm, _norm_output
from capplan.engine.blocks.base import Context
from capplan.ir.blocks import Norm
from conftest import ROOT

DATA = json.loads((ROOT / "validation" / "data" / "low_precision_norm.json").read_text())
RUNS = [r for r in DATA["runs"] if r["norm"] in ("layernorm", "low_precision_layernorm")]
NORMS = {"layernorm": Norm("layernorm", True), "low_precision_layernorm": Norm("layernorm", True, low_precision=True)}
RESIDUAL = {"fp32_weights_autocast_bf16": 4.0, "bf16_weights": 2.0}


def _engine(run: dict) -> tuple[float, float]:
    """(bytes per token of h-sized tensors, of the statistics) the engine counts for the run."""
    c = Context(seq=run["tokens"], batch=1, tp=1, sp=False, beta=2.0, kernel="sdpa", recompute="none",
                impl="transformers", residual=RESIDUAL[run["recipe"]])
    norm, h = NORMS[run["norm"]], run["hidden"]
    saved = _norm(norm, h, c, "norm") + _norm_output(norm, h, c, "output", run["readers"])
    big = sum(s.bytes for s in saved if s.bytes >= run["tokens"] * h) / run["tokens"]
    return big, sum(s.bytes for s in saved) / run["tokens"] - big


@pytest.mark.parametrize("run", RUNS, ids=[f"{r['norm']}-{r['recipe']}-{r['readers']}" for r in RUNS])
def test_the_norm_and_its_readers_save_what_pytorch_saves(run):
    measured_big = sum(s["bytes"] for s in run["saved"] if s["bytes"] >= run["tokens"] * run["hidden"])
    measured_small = sum(s["bytes"] for s in run["saved"] if s["shape"][:2] == [2, 96] and
                         s["bytes"] < run["tokens"] * run["hidden"])   # per-token statistics, not weight casts
    big, stats = _engine(run)
    assert big == measured_big / run["tokens"]
    assert abs(stats - measured_small / run["tokens"]) <= 8


def test_the_low_precision_norm_saves_less_under_autocast_only():
    def per_token(norm, recipe, readers):
        r = next(x for x in DATA["runs"] if (x["norm"], x["recipe"], x["readers"]) == (norm, recipe, readers))
        return r["bytes_per_token"]
    # under autocast PyTorch's LayerNorm keeps the fp32 input and a bf16 cast per projection; LPLayerNorm one
    # bf16 input and one shared bf16 output: a third of the bytes at three readers
    assert per_token("low_precision_layernorm", "fp32_weights_autocast_bf16", 3) < \
        per_token("layernorm", "fp32_weights_autocast_bf16", 3) / 2
    # with bf16 weights and no autocast the two are the same module
    assert per_token("low_precision_layernorm", "bf16_weights", 3) == per_token("layernorm", "bf16_weights", 3)


# a small MPT-shaped model and a one-GPU training plan under autocast, with the norm to compare
SPEC = ("model m {{ layers = 4; hidden = 1024; heads = 16; ffn = 4096; vocab = 50368; mlp = plain; "
        "activation = gelu; position = alibi; max_seq = 2048 tokens; norm = {norm} }}\n"
        "training t {{ model = m; gpu = a100_80gb; gpus = 1; precision = torch_amp_bf16; "
        "seq_len = 2048 tokens; micro_batch = 4; global_batch = 4 }}\n")
BOTH = ("layernorm", "low_precision_layernorm")


def test_a_spec_states_it_and_a_plan_uses_it(project):
    from conftest import compile_text, plan

    plans = {norm: plan(compile_text(project, SPEC.format(norm=norm), name=f"{norm}.plan"), "t") for norm in BOTH}
    # the same weights (a LayerNorm with a bias), less kept for backward
    low, std = plans["low_precision_layernorm"], plans["layernorm"]
    assert low["model"]["params"]["total"] == std["model"]["params"]["total"]
    assert low["ranks"][0]["memory"]["activations"] < std["ranks"][0]["memory"]["activations"]


def test_calibration_digests_tell_the_norms_apart_and_keep_older_digests(project):
    """ir.fingerprint hashes the plan's repr: the new field stays out of a default Norm's repr (digests written
    before it existed still match) and joins the digest only when set."""
    from capplan.ir.fingerprint import configuration
    from conftest import compile_text

    assert "low_precision" not in repr(Norm("layernorm", True))
    digests = {norm: configuration(compile_text(project, SPEC.format(norm=norm), name=f"d_{norm}.plan").lowered("t"))
               for norm in BOTH}
    assert digests["layernorm"] != digests["low_precision_layernorm"]
