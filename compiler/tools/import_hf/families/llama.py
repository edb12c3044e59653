"""Llama and Mistral (dense llama-style decoders): transformers LlamaConfig / MistralConfig,
modeling_llama.py / modeling_mistral.py."""

from __future__ import annotations

from capplan.tools.import_hf.context import Family, ImportContext
from capplan.tools.import_hf.common import (DecoderDefaults, map_decoder_core, map_dense_ffn, map_dropouts,
                                            map_sliding, set_biases)


def map_llama(ctx: ImportContext) -> None:
    d = DecoderDefaults(32000, 4096, 11008, 32, 32, None, None, "silu", 2048, False)
    map_decoder_core(ctx, d)
    map_dense_ffn(ctx, d.ffn)
    ab = ctx.bool_("attention_bias", False)
    mb = ctx.bool_("mlp_bias", False)
    ctx.set("qkv_bias", ab, "attention_bias")
    ctx.set("out_bias", ab, "attention_bias (o_proj too)")
    ctx.set("mlp_bias", mb, "mlp_bias")
    map_dropouts(ctx, None, ("attention_dropout", 0.0))
    ctx.ignore({"pretraining_tp": "tensor-parallel slicing used in pretraining; same weights"})


def map_mistral(ctx: ImportContext) -> None:
    d = DecoderDefaults(32000, 4096, 14336, 32, 32, 8, None, "silu", 4096 * 32, False)
    c = map_decoder_core(ctx, d)
    map_dense_ffn(ctx, d.ffn)
    set_biases(ctx, False, False, False, "MistralAttention/MLP have no biases")
    map_dropouts(ctx, None, ("attention_dropout", 0.0))
    window = ctx.int_("sliding_window", 4096, null=None)
    map_sliding(ctx, window, c["layers"], c["layers"],
                "sliding_window, every layer" if ctx.has("sliding_window")
                else "sliding_window absent: MistralConfig default 4096, every layer")


LLAMA = Family("llama", map_llama, config_class="LlamaConfig", hf_class="LlamaForCausalLM",
               modeling="modeling_llama.py")
MISTRAL = Family("mistral", map_mistral, config_class="MistralConfig", hf_class="MistralForCausalLM",
                 modeling="modeling_mistral.py")
