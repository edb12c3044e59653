"""Gemma and Gemma 2: transformers GemmaConfig / Gemma2Config, modeling_gemma.py / modeling_gemma2.py."""

from __future__ import annotations

import json

from capplan.tools.import_hf.context import ConfigError, Family, ImportContext
from capplan.tools.import_hf.common import (ACTIVATIONS, DecoderDefaults, count_sliding_layers, map_decoder_core,
                                            map_dense_ffn, map_dropouts, map_sliding)


def map_gemma(ctx: ImportContext) -> None:
    d = DecoderDefaults(256000, 3072, 24576, 28, 16, 16, 256, "gelu_pytorch_tanh", 8192, True)
    map_decoder_core(ctx, d, gemma_gelu=True)
    map_dense_ffn(ctx, d.ffn)
    ab = ctx.bool_("attention_bias", False)
    ctx.set("qkv_bias", ab, "attention_bias")
    ctx.set("out_bias", ab, "attention_bias (o_proj too)")
    ctx.set("mlp_bias", False, "GemmaMLP has no biases")
    map_dropouts(ctx, None, ("attention_dropout", 0.0))
    check_unread_activation(ctx, "hidden_activation", "GemmaMLP reads hidden_act")
    ctx.ignore({"use_bidirectional_attention": "attention mask only; no parameters"})


def check_unread_activation(ctx: ImportContext, key: str, why: str) -> None:
    if not ctx.has(key):
        return
    value = ctx.raw(key)
    used = ctx.fields.get("activation", ("silu", ""))[0]
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"`{key}` = {json.dumps(value)}: expected a string")
    if value is None or ACTIVATIONS.get(value, value) == used or (value == "gelu" and used == "gelu_tanh"):
        ctx.ignored[key] = f"not read by transformers ({why}); agrees with it"
    else:
        ctx.warn(key, f"{value!r} differs from the activation used ({used}); transformers ignores it ({why})",
                 note=True)


def map_gemma2(ctx: ImportContext) -> None:
    d = DecoderDefaults(256000, 2304, 9216, 26, 8, 4, 256, "gelu_pytorch_tanh", 8192, True)
    c = map_decoder_core(ctx, d, act_key="hidden_activation")
    map_dense_ffn(ctx, d.ffn)
    ctx.set("norms_per_layer", 4, "input, post_attention, pre_ and post_feedforward_layernorm")
    ab = ctx.bool_("attention_bias", False)
    ctx.set("qkv_bias", ab, "attention_bias")
    ctx.set("out_bias", ab, "attention_bias (o_proj too)")
    ctx.set("mlp_bias", False, "Gemma2MLP has no biases")
    map_dropouts(ctx, None, ("attention_dropout", 0.0))
    check_unread_activation(ctx, "hidden_act", "Gemma2MLP reads hidden_activation")
    window = ctx.int_("sliding_window", 4096, null=None)
    counted = count_sliding_layers(ctx, c["layers"])
    count = counted if counted is not None else (c["layers"] + 1) // 2
    map_sliding(ctx, window, c["layers"], count, "sliding_window on layers 0, 2, 4, ... (layer_types)")
    ctx.ignore({
        "query_pre_attn_scalar": "attention scale; no parameters",
        "attn_logit_softcapping": "tanh cap on attention scores; no parameters",
        "final_logit_softcapping": "tanh cap on logits; no parameters",
        "cache_implementation": "generation cache choice (hybrid); the plan sizes the KV cache",
        "sliding_window_size": "legacy duplicate of sliding_window; not read by transformers",
        "use_bidirectional_attention": "attention mask only; no parameters",
    })


GEMMA = Family("gemma", map_gemma, config_class="GemmaConfig", hf_class="GemmaForCausalLM",
               modeling="modeling_gemma.py")
GEMMA2 = Family("gemma2", map_gemma2, config_class="Gemma2Config", hf_class="Gemma2ForCausalLM",
                modeling="modeling_gemma2.py")
