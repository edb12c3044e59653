"""torchtitan's FSDP2 table (validation/published/torchtitan_performance.json, pytorch/torchtitan@559a526
docs/performance.md: Llama 2 13B and 70B on 64 A100 80GB GPUs): a second PyTorch FSDP source, none of whose
figures chose a constant.

- Memory: the 13B run without activation checkpointing ran (2,162 tokens/s per GPU) with torchtitan's preset
  norm, the fused Triton RMSNorm (train_configs/llama_13b.toml `norm_type = "fused_rmsnorm"`), which saves its
  input and the fp32 rstd (torchtitan/models/norms.py TritonFusedRMSNorm.forward: ctx.save_for_backward(x,
  weight, rstd)). capplan's plan of it fits with `norm_kernel = fused` and does not with PyTorch's RMSNorm,
  which keeps an fp32 copy of its input and the normalised input (measured on transformers' LlamaRMSNorm,
  validation/data/activations.json): the table's run is evidence for the fused kernel's smaller footprint.
- Time: the rows without and with full checkpointing within the FSDP time band of their GPU architecture and
  recomputation (time_band_fsdp_ampere_*, from llm-foundry's rows: -6.6% / +3.0% without, -5.6% / +17.7% with).
- torchtitan's per-op selective checkpointing (`recompute = selective_op`, tests/test_selective_op.py): its cost
  against no checkpointing as the 13B rows measured it, and the 70B runs' out-of-memory boundary.
"""

from __future__ import annotations

import json
import sys

from capplan.core import constants as K
from conftest import ROOT, check_committed

sys.path.insert(0, str(ROOT / "validation"))
import score_torchtitan as T  # noqa: E402

TABLE = json.loads(T.TABLE.read_text())
DOC = json.loads(T.OUT_JSON.read_text())


def test_the_committed_table_is_what_the_script_writes():
    check_committed(T, "score_torchtitan.py")


def test_the_transcription_quotes_every_row_of_the_table():
    assert len(TABLE["rows"]) == 7
    for r in TABLE["rows"]:
        published = f"{r['wps']} | {r['mfu']:.1%}" if r["wps"] else "OOM | OOM"
        assert r["quote"].startswith(f"| {r['model']} | {r['batch']}") and published in r["quote"], r["quote"]


def test_every_row_is_scored_and_the_assumed_ones_apart():
    stated = {r["row"] for r in DOC["rows"] if not r["assumed"]}
    assert stated == {"13B, batch 2, checkpointing no", "13B, batch 2, checkpointing selective op",
                      "70B, batch 2, checkpointing selective op", "70B, batch 1, checkpointing selective op",
                      "70B, batch 2, checkpointing full"}
    assert {r["row"] for r in DOC["rows"] if r["assumed"]} == {"13B, batch 2, checkpointing selective layer",
                                                             "70B, batch 2, checkpointing selective layer"}
    assert DOC["skipped"] == []


def test_selective_layer_checkpointing_at_torchtitans_default_every_other_block():
    """torchtitan's "selective layer" rows checkpoint every n-th block, n not in the table; at the default n = 2
    (config_manager.py) as `recompute_layers` = half the layers: the 13B run's 1,914 tokens/s per GPU within 3%,
    and the 70B run at batch 2 out of memory, as published."""
    assert DOC["assumed"]["every_nth"] == 2
    assert abs(_row("13B, batch 2, checkpointing selective layer")["time_error"]) < 0.03
    assert _row("13B, batch 2, checkpointing selective layer")["fits"]
    assert not _row("70B, batch 2, checkpointing selective layer")["fits"]
    assert DOC["assumed"]["fits_as_published"] == DOC["assumed"]["rows"] == 2


def _row(name: str) -> dict:
    return next(r for r in DOC["rows"] if r["row"] == name)


def test_the_per_op_policy_costs_what_torchtitan_measured():
    """13B at batch 2: selective op ran at 1,904 tokens/s per GPU against 2,162 without checkpointing, 0.881 of it;
    capplan's ratio (the recomputed k, output and up projections, every memory-bound kernel replayed) within 2%."""
    measured = 1904 / 2162
    ours = _row("13B, batch 2, checkpointing selective op")["predicted_wps"] / _row(
        "13B, batch 2, checkpointing no")["predicted_wps"]
    assert abs(ours / measured - 1) < 0.02


def test_the_70b_runs_fit_or_run_out_of_memory_as_the_table_says():
    """70B with selective op ran out of memory at batch 2 and ran at batch 1; with full checkpointing it ran at 2."""
    assert not _row("70B, batch 2, checkpointing selective op")["fits"]
    assert _row("70B, batch 1, checkpointing selective op")["fits"]
    assert _row("70B, batch 2, checkpointing full")["fits"]
    assert DOC["summary"]["fits_as_published"] == DOC["summary"]["rows"] == 5


def test_the_13b_run_fits_only_with_the_fused_norm_it_ran_with():
    row = next(r for r in DOC["rows"] if r["row"].startswith("13B"))
    assert row["norm_kernel"] == "fused" and row["fits"] and not row["fits_torch_norm"]
    # two norms a layer, 40 layers, 8,192 tokens of 5,120: an fp32 input copy and a bf16 normalised input that
    # the fused kernel does not keep (8 - 2 bytes a value, less the bf16 input it keeps instead), x 1.05 reserve
    assert 12.5 < row["peak_gib_torch_norm"] - row["peak_gib"] < 14


def test_time_errors_lie_in_the_fsdp_band_of_their_architecture_and_recomputation():
    for name, rc in (("13B, batch 2, checkpointing no", "none"), ("70B, batch 2, checkpointing full", "full")):
        r = _row(name)
        low, high = K.TIME_BAND_FSDP[("ampere", rc)]
        assert low.value <= r["time_error"] <= high.value, r
        assert abs(r["time_error"]) < 0.05


def test_the_per_op_rows_stay_within_their_known_errors():
    """Known and written down: the 13B per-op row 0.6% optimistic, the 70B one at batch 1 4.4% (torchtitan's
    70B reaches the same 355 tokens/s per GPU at batch 1 with the per-op policy as at batch 2 with full
    checkpointing, where capplan has the per-op run 5% faster; 10.8% before the overlap slowdown of stop 37,
    whose FSDP traffic is 38% of that run's compute); a regression beyond fails here."""
    assert -0.03 < _row("13B, batch 2, checkpointing selective op")["time_error"] < 0.03
    assert -0.07 < _row("70B, batch 1, checkpointing selective op")["time_error"] < 0
    assert DOC["summary"]["median_abs"] < 0.03 and DOC["summary"]["worst_abs"] < 0.06
