"""DeepSeek-V2 and -V3 (multi-head latent attention + MoE): transformers DeepseekV2Config /
DeepseekV3Config, modeling_deepseek_v2.py / modeling_deepseek_v3.py."""

from __future__ import annotations

from capplan.tools.import_hf.context import ConfigError, Family, ImportContext
from capplan.tools.import_hf.common import (MOE_IGNORED, RMS_IGNORED, ROPE_IGNORED, DecoderDefaults,
                                            map_activation, map_dropouts, map_kv_heads, map_max_seq,
                                            map_network, map_tied)


def _map_deepseek(ctx: ImportContext, v3: bool) -> None:
    if v3:
        d = DecoderDefaults(129280, 7168, 18432, 61, 128, 128, None, "silu", 4096, False)
    else:
        d = DecoderDefaults(102400, 4096, 11008, 32, 32, None, None, "silu", 2048, False)
    layers = ctx.int_("num_hidden_layers", d.layers)
    hidden = ctx.int_("hidden_size", d.hidden)
    heads = ctx.int_("num_attention_heads", d.heads)
    ctx.set("layers", layers, "num_hidden_layers")
    ctx.set("hidden", hidden, "hidden_size")
    ctx.set("heads", heads, "num_attention_heads")
    map_kv_heads(ctx, heads, d.kv_heads)
    if ctx.has("head_dim"):
        ctx.ignored["head_dim"] = "__post_init__ overwrites it with qk_rope_head_dim; MLA sizes come from mla {}"
        ctx.accounted.add("head_dim")
    ctx.set("mlp", "gated", "gate_proj, up_proj, down_proj")
    map_activation(ctx, "hidden_act", ctx.str_("hidden_act", d.act))
    vocab = ctx.int_("vocab_size", d.vocab)
    ctx.set("vocab", vocab, "vocab_size")
    map_tied(ctx, d.tied)
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
    map_max_seq(ctx, ("max_position_embeddings",), d.max_seq)
    map_network(ctx)
    ctx.ignore(ROPE_IGNORED)
    ctx.ignore(RMS_IGNORED)
    map_dropouts(ctx, None, ("attention_dropout", 0.0))
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
    _map_groups(ctx, v3)


def _map_groups(ctx: ImportContext, v3: bool) -> None:
    """n_group / topk_group: group-limited routing (no parameters; they bound how many nodes a token's experts
    span, which the dispatch time depends on). DeepseekV3 routes within groups always (noaux_tc), DeepseekV2
    only with topk_method group_limited_greedy."""
    groups = ctx.int_("n_group", 1, null=1) if ctx.has("n_group") else 1
    per_token = ctx.int_("topk_group", groups, null=groups) if ctx.has("topk_group") else groups
    limited = v3 or ctx.str_("topk_method", "greedy") == "group_limited_greedy"
    if groups > 1 and limited:
        ctx.set_moe("groups", groups, "n_group: group-limited routing")
        ctx.set_moe("groups_per_token", per_token, "topk_group")
        return
    why = "1: no group limit" if groups <= 1 else "topk_method greedy: the groups are not used"
    for key in ("n_group", "topk_group"):
        if ctx.has(key):
            ctx.ignored[key] = why


def map_deepseek_v2(ctx: ImportContext) -> None:
    _map_deepseek(ctx, v3=False)


def map_deepseek_v3(ctx: ImportContext) -> None:
    _map_deepseek(ctx, v3=True)


DEEPSEEK_V2 = Family("deepseek_v2", map_deepseek_v2, config_class="DeepseekV2Config",
                     hf_class="DeepseekV2ForCausalLM", modeling="modeling_deepseek_v2.py")
DEEPSEEK_V3 = Family("deepseek_v3", map_deepseek_v3, config_class="DeepseekV3Config",
                     hf_class="DeepseekV3ForCausalLM", modeling="modeling_deepseek_v3.py")
