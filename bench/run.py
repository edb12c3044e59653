"""capplan benchmarks. Run: .venv/bin/python bench/run.py [--quick]

1. `capplan check` of a 200-line spec, as a whole process (Python start-up,
   imports, grammar, catalog, units, engine), warm unit cache and cold.
   Target: under 0.3 s warm. Reported also as a ratio to a bare
   `python -c pass` start on the same machine, which is what varies least.
2. Evaluating one training plan with its per-stage breakdown, in-process
   (the engine on already-lowered objects). Target: under 1 ms.

Figures are medians of repeated runs; nothing here is asserted by the tests.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "bench" / "spec_200_lines.plan"


def median_wall(cmd: list[str], runs: int, env: dict | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{cmd} failed: {proc.stderr.decode()[-2000:]}")
    return statistics.median(times)


def bench_check(runs: int) -> dict:
    python = sys.executable
    bare = median_wall([python, "-c", "pass"], runs)
    cmd = [python, "-m", "capplan", "check", str(SPEC)]
    warm = median_wall(cmd, runs)
    cold_times = []
    for _ in range(max(3, runs // 3)):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "CAPPLAN_CACHE_DIR": cache}
            cold_times.append(median_wall(cmd, 1, env))
    cold = statistics.median(cold_times)
    lines = sum(1 for _ in SPEC.open())
    return {"lines": lines, "bare_python_s": bare, "check_warm_s": warm, "check_cold_s": cold}


def bench_eval(iterations: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from capplan.engine.evaluate import evaluate_workload
    from capplan.pipeline import compile_files

    comp = compile_files([str(SPEC)], evaluate=False)
    plans = {w.name: w for w in comp.checked.workloads}
    workload = plans["llama70b_pretrain"]  # 4 stages, interleaved, per-stage breakdown
    evaluate_workload(workload, comp.diagnostics)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(iterations):
            evaluate_workload(workload, comp.diagnostics)
        timings.append((time.perf_counter() - start) / iterations)
    return {"eval_one_training_plan_s": statistics.median(timings), "stages": workload.parallel.pipeline}


def main() -> None:
    quick = "--quick" in sys.argv
    check = bench_check(5 if quick else 15)
    ev = bench_eval(200 if quick else 2000)
    print(f"capplan check, {check['lines']}-line spec, whole process (median):")
    print(f"  warm unit cache  {check['check_warm_s'] * 1000:7.1f} ms   target < 300 ms   "
          f"({check['check_warm_s'] / check['bare_python_s']:.1f}x a bare `python -c pass`, "
          f"{check['bare_python_s'] * 1000:.1f} ms)")
    print(f"  cold unit cache  {check['check_cold_s'] * 1000:7.1f} ms   (first run: Pint resolves every unit)")
    print(f"evaluate one training plan ({ev['stages']} stages, per-stage breakdown), in-process (median):")
    print(f"  {ev['eval_one_training_plan_s'] * 1e6:7.1f} us   target < 1000 us")


if __name__ == "__main__":
    main()
