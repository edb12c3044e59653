"""Achievable efficiency of a training step's matrix multiplies, by GPU and shape.

A transformer layer's GEMMs multiply (tokens x hidden) activations by weight shards whose narrow
dimension is hidden / TP (Megatron's column- and row-parallel linears, Shoeybi et al. 2019 sec. 3).
A GEMM's arithmetic intensity grows with its narrow dimension d; narrow shards also fill fewer
tiles per SM and spend a larger share in wave quantisation, prologue and epilogue (NVIDIA Matrix
Multiplication Background User's Guide, "Dimension quantization effects"). capplan uses the
smooth form

    efficiency = matmul_achievable x matmul_efficiency x d / (d + gemm_half_width)

of the GPU's dense peak: `matmul_achievable` is the share of its peak the fastest matmul reaches
on that GPU (measured: the maximum achievable matmul FLOP/s over the data sheet's peak, 86.9% on an
A100 SXM, 80.3% on an H100 SXM, 51.4% on an MI300X; the catalog's GPUs, else a default),
`matmul_efficiency` the share of that rate a training step's layer GEMMs sustain at wide shapes, the
same on every GPU, and half of it is reached at d = gemm_half_width. A half width scaled by each
GPU's ridge point (peak / bandwidth) was tried and rejected by the calibration-half fit
(validation/README.md). Attention's score and context products run in a
fused kernel whose share of the peak is a constant per kernel family (flash / SDPA vs eager), and for
FlashAttention-2 (flash2) per GPU generation.
Written once for one plan (numbers) and the search (arrays).
"""

from __future__ import annotations

from capplan.core import constants as K

FORMULA = ("matmul_achievable(GPU) x matmul_efficiency x d / (d + gemm_half_width), d = hidden / TP (x "
           "fp8_gemm_factor under an FP8 recipe)")
SOURCE = ("shape model over the TP shard width (Shoeybi et al. 2019 sec. 3; NVIDIA Matrix Multiplication "
          "Background User's Guide, dimension quantization); constants fitted on the calibration half of "
          "validation/published "
          "(validation/score_training.py --fit)")


def shard_width(hidden, tp):
    """The narrow dimension of a layer's GEMMs after tensor-parallel sharding."""
    return hidden / tp


def achievable(gpu) -> float:
    """Share of the GPU's dense peak its fastest matmul reaches: the catalog's measurement, else the default."""
    return gpu.matmul_achievable if gpu.matmul_achievable is not None else K.MATMUL_ACHIEVABLE.value


def gemm_efficiency(fw, gpu, hidden, tp, fp8: bool = False):
    """Share of the dense peak the layer GEMMs sustain at shard width hidden / tp (of the FP8 peak, with
    `fp8_gemm_factor` applied, for an FP8 recipe)."""
    d = shard_width(hidden, tp)
    share = achievable(gpu) * fw.constant(K.MATMUL_EFFICIENCY) * d / (d + fw.constant(K.GEMM_HALF_WIDTH))
    return share * fw.constant(K.FP8_GEMM_FACTOR) if fp8 else share


# GPUs whose peak assumes asynchronous tensor-core instructions FlashAttention-2's kernels do not issue
ASYNC_TENSOR_CORES = ("hopper", "blackwell")


def attention_efficiency(fw, gpu) -> float:
    """Share of the dense peak the attention kernels sustain, by the plan's kernel family and the GPU's
    generation: FlashAttention-2's kernels on a Hopper or Blackwell GPU sustain less of its peak than the
    GPU's native kernels (FlashAttention-3, cuDNN) do."""
    if fw.attention == "eager":
        return fw.constant(K.ATTENTION_EFFICIENCY_EAGER)
    if fw.attention == "flash2" and gpu.architecture in ASYNC_TENSOR_CORES:
        return fw.constant(K.ATTENTION_EFFICIENCY_FLASH2_HOPPER)
    return fw.constant(K.ATTENTION_EFFICIENCY)
