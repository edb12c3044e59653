"""Summarise a measure_gpu.py results file as Markdown: the efficiency figures the time model needs
(GEMM TFLOP/s by token count, attention kernels by sequence length, memory-bound kernels' bandwidth,
one-GPU prefill/decode step times) and the CUDA context. Peak memory is compared with capplan by
compare_gpu.py; this script only reads the measurements.

    python validation/gpu/summarize_gpu.py validation/data/gpu/h200-2026-12-04.json [-o OUT.md]
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
from pathlib import Path
from typing import Any

MIB = 2**20


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def gemm_table(cases: list[dict[str, Any]]) -> list[str]:
    by_m: dict[tuple[str, int], list[float]] = collections.defaultdict(list)
    for c in cases:
        if c.get("dtype") == "bfloat16" and c.get("op") == "torch.matmul":
            by_m[(c["pass"], c["M_tokens"])].append(c["tflops"])
    lines = ["| pass | tokens M | shapes | median TFLOP/s | max TFLOP/s |", "|---|---:|---:|---:|---:|"]
    for (pss, m), xs in sorted(by_m.items()):
        lines.append(f"| {pss} | {m:,} | {len(xs)} | {_median(xs):.0f} | {max(xs):.0f} |")
    return lines


def attention_table(cases: list[dict[str, Any]]) -> list[str]:
    lines = ["| kernel | mode | seq | batch | heads / kv | TFLOP/s |", "|---|---|---:|---:|---|---:|"]
    for c in cases:
        if c["case"].startswith("prefill") and c.get("kv_heads") == 8:
            lines.append(f"| {c['impl']} | {c['mode']} | {c['seq']:,} | {c['batch']} | {c['heads']} / "
                         f"{c['kv_heads']} | {c['tflops']:.0f} |")
    return lines


def membound_table(cases: list[dict[str, Any]]) -> list[str]:
    lines = ["| kernel | median ms | TB/s |", "|---|---:|---:|"]
    lines += [f"| {c['case']} | {c['median_ms']:.3f} | {c['tb_per_s']:.2f} |" for c in cases if "tb_per_s" in c]
    return lines


def steps_table(cases: list[dict[str, Any]]) -> list[str]:
    lines = ["| step | median ms | tokens/s |", "|---|---:|---:|"]
    lines += [f"| {c['case']} | {c['median_ms']:.1f} | {c['tokens_per_s']:,.0f} |"
              for c in cases if c["case"].startswith(("prefill", "decode")) and "median_ms" in c]
    return lines


def summary(results: dict[str, Any]) -> str:
    if results.get("smoke"):
        raise SystemExit("a --smoke results file holds no measurements")
    env = results["sections"]["env"]
    dev, ver, ctx = env["device"], env["versions"], env["context"]
    sec = results["sections"]
    out = [f"# {dev['name']}: measurements of {results['date_utc']}", "",
           f"torch {ver['torch']} (CUDA {ver['torch_cuda']}), transformers {ver['transformers']}, "
           f"{dev['sm_count']} SMs, {dev['total_memory'] / 2**30:.1f} GiB; whole run {results['wall_s']:.0f} s. "
           f"Conventions: {json.dumps(results['conventions'])}.", "",
           "## CUDA context (memory outside PyTorch's allocator)", "",
           "| when | context MiB (nvml, device) | context MiB (nvml, process) |", "|---|---:|---:|"]
    for label in ("after_init_and_tiny_allocation", "after_first_cublas_gemm", "after_first_sdpa"):
        row = ctx[label]
        out.append(f"| {label.replace('_', ' ')} | {row['context_bytes_nvml_device'] / MIB:.0f} | "
                   f"{row['context_bytes_nvml_process'] / MIB:.0f} |")
    out += ["", "## bf16 GEMM (the linear layers of Llama-2/3.1 and Mixtral at TP 1-8)", ""]
    out += gemm_table(sec["gemm"]["cases"])
    out += ["", "## Attention (causal, head dim 128, batch 1)", ""] + attention_table(sec["attention"]["cases"])
    out += ["", "## Memory-bound kernels", ""] + membound_table(sec["membound"]["cases"])
    out += ["", "## One-GPU prefill and decode steps (transformers, eager Python loop, bf16)", "",
            "Decode steps here are dominated by transformers' per-step Python overhead, not by the GPU: "
            "they are not a measure of bandwidth-bound decoding.", ""]
    out += steps_table(sec["inference"]["cases"])
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("-o", "--out")
    args = ap.parse_args(argv)
    text = summary(json.loads(Path(args.results).read_text()))
    if args.out:
        Path(args.out).write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
