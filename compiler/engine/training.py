"""Training memory per GPU rank, for every pipeline stage, by phase of the step.

Every rank of one pipeline stage is alike (tensor-, context- and data-parallel ranks hold
equal shares), so a stage stands for its ranks. For each stage the engine sums persistent
state (weights, gradients, master weights, optimizer states), the activations of the
micro-batches in flight, the logits and loss buffers of the last stage and temporary buffers,
at four moments of a step: the end of the forward pass (activations at their most), the start
of the backward pass (plus the logits' gradient), the end of the backward pass (the first
layer's backward) and the optimizer step (plus the optimizer's temporaries). The peak is the
largest of them.

The formulas are written once (`rank_phases`) on values that are Python numbers for one plan
and numpy arrays (one element per candidate layout) for the search.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from capplan.check import layout_rules
from capplan.core import constants as K
from capplan.engine import lifetimes, schedules
from capplan.engine.activations import SOURCE as ACTIVATIONS_SOURCE
from capplan.engine.blocks.base import Context
from capplan.engine.formats import nbytes
from capplan.engine.layers import head_bytes, largest_saved, layer_bytes, recomputed_bytes
from capplan.engine.optimizers import (OPTIMIZER_STATES, lora_adapter_params, lora_window, loop_window,
                                      optimizer_state_bytes, step_temporaries)
from capplan.engine.params import ParamCount, count
from capplan.engine.recompute import replayed_share, replays_forward
from capplan.engine.vector import logical_and, logical_not, logical_or, maximum, minimum, where
from capplan.ir.plan import Training

PHASES = ("forward end", "backward start", "backward end", "optimizer step")
QUANTIZED_BASE = ("int8", "int4", "nf4", "fp4")


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
    formulas: dict = field(default_factory=dict)   # component -> (formula, source), from rank_phases
    phase_totals: dict = field(default_factory=dict)
    allocated: float = 0.0
    phase: str = ""
    device: float = 0.0


@dataclass
class Static:
    """What a plan fixes whatever its layout: byte sizes, the model's counts, framework switches."""

    plan: Training
    pc: ParamCount | None
    bw: float
    bg: float
    bm: float
    beta: float
    residual: float
    states_per_param: float
    state_fmt: float
    cuda_context: float
    nccl: float                        # per communicator of more than one GPU (K.NCCL_MEMORY)
    overhead: float
    family: str                        # the runtime, as far as it does not depend on the ZeRO stage
    kinds: list = field(default_factory=list)

    @classmethod
    def of(cls, w: Training) -> "Static":
        m, prec, fw = w.model, w.precision, w.framework
        pc = count(m) if m.is_architecture else None
        beta = nbytes(prec.activations)
        residual = nbytes(prec.weights) if prec.weights.name in ("fp32", "bf16", "fp16", "tf32") else beta
        return cls(w, pc, nbytes(prec.weights), nbytes(prec.gradients), nbytes(prec.master_weights), beta,
                   residual, optimizer_state_bytes(w, 1.0, pc)[0], nbytes(prec.optimizer_states),
                   fw.constant(K.CUDA_CONTEXT), fw.constant(K.NCCL_MEMORY), fw.constant(K.ALLOCATOR_OVERHEAD),
                   layout_rules.family_of(fw.runtime, fw.implementation, w.layout.distributed_optimizer,
                                       w.layout.fsdp), m.kinds())

    def context(self, tp: int, sp: bool, mb: int, recompute: str, cp: int) -> Context:
        w = self.plan
        fp8 = w.precision.compute == "fp8" and w.framework.implementation == "megatron"
        return Context(w.seq_len / cp, mb, tp, sp, self.beta, w.framework.attention, recompute,
                       w.framework.implementation, self.residual, w.layout.recompute_modules, fp8,
                       w.framework.norm_kernel)

    def layer_terms(self, tp: int, sp: bool, mb: int, recompute: str, cp: int) -> dict:
        """Per layer kind: bytes saved under `recompute`, those the memory-bound kernels stream (saved without
        recomputation, eager scores aside), and the backward working set."""
        h = self.plan.model.hidden
        ctx = self.context(tp, sp, mb, recompute, cp)
        full = ctx.without_recompute()
        # what the memory-bound kernels stream: the tensors saved without recomputation, less the eager score
        # matrices, whose traffic the eager kernel family's efficiency already covers (engine/gemm.py)
        streamed = replace(full, kernel="flash") if full.kernel == "eager" else full
        out = {"saved": [], "saved_none": [], "streamed": [], "work": []}
        for kind in self.kinds:
            saved_none = layer_bytes(kind, h, full)[0]
            out["saved_none"].append(saved_none)
            out["streamed"].append(saved_none if streamed is full else layer_bytes(kind, h, streamed)[0])
            out["saved"].append(layer_bytes(kind, h, ctx)[0] if recompute != "none" else saved_none)
            # backward through a layer holds what it recomputes for it: the whole layer under full recomputation
            # and torchtitan's per-op policy (which rebuilds all but the outputs it kept), the modules' tensors
            # beyond core attention under selective (core attention's own transient was never counted:
            # Korthikanti et al.'s selective figures leave it out)
            again = saved_none if replays_forward(recompute) else recomputed_bytes(kind, h, ctx)
            out["work"].append(2 * largest_saved(kind, h, full) + again)
        return out

    def shares(self, tp: int, ep: int, etp: int) -> list[tuple[float, float]]:
        """Per layer kind: (parameters a rank holds besides routed experts, routed-expert parameters); the experts
        split over expert tensor parallelism (etp) and expert parallelism."""
        return [(lp.dense_per_rank(tp), lp.experts_per_rank(etp, ep)) for lp in self.pc.kinds]


@dataclass
class RankInput:
    """One pipeline rank of one layout (or of many: every field may be an array)."""

    n: list                  # layers of each kind on the rank
    count: object            # layers on the rank (a bare parameter count has no kinds, only a count)
    first_kind: object       # index of the kind of the rank's first layer
    is_first: object
    is_last: object


def rank_phases(S: Static, x: dict, r: RankInput, rank: int) -> dict:
    """Phase -> component -> bytes on one rank, and the rank's parameter counts.

    `x` holds the layout: tensor, pipeline, data, context, expert, zero, distributed_optimizer,
    recompute (name), chunks (v), microbatches, terms (layer_terms), share (shares), each a number
    or an array. Sources: ZeRO (Rajbhandari et al. 2020, sec. 5), Megatron-LM distrib_optimizer.md,
    PyTorch's optimizer step, Transformer Engine's FP8 weight caching (see the comments).
    """
    w, pc, m = S.plan, S.pc, S.plan.model
    p, prec, fw = w.layout, w.precision, w.framework
    formulas: dict[str, tuple[str, str]] = {}

    def term(component: str, formula: str, source: str, value):
        """A component's value, with its formula and source recorded where it is computed."""
        formulas[component] = (formula, source)
        return value

    tp, pp, dp, cp, ep = x["tensor"], x["pipeline"], x["data"], x["context"], x["expert"]
    etp = x["expert_tensor"]
    zero, M = x["zero"], x["microbatches"]
    # the expert data-parallel group: TP x CP x DP / (ETP x EP) ranks (Megatron-Core parallel_state)
    shard, eshard = dp * cp, maximum(1.0, tp * dp * cp / (etp * ep))
    opt_sharded = logical_or(zero >= 1, x["distributed_optimizer"])
    offload_opt = p.offload in ("optimizer", "optimizer_and_params")
    offload_params = p.offload == "optimizer_and_params"
    n_layers = r.count
    partial = x.get("recompute_layers") is not None   # full recomputation of some of each chunk's layers
    replayed = replayed_share(x.get("recompute_layers"), x["chunks"], n_layers)
    arch = pc is not None
    lora = w.lora
    emb = head = 0.0
    if arch:
        share = x["share"]
        expert_params = sum(n * s[1] for n, s in zip(r.n, share))
        emb = pc.embedding.per_rank(tp)
        head = pc.head.per_rank(tp) + pc.final_norm.replicated
        tied = pc.embedding.sharded / tp if m.head.tied else 0.0
        # a tied output layer on another rank than the embedding keeps its own copy of the matrix
        apart = logical_and(pp > 1, logical_not(logical_and(r.is_first, r.is_last)))
        params = (sum(n * (s[0] + s[1]) for n, s in zip(r.n, share)) + where(r.is_first, emb, 0.0)
                  + where(r.is_last, head + where(apart, tied, 0.0), 0.0))
    else:
        expert_params = 0.0
        params = m.params / (pp * tp)
    dense = params - expert_params

    def sharded(bytes_per, on):
        return where(on, dense * bytes_per / shard + expert_params * bytes_per / eshard, params * bytes_per)

    # FSDP with a master-weight recipe is FSDP's MixedPrecision(param_dtype = the weights' format): the fp32 flat
    # shard is the parameter the optimizer updates (the recipe's master weights), the 16-bit copies exist only
    # while a unit is gathered (`gathered` below), and the sharded gradients are upcast to the shard's dtype
    # after the reduce-scatter (keep_low_precision_grads = False), whatever dtype they were reduced in
    fsdp_mixed = S.family == "fsdp" and prec.master_weights.name != "none" and lora is None
    weights = term("weights", "params on the rank x bytes(weights) [/ (dp x cp) with ZeRO-3/FSDP]"
                   + ("; FSDP mixed precision: none outside a gathered unit (the master shard is the parameter)"
                      if fsdp_mixed else ""),
                   "Rajbhandari et al. 2020 (ZeRO, arXiv:1910.02054) sec. 5; Megatron-LM distrib_optimizer.md"
                   + ("; torch/distributed/fsdp/api.py MixedPrecision (param_dtype: outside forward and backward "
                      "the sharded parameters are kept in full precision; keep_low_precision_grads)"
                      if fsdp_mixed else ""),
                   0.0 if offload_params or fsdp_mixed else sharded(S.bw, zero >= 3))
    # its lifetime, formula and source: lifetimes.gradient_lifetime below
    grads = sharded(max(S.bg, S.bm) if fsdp_mixed else S.bg, zero >= 2)
    if offload_opt and S.family in ("auto", "deepspeed"):
        # DeepSpeed ZeRO-2/3 with offload_optimizer keep no gradient partition on the GPU: stage_1_and_2.py
        # copy_grads_in_partition copies them to the CPU's fp32 buffer; stage3.py allocates
        # grad_partitions_flat_buffer on the CPU (validation/framework_lifetimes.md); ZeRO-1 keeps its grads
        grads = where(zero >= 2, 0.0, grads)
    master = term("master_weights", "params on the rank x bytes(master) [/ (dp x cp) with ZeRO-1+ or "
                  "distributed optimizer]", "Micikevicius et al. 2018 (mixed precision); ZeRO sec. 5",
                  sharded(S.bm, opt_sharded))
    states = term("optimizer_states", "params on the rank x states x bytes(state) [/ (dp x cp) with ZeRO-1+]"
                  + ("; first step: none before the optimizer step creates them" if fw.first_step else ""),
                  "torch.optim.AdamW state (exp_avg, exp_avg_sq); ZeRO sec. 5"
                  + ("; torch 2.13 torch/optim/adam.py Adam._init_group (lazy state initialization)"
                     if fw.first_step else ""), sharded(S.states_per_param, opt_sharded))
    main_grad_copy = 0.0
    if S.family == "megatron" and S.bm > S.bg and prec.master_weights.name != "none" and not offload_opt:
        # Megatron's mixed-precision optimizers copy 16-bit grads into fp32 main-param grads for the
        # step (`main_param.grad = model_grad.float()`), sharded with the distributed optimizer: the
        # "fp16 param, fp16 grads: 20 B/param, or 4 + 16/d" row of Megatron-Core's dist_optimizer.md
        main_grad_copy = sharded(S.bm, opt_sharded)
    master = 0.0 if offload_opt else master
    states = 0.0 if offload_opt else states
    if prec.compute == "fp8" and arch:
        # Transformer Engine on Hopper keeps each linear weight in fp8 twice, row-wise for the forward
        # GEMM and column-wise for the backward GEMMs, cached across micro-batches (TE docs,
        # "Performance considerations", "FP8 weight caching"); embeddings, head and norms stay in bf16.
        # With fp8 primary weights (`weights = fp8`: Megatron's --fp8-param-gather, TE's quantized model
        # init) the parameter itself is the row-wise copy: the linear layers hold it and the column-wise one,
        # the embedding, head and norms their 16-bit values.
        edges = where(r.is_first, emb, 0.0) + where(r.is_last, head, 0.0)
        scale = where(zero >= 3, 1 / shard, 1.0)
        if prec.weights.name.startswith("fp8") and not offload_params:
            weights = (edges * 2 + (params - edges) * 2) * scale
        else:
            weights = weights + (params - edges) * 2 * scale
    adapters = 0.0
    if lora is not None and arch:
        # LoRA: the base is frozen (no gradients, master copy or optimizer state); the adapters train
        # in fp32 (PEFT casts adapters to fp32) with fp32 gradients and the optimizer's states.
        adapters = lora_adapter_params(m, lora.rank, lora.targets) * n_layers / tp
        grads = adapters * 4
        master = 0.0
        n_states = OPTIMIZER_STATES[w.optimizer][0]
        adapter_states = (optimizer_state_bytes(w, adapters, pc)[0] if w.optimizer == "adamw_8bit"
                          else adapters * n_states * 4)
        states = 0.0 if offload_opt else adapter_states
        weights = weights + adapters * 4

    # the first step runs before any gradient exists: buffers a runtime allocates at construction
    # (Megatron's main_grad, DDP's buckets) are there, `param.grad` is not yet
    life = lifetimes.gradient_lifetime(S.family, zero, p.offload, fw.grads_freed or fw.first_step, fw.bucket_view,
                                       dp * cp)
    term("gradients", "params on the rank x bytes(gradients) [/ (dp x cp) with ZeRO-2+]; " + life.formula
         + ("; FSDP holds the shard in the master's dtype (keep_low_precision_grads = False)"
            if fsdp_mixed and S.bm > S.bg else ""), life.source + "; ZeRO sec. 5", None)
    # communication buffers: DDP's flat buckets (every phase), DeepSpeed's reduce bucket (ZeRO-3: kept;
    # ZeRO-1/2: allocated for each backward and released after it)
    ds = lifetimes.zero_optimizer(S.family, zero)
    bucket = where(ds, fw.constant(K.REDUCE_BUCKET) * S.bg, 0.0) if ds is not False else 0.0
    buffers = where(life.bucket_copy, grads, 0.0) + where(zero >= 3, bucket, 0.0)
    backward_buffers = where(zero >= 3, 0.0, bucket)
    term("comm_buffers", *_buffer_formula(S.family, ds), buffers + backward_buffers)
    v, inflight = x["chunks"], schedules.inflight(p.schedule, pp, rank, M, x["chunks"])
    if fw.activation_rule is not None:
        per_layer = fw.activation_rule * w.seq_len / cp * w.micro_batch * m.hidden / tp
        layer_sum = per_layer * n_layers
    elif arch:
        layer_sum = sum(n * a for n, a in zip(r.n, x["terms"]["saved"]))
        if partial:
            # full recomputation of the first recompute_layers of each model chunk (Megatron-LM's block method):
            # those keep their inputs, the rest everything (the kinds in the rank's proportions)
            whole = sum(n * a for n, a in zip(r.n, x["terms"]["saved_none"]))
            layer_sum = replayed * layer_sum + (1 - replayed) * whole
    else:
        layer_sum = 0.0
    activ = term("activations", "in-flight micro-batches x sum over the rank's layers of saved bytes per layer"
                 + ("; recompute_layers: the recomputed layers keep their inputs, the others everything"
                    if partial else ""),
                 ACTIVATIONS_SOURCE + ("; Megatron-Core transformer_config.py recompute_method (block: the other "
                                       "layers of the stage recompute nothing), recompute_num_layers"
                                       if partial else ""), layer_sum * inflight)
    held = transient = backward = 0.0
    if arch:
        held, transient, backward = (where(r.is_last, y, 0.0) for y in x["head"])
    if fw.loss_kernel == "torch":
        term("logits", "s x b x vocab / t x (bytes(logits) + 4 for the fp32 log-softmax kept for backward)",
             "transformers ForCausalLMLoss (logits.float()); torch log_softmax saves its output", held)
    else:
        term("logits", "s x b x vocab / t x bytes(logits) kept by the fused loss, + s x b x 4 (its log-sum-exp)",
             "flash-attn flash_attn/ops/triton/cross_entropy.py: save_for_backward(logits, lse, labels)", held)
    casts = 0.0
    if arch and S.residual != S.beta and fw.implementation == "transformers":
        # autocast (fp32 weights, bf16 compute): each matmul weight's bf16 copy is saved for backward, unless the
        # layer's forward is replayed (full recomputation, torchtitan's per-op policy: the casts are recomputed)
        kept = where(replays_forward(x["recompute"]), 1 - replayed, 1.0)
        casts = kept * (params - where(r.is_first, emb, 0.0)) * S.beta
    temp_fb = 0.0
    if arch:
        present = [where(n > 0, s[0] + s[1], 0.0) for n, s in zip(r.n, share)]
        largest = present[0]
        for y in present[1:]:
            largest = maximum(largest, y)
        # ZeRO-3 gathers a module's 16-bit parameters for its forward and backward: two layers (the one in
        # use and the one prefetched), and at least the largest module with its gradient, which for a large
        # vocabulary is the embedding or the head (DeepSpeed's floor 4 B x largest_layer_params:
        # stage3.py estimate_zero3_model_states_mem_needs, validation/framework_lifetimes.md sec. 5)
        largest = maximum(largest, maximum(where(r.is_first, emb, 0.0), where(r.is_last, head, 0.0)))
        gathered = where(logical_and(logical_or(zero >= 3, offload_params), n_layers > 0), 2 * largest * S.bw, 0.0)
        temp_fb = gathered
        if lora is not None and prec.weights.name in QUANTIZED_BASE:
            # a quantized base is dequantized one matrix at a time for each matmul (bitsandbytes)
            temp_fb = temp_fb + where(n_layers > 0, _widest_matrix(m) * S.beta / tp, 0.0)
    # what optimizer.step() allocates besides the states, by implementation (none when it runs on the CPU)
    opt_temp, opt_formula, opt_source = 0.0, "0 on the GPU: the step runs on the CPU", "ZeRO-Offload (arXiv:2101.06840)"
    impl = lifetimes.optimizer_impl(fw.optimizer_impl, "pytorch" if S.family == "auto" else S.family)[0]
    if not offload_opt and lora is not None and arch:  # adapters and their states are fp32
        opt_temp, opt_formula, opt_source = step_temporaries(
            w.optimizer, impl, 4.0, adapters, lora_window(m, lora.rank, lora.targets, tp))
    elif not offload_opt:
        head_tensor = pc.head.sharded / tp + where(pp > 1, tied, 0.0) if arch else 0.0
        window = loop_window(m, pc, tp, etp * ep, where(opt_sharded, shard, 1.0), where(opt_sharded, eshard, 1.0),
                             r.n, r.is_first, r.is_last, head_tensor) if arch else 0.0
        group = sharded(1.0, opt_sharded)
        opt_temp, opt_formula, opt_source = step_temporaries(w.optimizer, impl, S.state_fmt, group, window)
        if ds is not False:
            opt_temp, opt_formula, opt_source = _zero_step(w, fw, S, zero, ds, group, window,
                                                           (opt_temp, opt_formula, opt_source))
    term("temporary", "max(ZeRO-3 gathered layers, recompute working set, logits gradient); at the optimizer "
         f"step: {opt_formula}", f"DeepSpeed ZeRO-3 prefetch; {opt_source}", None)
    # backward through a layer: its saved tensors (recomputed first under full recomputation) and
    # the gradient in and out of its largest tensor
    layer_work = 0.0
    if arch:
        for n, y in zip(r.n, x["terms"]["work"]):
            layer_work = maximum(layer_work, where(n > 0, y, 0.0))
    pending = 1.0
    if arch:
        first = _pick(share, r.first_kind) + where(r.is_first, emb, 0.0)
        pending = where(logical_or(life.persistent, logical_or(n_layers <= 0, params <= 0)), 1.0,
                        maximum(0.0, 1 - first / _nonzero(params)))
    # freed gradients exist at the activation peak once this rank has run a backward in this step
    g_peak = lifetimes.held(life, grads, M > inflight)
    # the first step: torch's optimizers create their states inside step() (Adam._init_group: exp_avg and
    # exp_avg_sq = zeros_like(param)), so the forward and backward passes run without them
    lazy = 0.0
    if fw.first_step and not offload_opt:
        lazy = states if lora is not None and arch else sharded(S.states_per_param, opt_sharded)
    persistent = {"weights": weights, "master_weights": master, "optimizer_states": states - lazy,
                  "comm_buffers": buffers}
    phases = {
        "forward end": {**persistent, "gradients": g_peak, "activations": activ + casts,
                        "logits": held + transient, "temporary": temp_fb},
        "backward start": {**persistent, "comm_buffers": buffers + backward_buffers, "gradients": g_peak,
                           "activations": activ + casts, "logits": held + backward, "temporary": temp_fb},
        # the first layer's backward: the gradients of every later layer (and the head) exist, the first
        # layer's and the embedding's are not yet allocated
        "backward end": {**persistent, "comm_buffers": buffers + backward_buffers, "gradients": grads * pending,
                         "activations": 0.0, "logits": 0.0, "temporary": temp_fb + layer_work},
        "optimizer step": {**persistent, "optimizer_states": states, "gradients": grads, "activations": 0.0,
                           "logits": 0.0, "temporary": opt_temp + main_grad_copy},
    }
    return {"phases": phases, "params": params, "expert_params": expert_params, "inflight": inflight,
            "adapters": adapters, "activations": activ, "v": v, "formulas": formulas}


def _buffer_formula(family: str, ds) -> tuple[str, str]:
    """The comm_buffers figure's formula and source for the runtime (`ds`: DeepSpeed's ZeRO runs)."""
    ddp = ("DDP's flat gradient buckets: the size of the gradients (data x context > 1, gradient_as_bucket_view "
           "= false)", lifetimes.SOURCES["pytorch"])
    zero = ("DeepSpeed ZeRO's reduce bucket: reduce_bucket_size x bytes(gradients), kept under ZeRO-3, in the "
            "backward only under ZeRO-1/2", K.REDUCE_BUCKET.source)
    if family == "megatron":
        return "0: Megatron's buckets are views into its grad buffer", lifetimes.SOURCES["megatron"]
    if family == "fsdp":
        return "0: FSDP reduce-scatters each unit's gradients as they are produced", lifetimes.SOURCES["fsdp"]
    if ds is True or family == "deepspeed":
        return zero
    if ds is False:
        return ddp
    return f"ZeRO-0: {ddp[0]}; ZeRO-1+: {zero[0]}", f"{ddp[1]}; {zero[1]}"


def _zero_step(w, fw, S: Static, zero, ds, group, window, torch_step):
    """DeepSpeed ZeRO's optimizer step: the fp32 gradient of the partition (ZeRO-1/2: all of it,
    stage_1_and_2.py step(); ZeRO-3: one sub-group at a time, stage3.py _prepare_fp32_grad_for_sub_group)
    and the temporaries of the optimizer DeepSpeed runs (its FusedAdam unless stated), per sub-group.
    `torch_step` is what the step costs where ZeRO does not run (a search varies the stage)."""
    part = where(zero >= 3, minimum(group, fw.constant(K.SUB_GROUP_SIZE)), group)
    mixed = S.bm > S.bg and w.precision.master_weights.name != "none"
    impl, basis = lifetimes.optimizer_impl(fw.optimizer_impl, "deepspeed")
    temp, formula, source = step_temporaries(w.optimizer, impl, S.state_fmt, part, window)
    value = temp + (part * 4.0 if mixed else 0.0)
    formula = (("4 B x the fp32 gradient partition (ZeRO-3: min(partition, sub_group_size)) + " if mixed else "")
               + formula)
    source = f"{K.SUB_GROUP_SIZE.source}; {lifetimes.SOURCES['deepspeed']}; {basis}; {source}"
    if ds is True:
        return value, formula, source
    return where(ds, value, torch_step[0]), f"ZeRO-1+: {formula}; ZeRO-0: {torch_step[1]}", f"{source}; {torch_step[2]}"


def _pick(share: list, kind):
    """share[kind][0] + share[kind][1], where kind may be an array of kind indices."""
    if isinstance(kind, int):
        return share[kind][0] + share[kind][1]
    out = 0.0
    for i, s in enumerate(share):
        out = where(kind == i, s[0] + s[1], out)
    return out


def _nonzero(a):
    return where(a > 0, a, 1.0)


def _widest_matrix(m) -> float:
    widest = 0
    for layer in m.kinds():
        a, ffn = getattr(layer, "attention", None), getattr(layer, "ffn", None)
        if ffn is not None:
            widest = max(widest, m.hidden * (ffn.ffn if hasattr(ffn, "ffn") else ffn.expert_ffn))
        if a is not None:
            widest = max(widest, m.hidden * a.heads * a.head_dim)
    return widest


def layout_values(S: Static, w: Training) -> dict:
    """The layout of one plan as the scalars rank_phases reads."""
    p = w.layout
    x = {"tensor": p.tensor, "pipeline": p.pipeline, "data": p.data, "context": p.context, "expert": p.expert,
         "expert_tensor": p.etp, "zero": p.zero, "distributed_optimizer": p.distributed_optimizer, "recompute": p.recompute,
         "chunks": p.chunks, "microbatches": w.microbatches, "recompute_layers": p.recompute_layers,
         "recompute_share": replayed_share(p.recompute_layers, p.chunks, (w.model.depth or 0) / p.pipeline)}
    if S.pc is not None:
        x["terms"] = S.layer_terms(p.tensor, p.sequence_parallel, w.micro_batch, p.recompute, p.context)
        x["share"] = S.shares(p.tensor, p.expert, p.etp)
        x["head"] = head_terms(S, S.context(p.tensor, p.sequence_parallel, w.micro_batch, p.recompute, p.context))
    return x


GROUPS = ("tensor", "pipeline", "data", "context", "expert")


def comm_groups(x: dict):
    """Communicators of more than one GPU that a rank joins: its tensor, pipeline, data, context and expert
    groups (one NCCL communicator each; scalars, or the search's arrays)."""
    return sum((x[k] > 1) * 1 for k in GROUPS)


def head_terms(S: Static, ctx: Context) -> tuple[float, float, float]:
    fw = S.plan.framework
    held, transient, backward, _ = head_bytes(S.plan.model, ctx, fw.loss_upcast, fw.loss_kernel)
    return held, transient, backward


def training_memory(w: Training) -> dict:
    S = Static.of(w)
    m, p = w.model, w.layout
    pp, v = p.pipeline, p.chunks
    layers = m.depth or 0
    split = (schedules.layer_split(layers, pp, v, p.layers_per_stage, p.schedule) if layers
             else [[] for _ in range(pp)])
    x = layout_values(S, w)
    nccl = S.nccl * comm_groups(x)
    stages = []
    for rank in range(pp):
        first, last = schedules.edges(p.schedule, pp, rank)
        st = Stage(rank, split[rank], embedding=bool(first), head=bool(last))
        n = [0] * len(S.kinds)
        for i in st.layers if m.stack else ():  # a bare parameter count has a layer count, no kinds
            n[m.stack[i]] += 1
        first_kind = m.stack[st.layers[0]] if st.layers and m.stack else 0
        out = rank_phases(S, x, RankInput(n, len(st.layers), first_kind, bool(first), bool(last)), rank)
        st.params, st.expert_params = out["params"], out["expert_params"]
        st.inflight, st.adapter_params = out["inflight"], out["adapters"]
        st.phases, st.formulas = out["phases"], out["formulas"]
        totals = {k: sum(v_.values()) for k, v_ in st.phases.items()}
        phase = max(totals, key=lambda k: (totals[k], k == "optimizer step"))
        allocated = totals[phase]
        st.memory = dict(st.phases[phase])
        st.memory["allocator_reserve"] = allocated * S.overhead
        st.memory["cuda_context"] = S.cuda_context
        if nccl:
            st.memory["nccl"] = nccl
        st.allocated, st.phase, st.phase_totals = allocated, phase, totals
        st.device = allocated * (1 + S.overhead) + S.cuda_context + nccl
        stages.append(st)
    ctx = S.context(p.tensor, p.sequence_parallel, w.micro_batch, p.recompute, p.context)
    return {"stages": stages, "params": S.pc, "context": ctx, "microbatches": w.microbatches,
            "overhead": S.overhead, "cuda_context": S.cuda_context, "nccl": nccl, "static": S, "layout": x}
