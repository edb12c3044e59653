"""Invariants of the memory engine, on real catalog models."""

from __future__ import annotations

import pytest

from conftest import compile_text, plan

BASE = """
training t {{
  model        = {model}
  gpu          = h100_sxm
  gpus         = {gpus}
  precision    = megatron_bf16
  seq_len      = {seq} tokens
  micro_batch  = 1
  global_batch = {gb}
  parallel {{ {parallel} }}
  framework {{ implementation = megatron }}
  require not fits or fits
}}
"""


def train(project, model="llama2_13b", gpus=8, seq=4096, gb=64, parallel="", name="t"):
    comp = compile_text(project, BASE.format(model=model, gpus=gpus, seq=seq, gb=gb, parallel=parallel))
    assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
    return plan(comp, name)


def sharded_weights(rank):
    return rank["memory"]["weights"]


def test_doubling_tp_halves_the_sharded_weights(project):
    t2 = train(project, parallel="tensor = 2; data = 4")["ranks"][0]
    t4 = train(project, parallel="tensor = 4; data = 2")["ranks"][0]
    # the replicated part (norms, row-parallel biases) is tiny: within 0.01%
    assert t4["memory"]["weights"] == pytest.approx(t2["memory"]["weights"] / 2, rel=1e-4)
    assert t4["memory"]["weights"] > t2["memory"]["weights"] / 2  # norms are not sharded


def test_zero3_divides_weights_grads_and_optimizer_states_by_d(project):
    z0 = train(project, parallel="data = 8; zero = 0")["ranks"][0]["memory"]
    z3 = train(project, parallel="data = 8; zero = 3")["ranks"][0]["memory"]
    for key in ("weights", "master_weights", "optimizer_states"):
        assert z3[key] == pytest.approx(z0[key] / 8)
    # gradients: both phases' figure in the optimizer step
    z0p = train(project, parallel="data = 8; zero = 0")["ranks"][0]["phases"]
    z3p = train(project, parallel="data = 8; zero = 3")["ranks"][0]["phases"]
    assert z3p["optimizer step"] < z0p["optimizer step"] / 7


def test_zero_stages_shard_progressively(project):
    peaks = [train(project, parallel=f"data = 8; zero = {z}")["ranks"][0]["phases"]["optimizer step"]
             for z in (0, 1, 2, 3)]
    assert peaks == sorted(peaks, reverse=True) and len(set(peaks)) == 4


@pytest.mark.parametrize("parallel", ["data = 8", "pipeline = 4; data = 2", "tensor = 8; sequence_parallel = true"])
def test_a_longer_sequence_never_reduces_memory(project, parallel):
    peaks = [train(project, seq=s, parallel=parallel)["peak_bytes"] for s in (512, 1024, 2048, 4096, 8192)]
    assert peaks == sorted(peaks)


def test_1f1b_first_stage_holds_the_most(project):
    ranks = train(project, parallel="pipeline = 4; data = 2")["ranks"]
    assert [r["inflight_microbatches"] for r in ranks] == [4, 3, 2, 1]
    acts = [r["activation_bytes"] for r in ranks]
    assert acts == sorted(acts, reverse=True)


def test_uneven_split_moves_layers(project):
    even = train(project, parallel="pipeline = 4; data = 2")["ranks"]
    uneven = train(project, parallel="pipeline = 4; data = 2; layers_per_stage = [7, 10, 11, 12]")["ranks"]
    assert [r["layers"] for r in uneven] == [7, 10, 11, 12]
    assert uneven[0]["activation_bytes"] < even[0]["activation_bytes"]


def test_gpipe_holds_every_microbatch(project):
    r = train(project, gb=16, parallel="pipeline = 4; data = 2; schedule = gpipe")["ranks"]
    assert [x["inflight_microbatches"] for x in r] == [8, 8, 8, 8]


def test_recompute_reduces_activations(project):
    acts = [train(project, parallel=f"data = 8; recompute = {mode}")["ranks"][0]["activation_bytes"]
            for mode in ("none", "selective", "full")]
    assert acts[0] >= acts[1] > acts[2]


def test_expert_parallelism_divides_expert_weights(project):
    e1 = train(project, model="mixtral_8x7b", parallel="data = 8; expert = 1")["ranks"][0]["memory"]
    e8 = train(project, model="mixtral_8x7b", parallel="data = 8; expert = 8")["ranks"][0]["memory"]
    assert e8["weights"] < e1["weights"] / 4


def test_last_stage_carries_the_logits(project):
    ranks = train(project, parallel="pipeline = 4; data = 2")["ranks"]
    assert ranks[-1]["phases"]["backward start"] > ranks[-1]["phases"]["forward end"]
    assert all(r["memory"]["logits"] == 0 for r in ranks[:-1])


INFER = """
inference i {{
  model    = llama3_1_8b
  gpu      = h100_sxm
  gpus     = 1
  weights  = bf16
  context  = {context} tokens
  batch    = {batch}
  require not fits or fits
}}
"""


def test_kv_cache_grows_linearly_with_context(project):
    kv = [plan(compile_text(project, INFER.format(context=c, batch=4)), "i")["memory"]["kv_cache"]
          for c in (1024, 2048, 4096, 8192)]
    assert kv[1] == 2 * kv[0] and kv[2] == 4 * kv[0] and kv[3] == 8 * kv[0]
    # Llama-3.1-8B: 32 layers x 2 x 8 KV heads x 128 x 2 B = 128 KiB per token (GQA: 4x below MHA)
    assert kv[0] == 4 * 1024 * 128 * 1024


def test_max_batch_and_max_context_are_the_fit_boundary(project):
    p = plan(compile_text(project, INFER.format(context=8192, batch=4)), "i")
    assert p["max_batch"] > 4
    at = plan(compile_text(project, INFER.format(context=8192, batch=p["max_batch"])), "i")
    over = plan(compile_text(project, INFER.format(context=8192, batch=p["max_batch"] + 1)), "i")
    assert at["fits"] and not over["fits"]
    longest = plan(compile_text(project, INFER.format(context=int(p["max_context"]), batch=4)), "i")
    assert longest["fits"]
    too_long = plan(compile_text(project, INFER.format(context=int(p["max_context"]) + 16, batch=4)), "i")
    assert not too_long["fits"]


def test_sliding_window_caps_the_cache(project):
    text = INFER.replace("llama3_1_8b", "mistral_7b")
    kv = [plan(compile_text(project, text.format(context=c, batch=1)), "i")["memory"]["kv_cache"]
          for c in (4096, 16384)]
    assert kv[0] == kv[1]  # Mistral-7B-v0.1: every layer windowed at 4096


def test_int4_weights_with_group_scales(project):
    text = INFER.replace("weights  = bf16", "weights  = int4 {{ group = 128 }}")
    p = plan(compile_text(project, text.format(context=1024, batch=1)), "i")
    bf16 = plan(compile_text(project, INFER.format(context=1024, batch=1)), "i")
    # linear layers at 4 + 16/128 bits; embeddings and head stay bf16
    assert 0.25 < p["memory"]["weights"] / bf16["memory"]["weights"] < 0.45


LORA = """
training t {{
  model        = llama2_7b
  gpu          = a100_80gb
  gpus         = 1
  precision    = {precision}
  seq_len      = 1024 tokens
  lora {{ rank = {rank}; targets = {targets} }}
  require not fits or fits
}}
"""


def test_lora_adapter_count_matches_peft():
    # PEFT's print_trainable_parameters for Llama-2-7B with LoraConfig(r=8, target_modules=
    # ["q_proj", "v_proj"]) prints "trainable params: 4,194,304" (32 layers x 2 x 8 x (4096 + 4096))
    from capplan.engine.optimizers import lora_adapter_params
    from capplan.ir.lower import lower_model
    from capplan.pipeline import compile_files

    comp = compile_files([], evaluate=False)
    m = lower_model(comp.checked.objects["llama2_7b"])
    assert lora_adapter_params(m, 8, "qv") * m.depth == 4_194_304


def test_lora_freezes_the_base(project):
    full = train(project, model="llama2_7b", gpus=1, parallel="recompute = full")["ranks"][0]["phases"]
    lora = plan(compile_text(project, LORA.format(precision="pure_bf16", rank=16, targets="all")), "t")
    rank = lora["ranks"][0]
    assert rank["memory"]["master_weights"] == 0
    assert lora["precision"]["lora"]["adapter_params"] == 16 * 32 * (
        2 * (4096 + 4096) + 2 * (4096 + 4096) + 3 * (4096 + 11008))
    assert rank["phases"]["optimizer step"] < full["optimizer step"] / 5


def test_qlora_base_in_nf4(project):
    text = LORA.format(precision="q", rank=16, targets="all") + "precision q { weights = nf4; activations = bf16 }\n"
    p = plan(compile_text(project, text), "t")
    adapters = p["precision"]["lora"]["adapter_params"]
    base = 6_738_415_616 * 4.5 / 8  # nf4: 4 bits + an fp32 absmax per 64 weights
    assert p["ranks"][0]["memory"]["weights"] == pytest.approx(base + adapters * 4)


def test_fp8_training_keeps_two_fp8_copies_of_the_linear_weights(project):
    # Transformer Engine docs (Performance considerations, "handling transposes"): on Hopper an fp8
    # weight is needed row-wise and column-wise: 2 bytes per parameter of the linear layers
    bf16 = train(project, model="llama2_7b", gpus=8, parallel="data = 8")["ranks"][0]
    text = BASE.format(model="llama2_7b", gpus=8, seq=4096, gb=64, parallel="data = 8")
    fp8 = plan(compile_text(project, text.replace("megatron_bf16", "megatron_fp8")), "t")["ranks"][0]
    linear = 6_738_415_616 - 2 * 32000 * 4096 - 4096  # without embedding, head and final norm
    assert fp8["phases"]["optimizer step"] - bf16["phases"]["optimizer step"] == pytest.approx(2 * linear)


def test_fp8_primary_weights_are_one_fp8_copy_each_way(project):
    # Megatron's --fp8-param-gather (NeMo's fp8_cs recipes, the catalog's nemo_fp8_cs): a linear weight lives as
    # Transformer Engine's fp8 tensor, row-wise plus the column-wise copy Hopper's backward GEMMs need (2 bytes);
    # the embedding, head and final norm keep bf16
    text = BASE.format(model="llama2_7b", gpus=8, seq=4096, gb=64, parallel="data = 8")
    fp8 = plan(compile_text(project, text.replace("megatron_bf16", "nemo_fp8_cs")), "t")["ranks"][0]
    edges = 2 * 32000 * 4096 + 4096
    linear = 6_738_415_616 - edges
    assert fp8["memory"]["weights"] == pytest.approx(2 * linear + 2 * edges)


def test_fp8_linear_layers_keep_their_inputs_quantized(project):
    # Transformer Engine (module/layernorm_linear.py, linear.py): under FP8 the saved input of a linear layer is
    # the fp8 tensor fed to the GEMM, 1 byte an element; the attention's own output stays 16-bit and the output
    # projection adds its fp8 copy
    text = BASE.format(model="llama2_7b", gpus=8, seq=4096, gb=64, parallel="data = 8")
    per = {}
    for name in ("megatron_bf16", "megatron_fp8"):
        terms = plan(compile_text(project, text.replace("megatron_bf16", name)), "t")["figures"][
            "activations.per_layer"]["terms"]
        per[name] = {t["name"]: t["bytes"] for t in terms}
    tokens, h, f = 4096, 4096, 11008
    for key, width in (("attention input (norm output)", h), ("MLP input (norm output)", h),
                       ("MLP down projection input", f)):
        assert per["megatron_bf16"][key] == tokens * width * 2 and per["megatron_fp8"][key] == tokens * width
    assert per["megatron_fp8"]["output projection input, fp8 copy (Transformer Engine)"] == tokens * h
    assert per["megatron_fp8"]["output projection input (attention context)"] == tokens * h * 2


def test_max_context_is_the_boundary_of_the_whole_plan(project):
    # found by the report's curves: the inverse solution must re-evaluate the prefill at the tried context
    # (Llama-3.1-8B on an RTX 4090: memory, not max_seq = 131072, bounds the context)
    p = plan(compile_text(project, INFER.format(context=2048, batch=1).replace("h100_sxm", "rtx4090")), "i")
    assert not p["caps"]["max_context"]["reached"]
    at = plan(compile_text(project, INFER.format(context=int(p["max_context"]), batch=1)
                           .replace("h100_sxm", "rtx4090")), "i")
    over = plan(compile_text(project, INFER.format(context=int(p["max_context"]) + 16, batch=1)
                             .replace("h100_sxm", "rtx4090")), "i")
    assert at["fits"] and not over["fits"]
