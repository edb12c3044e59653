"""Nemotron-H (hybrid stacks of Mamba-2, attention, MLP and MoE layers): transformers NemotronHConfig,
modeling_nemotron_h.py (NemotronHForCausalLM), as transformers 5.23 reads them.

Each layer is one RMSNorm and one mixer (NemotronHBlock): `M` NemotronHMamba2Mixer, `*`
NemotronHAttention (q/k/v/o without bias, no rotary embedding), `-` NemotronHMLP (up_proj,
mlp_hidden_act, down_proj: no gate), `E` NemotronHMoE. The stack comes from `layers_block_type`
(alias `layer_types`), else from the legacy `hybrid_override_pattern` string, else the class default
[M, E, *, -]; num_hidden_layers is not read (the stack's length is). capplan's `pattern` uses the
letters M, * and -; MoE layers are written `-` with a `moe { }` block when every MLP layer is one
(the schema's moe block applies to all of them).

What transformers 5.23 does that the published (remote-code) configs do not say: attention never has
biases (attention_bias is not read), head_dim is read (default 128; `attention_head_dim` is the
remote code's name), the norm epsilon is layer_norm_epsilon (`rms_norm_eps` is the remote code's),
the output head is never tied (NemotronHForCausalLM declares no tied weights), MTP layers are not
built, and `sliding_window`, `hidden_dropout`, `residual_in_fp32`, `mamba_proj_bias` are not read.
"""

from __future__ import annotations

from capplan.tools.import_hf.context import ConfigError, Family, ImportContext
from capplan.tools.import_hf.common import MOE_IGNORED, map_activation, map_dropouts, map_kv_heads, map_max_seq

LETTERS = {"linear_attention": "M", "full_attention": "*", "mlp": "-", "moe": "E"}   # NemotronHConfig
STACK_KEYS = ("layers_block_type", "layer_types", "hybrid_override_pattern")
DEFAULT_STACK = "ME*-"   # NemotronHConfig.__post_init__: [linear_attention, moe, full_attention, mlp]

MAMBA_KEYS = ("mamba_num_heads", "mamba_head_dim", "ssm_state_size", "n_groups", "mamba_n_groups", "conv_kernel",
              "mamba_d_conv", "chunk_size", "mamba_chunk_size", "use_bias", "use_conv_bias", "mamba_conv_bias")
MAMBA_IGNORED = {
    "mamba_hidden_act": "the Mamba-2 gate activation (silu); no parameters",
    "expand": "not read by the mixer: its width is mamba_num_heads * mamba_head_dim",
    "mamba_expand": "not read by the mixer: its width is mamba_num_heads * mamba_head_dim",
    "time_step_min": "dt initialisation and clamp; no parameters",
    "time_step_max": "dt initialisation; no parameters",
    "time_step_floor": "dt initialisation; no parameters",
    "time_step_limit": "dt clamp; no parameters",
    "mamba_dt_min": "dt initialisation and clamp; no parameters",
    "mamba_dt_max": "dt initialisation; no parameters",
    "mamba_dt_init_floor": "dt initialisation; no parameters",
    "mamba_dt_limit": "dt clamp; no parameters",
    "time_step_rank": "remote-code key; shapes nothing in transformers' NemotronHMamba2Mixer",
    "use_mamba_kernels": "kernel choice (deprecated, no effect); no parameters",
}
MOE_KEYS = ("n_routed_experts", "num_local_experts", "num_experts_per_tok", "moe_intermediate_size",
            "moe_shared_expert_intermediate_size", "moe_latent_size")
ROUTING_IGNORED = {
    **MOE_IGNORED,
    "routed_scaling_factor": "routing arithmetic; no parameters",
    "n_group": "group-limited routing; no parameters",
    "topk_group": "group-limited routing; no parameters",
    "moe_shared_expert_overlap": "overlaps the shared expert's compute; no parameters",
    "n_shared_experts": "not read by NemotronHMoE: one shared MLP of moe_shared_expert_intermediate_size",
}
OTHER_IGNORED = {
    "num_logits_to_keep": "generation setting; no parameters",
    "rescale_prenorm_residual": "initialisation only",
    "residual_in_fp32": "not read by transformers' NemotronH modules",
    "hidden_dropout": "not read by transformers' NemotronH modules (no residual dropout)",
}


def _stack(ctx: ImportContext) -> tuple[str, str]:
    """The layer letters (M, *, -, E) and where they came from, as NemotronHConfig.__post_init__ decides."""
    types, used = ctx.first(("layers_block_type", "layer_types"), None)
    if types is not None:
        if not isinstance(types, list) or not types or not all(t in LETTERS for t in types):
            raise ConfigError(f"`{used}` must list one of {', '.join(LETTERS)} per layer")
        letters, how = "".join(LETTERS[t] for t in types), used
        if ctx.has("hybrid_override_pattern"):
            ctx.raw("hybrid_override_pattern")
            if ctx.cfg["hybrid_override_pattern"] != letters:
                ctx.warn("hybrid_override_pattern", f"differs from {used}, which transformers uses", note=True)
    elif ctx.has("hybrid_override_pattern"):
        letters = ctx.raw("hybrid_override_pattern")
        if not isinstance(letters, str) or not letters or set(letters) - set("M*-E"):
            raise ConfigError("`hybrid_override_pattern` must be a string of M, *, - and E, one letter per layer")
        how = "hybrid_override_pattern"
    else:
        letters, how = DEFAULT_STACK, "absent: NemotronHConfig default [linear_attention, moe, full_attention, mlp]"
    n = ctx.int_("num_hidden_layers", None, null=None)    # deprecated: the setter ignores it
    if n is not None and n != len(letters):
        ctx.warn("num_hidden_layers", f"{n}, but the stack has {len(letters)} layers; transformers builds the "
                                      "stack's", note=True)
    return letters, how


def _map_mamba(ctx: ImportContext) -> None:
    """NemotronHMamba2Mixer's sizes; the legacy `mamba_*` names win over the new ones (__post_init__)."""
    ctx.set_mamba("heads", ctx.int_("mamba_num_heads", 128), "mamba_num_heads")
    ctx.set_mamba("head_dim", ctx.int_("mamba_head_dim", 64), "mamba_head_dim")
    ctx.set_mamba("state", ctx.int_("ssm_state_size", 128), "ssm_state_size")
    groups, used = ctx.int_(("mamba_n_groups", "n_groups"), 8), "mamba_n_groups" if ctx.has("mamba_n_groups") \
        else "n_groups"
    ctx.set_mamba("groups", groups, used)
    ctx.set_mamba("conv_kernel", ctx.int_(("mamba_d_conv", "conv_kernel"), 4),
                  "mamba_d_conv" if ctx.has("mamba_d_conv") else "conv_kernel")
    ctx.set_mamba("chunk", ctx.int_(("mamba_chunk_size", "chunk_size"), 128),
                  "mamba_chunk_size" if ctx.has("mamba_chunk_size") else "chunk_size")
    ctx.set_mamba("bias", ctx.bool_("use_bias", False), "use_bias (in_proj, out_proj)")
    conv_key = "mamba_conv_bias" if ctx.has("mamba_conv_bias") else "use_conv_bias"
    ctx.set_mamba("conv_bias", ctx.bool_(conv_key, True), conv_key)
    if ctx.has("mamba_conv_bias") and ctx.has("use_conv_bias"):
        ctx.raw("use_conv_bias")
    inner = ctx.mamba["heads"][0] * ctx.mamba["head_dim"][0]
    if inner % groups:
        raise ConfigError(f"mamba_num_heads * mamba_head_dim = {inner} is not a multiple of n_groups {groups} "
                          "(the gated RMSNorm's groups)")
    ctx.ignore_if("mamba_proj_bias", False, "false; not read by transformers 5.23 (use_bias sets the biases)",
                  "not read by transformers 5.23's NemotronHMamba2Mixer (use_bias sets the in_proj/out_proj "
                  "biases), so neither it nor this block adds biases")
    if ctx.has("mamba_ssm_cache_dtype"):
        ctx.warn("mamba_ssm_cache_dtype", f"transformers keeps the SSM state in {ctx.raw('mamba_ssm_cache_dtype')}; "
                                          "an inference plan sizes it in its `kv_cache` format", note=True)
    ctx.ignore(MAMBA_IGNORED)


def _map_moe(ctx: ImportContext, letters: str, key: str, hidden: int, ffn: int, bias: bool) -> str:
    """The E layers: a moe block on `-` layers when every MLP layer is MoE; else dense, reported."""
    experts = ctx.int_(("n_routed_experts", "num_local_experts"), 8)
    top_k = ctx.int_("num_experts_per_tok", 2)
    expert_ffn = ctx.int_("moe_intermediate_size", 7688)
    shared = ctx.int_("moe_shared_expert_intermediate_size", 7688, allow_zero=True) or ffn   # `or`: NemotronHMLP
    latent = ctx.int_("moe_latent_size", None, null=None)
    ctx.ignore(ROUTING_IGNORED)
    why = []
    if "-" in letters:
        why.append("the stack mixes MoE (E) and MLP (-) layers; the schema's moe block applies to every MLP layer")
    if latent is not None:
        why.append(f"moe_latent_size {latent}: the experts work in a latent of that width behind "
                   "fc1_latent_proj/fc2_latent_proj; the schema has no latent projection")
    if bias and not why:
        why.append("mlp_bias gives the shared expert biases but not the routed experts; the schema's mlp_bias "
                   "applies to both")
    if why:
        if not ctx.has(key):
            why.insert(0, f"absent: the NemotronHConfig default stack {DEFAULT_STACK!r}")
        # NemotronHMoE: experts (up_proj, down_proj over the latent or hidden width), router weight, the
        # shared NemotronHMLP, the latent projections; less the dense NemotronHMLP this block counts instead
        width = latent or hidden
        moe = experts * (2 * width * expert_ffn + hidden) + 2 * hidden * shared + (shared + hidden) * bias
        if latent:
            moe += 2 * hidden * latent + (latent + hidden) * bias
        n = letters.count("E")
        delta = n * (moe - 2 * hidden * ffn - (ffn + hidden) * bias)
        ctx.lacks(key, "; ".join(why) + f". The {n} E layer(s) are written as MLP layers (-): transformers "
                  f"instantiates {abs(delta):,d} {'more' if delta > 0 else 'fewer'} parameters than this block")
        return letters.replace("E", "-")
    ctx.set_moe("experts", experts, "n_routed_experts")
    ctx.set_moe("experts_per_token", top_k, "num_experts_per_tok")
    ctx.set_moe("expert_ffn", expert_ffn, "moe_intermediate_size (up_proj, down_proj)")
    ctx.set_moe("shared_experts", 1, "NemotronHMoE: one shared NemotronHMLP")
    ctx.set_moe("shared_ffn", shared, "moe_shared_expert_intermediate_size")
    ctx.set_moe("router_bias", True, "e_score_correction_bias (a buffer)")
    ctx.notes.append(("NOTE", "the E (MoE) layers of the stack are written `-` with the moe block: every MLP "
                              "layer of this model is a MoE layer"))
    return letters.replace("E", "-")


def map_nemotron_h(ctx: ImportContext) -> None:
    letters, how = _stack(ctx)
    hidden = ctx.int_("hidden_size", 4096)
    heads = ctx.int_("num_attention_heads", 32)
    ctx.set("layers", len(letters), f"len({how})" if how in STACK_KEYS else "NemotronHConfig default stack")
    ctx.set("hidden", hidden, "hidden_size")
    ctx.set("heads", heads, "num_attention_heads")
    if ctx.has("num_key_value_heads") and ctx.cfg["num_key_value_heads"] is None:
        raise ConfigError("`num_key_value_heads` is null; NemotronHConfig requires a whole number")
    map_kv_heads(ctx, heads, 8)
    head_dim = ctx.int_("head_dim", 128)
    how = "head_dim" if ctx.has("head_dim") else "head_dim absent: NemotronHConfig default 128"
    if ctx.has("attention_head_dim"):
        remote = ctx.raw("attention_head_dim")
        if remote == head_dim:
            how += " (= attention_head_dim)"
        else:
            ctx.warn("attention_head_dim", f"{remote} (the remote code's name) differs from the head_dim "
                                           f"transformers 5.23 reads ({head_dim}); this block follows transformers",
                     note=True)
    ctx.set("head_dim", head_dim, how)
    ffn = ctx.int_("intermediate_size", 21504)
    ctx.set("ffn", ffn, "intermediate_size")
    ctx.set("mlp", "plain", "up_proj, down_proj (no gate)")
    map_activation(ctx, "mlp_hidden_act", ctx.str_("mlp_hidden_act", "relu2"))
    ctx.set("vocab", ctx.int_("vocab_size", 131072), "vocab_size")
    tied = ctx.bool_("tie_word_embeddings", False)
    ctx.set("tied_embeddings", False, "NemotronHForCausalLM ties no weights: lm_head is its own")
    if tied:
        ctx.warn("tie_word_embeddings", "true, but NemotronHForCausalLM declares no tied weights in transformers "
                                        "5.23: lm_head is a separate vocab x hidden matrix, as this block counts",
                 note=True)
    ctx.set("norm", "rmsnorm", "NemotronHRMSNorm before each mixer, norm_f")
    eps = ctx.float_("layer_norm_epsilon", 1e-5)
    ctx.set("norm_eps", eps, "layer_norm_epsilon" if ctx.has("layer_norm_epsilon")
            else "layer_norm_epsilon absent: NemotronHConfig default")
    if ctx.has("rms_norm_eps"):
        if ctx.cfg["rms_norm_eps"] == eps:
            ctx.ignored["rms_norm_eps"] = "the remote code's name for layer_norm_epsilon (equal)"
            ctx.accounted.add("rms_norm_eps")
        else:
            ctx.warn("rms_norm_eps", f"{ctx.raw('rms_norm_eps')} (the remote code's name) is not read by "
                                     f"transformers 5.23, which uses layer_norm_epsilon {eps:g}", note=True)
    bias = ctx.bool_("mlp_bias", False)
    ctx.set("qkv_bias", False, "NemotronHAttention: q/k/v without bias")
    ctx.set("out_bias", False, "NemotronHAttention: o_proj without bias")
    ctx.set("mlp_bias", bias, "mlp_bias")
    ctx.ignore_if("attention_bias", False, "false; NemotronHAttention has no biases",
                  "not read by transformers 5.23: NemotronHAttention builds q/k/v/o without bias (NVIDIA's "
                  "remote code adds them); this block follows transformers")
    ctx.set("position", "none", "NemotronHAttention applies no rotary embedding")
    map_max_seq(ctx, ("max_position_embeddings",), 4096)
    map_dropouts(ctx, None, ("attention_dropout", 0.0))
    ctx.ignore_if("sliding_window", None, "null: full attention",
                  "not read by transformers 5.23's NemotronHAttention: every `*` layer attends over the whole "
                  "context, as this block counts")
    key = how if how in STACK_KEYS else "hybrid_override_pattern"
    if "E" in letters:
        letters = _map_moe(ctx, letters, key, hidden, ffn, bias)
    else:
        ctx.ignore({k: "no MoE (E) layer in the stack" for k in (*MOE_KEYS, *ROUTING_IGNORED)})
    ctx.set("pattern", letters, how)
    if "M" in letters:
        _map_mamba(ctx)
    else:
        ctx.ignore({k: "no Mamba-2 (M) layer in the stack" for k in (*MAMBA_KEYS, "mamba_proj_bias",
                                                                    "mamba_ssm_cache_dtype", *MAMBA_IGNORED)})
    mtp = ctx.int_("num_nextn_predict_layers", 0, allow_zero=True, null=0)
    if mtp:
        for k in ("mtp_layers_block_type", "mtp_hybrid_override_pattern"):
            ctx.raw(k)
        ctx.lacks("num_nextn_predict_layers", f"{mtp} multi-token-prediction layer(s): transformers does not "
                                              "instantiate them (their checkpoint weights are skipped) and the "
                                              "schema has no field; not counted")
    else:
        if ctx.has("num_nextn_predict_layers"):
            ctx.ignored["num_nextn_predict_layers"] = "0: no multi-token-prediction layer"
        ctx.ignore({"mtp_layers_block_type": "used only with num_nextn_predict_layers > 0",
                    "mtp_hybrid_override_pattern": "used only with num_nextn_predict_layers > 0"})
    ctx.ignore(OTHER_IGNORED)


NEMOTRON_H = Family("nemotron_h", map_nemotron_h, config_class="NemotronHConfig", hf_class="NemotronHForCausalLM",
                    modeling="modeling_nemotron_h.py")
