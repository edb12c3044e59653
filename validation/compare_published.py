"""Predicted vs published training throughput: capplan's time model against papers.

Reads validation/published/training_runs.json (published runs with their full
parallel layout), builds a capplan spec for each, evaluates it, and writes
validation/published/predicted_vs_published.json and .md: the step time and
MFU (or TFLOP/s per GPU) each source reports, next to capplan's prediction,
with the error, and the median and worst error. The engine's named constants
(core/constants.py) are used as they are; two of them (matmul_efficiency,
gemm_half_width) were fitted on the calibration half of these and further runs by
validation/score_training.py, which scores the halves separately.

Run from the repository root: python validation/compare_published.py [--check]
(--check: exit 1 if the committed files differ from a fresh run; the test suite does this).
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PUBLISHED = ROOT / "validation" / "published"

# Runs whose source states the whole layout (tensor, pipeline, data, micro-batch, recompute).
SELECTED = ("korthikanti2022_", "narayanan2021_t2_", "bloom176b_")
GPUS = {"A100": "a100_80gb", "H100": "h100_sxm"}
NETWORK = {"bloom176b_": "50 Gbit/s", "default": "200 Gbit/s"}  # per GPU, per direction


def spec_for(run: dict) -> str:
    m, lay, hw = run["model"], run["layout"], run["hardware"]
    gpu = next(v for k, v in GPUS.items() if k in hw["gpu"])
    rc = lay.get("activation_recompute") or ""
    recompute = "selective" if rc.startswith("selective") else "full" if rc.startswith("full") else "none"
    v = lay.get("virtual_stages_per_pipeline_rank") or 1
    per_node = hw.get("gpus_per_node") or 8
    network = next((n for k, n in NETWORK.items() if run["id"].startswith(k)), NETWORK["default"])
    layout = (f"tensor = {lay['tensor']}; pipeline = {lay['pipeline']}; data = {lay['data']}; "
              f"recompute = {recompute}; sequence_parallel = {str(bool(lay.get('sequence_parallel'))).lower()}; "
              f"distributed_optimizer = true"
              + (f"; schedule = interleaved; virtual_stages = {v}" if v > 1 else ""))
    return f"""
model published {{
  layers = {m['layers']}
  hidden = {m['hidden']}
  heads = {m['heads']}
  ffn = {m.get('ffn_hidden') or 4 * m['hidden']}
  vocab = {m['vocab']}
  mlp = plain
  activation = gelu
  norm = layernorm
  qkv_bias = true
  out_bias = true
  mlp_bias = true
  position = learned
  max_seq = {m['seq_len']} tokens
  tied_embeddings = true
}}
cluster published_cluster {{
  gpu = {gpu}
  gpus_per_node = {per_node}
  nodes = {-(-hw['gpus_total'] // per_node)}
  inter_node = {network}
}}
training run {{
  model = published
  cluster = published_cluster
  precision = megatron_bf16
  seq_len = {m['seq_len']} tokens
  micro_batch = {lay.get('micro_batch') or 1}
  global_batch = {lay['global_batch']}
  parallel {{ {layout} }}
  framework {{ implementation = megatron }}
  require not fits or fits
}}
"""


def predict(run: dict) -> dict:
    from capplan.pipeline import compile_files

    text = spec_for(run)
    comp = compile_files(["published.plan"], read=lambda path: text)
    errors = [d.message for d in comp.diagnostics.errors]
    if errors or not comp.plans:
        return {"error": "; ".join(errors) or "no plan"}
    t = comp.plans[0]["time"]
    return {"step_s": t["step_s"], "mfu": t["mfu"], "hfu": t["hfu"],
            "hardware_tflops_per_gpu": t["hfu"] * t["peak_flops"] / 1e12}


def rows() -> list[dict]:
    runs = json.loads((PUBLISHED / "training_runs.json").read_text())["runs"]
    out = []
    for run in runs:
        if not run["id"].startswith(SELECTED):
            continue
        meas = run["measured"]
        pred = predict(run)
        row = {"id": run["id"], "gpus": run["hardware"]["gpus_total"], "model": run["model"]["name"],
               "layout": {k: run["layout"].get(k) for k in ("tensor", "pipeline", "data", "micro_batch",
                                                           "global_batch", "sequence_parallel")},
               "recompute": run["layout"].get("activation_recompute"), "predicted": pred, "published": {}}
        if meas.get("iteration_time_s"):
            row["published"]["step_s"] = meas["iteration_time_s"]
        if meas.get("mfu"):
            row["published"]["mfu"] = meas["mfu"]
        if meas.get("tflops_per_gpu") and not meas.get("mfu"):
            row["published"]["hardware_tflops_per_gpu"] = meas["tflops_per_gpu"]
        row["error"] = {k: (pred[k] - v) / v for k, v in row["published"].items() if k in pred}
        out.append(row)
    return out


def summary(table: list[dict]) -> dict:
    def stats(key):
        errs = [abs(r["error"][key]) for r in table if key in r["error"]]
        return {"n": len(errs), "median": statistics.median(errs), "worst": max(errs)} if errs else None

    return {"step_time": stats("step_s"), "mfu": stats("mfu"),
            "throughput": stats("hardware_tflops_per_gpu"), "configurations": len(table)}


def markdown(table: list[dict], s: dict) -> str:
    lines = ["# Predicted vs published training throughput", "",
             "Generated by `python validation/compare_published.py` from `training_runs.json`; "
             "capplan's named constants as they are (matmul_efficiency and gemm_half_width were fitted on the "
             "calibration half by `validation/score_training.py`; this table mixes both halves, "
             "`training_vs_published.md` scores them apart). Errors are (predicted - published) / "
             "published. MFU counts model FLOPs only; the TFLOP/s column counts recomputation too "
             "(Narayanan et al.'s Eq. 3), as the sources do.", "",
             "| run | GPUs | TP x PP x DP | recompute | step time published / predicted | MFU published / predicted "
             "| TFLOP/s per GPU published / predicted |", "| --- | ---: | --- | --- | --- | --- | --- |"]
    for r in table:
        p, q, e, lay = r["published"], r["predicted"], r["error"], r["layout"]

        def cell(key, fmt):
            if key not in p:
                return ""
            return f"{fmt(p[key])} / {fmt(q[key])} ({e[key]:+.0%})"

        lines.append(f"| {r['id']} | {r['gpus']} | {lay['tensor']} x {lay['pipeline']} x {lay['data']} | "
                     f"{(r['recompute'] or '').split(' ')[0]} | {cell('step_s', lambda x: f'{x:.2f} s')} | "
                     f"{cell('mfu', lambda x: f'{x:.1%}')} | {cell('hardware_tflops_per_gpu', lambda x: f'{x:.0f}')} |")
    lines.append("")
    for key, label in (("step_time", "step time"), ("mfu", "MFU"), ("throughput", "TFLOP/s per GPU")):
        if s[key]:
            lines.append(f"- {label}: {s[key]['n']} configurations, median error {s[key]['median']:.1%}, "
                         f"worst {s[key]['worst']:.1%}")
    return "\n".join(lines) + "\n"


def main() -> int:
    table = rows()
    s = summary(table)
    doc = json.dumps({"rows": table, "summary": s}, indent=1, sort_keys=True) + "\n"
    md = markdown(table, s)
    paths = (PUBLISHED / "predicted_vs_published.json", PUBLISHED / "predicted_vs_published.md")
    if "--check" in sys.argv:
        return 0 if paths[0].read_text() == doc and paths[1].read_text() == md else 1
    paths[0].write_text(doc)
    paths[1].write_text(md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
