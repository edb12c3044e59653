"""Shared machinery of measure_gpu.py: time budgets, timing, result records, atomic JSON.

Self-contained on purpose (standard library + torch): only the working tree travels to the GPU
machine, and capplan itself is not installed there.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import os
import statistics
import time
import traceback
from typing import Any, Callable

import torch

LOG = logging.getLogger("measure_gpu")

# H200 / H100 L2 is 50 MiB (GH100: 50 MB L2 on the SXM parts); a 256 MiB write evicts it.
L2_FLUSH_BYTES = 256 * 1024 * 1024


class Budget:
    """Wall-clock budget of one section, capped by the global deadline of the whole run."""

    def __init__(self, name: str, seconds: float, deadline: float) -> None:
        self.name = name
        self.start = time.monotonic()
        self.end = min(self.start + seconds, deadline)
        self.seconds = seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def spent(self) -> bool:
        return self.left() <= 0

    def used(self) -> float:
        return round(time.monotonic() - self.start, 3)


class Section:
    """Cases, skipped cases and failures of one section, with its settings."""

    def __init__(self, name: str, budget: Budget, settings: dict[str, Any]) -> None:
        self.name = name
        self.budget = budget
        self.settings = settings
        self.cases: list[dict[str, Any]] = []
        self.skipped: list[str] = []
        self.failures: list[dict[str, Any]] = []
        self.extra: dict[str, Any] = {}

    def run_case(self, case_id: str, fn: Callable[[], dict[str, Any] | None]) -> dict[str, Any] | None:
        """Run one case unless the budget is spent; record its result, or why it has none."""
        if self.budget.spent():
            self.skipped.append(case_id)
            return None
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - one failed case must not end the run
            oom = "out of memory" in str(exc).lower()
            self.failures.append({"case": case_id, "error": f"{type(exc).__name__}: {str(exc)[:400]}",
                                  "out_of_memory": oom,
                                  "traceback_tail": traceback.format_exc().splitlines()[-4:]})
            LOG.warning("%s: %s FAILED %s: %s", self.name, case_id, type(exc).__name__, str(exc)[:200])
            free_memory()
            return None
        if result is None:
            return None
        result = {"case": case_id, **result}
        self.cases.append(result)
        return result

    def as_dict(self) -> dict[str, Any]:
        return {"settings": self.settings, "budget_s": self.budget.seconds, "wall_s": self.budget.used(),
                "budget_spent": self.budget.spent(), "cases": self.cases, "skipped": self.skipped,
                "skipped_count": len(self.skipped), "failures": self.failures, **self.extra}


def free_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
        torch.cuda.empty_cache()


def write_json_atomic(path: str, payload: dict[str, Any]) -> None:
    """Write JSON (sorted keys, indent 1) through a temporary file and os.replace: a kill never
    leaves a half-written file."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, sort_keys=True, indent=1, default=str)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class Timer:
    """Times a callable: CUDA events on a GPU (each repetition bracketed by its own pair of events,
    optional L2 flush before each, outside the timed interval); perf_counter + synchronize on CPU."""

    def __init__(self, device: torch.device, flush_l2: bool = True) -> None:
        self.device = device
        self.cuda = device.type == "cuda"
        self.flush_buf = None
        if self.cuda and flush_l2:
            self.flush_buf = torch.empty(L2_FLUSH_BYTES, dtype=torch.uint8, device=device)

    def sync(self) -> None:
        if self.cuda:
            torch.cuda.synchronize(self.device)

    def once_s(self, fn: Callable[[], Any]) -> float:
        self.sync()
        t0 = time.perf_counter()
        fn()
        self.sync()
        return time.perf_counter() - t0

    def measure(self, fn: Callable[[], Any], target_s: float = 0.03, min_reps: int = 3, max_reps: int = 25,
                flush: bool = True) -> dict[str, Any]:
        """Warm up (one call, also used to pick the repeat count), then time `reps` repetitions.
        Returns median/min/max in milliseconds and the repeat count."""
        first = self.once_s(fn)
        warmup = 1
        if first < 1e-3:  # small kernels: the first call may include lazy loading / autotuning
            fn()
            warmup = 2
        reps = int(max(min_reps, min(max_reps, math.ceil(target_s / max(first, 1e-6)))))
        times_ms: list[float] = []
        if self.cuda:
            pairs = []
            for _ in range(reps):
                if flush and self.flush_buf is not None:
                    self.flush_buf.zero_()
                s = torch.cuda.Event(enable_timing=True)
                e = torch.cuda.Event(enable_timing=True)
                s.record()
                fn()
                e.record()
                pairs.append((s, e))
            torch.cuda.synchronize(self.device)
            times_ms = [s.elapsed_time(e) for s, e in pairs]
        else:
            for _ in range(reps):
                t0 = time.perf_counter()
                fn()
                times_ms.append((time.perf_counter() - t0) * 1e3)
        return {"median_ms": round(statistics.median(times_ms), 6), "min_ms": round(min(times_ms), 6),
                "max_ms": round(max(times_ms), 6), "reps": reps, "warmup": warmup,
                "l2_flushed": bool(flush and self.flush_buf is not None)}


def rate(amount: float, ms: float, scale: float) -> float | None:
    """amount / (ms / 1000) / scale, rounded; None for a zero time."""
    if ms <= 0:
        return None
    return round(amount / (ms / 1e3) / scale, 3)


def dtype_name(dt: torch.dtype) -> str:
    return str(dt).replace("torch.", "")


def memory_stats(device: torch.device) -> dict[str, int | None]:
    """Allocator counters (bytes) on a GPU; None on CPU (no caching allocator)."""
    if device.type != "cuda":
        return {"max_allocated": None, "max_reserved": None, "allocated": None, "reserved": None}
    return {"max_allocated": torch.cuda.max_memory_allocated(device),
            "max_reserved": torch.cuda.max_memory_reserved(device),
            "allocated": torch.cuda.memory_allocated(device),
            "reserved": torch.cuda.memory_reserved(device)}


def reset_peak(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
