"""torchtitan's FSDP2 table, predicted by capplan: a second PyTorch FSDP source, on which no constant was fitted.

The rows: validation/published/torchtitan_performance.json (pytorch/torchtitan@559a526 docs/performance.md: Llama 2
13B and 70B on 64 A100 80GB GPUs, FSDP2 alone, local batch 2 or 1, sequence 4096; the JSON's `setup` says how the
run was configured and where each setting is read). Each row whose activation checkpointing capplan can state
(none, full) becomes a plan: the catalog's Llama 2 model, fully sharded data parallelism over the 64 GPUs in nodes
of 8 (`fsdp = true`, the fsdp runtime), MixedPrecisionPolicy(param_dtype = bf16, reduce_dtype = fp32) as
`fsdp_bf16`, SDPA's flash kernel, the fp32 logits torchtitan's forward returns, and each preset's norm kernel
(13B: the fused Triton RMSNorm, `norm_kernel = fused`; 70B: PyTorch ops). Activation checkpointing: none, full,
and torchtitan's "selective op" policy (every other matmul's output and the attention's kept, the rest
recomputed) as `recompute = selective_op`; its "selective layer" policy checkpoints every n-th block, and the table
does not state n: those rows are scored at n = 2, the default of `--activation_checkpoint.selective_ac_option`
(torchtitan/config_manager.py at the same commit: "2 = checkpoint every other layer"), as full recomputation of
half the layers (`recompute_layers`), marked assumed and summarised apart.

Scored: the time error implied by the published tokens per second per GPU (WPS), published / predicted - 1
(negative = capplan optimistic), and whether the plan fits where the table reports a throughput (it ran) or not
where it reports an out-of-memory. For the row run with the fused norm, the peak with PyTorch's norm is shown too: the difference
between a run that fits and one that does not.

Run from the repository root:
  python validation/score_torchtitan.py          # write validation/published/torchtitan_vs_published.{json,md}
  python validation/score_torchtitan.py --check  # exit 1 if the committed files differ from a fresh run
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
TABLE = PUBLISHED / "torchtitan_performance.json"
OUT_JSON, OUT_MD = PUBLISHED / "torchtitan_vs_published.json", PUBLISHED / "torchtitan_vs_published.md"
GPUS, SEQ = 64, 4096
# torchtitan's activation checkpointing as the table names it -> capplan's recompute
RECOMPUTE = {"no": "none", "full": "full", "selective op": "selective_op", "selective layer": "full"}
# "selective layer" checkpoints every n-th block (parallelize_llama.py checkpoint_wrapper, `_count % every_x_layer`);
# the table gives no n: torchtitan's default, 2, is assumed (config_manager.py selective_ac_option default "2")
EVERY_NTH_ASSUMED = 2
LAYERS = {"llama2_13b": 40, "llama2_70b": 80}   # the catalog's (and Meta's config.json) num_hidden_layers
GIB = 2 ** 30


def spec(row: dict, norm_kernel: str | None = None) -> str:
    """The plan of a table row (its recompute must be one RECOMPUTE names)."""
    kernel = norm_kernel or row["norm_kernel"]
    layout = f"data = {GPUS}; fsdp = true; recompute = {RECOMPUTE[row['activation_checkpointing']]}"
    if row["activation_checkpointing"] == "selective layer":
        layout += f"; recompute_layers = {LAYERS[row['catalog_model']] // EVERY_NTH_ASSUMED}"
    return S._plan(row["catalog_model"], "a100_80gb", GPUS, S.NETWORK["A100"], SEQ, row["batch"],
                   row["batch"] * GPUS, layout, {}, precision="fsdp_bf16",
                   framework=f"runtime = fsdp; norm_kernel = {kernel}")


def plan_of(text: str) -> dict:
    from capplan.pipeline import compile_files

    comp = compile_files(["torchtitan.plan"], read=lambda path, text=text: text)
    errors = [d.message for d in comp.diagnostics.errors]
    if errors or not comp.plans:
        raise SystemExit("score_torchtitan: " + ("; ".join(errors) or "no plan"))
    return comp.plans[0]


def score() -> dict:
    table = json.loads(TABLE.read_text())
    rows, skipped = [], []
    for row in table["rows"]:
        key = f"{row['model']}, batch {row['batch']}, checkpointing {row['activation_checkpointing']}"
        if row["activation_checkpointing"] not in RECOMPUTE:
            skipped.append({"row": key, "published": row["wps"] if row["wps"] is not None else "OOM",
                            "reason": "capplan cannot state this checkpointing"})
            continue
        plan = plan_of(spec(row))
        assumed = row["activation_checkpointing"] == "selective layer"
        per_gpu = plan["time"]["tokens_per_s"] / GPUS
        ran = row["wps"] is not None
        out = {"row": key, "norm_kernel": row["norm_kernel"], "ran": ran, "published_wps": row["wps"],
               "predicted_wps": round(per_gpu, 1), "time_error": round(row["wps"] / per_gpu - 1, 4) if ran else None,
               "published_mfu": row["mfu"], "predicted_mfu": round(plan["time"]["mfu"], 4),
               "peak_gib": round(plan["peak_bytes"] / GIB, 2), "fits": bool(plan["fits"]), "assumed": assumed}
        if row["norm_kernel"] != "torch" and RECOMPUTE[row["activation_checkpointing"]] == "none":
            torch_norm = plan_of(spec(row, "torch"))
            out["peak_gib_torch_norm"] = round(torch_norm["peak_bytes"] / GIB, 2)
            out["fits_torch_norm"] = bool(torch_norm["fits"])
        rows.append(out)
    stated = [r for r in rows if not r["assumed"]]
    errors = [abs(r["time_error"]) for r in stated if r["ran"]]
    summary = {"n": len(errors), "median_abs": round(statistics.median(errors), 4), "worst_abs": max(errors),
               "fits_as_published": sum(r["fits"] == r["ran"] for r in stated), "rows": len(stated)}
    guessed = [r for r in rows if r["assumed"]]
    assumed = {"every_nth": EVERY_NTH_ASSUMED, "rows": len(guessed),
               "time_errors": [r["time_error"] for r in guessed if r["ran"]],
               "fits_as_published": sum(r["fits"] == r["ran"] for r in guessed)}
    return {"source": table["source"], "summary": summary, "assumed": assumed, "rows": rows, "skipped": skipped}


def markdown(doc: dict) -> str:
    out = ["# torchtitan's FSDP2 table: predicted vs published", "",
           "Generated by `python validation/score_torchtitan.py` (its docstring says how each row becomes a plan) "
           f"from `torchtitan_performance.json` ({doc['source']}). Time error = published WPS / predicted WPS - 1; "
           "negative = capplan optimistic. No constant was fitted on these rows. 64 A100 80GB GPUs, FSDP2, "
           "sequence 4096.", "",
           f"Time error over the {doc['summary']['n']} rows that ran: median {doc['summary']['median_abs']:.1%}, worst "
           f"{doc['summary']['worst_abs']:.1%}. Fits or not as the table reports: {doc['summary']['fits_as_published']} "
           f"of {doc['summary']['rows']} rows. Apart, the {doc['assumed']['rows']} \"selective layer\" rows "
           "(marked *), "
           f"whose n the table does not give, at torchtitan's default n = {doc['assumed']['every_nth']} (every other "
           "block fully recomputed, `recompute_layers` = half the layers): time error "
           + (", ".join(f"{e:+.1%}" for e in doc["assumed"]["time_errors"]) or "none")
           + f"; fits or not as the table reports: {doc['assumed']['fits_as_published']} of {doc['assumed']['rows']}.",
           "",
           "| model, batch, activation checkpointing | norm kernel | WPS published / predicted | time error | "
           "MFU published / predicted | peak per GPU | fits (the run did) |",
           "| --- | --- | --- | ---: | --- | ---: | --- |"]
    for r in doc["rows"]:
        if r["ran"]:
            wps, err = f"{r['published_wps']:,} / {r['predicted_wps']:,.0f}", f"{r['time_error']:+.1%}"
            mfu = f"{r['published_mfu']:.1%} / {r['predicted_mfu']:.1%}"
        else:
            wps, err, mfu = f"OOM / {r['predicted_wps']:,.0f}", "", f"OOM / {r['predicted_mfu']:.1%}"
        out.append(f"| {r['row']}{' *' if r['assumed'] else ''} | {r['norm_kernel']} | {wps} | {err} | {mfu} | "
                   f"{r['peak_gib']:.1f} GiB | "
                   f"{'yes' if r['fits'] else 'no'} ({'yes' if r['ran'] else 'no: out of memory'}) |")
    for r in doc["rows"]:
        if "peak_gib_torch_norm" in r:
            out += ["", f"{r['row']} with PyTorch's RMSNorm instead of the fused kernel: {r['peak_gib_torch_norm']:.1f} "
                        f"GiB per GPU, {'fits' if r['fits_torch_norm'] else 'does not fit'} in 80 GiB (the eager "
                        "norm keeps an fp32 copy of its input and the normalised input besides)."]
    if doc["skipped"]:
        out += ["", "Not expressible:", ""] + [f"- {s['row']} (published: {s['published']}): {s['reason']}"
                                                for s in doc["skipped"]]
    return "\n".join(out) + "\n"


def main() -> int:
    doc = score()
    return S.write_or_check(OUT_JSON, OUT_MD, json.dumps(doc, indent=1) + "\n", markdown(doc))


if __name__ == "__main__":
    sys.exit(main())
