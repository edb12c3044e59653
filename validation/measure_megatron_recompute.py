"""Measure what Megatron-Core's selective recomputation modules keep: bytes saved for backward by one real
Megatron-Core TransformerLayer, on CPU, with and without each `recompute_modules` entry.

Megatron-Core 0.16.1 (the PyPI wheel) builds the layer from its own local spec (`get_gpt_layer_local_spec`:
PyTorch ops, no Transformer Engine), runs one forward pass under `torch.autograd.graph.saved_tensors_hooks`
and sums the storages the autograd graph holds afterwards (parameters and the layer's input left out, each
storage once). A CPU build of PyTorch has no CUDA: the few CUDA calls on this path (the RNG state the
checkpoint saves, the global memory buffer's device, streams and events of the MoE layer) are stood in for by
CPU equivalents below; Megatron-Core's own checkpoint functions (tensor_parallel.checkpoint) run unchanged.

What it shows is where each module's boundary lies -- which tensors a module's recomputation drops and which
it keeps (its input) -- not kernel-level byte counts: the local spec's unfused PyTorch ops (fp32 RMSNorm,
eager softmax in fp32, SiLU and the gate product as separate ops) save more than the fused kernels capplan's
`megatron` implementation models. tests/test_recompute_modules.py checks capplan's module boundaries against
these measurements. Not measurable this way (they need Transformer Engine: output-discarding checkpoints and
MLA's attention): layernorm, moe_act, mla_up_proj.

Run from the repository root, in the validation environment (validation/requirements.txt, plus
megatron-core==0.16.1 and einops):

    /work/.venv-val/bin/python validation/measure_megatron_recompute.py

Writes validation/data/megatron_recompute.json (sorted keys, indent 1).
"""

from __future__ import annotations

import contextlib
import os
import warnings

import torch

import _provenance

SCRIPT = "validation/measure_megatron_recompute.py"
SEQ, BATCH, HIDDEN, HEADS, KV_HEADS = 128, 2, 256, 8, 2
DENSE_FFN, EXPERTS, TOP_K, EXPERT_FFN, SHARED_FFN = 640, 4, 2, 512, 512
GRID = [("dense", ()), ("dense", ("core_attn",)), ("dense", ("mlp",)),
        ("moe", ()), ("moe", ("moe",)), ("moe", ("shared_experts",))]


class _Stream:
    def __init__(self, *args, **kwargs):
        pass

    def wait_stream(self, *args):
        pass

    def synchronize(self):
        pass

    def record_event(self, *args, **kwargs):
        return _Event()

    def wait_event(self, *args, **kwargs):
        pass


class _Event:
    def __init__(self, *args, **kwargs):
        pass

    def record(self, *args, **kwargs):
        pass

    def wait(self, *args, **kwargs):
        pass

    def synchronize(self):
        pass


def _cpu_stand_ins() -> None:
    """CPU equivalents of the CUDA calls on the path (no kernel is replaced)."""
    torch.cuda.current_device = lambda: "cpu"
    torch.cuda.get_rng_state = lambda *a, **k: torch.get_rng_state()
    torch.cuda.set_rng_state = lambda *a, **k: None
    torch.cuda.Stream, torch.cuda.Event = _Stream, _Event
    torch.cuda.current_stream = lambda *a, **k: _Stream()
    torch.cuda.stream = lambda s: contextlib.nullcontext()
    from megatron.core.tensor_parallel import random as rng
    from megatron.core.transformer.moe import moe_utils

    rng._get_cuda_rng_state = lambda *a, **k: torch.get_rng_state()
    rng._set_cuda_rng_state = lambda *a, **k: None
    tracker = rng.get_cuda_rng_tracker()
    tracker.fork = lambda *a, **k: contextlib.nullcontext()
    tracker.get_states = lambda: {}
    tracker.set_states = lambda states: None
    moe_utils.te_general_gemm = None   # 0.16.1 names it without Transformer Engine installed


def _layer(kind: str, modules: tuple[str, ...]):
    from megatron.core.models.gpt.gpt_layer_specs import get_gpt_layer_local_spec
    from megatron.core.transformer.spec_utils import build_module
    from megatron.core.transformer.transformer_config import TransformerConfig

    common = dict(num_layers=1, hidden_size=HIDDEN, num_attention_heads=HEADS, num_query_groups=KV_HEADS,
                  ffn_hidden_size=DENSE_FFN, use_cpu_initialization=True, bf16=True, params_dtype=torch.bfloat16,
                  gated_linear_unit=True, activation_func=torch.nn.functional.silu, normalization="RMSNorm",
                  add_bias_linear=False, hidden_dropout=0.0, attention_dropout=0.0,
                  recompute_granularity="selective" if modules else None,
                  recompute_modules=list(modules) if modules else None)
    if kind == "moe":
        config = TransformerConfig(num_moe_experts=EXPERTS, moe_router_topk=TOP_K, moe_ffn_hidden_size=EXPERT_FFN,
                                   moe_shared_expert_intermediate_size=SHARED_FFN, moe_token_dispatcher_type="alltoall",
                                   moe_grouped_gemm=False, **common)
        spec = get_gpt_layer_local_spec(num_experts=EXPERTS, moe_grouped_gemm=False)
    else:
        config = TransformerConfig(**common)
        spec = get_gpt_layer_local_spec()
    return build_module(spec, config=config, layer_number=1)


def saved_bytes(kind: str, modules: tuple[str, ...]) -> int:
    """Bytes of the storages one forward pass leaves for backward (parameters and the input left out)."""
    torch.manual_seed(0)
    layer = _layer(kind, modules)
    params = {p.untyped_storage().data_ptr() for p in layer.parameters()}
    x = torch.randn(SEQ, BATCH, HIDDEN, dtype=torch.bfloat16, requires_grad=True)
    mask = torch.triu(torch.ones(SEQ, SEQ, dtype=torch.bool), 1)[None, None]
    saved: list[torch.Tensor] = []

    def pack(t):
        saved.append(t)
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = layer(x, attention_mask=mask)
    out = out[0] if isinstance(out, tuple) else out
    seen, total = {x.untyped_storage().data_ptr()} | params, 0
    for t in saved:
        storage = t.untyped_storage()
        if storage.data_ptr() not in seen:
            seen.add(storage.data_ptr())
            total += storage.nbytes()
    out.float().sum().backward()   # the graph is whole: backward runs through the checkpoints
    return total


def main() -> None:
    warnings.filterwarnings("ignore")
    _cpu_stand_ins()
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29517")
    torch.distributed.init_process_group("gloo", rank=0, world_size=1)
    import megatron.core
    from megatron.core import parallel_state

    parallel_state.initialize_model_parallel(1, 1)
    points = [{"layer": kind, "recompute_modules": list(mods), "saved_bytes": saved_bytes(kind, mods)}
              for kind, mods in GRID]
    payload = {
        "provenance": _provenance.provenance(SCRIPT),
        "megatron_core": megatron.core.__version__,
        "shape": {"seq": SEQ, "batch": BATCH, "hidden": HIDDEN, "heads": HEADS, "kv_heads": KV_HEADS,
                  "dense_ffn": DENSE_FFN, "experts": EXPERTS, "top_k": TOP_K, "expert_ffn": EXPERT_FFN,
                  "shared_ffn": SHARED_FFN, "dtype": "bf16", "gated": True, "norm": "rmsnorm"},
        "points": points,
    }
    _provenance.write_json(_provenance.data_path("megatron_recompute.json"), payload)


if __name__ == "__main__":
    main()
