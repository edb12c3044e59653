"""`capplan explain FILE PLAN FIGURE` for the result figures outside a plan's `figures` table.

The engine records formula and source for its memory figures (`figures` of the result
JSON). The serving, capacity and time parts it reports beside them (`serving.ttft_s`,
`max_batch`, `time.communication_s.tensor`, ...) are described here: the formula each is
computed with (the engine module named), the values of the plan it uses, and the source of
every assumed constant (taken from `core/constants.py`, never restated). Any number in a
plan's JSON can be named by its path (`serving.tpot_s`) or by the short name below
(`serving.tpot`, `time.tensor`).
"""

from __future__ import annotations

from capplan.check.units import dims_of
from capplan.check.values import fmt_number, fmt_quantity
from capplan.core import constants as K
from capplan.engine import collectives as _COLLECTIVES, gemm as _GEMM, goodput as _GOODPUT, schedules as _SCHEDULES
from capplan.engine import serving as _SERVING_ROOF
from capplan.engine.inference import KV_CAPACITY_SOURCE
from capplan.engine.serving_load import BAND_FORMULA as _BAND_FORMULA, BAND_KINDS as _BAND_KINDS
from capplan.engine.serving_figures import FIGURES as SIM_FIGURES
from capplan.engine.serving_sim import SCHEDULER_SOURCE

_SERVING = ("iteration times: engine/serving_cost.py (Sarathi-Serve arXiv:2403.02310 sec. 3-4; Vidur "
            "arXiv:2405.05465 sec. 4; Pope et al. 2022 arXiv:2211.05102 sec. 2), with "
            + ", ".join(c.name for c in (*K.SERVING_FITTED, K.MATMUL_ACHIEVABLE, K.BANDWIDTH_EFFICIENCY,
                                         K.ALLREDUCE_LATENCY))
            + " (the first five fitted: validation/score_serving.py --fit; each one's source: `capplan explain "
            "inference`, the GPU's matmul_achievable: its catalog entry)")
_COMM = "each collective: " + _COLLECTIVES.FORMULA + " (engine/collectives.py)"
_COMM_SRC = _COLLECTIVES.SOURCE + "; " + K.NVLINK_EFFICIENCY.source + "; " + K.NETWORK_EFFICIENCY.source
_TIME_SRC = "Narayanan et al. 2021 (arXiv:2104.04473) eq. 3; PaLM (arXiv:2204.02311) app. B"

# short name -> (result path, unit, formula, source)
# a PyTorch FSDP plan on Ampere or Hopper takes its band from llm-foundry's runs of its kind (engine/timing.py
# published_band; `time.band.basis` names them)
_FSDP_BAND = " (a PyTorch FSDP plan on Ampere or Hopper: llm-foundry's runs of its architecture and recomputation)"
_FSDP_BAND_SRC = K.TIME_BAND_FSDP[("hopper", "none")][0].source.split(": the ")[0]
DERIVED = {
    "budget": (("budget_bytes",), "B", "memory_utilization x usable memory of the GPU (vLLM's "
               "--gpu-memory-utilization)", "vLLM engine arguments (gpu_memory_utilization)"),
    "max_batch": (("max_batch",), "", "the largest batch whose weights + KV cache (paged, at the plan's context) + "
                  "prefill activations + CUDA context fit the budget (engine/inference.py, binary search)",
                  "vLLM paged attention (Kwon et al. 2023)"),
    "max_context": (("max_context",), "token", "the longest context one sequence can hold within the budget, "
                    "the prefill re-evaluated at that context, at most the model's max_seq (a model without "
                    "max_seq: max_context_factor x 2^20 tokens; `caps.max_context` says which bound applies and "
                    "whether it was reached) (engine/inference.py)",
                    "vLLM paged attention (Kwon et al. 2023)"),
    "kv_tokens": (("kv_capacity", "tokens"), "token", "paged blocks x block size: the tokens of KV cache the "
                  "budget holds at the plan's batch (engine/inference.py kv_capacity)", KV_CAPACITY_SOURCE),
    "kv_blocks": (("kv_capacity", "blocks"), "", "floor((budget - weights - activations - CUDA context - batch x "
                  "fixed state) / (block x KV bytes per token of the first stage's layers))", KV_CAPACITY_SOURCE),
    "kv_capacity.block_tokens": (("kv_capacity", "block_tokens"), "token", "the paged block size (the plan's "
                                 "block_size, else the default)", K.KV_BLOCK_TOKENS.source),
    "kv_capacity.block_bytes": (("kv_capacity", "block_bytes"), "B", "block x KV bytes per token",
                                KV_CAPACITY_SOURCE),
    "kv_capacity.per_token_bytes": (("kv_capacity", "per_token_bytes"), "B", "sum over the first stage's attention "
                                    "layers of 2 x kv_heads/t x head_dim x bytes(kv) (MLA: kv_lora_rank + "
                                    "qk_rope_head_dim); sliding windows not discounted", KV_CAPACITY_SOURCE),
    "kv_capacity.room_bytes": (("kv_capacity", "room_bytes"), "B", "budget - weights - activations - CUDA context "
                               "- batch x fixed state of state-space layers", KV_CAPACITY_SOURCE),
    "caps.max_context.limit": (("caps", "max_context", "limit"), "token", "the longest context the max-context "
                               "search may report: the model's max_seq, or max_context_factor x 2^20 tokens for a "
                               "model without one", K.MAX_CONTEXT_FACTOR.source),
    "caps.max_batch.limit": (("caps", "max_batch", "limit"), "", "the largest batch the max-batch search tries "
                             "(2^24)", "a search bound, not a claim about hardware (engine/inference.py)"),
    "serving.ttft": (("serving", "ttft_s"), "s", "one request on an idle replica: request_overhead + its prompt "
                     "in chunks of max_num_batched_tokens, each chunk one iteration (engine/serving.py, "
                     "engine/serving_cost.py prefill_seconds); an iteration = max(linear FLOPs / (TP x dense peak x "
                     "matmul_achievable x serving_matmul_efficiency), weights streamed / (bandwidth x efficiency)) + "
                     "max(attention FLOPs "
                     "/ same, KV read / same) + TP all-reduces + iteration_overhead + sequence_overhead per "
                     "sequence", _SERVING),
    "serving.tpot": (("serving", "tpot_s"), "s", "one decode iteration of the plan's batch at the mean context "
                     "(prompt + output / 2), nothing else scheduled beside it: max(linear compute, weights "
                     "streamed) + max(attention compute, KV read) + TP all-reduces + iteration_overhead + batch x "
                     "sequence_overhead; weights streamed = every stage's weights less the embedding lookup, and of "
                     "an MoE model's routed experts the expected share the batch was routed to, 1 - (1 - top_k / "
                     "experts)^batch (engine/serving.py, engine/serving_cost.py, engine/inference.py)", _SERVING),
    "serving.tokens_per_s": (("serving", "tokens_per_s"), "token/s", "batch / time per output token", _SERVING),
    "serving.requests_per_s": (("serving", "requests_per_s"), "req/s", "batch / (time to first token + output x "
                               "time per output token)", _SERVING),
    "serving.best_batch": (("serving", "best_batch"), "", "the batch of 1, 2, 4, ... up to min(max_batch, "
                           "max_num_seqs) with the most "
                           "tokens/s whose time per token meets targets.tpot (and time to first token targets.ttft)",
                           _SERVING),
    "serving.best_tokens_per_s": (("serving", "best_tokens_per_s"), "token/s", "best_batch / time per output "
                                  "token at best_batch", _SERVING),
    "serving.replicas": (("serving", "replicas"), "", "ceil(requests / requests per second of one replica at "
                         "best_batch)", _SERVING),
    "serving.cost_per_mtok": (("serving", "cost_per_mtok_usd"), "USD", "price per GPU-second x GPUs of a replica / "
                              "tokens per second x 10^6", "the spec's price"),
    "time.matmul": (("time", "matmul_s"), "s", "GEMM time + attention time (engine/timing.py, engine/gemm.py)",
                    K.MATMUL_EFFICIENCY.source),
    "time.elementwise": (("time", "elementwise_s"), "s", "memory-bound kernels: traffic proportional to the "
                         "activations saved per layer x layers per stage x micro-batches, plus the cross-entropy "
                         "loss's loss_traffic x tokens per pipeline replica x vocabulary / TP, over (bandwidth x "
                         "efficiency) (engine/timing.py)",
                         K.BANDWIDTH_EFFICIENCY.source + "; " + K.LOSS_TRAFFIC.source),
    "time.optimizer": (("time", "optimizer_s"), "s", "2 x (weights + gradients + master weights + optimizer "
                       "states of the largest stage) / (bandwidth x efficiency)", K.BANDWIDTH_EFFICIENCY.source),
    "time.tensor": (("time", "communication_s", "tensor"), "s", "layers per stage x micro-batches x (4, +2 with full "
                    "recomputation) all-reduces of micro_batch x seq/cp x hidden x bytes(activations) over TP "
                    "ranks (a reduce-scatter and an all-gather each with sequence parallelism); the backward ones only "
                    "where they outlast the weight-gradient GEMMs (1/3 of the GEMM time) that run beside them "
                    "(Megatron-Core LinearWithGradAccumulationAndAsyncCommunication); in an MoE layer with sequence "
                    "parallelism the MLP's pair is the token dispatcher's all-gather and reduce-scatter of "
                    "experts_per_token times the tokens, on the critical path; " + _COMM,
                    "Shoeybi et al. 2019 (arXiv:1909.08053) sec. 3; " + _COMM_SRC),
    "time.data": (("time", "communication_s", "data"), "s", "what compute does not hide of: the largest stage's "
                  "gradient all-reduce over data x context ranks (a reduce-scatter, then the parameters' all-gather, "
                  "with a sharded optimizer; ZeRO-3 gathers again per micro-batch, forward and backward) in "
                  "buckets of max(40M, 1M x dp) parameters; overlap_grad_reduce hides the reduction behind the "
                  "last micro-batch's backward (2/3 of its compute), overlap_param_gather the gather behind forward, "
                  "at least one bucket shows; " + _COMM,
                  "Rajbhandari et al. 2020 (arXiv:1910.02054); " + _COLLECTIVES.BUCKET_SOURCE + "; " + _COMM_SRC),
    "time.pipeline": (("time", "communication_s", "pipeline"), "s", "2 x micro-batches x virtual stages x "
                      "sends of the activation bytes (/ TP with sequence parallelism), each latency + bytes / link "
                      "bandwidth (the network when the pipeline spans nodes); " + _COMM,
                      "Narayanan et al. 2021 (arXiv:2104.04473) sec. 2.2; " + _COMM_SRC),
    "time.expert": (("time", "communication_s", "expert"), "s", "MoE layers per stage x micro-batches x (4, +2 with "
                    "full recomputation) all-to-alls (dispatch and combine, forward and backward) in which each rank "
                    "sends its sequence-parallel shard, micro_batch x seq/cp / TP tokens, experts_per_token times x "
                    "hidden x bytes, (ep - 1)/ep of it to others, the part for other nodes over the network; with "
                    "ep_comm_overlap only what an adjacent micro-batch's compute does not cover (all of it in the "
                    "warm-up and cool-down, about pp of the micro-batches); " + _COMM,
                    "Megatron-Core megatron/core/transformer/moe/token_dispatcher.py (MoEAlltoAllTokenDispatcher); "
                    "Megatron-Core docs, Expert-Parallel All-to-All Overlap; Lepikhin et al. 2020 (GShard, "
                    "arXiv:2006.16668); " + _COMM_SRC),
    "time.expert_total": (("time", "communication_s", "expert_total"), "s", "the whole expert-parallel all-to-all "
                          "time before ep_comm_overlap; " + _COMM,
                          "Megatron-Core megatron/core/transformer/moe/token_dispatcher.py; " + _COMM_SRC),
    "time.context": (("time", "communication_s", "context"), "s", "layers per stage x micro-batches x 3 x (cp - 1) "
                     "ring sends of K and V (latency + bytes / link bandwidth) x (1 - overlap)",
                     "Liu et al. 2023 (Ring Attention, arXiv:2310.01889); " + K.CP_OVERLAP.source + "; " + _COMM_SRC),
    "time.hfu": (("time", "hfu"), "", "hardware FLOPs per step (recomputation included) / (step time x GPUs x "
                 "dense peak)", "Korthikanti et al. 2022 (arXiv:2205.05198) sec. 6"),
    "time.tokens_per_s": (("time", "tokens_per_s"), "token/s", "global batch x seq_len / step time", _TIME_SRC),
    "time.gpu_hours": (("time", "gpu_hours"), "GPU-h", "GPUs x time to train, in hours", _TIME_SRC),
    "time.overlap_slowdown": (("time", "overlap_slowdown_s"), "s", "overlap_slowdown x (the whole data-parallel "
                              "traffic - its exposed part): the compute that the hidden gathers, reduce-scatters and "
                              "all-reduces run under is slowed by their kernels (SMs, memory bandwidth); "
                              "tensor-parallel traffic hidden under the weight-gradient GEMMs is carried by the fitted "
                              "GEMM efficiency instead", K.OVERLAP_SLOWDOWN.source),
    "time.data_total": (("time", "communication_s", "data_total"), "s", "the whole data-parallel gradient "
                        "reduction and parameter all-gathers before the overlap with compute; " + _COMM,
                        "Rajbhandari et al. 2020 (arXiv:1910.02054); " + _COMM_SRC),
    "time.tensor_total": (("time", "communication_s", "tensor_total"), "s", "the whole tensor-parallel "
                          "communication before the backward collectives' overlap with the weight-gradient GEMMs; "
                          + _COMM, "Shoeybi et al. 2019 (arXiv:1909.08053) sec. 3; " + _COMM_SRC),
    "time.model_flops_per_step": (("time", "model_flops_per_step"), "FLOP", "3 x forward FLOPs per token x tokens "
                                  "per step", _TIME_SRC),
    "time.hardware_flops_per_step": (("time", "hardware_flops_per_step"), "FLOP", "model FLOPs + the recomputed "
                                     "forward (full: all of it, or of recompute_layers of each model chunk, "
                                     "but the MLPs' down projections under PyTorch's non-reentrant checkpoint, "
                                     "checkpoint_early_stop; "
                                     "selective: the modules it "
                                     "names, core attention by default; selective_op: the matmuls torchtitan's "
                                     "per-op policy does not keep, every second one of a layer) x tokens per step",
                                     "Korthikanti et al. 2022 (arXiv:2205.05198) sec. 6; pytorch/torchtitan@559a526 "
                                     "torchtitan/parallelisms/parallelize_llama.py (the per-op policy); "
                                     "torch.utils.checkpoint's early stop, measured by "
                                     "validation/measure_selective_op.py"),
    "time.peak_flops": (("time", "peak_flops"), "FLOP/s", "the GPU's dense peak at the recipe's compute "
                        "precision (`peak.bf16`, ...)", "the GPU's data sheet (catalog)"),
    "time.tokens_per_step": (("time", "tokens_per_step"), "token", "global_batch x seq_len", _TIME_SRC),
    "serving.request_s": (("serving", "request_s"), "s", "time to first token + output x time per output token",
                          _SERVING),
    "serving.best_requests_per_s": (("serving", "best_requests_per_s"), "req/s", "best_batch / (time to first "
                                    "token + output x time per output token at best_batch)", _SERVING),
    "serving.best_tpot": (("serving", "best_tpot_s"), "s", "time per output token at best_batch (as serving.tpot)",
                          _SERVING),
    "serving.gpus_total": (("serving", "gpus_total"), "", "replicas x GPUs of one replica", _SERVING),
    "headroom": (("headroom",), "", "1 - peak / usable memory of the GPU, the smallest over the ranks",
                 "definition"),
    "precision.bytes_per_param": (("precision", "bytes_per_param"), "B", "bytes(weights) + bytes(gradients) + "
                                  "bytes(master weights) + states x bytes(optimizer states)",
                                  "Rajbhandari et al. 2020 (arXiv:1910.02054) sec. 3.1"),
    "precision.weight_bits": (("precision", "weight_bits"), "", "bits per weight of the format, group scales "
                              "(and zero points) included: bits + scale bits / group", "capplan's formats "
                              "(engine/formats.py)"),
    # training time model: GEMM shape model, attention kernels, time band (issue 11 item 1)
    "time.gemm": (("time", "gemm_s"), "s", "hardware FLOPs outside attention per step / (GPUs x dense peak x GEMM "
                  "efficiency) (engine/timing.py)", K.MATMUL_EFFICIENCY.source + "; " + K.GEMM_HALF_WIDTH.source),
    "time.gemm_efficiency": (("time", "gemm_efficiency"), "", _GEMM.FORMULA + " (engine/gemm.py)",
                             _GEMM.SOURCE + "; " + K.MATMUL_EFFICIENCY.source + "; " + K.GEMM_HALF_WIDTH.source),
    "time.attention": (("time", "attention_s"), "s", "(3 + 1 with full or selective recomputation) x attention "
                       "FLOPs per token (4 x layers x seq x heads x head_dim) x tokens per step / (GPUs x dense peak "
                       "x attention efficiency of the kernel family: attention_efficiency for flash/SDPA, "
                       "attention_efficiency_flash2_hopper for flash2 on a Hopper or Blackwell GPU, "
                       "attention_efficiency_eager for eager)",
                       K.ATTENTION_EFFICIENCY.source + "; " + K.ATTENTION_EFFICIENCY_FLASH2_HOPPER.source + "; "
                       + K.ATTENTION_EFFICIENCY_EAGER.source),
    "time.band.error_p10": (("time", "band", "error_p10"), "", "10th percentile of the signed step-time error "
                            "(predicted - published) / published, validation half" + _FSDP_BAND,
                            K.TIME_BAND_LOW.source + "; " + _FSDP_BAND_SRC),
    "time.band.error_p90": (("time", "band", "error_p90"), "", "90th percentile of the signed step-time error "
                            "(predicted - published) / published, validation half" + _FSDP_BAND,
                            K.TIME_BAND_HIGH.source + "; " + _FSDP_BAND_SRC),
    "time.band.step_low": (("time", "band", "step_low_s"), "s", "step time / (1 + error_p90)", K.TIME_BAND_HIGH.source),
    "time.band.step_high": (("time", "band", "step_high_s"), "s", "step time / (1 + error_p10)",
                            K.TIME_BAND_LOW.source),
    "time.band.train_low": (("time", "band", "train_low_s"), "s", "time to train / (1 + error_p90)",
                            K.TIME_BAND_HIGH.source),
    "time.band.train_high": (("time", "band", "train_high_s"), "s", "time to train / (1 + error_p10)",
                             K.TIME_BAND_LOW.source),
    # the bubble's parts (engine/schedules.py bubble, bubble_derivation)
    "time.bubble_terms.pipeline": (("time", "bubble_terms", "pipeline"), "", "pipeline stages p (layout.pipeline)",
                                   _SCHEDULES.SOURCE),
    "time.bubble_terms.microbatches": (("time", "bubble_terms", "microbatches"), "", "micro-batches per step m = "
                                       "global batch / (micro-batch x data)", _SCHEDULES.SOURCE),
    "time.bubble_terms.chunks": (("time", "bubble_terms", "chunks"), "", "model chunks per rank v (virtual stages "
                                 "under the interleaved schedule, else 1)", _SCHEDULES.SOURCE),
    "time.bubble_terms.per_microbatch": (("time", "bubble_terms", "per_microbatch_s"), "s", "c = a rank's compute "
                                         "per step / m", _SCHEDULES.SOURCE),
    "time.bubble_terms.forward": (("time", "bubble_terms", "forward_s"), "s", "F = c x forward FLOPs / (3 x forward "
                                  "FLOPs + recomputed FLOPs)", _SCHEDULES.SOURCE),
    "time.bubble_terms.wgrad": (("time", "bubble_terms", "wgrad_s"), "s", "W = the weight-gradient GEMMs' time per "
                                "micro-batch: (model FLOPs - attention FLOPs) / 3 / (GPUs x dense peak x GEMM "
                                "efficiency) / m", _SCHEDULES.SOURCE),
}

# the roofline position of prefill and decode (engine/serving.py roofline)
DERIVED["serving.roofline.ridge_flops_per_byte"] = (
    ("serving", "roofline", "ridge_flops_per_byte"), "FLOP/B", "the GPU's dense peak / its data-sheet memory "
    "bandwidth: the arithmetic intensity above which a kernel is compute-bound", _SERVING_ROOF.ROOFLINE_SOURCE)
DERIVED["serving.roofline.peak_flops"] = (
    ("serving", "roofline", "peak_flops"), "FLOP/s", "the GPU's dense peak at the plan's compute precision (the "
    "catalog's data-sheet figure): the roof's flat part", _SERVING_ROOF.ROOFLINE_SOURCE)
for _phase, _what in (("prefill", "one prompt's prefill: 2 x matmul params x prompt + attention FLOPs, per GPU, "
                                  "over weights + the prompt's KV cache written, per GPU"),
                      ("decode", "one decode step of the plan's batch at the mean context: (2 x matmul params + "
                                 "attention at that context) x batch per GPU, over weights + the batch's KV cache "
                                 "read, per GPU")):
    DERIVED[f"serving.roofline.{_phase}.flops_per_byte"] = (
        ("serving", "roofline", _phase, "flops_per_byte"), "FLOP/B", _what, _SERVING_ROOF.ROOFLINE_SOURCE)
    DERIVED[f"serving.roofline.{_phase}.attainable_flops"] = (
        ("serving", "roofline", _phase, "attainable_flops"), "FLOP/s", "min(dense peak, FLOPs per byte x data-sheet "
        "bandwidth): the roofline's ceiling at that intensity", _SERVING_ROOF.ROOFLINE_SOURCE)

# the closed-form figures' parts (engine/serving.py, engine/serving_cost.py parts): `serving.parts.<key>`
_SERVING_PARTS = {
    "ttft_front_end_s": "request_overhead: the API server's receipt and tokenisation before the scheduler sees it",
    "ttft_prefill_s": "the prompt's chunk iterations (time to first token - front end)",
    "tpot_linear_compute_s": "linear-layer FLOPs of the batch's tokens / (TP x dense peak x matmul_achievable x "
                             "serving_matmul_efficiency)",
    "tpot_linear_memory_s": "weights streamed / (bandwidth x bandwidth_efficiency)",
    "tpot_attention_compute_s": "attention FLOPs of batch x (context + 1) pairs / (TP x dense peak x "
                                "matmul_achievable x serving_matmul_efficiency)",
    "tpot_attention_memory_s": "KV bytes of batch x (context + 1) cached tokens / (bandwidth x bandwidth_efficiency)",
    "tpot_tensor_parallel_s": "2 x layers x (allreduce_latency + allreduce_wait + ring all-reduce of the batch's "
                              "activations) when TP > 1",
    "tpot_overhead_s": "iteration_overhead: the host's fixed time per iteration",
    "tpot_sequences_s": "batch x sequence_overhead: the host's time per sequence scheduled",
}
DERIVED.update({f"serving.parts.{key}": (("serving", "parts", key), "s", formula + " (engine/serving_cost.py)",
                                         _SERVING) for key, formula in _SERVING_PARTS.items()})

# goodput of the run: checkpoints, interruptions, restarts (engine/goodput.py): `time.goodput.<key>`
_GOODPUT_SRC = _GOODPUT.SOURCE + "; " + K.INTERRUPTION_INTERVAL.source
_GOODPUT_PARTS = {
    "checkpoint_bytes": ("B", "bytes of one checkpoint: trained params x (weights + master weights + optimizer "
                         "states) bytes per param (LoRA: the adapters only)", "engine/goodput.py checkpoint_bytes"),
    "checkpoint_save_s": ("s", "checkpoint bytes / (checkpoint_bandwidth x GPUs)", K.CHECKPOINT_BANDWIDTH.source),
    "checkpoint_interval_s": ("s", "Young's interval sqrt(2 x save time x job interruption interval)", _GOODPUT_SRC),
    "job_interruption_interval_s": ("s", "interruption_interval / GPUs", K.INTERRUPTION_INTERVAL.source),
    "restart_s": ("s", "restart_time", K.RESTART_TIME.source),
    "waste": ("", "save time / checkpoint interval + (restart + interval / 2) / job interruption interval",
              _GOODPUT_SRC),
    "goodput": ("", _GOODPUT.FORMULA, _GOODPUT_SRC),
    "train_s": ("s", "time to train / goodput", _GOODPUT_SRC),
    "lost_s": ("s", "time to train with interruptions - time to train", _GOODPUT_SRC),
    "interruptions": ("", "time to train with interruptions / job interruption interval", _GOODPUT_SRC),
    "checkpoints": ("", "time to train / checkpoint interval", _GOODPUT_SRC),
    "gpu_hours": ("", "GPUs x time to train with interruptions", _GOODPUT_SRC),
    "cost_usd": ("USD", "GPU-hours with interruptions x price per GPU-hour", "the spec's price; " + _GOODPUT_SRC),
    "train_high_s": ("s", "time to train / (1 + error_p10) / goodput: the pessimistic end with interruptions",
                     K.TIME_BAND_LOW.source + "; " + _GOODPUT_SRC),
}
DERIVED.update({f"time.goodput.{key}": (("time", "goodput", key), unit, formula, src)
                for key, (unit, formula, src) in _GOODPUT_PARTS.items()})

# the serving simulation under the plan's load (engine/serving_load.py): `serving.load.<key>`
_LOAD_SRC = SCHEDULER_SOURCE + "; " + _SERVING  # the simulation's iterations cost what the closed form's do
_LOAD = {key: (unit, formula) for key, unit, formula in SIM_FIGURES.values()}
_LOAD.update({
    "ttft_mean_s": ("s", "mean over requests of (first token - arrival)"),
    "tpot_mean_s": ("s", "mean over requests of (finish - first token) / (output - 1)"),
    "itl_mean_s": ("s", "token-weighted mean gap between output tokens: sum of (finish - first token) / sum of "
                   "(output - 1) (vLLM benchmark_serving's mean ITL)"),
    "e2e_mean_s": ("s", "mean over requests of (finish - arrival)"),
    "e2e_p90_s": ("s", "90th percentile over requests of (finish - arrival)"),
    "requests": ("", "requests in the simulated trace (Poisson arrivals at `requests` for the trace length, or "
                 "closed-loop clients)"),
    "completed": ("", "requests of the trace that finished"),
    "duration_s": ("s", "simulated time from the first arrival to the last request's finish"),
    "iterations": ("", "scheduler iterations the simulation ran (each: one chunked-prefill + decode batch)"),
    "preemptions": ("", "requests evicted from the KV cache and recomputed when no block was free (vLLM "
                    "recompute preemption)"),
    "kv_blocks": ("", "paged KV blocks of the replica: as kv_capacity.blocks at the simulation's budget"),
    "block_tokens": ("token", "tokens per paged KV block (the plan's block_size, else the default)"),
    "max_num_batched_tokens": ("token", "the scheduler's token budget per iteration (prefill chunks + decodes)"),
    "max_num_seqs": ("", "most sequences one iteration runs (the plan's max_num_seqs, else the default)"),
    "slo_attainment": ("", "share of the trace's requests that meet every latency target"),
    "slo_attainment_target": ("", "share of requests that must meet the targets for a rate to count as served"),
    "max_requests_per_s": ("request/s", "the highest Poisson rate at which slo_attainment_target of the requests "
                           "meet the targets: bisection over rates, each simulated for rate_trace seconds"),
    "saturated_requests_per_s": ("request/s", "completed requests / simulated time when every request of the "
                                 "trace arrives at once: the rate past which the queue only grows"),
    "workload.prompt": ("token", "prompt tokens of each simulated request (the plan's `prompt`)"),
    "workload.output": ("token", "output tokens of each simulated request (the plan's `output`)"),
    "workload.requests": ("", "requests in the simulated trace"),
    "workload.rate_per_s": ("request/s", "the plan's request rate (`requests`), the Poisson arrival rate"),
    "workload.concurrency": ("", "closed-loop clients (the plan's `batch`), each sending its next request when "
                             "the last one finishes"),
})
DERIVED.update({f"serving.load.{key}": (("serving", "load", *key.split(".")), unit, formula, _LOAD_SRC)
                for key, (unit, formula) in sorted(_LOAD.items())})
# the serving bands (engine/serving_load.py band): `serving.load.band.<figure>.low|high`, `...errors.<kind>.low|high`
for _kind, ((_lo, _hi), _keys) in _BAND_KINDS.items():
    for _end, _e in (("low", _hi), ("high", _lo)):
        DERIVED[f"serving.load.band.errors.{_kind}.{_end}"] = (
            ("serving", "load", "band", "errors", _kind, _end), "", (_lo if _end == "low" else _hi).doc
            + " (a plan loaded by clients: " + K.SERVING_BAND_CLOSED_LOOP[_kind][0 if _end == "low" else 1].name
            + ", the same over those loaded by clients)",
            _lo.source + "; " + K.SERVING_BAND_CLOSED_LOOP[_kind][0].source)
        for _key in _keys:
            DERIVED[f"serving.load.band.{_key}.{_end}"] = (
                ("serving", "load", "band", _key, _end), _LOAD.get(_key, ("",))[0],
                f"{_key} / (1 + {_e.name}): the {_end} end of the band. " + _BAND_FORMULA, _e.source)

# result paths that are the value of an engine figure (`figures`): explained by that figure
ALIASES = {("time", "step_s"): "time.step", ("time", "compute_s"): "time.compute", ("time", "bubble_s"): "time.bubble",
           ("time", "mfu"): "time.mfu", ("time", "train_s"): "time.train", ("time", "cost_usd"): "cost.train",
           ("time", "energy_kwh"): "energy.train", ("memory", "weights"): "weights",
           ("memory", "kv_cache"): "kv_cache", ("memory", "activations"): "activations",
           ("memory", "cuda_context"): "cuda_context", ("memory", "nccl"): "nccl",
           ("memory", "cuda_graphs"): "cuda_graphs", ("recipe", "kv_cache_final"): "recipe.kv_cache_final"}
INPUTS = ("hardware", "layout")  # what the spec gave (or its defaults): inputs, not figures


def _q(value, dims: str) -> str:
    return fmt_quantity(value, dims_of(dims))


def _n(value) -> str:
    return fmt_number(value)


# short name -> the formula with this plan's numbers (from the same result JSON), where they are all there
VALUES = {
    "budget": lambda p: (f"{p['layout']['memory_utilization']:g} x {_q(p['hardware']['usable_bytes'], 'information')}"
                         f" = {_q(p['budget_bytes'], 'information')}"),
    "serving.tokens_per_s": lambda p: (f"{_n(p['layout']['batch'])} / {_q(p['serving']['tpot_s'], 'time')} = "
                                       f"{_n(p['serving']['tokens_per_s'])} tokens/s"),
    "serving.best_tokens_per_s": lambda p: (f"{_n(p['serving']['best_batch'])} / "
                                            f"{_q(p['serving']['best_tpot_s'], 'time')} = "
                                            f"{_n(p['serving']['best_tokens_per_s'])} tokens/s"),
    "time.tokens_per_s": lambda p: (f"{_n(p['time']['tokens_per_step'])} tokens / {_q(p['time']['step_s'], 'time')}"
                                    f" = {_n(p['time']['tokens_per_s'])} tokens/s"),
    "time.gpu_hours": lambda p: (f"{_n(p['hardware']['gpus'])} x {_q(p['time']['train_s'], 'time')} = "
                                 f"{_n(p['time']['gpu_hours'])} GPU-h"),
    "time.hfu": lambda p: (f"{_n(p['time']['hardware_flops_per_step'])} FLOP / ({_q(p['time']['step_s'], 'time')} x "
                           f"{_n(p['hardware']['gpus'])} x {_n(p['time']['peak_flops'])} FLOP/s) = "
                           f"{p['time']['hfu'] * 100:.1f}%"),
}


def _get(plan: dict, path: tuple):
    value = plan
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def numeric_paths(plan: dict, prefix: tuple = ()) -> list[str]:
    """Every numeric leaf of a plan's result, as a dotted path (what `explain` accepts besides `figures`)."""
    out = []
    for key, value in plan.items():
        if key in ("figures", "model", "ranks", "requirements", "line") and not prefix:
            continue
        if isinstance(value, dict):
            out += numeric_paths(value, prefix + (key,))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(".".join(prefix + (key,)))
    return out


def _peak(plan: dict) -> dict | None:
    if plan["kind"] == "training":
        worst = max(plan["ranks"], key=lambda r: r["peak_bytes"])
        stage = f"stage{worst['stage']}.peak"
        fig = plan["figures"].get(stage)
        if fig is None:
            return None
        return {**fig, "formula": f"the largest rank peak: {stage} ({fig['formula']})", "path": stage}
    parts = plan.get("memory", {})
    return {"value": plan["peak_bytes"], "unit": "B", "formula": " + ".join(parts),
            "derivation": " + ".join(_q(parts[k], "information") for k in parts) + " = "
            + _q(plan["peak_bytes"], "information"), "source": "the sum of the figures it names",
            "path": "peak_bytes"}


def derived_figure(plan: dict, key: str) -> dict | None:
    """A figure dict (value, unit, formula, source) for a short name or a numeric path of the result."""
    if key in DERIVED:
        path, unit, formula, source = DERIVED[key]
    else:
        path = tuple(key.split("."))
        known = {v[0]: (k, v) for k, v in DERIVED.items()}
        if path in ALIASES and ALIASES[path] in plan.get("figures", {}):
            return {**plan["figures"][ALIASES[path]], "path": ALIASES[path]}
        if path == ("peak_bytes",):
            return _peak(plan)
        if path in known:
            _, (path, unit, formula, source) = known[path]
        else:
            value = _get(plan, path)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or path[0] not in INPUTS:
                return None
            unit = "B" if key.endswith("bytes") else ""
            return {"value": value, "unit": unit, "formula": f"an input: `{path[-1]}` as the spec gives it or its "
                    "default (resolved through the cluster and GPU for the hardware)",
                    "source": f"the spec; `capplan explain {plan['kind']}` for the defaults"}
    value = _get(plan, path)
    if value is None:
        return None
    fig = {"value": value, "unit": unit, "formula": formula, "source": source, "path": ".".join(path)}
    name = key if key in DERIVED else next(k for k, v in DERIVED.items() if v[0] == path)
    if name in VALUES:
        try:
            fig["derivation"] = VALUES[name](plan)
        except (KeyError, TypeError, ZeroDivisionError):
            pass  # a figure whose inputs the result lacks: the formula alone
    return fig
