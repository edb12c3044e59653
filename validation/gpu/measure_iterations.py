"""Serving iteration times on one GPU without Python overhead: a Llama-style decoder (random bf16
weights) written in plain PyTorch ops, each iteration captured in a CUDA graph and replayed, so the
time is the GPU's — what a serving engine (vLLM, TensorRT-LLM, SGLang) spends per iteration, less
its scheduler. Complements measure_gpu.py, whose transformers decode steps are Python-bound.

    python3 validation/gpu/measure_iterations.py --out DIR [--budget-s 240] [--smoke]

Iterations measured, per model (Llama-3.1-8B whole; Llama-3.1-70B as one tensor-parallel shard at
TP 4 and TP 8 — per-GPU compute only, no all-reduce):
  decode   batch B, context C: one token per sequence; attention reads the B x C KV cache
  prefill  T prompt tokens of one sequence (causal attention over T)
  mixed    a chunked-prefill iteration: T prompt tokens + B decode tokens in the same GEMMs
Not modelled: rotary embedding (elementwise, < 1% of an iteration), sampling, paged-KV indirection.
GQA decode attention runs as SDPA with each KV head's query group as a 'query length' (the kernel
layout FlashDecoding/vLLM use), so flash kernels apply.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

# Shapes from the models' public config.json (meta-llama/Llama-3.1-8B and -70B).
MODELS = {
    "llama3_1_8b": dict(layers=32, hidden=4096, heads=32, kv_heads=8, head_dim=128, ffn=14336, vocab=128256, tp=1),
    "llama3_1_70b_tp4": dict(layers=80, hidden=8192, heads=64, kv_heads=8, head_dim=128, ffn=28672, vocab=128256, tp=4),
    "llama3_1_70b_tp8": dict(layers=80, hidden=8192, heads=64, kv_heads=8, head_dim=128, ffn=28672, vocab=128256, tp=8),
}
SMOKE = {"tiny": dict(layers=2, hidden=64, heads=4, kv_heads=2, head_dim=16, ffn=128, vocab=256, tp=1)}
MAX_KV_BYTES = 60 * 2**30


class Shard:
    """One GPU's share of the model's weights at tensor parallelism tp (Megatron's split)."""

    def __init__(self, cfg: dict, device, dtype):
        tp = cfg["tp"]
        self.cfg, self.h, self.d = cfg, cfg["hidden"], cfg["head_dim"]
        self.nh, self.nkv, self.f = cfg["heads"] // tp, max(1, cfg["kv_heads"] // tp), cfg["ffn"] // tp
        self.vocab = cfg["vocab"] // tp

        def w(*shape):
            return torch.empty(*shape, device=device, dtype=dtype).normal_(0, 0.02)

        self.layers = [dict(qkv=w(self.h, (self.nh + 2 * self.nkv) * self.d), o=w(self.nh * self.d, self.h),
                            gate_up=w(self.h, 2 * self.f), down=w(self.f, self.h),
                            n1=torch.ones(self.h, device=device, dtype=dtype),
                            n2=torch.ones(self.h, device=device, dtype=dtype)) for _ in range(cfg["layers"])]
        self.head = w(self.h, self.vocab)
        self.weight_bytes = sum(t.numel() * t.element_size() for L in self.layers for t in L.values()) \
            + self.head.numel() * self.head.element_size()

    def kv_bytes_per_token(self, dtype_bytes=2) -> int:
        return 2 * self.cfg["layers"] * self.nkv * self.d * dtype_bytes

    def forward(self, x, decode_b: int, kv, prefill_t: int):
        """x: [decode_b + prefill_t, h] tokens (decode tokens first). kv: per layer (k, v) caches
        [decode_b, nkv, C, d] or None."""
        nh, nkv, d = self.nh, self.nkv, self.d
        g = nh // nkv
        for i, L in enumerate(self.layers):
            y = F.rms_norm(x, (self.h,), L["n1"])
            qkv = y @ L["qkv"]
            q, k, v = qkv.split([nh * d, nkv * d, nkv * d], dim=-1)
            outs = []
            if decode_b:
                kc, vc = kv[i]
                qd = q[:decode_b].view(decode_b, nkv, g, d)             # query group as 'length'
                outs.append(F.scaled_dot_product_attention(qd, kc, vc).reshape(decode_b, nh * d))
            if prefill_t:
                qp = q[decode_b:].view(1, prefill_t, nh, d).transpose(1, 2)
                kp = k[decode_b:].view(1, prefill_t, nkv, d).transpose(1, 2)
                vp = v[decode_b:].view(1, prefill_t, nkv, d).transpose(1, 2)
                if g > 1:
                    kp, vp = kp.repeat_interleave(g, 1), vp.repeat_interleave(g, 1)
                a = F.scaled_dot_product_attention(qp, kp, vp, is_causal=True)
                outs.append(a.transpose(1, 2).reshape(prefill_t, nh * d))
            x = x + torch.cat(outs) @ L["o"] if len(outs) > 1 else x + outs[0] @ L["o"]
            y = F.rms_norm(x, (self.h,), L["n2"])
            gate, up = (y @ L["gate_up"]).chunk(2, dim=-1)
            x = x + (F.silu(gate) * up) @ L["down"]
        last = x[:decode_b] if decode_b else x[-1:]
        return last @ self.head


def time_iteration(fn, device, reps: int) -> dict:
    if device.type != "cuda":
        fn()
        t0 = time.perf_counter()
        fn()
        return {"median_ms": (time.perf_counter() - t0) * 1e3, "cuda_graph": False, "reps": 1}
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(2):
            fn()
    torch.cuda.current_stream().wait_stream(s)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        fn()
    graph.replay()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        graph.replay()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b))
    del graph
    return {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times),
            "cuda_graph": True, "reps": reps}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--budget-s", type=float, default=240.0)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    t0 = time.monotonic()
    device = torch.device("cpu") if args.smoke else torch.device("cuda", 0)
    dtype = torch.float32 if args.smoke else torch.bfloat16
    models = SMOKE if args.smoke else MODELS
    decode_grid = [(1, 512), (8, 512)] if args.smoke else [
        (b, c) for c in (512, 2048, 8192) for b in (1, 8, 32, 64, 128, 256)]
    prefill_grid = [16, 32] if args.smoke else [128, 512, 1024, 2048, 4096, 8192]
    mixed_grid = [(4, 16, 64)] if args.smoke else [(32, 512, 2048), (64, 512, 2048), (64, 2048, 2048),
                                                    (128, 512, 2048), (128, 1024, 4096)]
    reps = 2 if args.smoke else 15
    out = {"schema": "capplan-gpu-iterations/1", "smoke": args.smoke,
           "what": "CPU SMOKE RUN, not a measurement" if args.smoke else "iteration times on one GPU (CUDA graphs)",
           "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "torch": torch.__version__, "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
           "models": {}, "cases": [], "failures": [], "skipped": []}
    path = os.path.join(args.out, "iterations.json")

    def save():
        tmp = path + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(out, fh, indent=1, sort_keys=True)
        os.replace(tmp, path)

    for name, cfg in models.items():
        torch.manual_seed(0)
        shard = Shard(cfg, device, dtype)
        per_tok = shard.kv_bytes_per_token(torch.tensor([], dtype=dtype).element_size())
        out["models"][name] = dict(cfg, weight_bytes=shard.weight_bytes, kv_bytes_per_token=per_tok,
                                   heads_per_gpu=shard.nh, kv_heads_per_gpu=shard.nkv, ffn_per_gpu=shard.f)
        cases = [("decode", b, c, 0) for b, c in decode_grid] + [("prefill", 0, 0, t) for t in prefill_grid] \
            + [("mixed", b, c, t) for b, t, c in mixed_grid]
        for kind, b, c, t in cases:
            case = {"model": name, "kind": kind, "decode_batch": b, "context": c, "prefill_tokens": t}
            if time.monotonic() - t0 > args.budget_s:
                out["skipped"].append(case)
                continue
            if b * c * per_tok > MAX_KV_BYTES:
                out["skipped"].append(dict(case, reason="KV cache over the script's 60 GiB cap"))
                continue
            try:
                kv = [(torch.empty(b, shard.nkv, c, shard.d, device=device, dtype=dtype).normal_(),
                       torch.empty(b, shard.nkv, c, shard.d, device=device, dtype=dtype).normal_())
                      for _ in range(cfg["layers"])] if b else None
                x = torch.empty(b + t, shard.h, device=device, dtype=dtype).normal_()
                with torch.no_grad():
                    timing = time_iteration(lambda: shard.forward(x, b, kv, t), device, reps)
                case.update(timing)
                case["kv_bytes_read"] = b * c * per_tok
                case["tokens"] = b + t
                sec = case["median_ms"] / 1e3
                case["bytes_per_s_weights_plus_kv"] = (shard.weight_bytes + case["kv_bytes_read"]) / sec
                head_rows = b if b else 1
                body_params = sum(L[k].numel() for L in shard.layers for k in ("qkv", "o", "gate_up", "down"))
                case["linear_flops"] = 2 * (b + t) * body_params + 2 * head_rows * shard.head.numel()
                case["linear_tflops_per_s"] = case["linear_flops"] / sec / 1e12
                out["cases"].append(case)
            except Exception as exc:  # noqa: BLE001 - record and go on
                out["failures"].append(dict(case, error=f"{type(exc).__name__}: {exc}"[:300]))
            finally:
                kv = x = None
                if device.type == "cuda":
                    torch.cuda.empty_cache()
            print(json.dumps(out["cases"][-1] if out["cases"] else {}, sort_keys=True)[:200], flush=True)
        del shard
        if device.type == "cuda":
            torch.cuda.empty_cache()
        save()
    out["wall_s"] = round(time.monotonic() - t0, 1)
    out["complete"] = True
    save()
    print(f"wrote {path}: {len(out['cases'])} cases, {len(out['failures'])} failures, "
          f"{len(out['skipped'])} skipped in {out['wall_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
