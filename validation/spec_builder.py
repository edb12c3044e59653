"""capplan specs for measured runs: a recorded transformers config as a `model` block, and a
measured training step as a one-GPU `training` plan. Used by tests/peak_harness.py (the CPU
MemTracker corpus) and validation/gpu/compare_gpu.py (the GPU runs), so both corpora are
translated the same way."""

from __future__ import annotations

from typing import Any

# The measurement scripts' recipe names -> the catalog's precision recipes.
RECIPES = {"fp32_weights_autocast_bf16": "torch_amp_bf16", "bf16_weights": "pure_bf16"}


def model_block(c: dict[str, Any]) -> str:
    """A transformers config dict (as recorded) as a capplan `model m` block plus a large GPU `big`:
    GPT-2 (modeling_gpt2.py, field meanings as in the catalog's gpt2 entry), and Llama-style models
    (Llama, Qwen2 with its q/k/v bias, Mixtral with its experts)."""
    if c.get("model_type") == "gpt2":
        body = f"""  layers   = {c['n_layer']}
  hidden   = {c['n_embd']}
  heads    = {c['n_head']}
  ffn      = {c.get('n_inner') or 4 * c['n_embd']}
  mlp      = plain
  activation = {c.get('activation_function', 'gelu_new')}
  code_path  = gpt2
  vocab    = {c['vocab_size']}
  tied_embeddings = {str(c.get('tie_word_embeddings', True)).lower()}
  norm     = layernorm
  qkv_bias = true
  out_bias = true
  mlp_bias = true
  position = learned
  max_seq  = {c['n_positions']} tokens
  dropout  = {c.get('resid_pdrop', 0.1)}
"""
    else:
        head_dim = c.get("head_dim") or c["hidden_size"] // c["num_attention_heads"]
        body = f"""  layers   = {c['num_hidden_layers']}
  hidden   = {c['hidden_size']}
  heads    = {c['num_attention_heads']}
  kv_heads = {c['num_key_value_heads']}
  head_dim = {head_dim}
  ffn      = {c['intermediate_size']}
  vocab    = {c['vocab_size']}
  max_seq  = {c.get('max_position_embeddings', 4096)} tokens
  tied_embeddings = {str(c.get('tie_word_embeddings', False)).lower()}
"""
        if c.get("model_type") == "qwen2":  # modeling_qwen2.py: q, k, v projections carry a bias
            body += "  qkv_bias = true\n"
        if "num_local_experts" in c:
            body += (f"  moe {{ experts = {c['num_local_experts']}; experts_per_token = {c['num_experts_per_tok']}; "
                     f"expert_ffn = {c['intermediate_size']} }}\n")
    return f"model m {{\n{body}}}\n\ngpu big {{ memory = 1000 GiB; memory_bandwidth = 1 TB/s }}\n"


def optimizer_impl(optimizer: str) -> str:
    """capplan's framework.optimizer_impl for a recorded torch optimizer, e.g. `AdamW(foreach=False)`."""
    if "fused=True" in optimizer:
        return "fused"
    return "for_loop" if "foreach=False" in optimizer else "foreach"


def training_plan(name: str, run: dict[str, Any], allocator_overhead: bool, require_fits: bool,
                  first_step: bool = False) -> str:
    """One measured training step as a plan on the GPU `big`, without the CUDA context (the
    measurements exclude it); `allocator_overhead=False` predicts allocated rather than reserved
    memory; `first_step` sizes the first step (optimizer states created inside it)."""
    impl = optimizer_impl(run["optimizer"])
    return f"""
training {name} {{
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
{'    first_step         = true' + chr(10) if first_step else ''}    cuda_context       = 0 B
{'' if allocator_overhead else '    allocator_overhead = 0' + chr(10)}  }}
{'  require fits' + chr(10) if require_fits else ''}}}
"""
