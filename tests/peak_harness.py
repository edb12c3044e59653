"""Build a capplan spec for each MemTracker run of validation/data/peak_memory.json (test helper)."""

from __future__ import annotations

import json

from conftest import ROOT

DATA = json.loads((ROOT / "validation" / "data" / "peak_memory.json").read_text())
RECIPES = {"fp32_weights_autocast_bf16": "torch_amp_bf16", "bf16_weights": "pure_bf16"}


def training_runs() -> list[dict]:
    return [r for r in DATA["runs"] if r["run_id"].startswith("train") and r.get("tensor_mode") == "fake"
            and r.get("experts_implementation", "grouped_mm") in ("grouped_mm", "eager")
            and r["arch"] in ("llama", "mixtral", "mixtral_small")]


def model_block(c: dict) -> str:
    """The measured config as a capplan `model m` block plus a large GPU `big`."""
    moe = ""
    if "num_local_experts" in c:
        moe = (f"  moe {{ experts = {c['num_local_experts']}; experts_per_token = {c['num_experts_per_tok']}; "
               f"expert_ffn = {c['intermediate_size']} }}\n")
    head_dim = c.get("head_dim") or c["hidden_size"] // c["num_attention_heads"]
    return f"""
model m {{
  layers   = {c['num_hidden_layers']}
  hidden   = {c['hidden_size']}
  heads    = {c['num_attention_heads']}
  kv_heads = {c['num_key_value_heads']}
  head_dim = {head_dim}
  ffn      = {c['intermediate_size']}
  vocab    = {c['vocab_size']}
  max_seq  = {c.get('max_position_embeddings', 4096)} tokens
  tied_embeddings = {str(c.get('tie_word_embeddings', False)).lower()}
{moe}}}

gpu big {{ memory = 1000 GiB; memory_bandwidth = 1 TB/s }}
"""


def spec_for(run: dict) -> str:
    impl = "fused" if "fused" in run["optimizer"] else "foreach"
    return model_block(run["config"]) + f"""
training t {{
  model        = m
  gpu          = big
  gpus         = 1
  precision    = {RECIPES[run['recipe']]}
  seq_len      = {run['seq']} tokens
  micro_batch  = {run['micro_batch']}
  global_batch = {run['micro_batch']}
  parallel {{ recompute = {'full' if run['gradient_checkpointing'] else 'none'} }}
  framework {{
    implementation     = transformers
    attention          = {run['attn_implementation']}
    optimizer_impl     = {impl}
    cuda_context       = 0 B
    allocator_overhead = 0
  }}
  require fits
}}
"""


def inference_runs() -> list[dict]:
    return [r for r in DATA["runs"] if r["run_id"].startswith("infer")]


def inference_spec_for(run: dict) -> str:
    return model_block(run["config"]) + f"""
inference i {{
  model         = m
  gpu           = big
  gpus          = 1
  weights       = bf16
  prompt        = {run['prompt_tokens']} tokens
  output        = {run['new_tokens']} tokens
  batch         = {run['batch']}
  block_size    = 1 tokens
  prefill_chunk = {run['prompt_tokens'] * run['batch']} tokens
  memory_utilization = 100 %
  framework {{ attention = {run['attn_implementation']}; cuda_context = 0 B }}
}}
"""
