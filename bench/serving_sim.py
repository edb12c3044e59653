"""The serving simulation's speed: a 10-minute simulated trace, as a ratio to `capplan eval`.

Simulates Llama-3.1-8B on one H100 serving 467-token prompts and 256-token answers at 20 requests/s
(Poisson, seed 0) for 600 simulated seconds (12,000 requests, about 50,000 iterations) with
capplan.engine.serving_sim.simulate, and times it next to one in-process evaluation of the same
plan (capplan.engine.evaluate.evaluate_workload, which `capplan eval` runs per plan) and a whole
`capplan eval` process on the plan; and the same trace under SGLang's scheduler (`framework.scheduler =
sglang`). Prints the medians of 5 rounds and the ratios.

    .venv/bin/python bench/serving_sim.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPEC = """
inference s {
  model = llama3_1_8b
  gpu = h100_sxm
  gpus = 1
  weights = bf16
  context = 723 tokens
  prompt = 467 tokens
  output = 256 tokens
}
"""


def median_seconds(fn, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    from capplan.engine.evaluate import evaluate_workload
    from capplan.engine.inference import inference_memory
    from capplan.engine.serving_sim import Workload, simulate, traced
    from capplan.pipeline import compile_files

    comp = compile_files(["s.plan"], read=lambda path: SPEC)
    w = comp.workloads["s"]
    mem = inference_memory(w)
    wl = Workload(467, 256, rate=20.0, duration=600.0, seed=0)
    figs = simulate(w, mem, wl)
    sg = compile_files(["s.plan"], read=lambda path: SPEC.replace("\n}", "\n  framework { scheduler = sglang }\n}"))
    w_sg = sg.workloads["s"]
    # traces are memoised in-process (serving_sim.traced): every timed call starts from an empty cache
    sim = median_seconds(lambda: (traced.cache_clear(), simulate(w, mem, wl)))
    sim_sg = median_seconds(lambda: (traced.cache_clear(), simulate(w_sg, mem, wl)))
    one = median_seconds(lambda: (traced.cache_clear(), evaluate_workload(w)), rounds=50)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.plan"
        path.write_text(SPEC)
        cli = [str(Path(sys.executable).with_name("capplan")), "eval", str(path)]
        proc = median_seconds(lambda: subprocess.run(cli, capture_output=True, check=False), rounds=3)
    print(f"trace: {figs['requests']} requests, {figs['iterations']} iterations, "
          f"{figs['duration_s']:.0f} simulated s")
    print(f"simulate (10-minute trace): {sim * 1e3:.1f} ms")
    print(f"evaluate_workload (one plan, in-process): {one * 1e3:.2f} ms -> simulation = {sim / one:.0f}x")
    print(f"`capplan eval` (whole process): {proc * 1e3:.0f} ms -> simulation = {sim / proc:.2f}x")
    print(f"the same trace under SGLang's scheduler: {sim_sg * 1e3:.1f} ms = {sim_sg / sim:.2f}x vLLM's")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
