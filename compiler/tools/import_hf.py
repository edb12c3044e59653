"""`capplan import-hf`: turn a Hugging Face config.json into a `model` block.

Each supported `model_type` has an importer that reads the keys its transformers
configuration class and modeling code read, applies the same defaults when a
key is absent (the class defaults and `__post_init__` rules of transformers
5.x, e.g. FalconConfig ffn_hidden_size = 4 * hidden_size, Qwen3Config
head_dim = 128, MistralConfig num_key_value_heads = 8), and sets the schema
fields that reproduce the parameter count transformers instantiates.

Every key of the config is accounted for, in one of four ways:

* mapped to a field (each field line names the keys it came from);
* ignored: on a per-family list of keys known to have no effect on parameters
  or memory (rope_theta, token ids, initializer_range, ...), with the reason
  (`ImportResult.ignored`; printed only with `--show-ignored`);
* noted: read, but belonging elsewhere in a plan (quantization_config: the
  weight format is the inference plan's `weights`) -- a warning;
* unmapped: unknown keys, and keys whose effect the schema cannot express
  (OPT word_embed_proj_dim != hidden_size, DeepSeek MTP layers, ...). These
  are listed in `ImportResult.unmapped`, written as `# UNMAPPED` comments in
  the block and warned about; `--strict` makes them an error.

Nothing here imports torch or transformers: the rules are written out.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable

from capplan.core.atomic import write_atomically
from capplan.check.schema import MODEL, MLA, MOE
from capplan.core.source import read_config
from capplan.core.exits import EXIT_OK, EXIT_USER, EXIT_USAGE


_REQUIRED = object()   # no default: the key must be present
_MISSING = object()    # the key is absent


class ConfigError(Exception):
    """A config that cannot be imported (wrong types, missing required keys)."""


@dataclass
class ImportResult:
    text: str = ""
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (key, message)
    unmapped: list[str] = field(default_factory=list)                # keys, sorted
    mapped: list[str] = field(default_factory=list)                  # keys read into fields (or noted), sorted
    ignored: list[tuple[str, str]] = field(default_factory=list)     # (key, reason)
    error: str | None = None
    model_type: str | None = None
    hf_class: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)            # emitted values (moe/mla: dicts)

    @property
    def ok(self) -> bool:
        return self.error is None


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
               "gelu_new": "gelu_new", "relu": "relu"}

# Causal-LM class names -> model_type (for configs without model_type, e.g. GPT-2's first config.json)
ARCHITECTURES = {
    "LlamaForCausalLM": "llama", "MistralForCausalLM": "mistral", "MixtralForCausalLM": "mixtral",
    "Qwen2ForCausalLM": "qwen2", "Qwen2MoeForCausalLM": "qwen2_moe", "Qwen3ForCausalLM": "qwen3",
    "GemmaForCausalLM": "gemma", "Gemma2ForCausalLM": "gemma2", "Phi3ForCausalLM": "phi3",
    "GPT2LMHeadModel": "gpt2", "OPTForCausalLM": "opt", "FalconForCausalLM": "falcon",
    "DeepseekV2ForCausalLM": "deepseek_v2", "DeepseekV3ForCausalLM": "deepseek_v3",
}

KEYWORDS = {"import", "const", "from", "for", "require", "vary", "in", "minimize", "maximize", "true",
            "false", "not", "and", "or"}


# ------------------------------------------------------------------ the per-import context

class _Ctx:
    def __init__(self, config: dict, model_type: str):
        self.cfg = config
        self.model_type = model_type
        self.accounted: set[str] = set()
        self.ignored: dict[str, str] = {}
        self.warnings: list[tuple[str, str]] = []
        self.unmapped: dict[str, str] = {}
        self.notes: list[tuple[str, str]] = []          # ("UNMAPPED"|"NOTE", text) comments in the block
        self.fields: dict[str, tuple[Any, str]] = {}    # field -> (value, comment)
        self.moe: dict[str, tuple[Any, str]] = {}
        self.mla: dict[str, tuple[Any, str]] = {}

    # -- reading keys
    def has(self, key: str) -> bool:
        return key in self.cfg

    def raw(self, key: str, default: Any = None) -> Any:
        """The value as given (JSON null stays None), marking the key as mapped."""
        if key in self.cfg:
            self.accounted.add(key)
            return self.cfg[key]
        return default

    def first(self, keys: tuple[str, ...], default: Any = None) -> tuple[Any, str | None]:
        """The first present alias (transformers attribute_map); warns when aliases disagree."""
        found = [(k, self.cfg[k]) for k in keys if k in self.cfg]
        for k, _ in found:
            self.accounted.add(k)
        if not found:
            return default, None
        values = {json.dumps(v, sort_keys=True) for _, v in found}
        if len(values) > 1:
            self.warn(found[0][0], "aliases disagree: " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in found)
                      + f"; using {found[0][0]}")
        return found[0][1], found[0][0]

    def int_(self, key: str | tuple[str, ...], default: Any = _REQUIRED, *, allow_zero: bool = False,
             null: Any = _REQUIRED) -> int | None:
        """A whole-number key. `default` applies when absent; `null` when the value is JSON null
        (by default null is an error unless `default` is None)."""
        keys = (key,) if isinstance(key, str) else key
        value, used = self.first(keys, _MISSING)
        if value is _MISSING:
            if default is _REQUIRED:
                raise ConfigError(f"`{keys[0]}` is missing and transformers has no default for it")
            return default
        if value is None:
            if null is not _REQUIRED:
                return null
            if default is None:
                return None
            raise ConfigError(f"`{used}` is null; expected a whole number")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or value != int(value):
            raise ConfigError(f"`{used}` = {json.dumps(value)}: expected a whole number")
        value = int(value)
        if value < 0 or (value == 0 and not allow_zero):
            raise ConfigError(f"`{used}` = {value}: expected a {'non-negative' if allow_zero else 'positive'} "
                              "whole number")
        return value

    def bool_(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise ConfigError(f"`{key}` = {json.dumps(value)}: expected true or false")
        return value

    def float_(self, key: str | tuple[str, ...], default: float) -> float:
        keys = (key,) if isinstance(key, str) else key
        value, used = self.first(keys, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(f"`{used}` = {json.dumps(value)}: expected a number")
        return float(value)

    def str_(self, key: str | tuple[str, ...], default: str | None) -> str | None:
        keys = (key,) if isinstance(key, str) else key
        value, used = self.first(keys, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise ConfigError(f"`{used}` = {json.dumps(value)}: expected a string")
        return value

    # -- classifying keys
    def ignore(self, table: dict[str, str]) -> None:
        for key, reason in table.items():
            if key in self.cfg and key not in self.accounted and key not in self.unmapped:
                self.ignored[key] = reason
                self.accounted.add(key)

    def ignore_if(self, key: str, expected: Any, reason: str, lacking: str) -> None:
        """Ignored when it has its harmless value; otherwise the schema lacks what it does."""
        if key not in self.cfg:
            return
        self.accounted.add(key)
        value = self.cfg[key]
        if value == expected or (value is None and expected in (False, 0, None)):
            self.ignored[key] = reason
        else:
            self.lacks(key, lacking)

    def warn(self, key: str, message: str, note: bool = False) -> None:
        self.warnings.append((key, message))
        if note:
            self.notes.append(("NOTE", f"{key}: {message}"))

    def lacks(self, key: str, message: str) -> None:
        """Read and understood, but the schema has no field for its effect."""
        self.accounted.add(key)
        self.unmapped[key] = message
        self.warnings.append((key, "unmapped: " + message))
        shown = json.dumps(self.cfg.get(key), sort_keys=True)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        self.notes.append(("UNMAPPED", f"{key} = {shown}: {message}"))

    # -- setting fields
    def set(self, name: str, value: Any, comment: str = "") -> None:
        assert name in MODEL.fields, name
        self.fields[name] = (value, comment)

    def set_moe(self, name: str, value: Any, comment: str = "") -> None:
        assert name in MOE.fields, name
        self.moe[name] = (value, comment)

    def set_mla(self, name: str, value: Any, comment: str = "") -> None:
        assert name in MLA.fields, name
        self.mla[name] = (value, comment)



# ------------------------------------------------------------------ shared pieces

def _activation(ctx: _Ctx, key: str, value: str | None, gemma_gelu: bool = False) -> None:
    if value is None:
        return
    if gemma_gelu and value == "gelu":
        ctx.set("activation", "gelu_tanh", f"{key} gelu: GemmaConfig turns it into gelu_pytorch_tanh")
        return
    if value in ACTIVATIONS:
        ctx.set("activation", ACTIVATIONS[value], f"{key} {value}" if ACTIVATIONS[value] != value else key)
        return
    ctx.lacks(key, f"activation {value!r} has no `activation` value (silu, gelu, gelu_tanh, gelu_new, relu); "
                   "the schema default (silu) stands")


def _kv_heads(ctx: _Ctx, heads: int, absent_default: int | None) -> int:
    """num_key_value_heads: absent -> the class default; null -> heads (every __post_init__)."""
    if not ctx.has("num_key_value_heads"):
        kv = heads if absent_default is None else absent_default
        how = ("absent: defaults to num_attention_heads" if absent_default is None
               else f"absent: {_class(ctx)} default {absent_default}")
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


def _head_dim(ctx: _Ctx, hidden: int, heads: int, class_default: int | None) -> int:
    """head_dim: explicit, or the class default, or hidden // heads. Emitted only when it differs."""
    if ctx.has("head_dim") and ctx.cfg["head_dim"] is not None:
        hd = ctx.int_("head_dim")
        how = "head_dim"
    else:
        ctx.raw("head_dim")
        if class_default is not None:
            hd, how = class_default, f"head_dim absent: {_class(ctx)} default {class_default}"
        else:
            hd, how = hidden // heads, "hidden // heads"
    if hidden % heads or hd != hidden // heads:
        ctx.set("head_dim", hd, how + f" (hidden / heads = {hidden / heads:g})")
    return hd


def _tied(ctx: _Ctx, default: bool) -> None:
    if ctx.has("tie_word_embeddings"):
        ctx.set("tied_embeddings", ctx.bool_("tie_word_embeddings", default), "tie_word_embeddings")
    else:
        ctx.set("tied_embeddings", default, f"tie_word_embeddings absent: {_class(ctx)} default")


def _max_seq(ctx: _Ctx, keys: tuple[str, ...], default: int) -> int:
    present = any(ctx.has(k) for k in keys)
    value = ctx.int_(keys, default, null=default)
    ctx.set("max_seq", value, keys[0] if present else f"{keys[0]} absent: {_class(ctx)} default")
    return value


def _dropouts(ctx: _Ctx, residual: tuple[str, float] | None, attention: tuple[str, float] | None,
              embedding: tuple[str, float] | None = None) -> None:
    """Residual (and embedding) dropout -> dropout; attention-probability dropout -> attention_dropout."""
    d = 0.0
    if residual is not None:
        key, default = residual
        d = ctx.float_(key, default)
        if d:
            ctx.set("dropout", d, key if ctx.has(key) else f"{key} absent: {_class(ctx)} default")
    if attention is not None:
        key, default = attention
        a = ctx.float_(key, default)
        if a != d:
            ctx.set("attention_dropout", a, key if ctx.has(key) else f"{key} absent: {_class(ctx)} default")
    if embedding is not None:
        key, default = embedding
        e = ctx.float_(key, default)
        if e != d:
            ctx.warn(key, f"embedding dropout {e:g} differs from the residual dropout {d:g}; the schema has one "
                          "`dropout` (the residual branches), so the embedding dropout mask is sized with it",
                     note=True)


def _class(ctx: _Ctx) -> str:
    """The transformers configuration class whose defaults apply."""
    return CONFIG_CLASSES[ctx.model_type]


def _sliding(ctx: _Ctx, window: int | None, layers: int, count: int, how: str) -> None:
    if window is None or window == 0 or count == 0:
        return
    ctx.set("sliding_window", window, how)
    if count != layers:
        ctx.set("sliding_window_layers", count, "layers whose layer_type is sliding_attention")


def _layer_types_count(ctx: _Ctx, layers: int) -> int | None:
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
class _Defaults:
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


def _decoder_core(ctx: _Ctx, d: _Defaults, act_key: str = "hidden_act", gemma_gelu: bool = False) -> dict:
    layers = ctx.int_("num_hidden_layers", d.layers)
    hidden = ctx.int_("hidden_size", d.hidden)
    heads = ctx.int_("num_attention_heads", d.heads)
    ctx.set("layers", layers, "num_hidden_layers")
    ctx.set("hidden", hidden, "hidden_size")
    ctx.set("heads", heads, "num_attention_heads")
    kv = _kv_heads(ctx, heads, d.kv_heads)
    hd = _head_dim(ctx, hidden, heads, d.head_dim)
    ctx.set("mlp", "gated", "gate_proj, up_proj, down_proj")
    _activation(ctx, act_key, ctx.str_(act_key, d.act), gemma_gelu)
    vocab = ctx.int_("vocab_size", d.vocab)
    ctx.set("vocab", vocab, "vocab_size")
    _tied(ctx, d.tied)
    ctx.set("norm", "rmsnorm", "RMSNorm")
    ctx.set("position", "rope", "rotary")
    _max_seq(ctx, ("max_position_embeddings",), d.max_seq)
    _network(ctx)
    ctx.ignore(ROPE_IGNORED)
    ctx.ignore(RMS_IGNORED)
    return {"layers": layers, "hidden": hidden, "heads": heads, "kv_heads": kv, "head_dim": hd, "vocab": vocab}


ROPE_SCALINGS = ("llama3", "linear", "dynamic", "yarn", "longrope")


def _network(ctx: _Ctx) -> None:
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


def _dense_ffn(ctx: _Ctx, default: int) -> int:
    ffn = ctx.int_("intermediate_size", default)
    ctx.set("ffn", ffn, "intermediate_size" if ctx.has("intermediate_size")
            else f"intermediate_size absent: {_class(ctx)} default")
    return ffn


def _biases(ctx: _Ctx, qkv: bool, out: bool, mlp: bool, how: str) -> None:
    ctx.set("qkv_bias", qkv, how)
    ctx.set("out_bias", out, how)
    ctx.set("mlp_bias", mlp, how)


def _llama(ctx: _Ctx) -> None:
    d = _Defaults(32000, 4096, 11008, 32, 32, None, None, "silu", 2048, False)
    _decoder_core(ctx, d)
    _dense_ffn(ctx, d.ffn)
    ab = ctx.bool_("attention_bias", False)
    mb = ctx.bool_("mlp_bias", False)
    ctx.set("qkv_bias", ab, "attention_bias")
    ctx.set("out_bias", ab, "attention_bias (o_proj too)")
    ctx.set("mlp_bias", mb, "mlp_bias")
    _dropouts(ctx, None, ("attention_dropout", 0.0))
    ctx.ignore({"pretraining_tp": "tensor-parallel slicing used in pretraining; same weights"})


def _mistral(ctx: _Ctx) -> None:
    d = _Defaults(32000, 4096, 14336, 32, 32, 8, None, "silu", 4096 * 32, False)
    c = _decoder_core(ctx, d)
    _dense_ffn(ctx, d.ffn)
    _biases(ctx, False, False, False, "MistralAttention/MLP have no biases")
    _dropouts(ctx, None, ("attention_dropout", 0.0))
    window = ctx.int_("sliding_window", 4096, null=None)
    _sliding(ctx, window, c["layers"], c["layers"],
             "sliding_window, every layer" if ctx.has("sliding_window")
             else "sliding_window absent: MistralConfig default 4096, every layer")


def _mixtral(ctx: _Ctx) -> None:
    d = _Defaults(32000, 4096, 14336, 32, 32, 8, None, "silu", 4096 * 32, False)
    c = _decoder_core(ctx, d)
    ffn = _dense_ffn(ctx, d.ffn)
    _biases(ctx, False, False, False, "MixtralAttention and the experts have no biases")
    _dropouts(ctx, None, ("attention_dropout", 0.0))
    window = ctx.int_("sliding_window", None, null=None)
    _sliding(ctx, window, c["layers"], c["layers"], "sliding_window, every layer")
    experts = ctx.int_(("num_local_experts", "num_experts"), 8)
    topk = ctx.int_("num_experts_per_tok", 2)
    ctx.set_moe("experts", experts, "num_local_experts")
    ctx.set_moe("experts_per_token", topk, "num_experts_per_tok")
    ctx.set_moe("expert_ffn", ffn, "intermediate_size (each expert)")
    ctx.set_moe("shared_experts", 0, "none")
    ctx.set_moe("dense_layers", 0, "every layer is MoE")
    ctx.set_moe("router_bias", False, "gate: Linear(hidden, experts), no bias")
    ctx.ignore(MOE_IGNORED)


def _qwen_sliding(ctx: _Ctx, layers: int) -> None:
    """Qwen2/Qwen3: a window only with use_sliding_window, on layers >= max_window_layers."""
    use = ctx.bool_("use_sliding_window", False)
    window = ctx.int_("sliding_window", 4096, null=None)
    mwl = ctx.int_("max_window_layers", 28, allow_zero=True)
    counted = _layer_types_count(ctx, layers)
    if not use:
        for k in ("sliding_window", "max_window_layers", "layer_types"):
            if ctx.has(k):
                ctx.ignored[k] = "use_sliding_window is false: no layer uses a window"
        return
    count = counted if counted is not None else max(0, layers - mwl)
    _sliding(ctx, window, layers, count, "sliding_window (use_sliding_window; layers >= max_window_layers)")


def _qwen2(ctx: _Ctx) -> None:
    d = _Defaults(151936, 4096, 22016, 32, 32, 32, None, "silu", 32768, False)
    c = _decoder_core(ctx, d)
    _dense_ffn(ctx, d.ffn)
    ctx.set("qkv_bias", True, "Qwen2Attention: q/k/v_proj bias=True")
    ctx.set("out_bias", False, "o_proj bias=False")
    ctx.set("mlp_bias", False, "Qwen2MLP has no biases")
    _dropouts(ctx, None, ("attention_dropout", 0.0))
    _qwen_sliding(ctx, c["layers"])


def _qwen3(ctx: _Ctx) -> None:
    d = _Defaults(151936, 4096, 22016, 32, 32, 32, 128, "silu", 32768, False)
    c = _decoder_core(ctx, d)
    _dense_ffn(ctx, d.ffn)
    ab = ctx.bool_("attention_bias", False)
    ctx.set("qk_norm", True, "q_norm, k_norm: RMSNorm(head_dim)")
    ctx.set("qkv_bias", ab, "attention_bias")
    ctx.set("out_bias", ab, "attention_bias (o_proj too)")
    ctx.set("mlp_bias", False, "Qwen3MLP has no biases")
    _dropouts(ctx, None, ("attention_dropout", 0.0))
    _qwen_sliding(ctx, c["layers"])


def _qwen2_moe(ctx: _Ctx) -> None:
    d = _Defaults(151936, 2048, 5632, 24, 16, 16, None, "silu", 32768, False)
    c = _decoder_core(ctx, d)
    layers = c["layers"]
    qkv = ctx.bool_("qkv_bias", True)
    ctx.set("qkv_bias", qkv, "qkv_bias")
    ctx.set("out_bias", False, "o_proj bias=False")
    ctx.set("mlp_bias", False, "experts and MLPs have no biases")
    _dropouts(ctx, None, ("attention_dropout", 0.0))
    # sliding: sliding_window only with use_sliding_window; layers i < max_window_layers with i even
    use = ctx.bool_("use_sliding_window", False)
    window = ctx.int_("sliding_window", 4096, null=None)
    mwl = ctx.int_("max_window_layers", 28, allow_zero=True)
    counted = _layer_types_count(ctx, layers)
    if use:
        count = counted if counted is not None else (min(layers, mwl) + 1) // 2   # i < mwl, i even
        _sliding(ctx, window, layers, count, "sliding_window (use_sliding_window)")
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


def _gemma(ctx: _Ctx) -> None:
    d = _Defaults(256000, 3072, 24576, 28, 16, 16, 256, "gelu_pytorch_tanh", 8192, True)
    _decoder_core(ctx, d, gemma_gelu=True)
    _dense_ffn(ctx, d.ffn)
    ab = ctx.bool_("attention_bias", False)
    ctx.set("qkv_bias", ab, "attention_bias")
    ctx.set("out_bias", ab, "attention_bias (o_proj too)")
    ctx.set("mlp_bias", False, "GemmaMLP has no biases")
    _dropouts(ctx, None, ("attention_dropout", 0.0))
    _unread_activation(ctx, "hidden_activation", "GemmaMLP reads hidden_act")
    ctx.ignore({"use_bidirectional_attention": "attention mask only; no parameters"})


def _unread_activation(ctx: _Ctx, key: str, why: str) -> None:
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


def _gemma2(ctx: _Ctx) -> None:
    d = _Defaults(256000, 2304, 9216, 26, 8, 4, 256, "gelu_pytorch_tanh", 8192, True)
    c = _decoder_core(ctx, d, act_key="hidden_activation")
    _dense_ffn(ctx, d.ffn)
    ctx.set("norms_per_layer", 4, "input, post_attention, pre_ and post_feedforward_layernorm")
    ab = ctx.bool_("attention_bias", False)
    ctx.set("qkv_bias", ab, "attention_bias")
    ctx.set("out_bias", ab, "attention_bias (o_proj too)")
    ctx.set("mlp_bias", False, "Gemma2MLP has no biases")
    _dropouts(ctx, None, ("attention_dropout", 0.0))
    _unread_activation(ctx, "hidden_act", "Gemma2MLP reads hidden_activation")
    window = ctx.int_("sliding_window", 4096, null=None)
    counted = _layer_types_count(ctx, c["layers"])
    count = counted if counted is not None else (c["layers"] + 1) // 2
    _sliding(ctx, window, c["layers"], count, "sliding_window on layers 0, 2, 4, ... (layer_types)")
    ctx.ignore({
        "query_pre_attn_scalar": "attention scale; no parameters",
        "attn_logit_softcapping": "tanh cap on attention scores; no parameters",
        "final_logit_softcapping": "tanh cap on logits; no parameters",
        "cache_implementation": "generation cache choice (hybrid); the plan sizes the KV cache",
        "sliding_window_size": "legacy duplicate of sliding_window; not read by transformers",
        "use_bidirectional_attention": "attention mask only; no parameters",
    })


def _phi3(ctx: _Ctx) -> None:
    d = _Defaults(32064, 3072, 8192, 32, 32, None, None, "silu", 4096, False)
    c = _decoder_core(ctx, d)
    _dense_ffn(ctx, d.ffn)
    _biases(ctx, False, False, False, "qkv_proj, o_proj, gate_up_proj, down_proj: no biases (fused, same count)")
    _dropouts(ctx, ("resid_pdrop", 0.0), ("attention_dropout", 0.0), ("embd_pdrop", 0.0))
    window = ctx.int_("sliding_window", None, null=None)
    _sliding(ctx, window, c["layers"], c["layers"], "sliding_window, every layer")
    ctx.ignore({"original_max_position_embeddings": "length the rotary scaling refers to; no parameters"})


# ------------------------------------------------------------------ DeepSeek (MLA + MoE)

def _deepseek(ctx: _Ctx, v3: bool) -> None:
    if v3:
        d = _Defaults(129280, 7168, 18432, 61, 128, 128, None, "silu", 4096, False)
    else:
        d = _Defaults(102400, 4096, 11008, 32, 32, None, None, "silu", 2048, False)
    layers = ctx.int_("num_hidden_layers", d.layers)
    hidden = ctx.int_("hidden_size", d.hidden)
    heads = ctx.int_("num_attention_heads", d.heads)
    ctx.set("layers", layers, "num_hidden_layers")
    ctx.set("hidden", hidden, "hidden_size")
    ctx.set("heads", heads, "num_attention_heads")
    _kv_heads(ctx, heads, d.kv_heads)
    if ctx.has("head_dim"):
        ctx.ignored["head_dim"] = "__post_init__ overwrites it with qk_rope_head_dim; MLA sizes come from mla {}"
        ctx.accounted.add("head_dim")
    ctx.set("mlp", "gated", "gate_proj, up_proj, down_proj")
    _activation(ctx, "hidden_act", ctx.str_("hidden_act", d.act))
    vocab = ctx.int_("vocab_size", d.vocab)
    ctx.set("vocab", vocab, "vocab_size")
    _tied(ctx, d.tied)
    ctx.set("norm", "rmsnorm", "RMSNorm")
    ab = ctx.bool_("attention_bias", False)
    ctx.set("qkv_bias", False, "q_proj / q_b_proj / kv_b_proj have no bias")
    ctx.set("out_bias", ab, "attention_bias (o_proj)")
    if ab:
        ctx.lacks("attention_bias", "q_a_proj and kv_a_proj_with_mqa also get biases (q_lora_rank + kv_lora_rank "
                                    "+ qk_rope_head_dim per layer); the schema's MLA has no field for them")
    mb = ctx.bool_("mlp_bias", False) if not v3 else False
    ctx.set("mlp_bias", False, "no MLP biases" if not mb else "mlp_bias (dense and shared MLPs only)")
    if mb:
        ctx.lacks("mlp_bias", "biases on the dense and shared-expert MLPs but not on the routed experts; the "
                              "schema's mlp_bias applies to all of them")
    ctx.set("position", "rope", "rotary (decoupled, qk_rope_head_dim)")
    _max_seq(ctx, ("max_position_embeddings",), d.max_seq)
    _network(ctx)
    ctx.ignore(ROPE_IGNORED)
    ctx.ignore(RMS_IGNORED)
    _dropouts(ctx, None, ("attention_dropout", 0.0))
    # MLA
    ctx.set("attention", "mla", "q_lora_rank / kv_lora_rank: multi-head latent attention")
    q_lora = ctx.int_("q_lora_rank", 1536, null=None)
    if q_lora is not None:
        ctx.set_mla("q_lora_rank", q_lora, "q_lora_rank")
    else:
        ctx.notes.append(("NOTE", "q_lora_rank = null: queries are not compressed (q_proj: hidden -> heads * "
                                  "(qk_nope + qk_rope)), so mla.q_lora_rank is omitted"))
    ctx.set_mla("kv_lora_rank", ctx.int_("kv_lora_rank", 512), "kv_lora_rank")
    ctx.set_mla("qk_nope_head_dim", ctx.int_("qk_nope_head_dim", 128), "qk_nope_head_dim")
    ctx.set_mla("qk_rope_head_dim", ctx.int_("qk_rope_head_dim", 64), "qk_rope_head_dim")
    ctx.set_mla("v_head_dim", ctx.int_("v_head_dim", 128), "v_head_dim")
    if hidden % heads:
        ctx.set("head_dim", ctx.mla["qk_rope_head_dim"][0],
                "hidden is not divisible by heads: transformers sets head_dim = qk_rope_head_dim")
    # MoE: layers >= first_k_dense_replace are MoE (transformers ignores moe_layer_freq)
    first_k = ctx.int_("first_k_dense_replace", 3 if v3 else 0, allow_zero=True, null=3 if v3 else 0)
    ffn = ctx.int_("intermediate_size", d.ffn)
    experts = ctx.int_(("n_routed_experts", "num_local_experts" if v3 else "num_experts"), 256 if v3 else 64)
    topk = ctx.int_("num_experts_per_tok", 8 if v3 else None)
    expert_ffn = ctx.int_("moe_intermediate_size", 2048 if v3 else 1407)
    shared = ctx.int_("n_shared_experts", 1 if v3 else 2, allow_zero=True)
    freq = ctx.raw("moe_layer_freq", None)
    if freq not in (None, 1):
        ctx.lacks("moe_layer_freq", f"DeepSeek's own code makes only every {freq}th layer MoE; transformers "
                                    "ignores the key (every layer from first_k_dense_replace on is MoE), as "
                                    "this import does; the schema cannot interleave dense layers")
    elif freq == 1:
        ctx.ignored["moe_layer_freq"] = "1: every layer from first_k_dense_replace on is MoE"
    ctx.ignore(MOE_IGNORED)
    ctx.ignore({
        "routed_scaling_factor": "routing arithmetic; no parameters",
        "n_group": "group-limited routing; no parameters",
        "topk_group": "group-limited routing; no parameters",
        "scoring_func": "routing arithmetic; no parameters",
        "seq_aux": "training loss setting",
        "aux_loss_alpha": "training loss weight",
        "ep_size": "expert-parallel size of the original training code; set `parallel { expert }` in the plan",
        "pretraining_tp": "tensor-parallel slicing used in pretraining; same weights",
    })
    if v3:
        ctx.ignore({"topk_method": "transformers' DeepseekV3 always routes noaux_tc with e_score_correction_bias "
                                   "(a buffer, not a parameter)"})
    else:
        ctx.ignore({"topk_method": "greedy / group_limited_greedy routing; no parameters in DeepseekV2"})
    mtp_key = "num_nextn_predict_layers" if ctx.has("num_nextn_predict_layers") else "num_mtp_layers"
    mtp = ctx.int_(mtp_key, 0, allow_zero=True, null=0) if ctx.has(mtp_key) else 0
    if mtp:
        ctx.lacks(mtp_key, f"{mtp} multi-token-prediction module(s) (one MoE decoder layer + eh_proj 2h*h + 3 "
                           "norms each, plus checkpoint copies of the embedding and head): transformers does "
                           "not instantiate them and the schema has no field; not counted")
    elif ctx.has(mtp_key):
        ctx.ignored[mtp_key] = "0: no multi-token-prediction module"
    if first_k >= layers:
        ctx.set("ffn", ffn, "intermediate_size: first_k_dense_replace >= layers, every layer is dense")
        for k in ("n_routed_experts", "num_experts_per_tok", "moe_intermediate_size", "n_shared_experts"):
            if ctx.has(k):
                ctx.ignored[k] = "no layer has experts"
        return
    if topk is None:
        raise ConfigError("`num_experts_per_tok` is missing (DeepseekV2Config default None); the moe block "
                          "needs experts_per_token")
    if first_k:
        ctx.set("ffn", ffn, "intermediate_size (the dense MLP of the first layer)" if first_k == 1
                else f"intermediate_size (the dense MLP of the first {first_k} layers)")
    else:
        ctx.notes.append(("NOTE", f"intermediate_size = {ffn}: first_k_dense_replace = 0, no dense MLP uses it"))
    ctx.set_moe("experts", experts, "n_routed_experts")
    ctx.set_moe("experts_per_token", topk, "num_experts_per_tok")
    ctx.set_moe("expert_ffn", expert_ffn, "moe_intermediate_size")
    ctx.set_moe("shared_experts", shared, "n_shared_experts: one MLP of n_shared_experts * moe_intermediate_size")
    ctx.set_moe("dense_layers", first_k, "first_k_dense_replace")
    ctx.set_moe("router_bias", v3, "e_score_correction_bias (noaux_tc; a buffer)" if v3
                else "DeepseekV2 router: weight only")


# ------------------------------------------------------------------ GPT-2, OPT, Falcon

def _gpt2(ctx: _Ctx) -> None:
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
    _activation(ctx, "activation_function", ctx.str_("activation_function", "gelu_new"))
    ctx.set("code_path", "gpt2", "modeling_gpt2.py: fused c_attn")
    ctx.set("vocab", ctx.int_("vocab_size", 50257), "vocab_size")
    _tied(ctx, True)
    ctx.set("norm", "layernorm", "ln_1, ln_2, ln_f")
    _biases(ctx, True, True, True, "Conv1D layers always have biases")
    ctx.set("position", "learned", "wpe")
    _max_seq(ctx, ("n_positions", "max_position_embeddings"), 1024)
    _dropouts(ctx, ("resid_pdrop", 0.1), ("attn_pdrop", 0.1), ("embd_pdrop", 0.1))
    ctx.ignore_if("add_cross_attention", False, "no cross-attention in a decoder-only GPT-2",
                  "cross-attention blocks (q_attn, c_attn, c_proj, ln_cross_attn: 4h^2 + 6h per layer) have no "
                  "field")
    ctx.ignore_if("reorder_and_upcast_attn", False, "attention in the input dtype (the default)",
                  "upcasts the attention scores to fp32 (more activation memory than code_path = gpt2 assumes); "
                  "no field")
    _network(ctx)
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


def _opt(ctx: _Ctx) -> None:
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
    _activation(ctx, "activation_function", ctx.str_("activation_function", "relu"))
    vocab = ctx.int_("vocab_size", 50272)
    ctx.set("vocab", vocab, "vocab_size")
    _tied(ctx, True)
    ctx.set("norm", "layernorm", "self_attn_layer_norm, final_layer_norm")
    before = ctx.bool_("do_layer_norm_before", True)
    remove = ctx.bool_("_remove_final_layer_norm", False)
    if not before or remove:
        ctx.set("final_norm", False, "do_layer_norm_before false or _remove_final_layer_norm: no final norm")
    if not before:
        ctx.warn("do_layer_norm_before", "post-norm layers (OPT-350m style): the same parameters as pre-norm; "
                                         "the schema does not distinguish them", note=True)
    bias = ctx.bool_("enable_bias", True)
    _biases(ctx, bias, bias, bias, "enable_bias")
    ctx.set("position", "learned", "OPTLearnedPositionalEmbedding")
    _max_seq(ctx, ("max_position_embeddings",), 2048)
    ctx.set("position_offset", 2, "OPTLearnedPositionalEmbedding: max_position_embeddings + 2 rows")
    _dropouts(ctx, ("dropout", 0.1), ("attention_dropout", 0.0))
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


def _falcon(ctx: _Ctx) -> None:
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
    _activation(ctx, "activation", ctx.str_("activation", "gelu"))
    ctx.set("vocab", ctx.int_("vocab_size", 65024), "vocab_size")
    _tied(ctx, True)
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
    _biases(ctx, bias, bias, bias, "bias")
    alibi = ctx.bool_("alibi", False)
    ctx.set("position", "alibi" if alibi else "rope", "alibi" if alibi else "alibi false: rotary")
    _max_seq(ctx, ("max_position_embeddings",), 2048)
    _dropouts(ctx, ("hidden_dropout", 0.0), ("attention_dropout", 0.0))
    _network(ctx)
    ctx.ignore(ROPE_IGNORED)
    ctx.ignore({"layer_norm_epsilon": "normalisation epsilon"})
    ctx.ignore_if("apply_residual_connection_post_layernorm", False,
                  "false in published configs; not read by transformers' FalconModel",
                  "not read by transformers' FalconModel; a post-norm residual has the same parameters")


def _consistent(ctx: _Ctx) -> None:
    """What transformers' modules (or capplan's checker) would reject, as a clear import error."""
    f = {k: v for k, (v, _) in ctx.fields.items()}
    heads, kv = f.get("heads"), f.get("kv_heads")
    if heads and kv and heads % kv:
        raise ConfigError(f"{heads} attention heads are not a multiple of {kv} key/value heads")
    if "head_dim" in f and f["head_dim"] < 1:
        raise ConfigError(f"hidden size {f['hidden']} is smaller than {heads} heads: no whole head size")
    for name in ("dropout", "attention_dropout"):
        if name in f and not 0 <= f[name] <= 1:
            raise ConfigError(f"a dropout probability of {f[name]:g} is not between 0 and 1")
    moe = {k: v for k, (v, _) in ctx.moe.items()}
    if moe and moe["experts_per_token"] > moe["experts"]:
        raise ConfigError(f"{moe['experts_per_token']} experts per token but only {moe['experts']} experts")


# ------------------------------------------------------------------ dispatch

# model_type -> (importer, transformers class, modeling file)
HF_CLASSES: dict[str, tuple[Callable[[_Ctx], None], str, str]] = {
    "llama": (_llama, "LlamaForCausalLM", "modeling_llama.py"),
    "mistral": (_mistral, "MistralForCausalLM", "modeling_mistral.py"),
    "mixtral": (_mixtral, "MixtralForCausalLM", "modeling_mixtral.py"),
    "qwen2": (_qwen2, "Qwen2ForCausalLM", "modeling_qwen2.py"),
    "qwen2_moe": (_qwen2_moe, "Qwen2MoeForCausalLM", "modeling_qwen2_moe.py"),
    "qwen3": (_qwen3, "Qwen3ForCausalLM", "modeling_qwen3.py"),
    "gemma": (_gemma, "GemmaForCausalLM", "modeling_gemma.py"),
    "gemma2": (_gemma2, "Gemma2ForCausalLM", "modeling_gemma2.py"),
    "phi3": (_phi3, "Phi3ForCausalLM", "modeling_phi3.py"),
    "gpt2": (_gpt2, "GPT2LMHeadModel", "modeling_gpt2.py"),
    "opt": (_opt, "OPTForCausalLM", "modeling_opt.py"),
    "falcon": (_falcon, "FalconForCausalLM", "modeling_falcon.py"),
    "deepseek_v2": (lambda c: _deepseek(c, v3=False), "DeepseekV2ForCausalLM", "modeling_deepseek_v2.py"),
    "deepseek_v3": (lambda c: _deepseek(c, v3=True), "DeepseekV3ForCausalLM", "modeling_deepseek_v3.py"),
}
SUPPORTED = tuple(sorted(HF_CLASSES))
CONFIG_CLASSES = {
    "llama": "LlamaConfig", "mistral": "MistralConfig", "mixtral": "MixtralConfig", "qwen2": "Qwen2Config",
    "qwen2_moe": "Qwen2MoeConfig", "qwen3": "Qwen3Config", "gemma": "GemmaConfig", "gemma2": "Gemma2Config",
    "phi3": "Phi3Config", "gpt2": "GPT2Config", "opt": "OPTConfig", "falcon": "FalconConfig",
    "deepseek_v2": "DeepseekV2Config", "deepseek_v3": "DeepseekV3Config",
}


def sanitize_name(raw: str) -> str:
    """A declaration name from a repository id or path: `meta-llama/Llama-2-7b-hf` -> `llama_2_7b_hf`."""
    base = raw.strip().rstrip("/\\")
    # a hub cache path: .../models--org--name/snapshots/<hash> -> name
    cached = re.search(r"models--[^/\\]+--([^/\\]+)", base)
    base = cached.group(1) if cached else (re.split(r"[/\\]", base)[-1] if base else "")
    ident = re.sub(r"[^A-Za-z0-9_]+", "_", base).strip("_").lower()
    ident = re.sub(r"_+", "_", ident)
    if not ident:
        ident = "imported_model"
    if ident[0].isdigit():
        ident = "m_" + ident
    if ident in KEYWORDS:
        ident += "_model"
    return ident


def _resolve_model_type(config: dict, override: str | None) -> tuple[str | None, str | None]:
    if override:
        return override, None
    mt = config.get("model_type")
    if isinstance(mt, str) and mt:
        return mt, None
    archs = config.get("architectures") or []
    if isinstance(archs, list):
        for a in archs:
            if isinstance(a, str) and a in ARCHITECTURES:
                return ARCHITECTURES[a], f"model_type absent: taken from architectures ({a})"
    return None, None


def import_config(config: dict, name: str, source: str | None = None,
                  model_type: str | None = None) -> ImportResult:
    """Translate one config.json (a dict) into a `model NAME { ... }` block."""
    if not isinstance(config, dict):
        return ImportResult(error="the config must be a JSON object")
    mt, inferred = _resolve_model_type(config, model_type)
    supported = ", ".join(SUPPORTED)
    if "model_type" in config and not model_type and not isinstance(config["model_type"], str):
        return ImportResult(error=f"model_type = {json.dumps(config['model_type'])}: expected a string (supported: "
                                  f"{supported})")
    if mt is None:
        return ImportResult(error=f"the config has no model_type (and no known architectures); give one with "
                                  f"--model-type (supported: {supported})")
    if mt not in HF_CLASSES:
        return ImportResult(model_type=mt, error=f"model_type {mt!r} is not supported; supported model types: "
                                                 f"{supported}")
    name = sanitize_name(name)
    importer, hf_class, modeling = HF_CLASSES[mt]
    ctx = _Ctx(config, mt)
    ctx.accounted.add("model_type")
    if inferred:
        ctx.notes.append(("NOTE", inferred))
    published = config.get("_name_or_path")
    ctx.accounted.add("_name_or_path")
    try:
        importer(ctx)
        _consistent(ctx)
    except ConfigError as exc:
        return ImportResult(model_type=mt, hf_class=hf_class, error=f"{mt} config: {exc}")
    # classify what is left
    ctx.ignore(COMMON_IGNORED)
    if "is_encoder_decoder" in config:
        ctx.ignore_if("is_encoder_decoder", False, "decoder-only", "an encoder-decoder model has no model field")
    if "quantization_config" in config:
        ctx.accounted.add("quantization_config")
        q = config["quantization_config"]
        method = q.get("quant_method", "?") if isinstance(q, dict) else "?"
        detail = ", ".join(f"{k} {json.dumps(v)}" for k, v in sorted(q.items()) if k != "quant_method") \
            if isinstance(q, dict) else json.dumps(q)
        ctx.warn("quantization_config", f"the checkpoint is quantized ({method}: {detail}); a model block counts "
                                        "the unquantized architecture: give the weight format in the plan "
                                        "(e.g. `weights = fp8` in an inference plan)", note=True)
    archs = config.get("architectures")
    if isinstance(archs, list) and archs and hf_class not in archs:
        ctx.warn("architectures", f"names {', '.join(map(str, archs))}; capplan counts {hf_class} (the causal-LM "
                                  "head: vocab x hidden, unless tied)", note=True)
    for key in sorted(config):
        if key not in ctx.accounted:
            ctx.unmapped[key] = (f"unknown to the {mt} importer: check whether it changes parameters or memory "
                                 "(the block is built without it)")
            ctx.warnings.append((key, "unmapped: " + ctx.unmapped[key]))
            shown = json.dumps(config[key], sort_keys=True)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            ctx.notes.append(("UNMAPPED", f"{key} = {shown}: not known to the {mt} importer"))
    if isinstance(published, str) and published:
        ctx.fields["name"] = (published, "")
    if source:
        ctx.fields["source"] = (source, "")
    text = _canonical(_render(name, ctx, source, hf_class, modeling), name)
    fields: dict[str, Any] = {k: v for k, (v, _) in ctx.fields.items()}
    if ctx.mla:
        fields["mla"] = {k: v for k, (v, _) in ctx.mla.items()}
    if ctx.moe:
        fields["moe"] = {k: v for k, (v, _) in ctx.moe.items()}
    mapped = sorted(k for k in config if k in ctx.accounted and k not in ctx.ignored and k not in ctx.unmapped)
    return ImportResult(text=text, warnings=ctx.warnings, unmapped=sorted(ctx.unmapped), mapped=mapped,
                        ignored=sorted(ctx.ignored.items()), model_type=mt, hf_class=hf_class, fields=fields)


# ------------------------------------------------------------------ rendering

QUANTITIES = {"max_seq": "tokens", "sliding_window": "tokens"}


def _value(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if name in ("name", "source"):
            escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
            return f'"{escaped}"'
        return value
    if isinstance(value, float):
        if value == int(value) and name not in ("dropout", "attention_dropout"):
            return str(int(value))
        return repr(value)
    if name in QUANTITIES:
        return f"{value} {QUANTITIES[name]}"
    return str(value)


def _order(fields: dict, schema) -> list[str]:
    return [n for n in schema.fields if n in fields]


def _render(name: str, ctx: _Ctx, source: str | None, hf_class: str, modeling: str) -> str:
    rows: list[tuple[str, str, str, str]] = []   # (indent, lhs, value, comment)
    top = [n for n in _order(ctx.fields, MODEL)]
    width = max((len(n) for n in top), default=0)
    blocks = {"mla": ctx.mla, "moe": ctx.moe}
    for n in list(MODEL.fields):
        if n in ctx.fields:
            v, c = ctx.fields[n]
            rows.append(("    ", n.ljust(width), _value(n, v), c))
        elif n in blocks and blocks[n]:
            sub = blocks[n]
            schema = MLA if n == "mla" else MOE
            w = max(len(k) for k in sub)
            rows.append(("    ", f"{n} {{", "", ""))
            for k in _order(sub, schema):
                v, c = sub[k]
                rows.append(("        ", k.ljust(w), _value(k, v), c))
            rows.append(("    ", "}", "", ""))
    body_width = max((len(i) + len(l) + 3 + len(v) for i, l, v, c in rows if c), default=0)
    col = min(body_width + 2, 48)
    shown = " ".join((source or "a Hugging Face config.json").split())
    lines = [
        f"# Imported by `capplan import-hf` from {shown}",
        f"# model_type = \"{ctx.model_type}\": transformers {hf_class} ({modeling})",
        f"model {name} {{",
    ]
    for kind, text in ctx.notes:
        wrapped = textwrap.wrap(f"{kind} {text}", width=96, break_on_hyphens=False, break_long_words=False)
        lines += ["    # " + wrapped[0]] + ["    #     " + w for w in wrapped[1:]]
    for indent, lhs, value, comment in rows:
        if not value:
            lines.append(indent + lhs)
            continue
        line = f"{indent}{lhs} = {value}"
        if comment:
            line = line.ljust(col) + "  # " + comment if len(line) < col else line + "  # " + comment
        lines.append(line)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _canonical(text: str, name: str) -> str:
    """The block in `capplan fmt`'s canonical layout, so an imported file passes `fmt --check` as written."""
    from capplan.lang.formatter import format_source

    formatted, diagnostics = format_source(text, f"{name}.plan")
    if formatted is None:  # the renderer wrote something the parser refuses: our bug
        raise ValueError(f"import-hf rendered an unparsable block for {name}: "
                         + "; ".join(d.message for d in diagnostics.items))
    return formatted


# ------------------------------------------------------------------ command line

class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def __init__(self, out, err, **kw):
        super().__init__(**kw)
        self._out, self._err = out, err

    def error(self, message):  # noqa: D401 - argparse hook
        raise _UsageError(message)

    def print_help(self, file=None):
        super().print_help(self._out)

    def exit(self, status=0, message=None):
        if message:
            self._err.write(message)
        raise SystemExit(status)


def _parser(out, err) -> _Parser:
    ap = _Parser(out, err, prog="capplan import-hf",
                 description="Translate a Hugging Face config.json into a capplan `model` block.")
    ap.add_argument("config", metavar="CONFIG.json", help="the config.json (or a directory holding one)")
    ap.add_argument("--name", help="declaration name (default: from _name_or_path, else the file name)")
    ap.add_argument("-o", "--output", metavar="OUT.plan", help="write the block to a file (atomically)")
    ap.add_argument("--strict", action="store_true", help="unmapped keys are an error (exit 1)")
    ap.add_argument("--model-type", help="the model_type, for configs that lack it (e.g. GPT-2's first config)")
    ap.add_argument("--show-ignored", action="store_true",
                    help="also list the keys ignored as having no effect on parameters or memory")
    return ap


def default_name(config: dict, path: str) -> str:
    published = config.get("_name_or_path")
    if isinstance(published, str) and published.strip().strip("/\\"):
        return sanitize_name(published)
    stem = os.path.splitext(os.path.basename(os.path.abspath(path)))[0]
    if stem == "config":  # .../Llama-2-7b-hf/config.json -> the folder's name
        parent = os.path.basename(os.path.dirname(os.path.abspath(path)))
        stem = parent or stem
    return sanitize_name(stem)


def main(argv: list[str] | None = None, out=None, err=None) -> int:
    """`capplan import-hf CONFIG.json [--name NAME] [-o OUT.plan] [--strict] [--model-type T] [--show-ignored]`.

    Exit status: 0 written; 1 unreadable or invalid config, unsupported model_type, unmapped keys under
    --strict, or the output could not be written; 2 usage errors.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    prog = "capplan import-hf"
    try:
        args = _parser(out, err).parse_args(argv)
    except _UsageError as exc:
        err.write(f"usage: {prog} CONFIG.json [--name NAME] [-o OUT.plan] [--strict]\n{prog}: error: {exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    path = args.config
    if os.path.isdir(path):
        path = os.path.join(path, "config.json")
    try:
        raw = read_config(path)      # a regular file within the config size limit; a FIFO never blocks
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        err.write(f"{prog}: error: cannot read {path}: {reason}\n")
        return EXIT_USER
    try:
        config = json.loads(raw)
    except json.JSONDecodeError as exc:
        err.write(f"{prog}: error: {path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}\n")
        return EXIT_USER
    except RecursionError:
        err.write(f"{prog}: error: {path} is nested too deeply to read\n")
        return EXIT_USER
    if not isinstance(config, dict):
        err.write(f"{prog}: error: {path} holds a JSON {type(config).__name__}, not an object; a config.json "
                  "is an object of keys\n")
        return EXIT_USER
    name = sanitize_name(args.name) if args.name else default_name(config, path)
    if args.name and name != args.name:
        err.write(f"{prog}: note: --name {args.name!r} is not an identifier; using {name}\n")
    result = import_config(config, name, source=args.config, model_type=args.model_type)
    if result.error:
        err.write(f"{prog}: error: {path}: {result.error}\n")
        return EXIT_USER
    for key, message in result.warnings:
        err.write(f"{prog}: warning: {key}: {message}\n")
    if args.show_ignored:
        for key, reason in result.ignored:
            err.write(f"{prog}: ignored: {key}: {reason}\n")
    if result.unmapped and args.strict:
        err.write(f"{prog}: error: --strict: {len(result.unmapped)} unmapped key"
                  f"{'s' * (len(result.unmapped) != 1)}: {', '.join(result.unmapped)}"
                  + (f"; {args.output} not written" if args.output else "") + "\n")
        return EXIT_USER
    if args.output:
        try:
            write_atomically(args.output, result.text)
        except OSError as exc:
            err.write(f"{prog}: error: cannot write {args.output}: {exc.strerror or exc}\n")
            return EXIT_USER
        err.write(f"{prog}: wrote model `{name}` to {args.output}\n")
    else:
        out.write(result.text)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
