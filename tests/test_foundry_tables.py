"""llm-foundry's benchmark tables (validation/published/llm_foundry_tables.json, 170 MPT runs of the README at
mosaicml/llm-foundry@c90b9b31): figures published by MosaicML, none of which chose a constant.

- Parameters: the README prints each run's NumParams; capplan's count of the MPT block the scorer writes
  (learned positions, biases, LayerNorm with bias, tied embeddings) is that number exactly, for every size and
  sequence length.
- Memory: every run in the tables ran, so each must fit in capplan's memory model on its GPU. Before the fused
  cross-entropy (`loss_kernel = fused`: MPT's default fused_crossentropy keeps the 16-bit logits, where
  torch's loss keeps an fp32 log-softmax and upcasts) 45 of the 164 FULL_SHARD runs did not.
- Time: the summary by GPU and activation checkpointing is held under bounds just above what capplan reaches, so
  a regression fails them. Known and written down (validation/README.md): H100 runs without checkpointing come
  out 15% optimistic on average, with it 7% (since stop 36, when full recomputation is charged as PyTorch's
  non-reentrant checkpoint runs it, without the down projection: it was 2%, and the A100 runs with it, 4-11%
  pessimistic before, came to -2% / +5%). The A100 80 GB runs without it went from 3.2% to 4.1% median in stop 34,
  when the calibration half's refit (after full recomputation's traffic, MegaScale's unfused attention and
  Narayanan et al.'s fp16 gradients were corrected) moved the GEMM constants from 0.83 / 200 to 0.79 / 150
  (0.78 / 125 since stop 36).
"""

from __future__ import annotations

import json
import sys

import pytest

from capplan.pipeline import compile_files
from conftest import ROOT, check_committed

sys.path.insert(0, str(ROOT / "validation"))
import score_foundry_tables as F  # noqa: E402
import score_training as S  # noqa: E402

ROWS = json.loads(F.TABLES.read_text())["rows"]
DOC = json.loads(F.OUT_JSON.read_text())


def test_the_committed_table_is_what_the_script_writes():
    check_committed(F, "score_foundry_tables.py")


def test_the_transcription_holds_every_bf16_row():
    assert len(ROWS) == 170
    assert {r["gpu"] for r in ROWS} == {"h100_80gb", "a100_80gb", "a100_40gb"}
    assert all(r["quote"].startswith(f"|  {r['model']} | {r['seq_len']} | {r['gpus']} | {r['gpu']} |") for r in ROWS)


@pytest.mark.parametrize("size", sorted({r["model"] for r in ROWS}))
def test_capplans_parameter_count_is_the_readmes(size):
    for row in (r for r in ROWS if r["model"] == size):
        text = S.spec_foundry(F.record(row), {})
        comp = compile_files(["mpt.plan"], read=lambda path, text=text: text)
        assert comp.plans[0]["model"]["params"]["total"] == row["params"], row["quote"]


def test_every_run_that_ran_fits():
    assert len(DOC["rows"]) == 170 and all(r["fits"] for r in DOC["rows"]) and not DOC["skipped"]


def test_time_errors_by_gpu_and_checkpointing_stay_within_bounds():
    g = DOC["groups"]
    assert g["all"]["n"] == 170 and g["not in the corpus"]["n"] == 160
    assert g["not in the corpus"]["median_abs"] <= 0.055 and g["all"]["worst_abs"] <= 0.28
    assert g["a100_80gb, checkpointing off"]["median_abs"] <= 0.045
    assert g["a100_40gb, checkpointing off"]["median_abs"] <= 0.03
    # the overlap slowdown (stop 37) moved the A100 runs with checkpointing away (7.6% -> 8.6%, 3.6% -> 4.0%)
    assert g["a100_80gb, checkpointing on"]["median_abs"] <= 0.09
    assert g["a100_40gb, checkpointing on"]["median_abs"] <= 0.045
    assert g["h100_sxm, checkpointing on"]["median_abs"] <= 0.045
    assert g["h100_sxm, checkpointing off"]["median_abs"] <= 0.13
