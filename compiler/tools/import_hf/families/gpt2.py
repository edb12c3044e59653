"""GPT-2 (Conv1D layers, learned positions): transformers GPT2Config, modeling_gpt2.py."""

from __future__ import annotations

from capplan.tools.import_hf.context import ConfigError, Family, ImportContext
from capplan.tools.import_hf.common import (map_activation, map_dropouts, map_max_seq, map_network, map_tied,
                                            set_biases)


def map_gpt2(ctx: ImportContext) -> None:
    layers = ctx.int_(("n_layer", "num_hidden_layers"), 12)
    hidden = ctx.int_(("n_embd", "hidden_size"), 768)
    heads = ctx.int_(("n_head", "num_attention_heads"), 12)
    ctx.set("layers", layers, "n_layer")
    ctx.set("hidden", hidden, "n_embd")
    ctx.set("heads", heads, "n_head")
    if hidden % heads:
        raise ConfigError(f"n_embd {hidden} is not divisible by n_head {heads} (GPT2Attention requires it)")
    inner = ctx.int_("n_inner", None, null=None)
    ctx.set("ffn", inner or 4 * hidden, "n_inner" if inner else "n_inner absent or null: 4 * n_embd")
    ctx.set("mlp", "plain", "c_fc, c_proj")
    map_activation(ctx, "activation_function", ctx.str_("activation_function", "gelu_new"))
    ctx.set("code_path", "gpt2", "modeling_gpt2.py: fused c_attn")
    ctx.set("vocab", ctx.int_("vocab_size", 50257), "vocab_size")
    map_tied(ctx, True)
    ctx.set("norm", "layernorm", "ln_1, ln_2, ln_f")
    set_biases(ctx, True, True, True, "Conv1D layers always have biases")
    ctx.set("position", "learned", "wpe")
    map_max_seq(ctx, ("n_positions", "max_position_embeddings"), 1024)
    map_dropouts(ctx, ("resid_pdrop", 0.1), ("attn_pdrop", 0.1), ("embd_pdrop", 0.1))
    ctx.ignore_if("add_cross_attention", False, "no cross-attention in a decoder-only GPT-2",
                  "cross-attention blocks (q_attn, c_attn, c_proj, ln_cross_attn: 4h^2 + 6h per layer) have no "
                  "field")
    ctx.ignore_if("reorder_and_upcast_attn", False, "attention in the input dtype (the default)",
                  "upcasts the attention scores to fp32 (more activation memory than code_path = gpt2 assumes); "
                  "no field")
    map_network(ctx)
    ctx.ignore({
        "n_ctx": "legacy duplicate of n_positions; not read by transformers",
        "layer_norm_epsilon": "normalisation epsilon",
        "scale_attn_weights": "attention scale; no parameters",
        "scale_attn_by_inverse_layer_idx": "attention scale; no parameters",
        "summary_type": "GPT2DoubleHeadsModel only",
        "summary_use_proj": "GPT2DoubleHeadsModel only",
        "summary_activation": "GPT2DoubleHeadsModel only",
        "summary_proj_to_labels": "GPT2DoubleHeadsModel only",
        "summary_first_dropout": "GPT2DoubleHeadsModel only",
    })


GPT2 = Family("gpt2", map_gpt2, config_class="GPT2Config", hf_class="GPT2LMHeadModel",
              modeling="modeling_gpt2.py")
