"""`capplan export --to deepspeed`: a DeepSpeed config JSON of documented keys only."""

from __future__ import annotations

import json
from typing import Any

from capplan.tools.export.common import _fit_warning, _flabel, _layout, _Out, _precision_formats, TORCH_DTYPE


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
    w, g, master, states, act = _precision_formats(prec)
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
    fw = d.get("framework") or {}
    overlap = bool(fw.get("overlap_grad_reduce", True))
    if zero >= 1:
        # the plan's step time hides the gradient reduction behind the backward unless overlap_grad_reduce =
        # false; DeepSpeed overlaps only when asked below stage 3 (zero/config.py overlap_comm_valid)
        zo["overlap_comm"] = overlap
    elif overlap and dp * cp > 1:
        out.warn("ZeRO stage 0: DeepSpeed all-reduces the gradients after the backward pass, while the plan's "
                 "time hides them behind it (overlap_grad_reduce = true): state overlap_grad_reduce = false, or "
                 "use ZeRO stage 1 or more with overlap_comm")
    for key in ("reduce_bucket_size", "sub_group_size"):  # the spec's framework block states DeepSpeed's own
        if fw.get(key) is not None:
            zo[key] = fw[key]
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
