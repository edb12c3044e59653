"""`capplan calibrate SPEC PLAN --megatron-log F ...`: fit capplan's named constants to the user's own
measurements of that plan and write a `calibration` block that specs import.

Each kind of log fits the constants it measures (capplan.tools.calibrate.fit says how):

| log | what it measures | constant |
|---|---|---|
| `--megatron-log` | elapsed time per iteration (steady iterations, median) | matmul_efficiency |
| `--torchtitan-log` | tokens per second per GPU of the steady step lines, as step times of the plan's global batch (median); the peak memory the caching allocator reserved (the largest logged), over what the plan allocates on its first stage | matmul_efficiency; allocator_overhead |
| `--vllm-bench`, `--sglang-bench` | median TPOT (or median ITL where the result prints no TPOT); median TTFT, each against the plan's replica simulated at the benchmark's own load (request rate, concurrency cap or all at once; each request's own input and output lengths where the result keeps them, vLLM's --save-detailed, else their means). Where the result keeps each request's TTFT too (`ttfts`) and the prompts differ (the longest at least twice the shortest), the line through the requests' (prompt, TTFT) instead: its slope, prefill's time per token, and its intercept, the front end's time per request | bandwidth_efficiency; serving_matmul_efficiency; request_overhead (from the line) |
| `--torch-profile` | matrix multiplies' FLOPs / their device time, over the GPU's dense peak | matmul_efficiency |
| `--nccl-tests` | the smallest message's all-reduce time (serving: the kernel; the ranks' wait in a serving iteration, `allreduce_wait`, is not in it); the largest bus bandwidth over the links' rate, one host or several (training) | allreduce_latency; nvlink_efficiency or network_efficiency |

Two logs that fit the same constant are refused (say which one to trust). The block records what
was fitted to what (file name, SHA-256, plan, samples) and the fit's error, with no timestamp: the
same logs give the same file. A Megatron or torchtitan log also records the digest of the plan it measured
(capplan.ir.fingerprint) and its iterations' spread: that plan's time band becomes the measured
spread; any other plan that uses the block keeps the published runs' band (a calibration on one
configuration carries its own error to the others: validation/README.md, "Calibrated on one run").
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import statistics
from dataclasses import replace

from capplan.core import constants as K
from capplan.core.atomic import STDOUT, write_atomically
from capplan.core.diagnostics import render_all
from capplan.core.exits import EXIT_OK, EXIT_USAGE, EXIT_USER
from capplan.core.source import SourceRefused, read_bounded
from capplan.engine.evaluate import evaluate_workload
from capplan.engine.gemm import achievable
from capplan.engine.serving_sim import Workload
from capplan.engine.timing import compute_precision
from capplan.ir.fingerprint import configuration
from capplan.pipeline import compile_files
from capplan.tools.calibrate import logs
from capplan.tools.calibrate.fit import Fit, FitError, direct, fit_to_figure, fit_ttft_line, with_constant

LOG_LIMIT = 256 * 2**20  # bytes read from one log at most


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="capplan calibrate", description="Fit capplan's named constants to your own "
                                 "measurements of one plan and write a `calibration` block that specs import.")
    ap.add_argument("spec", help="the spec that holds the plan the measurements were taken on")
    ap.add_argument("plan", help="the plan's name")
    ap.add_argument("--megatron-log", metavar="FILE", help="a Megatron-LM training log")
    ap.add_argument("--torchtitan-log", metavar="FILE", help="a torchtitan training log")
    ap.add_argument("--warmup", type=int, default=2, metavar="N",
                    help="logged iteration (step) lines to drop at the start (default 2)")
    ap.add_argument("--vllm-bench", metavar="FILE", help="a vLLM benchmark result (JSON)")
    ap.add_argument("--sglang-bench", metavar="FILE", help="an SGLang bench_serving result (JSON Lines)")
    ap.add_argument("--bench-record", type=int, metavar="N",
                    help="which run of a benchmark file holding several (1-based line of SGLang's JSON Lines)")
    ap.add_argument("--torch-profile", metavar="FILE", help="a PyTorch profiler table with FLOPs")
    ap.add_argument("--nccl-tests", metavar="FILE", help="nccl-tests output (all_reduce_perf)")
    ap.add_argument("--name", help="the calibration's name (default: the plan's name + _calibration)")
    ap.add_argument("-o", "--output", metavar="OUT", help="write the block to a file (atomically), not stdout (`-`: stdout)")
    return ap


def main(argv: list[str], out, err) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    sources = [(k, getattr(args, k)) for k in FITTERS if getattr(args, k)]
    if not sources:
        print("capplan calibrate: give at least one log (--megatron-log, --torchtitan-log, --vllm-bench, "
              "--sglang-bench, --torch-profile, --nccl-tests)", file=err)
        return EXIT_USAGE
    comp = compile_files([args.spec], evaluate=False)
    if comp.diagnostics.has_errors:
        err.write(render_all(comp.diagnostics.sorted(), comp.program.sources, color=False) + "\n")
        return EXIT_USER
    declared = {d.name: d for d in comp.checked.workloads}
    if args.plan not in declared:
        print(f"capplan calibrate: `{args.spec}` has no plan `{args.plan}`; plans: "
              f"{', '.join(sorted(declared)) or 'none'}", file=err)
        return EXIT_USER
    w = comp.lowered(args.plan)
    fits: list[tuple[Fit, str]] = []
    for kind, path in sources:
        try:
            text = read_bounded(path, LOG_LIMIT).decode("utf-8", errors="replace")
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
            origin = f"{kind.replace('_', '-')} {_safe(os.path.basename(path))} (sha256 {digest})"
            fits += [(f, origin) for f in FITTERS[kind](w, text, args)]
        except (OSError, SourceRefused) as exc:
            print(f"capplan calibrate: cannot read `{path}`: {exc}", file=err)
            return EXIT_USER
        except (logs.LogError, FitError) as exc:
            print(f"capplan calibrate: {path}: {exc}", file=err)
            return EXIT_USER
    seen: dict[str, str] = {}
    for f, origin in fits:
        if f.constant in seen:
            print(f"capplan calibrate: {f.constant} is measured by both {seen[f.constant]} and {origin}: "
                  "calibrate from the one you trust", file=err)
            return EXIT_USER
        seen[f.constant] = origin
    measured_here = configuration(w) if any(f.spread for f, _ in fits) else None
    text = render_block(args.name or f"{w.name}_calibration", w.name, os.path.basename(args.spec), fits,
                        measured_here)
    if args.output and args.output != STDOUT:
        write_atomically(args.output, text)
    else:
        out.write(text)
    return EXIT_OK


def render_block(name: str, plan: str, spec: str, fits: list[tuple[Fit, str]],
                 measured_here: str | None = None) -> str:
    """The `calibration` block: one constant a line, what it was fitted to, the fit error; for a step-time
    fit, the digest of the plan measured and the measured iterations' spread."""
    origins = "; ".join(f"{origin}: {f.constant} from {f.what}" for f, origin in fits)
    errors = [f.error for f, _ in fits if f.error is not None]
    fields = [("fitted_from", f'"{_safe(f"plan {plan} in {spec}; {origins}")}"')]
    fields += [(f.constant, _value(K.REGISTRY[f.constant], f.value)) for f, _ in sorted(fits, key=lambda x: x[0].constant)]
    if errors:
        fields.append(("fit_error", f"{max(errors) * 100:.3g} %"))
    per_log: dict[str, int] = {}
    for f, origin in fits:  # one log may fit several constants from the same samples
        per_log[origin] = max(per_log.get(origin, 0), f.samples)
    fields.append(("samples", str(max(1, sum(per_log.values())))))
    spread = next((f.spread for f, _ in fits if f.spread), None)
    if measured_here and spread:
        fields += [("configuration", f'"{measured_here}"'), ("step_spread_below", f"{spread[0] * 100:.3g} %"),
                   ("step_spread_above", f"{spread[1] * 100:.3g} %")]
    width = max(len(k) for k, _ in fields)  # `=` aligned, as `capplan fmt` writes a block
    return "\n".join(["# Written by `capplan calibrate`: constants fitted to measurements of plan "
                      f"`{plan}` ({_safe(spec)}).",
                      f"# Use it in that plan (or its siblings on the same hardware): framework {{ calibration = {name} }}",
                      f"calibration {name} {{", *(f"  {k.ljust(width)} = {v}" for k, v in fields), "}"]) + "\n"


def _value(const: K.Constant, value: float) -> str:
    if const.unit in ("us", "ms"):
        return f"{value * (1e6 if const.unit == 'us' else 1e3):.6g} {const.unit}"
    return f"{value:.6g}"


def _safe(text: str) -> str:
    """A string literal's content: no quotes, backslashes or control characters."""
    return re.sub(r'["\\\x00-\x1f]', "_", text)


def _megatron(w, text: str, args) -> list[Fit]:
    if w.kind != "training":
        raise FitError(f"a Megatron log measures training; `{w.name}` is an inference plan")
    its = logs.steady_iterations(logs.megatron_iterations(text), args.warmup)
    batches = {it.global_batch for it in its if it.global_batch is not None}
    if batches and batches != {w.global_batch}:
        raise FitError(f"the log's global batch size ({', '.join(map(str, sorted(batches)))}) is not the plan's "
                       f"({w.global_batch}): the step times are not comparable")
    return [_step_time_fit(w, [it.seconds for it in its])]


def _step_time_fit(w, seconds: list[float]) -> Fit:
    """matmul_efficiency from measured step times, with their spread (the measured plan's time band)."""
    return replace(fit_to_figure(w, K.MATMUL_EFFICIENCY, "step_s", seconds), spread=_spread(seconds))


def _torchtitan(w, text: str, args) -> list[Fit]:
    """matmul_efficiency from the steady steps' tokens per second per GPU (as step times of the plan's global
    batch), and allocator_overhead from the peak memory the caching allocator reserved, where the log prints it."""
    if w.kind != "training":
        raise FitError(f"a torchtitan log measures training; `{w.name}` is an inference plan")
    steps = logs.torchtitan_steps(text)[args.warmup:]
    if not steps:
        raise logs.LogError(f"no steady step line left after dropping {args.warmup} warm-up lines")
    tokens = w.global_batch * w.seq_len
    seconds = [tokens / (s.tokens_per_s * w.hardware.gpus) for s in steps]
    fit = _step_time_fit(w, seconds)
    fit = replace(fit, what=fit.what.replace("time per step", "time per step (the global batch over the log's "
                                                                "tokens per second per GPU)"))
    reserved = [s.reserved_gib for s in steps if s.reserved_gib is not None]
    if not reserved:
        return [fit]
    try:
        return [fit, _reserved_overhead(w, max(reserved), len(reserved))]
    except FitError as exc:
        return [replace(fit, what=f"{fit.what}; allocator_overhead not fitted: {exc}")]


def _reserved_overhead(w, reserved_gib: float, samples: int) -> Fit:
    """allocator_overhead from a measured peak of reserved memory on the first pipeline stage's GPU: reserved /
    what the plan allocates there at its peak - 1 (the plan's peak less its CUDA context, NCCL and reserve; the
    caching allocator's reserved memory holds neither the context nor NCCL's buffers)."""
    rank = evaluate_workload(w)["ranks"][0]
    m = rank["memory"]
    allocated = rank["peak_bytes"] - m["cuda_context"] - m["nccl"] - m["allocator_reserve"]
    value = reserved_gib * 2**30 / allocated - 1
    if value <= 0:
        raise FitError(f"the run reserved {reserved_gib:.4g} GiB, {-value:.1%} less than the "
                       f"{allocated / 2**30:.4g} GiB the plan allocates on its first stage: check that the plan "
                       "describes the run (micro-batch, recomputation, precision)")
    return direct(K.ALLOCATOR_OVERHEAD, value, f"peak reserved memory {reserved_gib:.4g} GiB (the largest of "
                  f"{samples} logged intervals) over the {allocated / 2**30:.4g} GiB the plan allocates on its "
                  "first stage", samples, hi=1.0)


def _spread(seconds: list[float]) -> tuple[float, float]:
    """The 10th and 90th percentiles of the iteration times (linear interpolation), below and above their
    median as shares of it: the measured spread of this configuration's step time."""
    mid = statistics.median(seconds)
    if len(seconds) < 2:
        return 0.0, 0.0
    deciles = statistics.quantiles(seconds, n=10, method="inclusive")
    return max(0.0, 1 - deciles[0] / mid), max(0.0, deciles[-1] / mid - 1)


# requests of a benchmark's load simulated at most (its medians settle long before)
SIMULATED_REQUESTS = 5000


def _serving(w, text: str, args) -> list[Fit]:
    if w.kind != "inference":
        raise FitError(f"a serving benchmark measures serving; `{w.name}` is a training plan")
    b = logs.serving_benchmark(text, args.bench_record)
    load, said = _load(w, b)
    if load is not None and b.scheduler and b.scheduler != w.framework.scheduler:
        said += (f"; the result's backend schedules as `{b.scheduler}`, the plan simulates `{w.framework.scheduler}`:"
                 f" state framework.scheduler = {b.scheduler} to fit what ran")
    pairs, why_not = _ttft_pairs(w, b, load)
    said += why_not
    try:
        bandwidth, matmul, front = _fit_serving(w, b, load, pairs)
    except FitError as exc:
        if pairs is None:
            raise
        said += (f"; the line through the requests' (prompt, time to first token) could not be fitted ({exc}): "
                 "prefill fitted to the median time to first token instead, request_overhead the plan's")
        bandwidth, matmul, front = _fit_serving(w, b, load, None)
    if bandwidth is not None and b.tpot_key == "median_itl_ms":
        bandwidth = replace(bandwidth, what=bandwidth.what.replace(
            "time per output token", "time per output token (the result's median ITL: it prints no TPOT)"))
    return [replace(f, what=f"{f.what}, {said}") for f in (bandwidth, matmul, front) if f is not None]


# the line through the requests' (prompt, TTFT) tells the front end's time from prefill's only when the
# prompts differ: the longest at least twice the shortest, over at least this many requests
LINE_MIN_REQUESTS, LINE_MIN_SPREAD = 10, 2.0


def _ttft_pairs(w, b: logs.ServingBenchmark, load) -> tuple[list[tuple[int, float]] | None, str]:
    """Each completed request's (prompt tokens, measured TTFT) where they can fit the front end's time and
    prefill's apart, else None; and what to say of it."""
    if not b.ttfts or load is None:
        return None, ""
    prompts = [i for i, _ in b.lengths]
    if len(prompts) < LINE_MIN_REQUESTS or max(prompts) < LINE_MIN_SPREAD * min(prompts):
        host = w.framework.constant(K.REQUEST_OVERHEAD)
        return None, (f"; the requests' prompts ({min(prompts)} to {max(prompts)} tokens) are too alike to tell the "
                      "front end's time from prefill's: prefill fitted to the median time to first token, "
                      f"request_overhead the plan's ({host * 1e3:.3g} ms)")
    return [(i, t) for (i, _), t in zip(b.lengths, b.ttfts)], ""


def _fit_serving(w, b: logs.ServingBenchmark, load, pairs) -> tuple[Fit | None, Fit | None, Fit | None]:
    """bandwidth_efficiency from the median TPOT; serving_matmul_efficiency from the median TTFT, or, with
    `pairs` (each request's prompt and TTFT), from the slope of the line through them, and request_overhead
    from its intercept."""
    bandwidth = matmul = front = None

    def base(*fits):
        v = w
        for f in fits:
            if f is not None:
                v = with_constant(v, f.constant, f.value)
        return v

    # decode time rests mostly on bandwidth, prefill on matmul throughput, each a little on the other:
    # fit one, then the other with the first applied, then the first again with the second applied
    for _ in range(2 if pairs is None else 3):
        if b.tpot_s is not None:
            try:
                bandwidth = fit_to_figure(base(matmul, front), K.BANDWIDTH_EFFICIENCY, "tpot_s", [b.tpot_s],
                                          samples=b.completed, load=load)
            except FitError as exc:
                if "faster" not in str(exc):
                    raise
                host = w.framework.constant(K.ITERATION_OVERHEAD)
                raise FitError(f"{exc}; or the engine spends less host time per decode iteration than this plan's "
                               f"iteration_overhead ({host * 1e3:.3g} ms: CUDA graphs and overlapping schedulers "
                               "take less): state the engine's in the plan's framework block "
                               "(`iteration_overhead = ... us`) and calibrate again") from None
        if pairs is not None:
            matmul = fit_ttft_line(base(bandwidth, front), "slope", pairs, load, 0.01, 1.0)
            front = fit_ttft_line(base(bandwidth, matmul), "intercept", pairs, load, 0.0, 2.0)
        elif b.ttft_s is not None:
            matmul = fit_to_figure(base(bandwidth), K.SERVING_MATMUL_EFFICIENCY, "ttft_s", [b.ttft_s],
                                   samples=b.completed, load=load)
    return bandwidth, matmul, front


def _load(w, b: logs.ServingBenchmark):
    """The benchmark's load as the simulation's workload, and in words; (None, words) where the result states
    no load: then the plan's own figures (its batch) are what the measurement is set against."""
    if b.concurrency is None and b.request_rate is None:
        return None, "against the plan's own figures (the result states no request rate or concurrency)"
    if b.lengths:
        # each request's own lengths, in the result's order: a dataset's spread (ShareGPT's, say) is not its
        # means' (a long output holds its sequence and its KV blocks for longer; validation/README.md, stop 35)
        prompt = round(statistics.fmean(i for i, _ in b.lengths))
        output = round(statistics.fmean(o for _, o in b.lengths))
        lengths = f"each request's own lengths, {len(b.lengths)} in the result, mean {prompt} / {output} tokens"
    else:
        prompt = round(b.mean_input) if b.mean_input else int(w.prompt or w.context)
        output = round(b.mean_output) if b.mean_output else int(w.output or 1)
        lengths = (f"{prompt} / {output} tokens, the result's means" if b.mean_input and b.mean_output
                   else f"{prompt} / {output} tokens")
    n = min(b.completed or len(b.lengths) or 1000, SIMULATED_REQUESTS)
    rate = b.request_rate if b.request_rate is not None else float("inf")
    if b.concurrency is not None:
        if rate != float("inf"):
            raise FitError(f"the benchmark offers {rate:g} requests/s capped at {b.concurrency} in flight: a "
                           "rate-limited load under a concurrency cap is not simulated yet (run the benchmark with "
                           "one of the two)")
        c = b.concurrency
        return (Workload(prompt, output, requests=max(n, 2 * c + 1), concurrency=c, lengths=b.lengths),
                f"simulated at the benchmark's load ({c} in flight, {lengths})")
    if rate == float("inf"):
        return (Workload(prompt, output, requests=n, lengths=b.lengths),
                f"simulated at the benchmark's load ({n} requests at once, {lengths})")
    return (Workload(prompt, output, requests=n, rate=rate, seed=0, lengths=b.lengths),
            f"simulated at the benchmark's load (Poisson {rate:g} requests/s, {n} requests, {lengths})")


def _torch(w, text: str, args) -> list[Fit]:
    p = logs.torch_profile(text)
    prec = compute_precision(w.precision) if w.precision is not None else "bf16"
    peak = w.hardware.gpu.peak.get(prec) or w.hardware.gpu.peak.get("bf16")
    if not peak:
        raise FitError(f"gpu `{w.hardware.gpu.name}` gives no dense `peak.{prec}` to divide by")
    achieved = p.flops / p.seconds
    share = achievable(w.hardware.gpu)  # matmul_efficiency is a share of the GPU's achievable rate
    ceiling = peak * share
    return [direct(K.MATMUL_EFFICIENCY, achieved / ceiling,
                   f"{p.rows} matmul operators at {achieved / 1e12:.4g} TFLOP/s of {ceiling / 1e12:.4g} ({prec} peak "
                   f"{peak / 1e12:.4g} x matmul_achievable {share:.3g})",
                   p.rows, hi=peak / ceiling)]


def _nccl(w, text: str, args) -> list[Fit]:
    rows = logs.nccl_rows(text)
    best = max(r.busbw for r in rows)
    if w.kind == "training":
        return [_link_efficiency(w, text, best)]
    smallest = min(r.size for r in rows)
    times = [r.time_s for r in rows if r.size == smallest]
    latency = sorted(times)[len(times) // 2]
    return [direct(K.ALLREDUCE_LATENCY, latency,
                   f"all-reduce of {smallest} B in {latency * 1e6:.3g} us "
                   f"(largest bus bandwidth {best / 1e9:.4g} GB/s)",
                   len(times), hi=1e-2)]


def _link_efficiency(w, text: str, busbw: float) -> Fit:
    """A training plan's collectives (engine/collectives.py) run at the links' rate x an efficiency: the largest
    bus bandwidth nccl-tests measured, over that rate, is it. One host: NVLink per direction; several: the
    network per GPU x the ranks each host runs (one adapter per GPU, rail-optimised)."""
    hw = w.hardware
    placement = logs.nccl_placement(text)
    ranks, hosts = placement if placement else (None, 1)
    where = f"{ranks} ranks on {hosts} hosts" if placement else "one host (the output lists no ranks)"
    if hosts <= 1:
        if not hw.intra_node:
            raise FitError(f"the plan's GPUs have no NVLink bandwidth (`intra_node`) to compare the bus bandwidth "
                           f"with; {where}")
        rate, const = hw.intra_node / 2, K.NVLINK_EFFICIENCY
        what = f"of NVLink's {rate / 1e9:.4g} GB/s per direction"
    else:
        per_host = ranks // hosts
        inter = hw.inter_node or K.INTER_NODE_DEFAULT.value
        rate, const = per_host * inter, K.NETWORK_EFFICIENCY
        what = f"of {per_host} x {inter * 8 / 1e9:.4g} Gbit/s network per host"
    return direct(const, busbw / rate, f"largest bus bandwidth {busbw / 1e9:.4g} GB/s {what} ({where})", 1, hi=1.25)


FITTERS = {"megatron_log": _megatron, "torchtitan_log": _torchtitan, "vllm_bench": _serving,
           "sglang_bench": _serving, "torch_profile": _torch, "nccl_tests": _nccl}
