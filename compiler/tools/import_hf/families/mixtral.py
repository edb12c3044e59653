"""Mixtral (a Mistral decoder with sparse MoE MLPs): transformers MixtralConfig, modeling_mixtral.py."""

from __future__ import annotations

from capplan.tools.import_hf.context import Family, ImportContext
from capplan.tools.import_hf.common import (MOE_IGNORED, DecoderDefaults, map_decoder_core, map_dense_ffn,
                                            map_dropouts, map_sliding, set_biases)


def map_mixtral(ctx: ImportContext) -> None:
    d = DecoderDefaults(32000, 4096, 14336, 32, 32, 8, None, "silu", 4096 * 32, False)
    c = map_decoder_core(ctx, d)
    ffn = map_dense_ffn(ctx, d.ffn)
    set_biases(ctx, False, False, False, "MixtralAttention and the experts have no biases")
    map_dropouts(ctx, None, ("attention_dropout", 0.0))
    window = ctx.int_("sliding_window", None, null=None)
    map_sliding(ctx, window, c["layers"], c["layers"], "sliding_window, every layer")
    experts = ctx.int_(("num_local_experts", "num_experts"), 8)
    topk = ctx.int_("num_experts_per_tok", 2)
    ctx.set_moe("experts", experts, "num_local_experts")
    ctx.set_moe("experts_per_token", topk, "num_experts_per_tok")
    ctx.set_moe("expert_ffn", ffn, "intermediate_size (each expert)")
    ctx.set_moe("shared_experts", 0, "none")
    ctx.set_moe("dense_layers", 0, "every layer is MoE")
    ctx.set_moe("router_bias", False, "gate: Linear(hidden, experts), no bias")
    ctx.ignore(MOE_IGNORED)


MIXTRAL = Family("mixtral", map_mixtral, config_class="MixtralConfig", hf_class="MixtralForCausalLM",
                 modeling="modeling_mixtral.py")
