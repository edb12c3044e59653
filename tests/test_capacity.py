"""Serving capacity: the longest context stops at the model's max_seq, the KV cache capacity in
tokens and paged blocks, and every bound a capacity search stops at is stated (JSON, text, report)."""

from __future__ import annotations

from conftest import compile_text, plan

from capplan.render.text import render_plans

SPEC = """
model no_max_seq {{
  layers = 32
  hidden = 4096
  heads  = 32
  ffn    = 11008
  vocab  = 32000
}}

inference p {{
  model   = {model}
  gpu     = h100_sxm
  gpus    = 1
  context = {context} tokens
  batch   = {batch}
  {extra}
}}
"""


def serve(project, model, context=4096, batch=1, extra=""):
    comp = compile_text(project, SPEC.format(model=model, context=context, batch=batch, extra=extra))
    assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
    return comp, plan(comp, "p")


def test_max_context_is_capped_at_max_position_embeddings(project):
    # Llama-3.1-8B: max_position_embeddings = 131072 (meta-llama/Llama-3.1-8B config.json); one
    # sequence on an H100 would hold about 450k tokens of KV cache, so the cap is what stops it
    comp, p = serve(project, "llama3_1_8b")
    assert p["max_context"] == 131072
    assert p["caps"]["max_context"] == {"limit": 131072, "by": "max_seq", "reached": True}
    assert p["kv_capacity"]["tokens"] > 131072   # the memory is not what limits it
    text = render_plans(comp, width=1000)
    assert "131,072 tokens (capped at the model's max_seq, 131,072; memory would allow more)" in text


def test_kv_capacity_blocks_follow_the_per_token_size(project):
    # Llama-2-13B has OPT-13B's shape for the cache (40 layers, hidden 5120, full multi-head
    # attention): "2 (key and value vectors) x 5120 (hidden state size) x 40 (number of layers) x 2
    # (bytes per FP16)" = 800 KB per token (Kwon et al. 2023, vLLM, sec. 3)
    comp, p = serve(project, "llama2_13b", context=2048, batch=4)
    kv = p["kv_capacity"]
    assert kv["per_token_bytes"] == 2 * 5120 * 40 * 2 == 819200
    assert kv["block_tokens"] == 16                        # vLLM's default --block-size
    assert kv["block_bytes"] == 16 * 819200
    assert kv["tokens"] == kv["blocks"] * 16
    assert kv["blocks"] * kv["block_bytes"] <= kv["room_bytes"] < (kv["blocks"] + 1) * kv["block_bytes"]
    # the room is the budget less everything that is not KV cache
    mem = p["memory"]
    assert kv["room_bytes"] == p["budget_bytes"] - sum(v for k, v in mem.items() if k != "kv_cache")
    assert set(mem) == {"weights", "kv_cache", "activations", "cuda_context", "cuda_graphs"}  # one GPU: no NCCL
    # the plan's own cache (4 x 2048 tokens) fits, so the capacity is at least that
    assert kv["tokens"] >= 4 * 2048
    assert p["figures"]["kv_capacity.blocks"]["value"] == kv["blocks"]
    assert "KV cache capacity at this batch: " in render_plans(comp, width=1000)


def test_a_context_past_max_seq_is_said(project):
    # Llama-2: max_position_embeddings = 4096 (meta-llama/Llama-2-13b-hf config.json)
    comp, p = serve(project, "llama2_13b", context=8192)
    assert p["max_context"] == 4096 and p["caps"]["max_context"]["reached"]
    assert "exceeds the model's max_seq (4,096 tokens)" in render_plans(comp, width=1000)


def test_a_model_without_max_seq_states_the_search_bound(project):
    comp, p = serve(project, "no_max_seq", extra="weights = int4\n  kv_cache = fp8")
    cap = p["caps"]["max_context"]
    assert cap["by"] == "max_context_factor" and cap["limit"] == 64 * 2 ** 20 and not cap["reached"]
    assert 0 < p["max_context"] < cap["limit"]
    assert p["caps"]["max_batch"]["by"] == "search_bound" and not p["caps"]["max_batch"]["reached"]


def test_kv_capacity_is_usable_in_requirements(project):
    comp, p = serve(project, "llama3_1_8b", extra="require kv_tokens >= 100000 tokens\n  require kv_blocks > 0")
    assert all(r["ok"] for r in p["requirements"]), p["requirements"]
