"""Pieces the family mappers share: the keys ignored as having no effect on parameters or memory,
the activation names, and the field mappings common to transformers' decoder configurations
(attention heads, head size, tied embeddings, dropouts, sliding windows, the llama-style core).

Each default cited here is the transformers configuration class's (`ctx.config_class`); the
mappers pass the class's own values in.
"""

from __future__ import annotations

from dataclasses import dataclass

from capplan.tools.import_hf.context import ConfigError, ImportContext

# ------------------------------------------------------------------ keys ignored by every family

_GENERATION = ("assistant_confidence_threshold", "assistant_lookbehind", "bad_words_ids",
               "begin_suppress_tokens", "diversity_penalty", "do_sample", "early_stopping",
               "encoder_no_repeat_ngram_size", "encoder_repetition_penalty", "epsilon_cutoff", "eta_cutoff",
               "exponential_decay_length_penalty", "forced_bos_token_id", "forced_eos_token_id",
               "length_penalty", "max_length", "min_length", "no_repeat_ngram_size", "num_assistant_tokens",
               "num_assistant_tokens_schedule", "num_beam_groups", "num_beams", "num_return_sequences",
               "output_scores", "remove_invalid_values", "repetition_penalty", "return_dict_in_generate",
               "suppress_tokens", "target_lookbehind", "temperature", "top_k", "top_p", "typical_p")

COMMON_IGNORED: dict[str, str] = {
    "architectures": "class names; capplan models the causal-LM class of the model_type",
    "transformers_version": "bookkeeping",
    "torch_dtype": "storage dtype of the checkpoint; formats come from the plan's precision recipe",
    "dtype": "storage dtype of the checkpoint; formats come from the plan's precision recipe",
    "use_cache": "runtime switch; the inference plan sizes the KV cache",
    "bos_token_id": "token id",
    "eos_token_id": "token id",
    "pad_token_id": "token id (the embedding's padding row is an ordinary row)",
    "sep_token_id": "token id",
    "decoder_start_token_id": "token id",
    "initializer_range": "initialisation only",
    "output_hidden_states": "runtime output switch",
    "output_attentions": "runtime output switch",
    "return_dict": "runtime output switch",
    "use_return_dict": "runtime output switch",
    "torchscript": "export switch",
    "chunk_size_feed_forward": "0 in decoders; no parameters",
    "id2label": "classification labels; the causal-LM head has vocab outputs",
    "label2id": "classification labels; the causal-LM head has vocab outputs",
    "num_labels": "classification labels; the causal-LM head has vocab outputs",
    "problem_type": "classification setting",
    "finetuning_task": "bookkeeping",
    "task_specific_params": "pipeline defaults",
    "tokenizer_class": "tokenizer bookkeeping",
    "prefix": "tokenizer/pipeline prefix",
    "auto_map": "points at remote code; the in-library transformers class is the reference",
    "_attn_implementation": "attention kernel choice: set `framework { attention = ... }` in the plan",
    "attn_implementation": "attention kernel choice: set `framework { attention = ... }` in the plan",
    "_attn_implementation_autoset": "bookkeeping",
    "_commit_hash": "bookkeeping",
    "name_or_path": "bookkeeping",
    "is_decoder": "decoder-only models; no parameters",
    "pruned_heads": "empty in published decoders",
    "tie_encoder_decoder": "encoder-decoder only",
    "cross_attention_hidden_size": "encoder-decoder only",
    **{k: "generation default (GenerationConfig); no parameters" for k in _GENERATION},
}

ROPE_IGNORED = {
    "rope_theta": "rotary base frequency: no parameters, no memory",
    "rope_scaling": "rotary scaling (YaRN/llama3/longrope): no parameters, no memory",
    "rope_parameters": "rotary parameters: no parameters, no memory",
    "partial_rotary_factor": "share of each head that is rotated: no parameters",
    "rope_interleave": "rotary layout: no parameters",
}
RMS_IGNORED = {"rms_norm_eps": "normalisation epsilon"}
MOE_IGNORED = {
    "output_router_logits": "training output switch (aux loss); no parameters",
    "router_aux_loss_coef": "loss weight; no parameters",
    "router_jitter_noise": "training noise; no parameters",
    "norm_topk_prob": "routing arithmetic; no parameters",
}

ACTIVATIONS = {"silu": "silu", "swish": "silu", "gelu": "gelu", "gelu_pytorch_tanh": "gelu_tanh",
               "gelu_new": "gelu_new", "relu": "relu", "relu2": "relu2"}


# ------------------------------------------------------------------ shared mappings

def map_activation(ctx: ImportContext, key: str, value: str | None, gemma_gelu: bool = False) -> None:
    if value is None:
        return
    if gemma_gelu and value == "gelu":
        ctx.set("activation", "gelu_tanh", f"{key} gelu: GemmaConfig turns it into gelu_pytorch_tanh")
        return
    if value in ACTIVATIONS:
        ctx.set("activation", ACTIVATIONS[value], f"{key} {value}" if ACTIVATIONS[value] != value else key)
        return
    ctx.lacks(key, f"activation {value!r} has no `activation` value (silu, gelu, gelu_tanh, gelu_new, relu, "
                   "relu2); the schema default (silu) stands")


def map_kv_heads(ctx: ImportContext, heads: int, absent_default: int | None) -> int:
    """num_key_value_heads: absent -> the class default; null -> heads (every __post_init__)."""
    if not ctx.has("num_key_value_heads"):
        kv = heads if absent_default is None else absent_default
        how = ("absent: defaults to num_attention_heads" if absent_default is None
               else f"absent: {ctx.config_class} default {absent_default}")
    else:
        kv = ctx.int_("num_key_value_heads", null=heads)
        how = "num_key_value_heads" + (" null: = num_attention_heads" if ctx.cfg["num_key_value_heads"] is None
                                       else "")
    if kv == 1:
        how += " (MQA)"
    elif kv < heads:
        how += " (GQA)"
    ctx.set("kv_heads", kv, how)
    return kv


def map_head_dim(ctx: ImportContext, hidden: int, heads: int, class_default: int | None) -> int:
    """head_dim: explicit, or the class default, or hidden // heads. Emitted only when it differs."""
    if ctx.has("head_dim") and ctx.cfg["head_dim"] is not None:
        hd = ctx.int_("head_dim")
        how = "head_dim"
    else:
        ctx.raw("head_dim")
        if class_default is not None:
            hd, how = class_default, f"head_dim absent: {ctx.config_class} default {class_default}"
        else:
            hd, how = hidden // heads, "hidden // heads"
    if hidden % heads or hd != hidden // heads:
        ctx.set("head_dim", hd, how + f" (hidden / heads = {hidden / heads:g})")
    return hd


def map_tied(ctx: ImportContext, default: bool) -> None:
    if ctx.has("tie_word_embeddings"):
        ctx.set("tied_embeddings", ctx.bool_("tie_word_embeddings", default), "tie_word_embeddings")
    else:
        ctx.set("tied_embeddings", default, f"tie_word_embeddings absent: {ctx.config_class} default")


def map_max_seq(ctx: ImportContext, keys: tuple[str, ...], default: int) -> int:
    present = any(ctx.has(k) for k in keys)
    value = ctx.int_(keys, default, null=default)
    ctx.set("max_seq", value, keys[0] if present else f"{keys[0]} absent: {ctx.config_class} default")
    return value


def map_dropouts(ctx: ImportContext, residual: tuple[str, float] | None, attention: tuple[str, float] | None,
                 embedding: tuple[str, float] | None = None) -> None:
    """Residual (and embedding) dropout -> dropout; attention-probability dropout -> attention_dropout."""
    d = 0.0
    if residual is not None:
        key, default = residual
        d = ctx.float_(key, default)
        if d:
            ctx.set("dropout", d, key if ctx.has(key) else f"{key} absent: {ctx.config_class} default")
    if attention is not None:
        key, default = attention
        a = ctx.float_(key, default)
        if a != d:
            ctx.set("attention_dropout", a, key if ctx.has(key) else f"{key} absent: {ctx.config_class} default")
    if embedding is not None:
        key, default = embedding
        e = ctx.float_(key, default)
        if e != d:
            ctx.warn(key, f"embedding dropout {e:g} differs from the residual dropout {d:g}; the schema has one "
                          "`dropout` (the residual branches), so the embedding dropout mask is sized with it",
                     note=True)


def map_sliding(ctx: ImportContext, window: int | None, layers: int, count: int, how: str) -> None:
    if window is None or window == 0 or count == 0:
        return
    ctx.set("sliding_window", window, how)
    if count != layers:
        ctx.set("sliding_window_layers", count, "layers whose layer_type is sliding_attention")


def count_sliding_layers(ctx: ImportContext, layers: int) -> int | None:
    if not ctx.has("layer_types") or ctx.cfg["layer_types"] is None:
        ctx.raw("layer_types")
        return None
    types = ctx.raw("layer_types")
    if not isinstance(types, list) or len(types) != layers or not all(isinstance(t, str) for t in types):
        raise ConfigError(f"`layer_types` must list one type name per layer ({layers})")
    legacy = {"sliding": "sliding_attention", "full": "full_attention"}
    return sum(1 for t in types if legacy.get(t, t) == "sliding_attention")


# ------------------------------------------------------------------ llama-style decoders

@dataclass(frozen=True)
class DecoderDefaults:
    """A llama-style configuration class's defaults, applied to the keys a config leaves out."""

    vocab: int
    hidden: int
    ffn: int
    layers: int
    heads: int
    kv_heads: int | None        # absent num_key_value_heads; None: = heads
    head_dim: int | None        # absent head_dim; None: hidden // heads
    act: str
    max_seq: int
    tied: bool


def map_decoder_core(ctx: ImportContext, d: DecoderDefaults, act_key: str = "hidden_act",
                     gemma_gelu: bool = False) -> dict:
    """The fields every llama-style decoder shares (layers, widths, heads, activation, vocabulary, rotary
    positions, RMSNorm); returns the sizes read."""
    layers = ctx.int_("num_hidden_layers", d.layers)
    hidden = ctx.int_("hidden_size", d.hidden)
    heads = ctx.int_("num_attention_heads", d.heads)
    ctx.set("layers", layers, "num_hidden_layers")
    ctx.set("hidden", hidden, "hidden_size")
    ctx.set("heads", heads, "num_attention_heads")
    kv = map_kv_heads(ctx, heads, d.kv_heads)
    hd = map_head_dim(ctx, hidden, heads, d.head_dim)
    ctx.set("mlp", "gated", "gate_proj, up_proj, down_proj")
    map_activation(ctx, act_key, ctx.str_(act_key, d.act), gemma_gelu)
    vocab = ctx.int_("vocab_size", d.vocab)
    ctx.set("vocab", vocab, "vocab_size")
    map_tied(ctx, d.tied)
    ctx.set("norm", "rmsnorm", "RMSNorm")
    ctx.set("position", "rope", "rotary")
    map_max_seq(ctx, ("max_position_embeddings",), d.max_seq)
    map_network(ctx)
    ctx.ignore(ROPE_IGNORED)
    ctx.ignore(RMS_IGNORED)
    return {"layers": layers, "hidden": hidden, "heads": heads, "kv_heads": kv, "head_dim": hd, "vocab": vocab}


ROPE_SCALINGS = ("llama3", "linear", "dynamic", "yarn", "longrope")


def map_network(ctx: ImportContext) -> None:
    """rope_theta, rope_scaling and the norm epsilon: no parameters, but the network differs without them
    (an export must pass them on), so they become `rope_base`, `rope_scaling(_factor)` and `norm_eps`."""
    base = ctx.cfg.get("rope_theta")
    if isinstance(base, (int, float)) and not isinstance(base, bool) and base > 0:
        ctx.set("rope_base", float(base), "rope_theta")
        ctx.accounted.add("rope_theta")
    scaling = ctx.cfg.get("rope_scaling")
    if isinstance(scaling, dict):
        kind = scaling.get("rope_type", scaling.get("type"))
        if kind in ROPE_SCALINGS:
            ctx.set("rope_scaling", kind, "rope_scaling.rope_type")
            factor = scaling.get("factor")
            if isinstance(factor, (int, float)) and not isinstance(factor, bool):
                ctx.set("rope_scaling_factor", float(factor), "rope_scaling.factor")
            ctx.accounted.add("rope_scaling")
    eps = ctx.cfg.get("rms_norm_eps", ctx.cfg.get("layer_norm_epsilon", ctx.cfg.get("layer_norm_eps")))
    if isinstance(eps, (int, float)) and not isinstance(eps, bool) and eps > 0:
        used = next(k for k in ("rms_norm_eps", "layer_norm_epsilon", "layer_norm_eps") if k in ctx.cfg)
        ctx.set("norm_eps", float(eps), used)
        ctx.accounted.add(used)


def map_dense_ffn(ctx: ImportContext, default: int) -> int:
    ffn = ctx.int_("intermediate_size", default)
    ctx.set("ffn", ffn, "intermediate_size" if ctx.has("intermediate_size")
            else f"intermediate_size absent: {ctx.config_class} default")
    return ffn


def set_biases(ctx: ImportContext, qkv: bool, out: bool, mlp: bool, how: str) -> None:
    ctx.set("qkv_bias", qkv, how)
    ctx.set("out_bias", out, how)
    ctx.set("mlp_bias", mlp, how)
