"""Readers for the measurements users already have: each returns plain numbers, or raises LogError
with what it could not read.

- Megatron-LM (and Megatron-DeepSpeed) iteration lines, as `training_log` in
  megatron/training/training.py prints them:
  ` iteration 100/ 1000 | consumed samples: ... | elapsed time per iteration (ms): 869.1 | ...
  global batch size: 16 | ... | number of skipped iterations: 0 | ...`; Megatron-DeepSpeed (BLOOM's
  tr11 logs) prints `elapsed time per iteration (s): 104.70` instead.
- vLLM's benchmark (benchmarks/benchmark_serving.py, `vllm bench serve --save-result`): one JSON
  object with `median_ttft_ms`, `median_tpot_ms`, `completed`, `max_concurrency`, `request_rate`, ...;
  SGLang's (`python -m sglang.bench_serving --output-file F`) appends one such object a line (JSON Lines),
  one line per run, with the same keys (older releases print `median_itl_ms` but no `median_tpot_ms`). Saved
  with --save-detailed, vLLM's also keeps each request's lengths (`input_lens`, `output_lens`) and time to
  first token (`ttfts`, seconds).
- torchtitan's step lines (torchtitan/components/metrics.py: `step: 20  loss: 11.83506  grad_norm: 9.6669
  memory: 48.87GiB(51.44%)  tps: 4,376  tflops: 253.41  mfu: 25.62%`; `wps:` in 2024): tokens per second per
  GPU over the logging interval and the peak memory the caching allocator reserved.
- nccl-tests (all_reduce_perf and friends): the table whose columns are size, count, type, redop,
  root, then time/algbw/busbw/#wrong out of place and in place (doc/PERFORMANCE.md defines busbw).
- PyTorch profiler tables (`prof.key_averages().table()` with `with_flops=True`): the rows of the
  matrix-multiply operators, their self device time and their FLOPs.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass


class LogError(ValueError):
    """A log that does not hold what the fit needs; str() says what is missing."""


@dataclass(frozen=True)
class Iteration:
    iteration: int
    seconds: float               # elapsed time per iteration
    global_batch: int | None
    skipped: int | None          # iterations skipped in the interval (fp16 loss-scale overflow)


_ITERATION = re.compile(r"\biteration\s+(\d+)\s*/\s*(?:\d+|infinity)\s*\|")
_ELAPSED = re.compile(r"elapsed time per iteration \((ms|s)\):\s*([0-9.]+)")
_BATCH = re.compile(r"global batch size:\s*(\d+)")
_SKIPPED = re.compile(r"number of skipped iterations:\s*(\d+)")


def megatron_iterations(text: str) -> list[Iteration]:
    """Every iteration line of a Megatron-LM log, in order."""
    out = []
    for line in text.splitlines():
        it, elapsed = _ITERATION.search(line), _ELAPSED.search(line)
        if not it or not elapsed:
            continue
        seconds = float(elapsed.group(2)) / (1000.0 if elapsed.group(1) == "ms" else 1.0)
        batch, skipped = _BATCH.search(line), _SKIPPED.search(line)
        out.append(Iteration(int(it.group(1)), seconds, int(batch.group(1)) if batch else None,
                             int(skipped.group(1)) if skipped else None))
    if not out:
        raise LogError("no Megatron iteration line (`iteration N/ M | ... | elapsed time per iteration (ms): X |`)")
    return out


def steady_iterations(its: list[Iteration], warmup: int) -> list[Iteration]:
    """The iterations a fit may use: after the first `warmup` logged lines (start-up, compilation,
    allocator growth), without intervals that skipped iterations (loss-scale warm-up)."""
    kept = [it for it in its[warmup:] if not it.skipped]
    if not kept:
        raise LogError(f"no steady iteration left after dropping {warmup} warm-up lines and the intervals "
                       "with skipped iterations")
    return kept


@dataclass(frozen=True)
class TitanStep:
    step: int
    tokens_per_s: float          # per GPU: torchtitan's tps (wps before December 2024)
    reserved_gib: float | None   # the caching allocator's peak reserved memory over the interval


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_TITAN_STEP = re.compile(r"\bstep:\s*(\d+)\s")
_TITAN_TPS = re.compile(r"\b(?:tps|wps):\s*([0-9][0-9,]*(?:\.[0-9]+)?)")
_TITAN_MEMORY = re.compile(r"\bmemory:\s*([0-9.]+)\s*GiB")


def torchtitan_steps(text: str) -> list[TitanStep]:
    """Every training-step line of a torchtitan log, in order: `step: N  loss: ...  memory: X GiB(P%)  tps: T
    ...` (torchtitan/components/metrics.py MetricsProcessor.log; `wps:` in 2024's train.py), colour codes
    stripped; validation lines (`validate step:`) left out."""
    out = []
    for raw in text.splitlines():
        line = _ANSI.sub("", raw)
        step, tps = _TITAN_STEP.search(line), _TITAN_TPS.search(line)
        if not step or not tps or "validate step" in line:
            continue
        memory = _TITAN_MEMORY.search(line)
        out.append(TitanStep(int(step.group(1)), float(tps.group(1).replace(",", "")),
                             float(memory.group(1)) if memory else None))
    if not out:
        raise LogError("no torchtitan step line (`step: N  loss: ...  memory: X GiB(P%)  tps: T ...`)")
    return out


@dataclass(frozen=True)
class ServingBenchmark:
    ttft_s: float | None         # median time to first token
    tpot_s: float | None         # median time per output token (excluding the first)
    completed: int | None
    concurrency: int | None      # max_concurrency, when the benchmark capped it
    request_rate: float | None   # requests/s offered (inf: all at once)
    tpot_key: str = "median_tpot_ms"          # where tpot_s came from (median_itl_ms where no TPOT is printed)
    mean_input: float | None = None           # total_input_tokens / completed
    mean_output: float | None = None          # total_output_tokens / completed
    scheduler: str | None = None              # the engine's scheduler, as framework.scheduler names it
    lengths: tuple[tuple[int, int], ...] = ()  # each completed request's (input, output) tokens, where the
    #                                            result keeps them (vLLM's --save-detailed: input_lens, output_lens)
    ttfts: tuple[float, ...] = ()  # each of those requests' time to first token, s, where the result keeps
    #                                it too (`ttfts`: vLLM's and SGLang's detailed results), else ()


def serving_benchmark(text: str, record: int | None = None) -> ServingBenchmark:
    """One run of a serving benchmark's result: vLLM's JSON object, or line `record` (1-based) of SGLang's
    JSON Lines (required when the file holds several runs)."""
    runs = _json_records(text)
    if len(runs) > 1 and record is None:
        listed = "; ".join(f"{i}: request_rate {_shown(r.get('request_rate'))}, max_concurrency "
                           f"{_shown(r.get('max_concurrency'))}, {_shown(r.get('completed'))} completed"
                           for i, r in enumerate(runs[:8], 1))
        raise LogError(f"{len(runs)} runs in the file ({listed}{'; ...' if len(runs) > 8 else ''}): "
                       "choose the one this plan describes with --bench-record N")
    if record is not None and not 1 <= record <= len(runs):
        raise LogError(f"--bench-record {record}: the file holds {len(runs)} run(s)")
    d = runs[(record or 1) - 1]

    def ms(key: str) -> float | None:
        v = d.get(key)
        return float(v) / 1000.0 if isinstance(v, (int, float)) and math.isfinite(v) and v > 0 else None

    def count(key: str) -> int | None:
        v = d.get(key)
        return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0 \
            else None

    tpot_key = "median_tpot_ms" if ms("median_tpot_ms") is not None else "median_itl_ms"
    ttft, tpot = ms("median_ttft_ms"), ms(tpot_key)
    if ttft is None and tpot is None:
        raise LogError("none of `median_ttft_ms`, `median_tpot_ms`, `median_itl_ms` is in the result")
    rate = d.get("request_rate")
    rate = float("inf") if rate in ("inf", "Infinity") else rate
    rate = float(rate) if isinstance(rate, (int, float)) and not isinstance(rate, bool) and rate > 0 else None
    done = count("completed")
    tokens_in, tokens_out = count("total_input_tokens"), count("total_output_tokens")
    backend = str(d.get("backend") or "")
    return ServingBenchmark(ttft, tpot, done, count("max_concurrency"), rate, tpot_key,
                            tokens_in / done if tokens_in and done else None,
                            tokens_out / done if tokens_out and done else None,
                            BACKEND_SCHEDULERS.get(backend.split("-")[0]), *_per_request(d))


def _per_request(d: dict) -> tuple[tuple[tuple[int, int], ...], tuple[float, ...]]:
    """Each completed request's (input, output) tokens from a result that keeps them (`input_lens`,
    `output_lens`: vLLM's benchmark with --save-detailed; vllm/benchmarks/serve.py calculate_metrics counts a
    failed request's output as 0, so those are left out), and their times to first token where it keeps those
    too (`ttfts`, seconds, one per request in the same order; a failed request's is 0); ((), ()) where it
    does not."""
    ins, outs, ttfts = d.get("input_lens"), d.get("output_lens"), d.get("ttfts")
    if ins is None and outs is None:
        return (), ()
    if not isinstance(ins, list) or not isinstance(outs, list) or len(ins) != len(outs):
        raise LogError("`input_lens` and `output_lens` must be lists of the same length (one entry per request)")
    if not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in ins + outs):
        raise LogError("`input_lens` and `output_lens` must hold whole token counts")
    kept = [k for k, (i, o) in enumerate(zip(ins, outs)) if i > 0 and o > 0]
    lengths = tuple((ins[k], outs[k]) for k in kept)
    if ttfts is None:
        return lengths, ()
    if not isinstance(ttfts, list) or len(ttfts) != len(ins) or not all(
            isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t) and t >= 0 for t in ttfts):
        raise LogError("`ttfts` must be a list of times in seconds, one per request, as long as `input_lens`")
    times = tuple(float(ttfts[k]) for k in kept)
    return (lengths, times) if all(t > 0 for t in times) else (lengths, ())


# the benchmarks' `backend` (sglang.bench_serving and vLLM's benchmark_serving backends) -> framework.scheduler
BACKEND_SCHEDULERS = {"sglang": "sglang", "vllm": "vllm", "trt": "tensorrt_llm"}


def _shown(value) -> str:
    """A field of a result as the file has it (JSON's null: none), kept short."""
    return "none" if value is None else str(value)[:24]


def _json_records(text: str) -> list[dict]:
    """The JSON objects of a file holding one object, or one a line."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict):
        return [whole]
    if whole is not None:
        raise LogError("not a JSON object: a benchmark saves one object per run")
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LogError(f"not a JSON benchmark result: line {n}: {exc.msg} at column {exc.colno}") from None
        if not isinstance(d, dict):
            raise LogError(f"line {n} is not a JSON object: a benchmark saves one object per run")
        out.append(d)
    if not out:
        raise LogError("an empty file: no benchmark result")
    return out


@dataclass(frozen=True)
class NcclRow:
    size: int                    # bytes
    time_s: float                # out-of-place time
    busbw: float                 # bytes/s, out of place


def nccl_rows(text: str) -> list[NcclRow]:
    """The data rows of an nccl-tests table (lines not starting with `#`, 13 columns)."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#") or len(parts) < 8 or not parts[0].isdigit():
            continue
        try:
            size, time_us, busbw = int(parts[0]), float(parts[5]), float(parts[7])
        except ValueError:
            continue
        out.append(NcclRow(size, time_us * 1e-6, busbw * 1e9))
    if not out:
        raise LogError("no nccl-tests data row (size count type redop root time algbw busbw ...)")
    return out


_NCCL_RANK = re.compile(r"^#\s*Rank\s+(\d+)\s+Group\s+\d+\s+Pid\s+\d+\s+on\s+(\S+)\s+device", re.M)


def nccl_placement(text: str) -> tuple[int, int] | None:
    """(ranks, hosts) from nccl-tests' `#  Rank  0 Group  0 Pid 1234 on host device 0 ...` lines, or None
    where the output does not list its devices."""
    ranks = {}
    for m in _NCCL_RANK.finditer(text):
        ranks[int(m.group(1))] = m.group(2)
    return (len(ranks), len(set(ranks.values()))) if ranks else None


@dataclass(frozen=True)
class ProfiledMatmuls:
    seconds: float               # self device time of the matrix multiplies
    flops: float
    rows: int


_MATMULS = {"aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm", "aten::matmul", "aten::linear",
            "aten::_scaled_mm"}
_FLOP_UNITS = {"FLOPs": 1.0, "KFLOPs": 1e3, "MFLOPs": 1e6, "GFLOPs": 1e9, "TFLOPs": 1e12, "PFLOPs": 1e15}
_TIME = re.compile(r"^([0-9.]+)(us|ms|s)$")


def torch_profile(text: str) -> ProfiledMatmuls:
    """Matrix-multiply time and FLOPs from a `key_averages().table()`: the header names the columns
    (`Self CUDA` or `Self Device`, `Total GFLOPs` or another prefix); rows are split on 2+ spaces."""
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if line.strip().startswith("Name") and "FLOPs" in line), None)
    if header is None:
        raise LogError("no profiler table with FLOPs: profile with `with_flops=True` and print key_averages().table()")
    columns = re.split(r"\s{2,}", lines[header].strip())
    time_col = next((i for i, c in enumerate(columns) if c in ("Self CUDA", "Self Device", "Self XPU")), None)
    flop_col = next((i for i, c in enumerate(columns) if c.startswith("Total") and c.endswith("FLOPs")), None)
    if time_col is None or flop_col is None:
        raise LogError("the table has no `Self CUDA`/`Self Device` or `Total ...FLOPs` column")
    scale = _FLOP_UNITS.get(columns[flop_col].split()[-1], None)
    if scale is None:
        raise LogError(f"unknown FLOP unit in `{columns[flop_col]}`")
    seconds = flops = 0.0
    rows = 0
    for line in lines[header + 1:]:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) != len(columns) or cells[0] not in _MATMULS:
            continue
        t = _TIME.match(cells[time_col])
        count = cells[flop_col].replace(",", "")
        if not t or not re.fullmatch(r"[0-9.]+", count):
            continue  # wrappers (aten::linear, aten::matmul) print `--`: their children carry the FLOPs
        seconds += float(t.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[t.group(2)]
        flops += float(count) * scale
        rows += 1
    if rows == 0 or seconds <= 0 or flops <= 0:
        raise LogError("no matrix-multiply row (aten::mm, addmm, bmm, ...) with device time and FLOPs")
    return ProfiledMatmuls(seconds, flops, rows)
