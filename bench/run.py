"""capplan's speed targets (issue 10), measured side by side in one run and printed as ratios.

Run: .venv/bin/python bench/run.py [--quick] [--runs N] [--json OUT.json]

 (a) `capplan check bench/spec_200_lines.plan`, whole process  <= 5x a bare `python -c pass`
 (b) one training plan evaluated in-process (llama70b_pretrain)  <= 0.5 ms
 (c) the layout search, per layout                            >= 100x llm-analysis per layout
 (d) a 70B search over 1,024 GPUs (bench/search_70b_1024.plan),
     `capplan check` as a whole process                        <= 10x a bare `python -c pass`

Whole-process figures are wall-clock medians of runs interleaved with the bare starts they are divided by
(the same interpreter, environment and moment), after warm-up runs; Python's bytecode caches are
used (PYTHONDONTWRITEBYTECODE is dropped and PYTHONPYCACHEPREFIX points at a temporary folder), as
after any install. The ratio of CPU times (user + system), which other load on the machine disturbs
less, is printed beside each whole-process ratio. The machine's facts are printed with the figures. Nothing here is asserted by
the tests: timings belong to a benchmark, not to a unit test. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import search as search_bench  # noqa: E402  (bench/search.py, beside this file)

CHECK_SPEC = ROOT / "bench" / "spec_200_lines.plan"
TARGETS = {"a": 5.0, "b": 0.5e-3, "c": 100.0, "d": 10.0}


def machine_facts() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    import numpy

    return {"cpu": cpu, "cpus": os.cpu_count(), "cpus_usable": usable, "python": platform.python_version(),
            "implementation": platform.python_implementation(), "platform": platform.platform(),
            "numpy": numpy.__version__, "commit": commit + ("+changes" if dirty else ""),
            "load_before": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}


def process_env(pycache: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one run of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode()[-3000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_processes(runs: int) -> dict:
    """(a) and (d): each run of a command beside a bare start, interleaved."""
    python = sys.executable
    commands = {"bare": [python, "-c", "pass"],
                "check": [python, "-m", "capplan", "check", str(CHECK_SPEC)],
                "search": [python, "-m", "capplan", "check", str(search_bench.SEARCH_SPEC)]}
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="capplan-bench-pyc-") as pycache:
        env = process_env(pycache)
        for _ in range(2):  # warm: bytecode written, unit and catalog caches filled, files in the page cache
            for cmd in commands.values():
                timed(cmd, env)
        for _ in range(runs):
            for name, cmd in commands.items():
                w, c = timed(cmd, env)
                walls[name].append(w)
                cpus[name].append(c)
    return {name: statistics.median(t) for name, t in walls.items()} | \
        {f"{name}_cpu": statistics.median(t) for name, t in cpus.items()}


def bench_eval(iterations: int) -> dict:
    """(b): evaluate_workload on the checked llama70b_pretrain plan (4 stages, interleaved), in-process."""
    from capplan.engine.evaluate import evaluate_workload
    from capplan.pipeline import compile_files

    comp = compile_files([str(CHECK_SPEC)], evaluate=False)
    workload = comp.lowered("llama70b_pretrain")
    evaluate_workload(workload)
    timings = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(iterations):
            evaluate_workload(workload)
        timings.append((time.perf_counter() - start) / iterations)
    return {"eval_s": statistics.median(timings), "stages": workload.layout.pipeline}


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs (a rough figure in about a minute)")
    ap.add_argument("--runs", type=int, help="whole-process runs of each command (default 15, --quick 5)")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    args = ap.parse_args()
    runs = args.runs or (5 if args.quick else 15)
    sys.path.insert(0, str(ROOT))
    facts = machine_facts()
    proc = bench_processes(runs)
    ev = bench_eval(200 if args.quick else 1000)
    ours = search_bench.bench_capplan(3 if args.quick else 7)
    other = search_bench.bench_llm_analysis(ours["w"], ours["cands"], 100 if args.quick else 300)
    facts["load_after"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

    ratios = {"a": proc["check"] / proc["bare"], "b": ev["eval_s"] / TARGETS["b"],
              "c": other["per_layout_s"] / ours["per_layout_s"], "d": proc["search"] / proc["bare"]}
    met = {"a": ratios["a"] <= TARGETS["a"], "b": ratios["b"] <= 1.0, "c": ratios["c"] >= TARGETS["c"],
           "d": ratios["d"] <= TARGETS["d"]}
    print(f"machine: {facts['cpu']}, {facts['cpus_usable']} of {facts['cpus']} CPUs usable, "
          f"load average {facts['load_before']:.2f} -> {facts['load_after']:.2f}")
    print(f"         {facts['implementation']} {facts['python']}, numpy {facts['numpy']}, {facts['platform']}; "
          f"capplan {facts['commit']}; llm-analysis {other['version']}")
    print(f"bare `python -c pass`: {proc['bare'] * 1000:.1f} ms wall, {proc['bare_cpu'] * 1000:.1f} ms CPU "
          f"(medians of {runs}, interleaved with the runs below)")
    print()
    print(f"(a) capplan check, {sum(1 for _ in CHECK_SPEC.open())}-line spec, whole process: "
          f"{proc['check'] * 1000:.1f} ms = {ratios['a']:.2f}x bare python   target <= {TARGETS['a']:g}x: "
          f"{verdict(met['a'])}   (CPU time: {proc['check_cpu'] / proc['bare_cpu']:.2f}x)")
    print(f"(b) evaluate one training plan ({ev['stages']} stages), in-process: {ev['eval_s'] * 1e6:.0f} us "
          f"= {ratios['b']:.2f}x the target of {TARGETS['b'] * 1e6:.0f} us   target <= 1x: {verdict(met['b'])}")
    print(f"(c) layout search, per valid layout: capplan {ours['per_layout_s'] * 1e6:.2f} us "
          f"(whole search of {ours['valid']:,} layouts {ours['search_s'] * 1000:.1f} ms; evaluator alone "
          f"{ours['evaluate_s'] / ours['valid'] * 1e6:.2f} us), llm-analysis {other['per_layout_s'] * 1e6:,.0f} us "
          f"({other['evaluated']} of the same layouts) = {ratios['c']:,.1f}x   target >= {TARGETS['c']:g}x: "
          f"{verdict(met['c'])}")
    print(f"(d) 70B search over 1,024 GPUs ({ours['considered']:,} layouts considered), whole process: "
          f"{proc['search'] * 1000:.1f} ms = {ratios['d']:.2f}x bare python   target <= {TARGETS['d']:g}x: "
          f"{verdict(met['d'])}   (CPU time: {proc['search_cpu'] / proc['bare_cpu']:.2f}x)")
    if args.json:
        doc = {"facts": facts, "runs": runs, "seconds": {"bare": proc["bare"], "check": proc["check"],
                                                         "search_process": proc["search"], "eval": ev["eval_s"],
                                                         "bare_cpu": proc["bare_cpu"], "check_cpu": proc["check_cpu"],
                                                         "search_process_cpu": proc["search_cpu"],
                                                         "search_in_process": ours["search_s"],
                                                         "llm_analysis_per_layout": other["per_layout_s"]},
               "ratios": ratios, "met": met}
        Path(args.json).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
