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
