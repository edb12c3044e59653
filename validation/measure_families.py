"""Measure two new model families with Hugging Face transformers: encoders (BERT, RoBERTa) and
Mamba-2 hybrids (NVIDIA Nemotron-H, pure Mamba-2).

Nothing here is computed from capplan's formulas.  Every number comes from a model that transformers
builds from a config dict written in this file (copied from the model's published ``config.json``;
where we read it is recorded per model).  No weights are downloaded.

Three measurements:

* ``params``: every model is instantiated on the ``meta`` device and its parameters are counted and
  classified by name into components (word / position / token-type embedding, embedding norm,
  attention, attention output norm, MLP, MLP output norm, the Mamba-2 mixer parts, block norms,
  final norm, pooler, head).  Per layer kind (BertLayer; Nemotron-H 'M' / '*' / '-' blocks;
  Mamba2Block) the exact shape of every parameter is recorded once, with the number of layers of
  that kind.  -> ``data/families.json``
* ``activations``: small real CPU models, one forward pass with the loss under
  ``torch.autograd.graph.saved_tensors_hooks`` (the method of ``measure_activations.py``, whose graph
  walk and autocast-copy detector are imported from there): bytes saved for backward per layer, per
  layer kind, and the saved tensors of the first layer of every kind.
* ``peak``: MemTracker (the subclass of ``measure_peak_memory.py``) over two full fine-tuning steps
  (forward + loss + backward + AdamW step + zero_grad), fp32 and fp32 weights + bf16 autocast,
  gradient checkpointing off and on.  BERT/RoBERTa at bert-base/large sizes run under
  ``FakeTensorMode``; the tiny Nemotron-H and Mamba-2 run with real tensors; a fake-vs-real
  cross-check runs identical small configs both ways.
  activations + peak -> ``data/families_activations.json``

Mamba-2 on CPU: transformers uses the ``mamba_ssm`` / ``causal_conv1d`` kernels only when those
packages are importable (they are CUDA-only and are not installed here); otherwise it falls back to
its reference PyTorch implementation (chunked SSD scan in plain torch ops).  Every Mamba-2 number in
the activation/peak data is therefore for the torch fallback path, which is recorded per run.

Run from the repository root:

    /work/.venv-val/bin/python validation/measure_families.py              # everything
    /work/.venv-val/bin/python validation/measure_families.py params       # only families.json
    /work/.venv-val/bin/python validation/measure_families.py activations peak --quick   # -> /tmp

Writes sorted-key, indent-1 JSON.  With ``--quick`` (or only part of activations/peak) the
activation file goes to /tmp, so the data file is never partly overwritten.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import itertools
import logging
import re
import sys
import time
import traceback
from collections import OrderedDict
from typing import Any

import torch

import _provenance

SCRIPT = "validation/measure_families.py"

DROP_KEYS = {
    "auto_map": "points at remote code; the in-library class is used instead",
    "quantization": "MLX quantization metadata of the re-upload; parameters are counted unquantized",
    "quantization_config": "would make transformers swap Linear layers for quantized ones",
    "_name_or_path": "bookkeeping only",
    "architectures": "bookkeeping only (the class is chosen explicitly)",
    "transformers_version": "bookkeeping only",
}

CATEGORIES = [
    "embedding",  # word/token embedding (a tied output head is not counted again)
    "position_embedding",
    "token_type_embedding",
    "embedding_norm",
    "attention",  # q, k, v, o projections and their biases
    "attention_output_norm",  # BERT post-attention LayerNorm (weight + bias)
    "mlp",  # intermediate + output dense (up/down) and biases
    "mlp_output_norm",  # BERT post-MLP LayerNorm (weight + bias)
    "mamba_in_proj",
    "mamba_conv1d",  # depthwise conv weight [conv_dim, 1, k] + bias [conv_dim]
    "mamba_dt_bias",
    "mamba_A_log",
    "mamba_D",
    "mamba_norm",  # gated group RMSNorm weight [intermediate]
    "mamba_out_proj",
    "block_norm",  # pre-norm RMSNorm of every Nemotron-H / Mamba-2 block
    "final_norm",
    "pooler",
    "head",  # classifier, MLM head (transform dense + LayerNorm + decoder bias), lm_head when untied
]

# ---------------------------------------------------------------------------------------------
# Published configs.
# ---------------------------------------------------------------------------------------------
CONFIGS: "OrderedDict[str, dict[str, Any]]" = OrderedDict()

CONFIGS["bert-base-uncased"] = {
    "official_repo": "google-bert/bert-base-uncased",
    "source": {
        "url": "https://huggingface.co/rayTest/bert-base-uncased/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "commit titled 'Duplicate from google-bert/bert-base-uncased'; identical to the many other copies "
        "(e.g. Zhibinhong/bert-base-uncased, Xenova/bert-base-uncased)",
    },
    "config": {
        "architectures": ["BertForMaskedLM"],
        "attention_probs_dropout_prob": 0.1,
        "gradient_checkpointing": False,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": 768,
        "initializer_range": 0.02,
        "intermediate_size": 3072,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": 512,
        "model_type": "bert",
        "num_attention_heads": 12,
        "num_hidden_layers": 12,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "transformers_version": "4.6.0.dev0",
        "type_vocab_size": 2,
        "use_cache": True,
        "vocab_size": 30522,
    },
    "classes": ["BertForSequenceClassification", "BertForMaskedLM", "BertModel"],
    "anchors": {"BertModel": 109482240},
    "anchor_note": "109,482,240 is the widely quoted parameter count of bert-base-uncased as BertModel "
    "(embeddings + 12 layers + pooler)",
}

CONFIGS["bert-large-uncased"] = {
    "official_repo": "google-bert/bert-large-uncased",
    "source": {
        "url": "https://huggingface.co/google-bert/bert-large-uncased/blob/33c39800b0a20bb13de1f87885c10ceb43f55a11/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "the official repository's config.json",
    },
    "config": {
        "architectures": ["BertForMaskedLM"],
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": 1024,
        "initializer_range": 0.02,
        "intermediate_size": 4096,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": 512,
        "model_type": "bert",
        "num_attention_heads": 16,
        "num_hidden_layers": 24,
        "pad_token_id": 0,
        "type_vocab_size": 2,
        "vocab_size": 30522,
    },
    "classes": ["BertForSequenceClassification", "BertForMaskedLM", "BertModel"],
}

CONFIGS["roberta-base"] = {
    "official_repo": "FacebookAI/roberta-base",
    "source": {
        "url": "https://huggingface.co/snibbles22/roberta-base/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "commit titled 'Duplicate from FacebookAI/roberta-base'; identical to Cheng98/roberta-base "
        "(_name_or_path FacebookAI/roberta-base) apart from bookkeeping keys",
    },
    "config": {
        "architectures": ["RobertaForMaskedLM"],
        "attention_probs_dropout_prob": 0.1,
        "bos_token_id": 0,
        "eos_token_id": 2,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": 768,
        "initializer_range": 0.02,
        "intermediate_size": 3072,
        "layer_norm_eps": 1e-05,
        "max_position_embeddings": 514,
        "model_type": "roberta",
        "num_attention_heads": 12,
        "num_hidden_layers": 12,
        "pad_token_id": 1,
        "type_vocab_size": 1,
        "vocab_size": 50265,
    },
    "classes": ["RobertaForSequenceClassification", "RobertaForMaskedLM", "RobertaModel"],
    "anchors": {"RobertaModel": 124645632},
    "anchor_note": "124,645,632 is the widely quoted parameter count of roberta-base as RobertaModel "
    "(embeddings + 12 layers + pooler)",
}

CONFIGS["roberta-large"] = {
    "official_repo": "FacebookAI/roberta-large",
    "source": {
        "url": "https://huggingface.co/sentence-transformers/all-roberta-large-v1/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "copy whose _name_or_path is roberta-large. The official repository's older revision "
        "(https://huggingface.co/FacebookAI/roberta-large/blob/8ac184fa49bc58b63ce68cd8990754c3602c50ad/config.json) "
        "has the same sizes (hidden 1024, 24 layers, 16 heads, ffn 4096, max_position_embeddings 514, "
        "type_vocab_size 1, vocab 50265) but no model_type/pad_token_id and layer_norm_eps 1e-12",
    },
    "config": {
        "_name_or_path": "roberta-large",
        "architectures": ["RobertaForMaskedLM"],
        "attention_probs_dropout_prob": 0.1,
        "bos_token_id": 0,
        "eos_token_id": 2,
        "gradient_checkpointing": False,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": 1024,
        "initializer_range": 0.02,
        "intermediate_size": 4096,
        "layer_norm_eps": 1e-05,
        "max_position_embeddings": 514,
        "model_type": "roberta",
        "num_attention_heads": 16,
        "num_hidden_layers": 24,
        "pad_token_id": 1,
        "position_embedding_type": "absolute",
        "transformers_version": "4.8.2",
        "type_vocab_size": 1,
        "use_cache": True,
        "vocab_size": 50265,
    },
    "classes": ["RobertaForSequenceClassification", "RobertaForMaskedLM", "RobertaModel"],
}

_NEMOTRON_H_COMMON = {
    "architectures": ["NemotronHForCausalLM"],
    "attention_bias": False,
    "attention_dropout": 0.0,
    "attention_head_dim": 128,
    "auto_map": {
        "AutoConfig": "configuration_nemotron_h.NemotronHConfig",
        "AutoModelForCausalLM": "modeling_nemotron_h.NemotronHForCausalLM",
    },
    "bos_token_id": 1,
    "chunk_size": 128,
    "conv_kernel": 4,
    "eos_token_id": 2,
    "expand": 2,
    "hidden_dropout": 0.0,
    "initializer_range": 0.02,
    "layer_norm_epsilon": 1e-05,
    "mamba_head_dim": 64,
    "mamba_hidden_act": "silu",
    "mamba_proj_bias": False,
    "max_position_embeddings": 8192,
    "mlp_bias": False,
    "mlp_hidden_act": "relu2",
    "model_type": "nemotron_h",
    "n_groups": 8,
    "num_key_value_heads": 8,
    "num_logits_to_keep": 1,
    "pad_token_id": 0,
    "rescale_prenorm_residual": True,
    "residual_in_fp32": False,
    "rms_norm_eps": 1e-05,
    "sliding_window": None,
    "tie_word_embeddings": False,
    "time_step_floor": 0.0001,
    "time_step_limit": [0.0, float("inf")],
    "time_step_max": 0.1,
    "time_step_min": 0.001,
    "torch_dtype": "bfloat16",
    "use_bias": False,
    "use_cache": True,
    "use_conv_bias": True,
    "use_mamba_kernels": True,
    "vocab_size": 131072,
}

_NEMOTRON_NOTE = (
    "The official config.json was not in the searchable corpus. The fields are written from knowledge of the "
    "official file (remote-code era, transformers 4.48). Every field that sets a parameter shape is cross-checked "
    "against NVIDIA's Megatron-Bridge provider for this model (hybrid_layer_pattern, hidden_size, mamba_state_dim "
    "= ssm_state_size, mamba_num_heads, mamba_head_dim 64, mamba_num_groups 8 = n_groups, ffn_hidden_size = "
    "intermediate_size, num_attention_heads, num_query_groups 8 = num_key_value_heads, kv_channels 128 = head_dim, "
    "make_vocab_size_divisible_by 128)"
)
_MB_URL = ("https://github.com/NVIDIA-NeMo/Megatron-Bridge/blob/160ccccbb49d8eb37d05197a9fd4c4390eb9f88e/"
           "src/megatron/bridge/models/nemotronh/nemotron_h_provider.py")

CONFIGS["Nemotron-H-8B-Base-8K"] = {
    "official_repo": "nvidia/Nemotron-H-8B-Base-8K",
    "source": {
        "url": _MB_URL,
        "found_with": "read_file tool (NVIDIA-NeMo/Megatron-Bridge), plus vLLM's NemotronHConfig docstring "
        "(https://docs.vllm.ai/en/v0.20.2/api/vllm/transformers_utils/configs/nemotron_h/), whose defaults "
        "(NemotronH-v0.1 = the 8B) give the same pattern, hidden 4096, ffn 21504, 52 layers, vocab 131072",
        "note": _NEMOTRON_NOTE + "; class NemotronHModelProvider8B",
    },
    "config": dict(_NEMOTRON_H_COMMON, **{
        "hidden_size": 4096,
        "hybrid_override_pattern": "M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M-",
        "intermediate_size": 21504,
        "mamba_num_heads": 128,
        "num_attention_heads": 32,
        "num_hidden_layers": 52,
        "ssm_state_size": 128,
        "time_step_rank": 256,
        "transformers_version": "4.48.0.dev0",
    }),
    "classes": ["NemotronHForCausalLM"],
}

CONFIGS["Nemotron-H-56B-Base-8K"] = {
    "official_repo": "nvidia/Nemotron-H-56B-Base-8K",
    "source": {
        "url": _MB_URL,
        "found_with": "read_file tool (NVIDIA-NeMo/Megatron-Bridge); NVIDIA's Nemotron-H blog states 54 Mamba-2, "
        "54 MLP and 10 self-attention layers for the 56B, which the pattern reproduces",
        "note": _NEMOTRON_NOTE + "; class NemotronHModelProvider56B",
    },
    "config": dict(_NEMOTRON_H_COMMON, **{
        "hidden_size": 8192,
        "hybrid_override_pattern": "M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-"
                                   "M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M-",
        "intermediate_size": 32768,
        "mamba_num_heads": 256,
        "num_attention_heads": 64,
        "num_hidden_layers": 118,
        "ssm_state_size": 256,
        "time_step_rank": 256,
        "transformers_version": "4.48.0.dev0",
    }),
    "classes": ["NemotronHForCausalLM"],
}

CONFIGS["Nemotron-H-47B-Base-8K"] = {
    "official_repo": "nvidia/Nemotron-H-47B-Base-8K",
    "source": {
        "url": _MB_URL,
        "found_with": "read_file tool (NVIDIA-NeMo/Megatron-Bridge)",
        "note": _NEMOTRON_NOTE + "; class NemotronHModelProvider47B (distilled from the 56B: ffn 30720, 98 layers)",
    },
    "config": dict(_NEMOTRON_H_COMMON, **{
        "hidden_size": 8192,
        "hybrid_override_pattern": "M-M-M-M-M-M-M-M-M*-M-M-M-M-M-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M-M-M"
                                   "---MM---M-M*-M-M-M-M-M-",
        "intermediate_size": 30720,
        "mamba_num_heads": 256,
        "num_attention_heads": 64,
        "num_hidden_layers": 98,
        "ssm_state_size": 256,
        "time_step_rank": 256,
        "transformers_version": "4.48.0.dev0",
    }),
    "classes": ["NemotronHForCausalLM"],
}

_MAMBA_SSM_NOTE = (
    "state-spaces checkpoints ship a mamba_ssm config (d_model, n_layer, ssm_cfg={'layer': 'Mamba2'}, "
    "pad_vocab_size_multiple 16, tie_embeddings true). It is translated to Mamba2Config with the mamba_ssm Mamba2 "
    "layer defaults (d_state 128, d_conv 4, expand 2, headdim 64, ngroups 1, chunk_size 256, bias false, "
    "conv_bias true, rmsnorm true, norm_before_gate false): hidden_size=d_model, num_hidden_layers=n_layer, "
    "num_heads=expand*d_model/headdim, n_groups=1, state_size=128, vocab_size=50277 padded up to a multiple of 16 "
    "= 50288 (the embedding the checkpoint stores), tie_word_embeddings=tie_embeddings"
)

CONFIGS["mamba2-2.7b"] = {
    "official_repo": "state-spaces/mamba2-2.7b",
    "source": {
        "url": "https://huggingface.co/state-spaces/mamba2-2.7b/blame/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": _MAMBA_SSM_NOTE,
    },
    "published_mamba_ssm_config": {
        "d_model": 2560, "d_intermediate": 0, "n_layer": 64, "vocab_size": 50277, "ssm_cfg": {"layer": "Mamba2"},
        "attn_layer_idx": [], "attn_cfg": {}, "rms_norm": True, "residual_in_fp32": True, "fused_add_norm": True,
        "pad_vocab_size_multiple": 16, "tie_embeddings": True,
    },
    "config": {
        "model_type": "mamba2", "hidden_size": 2560, "num_hidden_layers": 64, "vocab_size": 50288,
        "state_size": 128, "expand": 2, "head_dim": 64, "num_heads": 80, "n_groups": 1, "conv_kernel": 4,
        "chunk_size": 256, "use_bias": False, "use_conv_bias": True, "residual_in_fp32": True,
        "layer_norm_epsilon": 1e-05, "tie_word_embeddings": True, "pad_token_id": 0, "bos_token_id": 0,
        "eos_token_id": 0,
    },
    "classes": ["Mamba2ForCausalLM"],
}

CONFIGS["mamba2-130m"] = {
    "official_repo": "state-spaces/mamba2-130m",
    "source": {
        "url": "https://huggingface.co/state-spaces/mamba2-130m/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": _MAMBA_SSM_NOTE,
    },
    "published_mamba_ssm_config": {
        "d_model": 768, "d_intermediate": 0, "n_layer": 24, "vocab_size": 50277, "ssm_cfg": {"layer": "Mamba2"},
        "attn_layer_idx": [], "attn_cfg": {}, "rms_norm": True, "residual_in_fp32": True, "fused_add_norm": True,
        "pad_vocab_size_multiple": 16, "tie_embeddings": True,
    },
    "config": {
        "model_type": "mamba2", "hidden_size": 768, "num_hidden_layers": 24, "vocab_size": 50288,
        "state_size": 128, "expand": 2, "head_dim": 64, "num_heads": 24, "n_groups": 1, "conv_kernel": 4,
        "chunk_size": 256, "use_bias": False, "use_conv_bias": True, "residual_in_fp32": True,
        "layer_norm_epsilon": 1e-05, "tie_word_embeddings": True, "pad_token_id": 0, "bos_token_id": 0,
        "eos_token_id": 0,
    },
    "classes": ["Mamba2ForCausalLM"],
}

CONFIGS["Mamba-Codestral-7B-v0.1"] = {
    "official_repo": "mistralai/Mamba-Codestral-7B-v0.1",
    "source": {
        "url": "https://huggingface.co/mlx-community/Mamba-Codestral-7B-v0.1-2bit/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "MLX re-upload of the official HF-format (Mamba2ForCausalLM) config; its 'quantization' and "
        "'quantization_config' keys are the re-upload's and are dropped. The reference Mamba2Config of transformers",
    },
    "config": {
        "architectures": ["Mamba2ForCausalLM"],
        "bos_token_id": 0,
        "chunk_size": 256,
        "conv_kernel": 4,
        "eos_token_id": 0,
        "expand": 2,
        "head_dim": 64,
        "hidden_act": "silu",
        "hidden_size": 4096,
        "initializer_range": 0.1,
        "intermediate_size": 8192,
        "layer_norm_epsilon": 1e-05,
        "model_type": "mamba2",
        "n_groups": 8,
        "norm_before_gate": True,
        "num_heads": 128,
        "num_hidden_layers": 64,
        "pad_token_id": 0,
        "quantization": {"group_size": 64, "bits": 2},
        "quantization_config": {"group_size": 64, "bits": 2},
        "rescale_prenorm_residual": False,
        "residual_in_fp32": True,
        "rms_norm": True,
        "state_size": 128,
        "tie_word_embeddings": False,
        "time_step_floor": 0.0001,
        "time_step_init_scheme": "random",
        "time_step_limit": [0.0, float("inf")],
        "time_step_max": 0.1,
        "time_step_min": 0.001,
        "time_step_rank": 256,
        "time_step_scale": 1.0,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.44.0.dev0",
        "use_bias": False,
        "use_cache": True,
        "use_conv_bias": True,
        "vocab_size": 32768,
    },
    "classes": ["Mamba2ForCausalLM"],
}

CLASS_KWARGS = {
    "BertForSequenceClassification": {"num_labels": 2},
    "RobertaForSequenceClassification": {"num_labels": 2},
}

NOT_MEASURED = {
    "Jamba (ai21labs/Jamba-v0.1)": "optional in the brief and not measured: its SSM layers are Mamba-1 "
    "(JambaMambaMixer: x_proj/dt_proj, no heads), a different mixer from the Mamba-2 one measured here. "
    "JambaForCausalLM exists in this transformers version.",
}


# ---------------------------------------------------------------------------------------------
# Parameter classification
# ---------------------------------------------------------------------------------------------
_LAYER_RE = re.compile(r"^(?P<prefix>.*\.(?:layer|layers))\.(?P<idx>\d+)\.(?P<rest>.+)$")


def split_layer(name: str) -> tuple[int | None, str]:
    m = _LAYER_RE.match(name)
    if m is None:
        return None, name
    return int(m.group("idx")), m.group("rest")


def categorize(name: str) -> str | None:
    """Category of a parameter (or buffer) name; None if no rule applies (must not happen)."""
    segs = name.split(".")
    idx, rest = split_layer(name)
    if idx is None:
        if "embeddings.word_embeddings" in name or re.search(r"(^|\.)embeddings\.weight$", name):
            return "embedding"
        if "embeddings.position_embeddings" in name:
            return "position_embedding"
        if "embeddings.token_type_embeddings" in name:
            return "token_type_embedding"
        if "embeddings.LayerNorm" in name:
            return "embedding_norm"
        if re.search(r"(^|\.)norm_f\.", name):
            return "final_norm"
        if re.search(r"(^|\.)pooler\.", name):
            return "pooler"
        if segs[0] in ("classifier", "cls", "lm_head", "qa_outputs"):
            return "head"
        return None
    # inside an encoder / decoder layer
    if rest.startswith("attention.self.") or rest.startswith("attention.output.dense."):
        return "attention"
    if rest.startswith("attention.output.LayerNorm."):
        return "attention_output_norm"
    if rest.startswith("intermediate.dense.") or rest.startswith("output.dense."):
        return "mlp"
    if rest.startswith("output.LayerNorm."):
        return "mlp_output_norm"
    if rest.startswith("norm."):
        return "block_norm"
    if rest.startswith("mixer."):
        sub = rest[len("mixer."):]
        head = sub.split(".")[0]
        if head in ("q_proj", "k_proj", "v_proj", "o_proj"):
            return "attention"
        if head in ("up_proj", "down_proj", "gate_proj"):
            return "mlp"
        return {"in_proj": "mamba_in_proj", "conv1d": "mamba_conv1d", "dt_bias": "mamba_dt_bias",
                "A_log": "mamba_A_log", "D": "mamba_D", "norm": "mamba_norm",
                "out_proj": "mamba_out_proj"}.get(head)
    return None


def empty_breakdown() -> dict[str, int]:
    return {c: 0 for c in CATEGORIES}


def build_config(entry: dict[str, Any]):
    from transformers import AutoConfig

    raw = copy.deepcopy(entry["config"])
    dropped = {k: DROP_KEYS[k] for k in raw if k in DROP_KEYS}
    kwargs = {k: v for k, v in raw.items() if k not in DROP_KEYS}
    model_type = kwargs.pop("model_type")
    cfg = AutoConfig.for_model(model_type, **kwargs)
    return cfg, dropped


def layer_kind_label(model, cfg, idx: int) -> tuple[str, str | None]:
    """(label, pattern symbol) of decoder/encoder layer idx."""
    if getattr(cfg, "model_type", "") == "nemotron_h":
        bt = cfg.layers_block_type[idx]
        sym = {"linear_attention": "M", "full_attention": "*", "mlp": "-", "moe": "E"}[bt]
        mixer_cls = {"linear_attention": "NemotronHMamba2Mixer", "full_attention": "NemotronHAttention",
                     "mlp": "NemotronHMLP", "moe": "NemotronHMoE"}[bt]
        return f"NemotronHBlock[{bt}] ({mixer_cls})", sym
    for name, mod in model.named_modules():
        m = _LAYER_RE.match(name + ".x")
        if m and int(m.group("idx")) == idx and m.group("rest") == "x":
            return type(mod).__name__, None
    return "layer", None


def analyse(name: str, entry: dict[str, Any], cls_name: str) -> dict[str, Any]:
    import transformers

    cfg, dropped = build_config(entry)
    kwargs = CLASS_KWARGS.get(cls_name, {})
    for k, v in kwargs.items():
        setattr(cfg, k, v)
    cls = getattr(transformers, cls_name)
    with torch.device("meta"):
        model = cls(cfg)

    total = 0
    breakdown = empty_breakdown()
    uncategorized: list[str] = []
    per_layer: dict[int, list[tuple[str, list[int], int, str]]] = {}
    non_layer: list[tuple[str, list[int], int, str]] = []
    for pname, p in model.named_parameters():  # de-duplicates tied parameters
        n = p.numel()
        total += n
        cat = categorize(pname)
        if cat is None:
            uncategorized.append(pname)
            continue
        breakdown[cat] += n
        idx, rest = split_layer(pname)
        row = (rest if idx is not None else pname, list(p.shape), n, cat)
        if idx is None:
            non_layer.append(row)
        else:
            per_layer.setdefault(idx, []).append(row)
    assert total == sum(p.numel() for p in model.parameters())

    # tied / shared parameters: every alias of a storage that appears under several names
    by_id: dict[int, list[str]] = {}
    for pname, p in model.named_parameters(remove_duplicate=False):
        by_id.setdefault(id(p), []).append(pname)
    aliases = [names for names in by_id.values() if len(names) > 1]
    head_tied = False
    try:
        out_emb = model.get_output_embeddings()
        head_tied = out_emb is not None and out_emb.weight is model.get_input_embeddings().weight
    except Exception:  # noqa: BLE001
        head_tied = False

    sd_keys = set(model.state_dict().keys())
    buffers = [{"name": b, "shape": list(t.shape), "numel": t.numel(), "dtype": str(t.dtype).replace("torch.", ""),
                "persistent": b in sd_keys} for b, t in model.named_buffers()]

    # group layers into kinds by identical parameter signature (+ label)
    kinds: "OrderedDict[tuple, dict[str, Any]]" = OrderedDict()
    for idx in sorted(per_layer):
        rows = per_layer[idx]
        label, sym = layer_kind_label(model, cfg, idx)
        key = (label, tuple((r[0], tuple(r[1])) for r in rows))
        k = kinds.get(key)
        if k is None:
            bd = empty_breakdown()
            for r in rows:
                bd[r[3]] += r[2]
            k = kinds[key] = {"kind": label, "pattern_symbol": sym, "layers": [], "count": 0,
                              "per_layer_total": sum(r[2] for r in rows),
                              "per_layer_breakdown": {c: v for c, v in bd.items() if v},
                              "parameter_shapes": [{"name": r[0], "shape": r[1], "numel": r[2], "category": r[3]}
                                                   for r in rows]}
        k["layers"].append(idx)
        k["count"] += 1
    n_layers = len(per_layer)
    non_layer_bd = empty_breakdown()
    for r in non_layer:
        non_layer_bd[r[3]] += r[2]

    result: dict[str, Any] = {
        "model": name,
        "hf_class": cls_name,
        "class_kwargs": kwargs,
        "family": {"bert": "encoder", "roberta": "encoder", "nemotron_h": "hybrid",
                   "mamba2": "ssm"}[cfg.model_type],
        "official_repo": entry["official_repo"],
        "config_source": entry["source"],
        "published_config": _jsonable(entry["config"]),
        "dropped_config_keys": dropped,
        "effective_config": _effective_config(cfg),
        "total_params": total,
        "breakdown": breakdown,
        "breakdown_sum": sum(breakdown.values()),
        "uncategorized_param_names": uncategorized,
        "num_layers_instantiated": n_layers,
        "layer_kinds": list(kinds.values()),
        "non_layer": {"total": sum(r[2] for r in non_layer),
                      "breakdown": {c: v for c, v in non_layer_bd.items() if v},
                      "parameter_shapes": [{"name": r[0], "shape": r[1], "numel": r[2], "category": r[3]}
                                           for r in non_layer]},
        "output_head_tied_to_input_embedding": bool(head_tied),
        "tied_parameter_aliases": aliases,
        "buffers": buffers,
        "buffers_excluded_from_total": True,
        "persistent_buffers_numel": sum(b["numel"] for b in buffers if b["persistent"]),
    }
    if "published_mamba_ssm_config" in entry:
        result["published_mamba_ssm_config"] = entry["published_mamba_ssm_config"]
    if cfg.model_type == "nemotron_h":
        pat = cfg.hybrid_override_pattern
        result["hybrid_override_pattern"] = pat
        result["pattern_counts"] = {s: pat.count(s) for s in "M*-E" if pat.count(s)}
        result["layers_block_type_counts"] = {t: cfg.layers_block_type.count(t)
                                              for t in dict.fromkeys(cfg.layers_block_type)}
    anchor = entry.get("anchors", {}).get(cls_name)
    if anchor is not None:
        result["anchor_total_params"] = anchor
        result["anchor_match"] = anchor == total
        result["anchor_note"] = entry.get("anchor_note")
    result["notes"] = _param_notes(cfg, cls_name, result)
    return result


def _jsonable(obj):
    if isinstance(obj, float) and obj == float("inf"):
        return "Infinity"
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    return obj


def _effective_config(cfg) -> dict[str, Any]:
    keys = ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
            "num_key_value_heads", "head_dim", "max_position_embeddings", "type_vocab_size", "pad_token_id",
            "layer_norm_eps", "layer_norm_epsilon", "hidden_act", "mlp_hidden_act", "mlp_bias", "attention_bias",
            "use_bias", "use_conv_bias", "tie_word_embeddings", "ssm_state_size", "state_size",
            "mamba_num_heads", "mamba_head_dim", "num_heads", "n_groups", "conv_kernel", "expand", "chunk_size",
            "position_embedding_type", "is_decoder", "residual_in_fp32"]
    out = {}
    for k in keys:
        try:
            v = getattr(cfg, k)
        except AttributeError:
            continue
        if isinstance(v, (int, float, bool, str)) or v is None:
            out[k] = v
    return out


def _param_notes(cfg, cls_name: str, r: dict[str, Any]) -> list[str]:
    notes = []
    mt = cfg.model_type
    if mt in ("bert", "roberta"):
        notes.append("every LayerNorm has weight AND bias (embeddings.LayerNorm, attention.output.LayerNorm, "
                     "output.LayerNorm, MLM transform LayerNorm); every Linear has a bias")
        has_pooler = any(s["category"] == "pooler" for s in r["non_layer"]["parameter_shapes"])
        notes.append(f"pooler present: {has_pooler}")
        if mt == "roberta":
            notes.append(f"position_embeddings has max_position_embeddings = {cfg.max_position_embeddings} rows; "
                         f"positions start at padding_idx+1 = {cfg.pad_token_id + 1}, so the longest usable "
                         f"sequence is {cfg.max_position_embeddings - cfg.pad_token_id - 1} tokens; "
                         f"type_vocab_size = {cfg.type_vocab_size}")
        if cls_name.endswith("MaskedLM"):
            notes.append("MLM head: transform dense [h,h]+bias, LayerNorm [h]+bias, decoder weight TIED to the word "
                         "embedding (not counted again), decoder bias [vocab] counted once (the decoder.bias and "
                         "the head's bias are the same tensor)")
        if cls_name == "RobertaForSequenceClassification":
            notes.append("RobertaClassificationHead = dense [h,h]+bias then out_proj [num_labels,h]+bias on the "
                         "<s> token; RoBERTa classification does not use the pooler (not instantiated)")
        if cls_name == "BertForSequenceClassification":
            notes.append("classifier [num_labels,h]+bias on the pooler output (pooler dense [h,h]+bias, tanh)")
    if mt == "nemotron_h":
        notes.append("each layer has ONE mixer (Mamba-2, attention or MLP) and one pre-norm RMSNorm (weight only); "
                     "no layer has both attention and MLP")
        notes.append("MLP is NOT gated: up_proj [ffn,h] -> relu^2 -> down_proj [h,ffn], no biases")
        notes.append("attention: q/k/v/o without bias, GQA; NO rotary/position embedding at all (NoPE); no q/k norm")
        notes.append("Mamba-2 mixer: in_proj [2*d_inner + 2*n_groups*state + n_heads, h] (z, x, B, C, dt), "
                     "conv1d depthwise over d_inner + 2*n_groups*state channels with bias, dt_bias/A_log/D [n_heads], "
                     "gated group RMSNorm weight [d_inner] (group size d_inner/n_groups), out_proj [h, d_inner]; "
                     "d_inner = mamba_num_heads*mamba_head_dim")
        notes.append("published 'attention_head_dim' / 'rms_norm_eps' / 'time_step_rank' are remote-code field "
                     "names; the in-library NemotronHConfig uses head_dim (default 128) and layer_norm_epsilon, and "
                     "time_step_rank shapes nothing")
    if mt == "mamba2":
        notes.append("Mamba2Block = pre-norm RMSNorm (weight only) + Mamba2Mixer; no MLP, no attention")
    return notes


def measure_params() -> dict[str, Any]:
    import transformers

    results: "OrderedDict[str, Any]" = OrderedDict()
    failures: dict[str, str] = {}
    for name, entry in CONFIGS.items():
        for cls_name in entry["classes"]:
            key = f"{name}:{cls_name}"
            if not hasattr(transformers, cls_name):
                failures[key] = f"class {cls_name} does not exist in transformers {transformers.__version__}"
                continue
            try:
                r = analyse(name, entry, cls_name)
                results[key] = r
                print(f"{key:55s} {r['total_params']:>16,d} uncategorized={len(r['uncategorized_param_names'])}"
                      + (f" anchor_match={r['anchor_match']}" if "anchor_match" in r else ""), flush=True)
            except Exception as exc:  # noqa: BLE001
                failures[key] = f"{type(exc).__name__}: {exc}"
                print(f"{key}: FAILED {failures[key]}", file=sys.stderr, flush=True)
    classes = {c: hasattr(transformers, c) for c in
               ["BertForSequenceClassification", "BertForMaskedLM", "RobertaForSequenceClassification",
                "RobertaForMaskedLM", "NemotronHForCausalLM", "Mamba2ForCausalLM", "JambaForCausalLM",
                "BambaForCausalLM"]}
    return {
        "provenance": _provenance.provenance(SCRIPT),
        "method": {
            "instantiation": "config = AutoConfig.for_model(model_type, **published_config minus dropped keys); "
            "model = <hf_class>(config) inside `with torch.device('meta')`; class_kwargs (num_labels=2) set on the "
            "config before instantiation",
            "total_params": "sum(p.numel() for p in model.parameters()); parameters() de-duplicates tied weights "
            "(a tied output head / MLM decoder weight is counted once, under 'embedding'). Buffers (BERT "
            "position_ids/token_type_ids) are excluded and listed under 'buffers'",
            "categories": {c: "" for c in CATEGORIES} | {
                "embedding": "word/token embedding [vocab, h]",
                "position_embedding": "learned absolute positions [max_position_embeddings, h] (BERT/RoBERTa only)",
                "token_type_embedding": "segment embedding [type_vocab_size, h]",
                "embedding_norm": "embeddings.LayerNorm weight + bias",
                "attention": "q, k, v, o projection weights and biases (BERT: attention.self.query/key/value and "
                "attention.output.dense; Nemotron-H: mixer.q_proj/k_proj/v_proj/o_proj)",
                "attention_output_norm": "BERT attention.output.LayerNorm weight + bias (post-norm)",
                "mlp": "BERT intermediate.dense + output.dense with biases; Nemotron-H mixer.up_proj/down_proj",
                "mlp_output_norm": "BERT output.LayerNorm weight + bias (post-norm)",
                "mamba_in_proj": "Mamba-2 mixer.in_proj weight (and bias when use_bias)",
                "mamba_conv1d": "Mamba-2 mixer.conv1d weight [conv_dim, 1, conv_kernel] + bias [conv_dim]",
                "mamba_dt_bias": "mixer.dt_bias [n_heads]",
                "mamba_A_log": "mixer.A_log [n_heads]",
                "mamba_D": "mixer.D [n_heads]",
                "mamba_norm": "mixer.norm (gated group RMSNorm) weight [d_inner]",
                "mamba_out_proj": "mixer.out_proj weight (and bias when use_bias)",
                "block_norm": "the pre-norm RMSNorm of each Nemotron-H / Mamba-2 block (layers.N.norm.weight)",
                "final_norm": "norm_f.weight",
                "pooler": "BERT pooler.dense weight + bias",
                "head": "everything after the encoder/decoder stack: BERT classifier, RoBERTa classification head "
                "(dense + out_proj), MLM head (transform dense, LayerNorm, decoder bias), lm_head when untied",
            },
            "layer_kinds": "layers grouped by identical (label, parameter names and shapes); label is the block class "
            "(BertLayer, RobertaLayer, Mamba2Block) or, for Nemotron-H, NemotronHBlock[block_type] with the "
            "hybrid_override_pattern symbol ('M' Mamba-2, '*' attention, '-' MLP, 'E' MoE). parameter_shapes gives "
            "every parameter of one layer of the kind, names relative to the layer",
            "consistency": "breakdown sums to total_params; sum over kinds of count * per_layer_total + "
            "non_layer.total = total_params; numel = product(shape) for every listed parameter (checked by "
            "tests/test_families_data.py without torch)",
        },
        "classes_available_in_transformers": classes,
        "not_measured": NOT_MEASURED,
        "models": results,
        "failures": failures,
    }


# =============================================================================================
# Activations (saved tensors) and peak memory: small real models / fake tensors
# =============================================================================================
BERT_BASE_CFG = {k: v for k, v in CONFIGS["bert-base-uncased"]["config"].items() if k not in DROP_KEYS}
ROBERTA_BASE_CFG = {k: v for k, v in CONFIGS["roberta-base"]["config"].items() if k not in DROP_KEYS}
BERT_LARGE_CFG = {k: v for k, v in CONFIGS["bert-large-uncased"]["config"].items() if k not in DROP_KEYS}
_NO_DROPOUT_ENC = {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0, "classifier_dropout": 0.0}

ACT_ARCHS: dict[str, dict[str, Any]] = {
    # full bert-base-uncased / roberta-base sizes (12 layers), dropout 0
    "bert-base": {"hf_class": "BertForSequenceClassification", "class_kwargs": {"num_labels": 2},
                  "config": dict(BERT_BASE_CFG, **_NO_DROPOUT_ENC), "task": "seqcls"},
    "bert-base-mlm": {"hf_class": "BertForMaskedLM", "class_kwargs": {},
                      "config": dict(BERT_BASE_CFG, **_NO_DROPOUT_ENC), "task": "mlm"},
    "roberta-base": {"hf_class": "RobertaForSequenceClassification", "class_kwargs": {"num_labels": 2},
                     "config": dict(ROBERTA_BASE_CFG, **_NO_DROPOUT_ENC), "task": "seqcls"},
    "bert-large": {"hf_class": "BertForSequenceClassification", "class_kwargs": {"num_labels": 2},
                   "config": dict(BERT_LARGE_CFG, **_NO_DROPOUT_ENC), "task": "seqcls"},
    # small BERT for the fake-vs-real cross-check of the peak harness
    "bert-small": {"hf_class": "BertForSequenceClassification", "class_kwargs": {"num_labels": 2},
                   "config": dict(BERT_BASE_CFG, **_NO_DROPOUT_ENC, hidden_size=256, intermediate_size=1024,
                                  num_hidden_layers=2, num_attention_heads=8, vocab_size=1000),
                   "task": "seqcls"},
    # tiny Nemotron-H: every block kind present (M, -, *), layer 0 is Mamba-2
    "nemotron_h-tiny": {"hf_class": "NemotronHForCausalLM", "class_kwargs": {}, "task": "clm", "config": dict(
        model_type="nemotron_h", vocab_size=1000, hidden_size=256, hybrid_override_pattern="M-*-M-",
        num_attention_heads=8, num_key_value_heads=2, head_dim=32, intermediate_size=640, mlp_hidden_act="relu2",
        mamba_num_heads=8, mamba_head_dim=64, n_groups=2, ssm_state_size=32, conv_kernel=4, expand=2,
        chunk_size=128, use_conv_bias=True, use_bias=False, mlp_bias=False, attention_bias=False,
        layer_norm_epsilon=1e-5, max_position_embeddings=1024, tie_word_embeddings=False, attention_dropout=0.0,
        hidden_dropout=0.0, residual_in_fp32=False, pad_token_id=0, bos_token_id=1, eos_token_id=2)},
    # tiny pure Mamba-2 (state-spaces layout: n_groups 1, state 128, chunk 256)
    "mamba2-tiny": {"hf_class": "Mamba2ForCausalLM", "class_kwargs": {}, "task": "clm", "config": dict(
        model_type="mamba2", vocab_size=1000, hidden_size=256, num_hidden_layers=2, num_heads=8, head_dim=64,
        expand=2, n_groups=1, state_size=128, conv_kernel=4, chunk_size=256, use_bias=False, use_conv_bias=True,
        layer_norm_epsilon=1e-5, residual_in_fp32=True, tie_word_embeddings=True, pad_token_id=0, bos_token_id=0,
        eos_token_id=0)},
}

ACT_GRID: dict[str, dict[str, Any]] = {
    "bert-base": {"seqs": [128, 512], "attn": ["eager", "sdpa"], "ckpt": [False, True]},
    "roberta-base": {"seqs": [128, 512], "attn": ["sdpa"], "ckpt": [False]},
    "bert-base-mlm": {"seqs": [128], "attn": ["sdpa"], "ckpt": [False]},
    "nemotron_h-tiny": {"seqs": [128, 192, 256], "attn": ["eager", "sdpa"], "ckpt": [False, True]},
    "mamba2-tiny": {"seqs": [128, 256, 512], "attn": [None], "ckpt": [False, True]},
}
ACT_BATCH = 2
# extra runs at another batch size (linearity in b): (arch, batch, seq, recipe, attn, ckpt)
ACT_EXTRA = [("bert-base", 8, 128, "fp32", "sdpa", False),
             ("bert-base", 8, 128, "fp32_weights_autocast_bf16", "sdpa", False)]
ACT_RECIPES = ["fp32", "fp32_weights_autocast_bf16", "bf16_weights"]

_FALLBACK_LOG: list[str] = []


class _FallbackLogHandler(logging.Handler):
    def emit(self, record):  # noqa: D401
        msg = record.getMessage()
        if "reference PyTorch implementation" in msg or "falling back" in msg:
            _FALLBACK_LOG.append(msg)


def mamba_code_path() -> dict[str, Any]:
    found = {pkg: importlib.util.find_spec(pkg) is not None for pkg in ("mamba_ssm", "causal_conv1d", "kernels")}
    return {
        "packages_importable": found,
        "path": "torch fallback (reference PyTorch implementation in transformers: causal_conv1d_fn via F.conv1d, "
        "mamba2_chunk_scan = chunked SSD scan with segment_sum/einsum/cumsum, gated group RMSNorm in torch)"
        if not found["mamba_ssm"] else "mamba_ssm package importable: CUDA kernels may be used",
        "training_fused_kernel": "mamba2_split_conv1d_scan_combined returns None without mamba_ssm, so the training "
        "forward takes the unfused torch path",
        "transformers_fallback_warnings_seen": sorted(set(_FALLBACK_LOG)),
    }


def build_small(arch: str, attn: str | None, recipe: str, dtype_at_build: bool = False):
    """Build an ACT_ARCHS model. dtype_at_build: create bf16 parameters directly (needed under FakeTensorMode)."""
    import transformers

    spec = ACT_ARCHS[arch]
    kwargs = dict(spec["config"])
    mt = kwargs.pop("model_type")
    cfg = transformers.AutoConfig.for_model(mt, **kwargs)
    for k, v in spec["class_kwargs"].items():
        setattr(cfg, k, v)
    cls = getattr(transformers, spec["hf_class"])
    extra: dict[str, Any] = {}
    if attn is not None:
        extra["attn_implementation"] = attn
    if dtype_at_build:
        extra["dtype"] = torch.bfloat16 if recipe == "bf16_weights" else torch.float32
    torch.manual_seed(0)
    model = cls._from_config(cfg, **extra)
    if recipe == "bf16_weights" and not dtype_at_build:
        model.to(torch.bfloat16)
    return model, cfg


def make_inputs(arch: str, cfg, batch: int, seq: int, gen) -> dict[str, torch.Tensor]:
    task = ACT_ARCHS[arch]["task"]
    lo = 5 if cfg.model_type == "roberta" else 3  # keep clear of pad/special ids (RoBERTa pad=1 shifts positions)
    ids = torch.randint(lo, cfg.vocab_size, (batch, seq), generator=gen)
    inputs: dict[str, torch.Tensor] = {"input_ids": ids}
    if task in ("seqcls", "mlm"):
        inputs["attention_mask"] = torch.ones(batch, seq, dtype=torch.long)
    if task == "seqcls":
        inputs["labels"] = torch.randint(0, cfg.num_labels, (batch,), generator=gen)
    else:
        inputs["labels"] = ids.clone()
    return inputs


def part_of_module(name: str) -> str | None:
    """Model part a module name starts (None: not a part root)."""
    idx, rest = split_layer(name + ".x")
    if idx is not None and rest == "x":
        return f"layer.{idx}"
    segs = name.split(".")
    if segs[-1] == "embeddings" or segs[-1] in ("word_embeddings", "embed_tokens"):
        return "embedding"
    if segs[-1] == "pooler":
        return "pooler"
    if segs[-1] == "norm_f":
        return "final_norm"
    if name in ("classifier", "cls", "lm_head"):
        return "head"
    return None


class FamilyPartTracker:
    """Forward pre/post hooks on every module (as measure_activations.PartTracker, with family-aware part names)."""

    def __init__(self, model: torch.nn.Module):
        self.stack: list[str] = []
        self.head_done = False
        self.handles = []
        self.layer_inputs: dict[str, int] = {}
        self.part_roots: dict[str, str] = {}
        for name, mod in model.named_modules():
            if name == "":
                continue
            part = part_of_module(name)
            if part is not None and not (part == "embedding" and any(
                    name.startswith(r + ".") for r, p in self.part_roots.items() if p == "embedding")):
                self.part_roots[name] = part
            self.handles.append(mod.register_forward_pre_hook(self._pre(name), with_kwargs=True))
            self.handles.append(mod.register_forward_hook(self._post(name), with_kwargs=True))

    def _pre(self, name):
        def hook(mod, args, kwargs):
            self.stack.append(name)
            part = self.part_roots.get(name)
            if part is not None and part.startswith("layer."):
                hs = args[0] if args else kwargs.get("hidden_states")
                if isinstance(hs, torch.Tensor):
                    self.layer_inputs[part] = hs.untyped_storage().nbytes()
        return hook

    def _post(self, name):
        def hook(mod, args, kwargs, out):
            if self.stack and self.stack[-1] == name:
                self.stack.pop()
            if self.part_roots.get(name) == "head":
                self.head_done = True
        return hook

    def current(self) -> tuple[str, str]:
        for name in reversed(self.stack):
            if name in self.part_roots:
                return self.part_roots[name], (self.stack[-1] if self.stack else "")
        if self.head_done:
            return "loss", ""
        return "other", (self.stack[-1] if self.stack else "")

    def remove(self):
        for h in self.handles:
            h.remove()


def _layer_kinds_of(model, cfg) -> dict[int, str]:
    n = cfg.num_hidden_layers
    out = {}
    for i in range(n):
        label, sym = layer_kind_label(model, cfg, i)
        out[i] = sym or label
    return out


def _release(model: torch.nn.Module) -> None:
    """Free parameter and gradient storage of a finished real-tensor run.

    After a run under MemTracker the Parameter objects stay referenced from C++ (hooks), so they are not
    collected with the model; without this every bert-base run would leak ~0.9 GB.
    """
    with torch.no_grad():
        for p in model.parameters():
            p.grad = None
            p.data = torch.empty(0, dtype=p.dtype)


def activation_run(arch: str, recipe: str, attn: str | None, ckpt: bool, seq: int,
                   batch: int = ACT_BATCH) -> dict[str, Any]:
    from measure_activations import OpRecorder, walk_graph
    from torch.distributed._tools.mem_tracker import MemTracker

    model, cfg = build_small(arch, attn, recipe)
    model.train()
    if ckpt:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    gen = torch.Generator().manual_seed(1234)
    inputs = make_inputs(arch, cfg, batch, seq, gen)
    param_ptrs = {p.untyped_storage().data_ptr() for p in model.parameters()}
    input_ptrs = {t.untyped_storage().data_ptr() for t in inputs.values()}
    kinds = _layer_kinds_of(model, cfg)

    saved: list[torch.Tensor] = []
    meta: list[dict[str, Any]] = []
    unpack_log: list[int] = []
    tracker = FamilyPartTracker(model)
    recorder = OpRecorder(param_ptrs)
    ckpt_unpacked: set[int] = set()

    def pack(t: torch.Tensor):
        part, mod = tracker.current()
        meta.append({"part": part, "module": mod})
        saved.append(t)
        return len(saved) - 1

    def unpack(i: int):
        f = sys._getframe(1)
        depth = 0
        while f is not None and depth < 60:
            if f.f_code.co_filename.replace("\\", "/").endswith("torch/utils/checkpoint.py"):
                ckpt_unpacked.add(i)
                return saved[i]
            f = f.f_back
            depth += 1
        unpack_log.append(i)
        return saved[i]

    autocast = (torch.autocast("cpu", dtype=torch.bfloat16) if recipe == "fp32_weights_autocast_bf16"
                else contextlib.nullcontext())
    mt = MemTracker()
    mt.track_external(model)
    t0 = time.time()
    with mt:
        with recorder:
            with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
                with autocast:
                    loss = model(**inputs).loss
        snap = mt.get_tracker_snapshot("current")
    fwd_s = time.time() - t0
    tracker.remove()

    if ckpt:
        # With non-reentrant checkpointing, reading a checkpointed node's saved attributes recomputes the layer, and
        # the graph walk reads every attribute: at bert-base seq 512 that exhausted 24 GB. So the walk is skipped
        # and saved_by stays empty; the part / module / shape of every saved tensor is still recorded, and the
        # backward below runs (its checkpoint recomputation reads the inputs saved by _NoopSaveInputs).
        mapping: dict[int, list[tuple[str, str]]] = {}
    else:
        mapping = walk_graph(loss.grad_fn, unpack_log)

    storage_ids: dict[int, int] = {}
    first_part: dict[int, str] = {}
    rows = []
    for i, (t, m) in enumerate(zip(saved, meta)):
        st = t.untyped_storage()
        ptr, snb = st.data_ptr(), st.nbytes()
        if ptr in param_ptrs:
            kind = "parameter"
        elif ptr in recorder.param_cast_ptrs:
            kind = "parameter_cast"
        elif ptr in input_ptrs:
            kind = "input"
        else:
            kind = "activation"
        key = ptr if snb > 0 else -(i + 1)
        sid = storage_ids.setdefault(key, len(storage_ids))
        first = sid not in first_part
        if first:
            first_part[sid] = m["part"]
        rows.append({"index": i, "part": m["part"], "module": m["module"], "kind": kind,
                     "saved_by": [f"{n}.{a}" for n, a in mapping.get(i, [])], "shape": list(t.shape),
                     "dtype": str(t.dtype).replace("torch.", ""), "tensor_nbytes": t.numel() * t.element_size(),
                     "storage_nbytes": snb, "storage_id": sid, "first_save_of_storage": first})

    def agg(fn) -> dict[str, Any]:
        dedup: dict[int, int] = {}
        raw = 0
        for r in rows:
            if fn(r):
                raw += r["storage_nbytes"]
                dedup[r["storage_id"]] = r["storage_nbytes"]
        return {"dedup_bytes": sum(dedup.values()), "raw_sum_storage_nbytes": raw,
                "num_tensors": sum(1 for r in rows if fn(r)), "num_storages": len(dedup)}

    parts = sorted({r["part"] for r in rows}, key=lambda p: (p != "embedding", not p.startswith("layer"),
                                                              int(p.split(".")[1]) if p.startswith("layer.") else 0, p))
    by_part = {}
    for p in parts:
        first_attr: dict[str, dict[int, int]] = {}
        for r in rows:
            if first_part[r["storage_id"]] == p:
                first_attr.setdefault(r["kind"], {})[r["storage_id"]] = r["storage_nbytes"]
        by_part[p] = {"all_kinds": agg(lambda r, p=p: r["part"] == p),
                      "activation_only": agg(lambda r, p=p: r["part"] == p and r["kind"] == "activation"),
                      "first_save_attributed_dedup_bytes_by_kind": {k: sum(v.values()) for k, v in first_attr.items()}}
    per_layer = {}
    for p in parts:
        if not p.startswith("layer."):
            continue
        li = int(p.split(".")[1])
        per_layer[p] = {
            "layer_kind": kinds.get(li),
            "activation_first_save_dedup_bytes": by_part[p]["first_save_attributed_dedup_bytes_by_kind"].get(
                "activation", 0),
            "activation_dedup_bytes_saved_in_part": by_part[p]["activation_only"]["dedup_bytes"],
            "all_kinds_dedup_bytes_saved_in_part": by_part[p]["all_kinds"]["dedup_bytes"],
            "parameter_cast_dedup_bytes_saved_in_part": agg(
                lambda r, p=p: r["part"] == p and r["kind"] == "parameter_cast")["dedup_bytes"],
            "layer_input_hidden_states_storage_bytes": tracker.layer_inputs.get(p),
        }
    # saved tensors of the first layer of every kind
    first_of_kind: dict[str, int] = {}
    for li in sorted(kinds):
        first_of_kind.setdefault(kinds[li], li)
    kind_tensors = {k: {"layer": li, "saved_tensors": [r for r in rows if r["part"] == f"layer.{li}"]}
                    for k, li in first_of_kind.items()}
    per_kind = {}
    for k, li in first_of_kind.items():
        vals = sorted({per_layer[p]["activation_first_save_dedup_bytes"] for p in per_layer
                       if per_layer[p]["layer_kind"] == k})
        per_kind[k] = {"layers": [i for i in sorted(kinds) if kinds[i] == k],
                       "activation_first_save_dedup_bytes_distinct_values": vals}

    loss_value = float(loss.detach().float())
    loss.backward()
    backward_ok = all(p.grad is not None for p in model.parameters() if p.requires_grad)
    ckpt_inputs = sorted(ckpt_unpacked)
    # The saved tensors reference their autograd nodes, whose saved variables reference the unpack hook, which
    # references `saved`: a cycle through C++ objects that Python's gc cannot collect. Break it explicitly.
    saved.clear()
    del loss
    _release(model)
    cpu = torch.device("cpu")
    mt_cur = {getattr(k, "value", str(k)): v for k, v in snap.get(cpu, {}).items()}
    return {
        "arch": arch,
        "hf_class": type(model).__name__,
        "class_kwargs": ACT_ARCHS[arch]["class_kwargs"],
        "config": _jsonable(ACT_ARCHS[arch]["config"]),
        "attn_implementation": getattr(model.config, "_attn_implementation", None) if attn else None,
        "batch": batch,
        "seq": seq,
        "inputs": {k: list(v.shape) for k, v in inputs.items()},
        "recipe": recipe,
        "param_dtype": str(next(model.parameters()).dtype).replace("torch.", ""),
        "gradient_checkpointing": ckpt,
        "loss": loss_value,
        "backward_sanity_check_all_params_have_grad": backward_ok,
        "forward_seconds": round(fwd_s, 3),
        "totals": {"all_saved": agg(lambda r: True), "activation": agg(lambda r: r["kind"] == "activation"),
                   "parameter": agg(lambda r: r["kind"] == "parameter"),
                   "parameter_cast": agg(lambda r: r["kind"] == "parameter_cast"),
                   "input": agg(lambda r: r["kind"] == "input")},
        "by_part": by_part,
        "per_layer": per_layer,
        "per_layer_kind": per_kind,
        "first_layer_of_each_kind_saved_tensors": kind_tensors,
        "non_layer_saved_tensors": [r for r in rows if not r["part"].startswith("layer.")],
        "unmapped_saved_tensor_indices": [r["index"] for r in rows if not r["saved_by"]],
        "saved_by_mapping": "skipped (gradient checkpointing: the graph walk would recompute every layer once per "
        "saved attribute)" if ckpt else "walk_graph over loss.grad_fn",
        "checkpoint_recomputation_read_indices": ckpt_inputs if ckpt else None,
        "attention_kernel_ops": recorder.attention_ops,
        "memtracker_after_forward": mt_cur,
    }


# ---------------------------------------------------------------------------------------------
def _peak_grid(quick: bool) -> list[dict[str, Any]]:
    g = []
    enc_shapes = [(2, 128), (8, 128), (2, 512), (8, 512)] if not quick else [(8, 128)]
    for (mb, seq), recipe, ckpt in itertools.product(enc_shapes, ["fp32", "fp32_weights_autocast_bf16"],
                                                     [False, True]):
        g.append(dict(arch="bert-base", mb=mb, seq=seq, recipe=recipe, ckpt=ckpt, attn="sdpa", fake=True))
    if not quick:
        for recipe in ["fp32", "fp32_weights_autocast_bf16"]:
            g.append(dict(arch="bert-base", mb=8, seq=512, recipe=recipe, ckpt=False, attn="eager", fake=True))
        g.append(dict(arch="bert-base", mb=8, seq=512, recipe="bf16_weights", ckpt=False, attn="sdpa", fake=True))
        for (mb, seq), recipe in itertools.product([(8, 128), (8, 512)], ["fp32", "fp32_weights_autocast_bf16"]):
            g.append(dict(arch="roberta-base", mb=mb, seq=seq, recipe=recipe, ckpt=False, attn="sdpa", fake=True))
        for recipe in ["fp32", "fp32_weights_autocast_bf16"]:
            g.append(dict(arch="bert-base-mlm", mb=8, seq=128, recipe=recipe, ckpt=False, attn="sdpa", fake=True))
            g.append(dict(arch="bert-large", mb=8, seq=512, recipe=recipe, ckpt=False, attn="sdpa", fake=True))
    hyb_shapes = [(2, 256)] if quick else [(2, 256), (2, 512)]
    for (mb, seq), recipe, ckpt in itertools.product(hyb_shapes, ["fp32", "fp32_weights_autocast_bf16"],
                                                     [False, True]):
        g.append(dict(arch="nemotron_h-tiny", mb=mb, seq=seq, recipe=recipe, ckpt=ckpt, attn="sdpa", fake=False))
        g.append(dict(arch="mamba2-tiny", mb=mb, seq=seq, recipe=recipe, ckpt=ckpt, attn=None, fake=False))
    return g


CROSSCHECK = [
    dict(arch="bert-small", mb=2, seq=128, recipe="fp32", ckpt=False, attn="sdpa"),
    dict(arch="bert-small", mb=2, seq=128, recipe="fp32_weights_autocast_bf16", ckpt=False, attn="sdpa"),
    dict(arch="nemotron_h-tiny", mb=2, seq=256, recipe="fp32", ckpt=False, attn="sdpa"),
    dict(arch="mamba2-tiny", mb=2, seq=256, recipe="fp32", ckpt=False, attn=None),
]


def peak_run(arch: str, mb: int, seq: int, recipe: str, ckpt: bool, attn: str | None, fake: bool) -> dict[str, Any]:
    from torch._subclasses.fake_tensor import FakeTensorMode

    from measure_peak_memory import PhaseMemTracker, _module_peaks, _snap

    torch.manual_seed(0)
    mode = FakeTensorMode() if fake else contextlib.nullcontext()
    t0 = time.time()
    with mode:
        model, cfg = build_small(arch, attn, recipe, dtype_at_build=True)
        model.train()
        if ckpt:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4, foreach=True)
        gen = None if fake else torch.Generator().manual_seed(1234)
        if fake:
            lo = 5 if cfg.model_type == "roberta" else 3
            ids = torch.randint(lo, cfg.vocab_size, (mb, seq))
            inputs = {"input_ids": ids}
            task = ACT_ARCHS[arch]["task"]
            if task in ("seqcls", "mlm"):
                inputs["attention_mask"] = torch.ones(mb, seq, dtype=torch.long)
            inputs["labels"] = torch.randint(0, cfg.num_labels, (mb,)) if task == "seqcls" else ids.clone()
        else:
            inputs = make_inputs(arch, cfg, mb, seq, gen)
        n_params = sum(p.numel() for p in model.parameters())
        mt = PhaseMemTracker()
        mt.track_external(model, opt, *inputs.values())
        snaps: dict[str, dict[str, int]] = {}
        autocast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if recipe == "fp32_weights_autocast_bf16" \
            else contextlib.nullcontext
        with mt:
            snaps["before_iter1"] = _snap(mt.get_tracker_snapshot("current"))
            for it in (1, 2):
                mt.phase = f"iter{it}.forward"
                with autocast():
                    loss = model(**inputs).loss
                snaps[f"iter{it}.after_forward"] = _snap(mt.get_tracker_snapshot("current"))
                mt.phase = f"iter{it}.backward"
                loss.backward()
                del loss
                snaps[f"iter{it}.after_backward"] = _snap(mt.get_tracker_snapshot("current"))
                mt.phase = f"iter{it}.optimizer_step"
                opt.step()
                snaps[f"iter{it}.after_optimizer_step"] = _snap(mt.get_tracker_snapshot("current"))
                mt.phase = f"iter{it}.zero_grad"
                opt.zero_grad(set_to_none=True)
                snaps[f"iter{it}.after_zero_grad"] = _snap(mt.get_tracker_snapshot("current"))
                if it == 1:
                    mt.reset_mod_stats()
            peak = _snap(mt.get_tracker_snapshot("peak"))
        modules = _module_peaks(mt)
        opt_state_dtypes = sorted({str(v.dtype).replace("torch.", "") for st in opt.state.values()
                                   for v in st.values() if isinstance(v, torch.Tensor)})
        param_dtype = str(next(model.parameters()).dtype).replace("torch.", "")
        del opt
        if not fake:
            _release(model)
    return {
        "arch": arch,
        "hf_class": ACT_ARCHS[arch]["hf_class"],
        "class_kwargs": ACT_ARCHS[arch]["class_kwargs"],
        "tensor_mode": "fake" if fake else "real",
        "config": _jsonable(ACT_ARCHS[arch]["config"]),
        "num_params": n_params,
        "micro_batch": mb,
        "seq": seq,
        "inputs": {k: list(v.shape) for k, v in inputs.items()},
        "recipe": recipe,
        "param_dtype": param_dtype,
        "optimizer": "AdamW(foreach=True)",
        "optimizer_state_dtypes": opt_state_dtypes,
        "gradient_checkpointing": ckpt,
        "attn_implementation": getattr(model.config, "_attn_implementation", None) if attn else None,
        "peak_bytes": peak.get("Total"),
        "peak_by_category": peak,
        "peak_reached_at": mt.peak_where,
        "peak_phase": mt.peak_where.get("phase"),
        "per_phase_peaks": mt.phase_peaks,
        "snapshots": snaps,
        "steady_state_after_iter1": {
            "params_bytes": snaps["iter1.after_zero_grad"].get("Parameter"),
            "buffers_bytes": snaps["iter1.after_zero_grad"].get("Buffer"),
            "optimizer_state_bytes": snaps["iter1.after_zero_grad"].get("Optstate"),
            "grads_bytes_after_backward_iter2": snaps["iter2.after_backward"].get("Gradient"),
            "other_bytes (inputs, labels, attention_mask)": snaps["iter1.after_zero_grad"].get("Other"),
            "activation_bytes_after_forward_iter2": snaps["iter2.after_forward"].get("Activation"),
        },
        "module_peaks_iter2": modules,
        "wall_seconds": round(time.time() - t0, 2),
    }


CHILD_MEMORY_LIMIT_BYTES = 16 * 2**30  # address-space cap per run: a MemoryError instead of the system OOM killer


def _child(conn, fn, args, kwargs):
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_LIMIT_BYTES, CHILD_MEMORY_LIMIT_BYTES))
    logging.getLogger("transformers").addHandler(_FallbackLogHandler())
    try:
        r = fn(*args, **kwargs)
        conn.send(("ok", r, list(_FALLBACK_LOG)))
    except Exception as exc:  # noqa: BLE001
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc().splitlines()[-4:]))
    finally:
        conn.close()


def run_isolated(fn, *args, **kwargs):
    """Run fn in a forked child process and return its result.

    Each measurement gets a fresh process so that nothing leaks from one run into the next: after a
    MemTracker run the parameters stay referenced from C++ hooks, and with gradient checkpointing the
    recomputed tensors consumed by the graph walk keep the whole graph alive (GBs per bert-base run).
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs))
    proc.start()
    child.close()
    try:
        status, payload, extra = parent.recv()
    except EOFError:
        proc.join()
        raise RuntimeError(f"child process died (exit code {proc.exitcode})") from None
    proc.join()
    if status == "error":
        raise RuntimeError(payload + " | " + " / ".join(extra))
    _FALLBACK_LOG.extend(m for m in extra if m not in _FALLBACK_LOG)
    return payload


def measure_activations_and_peak(do_act: bool, do_peak: bool, quick: bool) -> dict[str, Any]:
    act_runs: list[dict[str, Any]] = []
    peak_runs: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []

    def attempt(tag, fn, *a, **kw):
        try:
            r = run_isolated(fn, *a, **kw)
            r["run_id"] = tag
            return r
        except Exception as exc:  # noqa: BLE001
            failures.append({"run_id": tag, "error": f"{type(exc).__name__}: {exc}",
                             "traceback_tail": traceback.format_exc().splitlines()[-4:]})
            print(f"{tag}: FAILED {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            return None

    if do_act:
        for arch, grid in ACT_GRID.items():
            seqs = grid["seqs"][:1] if quick else grid["seqs"]
            recipes = ACT_RECIPES[:2] if quick else ACT_RECIPES
            combos = [(ACT_BATCH, seq, recipe, attn, ckpt) for seq, recipe, attn, ckpt
                      in itertools.product(seqs, recipes, grid["attn"], grid["ckpt"])]
            if not quick:
                combos += [(b, s, rc, at, ck) for (a, b, s, rc, at, ck) in ACT_EXTRA if a == arch]
            for batch, seq, recipe, attn, ckpt in combos:
                tag = f"act {arch} b={batch} seq={seq} {recipe} {attn} ckpt={ckpt}"
                r = attempt(tag, activation_run, arch, recipe, attn, ckpt, seq, batch)
                if r is not None:
                    act_runs.append(r)
                    pk = {k: v["activation_first_save_dedup_bytes_distinct_values"]
                          for k, v in r["per_layer_kind"].items()}
                    print(f"{tag:70s} act={r['totals']['activation']['dedup_bytes']:>11d} per_kind={pk} "
                          f"mt_act={r['memtracker_after_forward'].get('Activation')} {r['forward_seconds']}s",
                          flush=True)
    cross = []
    if do_peak:
        for spec in _peak_grid(quick):
            tag = (f"train {spec['arch']} mb={spec['mb']} seq={spec['seq']} {spec['recipe']} ckpt={spec['ckpt']} "
                   f"{spec['attn']} {'fake' if spec['fake'] else 'REAL'}")
            r = attempt(tag, peak_run, **spec)
            if r is not None:
                peak_runs.append(r)
                print(f"{tag:85s} peak={r['peak_bytes']:>14,d} at {r['peak_phase']} ({r['wall_seconds']}s)",
                      flush=True)
        for spec in CROSSCHECK[:1] if quick else CROSSCHECK:
            pair: dict[str, Any] = {"spec": spec}
            for fake in (True, False):
                tag = (f"crosscheck {spec['arch']} mb={spec['mb']} seq={spec['seq']} {spec['recipe']} "
                       f"{'fake' if fake else 'REAL'}")
                r = attempt(tag, peak_run, fake=fake, **spec)
                pair["fake" if fake else "real"] = None if r is None else r["peak_by_category"]
                if r is not None:
                    print(f"{tag:85s} peak={r['peak_bytes']:>14,d}", flush=True)
            if pair.get("fake") and pair.get("real"):
                pair["identical"] = pair["fake"] == pair["real"]
            cross.append(pair)
    return {"activation_runs": act_runs, "peak_runs": peak_runs, "fake_vs_real_crosscheck": cross,
            "failures": failures}


def main() -> None:
    import transformers

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick = "--quick" in sys.argv
    want = set(args) or {"params", "activations", "peak"}
    logging.getLogger("transformers").addHandler(_FallbackLogHandler())
    torch.manual_seed(0)

    if "params" in want:
        payload = measure_params()
        _provenance.write_json(_provenance.data_path("families.json"), payload)
        print("wrote", _provenance.data_path("families.json"), "transformers", transformers.__version__)

    if want & {"activations", "peak"}:
        t0 = time.time()
        res = measure_activations_and_peak("activations" in want, "peak" in want, quick)
        payload = {
            "provenance": _provenance.provenance(SCRIPT),
            "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
            "mamba2_code_path": mamba_code_path(),
            "method": {
                "activations": "as validation/measure_activations.py: one forward pass with labels (loss included) "
                "of a freshly initialised model in train() mode (all dropout 0) under "
                "torch.autograd.graph.saved_tensors_hooks; storages de-duplicated by data_ptr; the autograd node "
                "that saved each tensor found by walking loss.grad_fn (walk_graph and OpRecorder are imported from "
                "measure_activations.py). Parts: 'embedding' (the embeddings module), 'layer.N', 'pooler', "
                "'final_norm' (norm_f), 'head' (classifier / cls / lm_head), 'loss' (after the head), 'other'. "
                "per_layer_kind groups layers by kind (BertLayer/RobertaLayer/Mamba2Block or the Nemotron-H "
                "pattern symbol M, *, -) and lists the distinct first-save-attributed activation bytes of its "
                "layers; first_layer_of_each_kind_saved_tensors lists every saved tensor of the first layer of "
                "each kind",
                "activation_inputs": "encoders: input_ids (random ids, RoBERTa ids >= 5 so no pad token), "
                "attention_mask of ones (as a tokenizer without padding gives), labels = one class id per sequence "
                "(SequenceClassification, num_labels=2) or labels = input_ids (MaskedLM: every position is a "
                "target); causal LMs: input_ids and labels = input_ids",
                "recipes": {"fp32": "fp32 weights, no autocast",
                            "fp32_weights_autocast_bf16": "fp32 weights, torch.autocast('cpu', dtype=bfloat16)",
                            "bf16_weights": "model.to(torch.bfloat16) (activations) / dtype=bfloat16 at build "
                                            "(peak); AdamW states then bf16"},
                "peak": "validation/measure_peak_memory.py's PhaseMemTracker over 2 iterations of forward -> "
                "loss.backward() -> AdamW(foreach=True).step() -> zero_grad(set_to_none=True); inputs, labels and "
                "attention_mask are track_external (category Other). tensor_mode 'fake' = built and run inside "
                "FakeTensorMode (no memory allocated); 'real' = real CPU tensors",
                "sizes": "bert-base / roberta-base / bert-large: the published sizes (12 or 24 layers) with dropout "
                "0; nemotron_h-tiny and mamba2-tiny are small configs (see each run's config) so that the torch "
                "Mamba-2 fallback runs on 2 CPU cores",
            },
            "activation_grid": {"batch": ACT_BATCH, "recipes": ACT_RECIPES, "per_arch": ACT_GRID,
                                "extra_runs (arch, batch, seq, recipe, attn, ckpt)": ACT_EXTRA},
            **res,
        }
        payload["mamba2_code_path"]["transformers_fallback_warnings_seen"] = sorted(set(_FALLBACK_LOG))
        partial = quick or not {"activations", "peak"} <= want
        out = "/tmp/families_activations.partial.json" if partial else _provenance.data_path(
            "families_activations.json")
        _provenance.write_json(out, payload)
        print("wrote", out, f"({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
