"""`capplan export --to vllm`: `vllm serve` arguments at the plan's operating point."""

from __future__ import annotations

import shlex
from typing import Any

from capplan.tools.export.common import (DENSE, _fit_warning, _flabel, _fmt, _fname, _header, _HF_ID, _layout,
    _nodes, _num, _Out, TORCH_DTYPE)


VLLM_KV = {"fp8": "fp8", "fp8_e4m3": "fp8_e4m3", "fp8_e5m2": "fp8_e5m2"}


def _vllm(plan: dict, d: dict, out: _Out) -> str:
    lay = _layout(plan)
    m = d["model"]
    nnodes, per_node, gpus = _nodes(plan, d)
    tp, pp = int(lay.get("tensor") or 1), int(lay.get("pipeline") or 1)
    args: list[tuple[str, str | None]] = []
    notes: list[str] = []

    def add(flag: str, value: Any = None) -> None:
        args.append((flag, None if value is None else (value if isinstance(value, str) else _num(value))))

    name = m.get("display_name") or m["name"]
    if not _HF_ID.match(name or ""):
        out.warn(f"model `{m['name']}` names no Hugging Face repository ({name!r}): replace "
                 f"/path/to/{m['name']} with its checkpoint")
        name = f"/path/to/{m['name']}"
    add("--tensor-parallel-size", tp)
    add("--pipeline-parallel-size", pp)
    context = int(plan.get("layout", {}).get("context") or 0)
    add("--max-model-len", context)
    serving = plan.get("serving") or {}
    operating = serving.get("best_batch") if serving.get("requests_per_s") is not None else None
    batch = int(operating or plan.get("layout", {}).get("batch") or 1)
    add("--max-num-seqs", batch)
    add("--gpu-memory-utilization", float(plan.get("layout", {}).get("memory_utilization") or 0.9))
    weights, kv, dense = d.get("weights"), d.get("kv_cache"), d.get("activations") or _fmt("bf16")
    wn, dn = _fname(weights) or "bf16", _fname(dense) or "bf16"
    if wn in DENSE:
        add("--dtype", TORCH_DTYPE[wn])
        if dn != wn and dn in DENSE:
            out.warn(f"{wn} weights with {dn} activations: vLLM's --dtype sets both; {TORCH_DTYPE[wn]} used")
    else:
        add("--dtype", TORCH_DTYPE.get(dn, "bfloat16"))
    kn = _fname(kv) or dn
    if kn == (wn if wn in DENSE else dn):
        add("--kv-cache-dtype", "auto")
    elif kn in VLLM_KV:
        add("--kv-cache-dtype", VLLM_KV[kn])
        if kn == "fp8":
            notes.append("--kv-cache-dtype fp8: vLLM's fp8 is fp8_e4m3 on CUDA")
    elif kn in ("bf16", "fp16"):
        add("--kv-cache-dtype", TORCH_DTYPE[kn])
        notes.append(f"--kv-cache-dtype {TORCH_DTYPE[kn]} differs from the model dtype; recent vLLM only "
                     "(older releases accept auto and fp8 variants)")
    else:
        out.warn(f"a KV cache in {_flabel(kv)} cannot be expressed: vLLM's --kv-cache-dtype is auto or fp8 "
                 "(e4m3/e5m2); left at auto, which holds the cache in the model dtype")
    _vllm_quantization(weights, m, add, out, notes)
    add("--block-size", int(d.get("block_size") or 16))
    add("--max-num-batched-tokens", int(d.get("prefill_chunk") or 8192))
    notes.append("--block-size and --max-num-batched-tokens: the paged-cache block and prefill chunk the "
                 "plan was evaluated with (capplan's defaults are vLLM's: 16 and 8192)")
    scheduler = (d.get("framework") or {}).get("scheduler") or "vllm"
    if scheduler != "vllm":
        out.warn(f"the plan's serving figures assume {scheduler}'s batch scheduler (framework.scheduler); vLLM "
                 "schedules prompt chunks beside the decodes and preempts when the cache is full: state "
                 "scheduler = vllm to evaluate what this server does")
    replicas = serving.get("replicas")
    if isinstance(replicas, (int, float)) and replicas > 1:
        out.warn(f"the plan's request rate needs {int(replicas)} replicas of this server "
                 f"({serving.get('gpus_total', '?')} GPUs): one `vllm serve` is one replica; run it on each "
                 "and balance the requests across them")
    best = serving.get("best_batch")
    if operating:
        notes.append(f"--max-num-seqs {batch}: the operating point of the plan's serving estimate (the "
                     "largest batch that fits and meets its latency targets)")
    elif isinstance(best, (int, float)) and best > batch:
        notes.append(f"--max-num-seqs is the plan's batch; capplan's serving estimate finds {int(best)} "
                     "concurrent sequences best: set `batch` in the plan to export that")
    if nnodes > 1:
        add("--distributed-executor-backend", "ray")
        notes.append(f"{gpus} GPUs over {nnodes} nodes: start a Ray cluster on them first "
                     "(vLLM's multi-node serving)")
    if d.get("_from_result"):
        out.warn("exported from the result JSON alone: block size and prefill chunk assumed at capplan's "
                 "defaults (16, 8192)")
    _fit_warning(plan, out)

    lines = _header(plan, "vllm", "vLLM OpenAI-compatible server (flag names checked against "
                    "vllm/engine/arg_utils.py: tests/data/export/vllm_arguments.json)")
    lines += [f"# {n}" for n in notes]
    lines += out.warning_lines()
    body = [f"vllm serve {shlex.quote(name)} \\"]
    for i, (flag, value) in enumerate(args):
        tail = " \\" if i < len(args) - 1 else ""
        body.append(f"  {flag}" + ("" if value is None else f" {shlex.quote(value)}") + tail)
    return "\n".join(lines + body) + "\n"


def _vllm_quantization(weights: dict | None, m: dict, add, out: _Out, notes: list[str]) -> None:
    wn = _fname(weights) or "bf16"
    if wn in DENSE:
        return
    model = m.get("display_name") or m["name"]
    if wn == "int4":
        if weights and weights.get("zero_point"):
            add("--quantization", "awq")
            notes.append("int4 with groups and zero points -> AWQ (asymmetric 4-bit, one scale and zero per "
                         "group)")
            method = "AWQ"
        else:
            add("--quantization", "gptq")
            notes.append("int4 with symmetric group scales -> GPTQ (sym=True; AWQ always stores zero points)")
            method = "GPTQ"
            if not (weights and weights.get("group")):
                out.warn("bare int4 (no groups): a GPTQ checkpoint stores per-group or per-channel scales "
                         "that the plan does not count")
        out.warn(f"--quantization {method.lower()} loads a {method}-quantized checkpoint of {model}; vLLM does "
                 "not quantize to it at load time: serve that checkpoint instead of the original")
    elif wn in ("fp8", "fp8_e4m3"):
        add("--quantization", "fp8")
        notes.append("--quantization fp8: vLLM quantizes a 16-bit checkpoint's weights to fp8 (e4m3) at load")
    elif wn == "fp8_e5m2":
        add("--quantization", "fp8")
        out.warn("fp8_e5m2 weights: vLLM's fp8 weight quantization is e4m3")
    elif wn == "nf4":
        add("--quantization", "bitsandbytes")
        notes.append("nf4 -> bitsandbytes: vLLM quantizes a 16-bit checkpoint to 4-bit NormalFloat at load "
                     "(in-flight bitsandbytes quantization)")
        if weights and weights.get("double_quant"):
            out.warn("nf4 double quantization is decided by the checkpoint's or bitsandbytes' settings, "
                     "not by a vLLM flag")
    elif wn == "fp4":
        add("--quantization", "modelopt_fp4")
        out.warn(f"--quantization modelopt_fp4 loads an NVFP4 checkpoint of {model} (ModelOpt); vLLM does not "
                 "quantize to it at load time")
    elif wn == "int8":
        out.warn("int8 weights: vLLM takes the int8 method from a pre-quantized checkpoint's "
                 "quantization_config (e.g. compressed-tensors W8A16 or W8A8); no --quantization emitted")
    else:
        out.warn(f"weights in {_flabel(weights)} cannot be expressed in vLLM")


# ---------------------------------------------------------------- entry points
