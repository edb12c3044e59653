"""Measure parameter counts of real LLM architectures with Hugging Face transformers.

Every model is built from a config dict written in this file (copied from the model's
published Hugging Face ``config.json``; the URL we read it from is recorded per model),
instantiated on the ``meta`` device (no memory, no download), and its parameters are
counted and classified by name / owning module into components.

Run from the repository root:

    /work/.venv-val/bin/python validation/measure_params.py

Writes validation/data/params.json (sorted keys, indent 1).
"""

from __future__ import annotations

import copy
import sys
from collections import OrderedDict
from typing import Any

import torch

import _provenance

SCRIPT = "validation/measure_params.py"

# Keys of a published config.json that are dropped before instantiation, with the reason.
DROP_KEYS = {
    "auto_map": "points at remote code; the in-library class is used instead",
    "quantization_config": "would make transformers swap Linear layers for quantized ones (FP8/AWQ/GPTQ); "
    "parameter counting is done on the unquantized architecture",
    "_name_or_path": "bookkeeping only",
    "architectures": "bookkeeping only (the class is chosen explicitly)",
    "transformers_version": "bookkeeping only",
}

CATEGORIES = ["embedding", "attention", "mlp", "experts", "shared_experts", "router", "norms", "head"]

# ---------------------------------------------------------------------------------------------
# Published configs.  "config" holds the fields exactly as they appear in the source config.json
# (JSON null -> None, true/false -> True/False).  "source" records where we read it.
# ---------------------------------------------------------------------------------------------
MODELS: "OrderedDict[str, dict[str, Any]]" = OrderedDict()

MODELS["Llama-2-7B"] = {
    "hf_class": "LlamaForCausalLM",
    "official_repo": "meta-llama/Llama-2-7b-hf",
    "source": {
        "url": "https://huggingface.co/north/llama2-7b-exporttest1/blob/56dcaff1795adb409dc9756e86617ee237c166a2/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload whose _name_or_path is meta-llama/Llama-2-7b-hf (the gated official repo page is not in "
        "the searchable corpus); architecture fields agree with the many other copies of the official config",
    },
    "anchor_total_params": 6738415616,
    "config": {
        "_name_or_path": "meta-llama/Llama-2-7b-hf",
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": 4096,
        "initializer_range": 0.02,
        "intermediate_size": 11008,
        "max_position_embeddings": 4096,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 32,
        "num_hidden_layers": 32,
        "num_key_value_heads": 32,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": "4.41.2",
        "use_cache": True,
        "vocab_size": 32000,
    },
}

MODELS["Llama-2-13B"] = {
    "hf_class": "LlamaForCausalLM",
    "official_repo": "meta-llama/Llama-2-13b-hf",
    "source": {
        "url": "https://huggingface.co/LoftQ/Llama-2-13b-hf-4bit-64rank/blame/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload whose _name_or_path is meta-llama/Llama-2-13b-hf; architecture fields identical to "
        "other copies (e.g. NousResearch/Llama-2-13b-chat-hf)",
    },
    "config": {
        "_name_or_path": "meta-llama/Llama-2-13b-hf",
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": 5120,
        "initializer_range": 0.02,
        "intermediate_size": 13824,
        "max_position_embeddings": 4096,
        "model_type": "llama",
        "num_attention_heads": 40,
        "num_hidden_layers": 40,
        "num_key_value_heads": 40,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "float16",
        "transformers_version": "4.35.0",
        "use_cache": True,
        "vocab_size": 32000,
    },
}

MODELS["Llama-2-70B"] = {
    "hf_class": "LlamaForCausalLM",
    "official_repo": "meta-llama/Llama-2-70b-hf",
    "source": {
        "url": "https://huggingface.co/TheBloke/Llama-2-70B-fp16/blob/refs%2Fpr%2F6/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload whose _name_or_path is meta-llama/Llama-2-70b-hf",
    },
    "config": {
        "_name_or_path": "meta-llama/Llama-2-70b-hf",
        "architectures": ["LlamaForCausalLM"],
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": 8192,
        "initializer_range": 0.02,
        "intermediate_size": 28672,
        "max_position_embeddings": 4096,
        "model_type": "llama",
        "num_attention_heads": 64,
        "num_hidden_layers": 80,
        "num_key_value_heads": 8,
        "pad_token_id": 0,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": None,
        "tie_word_embeddings": False,
        "torch_dtype": "float16",
        "transformers_version": "4.32.0.dev0",
        "use_cache": True,
        "vocab_size": 32000,
    },
}

_LLAMA31_ROPE = {
    "factor": 8.0,
    "high_freq_factor": 4.0,
    "low_freq_factor": 1.0,
    "original_max_position_embeddings": 8192,
    "rope_type": "llama3",
}

MODELS["Llama-3.1-8B"] = {
    "hf_class": "LlamaForCausalLM",
    "official_repo": "meta-llama/Llama-3.1-8B",
    "source": {
        "url": "https://huggingface.co/NbAiLab/nb-llama-3.1-8B/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload whose _name_or_path is meta-llama/Llama-3.1-8B",
    },
    "config": {
        "_name_or_path": "meta-llama/Llama-3.1-8B",
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 128000,
        "eos_token_id": 128001,
        "head_dim": 128,
        "hidden_act": "silu",
        "hidden_size": 4096,
        "initializer_range": 0.02,
        "intermediate_size": 14336,
        "max_position_embeddings": 131072,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 32,
        "num_hidden_layers": 32,
        "num_key_value_heads": 8,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": dict(_LLAMA31_ROPE),
        "rope_theta": 500000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": "4.46.3",
        "use_cache": True,
        "vocab_size": 128256,
    },
}

MODELS["Llama-3.1-70B"] = {
    "hf_class": "LlamaForCausalLM",
    "official_repo": "meta-llama/Llama-3.1-70B",
    "source": {
        "url": "https://huggingface.co/radi-cho/Meta-Llama-3.1-70B-FLUTE/blob/3cf3e93204466631fd9ba41dfbc89260263c955d/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload of Meta-Llama-3.1-70B (base) config; the quantized weights are irrelevant, the config "
        "has no quantization_config",
    },
    "config": {
        "_name_or_path": "/data/cl/scratch/model_weights/Meta-Llama-3.1-70B",
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 128000,
        "eos_token_id": 128001,
        "hidden_act": "silu",
        "hidden_size": 8192,
        "initializer_range": 0.02,
        "intermediate_size": 28672,
        "max_position_embeddings": 131072,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 64,
        "num_hidden_layers": 80,
        "num_key_value_heads": 8,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": dict(_LLAMA31_ROPE),
        "rope_theta": 500000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "float16",
        "transformers_version": "4.43.3",
        "use_cache": True,
        "vocab_size": 128256,
    },
}

MODELS["Llama-3.1-405B"] = {
    "hf_class": "LlamaForCausalLM",
    "official_repo": "meta-llama/Llama-3.1-405B",
    "source": {
        "url": "https://huggingface.co/uiuc-convai/CoALM-405B/blob/refs%2Fpr%2F1/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "copy whose _name_or_path is a snapshot of meta-llama/Llama-3.1-405B-Instruct (same architecture "
        "as the base model). It has num_key_value_heads=8, the value of the corrected official config; some "
        "older mirrors (e.g. migtissera/Meta-Llama-3.1-405B) carry num_key_value_heads=16 from the first "
        "upload -- see the separate entry 'Llama-3.1-405B (first upload, 16 KV heads)'",
    },
    "config": {
        "_name_or_path": "/data/jgreer/hf/hub/models--meta-llama--Llama-3.1-405B-Instruct/snapshots/"
        "be673f326cab4cd22ccfef76109faf68e41aa5f1/",
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 128000,
        "eos_token_id": [128001, 128008, 128009],
        "head_dim": 128,
        "hidden_act": "silu",
        "hidden_size": 16384,
        "initializer_range": 0.02,
        "intermediate_size": 53248,
        "max_position_embeddings": 131072,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 128,
        "num_hidden_layers": 126,
        "num_key_value_heads": 8,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": dict(_LLAMA31_ROPE),
        "rope_theta": 500000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.45.2",
        "use_cache": True,
        "vocab_size": 128256,
    },
}

MODELS["Llama-3.1-405B (first upload, 16 KV heads)"] = {
    "hf_class": "LlamaForCausalLM",
    "official_repo": "meta-llama/Llama-3.1-405B (superseded config revision)",
    "source": {
        "url": "https://huggingface.co/migtissera/Meta-Llama-3.1-405B/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "mirror of the first upload, num_key_value_heads=16; kept so that the engine can be checked "
        "against both numbers that circulate for 405B",
    },
    "config": {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 128000,
        "eos_token_id": 128001,
        "hidden_act": "silu",
        "hidden_size": 16384,
        "initializer_range": 0.02,
        "intermediate_size": 53248,
        "max_position_embeddings": 131072,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 128,
        "num_hidden_layers": 126,
        "num_key_value_heads": 16,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": {
            "factor": 8.0,
            "low_freq_factor": 1.0,
            "high_freq_factor": 4.0,
            "original_max_position_embeddings": 8192,
            "rope_type": "llama3",
        },
        "rope_theta": 500000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.42.3",
        "use_cache": True,
        "vocab_size": 128256,
    },
}

MODELS["Mistral-7B-v0.1"] = {
    "hf_class": "MistralForCausalLM",
    "official_repo": "mistralai/Mistral-7B-v0.1",
    "source": {
        "url": "https://huggingface.co/dmayboroda/42_mistral_0.1/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload whose _name_or_path is mistralai/Mistral-7B-v0.1",
    },
    "config": {
        "_name_or_path": "mistralai/Mistral-7B-v0.1",
        "architectures": ["MistralForCausalLM"],
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": 4096,
        "initializer_range": 0.02,
        "intermediate_size": 14336,
        "max_position_embeddings": 32768,
        "model_type": "mistral",
        "num_attention_heads": 32,
        "num_hidden_layers": 32,
        "num_key_value_heads": 8,
        "rms_norm_eps": 1e-05,
        "rope_theta": 10000.0,
        "sliding_window": 4096,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": "4.34.0",
        "use_cache": True,
        "vocab_size": 32000,
    },
}

MODELS["Mixtral-8x7B-v0.1"] = {
    "hf_class": "MixtralForCausalLM",
    "official_repo": "mistralai/Mixtral-8x7B-v0.1",
    "source": {
        "url": "https://huggingface.co/mistralai/Mixtral-8x7B-Instruct-v0.1/blob/eba92302a2861cdc0098cc54bc9f17cb2c47eb61/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "official mistralai config of the Instruct-v0.1 model, which has the same architecture fields as "
        "Mixtral-8x7B-v0.1 (verified by the parameter anchor 46,702,792,704)",
    },
    "anchor_total_params": 46702792704,
    "config": {
        "architectures": ["MixtralForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": 4096,
        "initializer_range": 0.02,
        "intermediate_size": 14336,
        "max_position_embeddings": 32768,
        "model_type": "mixtral",
        "num_attention_heads": 32,
        "num_experts_per_tok": 2,
        "num_hidden_layers": 32,
        "num_key_value_heads": 8,
        "num_local_experts": 8,
        "output_router_logits": False,
        "rms_norm_eps": 1e-05,
        "rope_theta": 1000000.0,
        "router_aux_loss_coef": 0.02,
        "sliding_window": None,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.36.0.dev0",
        "use_cache": True,
        "vocab_size": 32000,
    },
}

MODELS["Qwen2.5-7B"] = {
    "hf_class": "Qwen2ForCausalLM",
    "official_repo": "Qwen/Qwen2.5-7B",
    "source": {
        "url": "https://huggingface.co/CarbonLover/krx_qwen2.5_it_test/blob/16a84c949674f98b43237c01e96cd9895eb1c509/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload whose _name_or_path is Qwen/Qwen2.5-7B-Instruct; the base Qwen2.5-7B differs only in "
        "max_position_embeddings (131072) and token ids, not in any field that changes parameter count",
    },
    "config": {
        "_name_or_path": "Qwen/Qwen2.5-7B-Instruct",
        "architectures": ["Qwen2ForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": 151643,
        "eos_token_id": 151645,
        "hidden_act": "silu",
        "hidden_size": 3584,
        "initializer_range": 0.02,
        "intermediate_size": 18944,
        "max_position_embeddings": 32768,
        "max_window_layers": 28,
        "model_type": "qwen2",
        "num_attention_heads": 28,
        "num_hidden_layers": 28,
        "num_key_value_heads": 4,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 1000000.0,
        "sliding_window": None,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.46.1",
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": 152064,
    },
}

MODELS["Qwen2.5-72B"] = {
    "hf_class": "Qwen2ForCausalLM",
    "official_repo": "Qwen/Qwen2.5-72B",
    "source": {
        "url": "https://huggingface.co/BitStack/BitStack-Qwen2.5-72B/blame/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload whose _name_or_path ends in Qwen/Qwen2.5-72B",
    },
    "config": {
        "_name_or_path": "/cpfs01/shared/llm_ddd/wangxinghao/models/Qwen/Qwen2.5-72B",
        "architectures": ["Qwen2ForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": 151643,
        "eos_token_id": 151643,
        "hidden_act": "silu",
        "hidden_size": 8192,
        "initializer_range": 0.02,
        "intermediate_size": 29568,
        "max_position_embeddings": 131072,
        "max_window_layers": 80,
        "model_type": "qwen2",
        "num_attention_heads": 64,
        "num_hidden_layers": 80,
        "num_key_value_heads": 8,
        "rms_norm_eps": 1e-05,
        "rope_scaling": None,
        "rope_theta": 1000000.0,
        "sliding_window": None,
        "tie_word_embeddings": False,
        "torch_dtype": "float16",
        "transformers_version": "4.45.2",
        "use_cache": False,
        "use_sliding_window": False,
        "vocab_size": 152064,
    },
}

MODELS["Gemma-2-9B"] = {
    "hf_class": "Gemma2ForCausalLM",
    "official_repo": "google/gemma-2-9b",
    "source": {
        "url": "https://huggingface.co/ashercn97/blanked-v011/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload whose _name_or_path is google/gemma-2-9b (query_pre_attn_scalar 256 as in the official "
        "file); tie_word_embeddings is absent, so the class default (True) applies, as for the official model",
    },
    "config": {
        "_name_or_path": "google/gemma-2-9b",
        "architectures": ["Gemma2ForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "attn_logit_softcapping": 50.0,
        "bos_token_id": 2,
        "cache_implementation": "hybrid",
        "eos_token_id": 1,
        "final_logit_softcapping": 30.0,
        "head_dim": 256,
        "hidden_act": "gelu_pytorch_tanh",
        "hidden_activation": "gelu_pytorch_tanh",
        "hidden_size": 3584,
        "initializer_range": 0.02,
        "intermediate_size": 14336,
        "max_position_embeddings": 8192,
        "model_type": "gemma2",
        "num_attention_heads": 16,
        "num_hidden_layers": 42,
        "num_key_value_heads": 8,
        "pad_token_id": 0,
        "query_pre_attn_scalar": 256,
        "rms_norm_eps": 1e-06,
        "rope_theta": 10000.0,
        "sliding_window": 4096,
        "sliding_window_size": 4096,
        "torch_dtype": "float32",
        "transformers_version": "4.43.1",
        "use_cache": True,
        "vocab_size": 256000,
    },
}

MODELS["GPT-2 (124M)"] = {
    "hf_class": "GPT2LMHeadModel",
    "model_type": "gpt2",
    "official_repo": "openai-community/gpt2",
    "source": {
        "url": "https://huggingface.co/openai-community/gpt2/blob/b57efa2c4b00d481a02466eccc3e48f7c3f4d86c/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "official repo, revision b57efa2 (the minimal early config.json); later revisions only add "
        "non-architectural fields (dropouts, task params, activation_function=gelu_new which is the default)",
    },
    "anchor_total_params": 124439808,
    "config": {
        "initializer_range": 0.02,
        "layer_norm_epsilon": 1e-05,
        "n_ctx": 1024,
        "n_embd": 768,
        "n_head": 12,
        "n_layer": 12,
        "n_positions": 1024,
        "vocab_size": 50257,
    },
}

MODELS["OPT-1.3B"] = {
    "hf_class": "OPTForCausalLM",
    "official_repo": "facebook/opt-1.3b",
    "source": {
        "url": "https://huggingface.co/bunsenfeng/knowledge-card-math/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload whose _name_or_path is facebook/opt-1.3b (vocab_size 50272 as in the official file)",
    },
    "config": {
        "_name_or_path": "facebook/opt-1.3b",
        "_remove_final_layer_norm": False,
        "activation_dropout": 0.0,
        "activation_function": "relu",
        "architectures": ["OPTForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": 2,
        "do_layer_norm_before": True,
        "dropout": 0.1,
        "eos_token_id": 2,
        "ffn_dim": 8192,
        "hidden_size": 2048,
        "init_std": 0.02,
        "layerdrop": 0.0,
        "max_position_embeddings": 2048,
        "model_type": "opt",
        "num_attention_heads": 32,
        "num_hidden_layers": 24,
        "pad_token_id": 1,
        "prefix": "</s>",
        "torch_dtype": "float32",
        "transformers_version": "4.24.0",
        "use_cache": True,
        "vocab_size": 50272,
        "word_embed_proj_dim": 2048,
    },
}

MODELS["Falcon-7B"] = {
    "hf_class": "FalconForCausalLM",
    "official_repo": "tiiuae/falcon-7b",
    "source": {
        "url": "https://huggingface.co/tiiuae/falcon-7b-instruct/blob/refs%2Fpr%2F126/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "official tiiuae in-library config of falcon-7b-instruct (same architecture as falcon-7b: "
        "hidden 4544, 71 heads, multi_query, parallel_attn, 32 layers)",
    },
    "config": {
        "alibi": False,
        "apply_residual_connection_post_layernorm": False,
        "architectures": ["FalconForCausalLM"],
        "attention_dropout": 0.0,
        "auto_map": {
            "AutoConfig": "configuration_falcon.FalconConfig",
            "AutoModel": "modeling_falcon.FalconModel",
            "AutoModelForSequenceClassification": "modeling_falcon.FalconForSequenceClassification",
            "AutoModelForTokenClassification": "modeling_falcon.FalconForTokenClassification",
            "AutoModelForQuestionAnswering": "modeling_falcon.FalconForQuestionAnswering",
            "AutoModelForCausalLM": "modeling_falcon.FalconForCausalLM",
        },
        "bias": False,
        "bos_token_id": 11,
        "eos_token_id": 11,
        "hidden_dropout": 0.0,
        "hidden_size": 4544,
        "initializer_range": 0.02,
        "layer_norm_epsilon": 1e-05,
        "model_type": "falcon",
        "multi_query": True,
        "new_decoder_architecture": False,
        "num_attention_heads": 71,
        "num_hidden_layers": 32,
        "parallel_attn": True,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.27.4",
        "use_cache": True,
        "vocab_size": 65024,
    },
}

MODELS["Phi-3-mini-4k"] = {
    "hf_class": "Phi3ForCausalLM",
    "official_repo": "microsoft/Phi-3-mini-4k-instruct",
    "source": {
        "url": "https://huggingface.co/mcding/CorrectDPO-Model-DPO_Pm3B_U0_beta0.10/blame/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "re-upload whose _name_or_path is microsoft/Phi-3-mini-4k-instruct",
    },
    "config": {
        "_name_or_path": "microsoft/Phi-3-mini-4k-instruct",
        "architectures": ["Phi3ForCausalLM"],
        "attention_dropout": 0.0,
        "auto_map": {
            "AutoConfig": "microsoft/Phi-3-mini-4k-instruct--configuration_phi3.Phi3Config",
            "AutoModelForCausalLM": "microsoft/Phi-3-mini-4k-instruct--modeling_phi3.Phi3ForCausalLM",
        },
        "bos_token_id": 1,
        "embd_pdrop": 0.0,
        "eos_token_id": 32000,
        "hidden_act": "silu",
        "hidden_size": 3072,
        "initializer_range": 0.02,
        "intermediate_size": 8192,
        "max_position_embeddings": 4096,
        "model_type": "phi3",
        "num_attention_heads": 32,
        "num_hidden_layers": 32,
        "num_key_value_heads": 32,
        "original_max_position_embeddings": 4096,
        "pad_token_id": 32000,
        "resid_pdrop": 0.0,
        "rms_norm_eps": 1e-05,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "sliding_window": 2047,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.40.1",
        "use_cache": True,
        "vocab_size": 32064,
    },
}

MODELS["DeepSeek-V3"] = {
    "hf_class": "DeepseekV3ForCausalLM",
    "official_repo": "deepseek-ai/DeepSeek-V3",
    "source": {
        "url": "https://huggingface.co/JPAdams12th/dormant-model-2/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "verbatim copy of the official DeepSeek-V3 config.json (FP8 quantization_config, "
        "num_nextn_predict_layers=1). The search excerpt was cut after 'routed_scaling_factor'; the remaining "
        "fields (scoring_func .. vocab_size) were taken from "
        "https://gitcode.com/cann/cann-recipes-train/blob/master/llm_rl/deepseek/verl_patches/config.json , a copy "
        "of the same file that agrees on every other field except num_nextn_predict_layers (0 there) and the "
        "extra aux_loss_alpha/pretraining_tp keys, and checked against the DeepseekV3Config defaults in the vLLM "
        "docs (vocab 129280, v_head_dim 128, topk_group 4, scoring_func sigmoid)",
    },
    "config": {
        "architectures": ["DeepseekV3ForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "auto_map": {
            "AutoConfig": "configuration_deepseek.DeepseekV3Config",
            "AutoModel": "modeling_deepseek.DeepseekV3Model",
            "AutoModelForCausalLM": "modeling_deepseek.DeepseekV3ForCausalLM",
        },
        "bos_token_id": 0,
        "eos_token_id": 1,
        "ep_size": 1,
        "first_k_dense_replace": 3,
        "hidden_act": "silu",
        "hidden_size": 7168,
        "initializer_range": 0.02,
        "intermediate_size": 18432,
        "kv_lora_rank": 512,
        "max_position_embeddings": 163840,
        "model_type": "deepseek_v3",
        "moe_intermediate_size": 2048,
        "moe_layer_freq": 1,
        "n_group": 8,
        "n_routed_experts": 256,
        "n_shared_experts": 1,
        "norm_topk_prob": True,
        "num_attention_heads": 128,
        "num_experts_per_tok": 8,
        "num_hidden_layers": 61,
        "num_key_value_heads": 128,
        "num_nextn_predict_layers": 1,
        "q_lora_rank": 1536,
        "qk_nope_head_dim": 128,
        "qk_rope_head_dim": 64,
        "quantization_config": {
            "activation_scheme": "dynamic",
            "fmt": "e4m3",
            "quant_method": "fp8",
            "weight_block_size": [128, 128],
        },
        "rms_norm_eps": 1e-06,
        "rope_scaling": {
            "beta_fast": 32,
            "beta_slow": 1,
            "factor": 40,
            "mscale": 1.0,
            "mscale_all_dim": 1.0,
            "original_max_position_embeddings": 4096,
            "type": "yarn",
        },
        "rope_theta": 10000,
        "routed_scaling_factor": 2.5,
        "scoring_func": "sigmoid",
        "seq_aux": True,
        "tie_word_embeddings": False,
        "topk_group": 4,
        "topk_method": "noaux_tc",
        "torch_dtype": "bfloat16",
        "transformers_version": "4.33.1",
        "use_cache": True,
        "v_head_dim": 128,
        "vocab_size": 129280,
    },
}

MODELS["DeepSeek-V2-Lite"] = {
    "hf_class": "DeepseekV2ForCausalLM",
    "official_repo": "deepseek-ai/DeepSeek-V2-Lite",
    "source": {
        "url": "https://huggingface.co/ModelCloud/DeepSeek-V2-Lite-gptq-4bit/blob/main/config.json",
        "found_with": "search tool, corpus=docs",
        "note": "GPTQ re-upload whose _name_or_path is /model/DeepSeek-V2-Lite/ (its quantization_config is "
        "dropped). Its excerpt was cut after quantization_config; the remaining fields (rms_norm_eps .. "
        "vocab_size) were taken from the official deepseek-ai/DeepSeek-Coder-V2-Lite-Base config "
        "(https://huggingface.co/deepseek-ai/DeepSeek-Coder-V2-Lite-Base/blame/main/config.json), which has the "
        "same architecture fields up to that point",
    },
    "config": {
        "_name_or_path": "/model/DeepSeek-V2-Lite/",
        "architectures": ["DeepseekV2ForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "auto_map": {
            "AutoConfig": "configuration_deepseek.DeepseekV2Config",
            "AutoModel": "modeling_deepseek.DeepseekV2Model",
            "AutoModelForCausalLM": "modeling_deepseek.DeepseekV2ForCausalLM",
        },
        "aux_loss_alpha": 0.001,
        "bos_token_id": 100000,
        "eos_token_id": 100001,
        "ep_size": 1,
        "first_k_dense_replace": 1,
        "hidden_act": "silu",
        "hidden_size": 2048,
        "initializer_range": 0.02,
        "intermediate_size": 10944,
        "kv_lora_rank": 512,
        "max_position_embeddings": 163840,
        "model_type": "deepseek_v2",
        "moe_intermediate_size": 1408,
        "moe_layer_freq": 1,
        "n_group": 1,
        "n_routed_experts": 64,
        "n_shared_experts": 2,
        "norm_topk_prob": False,
        "num_attention_heads": 16,
        "num_experts_per_tok": 6,
        "num_hidden_layers": 27,
        "num_key_value_heads": 16,
        "pretraining_tp": 1,
        "q_lora_rank": None,
        "qk_nope_head_dim": 128,
        "qk_rope_head_dim": 64,
        "quantization_config": {"bits": 4, "checkpoint_format": "gptq", "quant_method": "gptq"},
        "rms_norm_eps": 1e-06,
        "rope_scaling": {
            "beta_fast": 32,
            "beta_slow": 1,
            "factor": 40,
            "mscale": 0.707,
            "mscale_all_dim": 0.707,
            "original_max_position_embeddings": 4096,
            "type": "yarn",
        },
        "rope_theta": 10000,
        "routed_scaling_factor": 1.0,
        "scoring_func": "softmax",
        "seq_aux": True,
        "tie_word_embeddings": False,
        "topk_group": 1,
        "topk_method": "greedy",
        "torch_dtype": "bfloat16",
        "v_head_dim": 128,
        "vocab_size": 102400,
    },
}

MODELS["Qwen3-8B"] = {
    "hf_class": "Qwen3ForCausalLM",
    "official_repo": "Qwen/Qwen3-8B",
    "source": {
        "url": "https://huggingface.co/thejaminator/qwen-hook-layer-9/commit/478fb720f1f3ced834fce0275b55b2732d438edc",
        "found_with": "search tool, corpus=docs",
        "note": "commit titled 'Copy config.json from Qwen/Qwen3-8B' showing the full file",
    },
    "config": {
        "architectures": ["Qwen3ForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 151643,
        "eos_token_id": 151645,
        "head_dim": 128,
        "hidden_act": "silu",
        "hidden_size": 4096,
        "initializer_range": 0.02,
        "intermediate_size": 12288,
        "max_position_embeddings": 40960,
        "max_window_layers": 36,
        "model_type": "qwen3",
        "num_attention_heads": 32,
        "num_hidden_layers": 36,
        "num_key_value_heads": 8,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 1000000,
        "sliding_window": None,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.51.0",
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": 151936,
    },
}

MODELS["GPT-3 175B (as GPT2LMHeadModel)"] = {
    "hf_class": "GPT2LMHeadModel",
    "official_repo": None,
    "source": {
        "url": None,
        "found_with": "not published on the Hub; GPT-3 paper (Brown et al. 2020, Table 2.1) dimensions expressed as "
        "a GPT2Config, as specified in the validation brief",
        "note": "GPT2LMHeadModel ties lm_head to wte and uses learned positions (n_positions=2048) and biases",
    },
    "config": {
        "model_type": "gpt2",
        "n_embd": 12288,
        "n_head": 96,
        "n_layer": 96,
        "n_positions": 2048,
        "vocab_size": 50257,
    },
}


# ---------------------------------------------------------------------------------------------
def build_config(name: str, entry: dict[str, Any]):
    from transformers import AutoConfig

    raw = copy.deepcopy(entry["config"])
    dropped = {k: DROP_KEYS[k] for k in raw if k in DROP_KEYS}
    kwargs = {k: v for k, v in raw.items() if k not in DROP_KEYS}
    # GPT-2's early config.json has no model_type field: the entry then names it explicitly.
    model_type = kwargs.pop("model_type", None) or entry["model_type"]
    cfg = AutoConfig.for_model(model_type, **kwargs)
    return cfg, dropped


def build_model(entry: dict[str, Any], cfg):
    import transformers

    cls = getattr(transformers, entry["hf_class"])
    with torch.device("meta"):
        model = cls(cfg)
    return model


def _ancestors(model: torch.nn.Module, param_name: str) -> list[tuple[str, str]]:
    """(path, class name) of every module on the path to the parameter, root first."""
    parts = param_name.split(".")[:-1]
    out = [("", type(model).__name__)]
    mod = model
    path = []
    for p in parts:
        mod = getattr(mod, p)
        path.append(p)
        out.append((".".join(path), type(mod).__name__))
    return out


def categorize(model: torch.nn.Module, name: str) -> str | None:
    anc = _ancestors(model, name)
    owner_cls = anc[-1][1]
    classes = [c for _, c in anc]
    segs = name.split(".")
    if owner_cls == "Embedding" or any(s in ("wte", "wpe", "embed_tokens", "embed_positions", "word_embeddings") for s in segs):
        return "embedding"
    if segs[0] == "lm_head":
        return "head"
    if any("Router" in c for c in classes) or name.endswith("e_score_correction_bias"):
        return "router"
    if any("shared_expert" in s for s in segs):
        return "shared_experts"
    if any(c.endswith("Experts") for c in classes) or "experts" in segs:
        return "experts"
    if any("Attention" in c for c in classes):
        return "attention"
    if "Norm" in owner_cls:
        return "norms"
    if any("MLP" in c for c in classes) or any(s in ("fc1", "fc2", "mlp") for s in segs):
        return "mlp"
    return None


def empty_breakdown() -> dict[str, int]:
    return {c: 0 for c in CATEGORIES}


def layer_of(name: str) -> int | None:
    segs = name.split(".")
    for i, s in enumerate(segs[:-1]):
        if s in ("layers", "h") and segs[i + 1].isdigit():
            return int(segs[i + 1])
    return None


def analyse(name: str, entry: dict[str, Any]) -> dict[str, Any]:
    cfg, dropped = build_config(name, entry)
    model = build_model(entry, cfg)
    seen: set[int] = set()
    total = 0
    breakdown = empty_breakdown()
    uncategorized: list[str] = []
    per_layer: dict[int, dict[str, int]] = {}
    param_rows = []
    for pname, p in model.named_parameters():  # named_parameters() already de-duplicates shared tensors
        if id(p) in seen:
            continue
        seen.add(id(p))
        n = p.numel()
        total += n
        cat = categorize(model, pname)
        if cat is None:
            uncategorized.append(pname)
            continue
        breakdown[cat] += n
        li = layer_of(pname)
        if li is not None:
            per_layer.setdefault(li, empty_breakdown())[cat] += n
        param_rows.append((pname, list(p.shape), cat))
    assert total == sum(p.numel() for p in model.parameters())

    # buffers: persistent ones are part of the checkpoint (state_dict); e.g. DeepSeek-V3's e_score_correction_bias
    sd_keys = set(model.state_dict().keys())
    buffers = []
    persistent_buffer_breakdown = empty_breakdown()
    persistent_buffer_total = 0
    persistent_buffer_per_layer: dict[int, dict[str, int]] = {}
    for bname, b in model.named_buffers():
        persistent = bname in sd_keys
        cat = categorize(model, bname)
        buffers.append({"name": bname, "shape": list(b.shape), "numel": b.numel(), "persistent": persistent,
                        "dtype": str(b.dtype), "category": cat})
        if persistent:
            persistent_buffer_total += b.numel()
            if cat is not None:
                persistent_buffer_breakdown[cat] += b.numel()
                li = layer_of(bname)
                if li is not None:
                    persistent_buffer_per_layer.setdefault(li, empty_breakdown())[cat] += b.numel()

    # pick a MoE layer: the first layer that has routed-expert parameters
    moe_layer = next((li for li in sorted(per_layer) if per_layer[li]["experts"] > 0), None)
    n_layers = len(per_layer)
    # distinct per-layer "shapes" of breakdown -> how many layers of each kind
    kinds: dict[str, list[int]] = {}
    for li in sorted(per_layer):
        key = ",".join(f"{c}={per_layer[li][c]}" for c in CATEGORIES)
        kinds.setdefault(key, []).append(li)

    head_tied = False
    try:
        head_tied = model.get_output_embeddings() is not None and (
            model.get_output_embeddings().weight is model.get_input_embeddings().weight
        )
    except Exception:  # noqa: BLE001
        head_tied = False

    non_layer = {c: breakdown[c] - sum(per_layer[li][c] for li in per_layer) for c in CATEGORIES}
    result: dict[str, Any] = {
        "hf_class": type(model).__name__,
        "official_repo": entry.get("official_repo"),
        "config_source": entry["source"],
        "published_config": entry["config"],
        "dropped_config_keys": dropped,
        "effective_config": _effective_config(cfg),
        "total_params": total,
        "total_params_plus_persistent_buffers": total + persistent_buffer_total,
        "breakdown": breakdown,
        "breakdown_sum_check": sum(breakdown.values()) + sum(_numel_of(model, n) for n in uncategorized),
        "uncategorized_param_names": uncategorized,
        "persistent_buffers_numel": persistent_buffer_total,
        "persistent_buffers_breakdown": persistent_buffer_breakdown,
        "buffers": buffers,
        "lm_head_tied_to_input_embedding": bool(head_tied),
        "num_decoder_layers_instantiated": n_layers,
        "non_layer_params": non_layer,
        "layer0": {"index": 0, "breakdown": per_layer.get(0), "total": sum(per_layer.get(0, {}).values()),
                   "persistent_buffers": persistent_buffer_per_layer.get(0, empty_breakdown())},
        "moe_layer": None if moe_layer is None else {
            "index": moe_layer, "breakdown": per_layer[moe_layer], "total": sum(per_layer[moe_layer].values()),
            "persistent_buffers": persistent_buffer_per_layer.get(moe_layer, empty_breakdown())},
        "layer_kinds": [{"layers": v, "count": len(v), "breakdown": per_layer[v[0]],
                         "total": sum(per_layer[v[0]].values())} for v in kinds.values()],
        "layer0_parameter_shapes": [[n, s, c] for (n, s, c) in param_rows if layer_of(n) == 0],
        "moe_layer_parameter_shapes": None if moe_layer is None else [
            [n, s, c] for (n, s, c) in param_rows if layer_of(n) == moe_layer],
        "non_layer_parameter_shapes": [[n, s, c] for (n, s, c) in param_rows if layer_of(n) is None],
    }
    anchor = entry.get("anchor_total_params")
    if anchor is not None:
        result["anchor_total_params"] = anchor
        result["anchor_match"] = anchor == total
    if name == "DeepSeek-V3":
        result["mtp_note"] = _deepseek_mtp(cfg, per_layer, moe_layer, persistent_buffer_per_layer)
    return result


def _numel_of(model, pname):
    return dict(model.named_parameters())[pname].numel()


def _effective_config(cfg) -> dict[str, Any]:
    keys = ["vocab_size", "hidden_size", "n_embd", "intermediate_size", "ffn_dim", "num_hidden_layers", "n_layer",
            "num_attention_heads", "n_head", "num_key_value_heads", "head_dim", "tie_word_embeddings",
            "n_routed_experts", "num_local_experts", "num_experts_per_tok", "n_shared_experts", "moe_intermediate_size",
            "first_k_dense_replace", "q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim",
            "v_head_dim", "num_nextn_predict_layers", "max_position_embeddings", "n_positions", "multi_query",
            "parallel_attn", "attention_bias", "mlp_bias"]
    out = {}
    for k in keys:
        if hasattr(cfg, k):
            v = getattr(cfg, k)
            if isinstance(v, (int, float, bool, str)) or v is None:
                out[k] = v
    return out


def _deepseek_mtp(cfg, per_layer, moe_layer, pbuf_per_layer) -> dict[str, Any]:
    h = cfg.hidden_size
    v = cfg.vocab_size
    moe_total = sum(per_layer[moe_layer].values())
    moe_buf = sum(pbuf_per_layer.get(moe_layer, {}).values())
    extra = 2 * h * h + 3 * h  # eh_proj (2h -> h, no bias) + enorm + hnorm + shared_head.norm
    return {
        "instantiated_by_hf": False,
        "explanation": "transformers' DeepseekV3ForCausalLM builds exactly num_hidden_layers decoder layers; "
        "num_nextn_predict_layers is stored in the config but no MTP module is created (the checkpoint's "
        "model.layers.61.* tensors are not loaded). total_params above therefore EXCLUDES the MTP module.",
        "derived_not_measured": {
            "formula": "one MoE decoder layer (measured: moe_layer.total) + eh_proj 2*h*h + enorm/hnorm/"
            "shared_head.norm 3*h; the checkpoint additionally stores its own copies of embed_tokens and "
            "shared_head.head (2*V*h)",
            "mtp_params_excluding_embedding_and_head_copies": moe_total + extra,
            "mtp_params_including_checkpoint_copies_of_embedding_and_head": moe_total + extra + 2 * v * h,
            "mtp_persistent_buffers (e_score_correction_bias)": moe_buf,
        },
    }


def main() -> None:
    import transformers

    results = OrderedDict()
    failures = {}
    for name, entry in MODELS.items():
        try:
            results[name] = analyse(name, entry)
            r = results[name]
            print(f"{name:45s} {r['total_params']:>18,d}  uncategorized={len(r['uncategorized_param_names'])}"
                  + (f"  anchor_match={r['anchor_match']}" if "anchor_match" in r else ""), flush=True)
        except Exception as exc:  # noqa: BLE001 - record and continue
            failures[name] = f"{type(exc).__name__}: {exc}"
            print(f"{name}: FAILED {failures[name]}", file=sys.stderr, flush=True)

    payload = {
        "provenance": _provenance.provenance(SCRIPT),
        "method": {
            "instantiation": "config = AutoConfig.for_model(model_type, **published_config minus dropped keys); "
            "model = <hf_class>(config) inside `with torch.device('meta')`",
            "total_params": "sum(p.numel() for p in model.parameters()); parameters() de-duplicates tied weights, "
            "so a tied lm_head is counted once (in 'embedding')",
            "categories": {
                "embedding": "token embeddings + learned position embeddings (wte/wpe/embed_tokens/embed_positions/"
                "word_embeddings); a tied lm_head is not counted again",
                "attention": "every parameter under an *Attention* module: q/k/v/o (or fused qkv) projections and "
                "biases, MLA q_a/q_b/kv_a/kv_b projections and their q_a_layernorm/kv_a_layernorm, q_norm/k_norm",
                "mlp": "dense MLP parameters (gate/up/down, fc1/fc2, c_fc/c_proj, dense_h_to_4h/dense_4h_to_h, "
                "biases)",
                "experts": "routed expert weights (HF stores them fused as 3-D tensors experts.gate_up_proj "
                "[E, 2*I, H] and experts.down_proj [E, H, I])",
                "shared_experts": "DeepSeek shared-expert MLP parameters",
                "router": "router/gate weight (mlp.gate.weight) -- DeepSeek-V3's e_score_correction_bias is a "
                "persistent BUFFER in transformers (not an nn.Parameter); it is reported under "
                "persistent_buffers_breakdown.router and included in total_params_plus_persistent_buffers",
                "norms": "every LayerNorm/RMSNorm outside attention modules (input/post-attention/pre/post-"
                "feedforward norms, final norm), incl. LayerNorm biases",
                "head": "lm_head weight (and bias) when not tied",
            },
            "per_layer": "layer0 = model layer index 0; moe_layer = first layer whose parameters include routed "
            "experts; layer_kinds groups layers with identical per-category counts",
        },
        "models": results,
        "failures": failures,
    }
    _provenance.write_json(_provenance.data_path("params.json"), payload)
    print("wrote", _provenance.data_path("params.json"), "transformers", transformers.__version__)


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
