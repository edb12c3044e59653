"""Fuzz capplan: `python tests/fuzz/run.py --n 100000` (the long run), or a small budget in CI.

Inputs come from tests/fuzz/generate.py (mutations of the shipped specs and specs generated
from the schema), deterministic in (--seed, index). Each is checked by tests/fuzz/harness.py
in a worker process under a memory limit; a worker that does not answer within --timeout
seconds is killed and replaced, and the input tried once more in a fresh worker (on a loaded
machine one slow answer can be starvation); a second timeout is a finding (a hang). Findings
are written to --save (default tests/fuzz/findings/) as SEED-INDEX.plan with the problems in
a comment header:
once fixed, a finding is moved to tests/fuzz/regressions/, which the test suite replays.

Exit status 0 when every input behaved, 1 otherwise. The summary line reports inputs,
internal errors, budget violations and other findings.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fuzz.generate import make_input, seed_texts  # noqa: E402


class Worker:
    def __init__(self, env: dict):
        self.proc = subprocess.Popen([sys.executable, str(HERE / "worker.py")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                                     bufsize=1)
        self.job: tuple[int, str] | None = None
        self.started = 0.0

    def send(self, index: int, text: str, github: bool) -> None:
        self.job = (index, text)
        self.started = time.monotonic()
        self.proc.stdin.write(json.dumps({"index": index, "text": text, "github": github}) + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


def classify(problems: list[str]) -> str:
    if any(p.startswith("budget") or p.startswith("hang") for p in problems):
        return "budget"
    if any("exit 3" in p or p.startswith("escaped") for p in problems):
        return "internal"
    return "other"


def run(n: int, seed: int, jobs: int, timeout: float, save: Path | None, only: int | None = None,
        github_every: int = 4, quiet: bool = False, start: int = 0) -> dict:
    seeds = seed_texts()
    cache = tempfile.mkdtemp(prefix="capplan-fuzz-cache-")
    env = {**os.environ, "CAPPLAN_CACHE_DIR": cache, "PYTHONHASHSEED": "0"}
    indices = [only] if only is not None else list(range(start, start + n))
    pending = list(reversed(indices))
    workers = [Worker(env) for _ in range(max(1, min(jobs, len(indices))))]
    selector = selectors.DefaultSelector()
    for w in workers:
        selector.register(w.proc.stdout, selectors.EVENT_READ, w)
    counts = {"inputs": 0, "internal": 0, "budget": 0, "other": 0}
    findings: list[dict] = []
    suspects: set[int] = set()   # inputs that ran past the watchdog once
    reported = 0                 # thousands of inputs reported so far
    began = time.monotonic()

    def dispatch(w: Worker) -> None:
        if pending:
            i = pending.pop()
            w.send(i, make_input(seed, i, seeds), github_every > 0 and i % github_every == 0)
        else:
            w.job = None

    def record(index: int, text: str, problems: list[str]) -> None:
        counts["inputs"] += 1
        if problems:
            kind = classify(problems)
            counts[kind] += 1
            findings.append({"index": index, "kind": kind, "problems": problems})
            if save is not None:
                save.mkdir(parents=True, exist_ok=True)
                header = "".join(f"# {p}\n" for p in problems).replace("\r", " ")
                (save / f"{seed}-{index}.plan").write_text(f"# fuzz finding, seed {seed}, input {index}\n"
                                                           + header + text, encoding="utf-8",
                                                           errors="surrogatepass")
            if not quiet:
                print(f"input {index}: {kind}: {problems[0][:160]}", file=sys.stderr)

    for w in workers:
        dispatch(w)
    while any(w.job for w in workers):
        for key, _ in selector.select(timeout=0.5):
            w = key.data
            line = w.proc.stdout.readline()
            if not line:  # the worker died (e.g. killed by the kernel)
                index, text = w.job
                record(index, text, ["hang: the worker died"])
                selector.unregister(w.proc.stdout)
                w.kill()
                fresh = Worker(env)
                workers[workers.index(w)] = fresh
                selector.register(fresh.proc.stdout, selectors.EVENT_READ, fresh)
                dispatch(fresh)
                continue
            answer = json.loads(line)
            index, text = w.job
            record(index, text, answer["problems"])
            dispatch(w)
        now = time.monotonic()
        for w in list(workers):
            if w.job and now - w.started > timeout:
                index, text = w.job
                if index in suspects:  # the second time: a hang, not a busy machine
                    record(index, text, [f"hang: no answer within {timeout:.0f} s, twice"])
                else:                  # once may be a starved process: try it again in a fresh worker
                    suspects.add(index)
                    pending.append(index)
                selector.unregister(w.proc.stdout)
                w.kill()
                fresh = Worker(env)
                workers[workers.index(w)] = fresh
                selector.register(fresh.proc.stdout, selectors.EVENT_READ, fresh)
                dispatch(fresh)
        if not quiet and counts["inputs"] // 1000 > reported:
            reported = counts["inputs"] // 1000
            print(f"... {counts['inputs']} inputs, {time.monotonic() - began:.0f} s: {counts['internal']} internal, "
                  f"{counts['budget']} budget, {counts['other']} other", file=sys.stderr, flush=True)
    for w in workers:
        w.proc.stdin.close()
        w.kill()
    counts["seconds"] = round(time.monotonic() - began, 1)
    return {"counts": counts, "findings": findings}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="number of inputs (default 2000)")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--start", type=int, default=0, help="first input index (to split a long run)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=60.0, help="wall-clock seconds before a worker counts as hung")
    ap.add_argument("--only", type=int, help="run one input (by index) to reproduce a finding")
    ap.add_argument("--save", default=str(HERE / "findings"), help="folder for findings ('' to not save)")
    args = ap.parse_args(argv)
    result = run(args.n, args.seed, args.jobs, args.timeout, Path(args.save) if args.save else None, args.only,
                 start=args.start)
    c = result["counts"]
    print(f"fuzz: {c['inputs']} inputs in {c['seconds']} s (seed {args.seed}, from input {args.start}): "
          f"{c['internal']} internal errors, "
          f"{c['budget']} budget violations, {c['other']} other findings")
    return 0 if not result["findings"] else 1


if __name__ == "__main__":
    sys.exit(main())
