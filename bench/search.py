"""Target (c): capplan's layout search against llm-analysis, per layout, on the same layouts.

The search is bench/search_70b_1024.plan's: Llama-3.1-70B on 1,024 H100s (128 nodes), every
default layout family. capplan's time per layout is the whole in-process search (enumerate,
evaluate every candidate, filter, rank, verify the best, top and Pareto layouts with the reference
engine) divided by the valid layouts it evaluated; the evaluator alone is reported beside it.
llm-analysis (PyPI `llm-analysis`, in the benchmark's own environment bench/.venv-bench, made by
bench/setup.sh) evaluates an evenly spaced sample of the same valid layouts one by one, in a
subprocess (bench/llm_analysis_rate.py). Run alone: .venv/bin/python bench/search.py [--quick]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCH_SPEC = ROOT / "bench" / "search_70b_1024.plan"
BENCH_VENV = ROOT / "bench" / ".venv-bench"
LLM_ANALYSIS_GPU = "h100-sxm-80gb"  # llm-analysis's name for capplan's h100_sxm
LLM_ANALYSIS_DTYPE = "w16a16e16"  # bf16 weights, activations and embeddings: megatron_bf16's


def load_search():
    """(training plan, lowered search) of bench/search_70b_1024.plan."""
    from capplan.check.search_spec import lower_search
    from capplan.ir.lower import lower_workload
    from capplan.pipeline import compile_files

    comp = compile_files([str(SEARCH_SPEC)], evaluate=False)
    assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
    spec = lower_search(comp.checker, comp.checked.searches[0])
    return lower_workload(spec.target), spec


def bench_capplan(repeats: int) -> dict:
    from capplan.analyses import search as S
    from capplan.analyses.planner import run_search

    w, spec = load_search()

    def search():
        return run_search(w, spec.space, spec.objective, spec.constraints, spec.cross_node_tensor,
                          spec.top)

    result = search()  # warm: numpy's first calls, the engine's per-key tables
    whole = []
    for _ in range(repeats):
        start = time.perf_counter()
        search()
        whole.append(time.perf_counter() - start)
    per_node = w.hardware.per_node
    space = S.default_space(w, per_node, w.hardware.nodes)
    space.update(spec.space)
    cands, _ = S.enumerate_layouts(w, space, per_node, spec.cross_node_tensor)
    evaluate = []
    for _ in range(repeats):
        evaluator = S.Evaluator(w, per_node)
        start = time.perf_counter()
        evaluator.evaluate(cands)
        evaluate.append(time.perf_counter() - start)
    valid = len(cands)
    assert valid == result["valid"], (valid, result["valid"])
    return {"considered": result["considered"], "valid": valid, "accepted": result["accepted"],
            "best": result["best"], "search_s": statistics.median(whole), "evaluate_s": statistics.median(evaluate),
            "per_layout_s": statistics.median(whole) / valid, "w": w, "cands": cands}


def layouts_for_llm_analysis(w, cands, sample: int) -> dict:
    recompute = ("none", "selective", "full")
    step = max(1, len(cands) // sample)
    picked = list(range(0, len(cands), step))[:sample]
    m = w.model
    return {
        "model": {"name": "llama3_1_70b", "layers": m.depth, "heads": m.attention.heads, "hidden": m.hidden,
                  "vocab": m.vocab, "max_seq": int(m.max_seq), "kv_heads": m.attention.kv_heads,
                  "ffn": m.layers[0].mlp.ffn},
        "gpu": LLM_ANALYSIS_GPU, "dtype": LLM_ANALYSIS_DTYPE, "global_batch": w.global_batch,
        "seq_len": int(w.seq_len),
        "layouts": [{"tensor": int(cands["tensor"][i]), "pipeline": int(cands["pipeline"][i]),
                     "data": int(cands["data"][i]), "context": int(cands["context"][i]),
                     "zero": int(cands["zero"][i]), "micro_batch": int(cands["micro_batch"][i]),
                     "recompute": recompute[int(cands["recompute"][i])]} for i in picked],
    }


def ensure_bench_venv() -> Path:
    """bench/.venv-bench's Python, made by bench/setup.sh when it is missing."""
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        print("bench: making bench/.venv-bench (bash bench/setup.sh) for llm-analysis ...", file=sys.stderr)
        subprocess.run(["bash", str(ROOT / "bench" / "setup.sh")], check=True)
    return python


def bench_llm_analysis(w, cands, sample: int) -> dict:
    job = layouts_for_llm_analysis(w, cands, sample)
    proc = subprocess.run([str(ensure_bench_venv()), str(ROOT / "bench" / "llm_analysis_rate.py")],
                          input=json.dumps(job), capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"llm-analysis run failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout)
    out["per_layout_s"] = out["seconds"] / out["evaluated"]
    return out


def main() -> None:
    sys.path.insert(0, str(ROOT))
    quick = "--quick" in sys.argv
    ours = bench_capplan(3 if quick else 7)
    other = bench_llm_analysis(ours["w"], ours["cands"], 100 if quick else 300)
    print(f"Llama-3.1-70B on 1,024 H100 (128 nodes): {ours['considered']:,} layouts considered, "
          f"{ours['valid']:,} valid, {ours['accepted']:,} accepted")
    print(f"  capplan whole search {ours['search_s'] * 1000:.1f} ms = {ours['per_layout_s'] * 1e6:.2f} us per valid "
          f"layout (evaluator alone {ours['evaluate_s'] / ours['valid'] * 1e6:.2f} us)")
    print(f"  llm-analysis {other['version']}: {other['evaluated']} of the same layouts one by one, "
          f"{other['per_layout_s'] * 1e6:,.0f} us per layout ({other['completed']} completed)")
    print(f"  ratio: {other['per_layout_s'] / ours['per_layout_s']:,.0f}x (target >= 100x)")


if __name__ == "__main__":
    main()
