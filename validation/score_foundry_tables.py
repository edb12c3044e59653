"""Every BF16 row of llm-foundry's training benchmark tables, predicted by capplan: a check on figures no constant
was fitted on.

The rows: validation/published/llm_foundry_tables.json (170 runs of MosaicML's MPT, 760M to 70B parameters,
512 to 65,536 tokens, 8 to 512 A100 40 GB, A100 80 GB and H100 GPUs, PyTorch FSDP; transcribed by
published/build_foundry_tables.py from mosaicml/llm-foundry@c90b9b31 scripts/train/benchmarking/README.md). Ten
of them are records of the scored corpus (score_training.py, both halves); the other 160 chose nothing. Each row
becomes the plan score_training.py's `spec_foundry` writes (the MPT block, FULL_SHARD FSDP, Composer's mixed
precision, FlashAttention-2's kernels, the fused loss; SHARD_GRAD_OP as ZeRO-2 under the fsdp runtime), with the
registry's constants.

Scored: the time error implied by the published MFU, published / predicted - 1 (MFU is inversely proportional
to step time; negative = capplan optimistic), summarised by GPU and by activation checkpointing, where the
tables differ most (validation/README.md, "llm-foundry's tables").

Run from the repository root:
  python validation/score_foundry_tables.py          # write validation/published/foundry_tables_vs_published.{json,md}
  python validation/score_foundry_tables.py --check  # exit 1 if the committed files differ from a fresh run
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "validation"))
import score_training as S  # noqa: E402

PUBLISHED = ROOT / "validation" / "published"
TABLES = PUBLISHED / "llm_foundry_tables.json"
OUT_JSON, OUT_MD = PUBLISHED / "foundry_tables_vs_published.json", PUBLISHED / "foundry_tables_vs_published.md"
CATALOG = {"h100_80gb": "h100_sxm", "a100_80gb": "a100_80gb", "a100_40gb": "a100_40gb"}
ARCHITECTURE = {"h100_sxm": "hopper", "a100_80gb": "ampere", "a100_40gb": "ampere"}   # the GPU catalog's field


def record(row: dict) -> dict:
    """A table row in the shape score_training.spec_foundry reads (the corpus records' fields)."""
    return {"model": {"layers": row["layers"], "hidden": row["hidden"], "heads": row["heads"],
                      "ffn_hidden": 4 * row["hidden"], "vocab": 50368},
            "layout": {"seq_len": row["seq_len"], "micro_batch": row["micro_batch"],
                       "global_batch": row["global_batch"],
                       "recompute": "full" if row["activation_checkpointing"] else "none",
                       "precision": f"{row['precision']} ({row['mp_mode']})", "sharding": row["sharding"]},
            "hardware": {"gpus": row["gpus"], "catalog_gpu": CATALOG[row["gpu"]], "gpu_class": row["gpu"][:4],
                         "interconnect": "1600 Gbps RoCE" if "1600 Gbps" in row["table"] else None}}


def corpus_id(row: dict) -> str:
    return f"foundry_mpt{row['model']}_{row['gpu']}_seq{row['seq_len']}_{row['gpus']}gpu"


def score() -> dict:
    from capplan.pipeline import compile_files

    corpus = {r["id"] for r in json.loads((PUBLISHED / "corpus" / "training.json").read_text())["records"]}
    tables = json.loads(TABLES.read_text())
    rows, skipped = [], []
    for row in tables["rows"]:
        key = f"{row['table']} | {row['model']} | {row['seq_len']} | {row['gpus']}"
        text = S.spec_foundry(record(row), {})
        comp = compile_files(["foundry.plan"], read=lambda path, text=text: text)
        errors = [d.message for d in comp.diagnostics.errors]
        if errors or not comp.plans:
            skipped.append({"row": key, "reason": "; ".join(errors) or "no plan"})
            continue
        plan = comp.plans[0]
        mfu = plan["time"]["mfu"]
        rows.append({"row": key, "gpu": CATALOG[row["gpu"]], "checkpointing": row["activation_checkpointing"],
                     "in_corpus": corpus_id(row) in corpus, "published_mfu": row["mfu"],
                     "predicted_mfu": round(mfu, 4), "time_error": round(row["mfu"] / mfu - 1, 4),
                     "fits": bool(plan["fits"])})
    groups = {}
    for gpu in sorted({r["gpu"] for r in rows}):
        for ckpt in (False, True):
            errs = [r["time_error"] for r in rows if r["gpu"] == gpu and r["checkpointing"] == ckpt]
            if errs:
                groups[f"{gpu}, checkpointing {'on' if ckpt else 'off'}"] = summary(errs)
    groups["all"] = summary([r["time_error"] for r in rows])
    groups["not in the corpus"] = summary([r["time_error"] for r in rows if not r["in_corpus"]])
    return {"source": tables["source"], "groups": groups, "bands": bands(rows), "rows": rows, "skipped": skipped}


def bands(rows: list[dict]) -> dict:
    """The time band of a PyTorch FSDP plan by GPU architecture and recomputation: the 10th and 90th percentiles
    (score_training.BAND) of the signed time error over the rows outside the corpus, none of which a constant was
    fitted on (the registry's time_band_fsdp_* constants; engine/timing.py)."""
    out = {}
    for arch in ("ampere", "hopper"):
        for ckpt in (False, True):
            errs = [r["time_error"] for r in rows
                    if not r["in_corpus"] and ARCHITECTURE[r["gpu"]] == arch and r["checkpointing"] == ckpt]
            out[f"{arch}, recompute {'full' if ckpt else 'none'}"] = {
                "n": len(errs), "error_p10": round(S.percentile(errs, S.BAND[0]), 3),
                "error_p90": round(S.percentile(errs, S.BAND[1]), 3)}
    return out


def summary(errs: list[float]) -> dict:
    return {"n": len(errs), "median_abs": round(statistics.median(abs(e) for e in errs), 4),
            "worst_abs": round(max(abs(e) for e in errs), 4), "mean": round(statistics.fmean(errs), 4)}


def markdown(doc: dict) -> str:
    out = ["# llm-foundry's benchmark tables: predicted vs published", "",
           "Generated by `python validation/score_foundry_tables.py` (its docstring says which rows and how) from "
           f"`llm_foundry_tables.json` ({doc['source']}). Time error = published MFU / predicted MFU - 1; negative = "
           "capplan optimistic. No constant was fitted on these rows.", "",
           "| group | rows | time error median / worst / mean |", "| --- | ---: | --- |"]
    for name, g in doc["groups"].items():
        out.append(f"| {name} | {g['n']} | {g['median_abs']:.1%} / {g['worst_abs']:.1%} / {g['mean']:+.1%} |")
    out += ["", "Time bands of PyTorch FSDP plans (`time.band` of a plan whose runtime is fsdp, by GPU architecture "
            "and recomputation): the 10th / 90th percentiles of the time error over the rows outside the corpus.", "",
            "| architecture, recomputation | rows | 10th / 90th percentile |", "| --- | ---: | --- |"]
    for name, b in doc["bands"].items():
        out.append(f"| {name} | {b['n']} | {b['error_p10']:+.1%} / {b['error_p90']:+.1%} |")
    out += ["", "| table, model, seq, GPUs | checkpointing | in corpus | MFU published / predicted | time error |",
            "| --- | --- | --- | --- | ---: |"]
    for r in doc["rows"]:
        out.append(f"| {r['row']} | {'on' if r['checkpointing'] else 'off'} | {'yes' if r['in_corpus'] else ''} | "
                   f"{r['published_mfu']:.1%} / {r['predicted_mfu']:.1%} | {r['time_error']:+.1%} |")
    if doc["skipped"]:
        out += ["", "Left out:", ""] + [f"- {s['row']}: {s['reason']}" for s in doc["skipped"]]
    return "\n".join(out) + "\n"


def main() -> int:
    doc = score()
    text, md = json.dumps(doc, indent=1) + "\n", markdown(doc)
    if "--check" in sys.argv:
        same = OUT_JSON.exists() and OUT_JSON.read_text() == text and OUT_MD.read_text() == md
        print("foundry_tables_vs_published is " + ("up to date" if same else "stale: run the script"))
        return 0 if same else 1
    OUT_JSON.write_text(text)
    OUT_MD.write_text(md)
    for name, g in doc["groups"].items():
        print(f"{name}: {g['n']} rows, {g['median_abs']:.1%} / {g['worst_abs']:.1%} / {g['mean']:+.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
