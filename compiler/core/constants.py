"""Every figure the engine assumes rather than derives: a named constant with its unit, its
source, and the `framework` field that overrides it in a spec.

The spec schema's override fields are generated from this registry (capplan.check.schema), the
engine reads values only through it, and every report's assumptions appendix lists it. Constants
marked `overridable=False` are bounds of a search rather than claims about hardware.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MIB = 2**20
YEAR = 365.25 * 86400    # seconds (units.txt: year = 365.25 day)
GIB = 2**30


@dataclass(frozen=True)
class Constant:
    name: str            # the spec field that overrides it (framework { name = ... })
    value: float         # canonical units (bytes, seconds, bytes/s, fractions)
    unit: str            # how reports show it
    dims: str            # for the schema: a dimension name of units.txt, "fraction" or "number"
    doc: str
    source: str
    workloads: tuple[str, ...] = ("training", "inference")
    overridable: bool = True

    @property
    def example(self) -> str:
        """The default as a spec would write it (for the schema's docs and completions)."""
        shown = {"MiB": self.value / MIB, "GiB": self.value / GIB, "GB/s": self.value / 1e9, "us": self.value * 1e6,
                 "min": self.value / 60, "h": self.value / 3600, "USD/kWh": self.value * 3.6e6,
                 "USD/h": self.value * 3600, "yr": self.value / YEAR}.get(self.unit, self.value)
        return f"{shown:g} {self.unit}".strip() if self.dims not in ("fraction", "number") else f"{self.value:g}"


CUDA_CONTEXT = Constant(
    "cuda_context", 512 * MIB, "MiB", "information",
    "memory the CUDA context, cuBLAS/NCCL workspaces and kernels take per GPU, outside PyTorch's allocator",
    "assumption: CUDA context + library workspaces, typically 0.3-0.8 GiB per process (PyTorch docs, "
    "CUDA semantics / memory management); override with "
    "framework.cuda_context")
NCCL_MEMORY = Constant(
    "nccl_memory", 1.85 * GIB, "GiB", "information",
    "memory each GPU gives, outside PyTorch's allocator, to every communicator of more than one GPU it joins "
    "(NCCL's channel buffers, and the serving runtime's own all-reduce workspaces); a GPU alone in its group has "
    "none. Serving: the tensor-parallel group (vLLM measures no more for pipeline parallelism); training: each of "
    "the tensor, pipeline, data, context and expert groups",
    "vLLM 0.19.0 on H100 80GB, 'non-torch forward increase memory' (llm-d-incubation/llm-d-planner "
    "accuracy/results/v0.19.0/logs, 59 runs): 2.06-2.21 GiB per GPU in all 15 runs at TP 2 or 4 (Llama-3.1-8B, "
    "Qwen2.5-7B, Llama-3.3-70B-FP8, Qwen2.5-72B, Mixtral, gpt-oss-20b, Llama-4-Scout), 0.24-0.27 GiB at TP 1 "
    "(Granite: 0.46; 0.07 GiB at PP 2 and 4): 1.84 GiB for the TP communicator (medians), hardly changing from TP 2 to TP 4; "
    "NVIDIA/nccl issue #864: about 1.6 GB per communicator once an all-reduce ran; NCCL_BUFFSIZE (NCCL user guide, "
    "environment variables): 4 MiB per channel and peer for the Simple protocol, LL and LL128 buffers beside it, "
    "up to 32 channels over NVLink. Older vLLM measured less (0.11.0: 0.54 GiB at TP 2 against 0.13 GiB at TP 1). "
    "Training: verl-project/verl #6266, Megatron 3D + EP on 8 H100: 7-10 GB per rank of NCCL channel buffers "
    "(about 1.85 GiB for each of four groups); NVIDIA/nccl #964, PyTorch on 4 A100 over NVLink: 544 MB for a group of "
    "2 and 688 MB for larger ones after a 4 MB all-reduce (fewer channels than H100); override with "
    "framework.nccl_memory")
CUDA_GRAPHS = Constant(
    "cuda_graphs", 1 * GIB, "GiB", "information",
    "memory of the CUDA graphs a paged (vLLM) server captures for its decode batch sizes (1 to 512 tokens, "
    "cudagraph_capture_sizes), counted in the budget as vLLM has by default since 0.21; set 0 for an older vLLM, "
    "which captures them after sizing the KV cache, outside the budget (transformers' recipes capture none)",
    "vLLM 0.19.0 on H100 80GB, 'Graph capturing finished ... took X GiB' (llm-d-incubation/llm-d-planner "
    "accuracy/results/v0.19.0/logs, 59 runs): 0.51-1.85 GiB, median 0.91 GiB, about 1 GiB on average "
    "(Llama-3.3-70B-FP8: 1.79 GiB at TP 2, 1.66 GiB at TP 4); counted in the KV budget by default since vLLM "
    "0.21 (its log: 'CUDA graph memory profiling is enabled (default since v0.21.0)', "
    "VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS; vLLM PR #30515 added the estimate); override with "
    "framework.cuda_graphs", ("inference",))
ALLOCATOR_OVERHEAD = Constant(
    "allocator_overhead", 0.05, "", "fraction",
    "caching-allocator reserve and fragmentation, as a fraction of allocated memory",
    "assumption: caching-allocator reserve and fragmentation, 5% of allocated (reserved/allocated "
    "ratio); override with framework.allocator_overhead", ("training",))
PREFILL_CHUNK_TOKENS = Constant(
    "prefill_chunk", 8192, "token", "token", "tokens prefilled in one forward pass",
    "vLLM V1 default max_num_batched_tokens for online serving (8192)", ("inference",), overridable=False)
KV_BLOCK_TOKENS = Constant(
    "block_size", 16, "token", "token", "paged KV-cache block size",
    "vLLM default --block-size 16 (paged attention, Kwon et al. 2023)", ("inference",), overridable=False)
MAMF_SOURCE = ("Maximum Achievable Matmul FLOPS (MAMF) table, BF16, no sparsity: the best mean TFLOP/s of a "
               "brute-force search over matmul shapes with torch, over the data sheet's peak (S. Bekman, "
               "stas00/ml-engineering, compute/accelerator/README.md, 'Maximum Achievable Matmul FLOPS comparison "
               "table'; benchmark: compute/accelerator/benchmarks/mamf-finder.py)")
MATMUL_ACHIEVABLE = Constant(
    "matmul_achievable", 0.803, "", "fraction",
    "share of the dense peak the fastest matmul reaches on a GPU whose catalog entry gives no measured "
    "`matmul_achievable` (engine/gemm.py)",
    "assumption: the median of the NVIDIA rows of the " + MAMF_SOURCE + ": A100 SXM 86.9%, GH200 83.8%, A100 "
    "PCIe 81.1%, H100 SXM 80.3%, B300 78.6%, B200 77.6%, GB200 72.9%; set the GPU's own `matmul_achievable` "
    "where it is measured", overridable=False)
MATMUL_EFFICIENCY = Constant(
    "matmul_efficiency", 0.78, "", "fraction",
    "share of the GPU's achievable matmul rate (its `matmul_achievable` x dense peak) a training step's layer "
    "matmuls sustain at wide shapes (the ceiling of the GEMM shape model, engine/gemm.py)",
    "fitted: jointly with gemm_half_width, the value that minimises the mean |log error| of training step time "
    "over the calibration half of the published runs (validation/score_training.py --fit: grid 0.55-1.00 by "
    "0.01; best 0.78 with 125, calibration loss 0.0472: at the widest shapes 0.63 of an H100's dense peak and "
    "0.68 of an A100's; a flat ridge; 0.79 with 150 (loss 0.0489) before PyTorch's non-reentrant checkpoint "
    "was charged as it runs (its early stop skips the last matmul of a fully recomputed layer), "
    "0.79 with 125 (loss 0.0493) before Narayanan et al.'s 2021 runs were "
    "described as they ran (fp16 gradients, no distributed optimizer), 0.80 with 175 (loss 0.0555) before "
    "MegaScale's Megatron-LM baseline "
    "ran Megatron's unfused attention, 0.83 with 200 (loss 0.0576) before a fully recomputed forward's "
    "memory-bound traffic was counted once instead of the whole step's twice, 0.78 with 100 before "
    "llm-foundry's MPT runs were described with FlashAttention-2's Hopper share and their fused loss, 0.81 with "
    "150 before their low-precision LayerNorm). Before each GPU's matmul_achievable entered, one share of the "
    "dense peak for every GPU: "
    "0.63 with 0 (loss 0.0585), 0.64 with 100 before the loss's traffic, eager attention and the pipeline "
    "scatter/gather were modelled, 75% flat before any fit")
GEMM_HALF_WIDTH = Constant(
    "gemm_half_width", 125.0, "", "number",
    "shard width (hidden / TP, in elements) at which a training step's GEMMs sustain half the ceiling "
    "(engine/gemm.py)",
    "fitted: jointly with matmul_efficiency, the value that minimises the mean |log error| of training step "
    "time over the calibration half of the published runs (validation/score_training.py --fit: grid 0-2000 "
    "by 25; best 125 with 0.78 (150 with 0.79 before PyTorch's non-reentrant checkpoint's early stop, "
    "125 with 0.79 before Narayanan et al.'s runs had fp16 gradients and no "
    "distributed optimizer, 175 with 0.80 before MegaScale's baseline ran unfused attention, 200 with 0.83 "
    "before the recomputed forward's traffic was counted once, 100 "
    "with 0.78 before MPT's FlashAttention-2 share on Hopper, 150 with 0.81 "
    "before MPT's low-precision LayerNorm) once each GPU's measured "
    "achievable matmul share enters; 0 with 0.63 before, "
    "100 with 0.64 before the loss's traffic, eager attention and the pipeline scatter/gather)", ("training",))
FP8_GEMM_FACTOR = Constant(
    "fp8_gemm_factor", 0.84, "", "fraction",
    "an FP8 training step's GEMMs (Transformer Engine, delayed or current scaling) sustain this share of what the GEMM shape "
    "model gives a BF16 GEMM, as a share of the FP8 dense peak: scaling, casts and amax reductions around "
    "each FP8 GEMM (engine/gemm.py)",
    "fitted: the value that minimises the mean |log error| of training step time over the calibration half of "
    "the published FP8 runs (validation/score_training_fp8.py --fit: grid 0.50-1.00 by 0.01; best 0.84 over "
    "the six calibration runs, NeMo 24.07 GPT-3 175B on 512 and Llama 2 7B on 8 H100s, NeMo 26.06 Llama 3.1 "
    "405B on 1,024 H100s, NeMo 25.11 Llama 3 70B on 64 H100s, Llama 3.1 405B on 128 B200s and Llama 3 8B on 8 "
    "GB200s, with the BF16 constants (each GPU's measured matmul_achievable among them) and loss traffic of "
    "this registry (0.78 / 125), calibration loss 0.0222; 0.83 with 0.79 / 150 (loss 0.0231), with 0.79 / 125 "
    "and with 0.80 / 175, 0.81 with "
    "0.83 / 200, 0.83 with "
    "the BF16 fit of "
    "0.78 / 100, 0.81 with "
    "0.81 / 150, 0.78 before "
    "matmul_achievable, 0.78 on the first three alone, "
    "0.80 before those)",
    ("training",))
ATTENTION_EFFICIENCY = Constant(
    "attention_efficiency", 0.6, "", "fraction",
    "share of the dense peak fused attention kernels (flash, SDPA) sustain in training, forward and backward",
    "Dao 2023, FlashAttention-2 (arXiv:2307.08691) sec. 4.1: forward + backward reach 50-73% of the A100's "
    "theoretical peak (up to 225 TFLOP/s end to end); 60% taken, not fitted", ("training",))
ATTENTION_EFFICIENCY_FLASH2_HOPPER = Constant(
    "attention_efficiency_flash2_hopper", 0.35, "", "fraction",
    "share of the dense peak FlashAttention-2's kernels (attention = flash2) sustain in training on a Hopper or "
    "Blackwell GPU, whose asynchronous tensor-core paths (wgmma and TMA; tcgen05) they do not use",
    "Shah et al. 2024, FlashAttention-3 (arXiv:2407.08608) abstract: FlashAttention-2 reaches only 35% of the "
    "H100's peak, where FlashAttention-3 reaches 75% (forward, FP16); 35% taken, not fitted, the same convention as "
    "attention_efficiency's 60% from Dao 2023. Blackwell: no published figure; FlashAttention-2 runs its Ampere "
    "code path there too, and Hopper's share is taken (an assumption, likely optimistic: B200's peak is 2.3x the "
    "H100's). Checked against llm-foundry's H100 long-sequence benchmark rows (tests/test_attention_kernels.py)",
    ("training",))
ATTENTION_EFFICIENCY_EAGER = Constant(
    "attention_efficiency_eager", 0.2, "", "fraction",
    "share of the dense peak unfused (eager) attention sustains in training: separate matmul, softmax and "
    "dropout kernels with the s x s scores in memory",
    "Dao 2023, FlashAttention-2 (arXiv:2307.08691) fig. 4-6: standard PyTorch attention forward + backward runs "
    "at about a fifth of the A100's peak (30-90 of 312 TFLOP/s); 20% taken, not fitted", ("training",))
CP_OVERLAP = Constant(
    "cp_overlap", 0.8, "", "fraction", "share of ring-attention K/V exchange hidden behind attention",
    "assumption: 80% of context-parallel K/V exchange overlaps attention compute", ("training",))
OVERLAP_SLOWDOWN = Constant(
    "overlap_slowdown", 0.189, "", "fraction",
    "compute time added per second of data-parallel traffic (FSDP's and ZeRO's gathers and reduce-scatters, "
    "gradient all-reduces) that runs under it: the collectives' kernels take SMs and memory bandwidth",
    "Lee et al. 2025 (arXiv:2507.03114), abstract: overlapping computation and communication slows the "
    "computation by 18.9% on average (40.0% at most), GPT and Llama runs on 4 A100s, H100s, MI250s and MI210s; "
    "not fitted (validation/README.md, stop 37)", ("training",))
INTER_NODE_DEFAULT = Constant(
    "inter_node_default", 25e9, "GB/s", "information/time",
    "network bandwidth per GPU between nodes when the cluster gives none",
    "assumption: 200 Gbit/s (25 GB/s) per GPU per direction when the cluster gives none", ("training",))
NVLINK_EFFICIENCY = Constant(
    "nvlink_efficiency", 0.8, "", "fraction",
    "bus bandwidth NCCL's collectives reach inside a node, as a share of the NVLink bandwidth per direction "
    "(engine/collectives.py)",
    "NVIDIA/nccl src/graph/tuning.cc caps an A100 node's bus bandwidth at 235 GB/s of NVLink 3's 300 GB/s per "
    "direction (0.78); nccl-tests all_reduce_perf on 8 x A100 SXM4 reaches 230-250 GB/s bus bandwidth at large "
    "sizes (0.77-0.83; Alaya New, 'NCCL-tests in practice', 2026); 0.8 taken, not fitted", ("training",))
NETWORK_EFFICIENCY = Constant(
    "network_efficiency", 0.9, "", "fraction",
    "bus bandwidth NCCL's collectives reach between nodes, as a share of the network bandwidth per GPU "
    "(engine/collectives.py)",
    "assumption: 0.9 of the adapters' line rate; nccl-tests all_reduce_perf across rail-optimised H100 nodes with "
    "8 x 400 Gb/s NDR adapters (400 GB/s per node) reaches 400-450 GB/s bus bandwidth (Saturn Cloud, 'Validating "
    "multi-node GPU clusters with NCCL tests'; above the line rate only with in-network reduction); NCCL's tuner "
    "takes 92% for its LL128 protocol (tuning.cc); not fitted", ("training",))
PUE = Constant(
    "pue", 1.0, "", "number", "facility power over GPU power for energy figures and the owned cost's electricity",
    "assumption: GPUs draw their board power (TDP) for the whole run; PUE 1.0 (GPU power only; hyperscale sites run "
    "at 1.1-1.3, enterprise colocation at 1.5-1.8 after the Uptime Institute's 2024 survey, as tabled in "
    "lynx-cortex.pages.dev, 'Datacenter economics': set yours)")

# The cost of a GPU-hour on three bases (engine/tco.py): on demand (the catalog's price), reserved (a
# commitment's discount on it) and owned (purchase price over the depreciation period, plus electricity
# and colocation).
RESERVED_DISCOUNT = Constant(
    "reserved_discount", 0.35, "", "fraction",
    "discount of a 1-year reserved or committed price on the on-demand price per GPU-hour",
    "assumption: 1-year committed H100 capacity at 35-40% off on-demand (Digiteria Labs, 'Cloud GPU Pricing "
    "Shifts in Q1 2026', digiterialabs.com/ai/insights/cloud-gpu-pricing-q1-2026, 2026); AWS 1-year reserved "
    "p5.48xlarge, partial upfront, about 52 USD/h against 98.32 on demand, 47% (disintermediate.global, 'How GPU "
    "Cloud Pricing Works', Q1 2026); the lower end taken")
DEPRECIATION = Constant(
    "depreciation", 5 * YEAR, "yr", "time",
    "period over which an owned GPU's purchase price is spread (straight line, no residual value)",
    "assumption: 5 years, the useful life Amazon gave a subset of its servers and networking equipment from "
    "2025-01 (down from 6; Amazon.com 10-K for 2024, filed 2025-02, as quoted by Deep Quarry, "
    "deepquarry.substack.com/p/amazon-revises-server-lifespan-amid); Alphabet, Microsoft and Meta use 5-6 years")
ELECTRICITY_PRICE = Constant(
    "electricity_price", 0.08 / 3.6e6, "USD/kWh", "currency/energy",
    "price of electricity for owned GPUs",
    "assumption: 0.08 USD/kWh, the US average retail price to industrial customers in 2023, 8.06 cents/kWh (EIA "
    "series as charted by Statista, 'Average retail electricity price for industrial consumers in the United "
    "States 1970-2023', 2024-03)")
SYSTEM_POWER = Constant(
    "system_power", 10200 / (8 * 700), "", "number",
    "a server's power over its GPUs' board power (CPUs, memory, NICs, switches, fans): the plan's draw per GPU "
    "is board power x this",
    "NVIDIA DGX H100 data sheet: 10.2 kW maximum system power for 8 H100 SXM of 700 W each (10,200 / 5,600 = "
    "1.82); a maximum, so an upper estimate of the draw while training")
OWNED_UTILIZATION = Constant(
    "owned_utilization", 1.0, "", "fraction",
    "share of the depreciation period an owned GPU does paid-for work: its capital and colocation cost per used "
    "GPU-hour is divided by this",
    "assumption: 100%, the GPUs busy all their life (the owned figure is then a lower bound); e.g. 70% in "
    "computetape.com, 'How Fast Does an H100 Depreciate?' (2026)")
COLOCATION = Constant(
    "colocation", 0.0, "USD/h", "currency/time",
    "rack space, cooling and operations per owned GPU-hour beyond electricity (0: not counted)",
    "assumption: not counted unless the spec gives it; colocation is quoted at 150-250 USD per kW per month "
    "(v2-pseo-ai.pages.dev/tools/gpu-tco-analysis, 2026), about 0.26-0.44 USD per H100-hour at 1.275 kW")
BANDWIDTH_EFFICIENCY = Constant(
    "bandwidth_efficiency", 0.8, "", "fraction", "share of data-sheet memory bandwidth streaming kernels sustain",
    "assumption: 80% of data-sheet memory bandwidth for streaming weights and KV cache in decode")
ALLREDUCE_LATENCY = Constant(
    "allreduce_latency", 10e-6, "us", "time", "latency of one small tensor-parallel all-reduce (the kernel)",
    "assumption: 10 us per small NVLink all-reduce (NCCL latency regime; engine/collectives.py's NCCL cost model "
    "gives about 10 us over 8 NVLink ranks); capplan calibrate --nccl-tests measures it", ("inference",))
_SERVING_FIT = (
    "fitted jointly with the other serving constants (iteration_overhead, serving_matmul_efficiency, "
    "allreduce_wait, sequence_overhead, request_overhead): the point that minimises the mean |log error| of the "
    "serving simulation over the calibration half of validation/published/corpus/serving.json, the 69 records "
    "of TensorRT-LLM's tables and NIM 1.8.0's it can express, less NIM's closed-loop TTFTs under contention, "
    "which it does not model (validation/score_serving.py --fit, a 1,152-point grid: 1-2.5 ms by 0.5 "
    "x 0.5604-0.7472 (0.45-0.60 of an H100's or H200's dense peak) by 0.0623 x 20-50 us by 10 x 10-30 us by 10 x "
    "0-12.5 ms by 2.5; best 1.5 ms, 0.6849, 30 us, 20 us, 5 ms, calibration loss 0.0657, interior on every "
    "axis; at stop 34, with those TTFTs in the loss and TensorRT-LLM's 202/214 sweeps scored as fixed lengths, "
    "1.5 ms, 0.6849, 40 us, 20 us, 7.5 ms, loss 0.2589; 0.3213 with no request_overhead). ")

ALLREDUCE_WAIT = Constant(
    "allreduce_wait", 30e-6, "us", "time",
    "time each tensor-parallel all-reduce of a serving iteration costs beyond its kernel (the ranks reaching it "
    "at different times)",
    _SERVING_FIT + "Both serving campaigns there show a 70B model at TP 2 or 4 spending 5-7 ms more per decode "
    "iteration than an 8B one at TP 1, beyond its weights' streaming: 160 all-reduces at 30-50 us, where the "
    "kernels alone take about 10 us (NCCL's cost model; custom all-reduce kernels 4-5 us on H100, "
    "sgl-project/sglang#2904). 40 us from stop 29 to stop 34 (with TensorRT-LLM's 202/214 sweeps in the fit), "
    "30 us before; not counted (0) until the second campaign joined the corpus", ("inference",))
ELEMENTWISE_TRAFFIC = Constant(
    "elementwise_traffic", 4.0, "", "number",
    "bytes the non-matmul kernels move per byte of activation saved for backward",
    "assumption: non-matmul kernels are memory-bound and move 4 bytes per byte of activation saved for "
    "backward (write + read in forward/backward, gradient write + read)", ("training",))
LOSS_TRAFFIC = Constant(
    "loss_traffic", 52.0, "", "number",
    "bytes the cross-entropy loss moves per logit element (tokens x vocab / TP), forward and backward",
    "derived from Megatron-Core's unfused vocab-parallel cross entropy (megatron/core/tensor_parallel/"
    "cross_entropy.py): forward upcasts the 16-bit logits to fp32 (2 read + 4 written), takes the max (4), "
    "subtracts it (4 + 4), exponentiates in place (4 + 4), sums (4), divides in place (4 + 4); backward scales "
    "the saved softmax in place (4 + 4) and casts the gradient back to 16 bits (4 + 2): 52 bytes, as "
    "validation/measure_loss_traffic.py counts them operator by operator on Megatron-Core 0.16.1; the fused loss "
    "(--cross-entropy-loss-fusion) moves fewer", ("training",))
MEMORY_BOUND_SHARE = Constant(
    "memory_bound_share", 0.5, "", "fraction",
    "a decode step is called memory-bound when streaming takes at least this share of it",
    "a reporting threshold (the label 'memory-bound' / 'compute-bound'), not a claim about hardware",
    ("inference",), overridable=False)
MAX_CONTEXT_FACTOR = Constant(
    "max_context_factor", 64, "", "number",
    "the longest context the max-context search tries for a model without max_seq, in multiples of 2^20 "
    "tokens (a model with max_seq is capped at max_seq; the result's `caps` says which bound applied)",
    "a search bound, not a claim about hardware", ("inference",), overridable=False)

REDUCE_BUCKET = Constant(
    "reduce_bucket_size", 5e8, "", "number",
    "DeepSpeed ZeRO's gradient reduce (ipg) bucket, in elements of the gradient dtype",
    "DeepSpeed 0.19.8 deepspeed/runtime/zero/config.py reduce_bucket_size default 5e8; allocated for each "
    "backward by stage_1_and_2.py (ZeRO-1/2, released in its epilogue) and once, kept, by stage3.py "
    "(validation/framework_lifetimes.md sec. 3)", ("training",))
SUB_GROUP_SIZE = Constant(
    "sub_group_size", 1e9, "", "number",
    "DeepSpeed ZeRO-3 optimizer sub-group, in parameters: the step's fp32 gradient exists for one sub-group "
    "at a time",
    "DeepSpeed 0.19.8 deepspeed/runtime/zero/config.py sub_group_size default 1e9; stage3.py "
    "_prepare_fp32_grad_for_sub_group (validation/framework_lifetimes.md sec. 3)", ("training",))
MAX_NUM_SEQS = Constant(
    "max_num_seqs", 1024, "", "number", "most sequences a serving replica runs at once (the decode batch cap)",
    "vLLM V1 default max_num_seqs for the OpenAI server on GPUs with >= 70 GiB other than A100 (1024; 256 "
    "elsewhere): EngineArgs.get_batch_defaults, vllm/engine/arg_utils.py", ("inference",))
_SGLANG = "SGLang defaults, the scheduler's admission (framework.scheduler = sglang): "
NEW_TOKEN_RATIO = Constant(
    "new_token_ratio", 0.7, "", "fraction",
    "share of each running request's remaining output SGLang reserves in the KV cache when it admits another, "
    "at the start (it falls to new_token_ratio x new_token_ratio_floor over new_token_ratio_decay_steps decode "
    "steps; a retraction raises it)",
    _SGLANG + "python/sglang/srt/global_config.py default_init_new_token_ratio 0.7 (SGLANG_INIT_NEW_TOKEN_RATIO), "
    "times --schedule-conservativeness (1.0): managers/scheduler.py init_new_token_ratio", ("inference",))
NEW_TOKEN_RATIO_FLOOR = Constant(
    "new_token_ratio_floor", 0.14, "", "number", "SGLang's least new_token_ratio, as a share of its first",
    _SGLANG + "global_config.py default_min_new_token_ratio_factor 0.14", ("inference",), overridable=False)
NEW_TOKEN_RATIO_DECAY_STEPS = Constant(
    "new_token_ratio_decay_steps", 600, "", "number", "decode steps over which SGLang's new_token_ratio falls",
    _SGLANG + "global_config.py default_new_token_ratio_decay_steps 600", ("inference",), overridable=False)
CLIP_MAX_NEW_TOKENS = Constant(
    "clip_max_new_tokens", 4096, "token", "token", "most output tokens of one request SGLang's admission counts",
    _SGLANG + "managers/schedule_policy.py CLIP_MAX_NEW_TOKENS 4096", ("inference",), overridable=False)
RETRACT_DECODE_STEPS = Constant(
    "retract_decode_steps", 20, "", "number",
    "decode steps per running request a retraction adds to the sampled tokens in SGLang's new ratio",
    _SGLANG + "global_config.py retract_decode_steps 20; schedule_batch.py retract_decode", ("inference",),
    overridable=False)
SERVING_MATMUL_EFFICIENCY = Constant(
    "serving_matmul_efficiency", 0.6849, "", "fraction",
    "share of the GPU's achievable matmul rate (its `matmul_achievable` x dense peak) a serving iteration's linear "
    "layers sustain (prefill chunks and decode batches)",
    _SERVING_FIT + "0.6849 is 0.55 of an H100's or H200's dense peak (matmul_achievable 0.803), the GPUs of all "
    "but the offline A100 records; as shares of the peak, 0.55 at stop 29 and 0.50 in every earlier fit, whose "
    "prefills also had to absorb the front end's time per request",
    ("inference",))
ITERATION_OVERHEAD = Constant(
    "iteration_overhead", 1.5e-3, "us", "time",
    "fixed time of one serving iteration outside the GPU's compute and memory traffic, whatever it schedules "
    "(the scheduler's pass, kernel launches)",
    _SERVING_FIT + "2.5 ms before sequence_overhead joined the fit (its per-sequence share was counted here), 3 ms "
    "over TensorRT-LLM's tables alone", ("inference",))
SEQUENCE_OVERHEAD = Constant(
    "sequence_overhead", 20e-6, "us", "time",
    "time a serving iteration spends outside the GPU per sequence it schedules (building the sequence's model "
    "inputs, detokenising and streaming its token through the API server; an offline job that drives the engine "
    "in its own process, as trtllm-bench does, pays about none: set 0 us)",
    _SERVING_FIT + "That the host's share grows with the sequences scheduled, not the tokens: WukLab, 'Can "
    "Scheduling Overhead Dominate LLM Inference Performance?' (2024-09-10; vLLM 0.5.4, input tensors and "
    "incremental detokenisation per sequence); vLLM v0.6.0 performance update (blog.vllm.ai, 2024-09-05: Llama 3 "
    "8B on one H100, scheduling and input preparation 29% of the time, the API server 33%). The fit scores "
    "trtllm-bench's offline records at 0 (no API server). Not counted (0) before stop 29", ("inference",))
REQUEST_OVERHEAD = Constant(
    "request_overhead", 5e-3, "ms", "time",
    "time from a client's sending a request to its reaching the engine's scheduler (the API server's receipt, "
    "parsing and tokenisation): added to every time to first token and end-to-end latency",
    _SERVING_FIT + "What it stands for: the API server's fixed time per request, from TensorRT-LLM's Triton "
    "TTFTs at low request rates and NIM's at one client; NIM's TTFT under load grows further, by about 1 ms per "
    "client up to 100 clients (corpus families nim_*: the front end's queue, not modelled, left out of the fit "
    "since stop 35, where it had pulled this constant to 7.5 ms). The API server's share of a served request's "
    "time: vLLM v0.6.0 performance update (blog.vllm.ai, 2024-09-05: 33% on Llama 3 8B, one H100). The fit "
    "scores trtllm-bench's offline records at 0 (no front end). Not counted (0) before stop 29", ("inference",))
# the serving constants fitted together, in the fit's order (validation/score_serving.py --fit, _SERVING_FIT)
SERVING_FITTED = (ITERATION_OVERHEAD, SERVING_MATMUL_EFFICIENCY, ALLREDUCE_WAIT, SEQUENCE_OVERHEAD, REQUEST_OVERHEAD)
SLO_ATTAINMENT = Constant(
    "slo_attainment", 0.9, "", "fraction",
    "share of requests that must meet every latency target for a request rate to count as served",
    "DistServe (Zhong et al. 2024, arXiv:2401.09670) sec. 2: goodput is the highest rate at which a target "
    "share of requests (90% in its evaluation) meets its TTFT and TPOT objectives", ("inference",))
RATE_TRACE = Constant(
    "rate_trace", 120.0, "s", "time",
    "simulated seconds of Poisson arrivals per request rate tried by the max-rate search",
    "a search bound, not a claim about hardware (the simulation's own speed: bench/serving_sim.py)",
    ("inference",), overridable=False)

# serving bands (engine/serving_load.py): the validation half's signed errors of the serving simulation
_SERVING_BAND_SOURCE = ("validation/published/serving_vs_published.json `band` (validation/score_serving.py; "
                        "validation half of validation/published/corpus/serving.json, its records loaded at a "
                        "request rate)")


def _serving_band(kind: str, end: str, value: float, what: str) -> Constant:
    pct = "10th" if end == "low" else "90th"
    return Constant(f"serving_band_{kind}_{end}", value, "", "number",
                    f"{pct} percentile of the signed {what} error (predicted - published) / published of the serving "
                    "simulation over the validation half of the published serving figures",
                    _SERVING_BAND_SOURCE, ("inference",), overridable=False)


SERVING_BAND_THROUGHPUT_LOW = _serving_band("throughput", "low", -0.113, "throughput")
SERVING_BAND_THROUGHPUT_HIGH = _serving_band("throughput", "high", 0.098, "throughput")
SERVING_BAND_TTFT_LOW = _serving_band("ttft", "low", 0.001, "mean TTFT")
SERVING_BAND_TTFT_HIGH = _serving_band("ttft", "high", 0.091, "mean TTFT")
SERVING_BAND_ITL_LOW = _serving_band("itl", "low", -0.153, "mean ITL (TPOT)")
SERVING_BAND_ITL_HIGH = _serving_band("itl", "high", 0.209, "mean ITL (TPOT)")


def _closed_band(kind: str, end: str, value: float, what: str) -> Constant:
    """The band of a plan loaded by a fixed number of clients: NIM's closed loops (`band.closed_loop`)."""
    c = _serving_band(kind, end, value, what)
    return replace(c, name=f"serving_band_closed_loop_{kind}_{end}",
                   doc=c.doc.replace("published serving figures", "published serving figures loaded by clients "
                                     "at a fixed concurrency (NIM's tables)"),
                   source=_SERVING_BAND_SOURCE.replace("`band`", "`band.closed_loop`").replace(
                       "loaded at a request rate", "loaded by clients at a fixed concurrency"))


SERVING_BAND_CLOSED_LOOP = {  # kind -> (low, high): a closed-loop plan's band in place of SERVING_BAND_*
    "throughput": (_closed_band("throughput", "low", -0.079, "throughput"),
                   _closed_band("throughput", "high", 0.127, "throughput")),
    "ttft": (_closed_band("ttft", "low", -0.921, "mean TTFT"), _closed_band("ttft", "high", 0.01, "mean TTFT")),
    "itl": (_closed_band("itl", "low", -0.034, "mean ITL (TPOT)"),
            _closed_band("itl", "high", 0.131, "mean ITL (TPOT)"))}

# goodput of long runs (engine/goodput.py): interruptions, checkpoints, restarts
LLAMA3_SNAPSHOT = "Llama 3 (Dubey et al. 2024, arXiv:2407.21783) sec. 3.3.4"
INTERRUPTION_INTERVAL = Constant(
    "interruption_interval", 54 * 86400 * 16384 / 419, "h", "time",
    "mean GPU-time between unexpected job interruptions, per GPU: a job on N GPUs is interrupted every "
    "interruption_interval / N on average",
    "fitted to one published run: " + LLAMA3_SNAPSHOT + ", 419 unexpected interruptions in a 54-day snapshot "
    "on 16,384 H100 GPUs (one per 50,676 GPU-hours, the job every 3.1 h); Meta's research clusters saw them "
    "about 6x as often (Kokolis et al. 2024, arXiv:2410.21680: MTTF 7.9 h for 1,024-GPU jobs, i.e. 8,090 "
    "GPU-hours): set a shorter interval for a younger or less automated cluster", ("training",))
CHECKPOINT_BANDWIDTH = Constant(
    "checkpoint_bandwidth", 2e12 / 16384, "GB/s", "information/time",
    "storage write bandwidth per GPU while a checkpoint is saved (every GPU writes its share of the model and "
    "optimizer state at once)",
    LLAMA3_SNAPSHOT.replace("3.3.4", "3.3.1") + ": Tectonic sustains 2 TB/s (7 TB/s peak) for the 16,384-GPU "
    "cluster, 2 TB/s / 16,384 = 0.122 GB/s per GPU; checkpoints are saved synchronously here (asynchronous "
    "saving, e.g. Megatron-LM --async-save, hides most of it: raise the bandwidth)", ("training",))
RESTART_TIME = Constant(
    "restart_time", 600.0, "min", "time",
    "time from an interruption until training runs again (detection, rescheduling, process and NCCL start-up, "
    "loading the last checkpoint), besides the work redone since that checkpoint",
    "assumption: 10 min; TrainMover (Lao et al. 2024, arXiv:2412.12636) measures checkpoint-restart recovery of "
    "1,024-GPU jobs in minutes (its own standby design: about 20 s); Huawei MindCluster's recovery "
    "breakdown (rescheduling + communication set-up + checkpoint loading + compilation) is of the same order",
    ("training",))

TIME_BAND_LOW = Constant(
    "time_band_low", -0.094, "", "number",
    "10th percentile of the signed step-time error (predicted - published) / published over the validation half "
    "of the published training runs: the optimistic end of the time band",
    "validation/published/training_vs_published.json `band` (validation/score_training.py; validation half, "
    "30 runs)", ("training",), overridable=False)
TIME_BAND_HIGH = Constant(
    "time_band_high", 0.052, "", "number",
    "90th percentile of the signed step-time error (predicted - published) / published over the validation half "
    "of the published training runs: the pessimistic end of the time band",
    "validation/published/training_vs_published.json `band` (validation/score_training.py; validation half, "
    "30 runs)", ("training",), overridable=False)



def _fsdp_band(arch: str, recompute: str, rows: int, low: float, high: float) -> tuple[Constant, Constant]:
    """The time band of PyTorch FSDP plans on one GPU architecture with or without full recomputation."""
    name = f"time_band_fsdp_{arch}" + ("_recompute" if recompute == "full" else "")
    source = (f"validation/published/foundry_tables_vs_published.json `bands` (validation/score_foundry_tables.py): "
              f"the {rows} BF16 MPT runs of llm-foundry's benchmark tables (mosaicml/llm-foundry@c90b9b31 "
              f"scripts/train/benchmarking/README.md) on {arch} GPUs with recompute = {recompute}, outside the "
              "corpus, none of which a constant was fitted on")
    what = f"signed step-time error of PyTorch FSDP plans on {arch} GPUs with recompute = {recompute}"
    return (Constant(name + "_low", low, "", "number", f"10th percentile of the {what}: the optimistic end of "
                     "their time band", source, ("training",), overridable=False),
            Constant(name + "_high", high, "", "number", f"90th percentile of the {what}: the pessimistic end "
                     "of their time band", source, ("training",), overridable=False))


# (architecture, recompute) -> (low, high): the band of a plan whose runtime is fsdp, in place of TIME_BAND_*
TIME_BAND_FSDP = {("ampere", "none"): _fsdp_band("ampere", "none", 49, -0.064, 0.039),
                  ("ampere", "full"): _fsdp_band("ampere", "full", 44, -0.105, 0.114),
                  ("hopper", "none"): _fsdp_band("hopper", "none", 40, -0.174, -0.093),
                  ("hopper", "full"): _fsdp_band("hopper", "full", 27, -0.124, -0.004)}

REGISTRY: dict[str, Constant] = {c.name: c for c in (
    CUDA_CONTEXT, NCCL_MEMORY, CUDA_GRAPHS, ALLOCATOR_OVERHEAD, PREFILL_CHUNK_TOKENS, KV_BLOCK_TOKENS,
    MATMUL_ACHIEVABLE, MATMUL_EFFICIENCY, GEMM_HALF_WIDTH, FP8_GEMM_FACTOR,
    ATTENTION_EFFICIENCY, ATTENTION_EFFICIENCY_FLASH2_HOPPER, ATTENTION_EFFICIENCY_EAGER, CP_OVERLAP, OVERLAP_SLOWDOWN,
    INTER_NODE_DEFAULT, NVLINK_EFFICIENCY,
    NETWORK_EFFICIENCY, PUE, RESERVED_DISCOUNT, DEPRECIATION, ELECTRICITY_PRICE, SYSTEM_POWER,
    OWNED_UTILIZATION, COLOCATION, BANDWIDTH_EFFICIENCY, ALLREDUCE_LATENCY, ALLREDUCE_WAIT,
    ELEMENTWISE_TRAFFIC, LOSS_TRAFFIC, MEMORY_BOUND_SHARE, MAX_CONTEXT_FACTOR, REDUCE_BUCKET, SUB_GROUP_SIZE,
    MAX_NUM_SEQS, NEW_TOKEN_RATIO, NEW_TOKEN_RATIO_FLOOR, NEW_TOKEN_RATIO_DECAY_STEPS, CLIP_MAX_NEW_TOKENS,
    RETRACT_DECODE_STEPS, SERVING_MATMUL_EFFICIENCY, ITERATION_OVERHEAD, SEQUENCE_OVERHEAD,
    REQUEST_OVERHEAD, SLO_ATTAINMENT, RATE_TRACE, TIME_BAND_LOW, TIME_BAND_HIGH,
    INTERRUPTION_INTERVAL, CHECKPOINT_BANDWIDTH, RESTART_TIME, SERVING_BAND_THROUGHPUT_LOW,
    SERVING_BAND_THROUGHPUT_HIGH, SERVING_BAND_TTFT_LOW, SERVING_BAND_TTFT_HIGH, SERVING_BAND_ITL_LOW,
    SERVING_BAND_ITL_HIGH, *(c for pair in SERVING_BAND_CLOSED_LOOP.values() for c in pair),
    *(c for pair in TIME_BAND_FSDP.values() for c in pair))}


def overridable(workload: str) -> list[Constant]:
    """The constants a `framework` block of this workload kind may set."""
    return [c for c in REGISTRY.values() if c.overridable and workload in c.workloads]
