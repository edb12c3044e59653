"""capplan's predicted peak memory against measure_gpu.py's measured one, case by case.

    .venv/bin/python validation/gpu/compare_gpu.py RESULTS.json [--markdown OUT.md]

For each training case of RESULTS.json the measured config becomes a capplan `model` block and the
case a `training` plan on one large GPU (as tests/peak_harness.py does for the CPU MemTracker corpus),
compiled twice: with cuda_context = 0 and allocator_overhead = 0 (predicted *allocated* peak, against
torch.cuda.max_memory_allocated) and with the default allocator overhead (predicted *reserved* peak,
against max_memory_reserved). Measured figures are taken relative to what was allocated before the
model was built, so neither side counts the CUDA context. For each inference run (prefill + decode
with DynamicCache or StaticCache) the KV cache is compared exactly and the peak as weights +
activations + the cache the run holds at its peak. The parameter count of every case is compared too:
it checks that the config was translated faithfully.

Runs on the CPU; needs capplan (the repository's .venv), not torch.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from spec_builder import model_block, training_plan  # noqa: E402


def training_spec(case: dict[str, Any]) -> str:
    return model_block(case["config"]) + training_plan("allocated", case, allocator_overhead=False,
                                                       require_fits=False) \
        + training_plan("reserved", case, allocator_overhead=True, require_fits=False)


def inference_spec(case: dict[str, Any]) -> str:
    prompt, new, batch = case["prompt_tokens"], case["new_tokens"], case["batch"]
    return model_block(case["config"]) + f"""
inference i {{
  model         = m
  gpu           = big
  gpus          = 1
  weights       = bf16
  prompt        = {prompt} tokens
  output        = {new} tokens
  batch         = {batch}
  block_size    = 1 tokens
  prefill_chunk = {prompt * batch} tokens
  memory_utilization = 100 %
  framework {{ attention = {case['attn_implementation']}; cuda_context = 0 B }}
}}
"""


def compile_spec(text: str) -> dict[str, dict[str, Any]]:
    """Compile one spec in a scratch project; the plans by name. Diagnostics are an error here: the
    spec is generated, so a diagnostic is a bug of this script or of the recorded case."""
    from capplan.pipeline import compile_files

    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "capplan.toml"), "w", encoding="utf-8"):
            pass
        path = os.path.join(tmp, "case.plan")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        comp = compile_files([path])
    errors = [d.message for d in comp.diagnostics.items]
    if errors or not comp.plans:
        raise ValueError(f"capplan could not compile the case: {errors}")
    return {p["name"]: p for p in comp.plans}


def _err(pred: float | None, meas: float | None) -> float | None:
    if pred is None or not meas:
        return None
    return (pred - meas) / meas


def compare_training(case: dict[str, Any]) -> dict[str, Any]:
    plans = compile_spec(training_spec(case))
    alloc, res = plans["allocated"], plans["reserved"]
    pred_alloc = alloc["ranks"][0]["allocated_bytes"]
    pred_res = res["ranks"][0]["peak_bytes"]
    return {"case": case["case"], "kind": "training", "params_predicted": alloc["model"]["params"]["total"],
            "params_measured": case["num_params"],
            "predicted_allocated": pred_alloc, "measured_allocated": case.get("peak_bytes"),
            "error_allocated": _err(pred_alloc, case.get("peak_bytes")),
            "predicted_reserved": pred_res, "measured_reserved": case.get("peak_reserved_bytes"),
            "error_reserved": _err(pred_res, case.get("peak_reserved_bytes")),
            "predicted_phase": alloc["ranks"][0]["peak_phase"], "measured_peak_step": case.get("peak_step")}


def compare_inference(case: dict[str, Any]) -> dict[str, Any]:
    p = compile_spec(inference_spec(case))["i"]
    mem = p["memory"]
    total = case["prompt_tokens"] + case["new_tokens"]
    if case["cache"] == "StaticCache":  # allocated for prompt + new tokens before the prefill
        held = mem["kv_cache"]
    else:  # DynamicCache grows: at the prefill's peak it holds the prompt
        held = mem["kv_cache"] / total * case["prompt_tokens"]
    pred = mem["weights"] + mem["activations"] + held
    return {"case": case["case"], "kind": "inference", "params_predicted": p["model"]["params"]["total"],
            "params_measured": case["num_params"],
            "kv_cache_predicted": mem["kv_cache"], "kv_cache_measured": case["kv_cache_bytes_measured"],
            "predicted_allocated": pred, "measured_allocated": case.get("peak_bytes"),
            "error_allocated": _err(pred, case.get("peak_bytes"))}


def compare(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for case in results["sections"].get("training", {}).get("cases", []):
        rows.append(compare_training(case))
    for case in results["sections"].get("inference", {}).get("cases", []):
        if case["case"].startswith("infer "):
            rows.append(compare_inference(case))
    return rows


def _gib(x: float | None) -> str:
    return "n/a" if x is None else f"{x / 2**30:.4g}"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 100:+.1f}%"


def _same(predicted: float, measured: float) -> str:
    return "equal" if predicted == measured else f"{predicted:,.0f} / {measured:,.0f}"


def markdown(results: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    head = ["# capplan predicted vs measured peak memory (GiB)", ""]
    if results.get("smoke"):
        head += ["**CPU smoke run: no memory was measured (no caching allocator on the CPU); this table only "
                 "shows that every case compiles. Not a validation.**", ""]
    env = results["sections"].get("env", {})
    dev = env.get("device", {}).get("name") if isinstance(env.get("device"), dict) else None
    head += [f"Results: {results.get('what')}; device {dev or 'cpu'}; {results.get('date_utc')}.", ""]
    lines = ["| case | params (capplan / torch) | KV cache (capplan / torch) | allocated predicted | measured "
             "| error | reserved predicted | measured | error |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        params = _same(r["params_predicted"], r["params_measured"])
        kv = _same(r["kv_cache_predicted"], r["kv_cache_measured"]) if "kv_cache_predicted" in r else "-"
        lines.append(f"| {r['case']} | {params} | {kv} | {_gib(r['predicted_allocated'])} "
                     f"| {_gib(r['measured_allocated'])} "
                     f"| {_pct(r['error_allocated'])} | {_gib(r.get('predicted_reserved'))} "
                     f"| {_gib(r.get('measured_reserved'))} | {_pct(r.get('error_reserved'))} |")
    errs = sorted(abs(r["error_allocated"]) for r in rows if r["error_allocated"] is not None)
    summary = ["", f"{len(rows)} cases; {len(errs)} with a measured peak."]
    if errs:
        summary.append(f"Allocated peak: median |error| {errs[len(errs) // 2] * 100:.1f}%, worst {errs[-1] * 100:.1f}%.")
    return "\n".join(head + lines + summary) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", help="gpu_results.json written by measure_gpu.py")
    ap.add_argument("--markdown", help="also write the table to this Markdown file")
    args = ap.parse_args(argv)
    try:
        with open(args.results, encoding="utf-8") as fh:
            results = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"compare_gpu: cannot read {args.results}: {exc}", file=sys.stderr)
        return 2
    if not str(results.get("schema", "")).startswith("capplan-gpu-results/"):
        print(f"compare_gpu: {args.results} is not a measure_gpu.py results file (schema "
              f"{results.get('schema')!r})", file=sys.stderr)
        return 2
    text = markdown(results, compare(results))
    sys.stdout.write(text)
    if args.markdown:
        from capplan.core.atomic import write_atomically

        write_atomically(args.markdown, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
