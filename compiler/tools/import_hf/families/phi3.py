"""Phi-3 (fused qkv_proj and gate_up_proj, same counts): transformers Phi3Config, modeling_phi3.py."""

from __future__ import annotations

from capplan.tools.import_hf.context import Family, ImportContext
from capplan.tools.import_hf.common import (DecoderDefaults, map_decoder_core, map_dense_ffn, map_dropouts,
                                            map_sliding, set_biases)


def map_phi3(ctx: ImportContext) -> None:
    d = DecoderDefaults(32064, 3072, 8192, 32, 32, None, None, "silu", 4096, False)
    c = map_decoder_core(ctx, d)
    map_dense_ffn(ctx, d.ffn)
    set_biases(ctx, False, False, False,
               "qkv_proj, o_proj, gate_up_proj, down_proj: no biases (fused, same count)")
    map_dropouts(ctx, ("resid_pdrop", 0.0), ("attention_dropout", 0.0), ("embd_pdrop", 0.0))
    window = ctx.int_("sliding_window", None, null=None)
    map_sliding(ctx, window, c["layers"], c["layers"], "sliding_window, every layer")
    ctx.ignore({"original_max_position_embeddings": "length the rotary scaling refers to; no parameters"})


PHI3 = Family("phi3", map_phi3, config_class="Phi3Config", hf_class="Phi3ForCausalLM",
              modeling="modeling_phi3.py")
