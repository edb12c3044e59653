"""Lowering: checked declarations (capplan.check.values.Obj) -> the typed plan IR.

The only place that reads a declaration's fields by name for the engine. Run after
capplan.check.validate has filled the derived defaults; a declaration that did not validate is
not lowered (the checker reported why).
"""

from __future__ import annotations

from capplan.check.validate import hardware_of
from capplan.check.values import Format, Obj
from capplan.core.constants import REGISTRY
from capplan.ir.blocks import Attention, Layer, Mamba2, Mamba2Layer, Mla, Mlp, Moe, Norm, TransformerLayer
from capplan.ir.model import Embeddings, Head, Model
from capplan.ir.plan import Calibration, Framework, Gpu, Hardware, Inference, Layout, Lora, Precision, Training

ARCHITECTURE_SUMMARY = ("layers", "hidden", "heads", "kv_heads", "head_dim", "ffn", "vocab", "mlp", "norm",
                        "position", "attention")
MOE_SUMMARY = ("experts", "experts_per_token", "expert_ffn", "shared_experts", "dense_layers")


def lower_model(m: Obj) -> Model:
    f = m.fields
    display = f.get("name") or m.name
    if m.layers is None or m.hidden is None or m.heads is None:
        return Model(m.name, display, hidden=m.hidden, vocab=m.vocab, params=m.params, declared_layers=m.layers,
                     max_seq=m.max_seq, architecture_fields=_summary(m, bare=True), embeddings=None)
    low = m.norm == "low_precision_layernorm"
    norm = Norm("layernorm" if low else m.norm, bool(m.norm_bias), low_precision=low)
    blocks: dict[tuple, Layer] = {}   # one block per distinct (letter, MoE, window) of the stack
    layers = []
    for i in range(m.layers):
        key = _layer_key(m, i)
        if key not in blocks:
            blocks[key] = _layer(m, i, norm)
        layers.append(blocks[key])
    layers = tuple(layers)
    positions = int(m.max_seq) + m.position_offset if m.position == "learned" else 0
    embeddings = Embeddings(m.vocab, m.hidden, m.position, positions, _get(m, "token_types", 0),
                            norm if _get(m, "embedding_norm", False) else None)
    classes = _get(m, "classes", 0)
    head = Head(kind="classifier" if classes else "lm", tied=bool(m.tied_embeddings),
                final_norm=norm if m.final_norm else None, pooler=bool(_get(m, "pooler", False)),
                classes=classes)
    return Model.of_layers(m.name, display, layers, hidden=m.hidden, vocab=m.vocab, embeddings=embeddings,
                           head=head, max_seq=m.max_seq, architecture_fields=_summary(m))


def _get(obj: Obj, name: str, default):
    value = obj.fields.get(name)
    return default if value is None else value


def _summary(m: Obj, bare: bool = False) -> tuple:
    if bare:
        return ()
    out = [(k, m.fields[k]) for k in ARCHITECTURE_SUMMARY]
    if m.moe.experts is not None:
        out.append(("moe", tuple((k, m.moe.fields[k]) for k in MOE_SUMMARY)))
    return tuple(out)


def _attention(m: Obj, windowed: bool) -> Attention:
    mla = None
    if m.attention == "mla":
        a = m.mla
        mla = Mla(a.q_lora_rank, a.kv_lora_rank, a.qk_nope_head_dim, a.qk_rope_head_dim, a.v_head_dim)
    return Attention(heads=m.heads, kv_heads=m.kv_heads, head_dim=m.head_dim, kind=m.attention, mla=mla,
                     qkv_bias=bool(m.qkv_bias), out_bias=bool(m.out_bias), qk_norm=bool(m.qk_norm),
                     window=m.sliding_window if windowed else None,
                     causal=not _get(m, "bidirectional", False),
                     dropout=m.attention_dropout or 0.0, rope=m.position == "rope")


def _windowed(m: Obj, i: int) -> bool:
    """Which layers use the sliding window: all, or `sliding_window_layers` spread evenly
    (Gemma-2 alternates local and global layers)."""
    if m.sliding_window is None:
        return False
    n, total = m.sliding_window_layers, m.layers
    return (i + 1) * n // total > i * n // total


def _layer_key(m: Obj, i: int) -> tuple:
    """What distinguishes layer i's block from the others: its letter, MoE or dense, windowed."""
    pattern = _get(m, "pattern", None)
    moe = m.moe.experts is not None and i >= m.moe.dense_layers
    return (pattern[i] if pattern else "T", moe, _windowed(m, i))


def _layer(m: Obj, i: int, norm: Norm) -> Layer:
    pattern = _get(m, "pattern", None)
    kind = pattern[i] if pattern else "T"
    if kind == "M":
        s = m.mamba
        return Mamba2Layer(Mamba2(s.heads, s.head_dim, s.state, s.groups, s.conv_kernel, s.chunk,
                                  bool(s.bias), bool(s.conv_bias)), norm)
    gated = m.mlp == "gated"
    moe = m.moe
    if moe.experts is not None and i >= moe.dense_layers and kind != "*":
        ffn = Moe(moe.experts, moe.experts_per_token, moe.expert_ffn, moe.shared_ffn or 0, bool(moe.shared_gate),
                  bool(moe.router_bias), gated, bool(m.mlp_bias), m.activation, moe.groups or 1,
                  moe.groups_per_token or moe.groups or 1)
    elif kind == "*":
        ffn = None
    else:
        ffn = Mlp(m.ffn, gated, bool(m.mlp_bias), m.activation)
    attention = None if kind == "-" else _attention(m, _windowed(m, i))
    norms = 1 if kind in ("*", "-") else m.norms_per_layer
    return TransformerLayer(attention, ffn, norm, norms, bool(m.parallel_block), m.dropout or 0.0,
                            post_norm=bool(_get(m, "post_norm", False)), code_path=m.code_path)


def lower_gpu(g: Obj) -> Gpu:
    unit = "GB" if g.fields.get("_unit_memory", "GiB") in ("GB", "TB", "MB") else "GiB"
    return Gpu(g.name, g.fields.get("name") or g.name, g.memory, g.memory_usable or g.memory, unit,
               g.memory_bandwidth, dict(g.peak.fields) if g.peak is not None else {}, g.link, g.power, g.price,
               g.purchase_price, g.fields.get("nvlink_domain") or 8, g.fields.get("matmul_achievable"),
               g.fields.get("architecture"))


def lower_hardware(w: Obj) -> Hardware:
    c = w.cluster
    gpu_obj, gpus, per_node = hardware_of(w)
    gpu = lower_gpu(gpu_obj)
    if c is not None:
        return Hardware(gpu, gpus, per_node, c.name, c.intra_node or gpu.link, c.inter_node,
                        c.price or gpu.price)
    return Hardware(gpu, gpus, per_node, None, gpu.link, None, gpu.price)


def lower_precision(p: Obj) -> Precision:
    return Precision(p.name, p.weights, p.gradients or p.weights, p.master_weights, p.optimizer_states,
                     p.activations or Format("bf16"), p.kv_cache or p.activations or Format("bf16"), p.compute)


def lower_framework(fw: Obj | None) -> Framework:
    if fw is None:
        return Framework()
    f = fw.fields
    calib = _calibration(f.get("calibration"))
    stated = {k: v for k, v in _overrides(fw).items() if v is not None}
    merged = {**dict(calib.constants), **stated} if calib is not None else stated
    assumed = tuple(sorted(merged.items()))
    return Framework(implementation=f.get("implementation") or "transformers", attention=f.get("attention") or "flash",
                     loss_upcast=f.get("loss_upcast", True), loss_kernel=f.get("loss_kernel") or "torch",
                     optimizer_impl=f.get("optimizer_impl") or "auto",
                     grads_freed=f.get("grads_freed", True), runtime=f.get("runtime") or "auto",
                     bucket_view=f.get("gradient_as_bucket_view", False), first_step=f.get("first_step", False),
                     overlap_grad_reduce=f.get("overlap_grad_reduce", True),
                     overlap_param_gather=f.get("overlap_param_gather", True),
                     tp_comm_overlap=f.get("tp_comm_overlap", False),
                     ep_comm_overlap=f.get("ep_comm_overlap", False),
                     moe_dispatcher=f.get("moe_dispatcher") or "alltoall",
                     pipeline_scatter_gather=f.get("pipeline_scatter_gather", False),
                     activation_rule=f.get("activation_rule"),
                     last_logits_only=f.get("last_logits_only", True), scheduler=f.get("scheduler") or "vllm",
                     norm_kernel=f.get("norm_kernel") or "torch",
                     checkpoint_early_stop=f.get("checkpoint_early_stop"),
                     overrides=assumed, calibration=calib)


def _calibration(c: Obj | None) -> Calibration | None:
    """The calibration block a framework names: its fitted constants, and what they were fitted to."""
    if c is None:
        return None
    constants = tuple(sorted((k, v) for k, v in _overrides(c).items() if v is not None))
    below, above = c.fields.get("step_spread_below"), c.fields.get("step_spread_above")
    return Calibration(c.name, c.fields.get("fitted_from") or "", c.fields.get("fit_error"), c.fields.get("samples"),
                       constants, c.fields.get("configuration"),
                       (below, above) if below is not None and above is not None else None)


def _overrides(fw: Obj | None) -> dict:
    """The assumed constants a `framework` block sets (capplan.core.constants.REGISTRY names)."""
    if fw is None:
        return {}
    return {k: v for k, v in fw.fields.items() if k in REGISTRY and REGISTRY[k].overridable}


def lower_layout(p: Obj) -> Layout:
    return Layout(tensor=p.tensor, pipeline=p.pipeline, data=p.data, context=p.context, expert=p.expert,
                  zero=3 if p.fsdp else p.zero, fsdp=bool(p.fsdp), distributed_optimizer=bool(p.distributed_optimizer),
                  sequence_parallel=bool(p.sequence_parallel), schedule=p.schedule, virtual_stages=p.virtual_stages,
                  layers_per_stage=tuple(p.layers_per_stage) if p.layers_per_stage is not None else None,
                  recompute=p.recompute, offload=p.offload,
                  recompute_modules=_names(p.recompute_modules, ("core_attn",)), expert_tensor=p.expert_tensor,
                  recompute_layers=p.recompute_layers if p.recompute == "full" else None)


def _names(value, default: tuple[str, ...]) -> tuple[str, ...]:
    """A `many` enumeration as a tuple: one bare word or a list of them, in the order written, once each."""
    if value is None:
        return default
    return tuple(dict.fromkeys([value] if isinstance(value, str) else value))


def lower_training(w: Obj) -> Training:
    lora = None
    if w.lora is not None and w.lora.rank:
        targets = w.lora.targets
        lora = Lora(w.lora.rank, targets if isinstance(targets, str) else tuple(targets), w.lora.alpha,
                    w.lora.dropout)
    return Training(w.name, w.span, lower_model(w.model), lower_hardware(w), lower_precision(w.precision),
                    lower_layout(w.parallel), lower_framework(w.framework), w.optimizer,
                    w.seq_len, w.micro_batch, w.global_batch,
                    w.global_batch // (w.micro_batch * w.parallel.data), w.tokens, lora)


def lower_inference(w: Obj) -> Inference:
    prec = lower_precision(w.precision) if w.precision is not None else None
    dense = prec.activations.name if prec is not None else "bf16"
    weights = w.weights or (prec.weights if prec is not None else None) or Format("bf16")
    kv = w.kv_cache or (w.precision.kv_cache if w.precision is not None and w.precision.kv_cache else None) \
        or Format(dense)
    targets = w.targets
    return Inference(w.name, w.span, lower_model(w.model), lower_hardware(w), prec, weights, kv, dense,
                     lower_framework(w.framework), w.parallel.tensor,
                     w.parallel.pipeline, w.context, w.prompt, w.output, w.batch, w.memory_utilization,
                     w.block_size, w.prefill_chunk, w.requests,
                     targets.ttft if targets is not None else None, targets.tpot if targets is not None else None,
                     w.mode, w.cache, bool(w.loss), bool(w.use_cache))


def lower_workload(w: Obj) -> Training | Inference:
    return lower_training(w) if w.kind == "training" else lower_inference(w)
