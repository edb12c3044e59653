"""Model sections of measure_gpu.py: training steps and inference (prefill, decode, cache memory)
of transformers models built from config dicts with random weights, directly on the device.

Training cases are described in the format of validation/measure_peak_memory.py (run_id, arch, config,
micro_batch, seq, recipe, optimizer, gradient_checkpointing, attn_implementation, peak_bytes, ...), so
validation/gpu/compare_gpu.py can build the matching capplan spec the way tests/peak_harness.py does.
"""

from __future__ import annotations

import contextlib
import inspect
import time
from typing import Any

import torch

from gpu_common import Section, Timer, dtype_name, free_memory, memory_stats, reset_peak

# ---- configs: values from each model's public config.json --------------------------------------------
# rope_scaling (Llama 3.1/3.2 "llama3" scaling) is left out: it changes the rotary frequencies only,
# not a single tensor shape, time or byte measured here.

# https://huggingface.co/meta-llama/Llama-3.2-1B/blob/main/config.json
LLAMA3_2_1B = dict(model_type="llama", vocab_size=128256, hidden_size=2048, intermediate_size=8192,
                   num_hidden_layers=16, num_attention_heads=32, num_key_value_heads=8, head_dim=64,
                   max_position_embeddings=131072, rms_norm_eps=1e-5, rope_theta=500000.0,
                   tie_word_embeddings=True, attention_dropout=0.0, bos_token_id=128000, eos_token_id=128001,
                   pad_token_id=None)
# https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json
LLAMA3_1_8B = dict(model_type="llama", vocab_size=128256, hidden_size=4096, intermediate_size=14336,
                   num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=8, head_dim=128,
                   max_position_embeddings=131072, rms_norm_eps=1e-5, rope_theta=500000.0,
                   tie_word_embeddings=False, attention_dropout=0.0, bos_token_id=128000, eos_token_id=128001,
                   pad_token_id=None)
# https://huggingface.co/Qwen/Qwen2.5-7B/blob/main/config.json
QWEN2_5_7B = dict(model_type="qwen2", vocab_size=152064, hidden_size=3584, intermediate_size=18944,
                  num_hidden_layers=28, num_attention_heads=28, num_key_value_heads=4,
                  max_position_embeddings=131072, rms_norm_eps=1e-6, rope_theta=1000000.0,
                  tie_word_embeddings=False, attention_dropout=0.0, use_sliding_window=False,
                  sliding_window=None, max_window_layers=28, bos_token_id=151643, eos_token_id=151643)
# https://huggingface.co/Qwen/Qwen2-0.5B/blob/main/config.json
QWEN2_0_5B = dict(model_type="qwen2", vocab_size=151936, hidden_size=896, intermediate_size=4864,
                  num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2,
                  max_position_embeddings=131072, rms_norm_eps=1e-6, rope_theta=1000000.0,
                  tie_word_embeddings=True, attention_dropout=0.0, use_sliding_window=False,
                  sliding_window=None, max_window_layers=24, bos_token_id=151643, eos_token_id=151643)
# https://huggingface.co/openai-community/gpt2/blob/main/config.json (dropouts 0.1 as published)
GPT2 = dict(model_type="gpt2", vocab_size=50257, n_positions=1024, n_embd=768, n_layer=12, n_head=12,
            activation_function="gelu_new", resid_pdrop=0.1, embd_pdrop=0.1, attn_pdrop=0.1,
            layer_norm_epsilon=1e-5, tie_word_embeddings=True, bos_token_id=50256, eos_token_id=50256)
# https://huggingface.co/openai-community/gpt2-medium/blob/main/config.json
GPT2_MEDIUM = dict(GPT2, n_embd=1024, n_layer=24, n_head=16)


def _tiny(cfg: dict[str, Any]) -> dict[str, Any]:
    """Smoke-test stand-in of a config: same family and code path, tiny sizes."""
    ids = dict(bos_token_id=1, eos_token_id=2)
    if cfg["model_type"] == "gpt2":
        return dict(cfg, vocab_size=256, n_positions=256, n_embd=64, n_layer=2, n_head=4, **ids)
    out = dict(cfg, **ids, vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
               num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512)
    if "head_dim" in out:
        out["head_dim"] = 16
    if "max_window_layers" in out:
        out["max_window_layers"] = 2
    return out


def build(cfg_kwargs: dict[str, Any], dtype: torch.dtype, device: torch.device):
    """The model with random weights, created directly on the device (no CPU copy, no download)."""
    import transformers

    kw = dict(cfg_kwargs)
    mt = kw.pop("model_type")
    cfg = transformers.AutoConfig.for_model(mt, **kw)
    cls = {"llama": transformers.LlamaForCausalLM, "qwen2": transformers.Qwen2ForCausalLM,
           "gpt2": transformers.GPT2LMHeadModel}[mt]
    torch.manual_seed(0)
    t0 = time.perf_counter()
    with torch.device(device):
        model = cls._from_config(cfg, attn_implementation="sdpa", dtype=dtype)
    moved = False
    if any(p.device != device for p in model.parameters()):  # device context not honoured: move
        model.to(device)
        moved = True
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    info = {"build_s": round(time.perf_counter() - t0, 3), "built_on_device_directly": not moved,
            "num_params": sum(p.numel() for p in model.parameters()),
            "weights_bytes": sum(p.numel() * p.element_size() for p in model.parameters()),
            "buffers_bytes": sum(b.numel() * b.element_size() for b in model.buffers())}
    return model, cfg, info


def _autocast(recipe: str, device: torch.device):
    if recipe == "fp32_weights_autocast_bf16":
        return torch.autocast(device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()


def _events(device):
    if device.type == "cuda":
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        return s, e
    return None


def _elapsed_ms(device, ev, t0: float) -> float:
    if ev is None:
        return (time.perf_counter() - t0) * 1e3
    torch.cuda.synchronize(device)
    return ev[0].elapsed_time(ev[1])


# ---- training -------------------------------------------------------------------------------------------

TRAIN_ARCHS = [("llama3_2_1b", LLAMA3_2_1B), ("gpt2", GPT2), ("qwen2_0_5b", QWEN2_0_5B),
               ("gpt2_medium", GPT2_MEDIUM)]
TRAIN_SHAPES = {"gpt2": [(4, 1024), (8, 1024)], "gpt2_medium": [(4, 1024)]}
DEFAULT_SHAPES = [(1, 2048), (4, 2048)]
RECIPES = ["bf16_weights", "fp32_weights_autocast_bf16"]
OPTIMS = ["fused", "foreach"]
CKPT = [False, True]
TRAIN_STEPS = 3


def training_section(sec: Section, device: torch.device, smoke: bool) -> None:
    """Per (arch, recipe) the model is built once; each case then creates its optimizer and inputs,
    runs TRAIN_STEPS full steps and is torn down, so every case starts from weights only."""
    archs = TRAIN_ARCHS[:3] if smoke else TRAIN_ARCHS  # smoke: one per code path (gpt2_medium = gpt2)
    sec.settings.update({"archs": [a for a, _ in archs], "shapes_mb_seq": TRAIN_SHAPES, "default_shapes": DEFAULT_SHAPES,
                         "recipes": RECIPES, "optimizers": OPTIMS, "gradient_checkpointing": CKPT,
                         "steps": TRAIN_STEPS, "attn_implementation": "sdpa", "weights": "random (config init)",
                         "step": "forward(input_ids, labels=input_ids) -> loss.backward() -> opt.step() -> "
                                 "opt.zero_grad(set_to_none=True); AdamW lr 1e-4",
                         "memory": "reset_peak_memory_stats before each step; figures minus the bytes allocated "
                                   "before the model was built"})
    combos = [(o, c) for o in OPTIMS for c in CKPT]
    if smoke:  # every optimizer and checkpointing path once, not every pair
        combos = [("fused", False), ("foreach", True)]
    for arch, cfg_full in archs:
        cfg_kwargs = _tiny(cfg_full) if smoke else cfg_full
        shapes = [(2, 64)] if smoke else TRAIN_SHAPES.get(arch, DEFAULT_SHAPES)
        for recipe in RECIPES:
            if sec.budget.spent():
                sec.skipped.append(f"train {arch} {recipe} (all shapes)")
                continue
            free_memory()
            reset_peak(device)
            before_build = memory_stats(device)["allocated"] or 0
            try:
                model, cfg, info = build(cfg_kwargs, torch.bfloat16 if recipe == "bf16_weights" else torch.float32,
                                         device)
            except Exception as exc:  # noqa: BLE001
                sec.failures.append({"case": f"build {arch} {recipe}", "error": f"{type(exc).__name__}: {exc}"})
                free_memory()
                continue
            model.train()
            for (mb, seq) in shapes:
                for optim, ckpt in combos:
                    rid = f"train {arch} mb={mb} seq={seq} {recipe} {optim} ckpt={ckpt} sdpa {device.type}"
                    sec.run_case(rid, lambda rid=rid, mb=mb, seq=seq, optim=optim, ckpt=ckpt: {
                        "run_id": rid, **_train_case(model, cfg, cfg_kwargs, info, arch, device, mb, seq,
                                                     recipe, optim, ckpt, before_build)})
                    free_memory()
            del model
            free_memory()


def _train_case(model, cfg, cfg_kwargs, info, arch, device, mb, seq, recipe, optim, ckpt, before_build):
    if ckpt:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    else:
        model.gradient_checkpointing_disable()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, **({"fused": True} if optim == "fused" else {"foreach": True}))
    gen = torch.Generator(device=device).manual_seed(1234)
    ids = torch.randint(0, cfg.vocab_size, (mb, seq), generator=gen, device=device)
    free_memory()
    start = memory_stats(device)
    steps = []
    try:
        for step in range(1, TRAIN_STEPS + 1):
            reset_peak(device)
            ev = _events(device)
            t0 = time.perf_counter()
            if ev:
                ev[0].record()
            with _autocast(recipe, device):
                loss = model(input_ids=ids, labels=ids).loss
            loss.backward()
            del loss
            opt.step()
            opt.zero_grad(set_to_none=True)
            if ev:
                ev[1].record()
            ms = _elapsed_ms(device, ev, t0)
            steps.append({"step": step, "time_ms": round(ms, 4), **memory_stats(device)})
        state_dtypes = sorted({dtype_name(v.dtype) for st in opt.state.values() for v in st.values()
                               if isinstance(v, torch.Tensor)})
        opt_state_bytes = sum(v.numel() * v.element_size() for st in opt.state.values() for v in st.values()
                              if isinstance(v, torch.Tensor))
    finally:
        del opt, ids
        model.gradient_checkpointing_disable()
    peaks = [s["max_allocated"] for s in steps if s["max_allocated"] is not None]
    reserved = [s["max_reserved"] for s in steps if s["max_reserved"] is not None]
    tokens = mb * seq
    steady = steps[-1]["time_ms"]
    return {
        "arch": arch, "tensor_mode": "real", "device": device.type, "config": dict(cfg_kwargs),
        "num_params": info["num_params"], "weights_bytes": info["weights_bytes"], "build_s": info["build_s"],
        "built_on_device_directly": info["built_on_device_directly"],
        "micro_batch": mb, "seq": seq, "recipe": recipe, "param_dtype": dtype_name(next(model.parameters()).dtype),
        "optimizer": f"AdamW({optim}=True)", "optimizer_state_dtypes": state_dtypes,
        "optimizer_state_bytes": opt_state_bytes, "gradient_checkpointing": ckpt,
        "attn_implementation": model.config._attn_implementation, "steps": steps,
        "allocated_before_build": before_build, "allocated_at_case_start": start["allocated"],
        "peak_bytes_raw": max(peaks) if peaks else None,
        "peak_bytes": (max(peaks) - before_build) if peaks else None,
        "peak_reserved_bytes": (max(reserved) - before_build) if reserved else None,
        "peak_step": (1 + peaks.index(max(peaks))) if peaks else None,
        "steady_step_ms": steady, "tokens_per_step": tokens,
        "tokens_per_s_steady": round(tokens / (steady / 1e3), 1) if steady > 0 else None,
        "model_flops_per_step_6N": 6.0 * info["num_params"] * tokens,
        "notes": "peak_bytes = max over the steps of torch.cuda.max_memory_allocated (reset before each step) "
                 "minus what was allocated before the model was built; includes cuBLAS/cuDNN workspaces the "
                 "caching allocator hands out. Step 1 creates the AdamW state lazily.",
    }


# ---- inference ------------------------------------------------------------------------------------------

INFER_ARCHS = [("llama3_1_8b", LLAMA3_1_8B), ("llama3_2_1b", LLAMA3_2_1B), ("qwen2_5_7b", QWEN2_5_7B)]
PREFILL_TOKENS = [128, 512, 2048, 8192]
DECODE_BATCH = [1, 8, 32, 64]
DECODE_CONTEXT = [512, 2048]
GEN_RUNS = [(1, 2048, 8), (8, 2048, 8)]  # (batch, prompt, new tokens) for the peak-memory runs


def _dynamic_cache(cfg):
    from transformers import DynamicCache

    try:
        return DynamicCache(config=cfg)
    except TypeError:
        return DynamicCache()


def _static_cache(cfg, batch: int, max_len: int, device, dtype):
    from transformers import StaticCache

    params = inspect.signature(StaticCache.__init__).parameters
    kw = {"config": cfg, "max_cache_len": max_len}
    for name, value in (("max_batch_size", batch), ("batch_size", batch), ("device", device), ("dtype", dtype)):
        if name in params:
            kw[name] = value
    return StaticCache(**kw)


def _cache_bytes(cache) -> tuple[int, set[str]]:
    total, dtypes = 0, set()
    layers = getattr(cache, "layers", None)
    if layers is None:  # older caches: key_cache / value_cache lists
        tensors = list(getattr(cache, "key_cache", [])) + list(getattr(cache, "value_cache", []))
    else:
        tensors = [t for layer in layers for t in (getattr(layer, "keys", None), getattr(layer, "values", None))]
    for t in tensors:
        if isinstance(t, torch.Tensor):
            total += t.numel() * t.element_size()
            dtypes.add(dtype_name(t.dtype))
    return total, dtypes


def _forward_kwargs(model, cache, positions: torch.Tensor | None) -> dict[str, Any]:
    kw = {"past_key_values": cache, "use_cache": True}
    if positions is not None and "cache_position" in inspect.signature(model.forward).parameters:
        kw["cache_position"] = positions
    return kw


def inference_section(sec: Section, device: torch.device, smoke: bool) -> None:
    timer = Timer(device, flush_l2=False)
    sec.settings.update({"archs": [a for a, _ in INFER_ARCHS], "prefill_tokens": PREFILL_TOKENS,
                         "decode_batch": DECODE_BATCH, "decode_context": DECODE_CONTEXT,
                         "generate_runs_batch_prompt_new": GEN_RUNS, "dtype": "bfloat16",
                         "attn_implementation": "sdpa", "logits_to_keep": 1, "no_grad": True,
                         "timing": "CUDA events, median; no CUDA graphs, no torch.compile (transformers eager)"})
    for arch, cfg_full in INFER_ARCHS:
        cfg_kwargs = _tiny(cfg_full) if smoke else cfg_full
        if sec.budget.spent():
            sec.skipped.append(f"infer {arch} (all cases)")
            continue
        free_memory()
        reset_peak(device)
        before_build = memory_stats(device)["allocated"] or 0
        try:
            model, cfg, info = build(cfg_kwargs, torch.bfloat16, device)
        except Exception as exc:  # noqa: BLE001
            sec.failures.append({"case": f"build {arch}", "error": f"{type(exc).__name__}: {exc}"})
            free_memory()
            continue
        model.eval()
        common = {"arch": arch, "config": dict(cfg_kwargs), "num_params": info["num_params"],
                  "weights_bytes": info["weights_bytes"], "build_s": info["build_s"],
                  "built_on_device_directly": info["built_on_device_directly"], "param_dtype": "bfloat16",
                  "attn_implementation": model.config._attn_implementation, "device": device.type,
                  "allocated_before_build": before_build}
        with torch.no_grad():
            for b, prompt, new in ([(1, 32, 4)] if smoke else GEN_RUNS):
                for kind in ("DynamicCache", "StaticCache"):
                    rid = f"infer {arch} b={b} prompt={prompt} new={new} bf16 sdpa {kind} {device.type}"
                    sec.run_case(rid, lambda rid=rid, b=b, p=prompt, n=new, k=kind: {
                        "run_id": rid, **common, **_generate_case(model, cfg, device, b, p, n, k, before_build)})
                    free_memory()
            for tokens in ([16, 64] if smoke else PREFILL_TOKENS):
                sec.run_case(f"prefill {arch} b=1 tokens={tokens}",
                             lambda t=tokens: {**common, **_prefill_case(model, cfg, device, timer, t, before_build)})
                free_memory()
            for ctx in ([32] if smoke else DECODE_CONTEXT):
                for b in ([1, 2] if smoke else DECODE_BATCH):
                    sec.run_case(f"decode {arch} b={b} context={ctx}",
                                 lambda b=b, c=ctx: {**common, **_decode_case(model, cfg, device, timer, b, c,
                                                                              before_build)})
                    free_memory()
        del model
        free_memory()


def _generate_case(model, cfg, device, batch, prompt, new, kind, before_build):
    """Prefill + `new` greedy decode steps by hand (as generate() does, logits_to_keep=1), peak memory."""
    gen = torch.Generator(device=device).manual_seed(1234)
    ids = torch.randint(0, cfg.vocab_size, (batch, prompt), generator=gen, device=device)
    reset_peak(device)
    cache = _dynamic_cache(cfg) if kind == "DynamicCache" else _static_cache(cfg, batch, prompt + new, device,
                                                                           torch.bfloat16)
    pos = torch.arange(prompt, device=device)
    out = model(input_ids=ids, logits_to_keep=1, **_forward_kwargs(model, cache, pos))
    nxt = out.logits[:, -1:].argmax(-1)
    del out
    after_prefill = memory_stats(device)
    for i in range(new):
        pos = torch.tensor([prompt + i], device=device)
        out = model(input_ids=nxt, logits_to_keep=1, **_forward_kwargs(model, cache, pos))
        nxt = out.logits[:, -1:].argmax(-1)
        del out
    stats = memory_stats(device)
    kv_bytes, kv_dtypes = _cache_bytes(cache)
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    expected = 2 * cfg.num_hidden_layers * batch * cfg.num_key_value_heads * (prompt + new) * head_dim * 2
    del cache, ids, nxt
    return {"batch": batch, "prompt_tokens": prompt, "new_tokens": new, "cache": kind, "logits_to_keep": 1,
            "peak_bytes_raw": stats["max_allocated"],
            "peak_bytes": None if stats["max_allocated"] is None else stats["max_allocated"] - before_build,
            "peak_reserved_bytes": None if stats["max_reserved"] is None else stats["max_reserved"] - before_build,
            "after_prefill": after_prefill, "after_decode": stats,
            "kv_cache_bytes_measured": kv_bytes, "kv_cache_dtypes": sorted(kv_dtypes),
            "kv_cache_bytes_formula_2_L_b_kvh_T_d_2": expected,
            "notes": "peak_bytes = max_memory_allocated (reset before the prefill) minus what was allocated "
                     "before the model was built. StaticCache allocates prompt+new positions up front."}


def _prefill_case(model, cfg, device, timer, tokens, before_build):
    gen = torch.Generator(device=device).manual_seed(1234)
    ids = torch.randint(0, cfg.vocab_size, (1, tokens), generator=gen, device=device)

    def step():
        cache = _dynamic_cache(cfg)
        return model(input_ids=ids, logits_to_keep=1, **_forward_kwargs(model, cache, None))

    reset_peak(device)
    t = timer.measure(step, target_s=0.05, min_reps=3, max_reps=10, flush=False)
    stats = memory_stats(device)
    flops = 2.0 * _non_embedding_params(model) * tokens
    return {"mode": "prefill", "batch": 1, "tokens": tokens, "cache": "DynamicCache (new per call)",
            "logits_to_keep": 1, **t, **stats,
            "peak_bytes": None if stats["max_allocated"] is None else stats["max_allocated"] - before_build,
            "linear_flops_2_N_nonembed_T": flops, "tflops_linear_only": _rate(flops, t["median_ms"]),
            "tokens_per_s": round(tokens / (t["median_ms"] / 1e3), 1)}


def _decode_case(model, cfg, device, timer, batch, ctx, before_build):
    """One decode step at `ctx` cached tokens: the DynamicCache is filled with random K/V (what a prefill
    would leave, without paying for one); each timed step appends one position (torch.cat per layer,
    as DynamicCache does), so the context grows by at most warmup + reps tokens."""
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    gen = torch.Generator(device=device).manual_seed(1234)
    cache = _dynamic_cache(cfg)
    for layer in range(cfg.num_hidden_layers):
        k = torch.randn(batch, cfg.num_key_value_heads, ctx, head_dim, device=device, dtype=torch.bfloat16,
                        generator=gen)
        cache.update(k, torch.randn_like(k), layer)
    nxt = torch.randint(0, cfg.vocab_size, (batch, 1), generator=gen, device=device)
    reset_peak(device)
    t = timer.measure(lambda: model(input_ids=nxt, logits_to_keep=1, **_forward_kwargs(model, cache, None)),
                      target_s=0.05, min_reps=3, max_reps=15, flush=False)
    stats = memory_stats(device)
    kv_bytes, _ = _cache_bytes(cache)
    weights = sum(p.numel() * p.element_size() for p in model.parameters())
    del cache
    return {"mode": "decode step", "batch": batch, "context_start": ctx,
            "context_end": ctx + t["reps"] + t["warmup"] + 1, "cache": "DynamicCache", **t, **stats,
            "peak_bytes": None if stats["max_allocated"] is None else stats["max_allocated"] - before_build,
            "kv_cache_bytes_end": kv_bytes,
            "bytes_convention": "weights + KV cache read once per step",
            "bytes_moved_weights_plus_kv": weights + kv_bytes,
            "tb_per_s_weights_plus_kv": _rate(weights + kv_bytes, t["median_ms"]),
            "tokens_per_s": round(batch / (t["median_ms"] / 1e3), 1)}


def _non_embedding_params(model) -> int:
    """Parameters every prefill token multiplies: all but the input embedding and (logits_to_keep=1)
    the LM head, counted once when tied."""
    skip = {id(model.get_input_embeddings().weight)}
    out = model.get_output_embeddings()
    if out is not None:
        skip.add(id(out.weight))
    return sum(p.numel() for p in model.parameters() if id(p) not in skip)


def _rate(amount: float, ms: float) -> float | None:
    return None if ms <= 0 else round(amount / (ms / 1e3) / 1e12, 3)
