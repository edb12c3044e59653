"""Three parts of the training step's time that published runs showed missing or counted twice.

- The cross-entropy loss: fp32 passes over every logit (tokens x vocab / TP) on the last stage
  (`loss_traffic` bytes per logit), checked against Megatron-Core's own loss measured operator by operator.
- Megatron-LM's pipeline scatter/gather (2021-2023, without sequence parallelism): each tensor-parallel rank
  sends 1/TP of a stage's activations and the receiver all-gathers them, checked against Narayanan et al.
  2021 Figure 18.
- Eager attention: the eager kernel family's efficiency (FlashAttention-2's measurement of standard PyTorch
  attention, softmax and dropout included) already covers the score matrices' traffic, so the memory-bound
  term does not count them again.

Beside them: W0202, a framework switch (these and the other overlap switches) that the layout gives nothing to
act on, and a sequence classifier's loss (one row of classes per sequence, not the vocabulary per token).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from capplan.core import constants as K
from capplan.pipeline import compile_files

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "validation"))
from score_training import _plan, gpt_model  # noqa: E402  (the scored runs' spec templates)

GPT3_175B = {"layers": 96, "hidden": 12288, "heads": 96, "vocab": 51200, "seq_len": 2048}


def _time(model: dict, gpu: str, gpus: int, network: str, mb: int, gb: int, layout: str, **switches) -> dict:
    text = gpt_model(model) + _plan("published", gpu, gpus, network, model["seq_len"], mb, gb, layout, {},
                                    **switches)
    comp = compile_files(["published.plan"], read=lambda path: text)
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    return comp.plans[0]["time"]


def test_loss_traffic_is_what_megatron_cores_cross_entropy_moves():
    """validation/measure_loss_traffic.py ran Megatron-Core 0.16.1's vocab_parallel_cross_entropy forward and
    backward on bf16 logits and counted the bytes its operators read and wrote over the logits: 38 forward
    (upcast, max, subtract, exp, sum, divide) + 14 backward (scale, cast back) per logit element."""
    data = json.loads((ROOT / "validation" / "data" / "megatron_loss_traffic.json").read_text())
    assert data["megatron_core"] == "0.16.1"
    assert data["bytes_per_logit"]["forward"] == 38
    assert data["bytes_per_logit"]["backward"] == 14
    assert K.LOSS_TRAFFIC.value == data["bytes_per_logit"]["total"]


def test_the_loss_weighs_on_small_models_with_large_vocabularies_only():
    """The loss's share of the step follows vocab / (12 x layers x hidden) against the layers' FLOPs: about a
    tenth for the Megatron-LM H100 table's 1.7B model (vocabulary 131,072, hidden 2,048), under 1% for GPT-3
    175B (51,200 over TP 8). Without the term capplan gave the 1.7B run 52.8% MFU against 41% published."""
    small = {"layers": 24, "hidden": 2048, "heads": 16, "vocab": 131072, "seq_len": 4096}
    layout = "tensor = 1; pipeline = 1; data = 48; recompute = none; sequence_parallel = false; " \
             "distributed_optimizer = true"
    t = _time(small, "h100_sxm", 48, "400 Gbit/s", 1, 192, layout, tp_overlap=True)
    tokens = 192 * 4096 / 48
    loss_s = K.LOSS_TRAFFIC.value * tokens * 131072 / (3.35e12 * K.BANDWIDTH_EFFICIENCY.value)
    assert 0.08 < loss_s / t["step_s"] < 0.15
    assert t["elementwise_s"] > loss_s
    big = _time(GPT3_175B, "a100_80gb", 96, "200 Gbit/s", 1, 60,
                "tensor = 8; pipeline = 12; data = 1; recompute = full; sequence_parallel = false; "
                "distributed_optimizer = true", overlap=False)
    big_loss = K.LOSS_TRAFFIC.value * 60 * 2048 * 51200 / 8 / (2.039e12 * K.BANDWIDTH_EFFICIENCY.value)
    assert big_loss / big["step_s"] < 0.01


# Narayanan et al. 2021 Figure 18 (GPT-3 175B, 96 A100s, (t, p) = (8, 12), interleaved schedule): TFLOP/s per
# GPU with the scatter/gather optimisation at batch sizes 12 to 60, as read off the plot (the `search` tool's
# index, file 66461063384: "119/134/142/144/147"); section 5.7: "an improvement of up to 11% in throughput".
FIGURE_18 = {12: 119, 24: 134, 36: 142, 48: 144, 60: 147}


@pytest.mark.parametrize("batch", sorted(FIGURE_18))
def test_scatter_gather_matches_narayanan_figure_18(batch):
    """With the optimisation capplan is within 8% of the published curve at every batch size (the paper does
    not print the virtual stages: 2 taken, the fewest that interleave 8 layers per stage; full recomputation
    and eager attention, as its other runs), and without it slower. Not reproduced: the size of the gap --
    capplan's unoptimised runs are 2-4% slower, the paper's 10-12% (its whole-tensor sends cost more than a
    network link's bandwidth gives; noted in validation/README.md)."""
    layout = ("tensor = 8; pipeline = 12; data = 1; recompute = full; sequence_parallel = false; "
              "distributed_optimizer = true; schedule = interleaved; virtual_stages = 2")
    on = _time(GPT3_175B, "a100_80gb", 96, "200 Gbit/s", 1, batch, layout, overlap=False, scatter_gather=True,
               eager=True)
    off = _time(GPT3_175B, "a100_80gb", 96, "200 Gbit/s", 1, batch, layout, overlap=False, eager=True)
    tflops = on["hfu"] * on["peak_flops"] / 1e12
    assert tflops == pytest.approx(FIGURE_18[batch], rel=0.08)
    assert off["step_s"] > on["step_s"]
    assert off["communication_s"]["pipeline"] > 3 * on["communication_s"]["pipeline"]


def test_scatter_gather_does_nothing_with_sequence_parallelism():
    """Megatron-LM applied it only `not args.sequence_parallel` (megatron/p2p_communication.py before commit
    3c92fa93): with sequence parallelism each rank already holds and sends its 1/TP share."""
    layout = ("tensor = 8; pipeline = 12; data = 1; recompute = selective; sequence_parallel = true; "
              "distributed_optimizer = true")
    on = _time(GPT3_175B, "a100_80gb", 96, "200 Gbit/s", 1, 60, layout, scatter_gather=True)
    off = _time(GPT3_175B, "a100_80gb", 96, "200 Gbit/s", 1, 60, layout)
    assert on["step_s"] == off["step_s"]


def test_eager_attention_scores_are_not_streamed_twice():
    """Eager and flash attention move the same bytes in the memory-bound term; the eager family's slower
    attention (its efficiency covers the scores' softmax and dropout passes) is where they differ."""
    layout = "tensor = 8; pipeline = 1; data = 1; recompute = none; sequence_parallel = true; " \
             "distributed_optimizer = true"
    model = {"layers": 4, "hidden": 6144, "heads": 64, "vocab": 51200, "seq_len": 2048}
    eager = _time(model, "a100_80gb", 8, "200 Gbit/s", 1, 8, layout, eager=True)
    flash = _time(model, "a100_80gb", 8, "200 Gbit/s", 1, 8, layout)
    assert eager["elementwise_s"] == pytest.approx(flash["elementwise_s"])
    ratio = K.ATTENTION_EFFICIENCY.value / K.ATTENTION_EFFICIENCY_EAGER.value
    assert eager["attention_s"] == pytest.approx(flash["attention_s"] * ratio)


def test_the_megatron_export_says_scatter_gather_cannot_be_launched():
    """Megatron-LM at core_v0.15.3 and main has no --scatter-gather-tensors-in-pipeline (removed with commit
    3c92fa93, 2023-03-23): an export of a plan that assumes it warns instead of dropping it silently."""
    from capplan.tools.export.command import declaration_details, export

    layout = ("tensor = 8; pipeline = 12; data = 1; recompute = full; sequence_parallel = false; "
              "distributed_optimizer = true")
    text = gpt_model(GPT3_175B) + _plan("published", "a100_80gb", 96, "200 Gbit/s", 2048, 1, 60, layout, {},
                                        scatter_gather=True)
    comp = compile_files(["published.plan"], read=lambda path: text)
    plan = comp.plans[0]
    out = export(plan, "megatron", declaration_details(comp.checked.objects[plan["name"]]))
    assert any(w.startswith("pipeline_scatter_gather = true cannot be expressed") for w in out.warnings)
    commands = [line for line in out.text.splitlines() if not line.lstrip().startswith("#")]
    assert commands and not any("scatter-gather" in line for line in commands)


@pytest.mark.parametrize("layout,framework,idle", [
    ("tensor = 8; pipeline = 12; data = 1; sequence_parallel = true", "pipeline_scatter_gather = true",
     "pipeline_scatter_gather"),
    ("tensor = 8; pipeline = 12; data = 1; sequence_parallel = false", "pipeline_scatter_gather = true", None),
    ("tensor = 8; pipeline = 12; data = 1; sequence_parallel = false", "tp_comm_overlap = true", "tp_comm_overlap"),
    ("tensor = 8; pipeline = 12; data = 1; sequence_parallel = true", "moe_dispatcher = deepep", "moe_dispatcher"),
])
def test_a_switch_the_layout_gives_nothing_to_act_on_is_w0202(layout, framework, idle):
    text = gpt_model(GPT3_175B) + _plan("published", "a100_80gb", 96, "200 Gbit/s", 2048, 1, 60,
                                        layout + "; distributed_optimizer = true", {}).replace(
        "implementation = megatron", "implementation = megatron; " + framework)
    comp = compile_files(["published.plan"], read=lambda path: text)
    warned = [d for d in comp.diagnostics.items if d.code == "W0202"]
    assert [idle in d.message for d in warned] == ([True] if idle else [])
    assert comp.plans and not comp.diagnostics.errors


def test_a_classifier_pays_for_its_classes_not_the_vocabulary():
    """A sequence classifier's loss runs over one row of `classes` logits per sequence (engine/layers.head_bytes
    counts the same rows): BERT's 30,522-token vocabulary leaves its loss time alone."""
    def elementwise(vocab):
        text = f"""
model cls from bert_base {{ vocab = {vocab} }}
training t {{
  model = cls
  gpu = a100_80gb
  gpus = 1
  precision = megatron_bf16
  seq_len = 512 tokens
  global_batch = 32
  micro_batch = 32
  require not fits or fits
}}
"""
        comp = compile_files(["t.plan"], read=lambda path: text)
        assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
        return comp.plans[0]["time"]["elementwise_s"]

    assert elementwise(30522) == pytest.approx(elementwise(250000), rel=1e-9)
