"""Falcon (multi-query or grouped K/V, parallel blocks, ALiBi or rotary): transformers FalconConfig,
modeling_falcon.py."""

from __future__ import annotations

from capplan.tools.import_hf.context import ConfigError, Family, ImportContext
from capplan.tools.import_hf.common import (ROPE_IGNORED, map_activation, map_dropouts, map_max_seq,
                                            map_network, map_tied, set_biases)


def map_falcon(ctx: ImportContext) -> None:
    layers = ctx.int_("num_hidden_layers", 32)
    hidden = ctx.int_(("hidden_size", "n_embed"), 4544)
    heads = ctx.int_("num_attention_heads", 71)
    ctx.set("layers", layers, "num_hidden_layers")
    ctx.set("hidden", hidden, "hidden_size")
    ctx.set("heads", heads, "num_attention_heads")
    if hidden % heads:
        raise ConfigError(f"hidden_size {hidden} is not divisible by num_attention_heads {heads}")
    new = ctx.bool_("new_decoder_architecture", False)
    mq = ctx.bool_("multi_query", True)
    parallel = ctx.bool_("parallel_attn", True)
    kv_cfg = ctx.int_("num_kv_heads", None, null=None)
    if new:
        kv = kv_cfg or heads
        ctx.set("kv_heads", kv, "num_kv_heads (new_decoder_architecture)")
    elif mq:
        kv = 1
        ctx.set("kv_heads", 1, "multi_query: one K/V head")
        if kv_cfg is not None:
            ctx.ignored["num_kv_heads"] = "multi_query without new_decoder_architecture: one K/V head"
    else:
        kv = heads
        ctx.set("kv_heads", heads, "multi_query false: query_key_value is 3 * hidden")
        if kv_cfg not in (None, heads):
            ctx.warn("num_kv_heads", f"{kv_cfg} is not used for the weights (query_key_value is 3 * hidden "
                                     "without new_decoder_architecture)", note=True)
    ffn = ctx.int_("ffn_hidden_size", None, null=None)
    ctx.set("ffn", ffn or 4 * hidden,
            "ffn_hidden_size" if ffn else "ffn_hidden_size absent: FalconConfig 4 * hidden_size")
    ctx.set("mlp", "plain", "dense_h_to_4h, dense_4h_to_h")
    map_activation(ctx, "activation", ctx.str_("activation", "gelu"))
    ctx.set("vocab", ctx.int_("vocab_size", 65024), "vocab_size")
    map_tied(ctx, True)
    ctx.set("norm", "layernorm", "LayerNorm")
    n_ln = ctx.int_("num_ln_in_parallel_attn", None, null=None)
    if n_ln is None and new:
        n_ln = 2
    if not parallel:
        norms, how = 2, "parallel_attn false: input_layernorm + post_attention_layernorm"
        if new:
            ctx.warn("parallel_attn", "false with new_decoder_architecture: transformers' FalconDecoderLayer "
                                      "cannot run this combination", note=True)
    elif n_ln == 2:
        norms, how = 2, "num_ln_in_parallel_attn 2: ln_attn + ln_mlp"
    else:
        norms, how = 1, "parallel_attn: one input_layernorm"
    if norms != 2:
        ctx.set("norms_per_layer", norms, how)
    else:
        ctx.notes.append(("NOTE", f"norms_per_layer = 2 (default): {how}"))
    if parallel or new:
        ctx.set("parallel_block", True, "parallel_attn / new_decoder_architecture")
    bias = ctx.bool_("bias", False)
    set_biases(ctx, bias, bias, bias, "bias")
    alibi = ctx.bool_("alibi", False)
    ctx.set("position", "alibi" if alibi else "rope", "alibi" if alibi else "alibi false: rotary")
    map_max_seq(ctx, ("max_position_embeddings",), 2048)
    map_dropouts(ctx, ("hidden_dropout", 0.0), ("attention_dropout", 0.0))
    map_network(ctx)
    ctx.ignore(ROPE_IGNORED)
    ctx.ignore({"layer_norm_epsilon": "normalisation epsilon"})
    ctx.ignore_if("apply_residual_connection_post_layernorm", False,
                  "false in published configs; not read by transformers' FalconModel",
                  "not read by transformers' FalconModel; a post-norm residual has the same parameters")


FALCON = Family("falcon", map_falcon, config_class="FalconConfig", hf_class="FalconForCausalLM",
                modeling="modeling_falcon.py")
