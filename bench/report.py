"""Report benchmark. Run: .venv/bin/python bench/report.py [--runs N]

Whole-process time of `capplan report SPEC -o OUT` (Python start-up, imports, compiling
the spec, re-evaluating the memory curves, drawing the charts, rendering) for a spec
with three plans (two training, one inference), as HTML and as PDF, and `capplan eval` of the same
spec in the same run. Targets (issue 13), as ratios to `capplan eval` on the same machine in the same
run: HTML <= 1.5x, PDF <= 4x. Also reported: CPU time
(user + system) of the same runs, which other load on the machine disturbs less,
and a bare `python -c pass` for scale. Figures are medians; nothing is asserted.

As bench/run.py, Python's bytecode caches are used (PYTHONDONTWRITEBYTECODE is dropped and
PYTHONPYCACHEPREFIX points at a temporary folder the warm-up run fills), as after any install;
`--source` keeps the environment's setting instead (with PYTHONDONTWRITEBYTECODE set, every run then
compiles capplan's Python from source, which costs eval and the reports alike, the reports more).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPEC = '''# Three plans, for the report benchmark.
training llama70b_pretrain {
  model = llama3_1_70b
  gpu = h100_sxm
  gpus = 128
  precision = megatron_bf16
  seq_len = 8192 tokens
  micro_batch = 1
  global_batch = 512
  parallel {
    tensor = 8; pipeline = 4; data = 4
    sequence_parallel = true; distributed_optimizer = true
    schedule = interleaved; virtual_stages = 5; recompute = selective
  }
  framework { implementation = megatron }
  require fits
}

training llama13b_pp4 {
  model = llama2_13b
  gpu = a100_80gb
  gpus = 8
  precision = megatron_bf16
  seq_len = 4096 tokens
  global_batch = 1024
  parallel { pipeline = 4; data = 2; zero = 1 }
  framework { implementation = megatron; grads_freed = false }
  require fits
}

inference chat_70b_int4 {
  model = llama3_1_70b
  gpu = h100_sxm
  gpus = 2
  weights = int4 { group = 128 }
  kv_cache = fp8
  context = 8192 tokens
  batch = 32
  parallel { tensor = 2 }
  require fits
}
'''


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode()[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench(runs: int, bytecode: bool = True) -> dict:
    python = sys.executable
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "capplan.toml").write_text("")
        (root / "three.plan").write_text(SPEC)
        env = None
        if bytecode:
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        out["bytecode"] = bytecode or not sys.dont_write_bytecode

        def timed(*args: str, n: int = runs) -> list[tuple[float, float]]:
            return [run([python, *[a.format(i=i) for a in args]], root, env) for i in range(n)]

        timed("-m", "capplan.render.report", "three.plan", "-o", "warm.pdf", n=1)   # font caches, .pyc
        timed("-m", "capplan", "eval", "three.plan", "-o", "warm.txt", n=1)
        out["bare_python_s"] = statistics.median(w for w, _ in timed("-c", "pass"))
        evals = timed("-m", "capplan", "eval", "three.plan", "-o", "e{i}.txt")
        out["eval_wall_s"] = statistics.median(w for w, _ in evals)
        out["eval_cpu_s"] = statistics.median(c for _, c in evals)
        for fmt in ("html", "pdf", "md"):
            walls, cpus = zip(*timed("-m", "capplan.render.report", "three.plan", "-o", "r{i}." + fmt))
            out[f"{fmt}_wall_s"] = statistics.median(walls)
            out[f"{fmt}_cpu_s"] = statistics.median(cpus)
            out[f"{fmt}_bytes"] = (root / f"r0.{fmt}").stat().st_size
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--source", action="store_true", help="keep the environment's bytecode setting (see above)")
    args = ap.parse_args()
    r = bench(args.runs, bytecode=not args.source)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"report of a 3-plan spec, whole process, median of {args.runs} runs "
          f"({os.cpu_count()} CPUs, load average {load:.2f}; bare python start {r['bare_python_s']:.3f} s)")
    if not r["bytecode"]:   # every run then compiles capplan's modules from source: all figures higher
        print("  (--source with PYTHONDONTWRITEBYTECODE set: no .pyc is written, so each run compiles capplan's "
              "Python)")
    else:
        print("  (with Python's bytecode caches, as after an install)")
    print(f"  eval  wall {r['eval_wall_s']:6.3f} s   cpu {r['eval_cpu_s']:6.3f} s   (`capplan eval` of the same spec)")
    for fmt, target in (("html", 1.5), ("pdf", 4.0), ("md", None)):
        wall, cpu = r[f"{fmt}_wall_s"], r[f"{fmt}_cpu_s"]
        ratio = wall / r["eval_wall_s"]
        goal = (f"{ratio:.2f}x eval, target <= {target:g}x: {'met' if ratio <= target else 'NOT met'}" if target
                else f"{ratio:.2f}x eval")
        print(f"  {fmt:4s}  wall {wall:6.3f} s   cpu {cpu:6.3f} s   {r[f'{fmt}_bytes']:>9,} bytes   ({goal})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
