"""The time band of a PyTorch FSDP plan comes from llm-foundry's published runs of its kind.

Independent source: llm-foundry's benchmark tables (validation/published/llm_foundry_tables.json, MosaicML's BF16
MPT runs under PyTorch FSDP), none of which a constant was fitted on. By GPU architecture and recomputation, the
10th and 90th percentiles of capplan's signed step-time error over the 160 rows outside the corpus
(validation/score_foundry_tables.py `bands`) are the registry's time_band_fsdp_* constants: on Hopper without
recomputation capplan is 10-21% optimistic there, 1-17% with it (a gap it does not explain,
validation/README.md), so such a plan's band lies wholly above its point estimate. Every other plan keeps the validation half's band.
"""

from __future__ import annotations

import json
import sys

import pytest

from capplan.core import constants as K
from capplan.pipeline import compile_files
from conftest import ROOT, report_markdown

sys.path.insert(0, str(ROOT / "validation"))
import score_foundry_tables as F  # noqa: E402

BANDS = json.loads(F.OUT_JSON.read_text())["bands"]


def _spec(gpu: str, parallel: str, precision: str = "fsdp_bf16", name: str = "t") -> str:
    return f"""
training {name} {{
  model = llama2_7b
  gpu = {gpu}
  gpus = 8
  precision = {precision}
  seq_len = 2048 tokens
  micro_batch = 1
  global_batch = 8
  parallel {{ {parallel} }}
  require not fits or fits
}}
"""


def _band(gpu: str, parallel: str, precision: str = "fsdp_bf16") -> dict:
    text = _spec(gpu, parallel, precision)
    comp = compile_files(["band.plan"], read=lambda path: text)
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    return comp.plans[0]["time"]


@pytest.mark.parametrize("key", sorted(K.TIME_BAND_FSDP))
def test_the_registry_holds_the_committed_percentiles(key):
    arch, recompute = key
    low, high = K.TIME_BAND_FSDP[key]
    band = BANDS[f"{arch}, recompute {recompute}"]
    assert (low.value, high.value) == (band["error_p10"], band["error_p90"])
    assert f"the {band['n']} BF16 MPT runs" in low.source and not low.overridable


@pytest.mark.parametrize("gpu,arch", [("h100_sxm", "hopper"), ("a100_80gb", "ampere")])
@pytest.mark.parametrize("recompute", ["none", "full"])
def test_an_fsdp_plan_takes_the_band_of_its_architecture_and_recomputation(gpu, arch, recompute):
    t = _band(gpu, f"data = 8; fsdp = true; recompute = {recompute}")
    low, high = K.TIME_BAND_FSDP[(arch, recompute)]
    band = t["band"]
    assert band["basis"] == f"published: llm-foundry's FSDP runs, {arch}, recompute {recompute}"
    assert (band["error_p10"], band["error_p90"]) == (low.value, high.value)
    assert band["step_high_s"] == pytest.approx(t["step_s"] / (1 + low.value))
    assert band["step_low_s"] == pytest.approx(t["step_s"] / (1 + high.value))


def test_on_hopper_without_recomputation_the_whole_band_lies_above_the_estimate():
    t = _band("h100_sxm", "data = 8; fsdp = true; recompute = none")
    assert t["step_s"] < t["band"]["step_low_s"] < t["band"]["step_high_s"]


@pytest.mark.parametrize("gpu,parallel,precision", [
    ("h100_sxm", "data = 8; distributed_optimizer = true", "megatron_bf16"),   # Megatron
    ("h100_sxm", "data = 8; zero = 1", "deepspeed_bf16"),                       # DeepSpeed
    ("b200", "data = 8; fsdp = true; recompute = none", "fsdp_bf16"),           # no FSDP runs on Blackwell
    ("h100_sxm", "data = 8; fsdp = true; recompute = selective", "fsdp_bf16"),  # none with selective
])
def test_every_other_plan_keeps_the_validation_halfs_band(gpu, parallel, precision):
    band = _band(gpu, parallel, precision)["band"]
    assert band["basis"] == "published"
    assert (band["error_p10"], band["error_p90"]) == (K.TIME_BAND_LOW.value, K.TIME_BAND_HIGH.value)


def test_the_report_warns_that_the_band_lies_above_the_estimate(project):
    md = report_markdown(project, _spec("h100_sxm", "data = 8; fsdp = true; recompute = none", name="f"))
    assert ("f: on llm-foundry's published FSDP runs of this kind capplan's step time came out 9.3% to 17.4% "
            "short") in md
