"""Qwen2, Qwen3 and Qwen2-MoE: transformers Qwen2Config / Qwen3Config / Qwen2MoeConfig,
modeling_qwen2.py / modeling_qwen3.py / modeling_qwen2_moe.py."""

from __future__ import annotations

from capplan.tools.import_hf.context import ConfigError, Family, ImportContext
from capplan.tools.import_hf.common import (MOE_IGNORED, DecoderDefaults, count_sliding_layers,
                                            map_decoder_core, map_dense_ffn, map_dropouts, map_sliding)


def _qwen_sliding(ctx: ImportContext, layers: int) -> None:
    """Qwen2/Qwen3: a window only with use_sliding_window, on layers >= max_window_layers."""
    use = ctx.bool_("use_sliding_window", False)
    window = ctx.int_("sliding_window", 4096, null=None)
    mwl = ctx.int_("max_window_layers", 28, allow_zero=True)
    counted = count_sliding_layers(ctx, layers)
    if not use:
        for k in ("sliding_window", "max_window_layers", "layer_types"):
            if ctx.has(k):
                ctx.ignored[k] = "use_sliding_window is false: no layer uses a window"
        return
    count = counted if counted is not None else max(0, layers - mwl)
    map_sliding(ctx, window, layers, count, "sliding_window (use_sliding_window; layers >= max_window_layers)")


def map_qwen2(ctx: ImportContext) -> None:
    d = DecoderDefaults(151936, 4096, 22016, 32, 32, 32, None, "silu", 32768, False)
    c = map_decoder_core(ctx, d)
    map_dense_ffn(ctx, d.ffn)
    ctx.set("qkv_bias", True, "Qwen2Attention: q/k/v_proj bias=True")
    ctx.set("out_bias", False, "o_proj bias=False")
    ctx.set("mlp_bias", False, "Qwen2MLP has no biases")
    map_dropouts(ctx, None, ("attention_dropout", 0.0))
    _qwen_sliding(ctx, c["layers"])


def map_qwen3(ctx: ImportContext) -> None:
    d = DecoderDefaults(151936, 4096, 22016, 32, 32, 32, 128, "silu", 32768, False)
    c = map_decoder_core(ctx, d)
    map_dense_ffn(ctx, d.ffn)
    ab = ctx.bool_("attention_bias", False)
    ctx.set("qk_norm", True, "q_norm, k_norm: RMSNorm(head_dim)")
    ctx.set("qkv_bias", ab, "attention_bias")
    ctx.set("out_bias", ab, "attention_bias (o_proj too)")
    ctx.set("mlp_bias", False, "Qwen3MLP has no biases")
    map_dropouts(ctx, None, ("attention_dropout", 0.0))
    _qwen_sliding(ctx, c["layers"])


def map_qwen2_moe(ctx: ImportContext) -> None:
    d = DecoderDefaults(151936, 2048, 5632, 24, 16, 16, None, "silu", 32768, False)
    c = map_decoder_core(ctx, d)
    layers = c["layers"]
    qkv = ctx.bool_("qkv_bias", True)
    ctx.set("qkv_bias", qkv, "qkv_bias")
    ctx.set("out_bias", False, "o_proj bias=False")
    ctx.set("mlp_bias", False, "experts and MLPs have no biases")
    map_dropouts(ctx, None, ("attention_dropout", 0.0))
    # sliding: sliding_window only with use_sliding_window; layers i < max_window_layers with i even
    use = ctx.bool_("use_sliding_window", False)
    window = ctx.int_("sliding_window", 4096, null=None)
    mwl = ctx.int_("max_window_layers", 28, allow_zero=True)
    counted = count_sliding_layers(ctx, layers)
    if use:
        count = counted if counted is not None else (min(layers, mwl) + 1) // 2   # i < mwl, i even
        map_sliding(ctx, window, layers, count, "sliding_window (use_sliding_window)")
    else:
        for k in ("sliding_window", "max_window_layers", "layer_types"):
            if ctx.has(k):
                ctx.ignored[k] = "use_sliding_window is false: no layer uses a window"
    # MoE placement: layer i is sparse iff i not in mlp_only_layers and num_experts > 0
    # and (i + 1) % decoder_sparse_step == 0 (Qwen2MoeDecoderLayer).
    experts = ctx.int_("num_experts", 60, allow_zero=True)
    step = ctx.int_("decoder_sparse_step", 1)
    only = ctx.raw("mlp_only_layers", None) or []
    if not isinstance(only, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in only):
        raise ConfigError("`mlp_only_layers` must be a list of layer indices")
    n_dense, leading, where = _qwen2_moe_dense(layers, experts, step, only)
    ffn = ctx.int_("intermediate_size", d.ffn)
    topk = ctx.int_("num_experts_per_tok", 4)
    expert_ffn = ctx.int_("moe_intermediate_size", 1408)
    shared_ffn = ctx.int_("shared_expert_intermediate_size", 5632, allow_zero=True)
    ctx.ignore(MOE_IGNORED)
    if n_dense == layers:
        ctx.set("ffn", ffn, "intermediate_size: every layer is dense (Qwen2MoeMLP)")
        for k in ("num_experts_per_tok", "moe_intermediate_size", "shared_expert_intermediate_size"):
            if ctx.has(k):
                ctx.ignored[k] = "no layer has experts"
        return
    if n_dense:
        ctx.set("ffn", ffn, "intermediate_size (the dense layers' Qwen2MoeMLP)")
    else:
        ctx.notes.append(("NOTE", f"intermediate_size = {ffn}: no layer is dense, so no MLP uses it"))
    ctx.set_moe("experts", experts, "num_experts")
    ctx.set_moe("experts_per_token", topk, "num_experts_per_tok")
    ctx.set_moe("expert_ffn", expert_ffn, "moe_intermediate_size")
    if shared_ffn:
        ctx.set_moe("shared_experts", 1, "one shared_expert MLP")
        ctx.set_moe("shared_ffn", shared_ffn, "shared_expert_intermediate_size")
    else:
        ctx.set_moe("shared_experts", 0, "shared_expert_intermediate_size 0: an empty shared MLP")
    ctx.set_moe("shared_gate", True, "shared_expert_gate: Linear(hidden, 1), no bias")
    ctx.set_moe("dense_layers", n_dense, "mlp_only_layers / decoder_sparse_step")
    ctx.set_moe("router_bias", False, "gate: no bias")
    if not leading:
        key = "decoder_sparse_step" if step > 1 else "mlp_only_layers"
        ctx.lacks(key, f"dense layers at {where} are not the leading ones; `moe.dense_layers` counts "
                       "them (the parameter total is exact) but places them first, so per-stage pipeline "
                       "memory differs")


def _qwen2_moe_dense(layers: int, experts: int, step: int, only: list[int]) -> tuple[int, bool, str]:
    """How many layers are dense, whether they are the leading ones, and where they are.

    Layer i has experts iff i not in mlp_only_layers, num_experts > 0 and (i + 1) % decoder_sparse_step
    == 0 (Qwen2MoeDecoderLayer). Counted arithmetically: `layers` may be large.
    """
    if experts == 0:
        return layers, True, "every layer"
    only_set = {i for i in only if 0 <= i < layers}
    moe = layers // step - sum(1 for i in only_set if (i + 1) % step == 0)
    n_dense = layers - moe
    if step == 1:
        leading = all(i < n_dense for i in only_set)
    else:  # dense layers sit between the MoE ones unless at most the last layer is MoE
        leading = moe == 0 or (moe == 1 and layers % step == 0 and layers - 1 not in only_set)
    shown = sorted(only_set | {i for i in range(min(layers, 64)) if (i + 1) % step})
    where = str(shown[:16])[:-1] + (", ...]" if len(shown) > 16 or layers > 64 else "]")
    return n_dense, leading, where


QWEN2 = Family("qwen2", map_qwen2, config_class="Qwen2Config", hf_class="Qwen2ForCausalLM",
               modeling="modeling_qwen2.py")
QWEN2_MOE = Family("qwen2_moe", map_qwen2_moe, config_class="Qwen2MoeConfig", hf_class="Qwen2MoeForCausalLM",
                   modeling="modeling_qwen2_moe.py")
QWEN3 = Family("qwen3", map_qwen3, config_class="Qwen3Config", hf_class="Qwen3ForCausalLM",
               modeling="modeling_qwen3.py")
