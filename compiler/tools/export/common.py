"""What every `capplan export` target shares: the plan's details, formats, layout helpers and warnings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from capplan import __version__
from capplan.check.validate import hardware_of
from capplan.engine.optimizers import lora_modules

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
    """A numeric format (capplan.check.values.Format, or a name) as a plain dict."""
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
               "dense_layers": e.get("dense_layers", 0), "router_bias": bool(e.get("router_bias", False)),
               "groups": e.get("groups"), "groups_per_token": e.get("groups_per_token")}
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
    targets = lora.get("targets", "all")
    written = targets if isinstance(targets, str) else ",".join(targets)
    return {"rank": lora.rank, "targets": written, "modules": list(lora_modules(targets)),
            "alpha": lora.get("alpha", 8), "dropout": float(lora.get("dropout", 0.0) or 0.0)}


def declaration_details(obj: Any) -> dict:
    """What the export needs from a lowered workload declaration (`comp.checked.objects[name]`)
    beyond the result dict: model details, formats, uneven pipeline split, LoRA, framework."""
    _gpu, gpus, per_node = hardware_of(obj)
    out: dict = {"kind": obj.kind, "model": _model_details(obj.model), "gpus": gpus, "gpus_per_node": per_node,
                 "gpu_architecture": _gpu.get("architecture") if _gpu is not None else None}
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
                            "loss_kernel": fw.get("loss_kernel", "torch") if fw else "torch",
                            "norm_kernel": fw.get("norm_kernel", "torch") if fw else "torch",
                            "optimizer_impl": fw.get("optimizer_impl", "foreach") if fw else "foreach",
                            "activation_rule": fw.get("activation_rule") if fw else None,
                            "moe_dispatcher": fw.get("moe_dispatcher", "alltoall") if fw else "alltoall",
                            "pipeline_scatter_gather": bool(fw.get("pipeline_scatter_gather", False)) if fw else False,
                            # the communication overlap the plan's step time assumes (engine/timing.py)
                            **{k: bool(fw.get(k, default)) if fw else default for k, default in
                               (("overlap_grad_reduce", True), ("overlap_param_gather", True),
                                ("tp_comm_overlap", False))},
                            # DeepSpeed's own keys, written only when the spec states them
                            **{k: int(fw.fields[k]) for k in ("reduce_bucket_size", "sub_group_size")
                               if fw is not None and fw.fields.get(k) is not None and k in fw.spans}}
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
        out["framework"] = {"attention": fw.get("attention", "flash") if fw else "flash",
                            "scheduler": fw.get("scheduler", "vllm") if fw else "vllm"}
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


def _precision_formats(prec: dict) -> tuple[str, str, str, str, str]:
    """(weights, gradients, master weights, optimizer states, activations) format names of a
    precision recipe, with the defaults every export target uses."""
    w = _fname(prec.get("weights")) or "bf16"
    return (w, _fname(prec.get("gradients")) or w, _fname(prec.get("master_weights")) or "none",
            _fname(prec.get("optimizer_states")) or w, _fname(prec.get("activations")) or w)


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
    return {k: layout.get(k) for k in ("tensor", "pipeline", "data", "context", "expert", "expert_tensor",
                                       "micro_batch", "global_batch", "microbatches", "seq_len", "sequence_parallel",
                                       "distributed_optimizer", "zero", "fsdp", "schedule", "virtual_stages",
                                       "recompute", "recompute_modules", "recompute_layers", "offload", "batch",
                                       "memory_utilization")}


def _nodes(plan: dict, details: dict) -> tuple[int, int, int]:
    hw = plan.get("hardware", {})
    gpus = int(hw.get("gpus") or details.get("gpus") or 1)
    per_node = int(hw.get("gpus_per_node") or details.get("gpus_per_node") or gpus)
    per_node = min(per_node, gpus) or 1
    if gpus % per_node:
        return 1, gpus, gpus
    return gpus // per_node, per_node, gpus


def _header(plan: dict, target: str, what: str) -> list[str]:
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


_HF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")  # a Hugging Face repository id
