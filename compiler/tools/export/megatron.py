"""`capplan export --to megatron`: Megatron-LM `pretrain_gpt.py` arguments (sources: compiler/tools/export/sources.md)."""

from __future__ import annotations

import shlex
from typing import Any

from capplan.check.layout_rules import SPLIT_BACKWARD
from capplan.tools.export.common import (_chunks, _even_split, _fit_warning, _flabel, _header, _layout, _nodes,
    _num, _Out, _precision_formats)


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


def _megatron_overlap(fw: dict, tp: int, replicas: int, sharded: bool, sp: bool, add, out: _Out,
                      notes: list[str]) -> None:
    """The communication overlap the plan's step time assumes (framework overlap_grad_reduce,
    overlap_param_gather, tp_comm_overlap; engine/timing.py), which Megatron-LM leaves off unless asked.
    Its validate_args requires --overlap-grad-reduce and a distributed optimizer for --overlap-param-gather,
    and sequence parallelism for --tp-comm-overlap."""
    if replicas > 1 and fw.get("overlap_grad_reduce", True):
        add("--overlap-grad-reduce")
        gather = sharded and fw.get("overlap_param_gather", True)
        if gather:
            add("--overlap-param-gather")
        notes.append("the gradient reduction behind the backward" + (
            " and the distributed optimizer's parameter gather behind the forward" if gather else "")
            + ", as the plan's step time assumes (Megatron-LM's default is off)")
    if fw.get("tp_comm_overlap"):
        if tp > 1 and sp:
            add("--tp-comm-overlap")
        else:
            out.warn("tp_comm_overlap = true cannot be expressed without tensor > 1 and sequence parallelism "
                     "(Megatron-LM's validate_args requires both): the tensor-parallel collectives will not "
                     "overlap their GEMMs as the plan's time assumes")


def _megatron(plan: dict, d: dict, out: _Out) -> str:
    lay = _layout(plan)
    m = d["model"]
    par = d["parallel"]
    prec = d["precision"]
    lora = d.get("lora")
    nnodes, per_node, gpus = _nodes(plan, d)
    tp, pp, dp, cp, ep = (int(lay[k] or 1) for k in ("tensor", "pipeline", "data", "context", "expert"))
    args: list[tuple[str, str | list[str] | None]] = []
    notes: list[str] = []

    def add(flag: str, value: Any = None) -> None:
        """One argument: a flag, a flag and a value, or a flag and a list of words (an nargs argument)."""
        if isinstance(value, list):
            args.append((flag, [str(v) for v in value]))
            return
        args.append((flag, None if value is None else (value if isinstance(value, str) else _num(value))))

    # -- parallel layout
    add("--tensor-model-parallel-size", tp)
    add("--pipeline-model-parallel-size", pp)
    add("--context-parallel-size", cp)
    add("--expert-model-parallel-size", ep)
    if m.get("moe"):
        etp = int(lay.get("expert_tensor") or tp)   # a result written before expert_tensor existed: TP
        add("--expert-tensor-parallel-size", etp)
        notes.append(f"experts split over expert tensor {etp} x expert {ep} ranks, as capplan counts them")
        # the dispatcher the step time assumes (Megatron-LM's default is allgather)
        if (d.get("framework") or {}).get("moe_dispatcher") == "deepep":
            add("--moe-token-dispatcher-type", "flex")
            add("--moe-enable-deepep")
            notes.append("DeepEP through the flex dispatcher (moe_dispatcher = deepep); Megatron-Core after "
                         "core_v0.15 reads --moe-flex-dispatcher-backend deepep, its default, and warns that "
                         "--moe-enable-deepep is deprecated")
        else:
            add("--moe-token-dispatcher-type", "alltoall")
    notes.append(f"data-parallel size {dp} = {gpus} GPUs / (tensor {tp} x pipeline {pp} x context {cp}): "
                 "Megatron derives it from the world size")
    layers = m.get("layers")
    schedule = lay.get("schedule") or "1f1b"
    v = int(lay.get("virtual_stages") or 1) if schedule == "interleaved" else 1
    explicit = par.get("layers_per_stage")
    if schedule == "gpipe" and pp > 1:
        out.warn("schedule = gpipe cannot be expressed: Megatron-LM runs 1F1B (or interleaved); "
                 "it holds fewer micro-batches in flight than the plan assumes")
    elif schedule in SPLIT_BACKWARD and pp > 1:
        out.warn(f"schedule = {schedule} cannot be expressed: Megatron-LM runs 1F1B (or interleaved), whose bubble "
                 "is larger than the plan assumes (zero-bubble and DualPipe schedules live in forks: "
                 "sail-sg/zero-bubble-pipeline-parallelism, deepseek-ai/DualPipe)")
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
    _megatron_overlap(d.get("framework") or {}, tp, dp * cp, bool(lay.get("distributed_optimizer") or zero >= 1),
                      bool(lay.get("sequence_parallel")), add, out, notes)
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
        modules = lay.get("recompute_modules") or ["core_attn"]   # the plan's JSON: a list under selective
        if modules != ["core_attn"]:   # Megatron-Core's default
            add("--recompute-modules", modules)
    elif recompute == "full":
        # every layer (uniform, one layer a unit), or the first N of each pipeline stage's chunk (block)
        some = lay.get("recompute_layers")
        add("--recompute-granularity", "full")
        add("--recompute-method", "uniform" if some is None else "block")
        add("--recompute-num-layers", 1 if some is None else int(some))
    elif recompute == "selective_op":
        out.warn("recompute = selective_op is torchtitan's per-op policy; Megatron-LM has none like it: no "
                 "recomputation emitted (state recompute = selective or full for a Megatron-LM run)")

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
    elif att == "flash2":
        add("--attention-backend", "flash")
        notes.append("attention = flash2 -> --attention-backend flash with flash-attn 2.x installed and no "
                     "flash_attn_3 (Transformer Engine runs FlashAttention-3 when it finds it), as planned")
    elif att == "eager":
        add("--attention-backend", "unfused")
        notes.append("attention = eager -> --attention-backend unfused (keeps the s x s scores, as planned)")
    else:
        out.warn(f"attention = {att} cannot be expressed: Megatron-LM's backends are flash, fused (cuDNN), "
                 "unfused and local; --attention-backend left at its default (auto)")
    if fw.get("loss_kernel", "torch") != "torch":
        out.warn(f"loss_kernel = {fw['loss_kernel']} (flash-attn's cross entropy) cannot be expressed: Megatron-LM "
                 "runs its own vocab-parallel loss (--cross-entropy-loss-fusion fuses it differently)")
    if fw.get("pipeline_scatter_gather"):
        out.warn("pipeline_scatter_gather = true cannot be expressed: Megatron-LM dropped "
                 "--scatter-gather-tensors-in-pipeline when pipeline communication moved into Megatron-Core "
                 "(March 2023): without sequence parallelism this launch sends whole tensors between stages, more than "
                 "the plan's time assumes")
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
        words = [] if value is None else value if isinstance(value, list) else [value]
        lines.append(f"  {flag}" + "".join(f" {shlex.quote(w)}" for w in words))
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
        if moe.get("groups"):
            add("--moe-router-num-groups", moe["groups"])
            add("--moe-router-group-topk", moe.get("groups_per_token") or moe["groups"])
        if moe.get("shared_gate"):
            out.warn("the shared-expert gate (Qwen2-MoE) is not exported: its argument exists only in "
                     "recent Megatron-LM (not in core_v0.15.3)")


def _megatron_precision(prec: dict, lora: dict | None, add, out: _Out, notes: list[str]) -> None:
    w, g, master, states, act = _precision_formats(prec)
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
