"""Kernel sections of measure_gpu.py: GEMM, attention, memory-bound kernels.

Conventions (also in README.md):
* GEMM FLOPs = 2*M*N*K for every pass; TFLOP/s = 1e12 FLOP/s.
* Causal attention forward FLOPs = 2*b*h*s^2*d (half of the 4*b*h*s^2*d of full attention: QK^T and PV,
  each 2*b*h*s^2*d, halved by the causal mask); forward+backward = 3.5 x forward (backward = 2.5 x
  forward: five s^2 matmuls including the recomputed QK^T, FlashAttention-2's benchmark convention).
* Bytes moved = the minimum each kernel must read + write once (not what an unfused implementation
  moves); bandwidth = bytes / median time; TB/s = 1e12 B/s.
"""

from __future__ import annotations

import contextlib
from typing import Any

import torch
import torch.nn.functional as F

from gpu_common import Section, Timer, dtype_name, free_memory, rate

# ---------------------------------------------------------------------------------------------------
# GEMM
# ---------------------------------------------------------------------------------------------------

# Dimensions from each model's public config.json (hidden_size, num_attention_heads,
# num_key_value_heads, head_dim = hidden/heads, intermediate_size, vocab_size):
#   meta-llama/Llama-2-7b-hf, Llama-2-13b-hf, Llama-2-70b-hf, meta-llama/Llama-3.1-8B, Llama-3.1-70B,
#   mistralai/Mixtral-8x7B-v0.1 (intermediate_size is per expert; 8 experts, top-2).
GEMM_MODELS: dict[str, dict[str, int]] = {
    "llama2_7b": dict(hidden=4096, heads=32, kv_heads=32, head_dim=128, ffn=11008, vocab=32000),
    "llama2_13b": dict(hidden=5120, heads=40, kv_heads=40, head_dim=128, ffn=13824, vocab=32000),
    "llama2_70b": dict(hidden=8192, heads=64, kv_heads=8, head_dim=128, ffn=28672, vocab=32000),
    "llama3_1_8b": dict(hidden=4096, heads=32, kv_heads=8, head_dim=128, ffn=14336, vocab=128256),
    "llama3_1_70b": dict(hidden=8192, heads=64, kv_heads=8, head_dim=128, ffn=28672, vocab=128256),
    "mixtral_8x7b": dict(hidden=4096, heads=32, kv_heads=8, head_dim=128, ffn=14336, vocab=32000),
}
GEMM_TP = [1, 8, 2, 4]  # measured in this order: TP 4 is the first to go when the budget runs out
GEMM_M = [1, 16, 128, 512, 2048, 8192, 16384]
GEMM_BACKWARD_MIN_M = 512  # dgrad / wgrad only at training-sized token counts


def linear_shapes(m: dict[str, int], tp: int) -> dict[str, tuple[int, int, str]]:
    """(N, K, parallel style) of each linear at tensor parallelism tp, as Megatron shards them:
    column-parallel layers split N (output features), row-parallel layers split K (input features).
    The LM head is vocab-parallel (column). For Mixtral the MLP shapes are one expert's."""
    h, d = m["hidden"], m["head_dim"]
    return {
        "qkv": ((m["heads"] + 2 * m["kv_heads"]) * d // tp, h, "column"),
        "attn_out": (h, m["heads"] * d // tp, "row"),
        "gate_up": (2 * m["ffn"] // tp, h, "column"),
        "down": (h, m["ffn"] // tp, "row"),
        "lm_head": (m["vocab"] // tp, h, "column"),
    }


def _gemm_operands(passname: str, mm: int, n: int, k: int, dtype, device):
    """Operands laid out as autograd lays them out for y = x @ W^T with W stored [N, K] (nn.Linear):
    forward  y[M,N]  = x[M,K] @ W^T        (W^T a transposed view)
    dgrad    dx[M,K] = dy[M,N] @ W[N,K]
    wgrad    dW[N,K] = dy^T[N,M] @ x[M,K]  (dy^T a transposed view)"""
    g = torch.Generator(device=device).manual_seed(0)
    if passname == "forward":
        x = torch.randn(mm, k, device=device, dtype=dtype, generator=g)
        w = torch.randn(n, k, device=device, dtype=dtype, generator=g)
        return x, w.t()
    if passname == "dgrad":
        dy = torch.randn(mm, n, device=device, dtype=dtype, generator=g)
        w = torch.randn(n, k, device=device, dtype=dtype, generator=g)
        return dy, w
    dy = torch.randn(mm, n, device=device, dtype=dtype, generator=g)
    x = torch.randn(mm, k, device=device, dtype=dtype, generator=g)
    return dy.t(), x


def gemm_section(sec: Section, timer: Timer, device, smoke: bool) -> None:
    dtype = torch.bfloat16
    ms_list = [1, 16, 64] if smoke else GEMM_M
    tps = [1, 2] if smoke else GEMM_TP
    div = 64 if smoke else 1
    models = dict(list(GEMM_MODELS.items())[:2]) if smoke else GEMM_MODELS
    sec.settings.update({
        "dtype": dtype_name(dtype), "op": "torch.matmul on operands laid out as autograd does for nn.Linear",
        "M_tokens": ms_list, "tp": tps, "models": models, "backward_from_M": 64 if smoke else GEMM_BACKWARD_MIN_M,
        "sharding": "Megatron: column-parallel (qkv, gate_up, lm_head) split N; row-parallel (attn_out, down) "
                    "split K; Mixtral MLP shapes are one expert's (M = tokens routed to that expert)",
        "l2": "256 MiB buffer zeroed before every timed repetition, outside the CUDA-event interval",
        "timing": "CUDA events per repetition, median; repetitions chosen for ~30 ms per case (3..25)",
        "allow_bf16_reduced_precision_reduction": torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction,
        "reference": "forward 8192^3 first"})
    # one measurement per distinct (pass, M, N, K); every model/layer/TP using it is listed
    shapes: dict[tuple[str, int, int, int], dict[str, Any]] = {}
    for tp in tps:
        for mname, m in models.items():
            if smoke:  # tiny stand-ins: every code path, no real sizes
                m = dict(hidden=m["hidden"] // div, heads=m["heads"] // 4, kv_heads=max(1, m["kv_heads"] // 4),
                         head_dim=8, ffn=m["ffn"] // div, vocab=m["vocab"] // div)
            for layer, (n, k, style) in linear_shapes(m, tp).items():
                for mtok in ms_list:
                    passes = ["forward"] + (["dgrad", "wgrad"] if mtok >= (64 if smoke else GEMM_BACKWARD_MIN_M)
                                            else [])
                    for p in passes:
                        key = (p, mtok, n, k)
                        entry = shapes.setdefault(key, {"users": []})
                        entry["users"].append({"model": mname, "layer": layer, "tp": tp, "parallel": style})
    ref = 512 if smoke else 8192
    refkey = ("forward", ref, ref, ref)
    order = [refkey] + [key for key in shapes if key != refkey]
    shapes.setdefault(("forward", ref, ref, ref), {"users": [{"model": "reference", "layer": f"{ref}^3",
                                                              "tp": 1, "parallel": "none"}]})
    for key in order:
        p, mtok, n, k = key
        users = shapes[key]["users"]

        def case(p=p, mtok=mtok, n=n, k=k, users=users):
            a, b = _gemm_operands(p, mtok, n, k, dtype, device)
            out_m, out_n = (mtok, n) if p == "forward" else ((mtok, k) if p == "dgrad" else (n, k))
            inner = k if p == "forward" else (n if p == "dgrad" else mtok)
            t = timer.measure(lambda: torch.matmul(a, b))
            flops = 2.0 * out_m * out_n * inner
            return {"pass": p, "M_tokens": mtok, "N": n, "K": k, "gemm_mnk": [out_m, out_n, inner],
                    "dtype": dtype_name(dtype), "op": "torch.matmul", "flops": flops, **t,
                    "tflops": rate(flops, t["median_ms"], 1e12), "users": users}

        sec.run_case(f"{p} M={mtok} N={n} K={k}", case)
    free_memory()
    _fp8_subset(sec, timer, device, smoke)


def _fp8_subset(sec: Section, timer: Timer, device, smoke: bool) -> None:
    """torch._scaled_mm (e4m3 x e4m3 -> bf16, per-tensor scales 1.0): a private API, so guarded."""
    if not hasattr(torch, "_scaled_mm") or not hasattr(torch, "float8_e4m3fn"):
        sec.extra["fp8"] = "torch._scaled_mm or float8_e4m3fn missing in this torch"
        return
    cases = [(512, 512, 512), (64, 256, 128)] if smoke else [
        (8192, 8192, 8192), (8192, 14336 * 2, 4096), (8192, 4096, 14336), (16384, 28672 * 2 // 8, 8192),
        (16384, 8192, 28672 // 8), (2048, 6144, 4096), (16384, 128256, 8192)]
    for mtok, n, k in cases:
        def case(mtok=mtok, n=n, k=k):
            a = torch.randn(mtok, k, device=device).to(torch.float8_e4m3fn)
            b = torch.randn(n, k, device=device).to(torch.float8_e4m3fn).t()  # column-major K x N
            one = torch.ones((), device=device, dtype=torch.float32)
            fn = lambda: torch._scaled_mm(a, b, scale_a=one, scale_b=one, out_dtype=torch.bfloat16)  # noqa: E731
            t = timer.measure(fn)
            flops = 2.0 * mtok * n * k
            return {"pass": "forward", "M_tokens": mtok, "N": n, "K": k, "gemm_mnk": [mtok, n, k],
                    "dtype": "float8_e4m3fn x float8_e4m3fn -> bfloat16", "op": "torch._scaled_mm (per-tensor scale)",
                    "flops": flops, **t, "tflops": rate(flops, t["median_ms"], 1e12), "users": []}

        sec.run_case(f"fp8 forward M={mtok} N={n} K={k}", case)


# ---------------------------------------------------------------------------------------------------
# attention
# ---------------------------------------------------------------------------------------------------

def _backends() -> dict[str, Any]:
    try:
        from torch.nn.attention import SDPBackend, sdpa_kernel
    except ImportError:  # pragma: no cover - torch < 2.3
        return {}
    out = {}
    for name, attr in [("flash", "FLASH_ATTENTION"), ("efficient", "EFFICIENT_ATTENTION"),
                       ("cudnn", "CUDNN_ATTENTION"), ("math", "MATH")]:
        if hasattr(SDPBackend, attr):
            out[name] = (lambda b=getattr(SDPBackend, attr): sdpa_kernel(b))
    return out


def _sdpa(q, k, v, causal: bool, gqa: str):
    if gqa == "enable_gqa":
        return F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=True)
    if gqa == "repeat_kv":
        rep = q.shape[1] // k.shape[1]
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal)


def _eager(q, k, v, mask):
    """transformers' eager attention: repeat_kv, QK^T*scale + mask, fp32 softmax, cast, PV."""
    rep = q.shape[1] // k.shape[1]
    if rep > 1:
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
    s = torch.matmul(q, k.transpose(2, 3)) * (q.shape[-1] ** -0.5)
    s = s.masked_fill(mask, float("-inf"))
    p = torch.softmax(s, dim=-1, dtype=torch.float32).to(q.dtype)
    return torch.matmul(p, v)


def attention_section(sec: Section, timer: Timer, device, smoke: bool) -> None:
    dtype = torch.bfloat16
    heads, d = (4, 16) if smoke else (32, 128)
    kv_list = [1, 4] if smoke else [8, 32]
    seqs = [64, 128] if smoke else [512, 1024, 2048, 4096, 8192, 16384]
    eager_max = 128 if smoke else 8192
    backends = _backends()
    impls = list(backends) + ["eager"]
    sec.settings.update({"dtype": dtype_name(dtype), "batch": 1, "heads": heads, "head_dim": d, "kv_heads": kv_list,
                         "seq": seqs, "eager_and_math_max_seq": eager_max, "causal": True, "impls": impls,
                         "flops": "causal forward 2*b*h*s^2*d; forward+backward 3.5 x forward",
                         "gqa": "enable_gqa=True where the backend takes it, else K/V expanded (repeat_kv)",
                         "l2": "not flushed for prefill (operands re-read many times per call); flushed for decode"})
    sec.extra["backends_available_in_torch"] = list(backends)
    for s in seqs:
        for kvh in kv_list:
            for impl in impls:
                if impl in ("eager", "math") and s > eager_max:
                    sec.skipped.append(f"prefill {impl} s={s} kv={kvh} (memory: s^2 scores above {eager_max})")
                    continue
                for mode in ("forward", "forward+backward"):
                    sec.run_case(f"prefill {impl} {mode} s={s} heads={heads} kv={kvh}",
                                 lambda s=s, kvh=kvh, impl=impl, mode=mode: _prefill_case(
                                     timer, device, dtype, s, heads, kvh, d, impl, mode, backends))
        free_memory()
    _decode_cases(sec, timer, device, dtype, smoke, backends)


def _prefill_case(timer, device, dtype, s, heads, kvh, d, impl, mode, backends):
    b = 1
    g = torch.Generator(device=device).manual_seed(0)
    grad = mode == "forward+backward"
    q = torch.randn(b, heads, s, d, device=device, dtype=dtype, generator=g, requires_grad=grad)
    k = torch.randn(b, kvh, s, d, device=device, dtype=dtype, generator=g, requires_grad=grad)
    v = torch.randn(b, kvh, s, d, device=device, dtype=dtype, generator=g, requires_grad=grad)
    gqa = "none" if kvh == heads else "enable_gqa"
    if impl == "eager":
        mask = torch.ones(s, s, dtype=torch.bool, device=device).triu(1)
        fwd = lambda: _eager(q, k, v, mask)  # noqa: E731
        ctx = contextlib.nullcontext
    else:
        ctx = backends[impl]

        def fwd():
            return _sdpa(q, k, v, True, gqa)

        try:
            with ctx():
                fwd()
        except (RuntimeError, TypeError) as exc:
            if gqa != "enable_gqa":
                raise
            # backend refuses enable_gqa: expand K/V as transformers' repeat_kv does
            gqa = "repeat_kv"
            first_error = str(exc)[:200]
        else:
            first_error = None
    do = torch.randn(b, heads, s, d, device=device, dtype=dtype, generator=g)

    def step():
        with ctx():
            out = fwd()
            if grad:
                out.backward(do)
        return out

    t = timer.measure(step, flush=False)
    fwd_flops = 2.0 * b * heads * s * s * d
    flops = fwd_flops * (3.5 if grad else 1.0)
    out = {"impl": impl, "mode": mode, "batch": b, "seq": s, "heads": heads, "kv_heads": kvh, "head_dim": d,
           "causal": True, "dtype": dtype_name(dtype), "gqa_handling": gqa if impl != "eager" else "repeat_kv",
           "flops_convention": "causal forward 2*b*h*s^2*d; forward+backward 3.5x forward",
           "flops": flops, **t, "tflops": rate(flops, t["median_ms"], 1e12)}
    if impl != "eager" and first_error:
        out["enable_gqa_error"] = first_error
    return out


def _decode_cases(sec, timer, device, dtype, smoke, backends) -> None:
    heads, d = (4, 16) if smoke else (32, 128)
    kv_list = [1] if smoke else [8, 32]
    lens = [64, 256] if smoke else [512, 2048, 8192, 32768]
    batches = [1, 2] if smoke else [1, 8, 32, 64]
    impls = ["default"] + [b for b in ("flash", "efficient", "cudnn") if b in backends]
    for kvh in kv_list:
        for length in lens:
            for b in batches:
                if not smoke and kvh == 32 and b * length > 64 * 8192:
                    sec.skipped.append(f"decode kv={kvh} L={length} b={b} (KV cache above 17 GB; kv=8 covers it)")
                    continue
                for impl in impls:
                    sec.run_case(f"decode {impl} L={length} b={b} heads={heads} kv={kvh}",
                                 lambda kvh=kvh, length=length, b=b, impl=impl: _decode_case(
                                     timer, device, dtype, heads, kvh, d, length, b, impl, backends))
            free_memory()


def _decode_case(timer, device, dtype, heads, kvh, d, length, b, impl, backends):
    g = torch.Generator(device=device).manual_seed(0)
    q = torch.randn(b, heads, 1, d, device=device, dtype=dtype, generator=g)
    k = torch.randn(b, kvh, length, d, device=device, dtype=dtype, generator=g)
    v = torch.randn(b, kvh, length, d, device=device, dtype=dtype, generator=g)
    ctx = contextlib.nullcontext if impl == "default" else backends[impl]
    gqa = "none" if kvh == heads else "enable_gqa"
    try:
        with ctx():
            _sdpa(q, k, v, False, gqa)
    except (RuntimeError, TypeError):
        if gqa == "none":
            raise
        gqa = "repeat_kv"

    def step():
        with ctx():
            return _sdpa(q, k, v, False, gqa)

    t = timer.measure(step)
    el = torch.finfo(dtype).bits // 8
    kv_bytes = 2 * b * kvh * length * d * el
    moved = kv_bytes + 2 * b * heads * d * el  # K and V once, q in, out
    flops = 4.0 * b * heads * length * d
    return {"impl": impl, "mode": "decode (1 query token, no mask)", "batch": b, "kv_len": length, "heads": heads,
            "kv_heads": kvh, "head_dim": d, "dtype": dtype_name(dtype), "gqa_handling": gqa,
            "bytes_convention": "K+V read once + q + output (repeat_kv copies, if used, not counted)",
            "bytes_moved": moved, "flops": flops, **t, "tb_per_s": rate(moved, t["median_ms"], 1e12),
            "tflops": rate(flops, t["median_ms"], 1e12)}


# ---------------------------------------------------------------------------------------------------
# memory-bound kernels
# ---------------------------------------------------------------------------------------------------

def _rmsnorm_hf(x, w, eps=1e-5):
    """transformers LlamaRMSNorm.forward: fp32 variance, rsqrt, cast back, weight multiply."""
    xf = x.to(torch.float32)
    var = xf.pow(2).mean(-1, keepdim=True)
    return w * (xf * torch.rsqrt(var + eps)).to(x.dtype)


def membound_section(sec: Section, timer: Timer, device, smoke: bool) -> None:
    dtype = torch.bfloat16
    el = 2
    sec.settings.update({"dtype": dtype_name(dtype), "bytes": "minimum read + write once per kernel",
                         "l2": "flushed before each repetition except copy and AdamW (operands far above L2)"})
    copy_sizes = [1 << 20] if smoke else [1 << 28, 1 << 30, 4 << 30]  # bytes
    for nbytes in copy_sizes:
        def copy_case(nbytes=nbytes):
            src = torch.empty(nbytes, dtype=torch.uint8, device=device).fill_(1)
            dst = torch.empty_like(src)
            t = timer.measure(lambda: dst.copy_(src), flush=False)
            moved = 2 * nbytes
            return {"kernel": "copy (dst.copy_(src))", "bytes_each": nbytes, "bytes_moved": moved, **t,
                    "tb_per_s": rate(moved, t["median_ms"], 1e12)}

        sec.run_case(f"copy {nbytes} B", copy_case)

    hidden_list = [64] if smoke else [4096, 8192]
    tokens_list = [256] if smoke else [8192, 32768]
    ffn_of = {64: 128, 4096: 14336, 8192: 28672}
    for h in hidden_list:
        for tok in tokens_list:
            _elementwise_cases(sec, timer, device, dtype, el, tok, h, ffn_of[h])
            free_memory()
    vocab = 512 if smoke else 128256
    for tok in ([64] if smoke else [2048, 8192]):
        _cross_entropy_cases(sec, timer, device, tok, vocab)
        free_memory()
    for nparams in ([1 << 16] if smoke else [512 * 1024 * 1024]):
        for pdtype in (torch.float32, torch.bfloat16):
            for impl in ("foreach", "fused"):
                sec.run_case(f"adamw {impl} {dtype_name(pdtype)} params={nparams}",
                             lambda n=nparams, i=impl, p=pdtype: _adamw_case(timer, device, n, i, p, smoke))
                free_memory()


def _elementwise_cases(sec, timer, device, dtype, el, tok, h, ffn) -> None:
    g = torch.Generator(device=device).manual_seed(0)

    def rms_case(fused: bool):
        x = torch.randn(tok, h, device=device, dtype=dtype, generator=g)
        w = torch.ones(h, device=device, dtype=dtype)
        if fused:
            if not hasattr(F, "rms_norm"):
                raise RuntimeError("torch.nn.functional.rms_norm not in this torch")
            fn = lambda: F.rms_norm(x, (h,), w, 1e-5)  # noqa: E731
        else:
            fn = lambda: _rmsnorm_hf(x, w)  # noqa: E731
        t = timer.measure(fn)
        moved = 2 * tok * h * el + h * el
        return {"kernel": "F.rms_norm" if fused else "RMSNorm as transformers (eager, several kernels)",
                "tokens": tok, "hidden": h, "dtype": dtype_name(dtype), "bytes_moved": moved, **t,
                "tb_per_s": rate(moved, t["median_ms"], 1e12)}

    def swiglu_case():
        gate = torch.randn(tok, ffn, device=device, dtype=dtype, generator=g)
        up = torch.randn(tok, ffn, device=device, dtype=dtype, generator=g)
        t = timer.measure(lambda: F.silu(gate) * up)
        moved = 3 * tok * ffn * el
        return {"kernel": "F.silu(gate) * up (two kernels)", "tokens": tok, "ffn": ffn, "dtype": dtype_name(dtype),
                "bytes_moved": moved, **t, "tb_per_s": rate(moved, t["median_ms"], 1e12)}

    def softmax_case():
        x = torch.randn(tok, h, device=device, dtype=dtype, generator=g)
        t = timer.measure(lambda: torch.softmax(x, dim=-1))
        moved = 2 * tok * h * el
        return {"kernel": "torch.softmax(dim=-1)", "rows": tok, "cols": h, "dtype": dtype_name(dtype),
                "bytes_moved": moved, **t, "tb_per_s": rate(moved, t["median_ms"], 1e12)}

    def residual_case():
        a = torch.randn(tok, h, device=device, dtype=dtype, generator=g)
        b = torch.randn(tok, h, device=device, dtype=dtype, generator=g)
        t = timer.measure(lambda: a + b)
        moved = 3 * tok * h * el
        return {"kernel": "residual add a + b", "tokens": tok, "hidden": h, "dtype": dtype_name(dtype),
                "bytes_moved": moved, **t, "tb_per_s": rate(moved, t["median_ms"], 1e12)}

    sec.run_case(f"rmsnorm hf tokens={tok} hidden={h}", lambda: rms_case(False))
    sec.run_case(f"rmsnorm fused tokens={tok} hidden={h}", lambda: rms_case(True))
    sec.run_case(f"swiglu tokens={tok} ffn={ffn}", swiglu_case)
    sec.run_case(f"softmax rows={tok} cols={h}", softmax_case)
    sec.run_case(f"residual tokens={tok} hidden={h}", residual_case)


def _cross_entropy_cases(sec, timer, device, tok, vocab) -> None:
    for upcast in (False, True):
        def case(upcast=upcast):
            g = torch.Generator(device=device).manual_seed(0)
            logits = torch.randn(tok, vocab, device=device, dtype=torch.bfloat16, generator=g)
            labels = torch.randint(0, vocab, (tok,), device=device, generator=g)
            fn = (lambda: F.cross_entropy(logits.float(), labels)) if upcast else \
                (lambda: F.cross_entropy(logits, labels))
            t = timer.measure(fn)
            moved = tok * vocab * 2
            return {"kernel": "F.cross_entropy(logits.float(), labels) (as transformers' loss)" if upcast
                    else "F.cross_entropy(bf16 logits, labels)", "tokens": tok, "vocab": vocab,
                    "bytes_convention": "bf16 logits read once", "bytes_moved": moved, **t,
                    "tb_per_s": rate(moved, t["median_ms"], 1e12)}

        sec.run_case(f"cross_entropy upcast={upcast} tokens={tok} vocab={vocab}", case)


def _adamw_case(timer, device, nparams, impl, pdtype, smoke):
    """AdamW.step() on nparams parameters split into Llama-like tensors (16.8M elements each, e.g. a
    4096x4096 projection), grads present; time per step and per parameter."""
    chunk = 1 << 12 if smoke else 4096 * 4096
    count = max(1, nparams // chunk)
    params = [torch.zeros(chunk, device=device, dtype=pdtype, requires_grad=True) for _ in range(count)]
    for p in params:
        p.grad = torch.full_like(p, 1e-3)
    kw = {"fused": True} if impl == "fused" else {"foreach": True}
    opt = torch.optim.AdamW(params, lr=1e-4, **kw)
    opt.step()  # creates the state (lazy)
    t = timer.measure(opt.step, min_reps=3, max_reps=10, flush=False)
    n = count * chunk
    el = torch.finfo(pdtype).bits // 8
    moved = n * el * 7  # read p, g, m, v; write p, m, v (states in the parameters' dtype)
    del opt, params
    return {"optimizer": f"AdamW({impl}=True)", "param_dtype": dtype_name(pdtype), "params": n, "tensors": count,
            "bytes_convention": "read param, grad, exp_avg, exp_avg_sq; write param, exp_avg, exp_avg_sq",
            "bytes_moved": moved, **t, "ns_per_param": round(t["median_ms"] * 1e6 / n, 6),
            "tb_per_s": rate(moved, t["median_ms"], 1e12)}

