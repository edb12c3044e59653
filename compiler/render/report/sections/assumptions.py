"""The appendix's assumptions: the engine's default constants, each with its source.

The constants are read in one place, `engine_constants`, so the report follows whatever the
engine assumes (the registry capplan.core.constants); the plan notes compare a plan's own settings with
these defaults.
"""

from __future__ import annotations

from capplan.core import constants as K
from capplan.render.report.context import Context
from capplan.render.report.view import Table


def engine_constants() -> dict[str, tuple[float, str]]:
    """The engine constants the report shows: NAME -> (value, source)."""
    return {
        "CUDA_CONTEXT": (K.CUDA_CONTEXT.value, K.CUDA_CONTEXT.source),
        "NCCL_MEMORY": (K.NCCL_MEMORY.value, K.NCCL_MEMORY.source),
        "CUDA_GRAPHS": (K.CUDA_GRAPHS.value, K.CUDA_GRAPHS.source),
        "ALLOCATOR_OVERHEAD": (K.ALLOCATOR_OVERHEAD.value, K.ALLOCATOR_OVERHEAD.source),
        "PREFILL_CHUNK_TOKENS": (K.PREFILL_CHUNK_TOKENS.value, K.PREFILL_CHUNK_TOKENS.source),
        "KV_BLOCK_TOKENS": (K.KV_BLOCK_TOKENS.value, K.KV_BLOCK_TOKENS.source),
        "MATMUL_ACHIEVABLE": (K.MATMUL_ACHIEVABLE.value, K.MATMUL_ACHIEVABLE.source),
        "MATMUL_EFFICIENCY": (K.MATMUL_EFFICIENCY.value, K.MATMUL_EFFICIENCY.source),
        "FP8_GEMM_FACTOR": (K.FP8_GEMM_FACTOR.value, K.FP8_GEMM_FACTOR.source),
        "ELEMENTWISE_TRAFFIC": (K.ELEMENTWISE_TRAFFIC.value, K.ELEMENTWISE_TRAFFIC.source),
        "LOSS_TRAFFIC": (K.LOSS_TRAFFIC.value, K.LOSS_TRAFFIC.source),
        "BANDWIDTH_EFFICIENCY": (K.BANDWIDTH_EFFICIENCY.value, K.BANDWIDTH_EFFICIENCY.source),
        "NVLINK_EFFICIENCY": (K.NVLINK_EFFICIENCY.value, K.NVLINK_EFFICIENCY.source),
        "NETWORK_EFFICIENCY": (K.NETWORK_EFFICIENCY.value, K.NETWORK_EFFICIENCY.source),
        "CP_OVERLAP": (K.CP_OVERLAP.value, K.CP_OVERLAP.source),
        "INTER_NODE_DEFAULT": (K.INTER_NODE_DEFAULT.value, K.INTER_NODE_DEFAULT.source),
        "ALLREDUCE_LATENCY": (K.ALLREDUCE_LATENCY.value, K.ALLREDUCE_LATENCY.source),
        "ALLREDUCE_WAIT": (K.ALLREDUCE_WAIT.value, K.ALLREDUCE_WAIT.source),
        "PUE": (K.PUE.value, K.PUE.source),
        "RESERVED_DISCOUNT": (K.RESERVED_DISCOUNT.value, K.RESERVED_DISCOUNT.source),
        "DEPRECIATION": (K.DEPRECIATION.value, K.DEPRECIATION.source),
        "ELECTRICITY_PRICE": (K.ELECTRICITY_PRICE.value, K.ELECTRICITY_PRICE.source),
        "SYSTEM_POWER": (K.SYSTEM_POWER.value, K.SYSTEM_POWER.source),
        "OWNED_UTILIZATION": (K.OWNED_UTILIZATION.value, K.OWNED_UTILIZATION.source),
        "COLOCATION": (K.COLOCATION.value, K.COLOCATION.source),
    }


def default(name: str) -> float:
    """The engine's default value of constant `name`."""
    return engine_constants()[name][0]


def memory_constants(ctx: Context) -> Table:
    """The memory model's defaults a spec may override (the `framework` block's fields)."""
    _ = ctx._
    nf = ctx.nf
    k = engine_constants()
    shown = [  # (the spec's field, the engine's constant, its default in words)
        ("cuda_context", "CUDA_CONTEXT", nf.mem(k["CUDA_CONTEXT"][0], "GiB")),
        ("nccl_memory", "NCCL_MEMORY", nf.mem(k["NCCL_MEMORY"][0], "GiB")),
        ("cuda_graphs", "CUDA_GRAPHS", nf.mem(k["CUDA_GRAPHS"][0], "GiB")),
        ("allocator_overhead", "ALLOCATOR_OVERHEAD", nf.pct(k["ALLOCATOR_OVERHEAD"][0])),
        ("prefill_chunk", "PREFILL_CHUNK_TOKENS", nf.tokens(k["PREFILL_CHUNK_TOKENS"][0])),
        ("block_size", "KV_BLOCK_TOKENS", nf.tokens(k["KV_BLOCK_TOKENS"][0])),
    ]
    rows = [[field, text, k[name][1]] for field, name, text in shown]
    return Table([_("constant"), _("default"), _("source")], rows, ["l", "r", "l"],
                 code_columns=frozenset({0}))


def time_constants(ctx: Context) -> Table:
    """The time model's assumed constants."""
    _ = ctx._
    nf = ctx.nf
    k = engine_constants()
    shown = {
        "MATMUL_ACHIEVABLE": _("{share} of the dense peak").format(share=nf.pct(k["MATMUL_ACHIEVABLE"][0], 1)),
        "MATMUL_EFFICIENCY": _("{share} of the GPU's achievable matmul rate").format(
            share=nf.pct(k["MATMUL_EFFICIENCY"][0], 0)),
        "FP8_GEMM_FACTOR": _("{share} of that, of the FP8 peak").format(share=nf.pct(k["FP8_GEMM_FACTOR"][0], 0)),
        "ELEMENTWISE_TRAFFIC": _("{n} bytes per byte saved").format(n=nf.num(k["ELEMENTWISE_TRAFFIC"][0])),
        "LOSS_TRAFFIC": _("{n} bytes per logit").format(n=nf.num(k["LOSS_TRAFFIC"][0])),
        "BANDWIDTH_EFFICIENCY": _("{share} of the memory bandwidth").format(
            share=nf.pct(k["BANDWIDTH_EFFICIENCY"][0], 0)),
        "NVLINK_EFFICIENCY": _("{share} of the NVLink bandwidth").format(share=nf.pct(k["NVLINK_EFFICIENCY"][0], 0)),
        "NETWORK_EFFICIENCY": _("{share} of the network bandwidth").format(
            share=nf.pct(k["NETWORK_EFFICIENCY"][0], 0)),
        "CP_OVERLAP": _("{share} hidden").format(share=nf.pct(k["CP_OVERLAP"][0], 0)),
        "INTER_NODE_DEFAULT": _("{rate} per GPU").format(rate=nf.si(k["INTER_NODE_DEFAULT"][0], "B/s")),
        "ALLREDUCE_LATENCY": nf.duration(k["ALLREDUCE_LATENCY"][0]),
        "ALLREDUCE_WAIT": nf.duration(k["ALLREDUCE_WAIT"][0]),
        "PUE": nf.num(k["PUE"][0]),
        "RESERVED_DISCOUNT": nf.pct(k["RESERVED_DISCOUNT"][0], 0),
        "DEPRECIATION": _("{n} years").format(n=nf.num(k["DEPRECIATION"][0] / K.YEAR)),
        "ELECTRICITY_PRICE": _("{usd} per kWh").format(usd=nf.usd(k["ELECTRICITY_PRICE"][0] * 3.6e6)),
        "SYSTEM_POWER": nf.num(k["SYSTEM_POWER"][0], 3),
        "OWNED_UTILIZATION": nf.pct(k["OWNED_UTILIZATION"][0], 0),
        "COLOCATION": _("{usd} per GPU-hour").format(usd=nf.usd(k["COLOCATION"][0] * 3600)),
    }
    rows = [[name, text, k[name][1]] for name, text in shown.items()]
    return Table([_("constant"), _("value"), _("source")], rows, ["l", "r", "l"], code_columns=frozenset({0}))
