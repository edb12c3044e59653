"""One-GPU measurements for capplan's time model and peak-memory validation corpus.

    python3 validation/gpu/measure_gpu.py --out DIR [--budget-s 420] [--smoke] [--sections env,gemm,...]

Sections, most valuable first: env (device, versions, CUDA context size), gemm (bf16 linear shapes of
Llama-2/3.1 and Mixtral at TP 1/2/4/8, forward + both backward GEMMs; a guarded fp8 subset), training
(peak memory and step time of real training steps), inference (prefill, decode, cache memory),
attention (SDPA backends and eager; prefill and decode shapes), membound (copy, norms, activations,
cross-entropy, AdamW). Each section has its own share of the time budget and stops starting cases when
it is spent; skipped cases are listed. DIR/gpu_results.json is rewritten (atomically) after every
section, and DIR/measure_gpu.log holds the log, so a killed run still leaves data.

--smoke runs every code path on the CPU with tiny sizes: a test of the script, not a measurement.
Self-contained: standard library + torch + transformers (+ nvidia-ml-py if present); no capplan import.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import platform
import sys
import time
from typing import Any

T_PROCESS = time.monotonic()  # the budget counts imports and model construction too
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import gpu_kernels  # noqa: E402
import gpu_models  # noqa: E402
from gpu_common import LOG, Budget, Section, Timer, free_memory, write_json_atomic  # noqa: E402

SCHEMA = "capplan-gpu-results/1"
FINAL_MARGIN_S = 10.0  # kept free at the end: a case started just before a budget ends may overrun
# share of the total budget per section, in running order (sums to 1)
SHARES = {"env": 0.03, "gemm": 0.22, "training": 0.27, "inference": 0.2, "attention": 0.16, "membound": 0.12}


def _nvml():
    try:
        import pynvml
        pynvml.nvmlInit()
        return pynvml
    except Exception:  # noqa: BLE001 - optional: no nvml, no nvml numbers
        return None


def _nvml_device_info(nv, index: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    h = nv.nvmlDeviceGetHandleByIndex(index)
    for key, fn in [("driver_version", lambda: nv.nvmlSystemGetDriverVersion()),
                    ("cuda_driver_version", lambda: nv.nvmlSystemGetCudaDriverVersion_v2()),
                    ("name", lambda: nv.nvmlDeviceGetName(h)),
                    ("memory_total", lambda: nv.nvmlDeviceGetMemoryInfo(h).total),
                    ("memory_used", lambda: nv.nvmlDeviceGetMemoryInfo(h).used),
                    ("sm_clock_mhz", lambda: nv.nvmlDeviceGetClockInfo(h, nv.NVML_CLOCK_SM)),
                    ("sm_clock_max_mhz", lambda: nv.nvmlDeviceGetMaxClockInfo(h, nv.NVML_CLOCK_SM)),
                    ("mem_clock_mhz", lambda: nv.nvmlDeviceGetClockInfo(h, nv.NVML_CLOCK_MEM)),
                    ("mem_clock_max_mhz", lambda: nv.nvmlDeviceGetMaxClockInfo(h, nv.NVML_CLOCK_MEM)),
                    ("power_limit_w", lambda: nv.nvmlDeviceGetPowerManagementLimit(h) / 1000),
                    ("temperature_c", lambda: nv.nvmlDeviceGetTemperature(h, nv.NVML_TEMPERATURE_GPU)),
                    ("persistence_mode", lambda: nv.nvmlDeviceGetPersistenceMode(h)),
                    ("ecc_mode_current", lambda: nv.nvmlDeviceGetEccMode(h)[0]),
                    ("mig_mode_current", lambda: nv.nvmlDeviceGetMigMode(h)[0])]:
        try:
            v = fn()
            out[key] = v.decode() if isinstance(v, bytes) else v
        except Exception as exc:  # noqa: BLE001 - a field this driver does not expose
            out[key] = f"unavailable: {type(exc).__name__}"
    return out


def _nvml_process_bytes(nv, index: int) -> int | None:
    try:
        h = nv.nvmlDeviceGetHandleByIndex(index)
        for p in nv.nvmlDeviceGetComputeRunningProcesses(h):
            if p.pid == os.getpid():
                return int(p.usedGpuMemory) if p.usedGpuMemory is not None else None
    except Exception:  # noqa: BLE001
        return None
    return None


def env_section(sec: Section, device: torch.device) -> None:
    """Versions, device properties, and the CUDA context: memory the process holds outside the caching
    allocator, measured (a) with nvml (device used before CUDA init vs after + a tiny allocation) and
    (b) with cudaMemGetInfo, each minus torch.cuda.memory_reserved(); again after the first cuBLAS GEMM
    and the first SDPA call, which load more kernels."""
    import transformers

    info: dict[str, Any] = {"torch": torch.__version__, "torch_cuda": torch.version.cuda,
                            "cudnn": torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None,
                            "transformers": transformers.__version__, "python": sys.version.split()[0],
                            "platform": platform.platform(), "cpu_count": os.cpu_count(),
                            "device_type": device.type,
                            "CUDA_MODULE_LOADING": os.environ.get("CUDA_MODULE_LOADING", "(unset: LAZY default)"),
                            "PYTORCH_CUDA_ALLOC_CONF": os.environ.get("PYTORCH_CUDA_ALLOC_CONF")}
    try:
        import triton
        info["triton"] = triton.__version__
    except ImportError:
        info["triton"] = None
    sec.extra["versions"] = info
    if device.type != "cuda":
        sec.extra["context"] = "not measured: no CUDA device (smoke run)"
        sec.cases.append({"case": "cpu", "torch_num_threads": torch.get_num_threads()})
        return
    nv = _nvml()
    idx = device.index or 0
    before = _nvml_device_info(nv, idx) if nv else None
    torch.cuda.init()
    tiny = torch.empty(1, device=device)  # one 4-byte tensor: the allocator reserves one 2 MiB segment
    torch.cuda.synchronize(device)
    free, total = torch.cuda.mem_get_info(device)
    reserved = torch.cuda.memory_reserved(device)
    props = torch.cuda.get_device_properties(device)
    sec.extra["device"] = {"name": props.name, "sm_count": props.multi_processor_count,
                           "total_memory": props.total_memory, "capability": f"{props.major}.{props.minor}",
                           "l2_cache_bytes": getattr(props, "L2_cache_size", None),
                           "nvml_before_cuda_init": before}
    ctx: dict[str, Any] = {"tiny_allocation_reserved_bytes": reserved, "mem_get_info_total": total,
                           "mem_get_info_free_after_init": free}

    def snapshot(label: str) -> None:
        torch.cuda.synchronize(device)
        f, _ = torch.cuda.mem_get_info(device)
        res = torch.cuda.memory_reserved(device)
        row: dict[str, Any] = {"reserved": res, "mem_get_info_free": f}
        if nv and isinstance(before, dict) and isinstance(before.get("memory_used"), int):
            used_now = nv.nvmlDeviceGetMemoryInfo(nv.nvmlDeviceGetHandleByIndex(idx)).used
            row["nvml_device_used_delta"] = used_now - before["memory_used"]
            row["context_bytes_nvml_device"] = used_now - before["memory_used"] - res
            proc = _nvml_process_bytes(nv, idx)
            row["nvml_process_used"] = proc
            row["context_bytes_nvml_process"] = None if proc is None else proc - res
            free_before = before["memory_total"] - before["memory_used"]
            row["context_bytes_mem_get_info"] = free_before - f - res
        ctx[label] = row

    snapshot("after_init_and_tiny_allocation")
    a = torch.randn(1024, 1024, device=device, dtype=torch.bfloat16)
    torch.matmul(a, a)
    snapshot("after_first_cublas_gemm")
    q = torch.randn(1, 8, 128, 64, device=device, dtype=torch.bfloat16)
    torch.nn.functional.scaled_dot_product_attention(q, q, q, is_causal=True)
    snapshot("after_first_sdpa")
    del a, q, tiny
    sec.extra["context"] = ctx
    sec.extra["context_method"] = ("context = (device memory used now - used before torch.cuda.init(), from "
                                   "nvml) - torch.cuda.memory_reserved(); also from nvml's per-process figure "
                                   "and from cudaMemGetInfo against nvml's free-before. Only valid when no "
                                   "other process allocates meanwhile.")
    if nv:
        sec.extra["nvml_after"] = _nvml_device_info(nv, idx)
    free_memory()


def allocator_summary(results: dict[str, Any]) -> dict[str, Any]:
    """Allocator overhead of the realistic runs: reserved / allocated at the peak of each training case."""
    rows = []
    for case in results["sections"].get("training", {}).get("cases", []):
        a, r = case.get("peak_bytes"), case.get("peak_reserved_bytes")
        if a and r:
            rows.append({"case": case["case"], "peak_allocated": a, "peak_reserved": r,
                         "reserved_over_allocated": round(r / a, 4)})
    ratios = sorted(x["reserved_over_allocated"] for x in rows)
    return {"method": "max_memory_reserved vs max_memory_allocated per training case (each minus what was "
                      "allocated before the model was built)", "cases": rows,
            "median_ratio": ratios[len(ratios) // 2] if ratios else None,
            "max_ratio": ratios[-1] if ratios else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--budget-s", type=float, default=420.0, help="total wall budget for the sections")
    ap.add_argument("--smoke", action="store_true", help="CPU, tiny sizes: tests the script, measures nothing")
    ap.add_argument("--sections", default=",".join(SHARES), help="comma-separated subset, in running order")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    out_json = os.path.join(args.out, "gpu_results.json")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s",
                        handlers=[logging.FileHandler(os.path.join(args.out, "measure_gpu.log"), mode="w"),
                                  logging.StreamHandler(sys.stdout)])
    t_start = T_PROCESS
    deadline = t_start + args.budget_s - FINAL_MARGIN_S
    if args.smoke:
        device = torch.device("cpu")
        torch.set_num_threads(1)  # tiny ops: threads only contend (and the test machine is shared)
    elif torch.cuda.is_available():
        # not torch.cuda.current_device(): it would initialise CUDA before env measures the context
        device = torch.device("cuda", 0)
    else:
        LOG.error("no CUDA device; use --smoke for a CPU test run")
        return 2
    torch.manual_seed(0)
    results: dict[str, Any] = {
        "schema": SCHEMA,
        "smoke": args.smoke,
        "what": ("CPU SMOKE RUN: tiny sizes on the CPU to exercise every code path; NOT a measurement"
                 if args.smoke else "measurements on one GPU"),
        "command_line": " ".join([sys.executable] + sys.argv),
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "budget_s": args.budget_s, "section_shares": SHARES, "sections": {},
        "conventions": {"gemm_flops": "2*M*N*K", "attention_flops": "causal forward 2*b*h*s^2*d (half of "
                        "4*b*h*s^2*d); forward+backward = 3.5 x forward", "tflops": "1e12 FLOP/s",
                        "bandwidth": "minimum bytes read+written once / median time; TB/s = 1e12 B/s",
                        "times": "median of repetitions after warm-up; CUDA events per repetition on GPU"},
    }
    runners = {
        "env": lambda sec: env_section(sec, device),
        "gemm": lambda sec: _with_timer(device, True, lambda t: gpu_kernels.gemm_section(sec, t, device, args.smoke)),
        "training": lambda sec: gpu_models.training_section(sec, device, args.smoke),
        "inference": lambda sec: gpu_models.inference_section(sec, device, args.smoke),
        "attention": lambda sec: _with_timer(device, True,
                                             lambda t: gpu_kernels.attention_section(sec, t, device, args.smoke)),
        "membound": lambda sec: _with_timer(device, True,
                                            lambda t: gpu_kernels.membound_section(sec, t, device, args.smoke)),
    }
    wanted = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SHARES]
    if unknown:
        LOG.error("unknown section(s) %s; known: %s", unknown, ", ".join(SHARES))
        return 2
    for name in [s for s in SHARES if s in wanted]:
        share = SHARES[name] * args.budget_s
        # a section may use what earlier sections left unused, but never the later sections' shares
        later = sum(SHARES[s] for s in SHARES if s in wanted and list(SHARES).index(s) > list(SHARES).index(name))
        seconds = max(share, deadline - time.monotonic() - later * args.budget_s)
        sec = Section(name, Budget(name, seconds, deadline), {"device": str(device), "smoke": args.smoke})
        LOG.info("section %s: budget %.1f s", name, seconds)
        try:
            runners[name](sec)
        except Exception as exc:  # noqa: BLE001 - keep going: later sections still have value
            LOG.exception("section %s aborted", name)
            sec.failures.append({"case": "(section)", "error": f"{type(exc).__name__}: {exc}"})
        free_memory()
        results["sections"][name] = sec.as_dict()
        LOG.info("section %s: %d cases, %d skipped, %d failed in %.1f s", name, len(sec.cases), len(sec.skipped),
                 len(sec.failures), sec.budget.used())
        results["wall_s"] = round(time.monotonic() - t_start, 2)
        write_json_atomic(out_json, results)
    results["allocator"] = allocator_summary(results)
    results["wall_s"] = round(time.monotonic() - t_start, 2)
    results["complete"] = True
    write_json_atomic(out_json, results)
    LOG.info("wrote %s in %.1f s", out_json, results["wall_s"])
    return 0


def _with_timer(device, flush: bool, fn) -> None:
    timer = Timer(device, flush_l2=flush)
    try:
        fn(timer)
    finally:
        del timer
        free_memory()


if __name__ == "__main__":
    sys.exit(main())
