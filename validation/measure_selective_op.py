"""Measure what a Llama block keeps between its forward and its backward under torchtitan's per-op selective
activation checkpointing, against no checkpointing and full checkpointing (real CPU tensors).

torchtitan's policy (pytorch/torchtitan@559a526 torchtitan/parallelisms/parallelize_llama.py, read there; the same
in its later releases): each transformer block runs under torch.utils.checkpoint with a selective-checkpoint
context whose policy saves the outputs of aten.mm (all but each second one, counted per block and per mode), of
the SDPA attention ops and of reduce_scatter; everything else is recomputed in backward. The backward's matmul
FLOPs (aten.mm, 2 x M x K x N) are recorded too: under checkpointing they include the recomputed forward's, so
the difference to no checkpointing is what the policy recomputes. The block below is
written out from torchtitan's models/llama/model.py at that commit (no torchtitan code is imported or copied):
pre-norm RMSNorm computed in fp32 and cast back, wq, wk, wv, complex rotary embeddings, grouped-query keys and
values repeated to all heads, causal SDPA, wo, then w2(silu(w1(x)) * w3(x)). bf16 weights and activations, as
FSDP2's param_dtype = bf16 runs it. On CPU the SDPA op is aten._scaled_dot_product_flash_attention_for_cpu,
which the policy saves as torchtitan's saves the CUDA flash and memory-efficient ops.

How: one forward of the block on an input that requires grad, inside a TorchDispatchMode that keeps a weak
reference to every tensor an op returns; after the forward (before any backward) the tensors still alive, less
the block's output, are what the block keeps (autograd's saved tensors, the selective-checkpoint cache); their
storages are de-duplicated and weights left out. The block's input, which checkpointing always keeps, is reported
apart. Run from the repository root:

    /work/.venv-val/bin/python validation/measure_selective_op.py

Writes validation/data/selective_op.json (sorted keys, indent 1).
"""

from __future__ import annotations

import functools
import weakref
from collections import defaultdict

import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.checkpoint import CheckpointPolicy, checkpoint, create_selective_checkpoint_contexts

import _provenance

SCRIPT = "validation/measure_selective_op.py"
DTYPE = torch.bfloat16
# (hidden, heads, kv heads, ffn, batch, seq): MHA and GQA; tokens and widths chosen so that no two activation
# shapes coincide with a weight's
CASES = [(256, 8, 8, 704, 2, 160), (256, 8, 2, 704, 2, 160), (384, 12, 4, 1024, 1, 224)]
SAVED_OPS = {torch.ops.aten.mm.default, torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default,
             torch.ops.aten._scaled_dot_product_efficient_attention.default,
             torch.ops.aten._scaled_dot_product_flash_attention.default}


class RMSNorm(torch.nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps, self.weight = eps, torch.nn.Parameter(torch.ones(dim, dtype=DTYPE))

    def forward(self, x):
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).type_as(x) * self.weight


def rotary(x, freqs):
    xc = torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))
    return torch.view_as_real(xc * freqs).flatten(3).type_as(x)


class Block(torch.nn.Module):
    def __init__(self, h: int, heads: int, kv: int, ffn: int):
        super().__init__()
        d = h // heads
        self.heads, self.kv, self.d = heads, kv, d

        def lin(i, o):
            return torch.nn.Linear(i, o, bias=False, dtype=DTYPE)

        self.wq, self.wk, self.wv, self.wo = lin(h, heads * d), lin(h, kv * d), lin(h, kv * d), lin(heads * d, h)
        self.w1, self.w2, self.w3 = lin(h, ffn), lin(ffn, h), lin(h, ffn)
        self.attention_norm, self.ffn_norm = RMSNorm(h), RMSNorm(h)

    def attention(self, x, freqs):
        b, s, _ = x.shape
        q = self.wq(x).view(b, s, self.heads, self.d)
        k = self.wk(x).view(b, s, self.kv, self.d)
        v = self.wv(x).view(b, s, self.kv, self.d)
        q, k = rotary(q, freqs), rotary(k, freqs)
        rep = self.heads // self.kv
        k = k[:, :, :, None, :].expand(b, s, self.kv, rep, self.d).reshape(b, s, self.heads, self.d)
        v = v[:, :, :, None, :].expand(b, s, self.kv, rep, self.d).reshape(b, s, self.heads, self.d)
        out = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                                             is_causal=True)
        return self.wo(out.transpose(1, 2).contiguous().view(b, s, -1))

    def forward(self, x, freqs):
        h = x + self.attention(self.attention_norm(x), freqs)
        y = self.ffn_norm(h)
        return h + self.w2(F.silu(self.w1(y)) * self.w3(y))


def torchtitan_policy():
    """A fresh per-block context, as torchtitan creates one per checkpointed block (its mm count per mode)."""
    meta = defaultdict(int)

    def policy(ctx, func, *args, **kwargs):
        mode = "recompute" if ctx.is_recompute else "forward"
        if func == torch.ops.aten.mm.default:
            meta[f"{mode}_mm_count"] += 1
        save = func in SAVED_OPS and not (func == torch.ops.aten.mm.default and meta[f"{mode}_mm_count"] % 2 == 0)
        return CheckpointPolicy.MUST_SAVE if save else CheckpointPolicy.PREFER_RECOMPUTE

    return create_selective_checkpoint_contexts(policy)


class MatmulFlops(TorchDispatchMode):
    """2 x M x K x N of every aten.mm the backward runs (its own and the recomputed forward's)."""

    def __init__(self):
        super().__init__()
        self.flops = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func == torch.ops.aten.mm.default:
            (m, k), n = args[0].shape, args[1].shape[1]
            self.flops += 2 * m * k * n
        return func(*args, **(kwargs or {}))


class Outputs(TorchDispatchMode):
    """Weak references to every tensor an op returns, with the op's name."""

    def __init__(self):
        super().__init__()
        self.refs = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in out if isinstance(out, (tuple, list)) else (out,):
            if isinstance(t, torch.Tensor):
                self.refs.append((weakref.ref(t), str(func.overloadpacket.__name__)))
        return out


def kept(block: Block, mode: str, b: int, s: int) -> dict:
    h = block.wq.in_features
    x = torch.randn(b, s, h, dtype=DTYPE, requires_grad=True)
    angles = torch.outer(torch.arange(s, dtype=torch.float32), 1.0 / 10000 ** (torch.arange(0, block.d, 2) / block.d))
    freqs = torch.polar(torch.ones_like(angles), angles)[None, :, None, :]
    weights = {p.untyped_storage().data_ptr() for p in block.parameters()}
    with Outputs() as rec:
        if mode == "none":
            out = block(x, freqs)
        elif mode == "full":
            out = checkpoint(block, x, freqs, use_reentrant=False)
        else:
            out = checkpoint(block, x, freqs, use_reentrant=False, context_fn=torchtitan_policy)
    seen, tensors = {out.untyped_storage().data_ptr(), x.untyped_storage().data_ptr()} | weights, []
    for ref, op in rec.refs:
        t = ref()
        if t is None or t.untyped_storage().data_ptr() in seen:
            continue
        seen.add(t.untyped_storage().data_ptr())
        tensors.append({"op": op, "shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
                        "bytes": t.untyped_storage().nbytes()})
    loss = out.float().sum()
    with MatmulFlops() as flops:   # the backward, with what checkpointing recomputes in it
        loss.backward()
    return {"tensors": sorted(tensors, key=lambda r: (-r["bytes"], r["op"])),
            "bytes": sum(r["bytes"] for r in tensors), "input_bytes": x.untyped_storage().nbytes(),
            "backward_mm_flops": flops.flops}


def main() -> None:
    torch.manual_seed(0)
    runs = []
    for h, heads, kv, ffn, b, s in CASES:
        block = Block(h, heads, kv, ffn)
        for mode in ("none", "full", "selective_op"):
            r = kept(block, mode, b, s)
            runs.append({"hidden": h, "heads": heads, "kv_heads": kv, "ffn": ffn, "batch": b, "seq": s,
                         "mode": mode, **r})
    _provenance.write_json(_provenance.data_path("selective_op.json"), {
        "provenance": _provenance.provenance(SCRIPT),
        "what": "bytes a torchtitan-style Llama block keeps between forward and backward (tensors returned by its "
                "ops and still alive after the forward, weights and the block's output left out; `input_bytes` the "
                "block's input, which checkpointing keeps), bf16, CPU",
        "policy": "pytorch/torchtitan@559a526 torchtitan/parallelisms/parallelize_llama.py: save aten.mm outputs "
                  "but each second one per block and mode, and the SDPA ops' outputs",
        "runs": runs})


if __name__ == "__main__":
    main()
