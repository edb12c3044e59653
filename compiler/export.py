"""`capplan export`: an evaluated plan's layout as the arguments or config of the framework
that runs it.

    capplan export FILE PLAN --to megatron|deepspeed|torchrun|vllm [-o OUT]

Targets (every argument/key name used here is listed, with its source, in
compiler/export_sources.md and tests/data/export/):

- megatron  (training): a bash fragment defining NNODES, NPROC_PER_NODE and the array
  MEGATRON_ARGS of Megatron-LM `pretrain_gpt.py` arguments.
- deepspeed (training): a DeepSpeed config JSON (documented keys only).
- torchrun  (training): a `torchrun` command line (launcher flags) followed by the
  training-script settings for PyTorch FSDP/DDP, which are capplan's suggested names for
  the user's own script, not torchrun flags.
- vllm      (inference): a `vllm serve MODEL ...` command line.

What a target cannot express is never dropped silently: it becomes a warning, printed to
stderr and, for the text targets, written into the output as a comment line starting
with `# capplan:`.

Nothing here prints except `main`.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

TARGETS: dict[str, str] = {"megatron": "training", "deepspeed": "training", "torchrun": "training",
                           "vllm": "inference"}
EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

WARNING_PREFIX = "# capplan: "
DENSE = ("fp32", "tf32", "bf16", "fp16")
TORCH_DTYPE = {"fp32": "float32", "tf32": "float32", "bf16": "bfloat16", "fp16": "float16"}


class ExportError(Exception):
    """A plan that cannot be exported to the target (wrong kind): a user error, not a bug."""


@dataclass
class Exported:
    text: str
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- what the plan says

def _fmt(f: Any) -> dict | None:
    """A numeric format (capplan.values.Format, or a name) as a plain dict."""
    if f is None:
        return None
    if isinstance(f, str):
        return {"name": f, "group": None, "zero_point": False, "double_quant": False, "scale": None}
    return {"name": f.name, "group": f.group, "zero_point": bool(f.zero_point),
            "double_quant": bool(f.double_quant), "scale": f.scale}


def _int(x: Any) -> int | None:
    return None if x is None else int(round(float(x)))


def _model_details(m: Any) -> dict:
    get = m.get
    moe = None
    if get("moe") is not None and m.moe.get("experts") is not None:
        e = m.moe
        shared_ffn = e.get("shared_ffn") or (e.get("shared_experts", 0) * e.expert_ffn)
        moe = {"experts": e.experts, "experts_per_token": e.experts_per_token,
               "expert_ffn": e.expert_ffn, "shared_experts": e.get("shared_experts", 0),
               "shared_ffn": shared_ffn, "shared_gate": bool(e.get("shared_gate", False)),
               "dense_layers": e.get("dense_layers", 0), "router_bias": bool(e.get("router_bias", False))}
    mla = None
    if get("attention") == "mla" and get("mla") is not None:
        a = m.mla
        mla = {k: a.get(k) for k in ("q_lora_rank", "kv_lora_rank", "qk_nope_head_dim",
                                     "qk_rope_head_dim", "v_head_dim")}
    heads = get("heads")
    return {
        "name": m.name, "display_name": get("name") or m.name,
        "params": get("params"),
        "layers": get("layers"), "hidden": get("hidden"), "heads": heads,
        "kv_heads": get("kv_heads") or heads, "head_dim": get("head_dim"), "ffn": get("ffn"),
        "mlp": get("mlp", "gated"), "activation": get("activation", "silu"), "vocab": get("vocab"),
        "tied_embeddings": bool(get("tied_embeddings", False)), "norm": get("norm", "rmsnorm"),
        "norms_per_layer": get("norms_per_layer", 2), "final_norm": bool(get("final_norm", True)),
        "norm_bias": get("norm_bias"), "qk_norm": bool(get("qk_norm", False)),
        "qkv_bias": bool(get("qkv_bias", False)), "out_bias": bool(get("out_bias", False)),
        "mlp_bias": bool(get("mlp_bias", False)), "position": get("position", "rope"),
        "max_seq": _int(get("max_seq")), "parallel_block": bool(get("parallel_block", False)),
        "attention": get("attention", "mha"), "mla": mla, "moe": moe,
        "dropout": float(get("dropout", 0.0) or 0.0),
        "attention_dropout": float(get("attention_dropout", get("dropout", 0.0)) or 0.0),
        "sliding_window": _int(get("sliding_window")),
        "rope_base": get("rope_base"), "rope_scaling": get("rope_scaling", "none"),
        "rope_scaling_factor": get("rope_scaling_factor"), "norm_eps": get("norm_eps"),
    }


HF_PROJECTIONS = {"q": "q_proj", "k": "k_proj", "v": "v_proj", "o": "o_proj", "gate": "gate_proj",
                  "up": "up_proj", "down": "down_proj"}  # transformers' Llama-family module names


def _lora_details(lora: Any) -> dict:
    from .engine.params import lora_modules

    targets = lora.get("targets", "all")
    written = targets if isinstance(targets, str) else ",".join(targets)
    return {"rank": lora.rank, "targets": written, "modules": list(lora_modules(targets)),
            "alpha": lora.get("alpha", 8), "dropout": float(lora.get("dropout", 0.0) or 0.0)}


def declaration_details(obj: Any) -> dict:
    """What the export needs from a lowered workload declaration (`comp.checked.objects[name]`)
    beyond the result dict: model details, formats, uneven pipeline split, LoRA, framework."""
    out: dict = {"kind": obj.kind, "model": _model_details(obj.model),
                 "gpus": obj.get("_gpus"), "gpus_per_node": obj.get("_per_node")}
    fw = obj.get("framework")
    if obj.kind == "training":
        prec = obj.precision
        p = obj.parallel
        out["parallel"] = {k: v for k, v in p.fields.items() if not k.startswith("_")}
        out["precision"] = {k: _fmt(prec.get(k)) for k in ("weights", "gradients", "master_weights",
                                                          "optimizer_states", "activations")}
        out["optimizer"] = obj.get("optimizer", "adamw")
        lora = obj.get("lora")
        out["lora"] = (_lora_details(lora) if lora is not None and lora.get("rank") else None)
        out["framework"] = {"implementation": fw.get("implementation", "transformers") if fw else "transformers",
                            "attention": fw.get("attention", "flash") if fw else "flash",
                            "optimizer_impl": fw.get("optimizer_impl", "foreach") if fw else "foreach",
                            "activation_rule": fw.get("activation_rule") if fw else None}
        out["seq_len"] = _int(obj.seq_len)
        out["micro_batch"] = obj.get("micro_batch")
        out["global_batch"] = obj.get("global_batch")
    else:
        prec = obj.get("precision")
        dense = prec.activations.name if prec is not None and prec.get("activations") else "bf16"
        weights = obj.get("weights") or (prec.weights if prec is not None else None) or "bf16"
        kv = obj.get("kv_cache") or (prec.kv_cache if prec is not None and prec.get("kv_cache") else None) or dense
        out["weights"] = _fmt(weights)
        out["kv_cache"] = _fmt(kv)
        out["activations"] = _fmt(dense)
        out["block_size"] = _int(obj.get("block_size"))
        out["prefill_chunk"] = _int(obj.get("prefill_chunk"))
        out["parallel"] = {"tensor": obj.parallel.tensor, "pipeline": obj.parallel.pipeline}
        out["framework"] = {"attention": fw.get("attention", "flash") if fw else "flash"}
    return out


_LABEL = re.compile(r"^(?P<name>[a-z0-9_]+)(?: \(group (?P<group>\d+), (?P<scale>[a-z0-9-]+) scale"
                    r"(?P<zp>, zero point)?\))?$")


def _fmt_from_label(label: str | None) -> dict | None:
    """Undo values.Format.label ("int4 (group 128, fp16 scale)") for a result dict alone."""
    if not label:
        return None
    m = _LABEL.match(label.strip())
    if not m:
        return _fmt(label.split()[0])
    scale = m.group("scale")
    return {"name": m.group("name"), "group": int(m.group("group")) if m.group("group") else None,
            "zero_point": bool(m.group("zp")), "double_quant": scale == "double-quantized",
            "scale": None if scale in (None, "double-quantized") else scale}


def _details_from_result(plan: dict) -> dict:
    """Best effort when only the result dict is at hand (e.g. `capplan eval --format json`)."""
    arch = dict(plan.get("model", {}).get("architecture") or {})
    moe = arch.get("moe")
    model = {
        "name": plan.get("model", {}).get("name"), "display_name": plan.get("model", {}).get("display_name"),
        "params": plan.get("model", {}).get("params", {}).get("total"),
        "layers": arch.get("layers"), "hidden": arch.get("hidden"), "heads": arch.get("heads"),
        "kv_heads": arch.get("kv_heads") or arch.get("heads"), "head_dim": arch.get("head_dim"),
        "ffn": arch.get("ffn"), "mlp": arch.get("mlp", "gated"), "activation": "silu",
        "vocab": arch.get("vocab"), "tied_embeddings": False, "norm": arch.get("norm", "rmsnorm"),
        "norms_per_layer": 2, "final_norm": True, "norm_bias": None, "qk_norm": False, "qkv_bias": False,
        "out_bias": False, "mlp_bias": False, "position": arch.get("position", "rope"), "max_seq": None,
        "parallel_block": False, "attention": arch.get("attention", "mha"), "mla": None,
        "moe": ({"experts": moe["experts"], "experts_per_token": moe["experts_per_token"],
                 "expert_ffn": moe["expert_ffn"], "shared_experts": moe.get("shared_experts", 0),
                 "shared_ffn": moe.get("shared_experts", 0) * moe["expert_ffn"], "shared_gate": False,
                 "dense_layers": moe.get("dense_layers", 0), "router_bias": False} if moe else None),
        "dropout": 0.0, "attention_dropout": 0.0, "sliding_window": None,
    }
    hw = plan.get("hardware", {})
    prec = plan.get("precision", {})
    out: dict = {"kind": plan.get("kind"), "model": model, "gpus": hw.get("gpus"),
                 "gpus_per_node": hw.get("gpus_per_node"), "_from_result": True}
    layout = plan.get("layout", {})
    if plan.get("kind") == "training":
        out["parallel"] = dict(layout, layers_per_stage=None)
        out["precision"] = {k: _fmt_from_label(prec.get(k)) for k in
                            ("weights", "gradients", "master_weights", "optimizer_states", "activations")}
        out["optimizer"] = prec.get("optimizer", "adamw")
        out["lora"] = None
        out["framework"] = {"implementation": "transformers", "attention": "flash", "optimizer_impl": "foreach"}
        out["seq_len"] = layout.get("seq_len")
        out["micro_batch"] = layout.get("micro_batch")
        out["global_batch"] = layout.get("global_batch")
    else:
        out["weights"] = _fmt_from_label(prec.get("weights"))
        out["kv_cache"] = _fmt_from_label(prec.get("kv_cache"))
        out["activations"] = _fmt_from_label(prec.get("activations")) or _fmt("bf16")
        out["block_size"] = None
        out["prefill_chunk"] = None
        out["parallel"] = {"tensor": layout.get("tensor", 1), "pipeline": layout.get("pipeline", 1)}
        out["framework"] = {"attention": "flash"}
    return out


# ---------------------------------------------------------------- shared helpers

class _Out:
    """Collects warnings (and the informational comments of the text targets)."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def warning_lines(self) -> list[str]:
        return [WARNING_PREFIX + w for w in self.warnings]


def _fname(f: dict | None) -> str | None:
    return None if f is None else f["name"]


def _flabel(f: dict | None) -> str:
    if f is None:
        return "none"
    if f.get("group"):
        extra = ", zero point" if f.get("zero_point") else ""
        dq = ", double quantization" if f.get("double_quant") else ""
        return f"{f['name']} {{ group = {f['group']} }}{extra}{dq}"
    return f["name"]


def _num(x: float) -> str:
    """A number as an argument value: integers without a decimal point, others as short as exact."""
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x))


def _layout(plan: dict) -> dict:
    layout = plan.get("layout", {})
    return {k: layout.get(k) for k in ("tensor", "pipeline", "data", "context", "expert", "micro_batch",
                                       "global_batch", "microbatches", "seq_len", "sequence_parallel",
                                       "distributed_optimizer", "zero", "fsdp", "schedule", "virtual_stages",
                                       "recompute", "offload", "batch", "memory_utilization")}


def _nodes(plan: dict, details: dict) -> tuple[int, int, int]:
    hw = plan.get("hardware", {})
    gpus = int(hw.get("gpus") or details.get("gpus") or 1)
    per_node = int(hw.get("gpus_per_node") or details.get("gpus_per_node") or gpus)
    per_node = min(per_node, gpus) or 1
    if gpus % per_node:
        return 1, gpus, gpus
    return gpus // per_node, per_node, gpus


def _header(plan: dict, target: str, what: str) -> list[str]:
    from . import __version__

    where = plan.get("file", "?")
    if plan.get("line"):
        where += f":{plan['line']}"
    lines = [f"# capplan {__version__} export to {target}: {plan['kind']} plan `{plan['name']}` ({where})",
             f"# {what}"]
    if plan.get("fits") is False:
        lines.append(f"# the plan itself: {plan.get('verdict', 'does not fit')}")
    return lines


def _fit_warning(plan: dict, out: _Out) -> None:
    if plan.get("fits") is False:
        out.warn(f"the plan does not fit ({plan.get('verdict', 'see capplan eval')}); exported as written")


def _even_split(layers: int, pp: int) -> list[int]:
    """capplan's split without `layers_per_stage` (engine.training.layer_split, one chunk per
    rank): equal stages, the remainder to the last stages."""
    base, extra = divmod(layers, pp)
    return [base + (1 if s >= pp - extra else 0) for s in range(pp)]


def _chunks(n: int, v: int) -> list[int]:
    base, extra = divmod(n, v)
    return [base + (1 if c >= v - extra else 0) for c in range(v)]


# ---------------------------------------------------------------- Megatron-LM

def _megatron_layout_string(stages: list[int], v: int) -> str:
    """--pipeline-model-parallel-layout: stages are listed virtual-stage-major (chunk c of rank r
    is entry c * p + r, megatron/core/transformer/pipeline_parallel_layer_layout.py); E is the
    embedding, L the loss, t a decoder layer; `t*19` is 19 of them."""
    p = len(stages)
    per = [_chunks(n, v) for n in stages]
    parts = []
    for c in range(v):
        for r in range(p):
            k = per[r][c]
            body = f"t*{k}" if k > 1 else ("t" if k == 1 else "")
            if c == 0 and r == 0:
                body = "E" + body
            if c == v - 1 and r == p - 1:
                body = body + "L"
            parts.append(body)
    return "|".join(parts)


def _megatron(plan: dict, d: dict, out: _Out) -> str:
    lay = _layout(plan)
    m = d["model"]
    par = d["parallel"]
    prec = d["precision"]
    lora = d.get("lora")
    nnodes, per_node, gpus = _nodes(plan, d)
    tp, pp, dp, cp, ep = (int(lay[k] or 1) for k in ("tensor", "pipeline", "data", "context", "expert"))
    args: list[tuple[str, str | None]] = []
    notes: list[str] = []

    def add(flag: str, value: Any = None) -> None:
        args.append((flag, None if value is None else (value if isinstance(value, str) else _num(value))))

    # -- parallel layout
    add("--tensor-model-parallel-size", tp)
    add("--pipeline-model-parallel-size", pp)
    add("--context-parallel-size", cp)
    add("--expert-model-parallel-size", ep)
    if m.get("moe"):
        add("--expert-tensor-parallel-size", tp)
        notes.append(f"experts split over tensor {tp} x expert {ep} ranks, as capplan counts them")
    notes.append(f"data-parallel size {dp} = {gpus} GPUs / (tensor {tp} x pipeline {pp} x context {cp}): "
                 "Megatron derives it from the world size")
    layers = m.get("layers")
    schedule = lay.get("schedule") or "1f1b"
    v = int(lay.get("virtual_stages") or 1) if schedule == "interleaved" else 1
    explicit = par.get("layers_per_stage")
    if schedule == "gpipe" and pp > 1:
        out.warn("schedule = gpipe cannot be expressed: Megatron-LM runs 1F1B (or interleaved); "
                 "it holds fewer micro-batches in flight than the plan assumes")
    if pp > 1 and layers:
        stages = list(explicit) if explicit else _even_split(layers, pp)
        if v > 1 and not explicit:
            add("--num-layers-per-virtual-pipeline-stage", layers // (pp * v))
            notes.append(f"interleaved 1F1B: {v} model chunks of {layers // (pp * v)} layers per rank")
        elif v > 1:
            add("--pipeline-model-parallel-layout", _megatron_layout_string(stages, v))
            notes.append(f"interleaved 1F1B over {v} chunks per rank with the plan's uneven split {stages}; "
                         "each rank's layers are divided over its chunks, remainder to the last chunks")
        elif len(set(stages)) == 1:
            pass
        elif pp == 2 or len(set(stages[1:-1])) == 1:
            add("--decoder-first-pipeline-num-layers", stages[0])
            add("--decoder-last-pipeline-num-layers", stages[-1])
            notes.append(f"uneven pipeline split {stages}: first and last stage given, the middle "
                         "stages share the rest evenly")
        else:
            add("--pipeline-model-parallel-layout", _megatron_layout_string(stages, 1))
            notes.append(f"uneven pipeline split {stages} as an explicit layout (the middle stages "
                         "differ, so first/last-stage sizes cannot express it)")
    elif pp > 1 and not layers:
        out.warn("the model has no layer count: the pipeline split is left to Megatron's default")
    if lay.get("sequence_parallel"):
        if tp > 1:
            add("--sequence-parallel")
        else:
            out.warn("sequence_parallel = true with tensor = 1: Megatron-LM disables it (nothing to split)")

    # -- ZeRO, distributed optimizer, offload
    zero = 3 if lay.get("fsdp") else int(lay.get("zero") or 0)
    if lay.get("distributed_optimizer") or zero >= 1:
        add("--use-distributed-optimizer")
        if zero == 1 and not lay.get("distributed_optimizer"):
            notes.append("ZeRO-1 -> Megatron's distributed optimizer (fp32 master weights and optimizer "
                         "states sharded over the data x context ranks)")
    if zero == 2:
        out.warn("ZeRO-2 (gradients sharded) cannot be expressed with pretrain_gpt.py's standard "
                 "arguments: --use-distributed-optimizer shards only the optimizer state (ZeRO-1) and "
                 "keeps full gradient buffers; Megatron-FSDP (--use-megatron-fsdp "
                 "--data-parallel-sharding-strategy optim_grads) is the nearest, not emitted")
    if zero >= 3:
        what = "fsdp = true" if lay.get("fsdp") else "ZeRO-3"
        out.warn(f"{what} (weights, gradients and optimizer state sharded) cannot be expressed with "
                 "pretrain_gpt.py's standard arguments: only the ZeRO-1 part is emitted "
                 "(--use-distributed-optimizer), so each GPU holds full weights and gradients; "
                 "Megatron-FSDP (--use-megatron-fsdp --data-parallel-sharding-strategy "
                 "optim_grads_params) is the nearest, not emitted")
    offload = lay.get("offload") or "none"
    if offload in ("optimizer", "optimizer_and_params"):
        add("--optimizer-cpu-offload")
        add("--optimizer-offload-fraction", 1.0)
        add("--use-precision-aware-optimizer")
        notes.append("optimizer offload: Megatron's HybridDeviceOptimizer keeps the optimizer state on the "
                     "CPU; validate_args requires --use-precision-aware-optimizer with it")
    if offload == "optimizer_and_params":
        out.warn("offload = optimizer_and_params: Megatron-LM has no argument to keep the weights in host "
                 "memory; only the optimizer offload is emitted")

    # -- recomputation
    recompute = lay.get("recompute") or "none"
    if recompute == "selective":
        add("--recompute-granularity", "selective")
    elif recompute == "full":
        add("--recompute-granularity", "full")
        add("--recompute-method", "uniform")
        add("--recompute-num-layers", 1)

    # -- batch and sequence
    add("--micro-batch-size", int(lay["micro_batch"]))
    add("--global-batch-size", int(lay["global_batch"]))
    seq = int(lay.get("seq_len") or d.get("seq_len") or 0)
    if seq:
        add("--seq-length", seq)
        add("--max-position-embeddings", max(m.get("max_seq") or seq, seq) if m.get("position") != "learned"
            else (m.get("max_seq") or seq))
        if m.get("position") == "learned" and m.get("max_seq") and m["max_seq"] < seq:
            out.warn(f"seq_len {seq} exceeds the learned position table ({m['max_seq']} rows)")

    # -- model
    _megatron_model(m, add, out, notes)
    _megatron_network(m, tp, add, out, notes)

    # -- precision and optimizer
    _megatron_precision(prec, lora, add, out, notes)
    opt = d.get("optimizer") or "adamw"
    if opt in ("adam", "adamw"):
        add("--optimizer", "adam")
        if opt == "adamw":
            notes.append("adamw -> --optimizer adam: Megatron's Adam applies decoupled weight decay (AdamW)")
        else:
            out.warn("optimizer = adam (L2 regularisation): Megatron's adam decouples weight decay (AdamW); "
                     "the memory is the same")
    elif opt in ("sgd", "sgd_momentum"):
        add("--optimizer", "sgd")
        add("--sgd-momentum", 0.9 if opt == "sgd_momentum" else 0.0)
    else:
        out.warn(f"optimizer = {opt} cannot be expressed: pretrain_gpt.py offers adam and sgd")
    if lora:
        out.warn(f"LoRA (rank {lora['rank']}, targets {lora['targets']}) cannot be expressed: "
                 "pretrain_gpt.py trains every weight")

    fw = d.get("framework") or {}
    att = fw.get("attention", "flash")
    if att == "flash":
        add("--attention-backend", "flash")
    elif att == "eager":
        add("--attention-backend", "unfused")
        notes.append("attention = eager -> --attention-backend unfused (keeps the s x s scores, as planned)")
    else:
        out.warn(f"attention = {att} cannot be expressed: Megatron-LM's backends are flash, fused (cuDNN), "
                 "unfused and local; --attention-backend left at its default (auto)")
    if (fw.get("implementation", "transformers") != "megatron" and fw.get("activation_rule") is None
            and not d.get("_from_result")):
        out.warn("the plan's activation estimate follows transformers' PyTorch ops "
                 "(framework.implementation = transformers); Megatron-LM runs fused kernels and saves less: "
                 "evaluate with `framework { implementation = megatron }` to plan for this launch")
    if d.get("_from_result"):
        out.warn("exported from the result JSON alone: biases, tied embeddings, activation, dropout, "
                 "position-table size and the pipeline split were not in it and are assumed from defaults")
    _fit_warning(plan, out)

    lines = _header(plan, "megatron", "Megatron-LM pretrain_gpt.py arguments (names checked against "
                    "megatron/training/arguments.py: tests/data/export/megatron_arguments.json)")
    lines.append(f"# launch on {gpus} GPU{'s' if gpus != 1 else ''} = {nnodes} node{'s' if nnodes != 1 else ''} "
                 f"x {per_node}; after `source`-ing this file:")
    if nnodes > 1:
        lines.append('#   torchrun --nnodes "$NNODES" --nproc-per-node "$NPROC_PER_NODE" '
                     '--rdzv-backend c10d --rdzv-endpoint "$HOST_NODE_ADDR" --rdzv-id "$JOB_ID" \\')
    else:
        lines.append('#   torchrun --standalone --nnodes "$NNODES" --nproc-per-node "$NPROC_PER_NODE" \\')
    lines.append('#       pretrain_gpt.py "${MEGATRON_ARGS[@]}" <data, tokenizer, learning-rate, '
                 'checkpoint arguments>')
    lines += [f"# {n}" for n in notes]
    lines += out.warning_lines()
    lines.append(f"NNODES={nnodes}")
    lines.append(f"NPROC_PER_NODE={per_node}")
    lines.append("MEGATRON_ARGS=(")
    for flag, value in args:
        lines.append(f"  {flag}" + ("" if value is None else f" {shlex.quote(value)}"))
    lines.append(")")
    return "\n".join(lines) + "\n"


def _megatron_network(m: dict, tp: int, add, out: _Out, notes: list[str]) -> None:
    """Fields that change the network's numbers but not its memory: RoPE base and scaling, norm epsilon,
    vocabulary padding. Megatron's defaults (rotary base 10000, no scaling, epsilon 1e-5, vocabulary padded
    to a multiple of 128 x TP) would launch a different model from the checkpoint."""
    if not m.get("layers"):
        return
    if m.get("position", "rope") == "rope":
        if m.get("rope_base") is not None:
            add("--rotary-base", m["rope_base"])
        else:
            out.warn(f"model `{m['name']}` gives no `rope_base`: Megatron uses --rotary-base 10000; set "
                     "`rope_base` from the checkpoint's config.json rope_theta")
        scaling = m.get("rope_scaling") or "none"
        if scaling == "llama3":
            add("--use-rope-scaling")
            add("--rope-scaling-factor", m.get("rope_scaling_factor") or 8)
            notes.append("--use-rope-scaling is Llama-3.x's scaling (low/high frequency factors 1 and 4, "
                         "original context 8192), as the checkpoint's rope_scaling")
        elif scaling != "none":
            out.warn(f"rope_scaling = {scaling} cannot be expressed with pretrain_gpt.py's arguments "
                     "(--use-rope-scaling is Llama-3.x's scaling only): the launched model would differ")
    if m.get("norm_eps") is not None:
        add("--norm-epsilon", m["norm_eps"])
    else:
        out.warn(f"model `{m['name']}` gives no `norm_eps`: Megatron uses --norm-epsilon 1e-5; set `norm_eps` "
                 "from the checkpoint's config.json")
    vocab = m.get("vocab")
    if vocab:
        divisor = next((d for d in (128, 64, 32, 16, 8, 4, 2, 1) if vocab % (d * tp) == 0), None)
        if divisor is None:
            out.warn(f"vocabulary {vocab} is not a multiple of the tensor-parallel size {tp}: Megatron pads it "
                     "to a multiple of --make-vocab-size-divisible-by x TP, so the embedding differs from the "
                     "checkpoint's")
        else:
            add("--make-vocab-size-divisible-by", divisor)
            notes.append(f"--make-vocab-size-divisible-by {divisor}: the largest of 128, 64, ... for which "
                         f"{divisor} x TP {tp} divides the vocabulary {vocab}, so Megatron's padding keeps "
                         "its rows")


def _megatron_model(m: dict, add, out: _Out, notes: list[str]) -> None:
    layers, hidden, heads = m.get("layers"), m.get("hidden"), m.get("heads")
    if layers:
        add("--num-layers", layers)
    if hidden:
        add("--hidden-size", hidden)
    if not (layers and hidden and heads):
        out.warn(f"model `{m['name']}` has no architecture (a bare parameter count): pass "
                 "--num-attention-heads, --ffn-hidden-size and the rest yourself")
        return
    moe = m.get("moe")
    if m.get("ffn"):
        add("--ffn-hidden-size", m["ffn"])
    add("--num-attention-heads", heads)
    kv = m.get("kv_heads") or heads
    if m.get("attention") == "mla" and m.get("mla"):
        a = m["mla"]
        add("--multi-latent-attention")
        if a.get("q_lora_rank"):
            add("--q-lora-rank", a["q_lora_rank"])
        add("--kv-lora-rank", a["kv_lora_rank"])
        add("--qk-head-dim", a["qk_nope_head_dim"])
        add("--qk-pos-emb-head-dim", a["qk_rope_head_dim"])
        add("--v-head-dim", a["v_head_dim"])
    else:
        if kv != heads:
            add("--group-query-attention")
            add("--num-query-groups", kv)
        head_dim = m.get("head_dim")
        if head_dim and head_dim * heads != hidden:
            add("--kv-channels", head_dim)
    # MLP and activation
    act, mlp = m.get("activation", "silu"), m.get("mlp", "gated")
    if mlp == "gated" and act == "silu":
        add("--swiglu")
    elif mlp == "plain" and act == "gelu":
        pass  # Megatron's default MLP: GELU (erf form)
    elif mlp == "plain" and act in ("gelu_tanh", "gelu_new"):
        add("--openai-gelu")
        notes.append(f"activation {act} -> --openai-gelu (the tanh approximation of GELU)")
    else:
        out.warn(f"a {mlp} MLP with {act} cannot be expressed with pretrain_gpt.py's arguments "
                 "(--swiglu is gated SiLU; the default is plain GELU)")
    # normalisation
    if m.get("norm") == "rmsnorm":
        add("--normalization", "RMSNorm")
        if m.get("norm_bias"):
            out.warn("RMSNorm with a bias cannot be expressed: Megatron's RMSNorm has none")
    else:
        add("--normalization", "LayerNorm")
        if m.get("norm_bias") is False:
            out.warn("LayerNorm without a bias cannot be expressed: Megatron's LayerNorm has one")
    if m.get("qk_norm"):
        add("--qk-layernorm")
    if m.get("parallel_block"):
        out.warn("parallel attention/MLP blocks (GPT-J, Falcon) cannot be expressed in pretrain_gpt.py")
    elif m.get("norms_per_layer", 2) != 2:
        out.warn(f"{m['norms_per_layer']} norms per layer cannot be expressed: Megatron's GPT layer has 2")
    if not m.get("final_norm", True):
        out.warn("a model without a final norm cannot be expressed: Megatron's GPT model has one")
    # biases
    qkv, o, mb = m.get("qkv_bias"), m.get("out_bias"), m.get("mlp_bias")
    if not (qkv or o or mb):
        add("--disable-bias-linear")
    elif qkv and not (o or mb):
        add("--disable-bias-linear")
        add("--add-qkv-bias")
    elif not (qkv and o and mb):
        out.warn(f"biases qkv={qkv}, out={o}, mlp={mb} cannot be expressed: Megatron has biases on every "
                 "linear layer (the default), on none (--disable-bias-linear) or on the QKV projection "
                 "only (--add-qkv-bias); left at the default (all)")
    if not m.get("tied_embeddings"):
        add("--untie-embeddings-and-output-weights")
    pos = m.get("position", "rope")
    if pos == "rope":
        add("--position-embedding-type", "rope")
    elif pos == "learned":
        add("--position-embedding-type", "learned_absolute")
    elif pos == "none":
        add("--position-embedding-type", "none")
    else:
        out.warn(f"position = {pos} cannot be expressed: Megatron-LM's GPT has no ALiBi")
    if m.get("sliding_window"):
        out.warn("sliding-window attention is not exported (capplan does not know the window "
                 "pattern Megatron's --window-size needs)")
    add("--hidden-dropout", m.get("dropout", 0.0))
    add("--attention-dropout", m.get("attention_dropout", 0.0))
    notes.append("dropout set explicitly: Megatron's defaults (0.1) differ from most recent models and "
                 "change the activation memory")
    if m.get("vocab"):
        notes.append(f"vocabulary {m['vocab']} rows: Megatron takes it from the tokenizer (--tokenizer-type, "
                     "--tokenizer-model) and pads it to --make-vocab-size-divisible-by")
    if moe:
        add("--num-experts", moe["experts"])
        add("--moe-router-topk", moe["experts_per_token"])
        add("--moe-ffn-hidden-size", moe["expert_ffn"])
        if moe.get("shared_experts"):
            add("--moe-shared-expert-intermediate-size", moe["shared_ffn"])
        if moe.get("dense_layers"):
            k = moe["dense_layers"]
            add("--moe-layer-freq", f"([0]*{k}+[1]*{layers - k})")
            notes.append(f"the first {k} layers dense, the rest MoE (--moe-layer-freq pattern: 0 dense, 1 MoE)")
        if moe.get("router_bias"):
            add("--moe-router-enable-expert-bias")
        if moe.get("shared_gate"):
            out.warn("the shared-expert gate (Qwen2-MoE) is not exported: its argument exists only in "
                     "recent Megatron-LM (not in core_v0.15.3)")


def _megatron_precision(prec: dict, lora: dict | None, add, out: _Out, notes: list[str]) -> None:
    w = _fname(prec.get("weights")) or "bf16"
    g = _fname(prec.get("gradients")) or w
    master = _fname(prec.get("master_weights")) or "none"
    states = _fname(prec.get("optimizer_states")) or w
    act = _fname(prec.get("activations")) or w
    if w == "bf16":
        add("--bf16")
    elif w == "fp16":
        add("--fp16")
    elif w in ("fp32", "tf32"):
        notes.append("fp32 weights: Megatron's default without --bf16/--fp16")
        if act in ("bf16", "fp16"):
            out.warn(f"fp32 weights with {act} activations (torch autocast) cannot be expressed: Megatron "
                     "trains in fp32, or with --bf16/--fp16 weights plus an fp32 master copy")
    else:
        out.warn(f"weights in {_flabel(prec.get('weights'))} cannot be expressed in pretrain_gpt.py "
                 "(it trains fp32, bf16 or fp16 weights)")
    if lora:
        return  # the adapters' gradients, master and optimizer state are fp32 (PEFT): not the base's formats
    if w in ("bf16", "fp16"):
        if g == "fp32":
            add("--accumulate-allreduce-grads-in-fp32")
        elif g == "bf16" and w == "bf16":
            add("--grad-reduce-in-bf16")
            notes.append("bf16 gradients: --grad-reduce-in-bf16 (Megatron otherwise accumulates bf16 "
                         "training's gradients in fp32)")
        elif g != w:
            out.warn(f"{g} gradients with {w} weights cannot be expressed")
        if master != "fp32":
            out.warn(f"master_weights = {master} cannot be expressed: Megatron keeps an fp32 master copy "
                     f"for {w} training (4 B/param more than planned)")
        if states != "fp32":
            out.warn(f"optimizer states in {states} are not exported (Megatron's default is fp32; "
                     "the precision-aware optimizer's state dtypes were not verified for this export)")
    elif w in ("fp32", "tf32") and g not in ("fp32", "tf32"):
        out.warn(f"{g} gradients with fp32 weights cannot be expressed")


# ---------------------------------------------------------------- DeepSpeed

def _deepspeed(plan: dict, d: dict, out: _Out) -> str:
    lay = _layout(plan)
    prec = d["precision"]
    lora = d.get("lora")
    tp, pp, dp, cp, ep = (int(lay[k] or 1) for k in ("tensor", "pipeline", "data", "context", "expert"))
    micro, gb = int(lay["micro_batch"]), int(lay["global_batch"])
    gas = int(lay.get("microbatches") or gb // (micro * dp))
    cfg: dict[str, Any] = {"train_batch_size": gb, "train_micro_batch_size_per_gpu": micro,
                           "gradient_accumulation_steps": gas}
    zero = 3 if lay.get("fsdp") else int(lay.get("zero") or 0)
    if lay.get("distributed_optimizer") and zero < 1:
        zero = 1  # Megatron's distributed optimizer is ZeRO-1
    offload = lay.get("offload") or "none"
    if offload != "none" and zero == 0:
        zero = 1
        out.warn("offload_optimizer needs ZeRO stage 1-3: stage raised from 0 to 1"
                 + (" (one data-parallel rank: stage 1 shards nothing)" if dp * cp == 1 else
                    " (this also shards the optimizer state over the data-parallel ranks)"))
    w = _fname(prec.get("weights")) or "bf16"
    g = _fname(prec.get("gradients")) or w
    master = _fname(prec.get("master_weights")) or "none"
    states = _fname(prec.get("optimizer_states")) or w
    act = _fname(prec.get("activations")) or w
    if w == "bf16":
        cfg["bf16"] = {"enabled": True}
    elif w == "fp16":
        cfg["fp16"] = {"enabled": True}
    elif w in ("fp32", "tf32"):
        if act in ("bf16", "fp16"):
            cfg["torch_autocast"] = {"enabled": True, "dtype": TORCH_DTYPE[act]}
    else:
        out.warn(f"weights in {_flabel(prec.get('weights'))} cannot be expressed in the DeepSpeed config "
                 "(a quantized base is loaded by the model code, e.g. bitsandbytes)")
    if lora:
        out.warn(f"LoRA (rank {lora['rank']}, targets {lora['targets']}) is set up in the model code "
                 "(e.g. PEFT), not in the DeepSpeed config")
    elif w in ("bf16", "fp16"):
        if w == "bf16" and master in ("bf16", "none"):
            if zero >= 1:
                cfg["bf16"]["bf16_master_weights_and_grads"] = True
                if states == "bf16":
                    cfg["bf16"]["bf16_optimizer_states"] = True
                elif offload == "none":
                    out.warn("bf16 master weights with fp32 optimizer states need ZeRO-Offload "
                             "(offload_optimizer with DeepSpeedCPUAdam) in DeepSpeed")
                if master == "none":
                    out.warn("master_weights = none cannot be expressed: DeepSpeed keeps a master copy; "
                             "bf16_master_weights_and_grads keeps it in bf16 (2 B/param more than planned)")
            else:
                out.warn(f"master_weights = {master} cannot be expressed at ZeRO stage 0: DeepSpeed keeps an "
                         "fp32 master copy (bf16_master_weights_and_grads needs ZeRO stages 1-3)")
        elif master == "none":
            out.warn(f"master_weights = none cannot be expressed: DeepSpeed keeps an fp32 master copy "
                     f"for {w} training (4 B/param more than planned)")
        elif master != "fp32":
            out.warn(f"master_weights = {master} cannot be expressed")
        if states not in ("fp32",) and not cfg.get("bf16", {}).get("bf16_optimizer_states"):
            out.warn(f"optimizer states in {states} cannot be expressed with these keys (fp32 is kept)")
        if g != w and g in ("fp32", "bf16", "fp16"):
            cfg["data_types"] = {"grad_accum_dtype": g}
        elif g != w:
            out.warn(f"{g} gradients cannot be expressed")
    zo: dict[str, Any] = {"stage": zero}
    if offload in ("optimizer", "optimizer_and_params"):
        zo["offload_optimizer"] = {"device": "cpu"}
    if offload == "optimizer_and_params":
        if zero == 3:
            zo["offload_param"] = {"device": "cpu"}
        else:
            out.warn(f"offload = optimizer_and_params: offload_param needs ZeRO stage 3 (the plan has "
                     f"{zero}); only the optimizer is offloaded")
    cfg["zero_optimization"] = zo
    if tp > 1:
        cfg["tensor_parallel"] = {"autotp_size": tp}
        out.warn(f"tensor = {tp} -> DeepSpeed AutoTP (tensor_parallel.autotp_size); AutoTP needs a "
                 "Hugging Face model with a tp_plan or a preset"
                 + ("; sequence_parallel cannot be expressed (AutoTP has none)" if lay.get("sequence_parallel")
                    else ""))
    if ep > 1:
        cfg["expert_parallel"] = {"enabled": True, "autoep_size": ep}
    if pp > 1:
        out.warn(f"pipeline = {pp} cannot be expressed in the DeepSpeed config: pipeline stages are built "
                 "in code (deepspeed.pipe.PipelineModule(num_stages=...)); train_batch_size assumes "
                 f"{dp} data-parallel ranks = {plan.get('hardware', {}).get('gpus')} GPUs / "
                 f"(tensor {tp} x pipeline {pp} x context {cp})")
    if cp > 1:
        out.warn(f"context = {cp} cannot be expressed in the DeepSpeed config (sequence parallelism is "
                 "set up in code, e.g. DeepSpeed-Ulysses)")
    recompute = lay.get("recompute") or "none"
    if recompute != "none":
        out.warn(f"recompute = {recompute}: activation checkpointing is switched on in the model code "
                 "(e.g. model.gradient_checkpointing_enable(), deepspeed.checkpointing.checkpoint), "
                 "not in the config")
    opt = d.get("optimizer") or "adamw"
    out.warn(f"the optimizer ({opt}) is not in the config: pass it to deepspeed.initialize "
             "(capplan knows no learning rate to write an `optimizer` section)")
    _fit_warning(plan, out)
    return json.dumps(cfg, indent=2) + "\n"


# ---------------------------------------------------------------- torchrun + FSDP/DDP

def _torchrun(plan: dict, d: dict, out: _Out) -> str:
    lay = _layout(plan)
    m = d["model"]
    prec = d["precision"]
    lora = d.get("lora")
    nnodes, per_node, gpus = _nodes(plan, d)
    tp, pp, dp, cp, ep = (int(lay[k] or 1) for k in ("tensor", "pipeline", "data", "context", "expert"))
    micro, gb = int(lay["micro_batch"]), int(lay["global_batch"])
    gas = int(lay.get("microbatches") or gb // (micro * dp))
    zero = 3 if lay.get("fsdp") else int(lay.get("zero") or 0)
    notes: list[str] = []
    script: list[tuple[str, str | None]] = []

    def add(flag: str, value: Any = None) -> None:
        script.append((flag, None if value is None else (value if isinstance(value, str) else _num(value))))

    if zero >= 3:
        strategy = "FULL_SHARD"
        notes.append("--sharding-strategy FULL_SHARD: torch.distributed.fsdp.ShardingStrategy.FULL_SHARD "
                     "(ZeRO-3: weights, gradients and optimizer state sharded)")
    elif zero == 2:
        strategy = "SHARD_GRAD_OP"
        notes.append("--sharding-strategy SHARD_GRAD_OP: ShardingStrategy.SHARD_GRAD_OP (ZeRO-2: "
                     "gradients and optimizer state sharded; FSDP also frees weights only after backward)")
    else:
        strategy = "NO_SHARD"
        notes.append("--sharding-strategy NO_SHARD: ShardingStrategy.NO_SHARD (DDP-equivalent replicas)")
    add("--sharding-strategy", strategy)
    if zero == 1 or lay.get("distributed_optimizer"):
        add("--zero-redundancy-optimizer")
        notes.append("--zero-redundancy-optimizer: wrap the optimizer in "
                     "torch.distributed.optim.ZeroRedundancyOptimizer (ZeRO-1: optimizer state sharded)")
    apis = {"tensor": "torch.distributed.tensor.parallel", "pipeline": "torch.distributed.pipelining",
            "context": "torch.distributed.tensor.experimental.context_parallel",
            "expert": "an expert-parallel MoE layer"}
    for flag, value, name in (("--tensor-parallel-size", tp, "tensor"), ("--pipeline-parallel-size", pp, "pipeline"),
                              ("--context-parallel-size", cp, "context"), ("--expert-parallel-size", ep, "expert")):
        if value > 1:
            add(flag, value)
            out.warn(f"{name} = {value}: plain FSDP/DDP has no {name} parallelism; your script must build it "
                     f"({apis[name]}) on a DeviceMesh with FSDP over the data-parallel dimension")
    if lay.get("sequence_parallel") and tp > 1:
        add("--sequence-parallel")
        notes.append("--sequence-parallel: SequenceParallel on the norms in the tensor-parallel plan")
    if pp > 1:
        schedule = lay.get("schedule") or "1f1b"
        add("--pipeline-schedule", {"1f1b": "1F1B", "interleaved": "Interleaved1F1B", "gpipe": "GPipe"}[schedule])
        notes.append("--pipeline-schedule: torch.distributed.pipelining.Schedule"
                     + {"1f1b": "1F1B", "interleaved": "Interleaved1F1B", "gpipe": "GPipe"}[schedule])
        if schedule == "interleaved":
            add("--virtual-stages", int(lay.get("virtual_stages") or 1))
        stages = (d.get("parallel") or {}).get("layers_per_stage")
        if stages:
            add("--layers-per-stage", ",".join(str(n) for n in stages))
    # precision
    w = _fname(prec.get("weights")) or "bf16"
    g = _fname(prec.get("gradients")) or w
    master = _fname(prec.get("master_weights")) or "none"
    act = _fname(prec.get("activations")) or w
    if lora:
        base = prec.get("weights")
        add("--lora-rank", lora["rank"])
        add("--lora-targets", lora["targets"])
        modules = [HF_PROJECTIONS[m] for m in lora.get("modules") or []]
        notes.append(f"--lora-rank/--lora-targets: peft.LoraConfig(r={lora['rank']}, lora_alpha="
                     f"{_num(lora.get('alpha', 8))}, lora_dropout={lora.get('dropout', 0.0)}, target_modules="
                     f"{modules or '<the ' + str(lora['targets']) + ' linear layers>'}) (Llama-family module "
                     "names); adapters in fp32, the base frozen")
        if w in ("nf4", "int4", "int8"):
            add("--quantize-base", w)
            if w == "nf4":
                notes.append("--quantize-base nf4: transformers.BitsAndBytesConfig(load_in_4bit=True, "
                             "bnb_4bit_quant_type='nf4', bnb_4bit_use_double_quant="
                             f"{bool(base and base.get('double_quant'))}, "
                             f"bnb_4bit_compute_dtype=torch.{TORCH_DTYPE.get(act, 'bfloat16')})")
            elif w == "int8":
                notes.append("--quantize-base int8: transformers.BitsAndBytesConfig(load_in_8bit=True)")
            else:
                notes.append("--quantize-base int4: BitsAndBytesConfig(load_in_4bit=True, "
                             "bnb_4bit_quant_type='fp4') is the nearest bitsandbytes format")
                out.warn("int4 base weights: bitsandbytes' 4-bit formats are nf4 and fp4; "
                         f"the plan's {_flabel(base)} differs in its scales")
            if act in DENSE:
                add("--param-dtype", TORCH_DTYPE[act])
        elif w in DENSE:
            add("--param-dtype", TORCH_DTYPE[w])
        else:
            out.warn(f"base weights in {_flabel(base)} cannot be expressed")
    elif w in DENSE:
        if master == "fp32" and w in ("bf16", "fp16"):
            add("--param-dtype", TORCH_DTYPE[w])
            add("--reduce-dtype", TORCH_DTYPE.get(g, "float32"))
            notes.append(f"--param-dtype/--reduce-dtype: keep the model in fp32 (FSDP's sharded fp32 "
                         f"parameters are the master copy) with fsdp.MixedPrecision(param_dtype=torch."
                         f"{TORCH_DTYPE[w]}, reduce_dtype=torch.{TORCH_DTYPE.get(g, 'float32')}, "
                         f"buffer_dtype=torch.{TORCH_DTYPE[w]})")
            if g == "fp32":
                notes.append("FSDP casts the reduced gradients back to fp32 for the optimizer, as planned")
        elif master in ("none", w) or w in ("fp32", "tf32"):
            add("--model-dtype", TORCH_DTYPE[w])
            notes.append(f"--model-dtype {TORCH_DTYPE[w]}: model.to(torch.{TORCH_DTYPE[w]}), no "
                         "MixedPrecision, no separate master copy")
            if w in ("fp32", "tf32") and act in ("bf16", "fp16"):
                add("--autocast-dtype", TORCH_DTYPE[act])
                notes.append(f"--autocast-dtype: run forward under torch.autocast('cuda', "
                             f"dtype=torch.{TORCH_DTYPE[act]}) (activations saved in {act})")
        else:
            out.warn(f"master_weights = {master} with {w} weights cannot be expressed")
    else:
        out.warn(f"weights in {_flabel(prec.get('weights'))} cannot be expressed for FSDP training")
    # recompute, offload, optimizer
    recompute = lay.get("recompute") or "none"
    if recompute == "full":
        add("--activation-checkpointing", "full")
        notes.append("--activation-checkpointing full: torch.distributed.algorithms._checkpoint."
                     "checkpoint_wrapper.apply_activation_checkpointing on every decoder layer")
    elif recompute == "selective":
        add("--activation-checkpointing", "selective")
        out.warn("recompute = selective: PyTorch has no built-in selective recomputation; your script "
                 "must checkpoint the attention core only (Korthikanti et al. 2022)")
    offload = lay.get("offload") or "none"
    if offload == "optimizer_and_params":
        add("--cpu-offload", "params")
        notes.append("--cpu-offload params: fsdp.CPUOffload(offload_params=True) (weights, gradients and "
                     "the optimizer step on the CPU)")
    elif offload == "optimizer":
        add("--cpu-offload", "optimizer")
        out.warn("offload = optimizer: FSDP's CPUOffload moves weights and gradients too; keeping only the "
                 "optimizer state on the host needs e.g. a paged optimizer (bitsandbytes paged_adamw) or "
                 "DeepSpeed's offload_optimizer")
    opt = d.get("optimizer") or "adamw"
    add("--optimizer", opt)
    impl = (d.get("framework") or {}).get("optimizer_impl", "foreach")
    add("--optimizer-impl", impl)
    notes.append(f"--optimizer-impl {impl}: torch.optim.{'AdamW' if opt == 'adamw' else opt}("
                 f"{'fused=True' if impl == 'fused' else 'foreach=True' if impl == 'foreach' else 'foreach=False'})")
    att = (d.get("framework") or {}).get("attention", "flash")
    add("--attn-implementation", {"flash": "flash_attention_2", "sdpa": "sdpa", "eager": "eager"}[att])
    add("--micro-batch-size", micro)
    add("--gradient-accumulation-steps", gas)
    add("--seq-len", int(lay.get("seq_len") or d.get("seq_len") or 0))
    model = m.get("display_name") or m["name"]
    if not _HF_ID.match(model or ""):
        notes.append(f"--model: `{m['name']}` names no Hugging Face repository ({model!r}); "
                     f"replace /path/to/{m['name']} with its checkpoint")
        model = f"/path/to/{m['name']}"
    add("--model", model)
    _fit_warning(plan, out)

    lines = _header(plan, "torchrun", "PyTorch FSDP/DDP launch")
    lines.append("# torchrun flags (the launcher, torch/distributed/run.py): "
                 + ("--nnodes, --nproc-per-node, --rdzv-backend, --rdzv-endpoint, --rdzv-id (set HOST_NODE_ADDR "
                    "and JOB_ID; run the same line on every node)" if nnodes > 1 else
                    "--standalone, --nnodes, --nproc-per-node"))
    lines.append("# training-script settings: everything after train.py is passed to YOUR script untouched; "
                 "these names are capplan's suggestion (not a torchrun or PyTorch interface):")
    lines += [f"#   {n}" for n in notes]
    lines.append(f"# global batch {gb} = micro-batch {micro} x accumulation {gas} x data-parallel {dp} "
                 f"(= {gpus} GPUs / (tensor {tp} x pipeline {pp} x context {cp}))")
    lines += out.warning_lines()
    launcher = ["torchrun"]
    if nnodes > 1:
        launcher += ["--nnodes", str(nnodes), "--nproc-per-node", str(per_node), "--rdzv-backend", "c10d",
                     "--rdzv-endpoint", '"$HOST_NODE_ADDR"', "--rdzv-id", '"$JOB_ID"']
    else:
        launcher += ["--standalone", "--nnodes", "1", "--nproc-per-node", str(per_node)]
    body = [" ".join(launcher) + " \\", "  train.py \\"]
    for i, (flag, value) in enumerate(script):
        tail = " \\" if i < len(script) - 1 else ""
        body.append(f"  {flag}" + ("" if value is None else f" {shlex.quote(value)}") + tail)
    return "\n".join(lines + body) + "\n"


# ---------------------------------------------------------------- vLLM

_HF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
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

def export(plan: dict, target: str, details: dict | None = None) -> Exported:
    """Export one evaluated plan (a result dict of `compile_files(...).plans`) to `target`.

    `details` (from `declaration_details(comp.checked.objects[name])`) adds what the result
    dict does not carry; without it the export assumes capplan's defaults and says so.
    Raises ExportError for a plan of the wrong kind or an unknown target.
    """
    if target not in TARGETS:
        raise ExportError(f"unknown target `{target}`: choose one of {', '.join(TARGETS)}")
    kind = plan.get("kind")
    if kind != TARGETS[target]:
        fitting = [t for t, k in TARGETS.items() if k == kind]
        raise ExportError(f"plan `{plan.get('name')}` is {'an' if kind == 'inference' else 'a'} {kind} plan; "
                          f"--to {target} exports {TARGETS[target]} plans"
                          + (f" (for this plan use --to {' or --to '.join(fitting)})" if fitting else ""))
    d = details if details is not None else _details_from_result(plan)
    out = _Out()
    builder = {"megatron": _megatron, "deepspeed": _deepspeed, "torchrun": _torchrun, "vllm": _vllm}[target]
    text = builder(plan, d, out)
    return Exported(text, out.warnings)


def export_plan(plan: dict, target: str, details: dict | None = None) -> str:
    """The exported text (see `export`)."""
    return export(plan, target, details).text


# ---------------------------------------------------------------- parsing our own output back

def _value(token: str) -> Any:
    for conv in (int, float):
        try:
            return conv(token)
        except ValueError:
            pass
    return token


def _flags(tokens: list[str]) -> dict[str, Any]:
    """`--flag value` pairs (a flag followed by another flag, or last, is a switch: True)."""
    args: dict[str, Any] = {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.startswith("--"):
            raise ValueError(f"expected a --flag, found {tok!r}")
        if i + 1 < len(tokens) and not tokens[i + 1].startswith("--"):
            args[tok] = _value(tokens[i + 1])
            i += 2
        else:
            args[tok] = True
            i += 1
    return args


def _warnings_in(text: str) -> list[str]:
    return [line[len(WARNING_PREFIX):] for line in text.splitlines() if line.startswith(WARNING_PREFIX)]


def parse_megatron_args(text: str) -> dict:
    """Read back the megatron export: {"args": {"--flag": value or True}, "nnodes", "nproc_per_node",
    "world_size", "warnings"}."""
    nnodes = re.search(r"^NNODES=(\d+)$", text, re.M)
    nproc = re.search(r"^NPROC_PER_NODE=(\d+)$", text, re.M)
    block = re.search(r"^MEGATRON_ARGS=\($(.*?)^\)$", text, re.M | re.S)
    if block is None:
        raise ValueError("no MEGATRON_ARGS=( ... ) array")
    tokens = shlex.split(block.group(1), comments=True)
    n = int(nnodes.group(1)) if nnodes else None
    g = int(nproc.group(1)) if nproc else None
    return {"args": _flags(tokens), "nnodes": n, "nproc_per_node": g,
            "world_size": n * g if n and g else None, "warnings": _warnings_in(text)}


def _command(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return shlex.split(" ".join(line.rstrip().removesuffix("\\") for line in lines))


def parse_vllm_args(text: str) -> dict:
    """Read back the vllm export: {"model": str, "args": {"--flag": value}, "warnings"}."""
    tokens = _command(text)
    if tokens[:2] != ["vllm", "serve"] or len(tokens) < 3:
        raise ValueError("not a `vllm serve MODEL ...` line")
    return {"model": tokens[2], "args": _flags(tokens[3:]), "warnings": _warnings_in(text)}


TORCHRUN_SWITCHES = ("--standalone",)


def parse_torchrun(text: str) -> dict:
    """Read back the torchrun export: {"torchrun": {...}, "script": str, "script_args": {...},
    "nnodes", "nproc_per_node", "world_size", "warnings"}."""
    tokens = _command(text)
    if not tokens or tokens[0] != "torchrun":
        raise ValueError("not a torchrun line")
    launcher: dict[str, Any] = {}
    i = 1
    while i < len(tokens) and tokens[i].startswith("--"):
        if tokens[i] in TORCHRUN_SWITCHES:
            launcher[tokens[i]] = True
            i += 1
        else:
            launcher[tokens[i]] = _value(tokens[i + 1])
            i += 2
    if i >= len(tokens):
        raise ValueError("no training script after the torchrun flags")
    script = tokens[i]
    nnodes, nproc = launcher.get("--nnodes"), launcher.get("--nproc-per-node")
    return {"torchrun": launcher, "script": script, "script_args": _flags(tokens[i + 1:]),
            "nnodes": nnodes, "nproc_per_node": nproc,
            "world_size": nnodes * nproc if isinstance(nnodes, int) and isinstance(nproc, int) else None,
            "warnings": _warnings_in(text)}


# ---------------------------------------------------------------- command line

class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def __init__(self, *a, stream: TextIO, **kw):
        super().__init__(*a, **kw)
        self._stream = stream

    def _print_message(self, message: str, file=None) -> None:
        if message:
            self._stream.write(message)

    def error(self, message: str):  # never sys.exit from inside a library call
        raise _Usage(f"{self.format_usage()}{self.prog}: error: {message}")

    def exit(self, status: int = 0, message: str | None = None):
        if message:
            self._stream.write(message)
        raise (_Usage(None) if status else _Done())


class _Done(Exception):
    pass


def _parser(out: TextIO) -> _Parser:
    ap = _Parser(prog="capplan export", stream=out,
                 description="Turn an evaluated plan into the arguments or config of the framework that "
                 "runs it. Settings the framework cannot express are reported as warnings "
                 "(and as `# capplan:` comment lines in text outputs).")
    ap.add_argument("file", metavar="FILE", help="the .plan spec")
    ap.add_argument("plan", metavar="PLAN", help="the name of a training or inference plan in FILE")
    ap.add_argument("--to", required=True, choices=tuple(TARGETS), dest="target",
                    help="megatron, deepspeed, torchrun (training plans) or vllm (inference plans)")
    ap.add_argument("-o", "--output", metavar="OUT", help="write to a file (atomically) instead of stdout")
    return ap


def main(argv: list[str] | None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`capplan export FILE PLAN --to TARGET [-o OUT]`; `argv` are the arguments after `export`.

    Exit status: 0 exported; 1 the specs have errors, the plan is unknown or of the wrong kind,
    or OUT cannot be written; 2 usage errors; 3 an internal error. Never a traceback.
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    if argv is None:  # run as a script: drop a leading `export` subcommand word
        argv = sys.argv[1:]
        if argv[:1] == ["export"]:
            argv = argv[1:]
    argv = list(argv)
    ap = _parser(out)
    try:
        args = ap.parse_args(argv)
    except _Done:
        return EXIT_OK
    except _Usage as exc:
        if exc.args and exc.args[0]:
            err.write(str(exc.args[0]) + "\n")
        return EXIT_USAGE
    try:
        return _run(args, out, err)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # our bug, never the user's input
        err.write(f"capplan: internal error, please report: {exc.__class__.__name__}: {exc}\n")
        return EXIT_INTERNAL


def _run(args, out: TextIO, err: TextIO) -> int:
    from .diagnostics import render_all
    from .pipeline import compile_files

    comp = compile_files([args.file])
    items = comp.diagnostics.sorted()
    if items:
        err.write(render_all(items, comp.program.sources, False) + "\n\n")
    if comp.failed:
        err.write(f"capplan: nothing exported: {args.file} has errors\n")
        return EXIT_USER
    plans = {p["name"]: p for p in comp.plans}
    plan = plans.get(args.plan)
    if plan is None:
        listing = ", ".join(f"{n} ({p['kind']})" for n, p in sorted(plans.items())) or "none"
        obj = comp.checked.objects.get(args.plan) if comp.checked else None
        searches = {getattr(x, "name", None) for x in (getattr(comp.checked, "searches", None) or [])}
        if obj is not None:
            what = f"`{args.plan}` is a {obj.kind}, not a plan"
        elif args.plan in searches:
            what = (f"`{args.plan}` is a search, not a plan: write the layout you choose as a training "
                    "plan and export that")
        else:
            what = f"no plan `{args.plan}` in {args.file}"
        err.write(f"capplan: {what}; plans: {listing}\n")
        return EXIT_USER
    obj = comp.checked.objects.get(args.plan) if comp.checked else None
    details = declaration_details(obj) if obj is not None and obj.kind == plan["kind"] else None
    try:
        result = export(plan, args.target, details)
    except ExportError as exc:
        err.write(f"capplan: {exc}\n")
        return EXIT_USER
    for w in result.warnings:
        err.write(f"capplan: warning: {w}\n")
    if args.output:
        from .atomic import write_atomically

        try:
            write_atomically(args.output, result.text)
        except OSError as exc:
            err.write(f"capplan: cannot write {args.output}: {exc.strerror or exc}\n")
            return EXIT_USER
    else:
        out.write(result.text)
    return EXIT_OK
