"""Measure what PyTorch FSDP keeps per parameter under mixed precision (real CPU tensors, two gloo ranks).

FSDP's MixedPrecision (FSDP1) and MixedPrecisionPolicy (FSDP2) with `param_dtype = bf16` compute with bf16
copies of the parameters and keep the sharded parameters in their own dtype outside forward and backward
(torch/distributed/fsdp/api.py, MixedPrecision's docstring); with `keep_low_precision_grads = False` the
sharded gradients are upcast to it. The memory engine applies this to a recipe with master weights under
`fsdp = true` (compiler/engine/training.py, `fsdp_mixed`; validation/framework_lifetimes.md sec. 4): the
fp32 shard is the master (4/N bytes a parameter), no 16-bit copy persists, gradients are held in fp32.

Each case builds four bias-free Linear(64, 64) layers, applies FSDP2's `fully_shard` to each and to the
whole with the case's policy on `WORLD` gloo ranks, runs one forward and backward of an [8, 64] input, and
records: the bytes a rank's parameter shards and gradient shards take per parameter (over all
parameters), their dtypes, the dtype and size of each layer's weight as its forward sees it (a pre-forward
hook), and the bytes of bf16 storage still alive after the backward (every live tensor, storages
de-duplicated). FSDP2 runs on the CPU; FSDP1 needs CUDA. Both follow the rule the docstring states.

Run from the repository root:

    /work/.venv-val/bin/python validation/measure_fsdp_mixed_precision.py

Writes validation/data/fsdp_mixed_precision.json (sorted keys, indent 1).
"""

from __future__ import annotations

import gc
import os
import sys
import warnings

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

import _provenance

SCRIPT = "validation/measure_fsdp_mixed_precision.py"
WORLD, LAYERS, WIDTH, BATCH = 2, 4, 64, 8
POLICIES = {  # case -> (param_dtype, reduce_dtype): the catalog's fsdp_bf16 and fsdp_pure_bf16
    "param_bf16_reduce_fp32": (torch.bfloat16, torch.float32),
    "param_bf16_reduce_bf16": (torch.bfloat16, torch.bfloat16),
}


def _live_bytes(dtype: torch.dtype) -> int:
    """Bytes of the live storages holding `dtype` tensors (a DTensor counted by its local shard)."""
    seen = {}
    with warnings.catch_warnings():   # walking every live object touches deprecated torch.distributed names
        warnings.simplefilter("ignore", FutureWarning)
        for obj in gc.get_objects():
            try:
                if isinstance(obj, torch.Tensor) and not obj.is_meta and obj.dtype == dtype:
                    t = obj.to_local() if hasattr(obj, "to_local") else obj
                    storage = t.untyped_storage()
                    seen[storage.data_ptr()] = storage.size()
            except (RuntimeError, AttributeError):
                continue
    return sum(seen.values())


def measure(case: str) -> dict:
    from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard

    param_dtype, reduce_dtype = POLICIES[case]
    policy = MixedPrecisionPolicy(param_dtype=param_dtype, reduce_dtype=reduce_dtype)
    torch.manual_seed(0)
    model = torch.nn.Sequential(*[torch.nn.Linear(WIDTH, WIDTH, bias=False) for _ in range(LAYERS)])
    for layer in model:
        fully_shard(layer, mp_policy=policy)
    fully_shard(model, mp_policy=policy)
    seen: list[tuple[str, int]] = []
    for layer in model:
        layer.register_forward_pre_hook(lambda mod, args: seen.append((str(mod.weight.dtype), mod.weight.numel())))
    model(torch.randn(BATCH, WIDTH)).float().sum().backward()
    params = sum(p.numel() for p in model.parameters())
    shards = [p.to_local() for p in model.parameters()]
    grads = [p.grad.to_local() for p in model.parameters()]
    return {"case": case, "world": WORLD, "params": params,
            "param_dtype": str(param_dtype), "reduce_dtype": str(reduce_dtype),
            "shard_bytes_per_param": sum(s.numel() * s.element_size() for s in shards) / params,
            "shard_dtypes": sorted({str(s.dtype) for s in shards}),
            "grad_shard_bytes_per_param": sum(g.numel() * g.element_size() for g in grads) / params,
            "grad_dtypes": sorted({str(g.dtype) for g in grads}),
            "forward_weight_dtypes": sorted({d for d, _ in seen}),
            "forward_weight_numel": sorted({n for _, n in seen}),
            "bf16_bytes_alive_after_backward": _live_bytes(torch.bfloat16)}


def worker(rank: int, out: str) -> None:
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29517")
    dist.init_process_group("gloo", rank=rank, world_size=WORLD)
    runs = [measure(case) for case in POLICIES]
    if rank == 0:
        _provenance.write_json(out, {
            "provenance": _provenance.provenance(SCRIPT),
            "method": {"world": WORLD, "layers": LAYERS, "width": WIDTH, "batch": BATCH,
                       "fsdp": "FSDP2 fully_shard on each Linear and on the whole, MixedPrecisionPolicy per case, "
                               "gloo on the CPU",
                       "measurement": "after one forward and backward: the rank's parameter and gradient shards "
                                      "(bytes per parameter of the model, dtypes), each layer's weight as its "
                                      "forward sees it, and the live bf16 storage"},
            "runs": runs})
    dist.destroy_process_group()


def main() -> None:
    mp.spawn(worker, args=(_provenance.data_path("fsdp_mixed_precision.json"),), nprocs=WORLD)


if __name__ == "__main__":
    sys.exit(main())
