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
none chose a constant. With activation checkpointing capplan is within 5% of each published MFU with `flash2`
(1-4%) and 28-39% optimistic with the native kernel's share; the two rows without checkpointing stay 13-15%
optimistic, as the H100 rows without it do in those tables (validation/README.md: not modelled).
The A100 rows of the same tables are unchanged by the family (FlashAttention-2 is the A100's native kernel).
"""

from __future__ import annotations

import re
import sys

import pytest

from capplan.pipeline import compile_files
from conftest import ROOT

sys.path.insert(0, str(ROOT / "validation"))
import score_training as S  # noqa: E402

# MPT shapes (llmfoundry/models/mpt configs in the benchmark's yamls): d_model, n_layers, n_heads
SHAPES = {"760m": (1536, 24, 12), "1b": (2048, 24, 16), "3b": (2560, 32, 20), "7b": (4096, 32, 32),
          "13b": (5120, 40, 40)}
# (model, seq, micro-batch, global batch, activation checkpointing, published MFU) -- README rows, 8 GPUs
H100_LONG = [
    ("13b", 32768, 1, 24, True, 0.3168),
    ("7b", 65536, 1, 16, True, 0.2859),
    ("7b", 32768, 2, 32, True, 0.3094),
    ("3b", 65536, 1, 16, True, 0.2681),
    ("3b", 32768, 3, 144, True, 0.2884),
    ("1b", 65536, 1, 16, True, 0.2634),
    ("1b", 32768, 1, 32, False, 0.3354),
    ("760m", 32768, 1, 16, False, 0.3184),
]
# table "A100 80GB with 1600 Gbps node-node interconnect (RoCE)", the same configurations where it has them
A100_LONG = [
    ("7b", 65536, 1, 16, True, 0.4697),
    ("7b", 32768, 2, 32, True, 0.4946),
    ("3b", 65536, 1, 16, True, 0.4605),
    ("3b", 32768, 3, 144, True, 0.4718),
    ("1b", 32768, 1, 32, False, 0.5548),
]


def mfu(row, gpu: str, attention: str) -> float:
    name, seq, mb, gb, ckpt, _ = row
    d, layers, heads = SHAPES[name]
    rec = {"model": {"layers": layers, "hidden": d, "heads": heads, "ffn_hidden": 4 * d, "vocab": 50368},
           "layout": {"seq_len": seq, "micro_batch": mb, "global_batch": gb, "recompute": "full" if ckpt else "none",
                      "precision": "amp_bf16 (FSDP mixed precision DEFAULT)"},
           "hardware": {"gpus": 8, "catalog_gpu": gpu, "gpu_class": gpu[:4], "interconnect": None}}
    text = S.spec_foundry(rec, {}).replace("attention = flash2", f"attention = {attention}")
    comp = compile_files(["mpt.plan"], read=lambda path: text)
    assert not comp.diagnostics.errors, [e.message for e in comp.diagnostics.errors]
    return comp.plans[0]["time"]["mfu"]


def time_error(row, predicted_mfu: float) -> float:
    return row[-1] / predicted_mfu - 1       # MFU is inversely proportional to step time


@pytest.mark.parametrize("row", H100_LONG, ids=[f"{r[0]}-{r[1]}" for r in H100_LONG])
def test_flashattention2_on_h100_meets_llm_foundrys_long_sequence_rows(row):
    with_flash2 = time_error(row, mfu(row, "h100_sxm", "flash2"))
    native = time_error(row, mfu(row, "h100_sxm", "flash"))
    ckpt = row[4]
    assert abs(with_flash2) <= (0.05 if ckpt else 0.15)
    assert native <= -0.25                   # the native kernel's share: a quarter or more optimistic


@pytest.mark.parametrize("row", A100_LONG, ids=[f"{r[0]}-{r[1]}" for r in A100_LONG])
def test_on_an_a100_flashattention2_is_the_native_kernel(row):
    assert mfu(row, "a100_80gb", "flash2") == mfu(row, "a100_80gb", "flash")
    assert abs(time_error(row, mfu(row, "a100_80gb", "flash2"))) <= 0.12


def test_the_catalog_names_every_gpus_generation():
    from capplan.check.schema import ARCHITECTURES
    for path in (ROOT / "compiler" / "catalog").glob("gpus_*.plan"):
        blocks = re.findall(r"^gpu (\w+) \{(.*?)^\}", path.read_text(), re.S | re.M)
        assert blocks
        for name, body in blocks:
            arch = re.search(r"^  architecture\s*= (\w+)", body, re.M)
            assert arch and arch.group(1) in ARCHITECTURES, (path.name, name)
