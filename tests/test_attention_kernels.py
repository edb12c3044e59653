"""FlashAttention-2 on Hopper: the attention kernel family's share of the peak depends on the GPU generation.

FlashAttention-2's kernels are written for Ampere's synchronous tensor cores; on an H100 they reach 35% of the
peak where FlashAttention-3, which uses Hopper's asynchronous wgmma and TMA, reaches 75% (Shah et al. 2024,
arXiv:2407.08608, abstract). capplan's `attention = flash` is the GPU's native fused kernel (FlashAttention-3
or cuDNN on Hopper: attention_efficiency, 60%, from Dao 2023 on the A100); `attention = flash2` is
FlashAttention-2's kernels, at attention_efficiency_flash2_hopper (35%, the paper's figure, not fitted) on a
Hopper or Blackwell GPU and at attention_efficiency elsewhere.

The check: every H100 row of llm-foundry's benchmark tables at 32,768 tokens or more (MosaicML MPT, PyTorch
FSDP, the gpu-flash2 extra: flash-attn 2.x; mosaicml/llm-foundry@c90b9b31 scripts/train/benchmarking/README.md,
table "H100 80GB BF16"), where attention is most of the step. None of these rows is in the scored corpus and
none chose a constant. With activation checkpointing capplan is within 6% of each published MFU with `flash2`
(1-5.3% since stop 36 charges full recomputation without the down projection, as PyTorch's non-reentrant
checkpoint runs it; 1-4% before) and 28-39% optimistic with the native kernel's share; the two rows without
checkpointing stay 13-15% optimistic, as the H100 rows without it do in those tables (validation/README.md: not
modelled).
The A100 rows of the same tables are unchanged by the family (FlashAttention-2 is the A100's native kernel).
"""

from __future__ import annotations

import json
import re
import sys

import pytest

from capplan.pipeline import compile_files
from conftest import ROOT

sys.path.insert(0, str(ROOT / "validation"))
import score_foundry_tables as F  # noqa: E402
import score_training as S  # noqa: E402

ROWS = json.loads(F.TABLES.read_text())["rows"]   # the README's rows, validation/published/llm_foundry_tables.json
# every H100 row at >= 32,768 tokens (table "H100 80GB BF16", 8 GPUs)
H100_LONG = [r for r in ROWS if r["table"] == "H100 80GB BF16" and r["seq_len"] >= 32768]
# table "A100 80GB with 1600 Gbps node-node interconnect (RoCE)": five of the same configurations
A100_PAIRS = {("7b", 65536), ("7b", 32768), ("3b", 65536), ("3b", 32768), ("1b", 32768)}
A100_LONG = [r for r in ROWS if r["table"].startswith("A100 80GB") and (r["model"], r["seq_len"]) in A100_PAIRS]


def mfu(row, attention: str) -> float:
    text = S.spec_foundry(F.record(row), {}).replace("attention = flash2", f"attention = {attention}")
    comp = compile_files(["mpt.plan"], read=lambda path: text)
    assert not comp.diagnostics.errors, [e.message for e in comp.diagnostics.errors]
    return comp.plans[0]["time"]["mfu"]


def time_error(row, predicted_mfu: float) -> float:
    return row["mfu"] / predicted_mfu - 1       # MFU is inversely proportional to step time


def ids(rows):
    return [f"{r['model']}-{r['seq_len']}" for r in rows]


def test_the_long_sequence_rows_are_the_eight_and_five_named():
    assert len(H100_LONG) == 8 and len(A100_LONG) == 5
    assert sum(r["activation_checkpointing"] for r in H100_LONG) == 6


@pytest.mark.parametrize("row", H100_LONG, ids=ids(H100_LONG))
def test_flashattention2_on_h100_meets_llm_foundrys_long_sequence_rows(row):
    with_flash2 = time_error(row, mfu(row, "flash2"))
    native = time_error(row, mfu(row, "flash"))
    assert abs(with_flash2) <= (0.06 if row["activation_checkpointing"] else 0.15)
    assert native <= -0.25                   # the native kernel's share: a quarter or more optimistic


@pytest.mark.parametrize("row", A100_LONG, ids=ids(A100_LONG))
def test_on_an_a100_flashattention2_is_the_native_kernel(row):
    assert mfu(row, "flash2") == mfu(row, "flash")
    assert abs(time_error(row, mfu(row, "flash2"))) <= 0.12


def test_the_catalog_names_every_gpus_generation():
    from capplan.check.schema import ARCHITECTURES
    for path in (ROOT / "compiler" / "catalog").glob("gpus_*.plan"):
        blocks = re.findall(r"^gpu (\w+) \{(.*?)^\}", path.read_text(), re.S | re.M)
        assert blocks
        for name, body in blocks:
            arch = re.search(r"^  architecture\s*= (\w+)", body, re.M)
            assert arch and arch.group(1) in ARCHITECTURES, (path.name, name)
