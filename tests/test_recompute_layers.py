"""Full recomputation of some layers: `recompute_layers` (Megatron-LM's --recompute-method block
--recompute-num-layers; torchtitan's "selective layer" checkpointing of every n-th block).

Megatron-Core's TransformerConfig: "block will recompute the input activations for only a set number of transformer
layers per pipeline stage. The rest of the layers in the pipeline stage will not have any activations recomputed"
(megatron/core/transformer/transformer_config.py, recompute_method). So a stage with k of its L layers recomputed
keeps k layers' inputs and L - k layers' whole activations, and replays the forward of k layers: both figures lie
on the line between no recomputation and full recomputation, at k / L. Checked against a published run in
tests/test_torchtitan_table.py (torchtitan's 13B "selective layer" row, at its default of every other block).
"""

from __future__ import annotations

import pytest

from capplan.pipeline import compile_files
from capplan.tools.export.command import export_plan

PLAN = """
training t {{
  model        = llama2_13b
  gpu          = a100_80gb
  gpus         = 8
  precision    = {precision}
  seq_len      = 4096 tokens
  micro_batch  = 1
  global_batch = {global_batch}
  parallel {{ {parallel} }}
  framework {{ {framework} }}
}}
"""


def _compile(parallel: str, precision="fsdp_bf16", framework="runtime = fsdp", global_batch=8):
    text = PLAN.format(parallel=parallel, precision=precision, framework=framework, global_batch=global_batch)
    return compile_files(["t.plan"], read=lambda path: text)


def _plan(parallel: str, **kw) -> dict:
    comp = _compile(parallel, **kw)
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    return comp.plans[0]


def _activations(plan: dict) -> float:
    """The activations a rank holds at the end of the forward (whatever phase its peak falls in)."""
    return max(r["activation_bytes"] for r in plan["ranks"])


FSDP = "data = 8; fsdp = true"


@pytest.mark.parametrize("k", [10, 20, 30])
def test_a_share_of_the_layers_lies_between_none_and_full_at_that_share(k):
    none, full = _plan(f"{FSDP}; recompute = none"), _plan(f"{FSDP}; recompute = full")
    part = _plan(f"{FSDP}; recompute = full; recompute_layers = {k}")
    share = k / 40
    assert _activations(part) == pytest.approx(share * _activations(full) + (1 - share) * _activations(none))
    # the replayed forward, and with it the step's compute, in proportion
    for key in ("compute_s", "hardware_flops_per_step"):
        assert part["time"][key] == pytest.approx(share * full["time"][key] + (1 - share) * none["time"][key])
    assert part["layout"]["recompute_layers"] == k


def test_every_layer_is_full_recomputation():
    full, every = _plan(f"{FSDP}; recompute = full"), _plan(f"{FSDP}; recompute = full; recompute_layers = 40")
    assert every["peak_bytes"] == full["peak_bytes"] and every["time"]["step_s"] == full["time"]["step_s"]


def test_counted_per_model_chunk_of_a_pipeline_stage():
    """Megatron's count is per pipeline stage (per virtual chunk with the interleaved schedule): 2 of each of a
    stage's 2 chunks of 5 layers replays 4 of its 10 layers."""
    mega = "implementation = megatron"
    base = "tensor = 2; pipeline = 4; schedule = interleaved; virtual_stages = 2"
    kw = dict(precision="megatron_bf16", framework=mega, global_batch=16)
    none, full = _plan(f"{base}; recompute = none", **kw), _plan(f"{base}; recompute = full", **kw)
    part = _plan(f"{base}; recompute = full; recompute_layers = 2", **kw)
    assert part["time"]["hardware_flops_per_step"] == pytest.approx(
        0.4 * full["time"]["hardware_flops_per_step"] + 0.6 * none["time"]["hardware_flops_per_step"])


@pytest.mark.parametrize("parallel,message", [
    (f"{FSDP}; recompute = selective; recompute_layers = 4", "recompute_layers with recompute = selective"),
    (f"{FSDP}; recompute = none; recompute_layers = 4", "recompute_layers with recompute = none"),
    (f"{FSDP}; recompute = full; recompute_layers = 41", "a model chunk holds at most 40"),
    ("pipeline = 4; recompute = full; recompute_layers = 11", "a model chunk holds at most 10"),
])
def test_a_count_that_means_nothing_is_refused(parallel, message):
    comp = _compile(parallel)
    errors = [d for d in comp.diagnostics.errors]
    assert errors and errors[0].code == "E0407" and message in errors[0].message


def test_exports_name_the_layers():
    mega = _plan("tensor = 8; recompute = full; recompute_layers = 6", precision="megatron_bf16",
                 framework="implementation = megatron")
    args = export_plan(mega, "megatron")
    assert "--recompute-granularity full" in args and "--recompute-method block" in args
    assert "--recompute-num-layers 6" in args
    fsdp = export_plan(_plan(f"{FSDP}; recompute = full; recompute_layers = 20"), "torchrun")
    assert "--activation-checkpointing full" in fsdp and "--checkpoint-layers 20" in fsdp
