"""What recomputation repeats, in FLOPs per token: Megatron-Core's selective modules, torchtitan's per-op policy
and full recomputation as PyTorch's non-reentrant checkpoint runs it (engine/timing.py adds them to the step)."""

from __future__ import annotations

from dataclasses import dataclass

from capplan.check import layout_rules
from capplan.engine.blocks.transformer import op_selective_recomputed_matmuls, op_selective_supported
from capplan.engine.params import ParamCount
from capplan.engine.vector import logical_or, maximum, minimum
from capplan.ir.blocks import TransformerLayer
from capplan.ir.plan import Training


@dataclass
class Flops:
    forward_per_token: float      # model FLOPs of one token's forward pass
    attention_per_token: float    # of which the attention scores (seq-dependent part)
    matmul_params: float          # parameters one token multiplies with (MoE: active)


def replays_forward(rc):
    """Whether backward runs a layer's whole forward again (its memory-bound kernels, autocast's weight casts,
    the working set of the rebuilt layer): full recomputation, and torchtitan's per-op policy, which keeps only
    matmul and attention outputs. `rc` is a recompute name or an array of them (a search's candidates)."""
    return logical_or(rc == "full", rc == "selective_op")


def replayed_share(recompute_layers, chunks, layers):
    """The share of a rank's `layers` that full recomputation replays: `recompute_layers` of each of its `chunks`
    model chunks (Megatron-LM's block method), at most all; all of them without recompute_layers (None). Numbers
    or arrays."""
    if recompute_layers is None:
        return 1.0
    return minimum(1.0, recompute_layers * chunks / maximum(layers, 1e-30))


def selective_recompute(pc: ParamCount, modules: tuple[str, ...], f: Flops) -> Flops:
    """FLOPs per token of the forward work selective recomputation of `modules` repeats (Megatron-Core's
    --recompute-modules, megatron/core/transformer/transformer_config.py): core_attn the attention scores and
    their use; mlp the dense MLPs; moe the router, the active experts and the shared experts; shared_experts
    these alone; mla_up_proj MLA's query and key/value up projections. layernorm and moe_act recompute
    memory-bound kernels only (no matmul FLOPs). `f`: the plan's FLOPs per token (flops_per_token)."""
    matmul = 0.0
    for layer, lp, n in pc.counts():
        moe, a = getattr(layer, "moe", None), getattr(layer, "attention", None)
        params = 0.0
        if "mlp" in modules:
            params += lp.mlp.total - lp.mlp.replicated
        if "moe" in modules and moe is not None:
            params += lp.router.total + lp.experts.total * moe.top_k / moe.experts + lp.shared_experts.total
        elif "shared_experts" in modules:
            params += lp.shared_experts.total
        if "mla_up_proj" in modules and a is not None and a.kind == "mla":
            x = a.mla
            params += ((x.q_lora_rank or 0) * a.heads * (x.qk_nope_head_dim + x.qk_rope_head_dim)
                       + x.kv_lora_rank * a.heads * (x.qk_nope_head_dim + x.v_head_dim))
        matmul += n * params
    attention = f.attention_per_token if "core_attn" in modules else 0.0
    return Flops(2 * matmul + attention, attention, matmul)


def early_stop_skipped(pc: ParamCount) -> float:
    """FLOPs per token of the forward that PyTorch's non-reentrant checkpoint does not recompute: it stops as soon
    as every tensor the backward needs is rebuilt (torch.utils.checkpoint, set_checkpoint_early_stop, on by
    default), and a pre-norm layer's last matmul, the dense MLP's down projection, feeds only the residual add,
    whose backward needs no input (measured: validation/measure_selective_op.py, `backward_mm_flops` of the full
    runs). An MoE layer's expert outputs are needed (the routing weights' gradient): none skipped there."""
    total = 0.0
    for layer, _, n in pc.counts():
        mlp = getattr(layer, "mlp", None)
        if isinstance(layer, TransformerLayer) and mlp is not None and not layer.post_norm:
            total += n * 2 * mlp.ffn * pc.model.hidden
    return total


def checkpoint_early_stop(w: Training) -> bool:
    """Whether full recomputation runs PyTorch's non-reentrant checkpoint with early stop: stated in
    framework.checkpoint_early_stop, else for PyTorch FSDP plans of PyTorch ops (FSDP's checkpoint_wrapper is
    non-reentrant in torchtitan, Composer and Accelerate); Megatron's and DeepSpeed's checkpointing, and
    transformers' reentrant default, replay the whole forward."""
    fw, lay = w.framework, w.layout
    if fw.checkpoint_early_stop is not None:
        return fw.checkpoint_early_stop
    return (fw.implementation == "transformers"
            and layout_rules.family_of(fw.runtime, fw.implementation, lay.distributed_optimizer, lay.fsdp) == "fsdp")


def op_recompute(pc: ParamCount) -> float:
    """FLOPs per token of the forward work torchtitan's per-op selective checkpointing repeats: the matrix
    multiplies whose outputs it does not keep (every second one of a layer: k, output and up projections of a
    Llama layer; blocks/transformer.py `op_selective_recomputed_matmuls`); attention's are kept, not redone."""
    total = 0.0
    for layer, _, n in pc.counts():
        if isinstance(layer, TransformerLayer) and op_selective_supported(layer):
            total += n * 2 * sum(i * o for _, i, o in op_selective_recomputed_matmuls(layer, pc.model.hidden))
    return total
