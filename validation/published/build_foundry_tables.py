"""Builds llm_foundry_tables.json (same folder): every BF16 row of llm-foundry's training benchmark tables.

Source: mosaicml/llm-foundry at commit c90b9b312c644dbde5c9e6eef75c6f1c117d8782,
scripts/train/benchmarking/README.md (the README the corpus's ten `llm_foundry_mpt` records quote). Its tables
list, per run, the MPT size, sequence length, GPUs, GPU type, MFU and HFU (percent), micro-batch size, gradient
accumulation, global batch, precision, FSDP mixed-precision mode, sharding strategy and activation
checkpointing. The BF16 tables are transcribed (H100 80GB large scale and H100 80GB; A100 80GB and A100 40GB on
the 1600 Gbps RoCE network); the H100 FP8 table is not (FP8 recipes are scored by score_training_fp8.py).

Run with the README on disk (fetched with the tool library's `fetch`, then
`git --git-dir=<mirror> show c90b9b31:scripts/train/benchmarking/README.md > README.md`):
  python3 validation/published/build_foundry_tables.py README.md           # write llm_foundry_tables.json
  python3 validation/published/build_foundry_tables.py README.md --check   # exit 1 if it differs
Standard library only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "llm_foundry_tables.json"
REF = "mosaicml/llm-foundry@c90b9b312c644dbde5c9e6eef75c6f1c117d8782:scripts/train/benchmarking/README.md"
# the MPT configurations the benchmark trains (scripts/train/yamls/pretrain/mpt-*.yaml): d_model, n_layers, n_heads
SHAPES = {"760m": (1536, 24, 12), "1b": (2048, 24, 16), "3b": (2560, 32, 20), "7b": (4096, 32, 32),
          "13b": (5120, 40, 40), "30b": (7168, 48, 64), "70b": (8192, 80, 64)}
TABLES = ("H100 80GB BF16 (Large Scale, >= 128 GPUs)", "H100 80GB BF16",
          "A100 80GB with 1600 Gbps node-node interconnect (RoCE)",
          "A100 40GB with 1600 Gbps node-node interconnect (RoCE)")
COLUMNS = ("model", "seq_len", "gpus", "gpu", "mfu", "hfu", "model_tflop", "micro_batch", "grad_accum",
           "global_batch", "samples_per_s", "tokens_per_s", "tokens_per_s_per_gpu", "global_batch_tokens",
           "precision", "mp_mode", "sharding", "activation_checkpointing", "activation_cpu_offload", "params")


def rows(readme: str) -> list[dict]:
    out, table = [], None
    for line in readme.splitlines():
        if line.startswith("## "):
            table = line[3:].strip()
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if table not in TABLES or len(cells) != len(COLUMNS) or cells[0] not in SHAPES:
            continue
        r = dict(zip(COLUMNS, cells))
        d, layers, heads = SHAPES[r["model"]]
        out.append({
            "table": table, "model": r["model"], "hidden": d, "layers": layers, "heads": heads,
            "seq_len": int(r["seq_len"]), "gpus": int(r["gpus"]), "gpu": r["gpu"],
            "mfu": round(float(r["mfu"]) / 100, 6), "hfu": round(float(r["hfu"]) / 100, 6),
            "micro_batch": int(r["micro_batch"]), "grad_accum": int(r["grad_accum"]),
            "global_batch": int(r["global_batch"]), "precision": r["precision"], "mp_mode": r["mp_mode"],
            "sharding": r["sharding"], "activation_checkpointing": r["activation_checkpointing"] == "True",
            "params": int(r["params"]), "quote": line.strip()})
    return out


def document(readme: str) -> dict:
    return {"source": REF,
            "url": "https://github.com/mosaicml/llm-foundry/blob/c90b9b312c644dbde5c9e6eef75c6f1c117d8782"
                   "/scripts/train/benchmarking/README.md",
            "mfu_convention": "README 'MFU': (3 x 2 x params x seq + 3 x layers x 4 x d_model x seq^2) x samples/s / "
                              "(GPUs x peak); HFU counts 4 instead of 3 with activation checkpointing",
            "shapes": "MPT d_model, n_layers, n_heads from scripts/train/yamls/pretrain/mpt-<size>.yaml; "
                      "ffn 4 x d_model, vocab 50368",
            "rows": rows(readme)}


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    text = json.dumps(document(Path(argv[0]).read_text()), indent=1) + "\n"
    if "--check" in argv:
        same = OUT.exists() and OUT.read_text() == text
        print("llm_foundry_tables.json is " + ("up to date" if same else "stale"))
        return 0 if same else 1
    OUT.write_text(text)
    print(f"wrote {OUT.name}: {len(json.loads(text)['rows'])} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
