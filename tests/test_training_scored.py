"""Training step time and MFU against published runs (issue 11 item 1), scored on the validation half.

The published figures are independent of capplan: iteration times and MFU printed by Korthikanti
et al. 2022 (arXiv:2205.05198) Tables 3 and 5, Narayanan et al. 2021 (arXiv:2104.04473) Tables 1 and
2, the Megatron-LM README's H100 table (Megatron-Core r0.8.0), the BLOOM-176B tr11 README and
NVIDIA's DGX Cloud benchmarking recipes (validation/published/, each figure with its source and
quote). Only the calibration half chose the fitted constants (matmul_efficiency, gemm_half_width);
these tests hold the validation half's errors under stated bounds.

Thresholds (validation half, |(predicted - published) / published|), set just above what the fit
reaches so a regression fails them:
  step time (where printed): median <= 5%, worst <= 18%
  time (step time, or the one a published MFU / TFLOP/s implies): median <= 4%, worst <= 17%
  MFU (where printed): median <= 9.5%, worst <= 20%
and the model is no longer optimistic on average: the mean signed time error is within +-4%
(it is -14% with the flat 75% efficiency), and the median time error is under 40% of the flat model's.
History: the bounds were 5% / 12%, 5% / 15%, 5% / 15% (and under a third) while the scorer put every run's
GPUs in one node (its cluster was declared but not used: every collective ran over NVLink). With the
placement fixed, the collective model, llm-foundry's FSDP runs and MegaScale's 8,192- and 12,288-GPU runs,
the worst case is the Megatron-LM H100 table's 32B run (capplan 24-31% pessimistic: its data-parallel
reduction, hidden only behind the last of 4 micro-batches at the micro-batch size 1 the scorer assumes,
the source printing none). The medians were 6% / 5% / 7% until the DGX Cloud Grok-1 runs (MoE, expert
parallel 8) joined, one in each half: the refit on the calibration half moved the constants from 0.66 / 125
to 0.64 / 100 (the loss surface is flat: 0.0677 against 0.0680 there), and the validation half's median time
error went from 4.7% to 6.0% while its mean |log error| went from 0.0750 to 0.0744. Then the cross-entropy
loss's traffic, eager attention for the 2021-22 papers' runs (its efficiency no longer counting the scores
twice) and Megatron-LM's pipeline scatter/gather joined the model: the refit gave 0.63 / 0 (calibration loss
0.0677 -> 0.0585), the time error went to 5.0% / 24.2% (from 6.1% / 28.5%), while the step-time subset went
to 8.3% / 15.8% (from 6.5% / 12.8%: MegaScale's baseline, 3 points more optimistic at the flatter GEMM
efficiency) and the MFU subset to 8.9% / 27.8% (from 8.2% / 28.5%). Then each GPU's measured achievable
matmul share (matmul_achievable: A100 86.9%, H100 80.3% of the peak) joined the GEMM model: the refit gave
0.81 / 150 of that share (calibration loss 0.0585 -> 0.0555), the validation half's time error went to
3.1% / 30.8% (mean |log error| 0.0770 -> 0.0692, 90th percentile 21.8% -> 17.0%), the step-time subset to
3.7% / 17.0% and the MFU subset to 5.6% / 27.4%: every figure better but the worst, the 32B run above, whose
GEMMs now run at the H100's lower share (28% -> 31%). Then the scorer stopped taking a micro-batch size the
source does not print as 1 and took capplan's own choice, the fastest of 1, 2, 4 and 8 that fits (the Megatron-LM
H100 table and Narayanan et al.'s Table 1 report tuned runs): the 32B run chose 4 (+30.8% -> -10.8%), the 16B 2
(+3.5% -> -9.2%), Narayanan's 3.6B, 7.5B and 18.4B 8; the fit stayed at 0.81 / 150 (calibration loss 0.0555 ->
0.0581), the validation half's time error went to 3.1% / 21.5% (worst: MPT-7B on 512 H100s, -21.5%) and its mean
from -2.3% to -3.8% (more optimistic: the bound above went from 3% to 4%). ZeRO-3 and FSDP then stopped being
charged a parameter gather after the step on top of their per-micro-batch gathers: MPT-7B -21.5% -> -22.1%.
Then llm-foundry's MPT blocks stated their low-precision LayerNorm (less activation traffic): the refit gave
0.78 / 100 (calibration loss 0.0583), the validation half's time error 3.7% / 22.0% / -2.9% (mean |log error|
0.0638 -> 0.0616), the step-time subset 4.9% / 16.5%, the MFU subset 5.5% / 28.2%. Then llm-foundry's runs
were described with the attention kernel they ran, FlashAttention-2 (`flash2`), which reaches 35% of an H100's
peak, not the 60% of the native kernels (Shah et al. 2024; tests/test_attention_kernels.py): the refit gave
0.83 / 200 (calibration loss 0.0578; 0.0585 at 0.78 / 100: a flat ridge), the validation half's time error
3.2% / 21.1% / -3.9% (MPT-7B on 512 H100s -22.5% -> -21.1%; -18.7% at the old constants), the step-time subset
3.9% / 16.7%, the MFU subset 6.1% / 26.8%. Then the MPT block became the benchmark's (learned positions and
biases: capplan's parameter count is the README's exactly) with MPT's fused cross-entropy (`loss_kernel = fused`:
fewer bytes than torch's loss moves): the fit stayed 0.83 / 200 (0.0576), the validation half 3.2% / 22.0% / -4.0%,
the MFU subset 6.1% / 28.1%. Then full recomputation stopped charging the memory-bound kernels the whole step twice
(the recomputed forward replays the forward's write and read, not the backward's): the refit gave 0.80 / 175
(calibration loss 0.0555), the validation half 3.2% / 20.0% / -2.5% (MPT-7B on 512 H100s -22.0% -> -20.0%), the
step-time subset 4.6% / 15.2%, the MFU subset 5.7% / 25.0%. Then MegaScale's Megatron-LM baseline ran
Megatron's unfused attention (the paper counts adopting FlashAttention-2 among its own changes): the refit gave
0.79 / 125 (calibration loss 0.0493), the validation half 3.7% / 20.0% / -2.8% (its MegaScale rows at 8,192 and
12,288 GPUs -15.2% -> -12.4% and -12.5%), the step-time subset 3.9% / 12.5%, the MFU subset 5.2% / 25.0%. Then
Narayanan et al.'s 2021 runs were described as Megatron-LM ran then (fp16 gradients all-reduced in fp16, no
distributed optimizer): the refit gave 0.79 / 150 (calibration loss 0.0489), the validation half 3.3% / 19.6% /
-2.0%, the step-time subset 4.5% / 11.5%, the MFU subset 4.9% / 24.4%. Then full recomputation under PyTorch's
non-reentrant checkpoint (llm-foundry's FSDP runs) stopped charging the down projection it never reruns (measured:
tests/test_checkpoint_early_stop.py): the refit gave 0.78 / 125 (calibration loss 0.0472), the validation half
4.0% / 19.2% / -2.5% (MPT-30B on 8 A100s +14.1% -> +5.4%, the H100 MPT-13B and 30B runs -6.1% and -11.9%), the
step-time subset 4.6% / 11.6%, the MFU subset 5.4% / 23.7%. Then the compute that hidden data-parallel traffic
runs under was slowed by Lee et al. 2025's measured 18.9% (`overlap_slowdown`, not fitted): the fit stayed
0.78 / 125 (calibration loss 0.0447), the validation half 3.1% / 16.0% / -1.4% (MPT-7B on 512 H100s -19.2% ->
-16.0%), the step-time subset 4.6% / 11.6%, the MFU subset 4.9% / 19.0%.
"""

from __future__ import annotations

import json
import statistics
import sys
from types import SimpleNamespace

import pytest

from capplan.core import constants as K
from capplan.engine import gemm
from capplan.ir.plan import Framework
from conftest import ROOT, check_committed

sys.path.insert(0, str(ROOT / "validation"))
import score_training as S  # noqa: E402

DOC = json.loads(S.OUT_JSON.read_text())


def half(name):
    return DOC["summary"][name]


def test_the_committed_table_is_what_the_script_writes():
    check_committed(S, "score_training.py")


def test_validation_half_step_time_and_mfu_errors_are_within_bounds():
    v = half("validation")
    assert v["runs"] >= 15
    assert v["after_step_s"]["median_abs"] <= 0.05 and v["after_step_s"]["worst_abs"] <= 0.18
    # worst: llm-foundry's MPT-7B on 512 H100s, -16.0% (validation/README.md)
    assert v["after_time"]["median_abs"] <= 0.04 and v["after_time"]["worst_abs"] <= 0.17
    assert v["after_mfu"]["median_abs"] <= 0.095 and v["after_mfu"]["worst_abs"] <= 0.20


def test_the_model_is_no_longer_optimistic_on_average():
    for name in ("validation", "all"):
        s = half(name)
        assert s["before_time"]["mean_signed"] < -0.12          # the flat 75% model: 13-14% optimistic
        assert abs(s["after_time"]["mean_signed"]) <= 0.04
        assert s["after_time"]["median_abs"] < s["before_time"]["median_abs"] * 0.4


def test_the_split_is_by_name_and_both_halves_hold_both_gpu_generations():
    runs = S.runs()
    assert [r["id"] for r in runs] == [r["id"] for r in S.runs()]       # deterministic
    for name in ("calibration", "validation"):
        rows = [r for r in runs if r["split"] == name]
        assert {r["gpu"] for r in rows} >= {"a100_80gb", "h100_sxm"}      # (and the MPT runs' a100_40gb)
        assert len({r["family"] for r in rows}) >= 4
    fams = sorted(S.FAMILIES)
    for r in runs:
        if r["source"] == "training_runs.json":
            members = sorted(x["id"] for x in runs if x["family"] == r["family"])
            f = fams.index(r["family"]) if r["family"] in S.FAMILIES else 0     # LATER_FAMILIES: their own order
            parity = (f + members.index(r["id"])) % 2
            assert r["split"] == ("calibration" if parity == 0 else "validation")


def test_the_registry_holds_the_calibration_half_fit_and_the_validation_band():
    rs = S.runs()
    ps = {r["id"]: S.parts(r) for r in rs}
    c, g, _ = S.fit([r for r in rs if r["split"] == "calibration"], ps)
    assert (c, g) == (K.MATMUL_EFFICIENCY.value, K.GEMM_HALF_WIDTH.value)
    assert (DOC["band"]["low"], DOC["band"]["high"]) == (K.TIME_BAND_LOW.value, K.TIME_BAND_HIGH.value)
    assert K.TIME_BAND_LOW.value < 0 < K.TIME_BAND_HIGH.value


def test_the_analytic_refit_matches_the_engine():
    """The fit's step time at the registry's constants is the engine's (engine/gemm.py written once) within
    0.5%: the fit rescales compute and the bubble and holds the exposed communication fixed, where the engine's
    overlap windows (the last micro-batch's backward, the weight-gradient GEMMs) move with compute; the
    published errors themselves are the engine's own figures."""
    for r in S.runs()[::7]:
        p = S.parts(r)
        assert S.step_at(p, K.MATMUL_EFFICIENCY.value, K.GEMM_HALF_WIDTH.value) == pytest.approx(
            S.evaluate(r, {})["step_s"], rel=5e-3)


def test_leave_one_family_out_is_reported():
    fams = {f["family"] for f in DOC["lofo"]}
    assert fams == {r["family"] for r in DOC["rows"]}
    assert statistics.median(f["median_abs"] for f in DOC["lofo"]) <= 0.08


@pytest.mark.parametrize("hidden", [1024, 4096, 12288])
def test_gemm_efficiency_falls_with_the_shard_width(hidden):
    # the shape model's form, of a GPU's achievable share (here 80%); half the ceiling at d = gemm_half_width
    gpu = SimpleNamespace(matmul_achievable=0.8)
    fw = Framework(overrides=(("gemm_half_width", 100.0),))
    effs = [gemm.gemm_efficiency(fw, gpu, hidden, tp) for tp in (1, 2, 4, 8)]
    assert effs == sorted(effs, reverse=True) and effs[0] > effs[-1]
    assert effs[0] < 0.8 * K.MATMUL_EFFICIENCY.value
    half = Framework(overrides=(("gemm_half_width", float(hidden)),))
    assert gemm.gemm_efficiency(half, gpu, hidden, 1) == pytest.approx(0.8 * K.MATMUL_EFFICIENCY.value / 2)


def test_eager_attention_is_slower_than_flash():
    for arch in ("ampere", "hopper"):
        gpu = SimpleNamespace(architecture=arch)
        eager, flash = Framework(attention="eager"), Framework()
        assert gemm.attention_efficiency(eager, gpu) < gemm.attention_efficiency(flash, gpu)


def test_flashattention2_is_slower_than_the_native_kernel_on_hopper_only():
    flash2, native = Framework(attention="flash2"), Framework()
    for arch, slower in (("ampere", False), ("ada", False), ("cdna3", False), ("hopper", True), ("blackwell", True)):
        gpu = SimpleNamespace(architecture=arch)
        assert (gemm.attention_efficiency(flash2, gpu) < gemm.attention_efficiency(native, gpu)) is slower


def test_a_calibration_on_one_run_does_not_narrow_the_band_for_the_others():
    # what the report says about calibrated plans rests on this: calibrated on one run, the family's other
    # runs come out with a wider spread than the published runs' band the engine applies
    o = DOC["one_run"]
    assert o["pairs"] >= 200 and {f["family"] for f in o["families"]} >= {"korthikanti2022", "narayanan2021_t1"}
    assert o["high"] - o["low"] > DOC["band"]["high"] - DOC["band"]["low"]
    assert (K.TIME_BAND_LOW.value, K.TIME_BAND_HIGH.value) == (DOC["band"]["low"], DOC["band"]["high"])
