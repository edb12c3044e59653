"""OPT (learned positions with an offset of 2): transformers OPTConfig, modeling_opt.py."""

from __future__ import annotations

from capplan.tools.import_hf.context import ConfigError, Family, ImportContext
from capplan.tools.import_hf.common import (map_activation, map_dropouts, map_max_seq, map_tied, set_biases)


def map_opt(ctx: ImportContext) -> None:
    layers = ctx.int_("num_hidden_layers", 12)
    hidden = ctx.int_("hidden_size", 768)
    heads = ctx.int_("num_attention_heads", 12)
    ctx.set("layers", layers, "num_hidden_layers")
    ctx.set("hidden", hidden, "hidden_size")
    ctx.set("heads", heads, "num_attention_heads")
    if hidden % heads:
        raise ConfigError(f"hidden_size {hidden} is not divisible by num_attention_heads {heads}")
    ctx.set("ffn", ctx.int_("ffn_dim", 3072), "ffn_dim")
    ctx.set("mlp", "plain", "fc1, fc2")
    map_activation(ctx, "activation_function", ctx.str_("activation_function", "relu"))
    vocab = ctx.int_("vocab_size", 50272)
    ctx.set("vocab", vocab, "vocab_size")
    map_tied(ctx, True)
    ctx.set("norm", "layernorm", "self_attn_layer_norm, final_layer_norm")
    before = ctx.bool_("do_layer_norm_before", True)
    remove = ctx.bool_("_remove_final_layer_norm", False)
    if not before or remove:
        ctx.set("final_norm", False, "do_layer_norm_before false or _remove_final_layer_norm: no final norm")
    if not before:
        ctx.warn("do_layer_norm_before", "post-norm layers (OPT-350m style): the same parameters as pre-norm; "
                                         "the schema does not distinguish them", note=True)
    bias = ctx.bool_("enable_bias", True)
    set_biases(ctx, bias, bias, bias, "enable_bias")
    ctx.set("position", "learned", "OPTLearnedPositionalEmbedding")
    map_max_seq(ctx, ("max_position_embeddings",), 2048)
    ctx.set("position_offset", 2, "OPTLearnedPositionalEmbedding: max_position_embeddings + 2 rows")
    map_dropouts(ctx, ("dropout", 0.1), ("attention_dropout", 0.0))
    proj = ctx.int_("word_embed_proj_dim", None, null=None)
    if proj is not None and proj != hidden:
        extra = vocab * (proj - hidden) + 2 * hidden * proj
        ctx.lacks("word_embed_proj_dim", f"embeddings of width {proj} with project_in/project_out "
                                         f"({proj} <-> {hidden}, no bias): transformers instantiates "
                                         f"{abs(extra):,d} {'more' if extra > 0 else 'fewer'} parameters than "
                                         "this block counts; the schema has no embedding projection")
    elif ctx.has("word_embed_proj_dim"):
        ctx.ignored["word_embed_proj_dim"] = "equal to hidden_size (or null): no projection"
    if not ctx.bool_("layer_norm_elementwise_affine", True):
        n = (2 * layers + (0 if (not before or remove) else 1)) * 2 * hidden
        ctx.lacks("layer_norm_elementwise_affine", f"LayerNorms without weight or bias: transformers has {n:,d} "
                                                   "fewer parameters than this block; no field")
    ctx.ignore_if("activation_dropout", 0.0, "0: no dropout inside the MLP",
                  "dropout after the MLP activation (an extra mask of s*b*ffn bytes); no field")
    ctx.ignore({"layerdrop": "training-time layer skipping; no parameters",
                "init_std": "initialisation only"})


OPT = Family("opt", map_opt, config_class="OPTConfig", hf_class="OPTForCausalLM",
             modeling="modeling_opt.py")
