"""Predicted vs published training throughput of FP8 runs, split into a calibration and a validation half.

The runs: the NeMo performance summary's FP8 pre-training rows of the corpus
(validation/published/corpus/training.json, family nemo_performance_summary: NeMo 24.07 on DGX H100,
Transformer Engine FP8 with delayed scaling; the current-scaling rows of 25.11, 26.04.01 and 26.06 that
Megatron-Bridge keeps, on DGX H100, DGX B200 and GB200 NVL72) whose model capplan's catalog holds (Llama 3 70B
and 8B as llama3_1_70b and llama3_1_8b: the same layers, widths and vocabulary). Each is a Megatron plan with the
record's precision on nodes of the record's GPUs per NVLink domain with 400 Gb/s per GPU, built by
score_training.py's own plan template, and the corpus's `split` decides its half.

What is fitted: `fp8_gemm_factor`, the share of the GEMM shape model's efficiency (fitted on the BF16 runs,
score_training.py) that FP8 GEMMs reach of the FP8 peak; attention runs at the BF16 peak (engine/timing.py
attention_precision). It minimises the mean |log(predicted / published time)| over the calibration half
only (--fit, grid 0.50-1.00 by 0.01); the validation half is scored at the registry's value. Time error:
published tokens/s per GPU / predicted - 1 (negative = optimistic). Few runs: six in each half.

Run from the repository root:
  python validation/score_training_fp8.py          # write validation/published/training_fp8_vs_published.{json,md}
  python validation/score_training_fp8.py --check  # exit 1 if the committed files differ from a fresh run
  python validation/score_training_fp8.py --fit    # the calibration-half fit
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "validation"))
import score_training as S  # noqa: E402

OUT_JSON = S.PUBLISHED / "training_fp8_vs_published.json"
OUT_MD = S.PUBLISHED / "training_fp8_vs_published.md"
FAMILY = "nemo_performance_summary"
SAME_SHAPE = {"Llama 3 70B": "llama3_1_70b",       # catalog models with the same layers, widths and vocabulary
              "Llama 3 8B": "llama3_1_8b"}
# The precision each table's "FP8" is: NeMo 24.07's FP8 recipe (Transformer Engine, bf16 parameters), and the
# later containers' fp8_cs (current scaling, fp8 primary weights, bf16 gradient reduction: nemo_fp8_cs)
PRECISIONS = {"FP8": "megatron_fp8", "FP8-CS": "nemo_fp8_cs"}
# What a later container's recipe sets beyond the table (the records' notes cite the recipe files): its pipeline
# layout per rank, and TP communication overlap (userbuffers). The 70B layout 'Et*2|(t*2|)*34,t*3|(t*2|)*3,tL'
# puts chunks r, r + 8, ... on rank r: 10, 10, 10, 11, 10, 10, 10, 9 layers; the 405B split counts the embedding
# and the loss as layers: (126 + 2) / 64 chunks, one decoder layer less on the first and the last rank.
RECIPES = {
    "nemo2604_llama3_70b_fp8cs_64gpu": "; layers_per_stage = [10, 10, 10, 11, 10, 10, 10, 9]",
    "nemo2606_llama31_405b_fp8cs_1024gpu": "; layers_per_stage = [15, 16, 16, 16, 16, 16, 16, 15]",
    "nemo2511_llama31_405b_fp8cs_1024gpu_h100": "; layers_per_stage = [15, 16, 16, 16, 16, 16, 16, 15]",
    "nemo2511_llama31_405b_fp8cs_128gpu_b200": "; layers_per_stage = [15, 16, 16, 16, 16, 16, 16, 15]",
    "nemo2511_llama31_405b_fp8cs_256gpu_gb200": "; layers_per_stage = [7" + ", 8" * 14 + ", 7]",
}
# Megatron-Bridge's recipes (26.x and 25.11) run TP communication overlap wherever TP > 1
BRIDGE = ("nemo25", "nemo26")
NETWORK = "400 Gbit/s"      # one 400 Gb/s ConnectX-7 per GPU: DGX H100 and B200; assumed for GB200 (corpus notes)
GRID = [round(0.50 + 0.01 * i, 2) for i in range(51)]


def runs() -> list[dict]:
    corpus = json.loads((S.PUBLISHED / "corpus" / "training.json").read_text())["records"]
    out = []
    for rec in sorted(corpus, key=lambda r: r["id"]):
        lay = rec.get("layout") or {}
        model = rec["model"]["catalog"] or SAME_SHAPE.get(rec["model"]["name"])
        if rec["family"] != FAMILY or lay.get("precision") not in PRECISIONS or not model:
            continue
        published = next(q["value"] for q in rec["measured"] if q["quantity"] == "tokens_per_s_per_gpu")
        out.append({"id": rec["id"], "split": rec["split"], "model": model, "gpus": rec["hardware"]["gpus"],
                    "layout": f"{lay['tensor']} x {lay['pipeline']} x {lay['data']}" + (
                        f" x CP {lay['context']}" if (lay.get("context") or 1) > 1 else ""),
                    "published_tokens_per_s_per_gpu": published, "record": rec})
    return out


def predicted_tokens_per_s_per_gpu(run: dict, factor: float | None = None) -> float:
    from capplan.pipeline import compile_files

    rec, lay = run["record"], run["record"]["layout"]
    overrides = {} if factor is None else {"fp8_gemm_factor": factor}
    text = S._plan(run["model"], rec["hardware"]["catalog_gpu"], run["gpus"], NETWORK, lay["seq_len"],
                   lay["micro_batch"], lay["global_batch"],
                   S._layout(lay, "none", lay["tensor"] > 1, lay.get("virtual_stages") or 1, lay.get("context") or 1)
                   + RECIPES.get(rec["id"], ""), overrides, precision=PRECISIONS[lay["precision"]],
                   tp_overlap=rec["id"].startswith(BRIDGE) and lay["tensor"] > 1,
                   per_node=rec["hardware"].get("gpus_per_node") or 8)
    comp = compile_files(["published.plan"], read=lambda path: text)
    errors = [d.message for d in comp.diagnostics.errors]
    if errors or not comp.plans:
        raise RuntimeError(f"{run['id']}: " + ("; ".join(errors) or "no plan"))
    return comp.plans[0]["time"]["tokens_per_s"] / run["gpus"]


def time_error(run: dict, factor: float | None = None) -> float:
    return run["published_tokens_per_s_per_gpu"] / predicted_tokens_per_s_per_gpu(run, factor) - 1


def fit(rs: list[dict]) -> tuple[float, float]:
    best = min((statistics.fmean(abs(math.log1p(time_error(r, f))) for r in rs), f) for f in GRID)
    return best[1], best[0]


def score() -> dict:
    from capplan.core import constants as K

    rows = []
    for r in runs():
        rows.append({"id": r["id"], "split": r["split"], "model": r["model"], "gpus": r["gpus"],
                     "layout": r["layout"], "published_tokens_per_s_per_gpu": r["published_tokens_per_s_per_gpu"],
                     "predicted_tokens_per_s_per_gpu": round(predicted_tokens_per_s_per_gpu(r), 1),
                     "time_error": round(time_error(r), 4), "time_error_factor_1": round(time_error(r, 1.0), 4)})
    summary = {}
    for half in ("calibration", "validation"):
        errs = [x["time_error"] for x in rows if x["split"] == half]
        summary[half] = {"runs": len(errs), "median_abs": statistics.median(abs(e) for e in errs),
                         "worst_abs": max(abs(e) for e in errs), "mean_signed": statistics.fmean(errs)}
    return {"fp8_gemm_factor": K.FP8_GEMM_FACTOR.value, "rows": rows, "summary": summary}


def markdown(doc: dict) -> str:
    lines = ["# FP8 training throughput: predicted vs published", "",
             "Generated by `python validation/score_training_fp8.py` (its docstring says which runs, how they are "
             f"split and what is fitted). fp8_gemm_factor {doc['fp8_gemm_factor']:g}, fitted on the calibration "
             "half; `factor 1` is the same engine with FP8 GEMMs as efficient as BF16 ones. Time error = "
             "published tokens/s per GPU / predicted - 1; negative = optimistic.", "",
             "| half | runs | time error median / worst / mean |", "| --- | ---: | --- |"]
    for half, s in doc["summary"].items():
        lines.append(f"| {half} | {s['runs']} | {s['median_abs']:.1%} / {s['worst_abs']:.1%} / "
                     f"{s['mean_signed']:+.1%} |")
    lines += ["", "| run | half | GPUs | TP x PP x DP | tokens/s per GPU published / predicted | time error | "
              "factor 1 |", "| --- | --- | ---: | --- | --- | ---: | ---: |"]
    for r in doc["rows"]:
        lines.append(f"| {r['id']} | {r['split']} | {r['gpus']} | {r['layout']} | "
                     f"{r['published_tokens_per_s_per_gpu']:g} / {r['predicted_tokens_per_s_per_gpu']:g} | "
                     f"{r['time_error']:+.1%} | {r['time_error_factor_1']:+.1%} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    if "--fit" in sys.argv:
        cal = [r for r in runs() if r["split"] == "calibration"]
        f, loss = fit(cal)
        print(f"calibration half ({len(cal)} runs): fp8_gemm_factor {f:g}, mean |log error| {loss:.4f}")
        return 0
    doc = score()
    return S.write_or_check(OUT_JSON, OUT_MD, json.dumps(doc, indent=1, sort_keys=True) + "\n", markdown(doc))


if __name__ == "__main__":
    raise SystemExit(main())
