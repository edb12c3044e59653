"""Named runtime constants: every figure the engine assumes rather than derives.

Each is overridable in a spec (`framework { cuda_context = ... }`) and listed
with its source in every report's assumptions appendix.
"""

from __future__ import annotations

MIB = 2**20

# The CUDA context (driver state, module images, cuBLAS/cuDNN and NCCL workspaces) lives
# outside PyTorch's caching allocator: torch.cuda.max_memory_reserved() does not see it.
# PyTorch's CUDA-semantics notes describe it as several hundred MiB per process;
# 512 MiB is an assumption until GPU measurements in validation/ replace it.
CUDA_CONTEXT = 512 * MIB
CUDA_CONTEXT_SOURCE = ("assumption: CUDA context + library workspaces, typically 0.3-0.8 GiB per "
                       "process (PyTorch docs, CUDA semantics / memory management); override with "
                       "framework.cuda_context")

# PyTorch's caching allocator rounds blocks (512 B small, 2 MiB large segments) and keeps freed
# blocks reserved; max_memory_reserved / max_memory_allocated is typically a few percent above 1.
ALLOCATOR_OVERHEAD = 0.05
ALLOCATOR_OVERHEAD_SOURCE = ("assumption: caching-allocator reserve and fragmentation, 5% of "
                             "allocated (reserved/allocated ratio); override with "
                             "framework.allocator_overhead")

# vLLM profiles the forward pass with max_num_batched_tokens tokens.
PREFILL_CHUNK_TOKENS = 8192
PREFILL_CHUNK_SOURCE = "vLLM V1 default max_num_batched_tokens for online serving (8192)"

KV_BLOCK_TOKENS = 16
KV_BLOCK_SOURCE = "vLLM default --block-size 16 (paged attention, Kwon et al. 2023)"

# ---- time model (engine/timing.py, engine/serving.py)

# Share of the dense peak that a transformer layer's kernels sustain. Large bf16 GEMMs reach
# 70-80% of dense peak on A100/H100 (NVIDIA Deep Learning Performance Guide, "Matrix Multiplication
# Background"); non-matmul kernels (norms, softmax, activations) are not modelled separately.
MATMUL_EFFICIENCY = 0.75
MATMUL_EFFICIENCY_SOURCE = ("assumption: 75% of dense peak, typical of large cuBLAS GEMMs on A100/H100 "
                            "(NVIDIA Deep Learning Performance Guide); not fitted to validation data")

# Share of the data-parallel gradient reduction hidden behind the backward pass (Megatron-LM
# --overlap-grad-reduce, PyTorch DDP bucketing).
DP_OVERLAP = 0.8
DP_OVERLAP_SOURCE = "assumption: 80% of the gradient all-reduce overlaps the backward pass"

# Share of ring-attention K/V exchange hidden behind attention compute (context parallelism).
CP_OVERLAP = 0.8
CP_OVERLAP_SOURCE = "assumption: 80% of context-parallel K/V exchange overlaps attention compute"

# Network bandwidth per GPU between nodes when a cluster does not say: one 200 Gbit/s port per GPU.
INTER_NODE_DEFAULT = 25e9
INTER_NODE_SOURCE = "assumption: 200 Gbit/s (25 GB/s) per GPU per direction when the cluster gives none"

# Facility power over GPU power for energy figures (1.0: GPU board power only).
PUE = 1.0
PUE_SOURCE = "assumption: GPUs draw their board power (TDP) for the whole run; PUE 1.0 (GPU power only)"

# Memory-bandwidth share decode kernels sustain (weights and KV cache streaming).
BANDWIDTH_EFFICIENCY = 0.8
BANDWIDTH_EFFICIENCY_SOURCE = ("assumption: 80% of data-sheet memory bandwidth for streaming weights and "
                               "KV cache in decode")

# Latency of one small tensor-parallel all-reduce in decode (per layer, two per layer).
ALLREDUCE_LATENCY = 10e-6
ALLREDUCE_LATENCY_SOURCE = "assumption: 10 us per small NVLink all-reduce (NCCL latency regime)"

# Memory traffic of the non-matmul kernels (norms, activations, residual adds, rotary, dropout, softmax
# outside flash attention), in bytes moved per byte of activation saved for backward: each saved
# tensor is written once in the forward pass and read once in the backward pass, and its gradient is
# written and read once: 4 passes over the saved bytes, at the sustained memory bandwidth.
ELEMENTWISE_TRAFFIC = 4.0
ELEMENTWISE_TRAFFIC_SOURCE = ("assumption: non-matmul kernels are memory-bound and move 4 bytes per byte of "
                              "activation saved for backward (write + read in forward/backward, gradient "
                              "write + read)")
