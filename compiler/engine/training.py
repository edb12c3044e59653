"""Training memory per GPU rank, for every pipeline stage, by phase of the step.

Every rank of one pipeline stage is alike (tensor-, context- and data-
parallel ranks hold equal shares), so a stage stands for its ranks. For each
stage the engine sums persistent state (weights, gradients, master weights,
optimizer states), the activations of the micro-batches in flight, the
logits and loss buffers of the last stage and temporary buffers, at three
moments of a step: the end of the forward pass (activations at their most),
the start of the backward pass (plus the logits' gradient) and the optimizer
step (plus the optimizer's temporaries). The peak is the largest of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from capplan.check.values import Obj
from capplan.engine import activations as act
from capplan.engine import constants as K
from capplan.engine.formats import nbytes
from capplan.engine.params import ParamCount, count, lora_adapter_params

OPTIMIZER_STATES = {  # states per parameter, and where the figure comes from
    "adamw": (2, "Adam m and v (Loshchilov & Hutter 2019); torch.optim.AdamW"),
    "adam": (2, "Adam m and v (Kingma & Ba 2015); torch.optim.Adam"),
    "adamw_8bit": (2, "bitsandbytes AdamW8bit: m and v in 8 bits, block-wise (Dettmers et al. 2022)"),
    "sgd": (0, "plain SGD keeps no state"),
    "sgd_momentum": (1, "SGD with momentum keeps one buffer"),
    "lion": (1, "Lion keeps one momentum buffer (Chen et al. 2023)"),
    "adafactor": (0, "Adafactor keeps factored second moments: rows + columns per matrix "
                     "(Shazeer & Stern 2018)"),
}
ADAM8_BLOCK = 2048  # bitsandbytes blockwise quantization: one fp32 absmax per 2048 values


@dataclass
class Stage:
    index: int
    layers: list[int]                  # global layer indices held by this rank
    embedding: bool
    head: bool
    params: float = 0.0                # parameters held per GPU (before ZeRO sharding)
    expert_params: float = 0.0         # of which routed-expert parameters
    inflight: float = 0.0              # micro-batches (chunks) whose activations are held at the peak
    adapter_params: float = 0.0        # LoRA adapter parameters per GPU (trainable)
    memory: dict = field(default_factory=dict)     # by component, at the peak phase
    phases: dict = field(default_factory=dict)     # phase -> component -> bytes
    phase_totals: dict = field(default_factory=dict)
    allocated: float = 0.0
    phase: str = ""
    device: float = 0.0


def layer_split(layers: int, pp: int, v: int, explicit: list[int] | None) -> list[list[int]]:
    """Global layer indices per pipeline rank, with interleaved chunks (rank = chunk mod p)."""
    if explicit is not None:
        out, start = [], 0
        for n in explicit:
            out.append(list(range(start, start + n)))
            start += n
        return out
    chunks = pp * v
    base, extra = divmod(layers, chunks)
    sizes = [base + (1 if c >= chunks - extra else 0) for c in range(chunks)]  # extras to the last chunks
    out = [[] for _ in range(pp)]
    start = 0
    for c, n in enumerate(sizes):
        out[c % pp].extend(range(start, start + n))
        start += n
    return out


def inflight_microbatches(schedule: str, pp: int, rank: int, microbatches: int, v: int) -> float:
    """Micro-batches whose activations a rank holds at once, in units of the rank's whole layer set.

    1F1B (PipeDream-Flush, Narayanan et al. 2021): rank i runs p - i warm-up forwards, so it holds
    min(p - i, m). Interleaved (Megatron-LM get_forward_backward_func): (p - i - 1)*2 + (v - 1)*p + 1
    model chunks of L/(p v) layers each, so (that)/v of the rank's layers. GPipe: all m.
    """
    if pp == 1:
        return 1.0
    if schedule == "gpipe":
        return float(microbatches)
    if schedule == "interleaved" and v > 1:
        chunks = min((pp - rank - 1) * 2 + (v - 1) * pp + 1, microbatches * v)
        return chunks / v
    return float(min(pp - rank, microbatches))


def _layer_param_share(pc: ParamCount, index: int, tp: int, ep: int) -> tuple[float, float]:
    layer = pc.layer(index)
    dense = (layer.attention.per_rank(tp) + layer.mlp.per_rank(tp) + layer.norms.replicated
             + layer.router.replicated + layer.shared_experts.per_rank(tp))
    experts = layer.experts.sharded / (tp * ep) + layer.experts.replicated / ep
    return dense, experts


def optimizer_state_bytes(w: Obj, params: float, pc: ParamCount | None) -> tuple[float, str]:
    """Bytes of optimizer state for `params` parameters."""
    opt = w.optimizer
    states, _src = OPTIMIZER_STATES[opt]
    fmt = w.precision.optimizer_states
    if opt == "adamw_8bit":
        return params * states * (1 + 4 / ADAM8_BLOCK), f"{states} states x (1 + 4/{ADAM8_BLOCK}) B"
    if opt == "adafactor":
        m = w.model
        if pc is None or m.hidden is None:
            return params * 4 * 0.01, "~1% of 4 B/param (no architecture to factor)"
        # rows + columns of each matrix per parameter, averaged over the model's main matrices
        h, f = m.hidden, m.ffn or m.moe.expert_ffn
        ratio = ((h + h) / (h * h) * 4 + (h + f) / (h * f) * 3) / 7
        return params * 4 * ratio, "(rows + columns) x 4 B per matrix"
    return params * states * nbytes(fmt), f"{states} x {nbytes(fmt):g} B"


def training_memory(w: Obj) -> dict:
    m, p, prec, fw = w.model, w.parallel, w.precision, w.framework
    tp, pp, dp, cp, ep = p.tensor, p.pipeline, p.data, p.context, p.expert
    v = p.virtual_stages if p.schedule == "interleaved" else 1
    architecture = m.layers is not None and m.hidden is not None and m.heads is not None
    pc = count(m) if architecture else None
    bw, bg, bm = nbytes(prec.weights), nbytes(prec.gradients or prec.weights), nbytes(prec.master_weights)
    beta = nbytes(prec.activations or "bf16")
    zero = 3 if p.fsdp else p.zero
    shard = dp * cp                       # Megatron/DeepSpeed shard over the data(-and-context) group
    expert_shard = max(1, dp * cp // ep)
    opt_sharded = zero >= 1 or p.distributed_optimizer
    offload_opt = p.offload in ("optimizer", "optimizer_and_params")
    offload_params = p.offload == "optimizer_and_params"
    seq = w.seq_len / cp
    mb = w.micro_batch
    lora_rank = w.lora.rank
    M = w._microbatches
    cuda_context = fw.cuda_context if fw.cuda_context is not None else K.CUDA_CONTEXT
    overhead = fw.allocator_overhead if fw.allocator_overhead is not None else K.ALLOCATOR_OVERHEAD

    w_fmt = prec.weights.name
    residual = nbytes(prec.weights) if w_fmt in ("fp32", "bf16", "fp16", "tf32") else beta
    ctx = act.Context(seq=seq, batch=mb, tp=tp, sp=p.sequence_parallel, beta=beta,
                      kernel=fw.attention, recompute=p.recompute, impl=fw.implementation,
                      residual=residual)
    layers = m.layers if m.layers is not None else 0
    split = layer_split(layers, pp, v, p.layers_per_stage) if layers else [[] for _ in range(pp)]
    first_moe = m.moe.dense_layers if m.moe.experts is not None else layers  # layers from here on are MoE

    def is_moe(i: int) -> bool:
        return i >= first_moe

    # layers of one kind (dense or MoE) are identical: evaluate each kind once
    kinds = sorted({is_moe(i) for i in range(layers)})
    share = {k: _layer_param_share(pc, m.moe.dense_layers if k else 0, tp, ep) for k in kinds} if pc else {}
    per_layer_act = {k: act.layer_bytes(m, ctx, k)[0] for k in kinds} if architecture else {}
    stages = []
    for rank in range(pp):
        st = Stage(rank, split[rank], embedding=rank == 0, head=rank == pp - 1)
        n_moe = sum(1 for i in st.layers if i >= first_moe)
        counts = {False: len(st.layers) - n_moe, True: n_moe}
        if pc is not None:
            for kind, n in counts.items():
                if n:
                    dense, experts = share[kind]
                    st.params += n * (dense + experts)
                    st.expert_params += n * experts
            if st.embedding:
                st.params += pc.embedding.per_rank(tp)
            if st.head:
                st.params += pc.head.per_rank(tp) + pc.final_norm.replicated
                if m.tied_embeddings and pp > 1:
                    st.params += pc.embedding.sharded / tp  # Megatron keeps a copy for the tied head
        else:
            st.params = m.params / (pp * tp)
        st.inflight = inflight_microbatches(p.schedule, pp, rank, M, v)
        stages.append(st)

    for st in stages:
        dense = st.params - st.expert_params
        mem: dict[str, float] = {}

        def sharded(bytes_per: float, on: bool) -> float:
            if not on:
                return st.params * bytes_per
            return dense * bytes_per / shard + st.expert_params * bytes_per / expert_shard

        mem["weights"] = 0.0 if offload_params else sharded(bw, zero >= 3)
        mem["gradients"] = sharded(bg, zero >= 2)
        master = sharded(bm, opt_sharded)
        states_full, _ = optimizer_state_bytes(w, 1.0, pc)
        states = sharded(states_full, opt_sharded)
        if p.distributed_optimizer and bm > bg and prec.master_weights != "none":
            states += sharded(bm, True)  # Megatron keeps an fp32 copy of low-precision grads
        mem["master_weights"] = 0.0 if offload_opt else master
        mem["optimizer_states"] = 0.0 if offload_opt else states
        if prec.compute == "fp8" and pc is not None:
            # Transformer Engine on Hopper keeps each linear weight in fp8 twice, row-wise for the
            # forward GEMM and column-wise (transposed) for the backward GEMMs, cached across
            # micro-batches (TE docs, "Performance considerations: handling transposes", "FP8 weight
            # caching"); embeddings, head and norms stay in bf16. Per-tensor scaling state (amax
            # history) is a few KiB per layer and not counted.
            edges = (pc.embedding.per_rank(tp) if st.embedding else 0.0) + \
                (pc.head.per_rank(tp) + pc.final_norm.replicated if st.head else 0.0)
            mem["weights"] += (st.params - edges) * 2 * (1 / shard if zero >= 3 else 1.0)
        if lora_rank and pc is not None:
            # LoRA: the base (in `weights`, e.g. nf4 for QLoRA) is frozen, so it has no gradients,
            # master copy or optimizer state; the adapters train in fp32 (PEFT casts adapters to fp32)
            # with fp32 gradients and the optimizer's states.
            adapters = lora_adapter_params(m, lora_rank, w.lora.targets) * len(st.layers) / tp
            st.adapter_params = adapters
            mem["gradients"] = adapters * 4
            mem["master_weights"] = 0.0
            n_states = OPTIMIZER_STATES[w.optimizer][0]
            adapter_states = (optimizer_state_bytes(w, adapters, pc)[0] if w.optimizer == "adamw_8bit"
                              else adapters * n_states * 4)
            mem["optimizer_states"] = 0.0 if offload_opt else adapter_states
            mem["weights"] += adapters * 4

        if w.framework.activation_rule is not None:
            per_layer = w.framework.activation_rule * w.seq_len / cp * mb * m.hidden / tp
        elif architecture:
            per_layer = None
        else:
            per_layer = 0.0
        n_moe = sum(1 for i in st.layers if i >= first_moe)
        if per_layer is not None:
            layer_sum = per_layer * len(st.layers)
        else:
            layer_sum = per_layer_act.get(False, 0.0) * (len(st.layers) - n_moe) + per_layer_act.get(True, 0.0) * n_moe
        if per_layer is not None and not st.layers and m.layers is None:
            layer_sum = 0.0
        mem["activations"] = layer_sum * st.inflight

        # the last stage's logits and loss buffers, for one micro-batch at a time
        head_held = head_transient = head_bwd = 0.0
        if st.head and pc is not None:
            head_held, head_transient, head_bwd, _ = act.head_bytes(m, ctx, fw.loss_upcast)

        # autocast (fp32 weights, bf16 compute): each matmul weight's bf16 copy is saved for backward
        casts = 0.0
        if ctx.autocast and ctx.impl == "transformers" and pc is not None and p.recompute != "full":
            casts = (st.params - (pc.embedding.per_rank(tp) if st.embedding else 0.0)) * ctx.beta

        # temporaries: ZeRO-3 gathers one layer's weights (and prefetches the next)
        temp_fb = 0.0
        if (zero >= 3 or offload_params) and pc is not None and st.layers:
            largest = max(sum(share[k]) for k in {is_moe(st.layers[0]), is_moe(st.layers[-1])})
            temp_fb = 2 * largest * bw
        opt_temp = 0.0
        if not offload_opt and fw.optimizer_impl == "foreach" and OPTIMIZER_STATES[w.optimizer][0] > 0 \
                and w.optimizer != "adamw_8bit":
            # torch._foreach_sqrt(exp_avg_sq): one parameter-sized temporary in the state's format
            opt_temp = (st.adapter_params * 4 if lora_rank else
                        sharded(nbytes(prec.optimizer_states), opt_sharded))
        if lora_rank and pc is not None and prec.weights.name in ("int8", "int4", "nf4", "fp4") and st.layers:
            # a quantized base is dequantized one matrix at a time for each matmul (bitsandbytes)
            widest = max(m.hidden * (m.ffn or m.moe.expert_ffn), m.hidden * m.heads * m.head_dim)
            temp_fb += widest * beta / tp
        # backward through a layer: its saved tensors (recomputed first under full recomputation) and
        # the gradient in and out of its largest tensor
        layer_work = 0.0
        if architecture and st.layers:
            kinds_here = {is_moe(st.layers[0]), is_moe(st.layers[-1])}
            full_ctx = act.Context(seq, mb, tp, p.sequence_parallel, beta, fw.attention, "none",
                                   fw.implementation, residual)
            transient = max(2 * act.largest_saved(m, full_ctx, k) for k in kinds_here)
            recomputed = (max(act.layer_bytes(m, full_ctx, k)[0] for k in kinds_here)
                          if p.recompute == "full" else 0.0)
            layer_work = transient + recomputed
        pending = 1.0
        if pc is not None and st.layers and st.params:
            first = sum(share[is_moe(st.layers[0])]) + (pc.embedding.per_rank(tp) if st.embedding else 0.0)
            pending = max(0.0, 1 - first / st.params) if fw.grads_freed else 1.0
        # gradients exist at the activation peak once this rank has run a backward in this step
        grads_at_peak = (not fw.grads_freed) or M > st.inflight
        persistent = {k: mem[k] for k in ("weights", "master_weights", "optimizer_states")}
        grads = mem["gradients"] if grads_at_peak else 0.0
        activ = mem["activations"]
        st.phases = {
            "forward end": {**persistent, "gradients": grads, "activations": activ + casts,
                            "logits": head_held + head_transient, "temporary": temp_fb},
            "backward start": {**persistent, "gradients": grads, "activations": activ + casts,
                               "logits": head_held + head_bwd, "temporary": temp_fb},
            # the first layer's backward: the gradients of every later layer (and the head) exist, the
            # first layer's and the embedding's are not yet allocated
            "backward end": {**persistent, "gradients": mem["gradients"] * pending, "activations": 0.0,
                             "logits": 0.0, "temporary": temp_fb + layer_work},
            "optimizer step": {**persistent, "gradients": mem["gradients"], "activations": 0.0,
                               "logits": 0.0, "temporary": opt_temp},
        }
        totals = {k: sum(v.values()) for k, v in st.phases.items()}
        phase = max(totals, key=lambda k: (totals[k], k == "optimizer step"))
        allocated = totals[phase]
        st.memory = dict(st.phases[phase])
        st.memory["allocator_reserve"] = allocated * overhead
        st.memory["cuda_context"] = cuda_context
        st.allocated = allocated
        st.phase = phase
        st.device = allocated * (1 + overhead) + cuda_context
        st.phase_totals = totals
    return {"stages": stages, "params": pc, "context": ctx, "microbatches": M, "overhead": overhead,
            "cuda_context": cuda_context}
