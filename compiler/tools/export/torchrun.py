"""`capplan export --to torchrun`: the launcher line and the FSDP/DDP settings of the user's script."""

from __future__ import annotations

import shlex
from typing import Any

from capplan.tools.export.common import (DENSE, _fit_warning, _flabel, _fname, _header, _HF_ID, HF_PROJECTIONS,
    _layout, _nodes, _num, _Out, TORCH_DTYPE)


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
        # torch.distributed.pipelining's schedule classes (torch 2.13): ZB1P is ScheduleInterleavedZeroBubble
        names = {"1f1b": "1F1B", "interleaved": "Interleaved1F1B", "gpipe": "GPipe", "zb1p": "InterleavedZeroBubble",
                 "dualpipev": "DualPipeV"}
        if schedule in names:
            add("--pipeline-schedule", names[schedule])
            notes.append("--pipeline-schedule: torch.distributed.pipelining.Schedule" + names[schedule])
        else:
            out.warn(f"schedule = {schedule} cannot be expressed: torch.distributed.pipelining offers 1F1B, "
                     "Interleaved1F1B, GPipe, InterleavedZeroBubble (ZB1P), ZBVZeroBubble and DualPipeV; "
                     "--pipeline-schedule left out")
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
        some = lay.get("recompute_layers")
        if some is None:
            notes.append("--activation-checkpointing full: torch.distributed.algorithms._checkpoint."
                         "checkpoint_wrapper.apply_activation_checkpointing on every decoder layer")
        else:
            add("--checkpoint-layers", int(some))
            notes.append(f"--checkpoint-layers {int(some)}: apply_activation_checkpointing with a check_fn that wraps "
                         f"the first {int(some)} decoder layers of each pipeline stage only, the others keep their "
                         "activations")
    elif recompute == "selective_op":
        add("--activation-checkpointing", "selective_op")
        notes.append("--activation-checkpointing selective_op: torch.utils.checkpoint on every decoder layer with a "
                     "selective-checkpoint policy that saves the attention op's outputs and every other aten.mm "
                     "output, the rest recomputed (torchtitan's activation_checkpoint.mode = \"selective\", "
                     "selective_ac_option = \"op\")")
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
    fw = d.get("framework") or {}
    impl = fw.get("optimizer_impl", "auto")
    impl = "foreach" if impl == "auto" else impl  # torch's own default for AdamW on CUDA
    add("--optimizer-impl", impl)
    notes.append(f"--optimizer-impl {impl}: torch.optim.{'AdamW' if opt == 'adamw' else opt}("
                 f"{'fused=True' if impl == 'fused' else 'foreach=True' if impl == 'foreach' else 'foreach=False'})")
    att = fw.get("attention", "flash")
    arch = d.get("gpu_architecture")
    # `flash` is the GPU's native fused kernel: FlashAttention-3 on Hopper (transformers' flash_attention_3);
    # `flash2` FlashAttention-2 on any GPU (engine/gemm.py attention_efficiency)
    add("--attn-implementation", {"flash": "flash_attention_3" if arch == "hopper" else "flash_attention_2",
                                  "flash2": "flash_attention_2", "sdpa": "sdpa", "eager": "eager"}[att])
    loss = fw.get("loss_kernel", "torch")
    if loss != "torch":
        add("--loss-kernel", loss)
        notes.append(f"--loss-kernel {loss}: flash_attn.losses.cross_entropy.CrossEntropyLoss(inplace_backward="
                     f"{loss == 'fused_inplace'}) over the 16-bit logits")
    if fw.get("norm_kernel", "torch") == "fused":
        add("--norm-kernel", "fused")
        notes.append("--norm-kernel fused: RMSNorm as one kernel that keeps its input and the fp32 1/rms "
                     "(torchtitan's norm_type = \"fused_rmsnorm\"); PyTorch's ops keep an fp32 copy of the input "
                     "and the normalised input besides, which the plan's memory does not hold")
    if att == "flash" and arch == "blackwell":
        out.warn("attention = flash on a Blackwell GPU plans its native kernel (cuDNN or FlashAttention-4), which "
                 "transformers does not name; flash_attention_2 runs below the planned attention time (plan "
                 "attention = flash2 to size for it)")
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
