"""Training step time, throughput, MFU, time to train, GPU-hours, cost and energy.

Step time = compute (model FLOPs plus recomputation, at an achievable share of the GPU's dense
peak, plus memory-bound kernels and the optimizer step) + the pipeline bubble + the
communication that is not hidden behind compute. Every assumed figure is a named constant
(capplan.core.constants) with its source; the FLOP count follows Narayanan et al. 2021
(arXiv:2104.04473, eq. 3) and PaLM (Chowdhery et al. 2022, appendix B): per token, forward =
2 x (parameters used in matmuls) + 4 x layers x seq x (heads x head_dim) for the attention
scores and their use; training = 3 x forward; full recomputation adds one forward, selective
the forward of the modules it names (Megatron-Core's --recompute-modules; core attention by default),
selective_op the matmuls torchtitan's per-op policy does not keep (`op_recompute`).
`step_seconds` is written once for one plan (numbers) and the search (arrays).
"""

from __future__ import annotations

from dataclasses import replace

from capplan.check import layout_rules
from capplan.core import constants as K
from capplan.engine import collectives, gemm, schedules
from capplan.engine.figure import figure_json
from capplan.engine.formats import nbytes
from capplan.engine.goodput import FORMULA as GOODPUT_FORMULA, SOURCE as GOODPUT_SOURCE, goodput
from capplan.engine.layers import layer_flops
from capplan.engine.params import ParamCount
from capplan.engine.recompute import (Flops, checkpoint_early_stop, early_stop_skipped, op_recompute,
                                      replays_forward, selective_recompute)
from capplan.engine.vector import logical_and, logical_or, maximum, minimum, where
from capplan.ir.fingerprint import configuration
from capplan.ir.model import Model
from capplan.ir.plan import Precision, Training


def flops_per_token(m: Model, pc: ParamCount, seq: float) -> Flops:
    matmul = 0.0
    attention = 0.0
    fixed = 0.0
    for layer, lp, n in pc.counts():
        f = layer_flops(layer, lp)
        matmul += n * f.matmul_params
        attention += n * f.mixing * seq
        fixed += n * f.fixed
    head = m.vocab * m.hidden if m.head.kind == "lm" else 0  # the LM head multiplies whether tied or not
    matmul += head
    return Flops(2 * matmul + attention + fixed, attention, matmul)


def compute_precision(prec: Precision) -> str:
    if prec.compute:
        return prec.compute
    name = prec.activations.name if prec.activations else prec.weights.name
    return {"fp32": "tf32", "fp16": "fp16"}.get(name, "bf16")


def attention_precision(prec: Precision) -> str:
    """The precision attention's score and context products run in: the compute precision, except that an FP8
    recipe casts the linear layers only: Transformer Engine's DotProductAttention stays in the precision the plan
    computes in without the recipe (its activations') unless FP8 attention is asked for (DelayedScaling fp8_dpa,
    Megatron's --fp8-dot-product-attention, both off by default), as FlashAttention-2 has no FP8 kernel."""
    compute = compute_precision(prec)
    return compute_precision(replace(prec, compute=None)) if compute == "fp8" else compute


def step_seconds(w: Training, pc: ParamCount, x: dict, params_rank, persistent, act_none) -> dict:
    """Every term of one step. `x` is the layout (numbers or arrays, as in training.rank_phases);
    params_rank: the largest parameter count on a rank; persistent: that rank's weights, gradients,
    master weights and optimizer states at the optimizer step; act_none: the largest per-layer
    activation bytes without recomputation that the memory-bound kernels stream (eager attention's scores are
    left to the eager kernel family's efficiency)."""
    m, prec, gpu, hw, fw = w.model, w.precision, w.hardware.gpu, w.hardware, w.framework
    compute = compute_precision(prec)
    peak = gpu.peak.get(compute)
    tp, pp, dp, cp, ep = x["tensor"], x["pipeline"], x["data"], x["context"], x["expert"]
    v, M, mb, rc = x["chunks"], x["microbatches"], x["micro_batch"], x["recompute"]
    gpus, per_node = x["gpus"], hw.per_node
    seq = w.seq_len
    tokens_step = w.global_batch * seq
    f = flops_per_token(m, pc, seq)
    model_flops = 3 * f.forward_per_token * tokens_step
    modules = w.layout.recompute_modules
    again = selective_recompute(pc, modules, f)
    # full recomputation replays the forward of a share of the layers: all, or recompute_layers of each chunk
    share = x.get("recompute_share", 1.0)
    full = (f.forward_per_token - (early_stop_skipped(pc) if checkpoint_early_stop(w) else 0.0)) * share
    recompute = where(rc == "full", full, where(rc == "selective", again.forward_per_token,
                                                where(rc == "selective_op", op_recompute(pc), 0.0)))
    hardware_flops = model_flops + recompute * tokens_step
    # attention's score and context products (forward, 2x backward, and a recomputed forward under full
    # recomputation, or selective recomputation of core attention) at its kernel family's share of the peak;
    # every other matmul at the GEMM shape model's share (engine/gemm.py)
    recompute_attention = where(rc == "full", f.attention_per_token * share,
                                where(rc == "selective", again.attention_per_token, 0.0))
    attention_flops = (3 * f.attention_per_token + recompute_attention) * tokens_step
    gemm_eff = gemm.gemm_efficiency(fw, gpu, m.hidden, tp, fp8=compute == "fp8")
    t_gemm = (hardware_flops - attention_flops) / (gpus * peak * gemm_eff)
    attention_peak = gpu.peak.get(attention_precision(prec)) or peak
    t_attention = attention_flops / (gpus * attention_peak * gemm.attention_efficiency(fw, gpu))
    t_matmul = t_gemm + t_attention
    bandwidth = gpu.bandwidth * fw.constant(K.BANDWIDTH_EFFICIENCY)
    # memory-bound kernels: traffic proportional to the activations saved per layer (no recompute). Full
    # recomputation replays the forward alone: of ELEMENTWISE_TRAFFIC's 4 bytes per saved byte the forward's
    # write and read happen twice, the backward's gradient write and read once: 6 bytes, not the whole step's 8.
    # torchtitan's per-op policy keeps matmul and attention outputs only: every memory-bound kernel is replayed
    replays = where(replays_forward(rc), 1 + 0.5 * where(rc == "full", share, 1.0), 1.0)
    t_elementwise = fw.constant(K.ELEMENTWISE_TRAFFIC) * act_none * (m.depth / pp) * M * replays / bandwidth
    # the cross-entropy loss on the last stage: fp32 passes over every logit of its vocabulary shard, for every
    # token its pipeline replica sees (not recomputed: checkpointing covers the transformer layers)
    tokens_replica = tokens_step / (dp * cp)
    logits = m.head.classes if m.head.kind == "classifier" else m.vocab   # a classifier: one row per sequence
    rows = tokens_replica / seq if m.head.kind == "classifier" else tokens_replica
    # (a fused kernel reads the 16-bit logits once forward, reads them and writes their gradient once backward:
    # flash-attn's cross_entropy_fwd/bwd kernels)
    loss_traffic = fw.constant(K.LOSS_TRAFFIC) if fw.loss_kernel == "torch" else 3 * nbytes(prec.activations)
    t_elementwise = t_elementwise + loss_traffic * rows * (logits / tp) / bandwidth
    # the optimizer step streams weights, gradients, master weights and states once each way
    t_optimizer = 2 * persistent / bandwidth
    t_compute = t_matmul + t_elementwise + t_optimizer
    # the split-backward schedules fill the bubble with weight-gradient passes: the forward's share of a
    # micro-batch's compute and the weight-gradient GEMMs' time (a third of the model's GEMM FLOPs, no
    # attention)
    t_wgrad = (model_flops - 3 * f.attention_per_token * tokens_step) / 3 / (gpus * peak * gemm_eff)
    forward_share = f.forward_per_token / (3 * f.forward_per_token + recompute)
    bubble = schedules.bubble(t_compute, pp, M, v, w.layout.schedule, forward_share, t_wgrad)
    beta = nbytes(prec.activations)
    layers_per_rank = m.depth / pp
    fab = collectives.fabric(hw, fw)
    # ranks in Megatron's order: tensor (innermost), context, data (expert inside it), pipeline (outermost)
    # tensor parallel: 2 all-reduces per layer in forward, 2 in backward (Shoeybi et al. 2019, sec. 3), +2 for
    # full recomputation; under sequence parallelism each is a reduce-scatter and an all-gather (Korthikanti et
    # al. 2022, sec. 4.2.2): the same bytes, twice the latency. The backward ones run asynchronously behind the
    # weight-gradient GEMMs (Megatron-Core tensor_parallel/layers.py,
    # LinearWithGradAccumulationAndAsyncCommunication): only what those GEMMs cannot cover shows
    act_bytes = mb * (seq / cp) * m.hidden * beta
    tp_local = collectives.ranks_per_node(tp, 1, per_node)
    tp_one = where(x["sequence_parallel"], 2 * collectives.ring_collective(fab, act_bytes, tp, tp_local),
                   collectives.allreduce(fab, act_bytes, tp, tp_local))
    # expert parallel, Megatron-Core's all-to-all token dispatcher (megatron/core/transformer/moe/
    # token_dispatcher.py, MoEAlltoAllTokenDispatcher): each rank sends the top-k copies of its own tokens -- its
    # sequence-parallel shard, S/TP x B ("num_local_tokens") -- over the expert-parallel group, dispatch and
    # combine, forward and backward (and again in a fully recomputed forward). The experts are tensor-parallel
    # as the memory model holds them (expert tensor parallel = TP), so with TP > 1 the received tokens are
    # all-gathered over TP before the experts and reduce-scattered after (gather_from_sequence_parallel_region,
    # reduce_scatter_to_sequence_parallel_region): in an MoE layer that pair, on top-k times the tokens, takes
    # the place of the MLP's, on the critical path (no weight-gradient GEMM runs beside it). With an expert
    # tensor degree ETP below TP the pair runs over ETP ranks on ETP/TP of the tokens (none at ETP 1). The
    # expert-parallel group's ranks sit ETP apart (the expert rank order tp-ep-dp-pp with tp = ETP,
    # megatron/core/parallel_state.py)
    moe = m.moe
    moe_layers = m.moe_layers / pp if moe is not None else 0.0
    replays = 1 + where(rc == "full", share, 0)
    # selective recomputation of the MoE layer runs its dispatcher again, of the dense MLP its TP pair
    moe_replays = replays + where(rc == "selective", 1 if "moe" in modules else 0, 0)
    mlp_again = where(rc == "selective", 1 if "mlp" in modules else 0, 0) * (m.depth / pp - moe_layers)
    routed_sp = where(x["sequence_parallel"], moe_layers, 0.0)   # MoE layers whose MLP pair the dispatcher's replaces
    t_tp_forward = ((2 * layers_per_rank - routed_sp) * replays + mlp_again) * M * tp_one
    t_tp_backward = (2 * layers_per_rank - routed_sp) * M * tp_one
    t_ep_total, t_tp_experts = 0.0, 0.0
    if moe is not None:
        local_tokens = mb * (seq / cp) / where(x["sequence_parallel"], tp, 1)
        a2a = local_tokens * moe.top_k * m.hidden * beta
        etp = x["expert_tensor"]
        ep_local = collectives.ranks_per_node(ep, etp, per_node)
        if fw.moe_dispatcher == "deepep":
            # DeepEP (Megatron-Core's flex dispatcher): one copy per destination node over the network
            spread = collectives.nodes_per_token(moe.top_k, maximum(ep / ep_local, 1), moe.groups,
                                                 moe.groups_per_token)
            one = collectives.node_dispatch(fab, local_tokens * m.hidden * beta, moe.top_k, spread, ep, ep_local)
        else:
            one = collectives.all_to_all(fab, a2a, ep, ep_local)
        t_ep_total = where(ep > 1, moe_layers * M * 2 * (moe_replays + 1) * one, 0.0)
        experts_pair = 2 * collectives.ring_collective(fab, moe.top_k * act_bytes * etp / tp, etp,
                                                       collectives.ranks_per_node(etp, 1, per_node))
        t_tp_experts = routed_sp * M * (moe_replays + 1) * experts_pair
    t_tp_total = t_tp_forward + t_tp_backward + t_tp_experts
    t_tp = t_tp_forward + maximum(0.0, t_tp_backward - t_wgrad)
    if fw.tp_comm_overlap:
        # Megatron's --tp-comm-overlap (Transformer Engine userbuffers, with sequence parallelism): every
        # all-gather and reduce-scatter of the linear layers is split into chunks that run under the GEMM it
        # feeds or follows, forward (a third of the GEMM time, the recomputed forward's too) and backward (the
        # other two thirds); the dispatcher's own collectives are not among them
        t_forward_gemm = t_wgrad * where(rc == "full", 1 + share, 1.0)
        overlapped = maximum(0.0, t_tp_forward - t_forward_gemm) + maximum(0.0, t_tp_backward - 2 * t_wgrad)
        t_tp = where(x["sequence_parallel"], overlapped, t_tp)
    t_tp = t_tp + t_tp_experts
    t_ep = t_ep_total
    if fw.ep_comm_overlap and moe is not None:
        # Megatron-Core's --overlap-moe-expert-parallel-comm (combined 1F1B, docs "Expert-Parallel All-to-All
        # Overlap"): a micro-batch's dispatch and combine all-to-alls run under the forward or backward compute of
        # an adjacent one. The warm-up forwards and cool-down backwards (about pp of M micro-batches per stage)
        # pair with none; the steady ones hide what their partner's compute covers. Not with full recomputation
        alone = minimum(1.0, pp / M)
        steady = t_ep_total * (1 - alone)
        hidden_under = (t_matmul + t_elementwise) * (1 - alone)
        t_ep = where(rc == "full", t_ep_total, t_ep_total * alone + maximum(0.0, steady - hidden_under))
    # data parallel, in Megatron-Core's buckets, one after another: a sharded optimizer (distributed optimizer,
    # ZeRO) reduce-scatters the gradients and all-gathers the updated parameters (together an all-reduce's
    # bytes), otherwise the gradients are all-reduced; ZeRO-3 (and FSDP) keeps the updated shards and gathers the
    # parameters for the forward and the backward pass of every micro-batch instead (no gather after the step:
    # DeepSpeed stage3.py fetches partitioned parameters in its pre-forward hooks; FSDP FULL_SHARD all-gathers
    # in forward and again in backward, reshard_after_forward)
    group, dp_local = dp * cp, collectives.ranks_per_node(dp * cp, tp, per_node)
    buckets = collectives.grad_buckets(params_rank, group)
    sharded = logical_or(x["zero"] >= 1, x["distributed_optimizer"])
    grad_bytes = params_rank * nbytes(prec.gradients) / buckets
    weight_bytes = params_rank * nbytes(prec.weights) / buckets
    t_reduce = buckets * where(sharded, collectives.ring_collective(fab, grad_bytes, group, dp_local),
                               collectives.allreduce(fab, grad_bytes, group, dp_local))
    t_gather_once = buckets * collectives.ring_collective(fab, weight_bytes, group, dp_local)
    t_gather = where(logical_and(sharded, x["zero"] < 3), t_gather_once, 0.0)
    t_gather3 = where(x["zero"] >= 3, 2 * M * t_gather_once, 0.0)
    # how often the gradients are reduced: once a step, during the last micro-batch's backward (the others skip
    # it: Megatron's no_sync; DeepSpeed ZeRO-1 at the accumulation boundary), but ZeRO-2 and ZeRO-3 / FSDP keep
    # only their partition of the gradients, so every micro-batch's backward reduce-scatters its own (DeepSpeed
    # stage_1_and_2.py reduce_ready_partitions_and_remove_grads: every micro-step when partition_gradients;
    # stage3.py: every micro-step; FSDP outside no_sync)
    reductions = where(x["zero"] >= 2, M, 1)
    # what compute hides: each reduction runs during its micro-batch's backward, the parameter gather during the
    # first forward; one bucket always shows
    per_microbatch = (t_matmul + t_elementwise) / M
    backward, forward = per_microbatch * 2 / 3, per_microbatch / 3
    t_dp = reductions * t_reduce + t_gather + t_gather3
    reduce_shown = reductions * (maximum(t_reduce / buckets, t_reduce - backward) if fw.overlap_grad_reduce
                                 else t_reduce)
    gather_shown = (maximum(t_gather / buckets, t_gather - forward) if fw.overlap_param_gather else t_gather)
    gather3_shown = (maximum(t_gather3 / buckets, t_gather3 - M * per_microbatch) if fw.overlap_param_gather
                     else t_gather3)
    t_dp_exposed = reduce_shown + gather_shown + gather3_shown
    # pipeline: one activation send forward and one gradient send backward per micro-batch and boundary. With
    # sequence parallelism each tensor-parallel rank holds and sends its 1/TP share; without it every rank sends
    # the whole tensor, unless Megatron-LM's scatter/gather optimisation (--scatter-gather-tensors-in-pipeline,
    # default on from February 2021 until Megatron-Core's p2p replaced it in March 2023; Narayanan et al. 2021
    # sec. 4.1) sends 1/TP from each and all-gathers the pieces over TP on arrival, on the critical path
    scattered = logical_and(fw.pipeline_scatter_gather, tp > 1)
    pp_bytes = act_bytes / where(logical_or(x["sequence_parallel"], scattered), tp, 1)
    pp_across = tp * cp * dp * pp > per_node
    regather = where(x["sequence_parallel"], 0.0,
                     where(scattered, collectives.ring_collective(fab, act_bytes, tp, tp_local), 0.0))
    hops = v * (2 if w.layout.schedule == "dualpipev" else 1)   # DualPipeV: 2p stages on p ranks
    t_pp = where(pp > 1, 2 * M * hops * (collectives.send(fab, pp_bytes, pp_across) + regather), 0.0)
    # context parallel: ring exchange of K and V per layer (cp - 1 sends in forward, twice that in backward),
    # mostly overlapped with attention
    a = m.attention
    kv_width = 2 * a.kv_heads * a.head_dim if a is not None else 0
    kv = mb * (seq / cp) * kv_width * beta / tp
    cp_across = tp * cp > per_node
    t_cp = where(cp > 1, layers_per_rank * M * 3 * (cp - 1) * collectives.send(fab, kv, cp_across)
                 * (1 - fw.constant(K.CP_OVERLAP)), 0.0)
    # the compute that hidden data-parallel traffic runs under is slowed by it (its kernels take SMs and memory
    # bandwidth: Lee et al. 2025). Tensor-parallel traffic hidden under the weight-gradient GEMMs is not charged
    # here: it comes at a fixed share of the layer's GEMMs, which the fitted GEMM efficiency already carries
    t_overlap = fw.constant(K.OVERLAP_SLOWDOWN) * (t_dp - t_dp_exposed)
    step = t_compute + bubble + t_tp + t_dp_exposed + t_pp + t_ep + t_cp + t_overlap
    return {"peak": peak, "step": step, "compute": t_compute, "overlap": t_overlap, "matmul": t_matmul, "gemm": t_gemm,
            "attention": t_attention, "gemm_efficiency": gemm_eff, "elementwise": t_elementwise,
            "optimizer": t_optimizer, "bubble": bubble, "tensor": t_tp, "tensor_total": t_tp_total,
            "data": t_dp_exposed, "data_total": t_dp, "pipeline": t_pp, "expert": t_ep, "expert_total": t_ep_total,
            "context": t_cp, "model_flops": model_flops, "wgrad": t_wgrad, "forward_share": forward_share,
            "hardware_flops": hardware_flops, "tokens_step": tokens_step, "flops": f}


def training_time(w: Training, mem: dict) -> dict:
    """Time figures of a training plan, or the reason a figure is missing."""
    pc = mem["params"]
    if pc is None:
        return {"unavailable": "the model is a bare parameter count: FLOPs need an architecture"}
    compute = compute_precision(w.precision)
    gpu, hw = w.hardware.gpu, w.hardware
    if not gpu.peak.get(compute):
        return {"unavailable": f"gpu `{gpu.name}` gives no dense `peak.{compute}`"}
    x = dict(mem["layout"], micro_batch=w.micro_batch, gpus=hw.gpus,
             sequence_parallel=w.layout.sequence_parallel)
    stages = mem["stages"]
    st = max(stages, key=lambda s: s.params)
    step_phase = st.phases["optimizer step"]
    persistent = (step_phase["weights"] + step_phase["gradients"] + step_phase["master_weights"]
                  + step_phase["optimizer_states"])
    act_none = max(x["terms"]["streamed"])
    t = step_seconds(w, pc, x, max(s.params for s in stages), persistent, act_none)
    step, gpus, peak = t["step"], hw.gpus, t["peak"]
    out = {
        "compute_precision": compute, "peak_flops": peak, "step_s": step, "compute_s": t["compute"],
        "matmul_s": t["matmul"], "gemm_s": t["gemm"], "attention_s": t["attention"],
        "gemm_efficiency": t["gemm_efficiency"], "elementwise_s": t["elementwise"], "optimizer_s": t["optimizer"],
        "bubble_s": t["bubble"], "overlap_slowdown_s": t["overlap"],
        "communication_s": {k: t[k] for k in ("tensor", "tensor_total", "data", "data_total", "pipeline", "expert",
                                              "expert_total", "context")},
        "tokens_per_step": t["tokens_step"], "tokens_per_s": t["tokens_step"] / step,
        "model_flops_per_token": 3 * t["flops"].forward_per_token, "model_flops_per_step": t["model_flops"],
        "hardware_flops_per_step": t["hardware_flops"],
        "mfu": t["model_flops"] / (step * gpus * peak), "hfu": t["hardware_flops"] / (step * gpus * peak),
    }
    if x["pipeline"] > 1:   # the bubble's parts, for its derivation
        M = x["microbatches"]
        out["bubble_terms"] = {"schedule": w.layout.schedule, "pipeline": x["pipeline"], "microbatches": M,
                               "chunks": x["chunks"], "per_microbatch_s": t["compute"] / M,
                               "forward_s": t["compute"] / M * t["forward_share"], "wgrad_s": t["wgrad"] / M}
    out["band"] = time_band(step, w.tokens / out["tokens_per_s"] if w.tokens else None, measured_spread(w),
                            published_band(w, x["recompute"]))
    if w.tokens:
        seconds = w.tokens / out["tokens_per_s"]
        out["train_s"] = seconds
        out["gpu_hours"] = gpus * seconds / 3600
        out["cost_usd"] = out["gpu_hours"] * 3600 * hw.price if hw.price else None
        out["energy_kwh"] = (gpus * gpu.power * seconds / 3.6e6 * w.framework.constant(K.PUE)
                             if gpu.power else None)
        g = goodput(w, seconds, pc.total)
        if "train_s" in g:
            g["gpu_hours"] = gpus * g["train_s"] / 3600
            g["cost_usd"] = g["gpu_hours"] * 3600 * hw.price if hw.price else None
            g["train_high_s"] = out["band"]["train_high_s"] / g["goodput"]
        out["goodput"] = g
    return out


BAND_FORMULA = ("predicted / (1 + e), e = the 90th (low end) and 10th (high end) percentiles of the signed "
                "step-time error (predicted - published) / published on the validation half of the published runs "
                "(PyTorch FSDP plans on Ampere or Hopper, recompute none or full: on llm-foundry's runs of their "
                "architecture and recomputation)")


def band_source(band: dict) -> str:
    """Where a time band's percentiles come from (time_band's `basis`)."""
    if band["basis"].startswith(FSDP_BASIS):   # FSDP_BASIS + "<architecture>, recompute <none|full>"
        arch, recompute = band["basis"][len(FSDP_BASIS):].split(", recompute ")
        return K.TIME_BAND_FSDP[(arch, recompute)][0].source
    return K.TIME_BAND_LOW.source


def measured_spread(w: Training) -> tuple[float, float] | None:
    """The spread of the plan's own measured step time, where its calibration was taken on this very
    configuration (ir.fingerprint) and the fitted efficiency is in use; else None."""
    c = w.framework.calibration
    if c is None or c.spread is None or not c.configuration:
        return None
    fitted = dict(c.constants).get(K.MATMUL_EFFICIENCY.name)
    if fitted is None or dict(w.framework.overrides).get(K.MATMUL_EFFICIENCY.name) != fitted:
        return None
    return c.spread if configuration(w) == c.configuration else None


FSDP_BASIS = "published: llm-foundry's FSDP runs, "


def published_band(w: Training, recompute):
    """(10th, 90th percentile of the signed step-time error, basis) of the published runs like the plan: for a
    PyTorch FSDP plan on an Ampere or Hopper GPU with recompute none or full, llm-foundry's runs of that kind
    (K.TIME_BAND_FSDP: on Hopper without recomputation capplan is 10-21% optimistic there, a gap it does not
    explain; validation/README.md); else the validation half of the published runs. `recompute` may be an
    array (a search's candidates): the errors follow it, the basis is named for one plan only."""
    fw, lay = w.framework, w.layout
    bands = {rc: K.TIME_BAND_FSDP.get((w.hardware.gpu.architecture, rc)) for rc in ("none", "full")}
    if layout_rules.family_of(fw.runtime, fw.implementation, lay.distributed_optimizer, lay.fsdp) != "fsdp" or (
            None in bands.values()):
        return K.TIME_BAND_LOW.value, K.TIME_BAND_HIGH.value, "published"
    lo = where(recompute == "full", bands["full"][0].value,
               where(recompute == "none", bands["none"][0].value, K.TIME_BAND_LOW.value))
    hi = where(recompute == "full", bands["full"][1].value,
               where(recompute == "none", bands["none"][1].value, K.TIME_BAND_HIGH.value))
    named = isinstance(recompute, str) and recompute in bands
    return lo, hi, (f"{FSDP_BASIS}{w.hardware.gpu.architecture}, recompute {recompute}" if named else "published")


def time_band(step: float, train: float | None, spread: tuple[float, float] | None = None,
              published: tuple | None = None) -> dict:
    """The step time (and time to train) the published runs' errors allow: a prediction that was e too high
    means the run takes predicted / (1 + e); e the 10th and 90th percentiles of `published` (published_band),
    the validation half's by default. A plan calibrated on its own configuration (`spread`: its measured
    iterations' 10th percentile below and 90th above their median) gets that spread instead: the run takes
    predicted x (1 - below) to predicted x (1 + above)."""
    if spread is not None:
        below, above = spread
        lo, hi, basis = -above / (1 + above), below / (1 - below), "measured"
    else:
        lo, hi, basis = published or (K.TIME_BAND_LOW.value, K.TIME_BAND_HIGH.value, "published")
    out = {"basis": basis, "error_p10": lo, "error_p90": hi, "step_low_s": step / (1 + hi),
           "step_high_s": step / (1 + lo)}
    if train is not None:
        out["train_low_s"], out["train_high_s"] = train / (1 + hi), train / (1 + lo)
    return out


def time_figures(t: dict) -> dict:
    """The time, cost and energy figures of `training_time`'s result, with their formulas and sources."""
    src = "Narayanan et al. 2021 (arXiv:2104.04473) eq. 3; PaLM (arXiv:2204.02311) app. B"
    figs = {
        "time.step": figure_json(t["step_s"], "s", "compute + bubble + exposed communication (TP + DP x (1 - overlap) "
                          "+ PP + EP + CP) + compute slowed by the hidden data-parallel traffic (overlap_slowdown x "
                          "its time)", src + "; " + K.OVERLAP_SLOWDOWN.source, derivation=(
                              f"{t['compute_s']:.4g} + {t['bubble_s']:.4g} + "
                              + " + ".join(f"{v:.3g} ({k})" for k, v in t["communication_s"].items()
                                           if not k.endswith("_total"))
                              + f" + {t['overlap_slowdown_s']:.3g} (overlap slowdown) = {t['step_s']:.4g} s")),
        "time.compute": figure_json(t["compute_s"], "s", "GEMMs (hardware FLOPs outside attention / (GPUs x dense "
                                    "peak x " + gemm.FORMULA + ")) + attention (its FLOPs / (GPUs x dense peak x "
                                    "attention_efficiency, or its flash2 / eager share)) + memory-bound kernels + "
                                    "optimizer step",
                                    K.MATMUL_EFFICIENCY.source + "; " + K.GEMM_HALF_WIDTH.source + "; "
                                    + K.ATTENTION_EFFICIENCY.source, derivation=(
                                        f"{t['gemm_s']:.4g} (GEMM at {t['gemm_efficiency']:.1%} of peak) + "
                                        f"{t['attention_s']:.4g} (attention) + {t['elementwise_s']:.4g} (memory-bound) "
                                        f"+ {t['optimizer_s']:.4g} (optimizer) = {t['compute_s']:.4g} s")),
        "time.band": figure_json(t["band"]["step_high_s"], "s", "high end of the step-time band: " + BAND_FORMULA,
                                 band_source(t["band"]), derivation=(
                                     f"{t['step_s']:.4g} / (1 + ({t['band']['error_p90']:+.3f})) .. "
                                     f"{t['step_s']:.4g} / "
                                     f"(1 + ({t['band']['error_p10']:+.3f})) = {t['band']['step_low_s']:.4g} .. "
                                     f"{t['band']['step_high_s']:.4g} s")),
        "time.bubble": figure_json(t["bubble_s"], "s", schedules.BUBBLE_FORMULA,
                            "Narayanan et al. 2021, sec. 2.2 (1F1B and interleaved schedules); Qi et al. 2024 "
                            "(arXiv:2401.10241) Table 2 (zero bubble); DeepSeek-V3 report Table 2 (DualPipe)",
                            derivation=schedules.bubble_derivation(t["bubble_terms"], t["bubble_s"])
                            if "bubble_terms" in t else None),
        "time.mfu": figure_json(t["mfu"], "", "model FLOPs per step / (step time x GPUs x dense peak)",
                         "Chowdhery et al. 2022 (PaLM), app. B"),
        "time.model_flops_per_token": figure_json(t["model_flops_per_token"], "FLOP",
                                           "3 x (2 x matmul parameters + 4 x layers x seq x heads x head_dim)", src),
    }
    if "train_s" in t:
        figs["time.train"] = figure_json(t["train_s"], "s", "tokens / tokens per second", src)
        if t.get("cost_usd") is not None:
            figs["cost.train"] = figure_json(t["cost_usd"], "USD", "GPU-hours x price per GPU-hour", "the spec's price")
        if t.get("energy_kwh") is not None:
            figs["energy.train"] = figure_json(t["energy_kwh"], "kWh", "GPUs x board power x time x PUE", K.PUE.source)
        figs.update(goodput_figures(t))
    return figs


def goodput_figures(t: dict) -> dict:
    """Goodput, and time and cost to train with interruptions (engine/goodput.py)."""
    g = t.get("goodput") or {}
    if "goodput" not in g:
        return {}
    src = GOODPUT_SOURCE + "; " + K.INTERRUPTION_INTERVAL.source
    figs = {
        "time.goodput": figure_json(g["goodput"], "", GOODPUT_FORMULA, src, derivation=(
            f"C = {g['checkpoint_save_s']:.4g} s, M = {g['job_interruption_interval_s']:.4g} s, "
            f"R = {g['restart_s']:.4g} s, tau = {g['checkpoint_interval_s']:.4g} s: "
            f"1 - {g['waste']:.4g} = {g['goodput']:.4g}")),
        "time.train_interrupted": figure_json(g["train_s"], "s", "time to train / goodput", src, derivation=(
            f"{t['train_s']:.4g} / {g['goodput']:.4g} = {g['train_s']:.4g} s "
            f"({g['interruptions']:.3g} interruptions expected)")),
    }
    if g.get("cost_usd") is not None:
        figs["cost.train_interrupted"] = figure_json(g["cost_usd"], "USD", "GPUs x time to train with interruptions "
                                                     "x price per GPU-hour", "the spec's price; " + src)
    return figs
