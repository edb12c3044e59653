"""Training step time, throughput, MFU, time to train, GPU-hours, cost and energy.

Step time = compute (model FLOPs plus recomputation, at an achievable share
of the GPU's dense peak) + the pipeline bubble + the communication that is
not hidden behind compute. Every assumed figure is a named constant in
constants.py with its source; the FLOP count follows Narayanan et al. 2021
(arXiv:2104.04473, eq. 3) and PaLM (Chowdhery et al. 2022, appendix B):
per token, forward = 2 x (parameters used in matmuls) + 4 x layers x seq x
(heads x head_dim) for the attention scores and their use; training = 3 x
forward; full recomputation adds one forward, selective the attention part.
"""

from __future__ import annotations

from dataclasses import dataclass

from capplan.check.values import Obj
from capplan.engine import constants as K
from capplan.engine.formats import nbytes
from capplan.engine.params import ParamCount


@dataclass
class Flops:
    forward_per_token: float      # model FLOPs of one token's forward pass
    attention_per_token: float    # of which the attention scores (seq-dependent part)
    matmul_params: float          # parameters one token multiplies with (MoE: active)


def flops_per_token(m: Obj, pc: ParamCount, seq: float) -> Flops:
    active_layers = 0.0
    attention = 0.0
    for index, count in ((0, pc.dense_layers), (pc.dense_layers, pc.moe_layers)):
        if count == 0:
            continue
        layer = pc.layer(index)
        experts = layer.experts.total * (pc.active_fraction_experts if layer.experts.total else 0)
        active_layers += count * (layer.attention.total + layer.mlp.total + layer.shared_experts.total
                                  + layer.router.total + experts - layer.attention.replicated
                                  - layer.mlp.replicated)
        if m.attention == "mla":
            width = m.heads * (m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim + m.mla.v_head_dim)
        else:
            width = 2 * m.heads * m.head_dim
        attention += count * 2 * seq * width
    head = m.vocab * m.hidden  # the output projection multiplies whether tied or not
    matmul = active_layers + head
    return Flops(2 * matmul + attention, attention, matmul)


def _peak(gpu: Obj, compute: str) -> float | None:
    return gpu.peak.get(compute)


def compute_precision(prec: Obj) -> str:
    if prec.compute:
        return prec.compute
    name = prec.activations.name if prec.activations else prec.weights.name
    return {"fp32": "tf32", "fp16": "fp16"}.get(name, "bf16")


def allreduce_seconds(nbytes_: float, ranks: int, bandwidth: float) -> float:
    """Ring all-reduce: each rank sends and receives 2 (n - 1)/n of the buffer (Patarasuk & Yuan 2009)."""
    if ranks <= 1 or bandwidth <= 0:
        return 0.0
    return 2 * (ranks - 1) / ranks * nbytes_ / bandwidth


def elementwise_seconds(w: Obj, mem: dict) -> float:
    """Memory-bound kernel time per step on one GPU of the busiest stage (see constants)."""
    from capplan.engine import activations as act

    m, p, c = w.model, w.parallel, mem["context"]
    base = act.Context(c.seq, c.batch, c.tp, c.sp, c.beta, c.kernel, "none", c.impl, c.residual)
    kinds = [False] + ([True] if m.moe.experts is not None else [])
    per_layer = max(act.layer_bytes(m, base, k)[0] for k in kinds)
    layers_per_rank = m.layers / p.pipeline
    replays = 2 if p.recompute == "full" else 1  # the recomputed forward writes its tensors again
    traffic = K.ELEMENTWISE_TRAFFIC * per_layer * layers_per_rank * mem["microbatches"] * replays
    return traffic / (w._gpu.memory_bandwidth * K.BANDWIDTH_EFFICIENCY)


def optimizer_seconds(w: Obj, mem: dict) -> float:
    """The optimizer step streams weights, gradients, master weights and states once each way."""
    st = max(mem["stages"], key=lambda s: s.params)
    step = st.phases["optimizer step"]
    persistent = step["weights"] + step["gradients"] + step["master_weights"] + step["optimizer_states"]
    return 2 * persistent / (w._gpu.memory_bandwidth * K.BANDWIDTH_EFFICIENCY)


def training_time(w: Obj, mem: dict) -> dict | None:
    """Time figures of a training plan, or None with the reason when a figure is missing."""
    m, p, prec, gpu = w.model, w.parallel, w.precision, w._gpu
    pc = mem["params"]
    if pc is None:
        return {"unavailable": "the model is a bare parameter count: FLOPs need an architecture"}
    compute = compute_precision(prec)
    peak = _peak(gpu, compute)
    if not peak:
        return {"unavailable": f"gpu `{gpu.name}` gives no dense `peak.{compute}`"}
    tp, pp, dp, cp, ep = p.tensor, p.pipeline, p.data, p.context, p.expert
    v = p.virtual_stages if p.schedule == "interleaved" else 1
    gpus, per_node = w._gpus, w._per_node
    cluster = w.cluster
    intra = (cluster.intra_node if cluster is not None and cluster.intra_node else gpu.link) or 0.0
    intra_dir = intra / 2 if intra else 0.0           # data sheets give both directions summed
    inter = (cluster.inter_node if cluster is not None else None) or K.INTER_NODE_DEFAULT
    seq, mb, M = w.seq_len, w.micro_batch, w._microbatches
    tokens_step = w.global_batch * seq
    f = flops_per_token(m, pc, seq)
    model_flops = 3 * f.forward_per_token * tokens_step
    recompute = {"full": f.forward_per_token, "selective": f.attention_per_token}.get(p.recompute, 0.0)
    hardware_flops = model_flops + recompute * tokens_step
    eff = K.MATMUL_EFFICIENCY
    t_matmul = hardware_flops / (gpus * peak * eff)
    # memory-bound kernels: traffic proportional to the activations saved per layer (no recompute),
    # plus the optimizer step reading and writing its state once
    t_elementwise = elementwise_seconds(w, mem)
    t_optimizer = optimizer_seconds(w, mem)
    t_compute = t_matmul + t_elementwise + t_optimizer
    bubble = t_compute * (pp - 1) / (M * v) if pp > 1 else 0.0

    beta = nbytes(prec.activations or "bf16")
    layers_per_rank = m.layers / pp
    # tensor parallel: 2 all-reduces (or reduce-scatter + all-gather) per layer in forward, 2 in backward
    # (Shoeybi et al. 2019, sec. 3), +2 for full recomputation; over NVLink within a node
    tp_bw = intra_dir if tp <= per_node and intra_dir else inter
    act_bytes = mb * (seq / cp) * m.hidden * beta
    collectives = 4 + (2 if p.recompute == "full" else 0)
    t_tp = layers_per_rank * M * collectives * allreduce_seconds(act_bytes, tp, tp_bw) if tp > 1 else 0.0
    # data parallel: gradient all-reduce (reduce-scatter + all-gather with ZeRO/distributed optimizer: the same
    # volume), ZeRO-3 adds a parameter all-gather in forward and backward; overlapped with the backward pass
    params_rank = max(st.params for st in mem["stages"])
    grad_bytes = params_rank * nbytes(prec.gradients or prec.weights)
    dp_spans_nodes = tp * cp * dp > per_node
    dp_bw = inter if dp_spans_nodes else (intra_dir or inter)
    t_dp = allreduce_seconds(grad_bytes, dp * cp, dp_bw)
    zero = 3 if p.fsdp else p.zero
    if zero >= 3:  # two all-gathers of the weights: (d-1)/d each, the volume of one all-reduce
        t_dp += allreduce_seconds(params_rank * nbytes(prec.weights), dp * cp, dp_bw)
    t_dp_exposed = t_dp * (1 - K.DP_OVERLAP)
    # pipeline: one activation send forward and one gradient send backward per micro-batch and boundary
    pp_bytes = act_bytes / (tp if p.sequence_parallel else 1)
    pp_bw = inter if tp * cp * dp * pp > per_node else (intra_dir or inter)
    t_pp = 2 * M * v * pp_bytes / pp_bw if pp > 1 else 0.0
    # expert parallel: all-to-all dispatch and combine per MoE layer, forward and backward
    t_ep = 0.0
    if ep > 1 and m.moe.experts:
        moe_layers = (m.layers - m.moe.dense_layers) / pp
        a2a = mb * (seq / cp) * m.moe.experts_per_token * m.hidden * beta * (ep - 1) / ep
        ep_bw = inter if tp * ep > per_node else (intra_dir or inter)
        t_ep = moe_layers * M * 4 * a2a / ep_bw
    # context parallel: ring exchange of K and V per layer, forward and backward, mostly overlapped
    t_cp = 0.0
    if cp > 1:
        kv = mb * (seq / cp) * 2 * m.kv_heads * m.head_dim * beta / tp
        cp_bw = intra_dir if tp * cp <= per_node and intra_dir else inter
        t_cp = layers_per_rank * M * 3 * (cp - 1) * kv / cp_bw * (1 - K.CP_OVERLAP)
    step = t_compute + bubble + t_tp + t_dp_exposed + t_pp + t_ep + t_cp
    out = {
        "compute_precision": compute, "peak_flops": peak, "step_s": step, "compute_s": t_compute,
        "matmul_s": t_matmul, "elementwise_s": t_elementwise, "optimizer_s": t_optimizer,
        "bubble_s": bubble, "communication_s": {"tensor": t_tp, "data": t_dp_exposed, "data_total": t_dp,
                                                "pipeline": t_pp, "expert": t_ep, "context": t_cp},
        "tokens_per_step": tokens_step, "tokens_per_s": tokens_step / step,
        "model_flops_per_token": 3 * f.forward_per_token, "model_flops_per_step": model_flops,
        "hardware_flops_per_step": hardware_flops,
        "mfu": model_flops / (step * gpus * peak), "hfu": hardware_flops / (step * gpus * peak),
    }
    if w.tokens:
        seconds = w.tokens / out["tokens_per_s"]
        out["train_s"] = seconds
        out["gpu_hours"] = gpus * seconds / 3600
        price = (cluster.price if cluster is not None and cluster.price else None) or gpu.price
        out["cost_usd"] = out["gpu_hours"] * 3600 * price if price else None
        out["energy_kwh"] = gpus * gpu.power * seconds / 3.6e6 * K.PUE if gpu.power else None
    return out
