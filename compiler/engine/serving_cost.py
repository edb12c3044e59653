"""The time of one continuous-batching iteration of a serving replica, from its parts.

An iteration runs the decode tokens of every running sequence and the prefill chunks the
scheduler packed beside them through the model once (Sarathi-Serve, Agrawal et al. 2024,
arXiv:2403.02310, sec. 3-4: "stall-free batching" of prefill chunks with decodes under a token
budget). Its time is built from the same parts as capplan's other time figures:

* the linear layers: 2 x (parameters a token multiplies with) FLOPs per scheduled token at the
  share `serving_matmul_efficiency` of the GPU's achievable matmul rate (`matmul_achievable` x dense
  peak, engine/gemm.py), or the weights streamed once,
  at the achievable share of the bandwidth (`bandwidth_efficiency`), whichever takes longer (the
  embedding table is indexed, not streamed: `inference.streamed_weight_bytes`; of an MoE model's routed
  experts, those the iteration's tokens were routed to: `inference.streamed`);
* attention: for a token at position i, (attention FLOPs per token per context token) x i (a decode
  reads its whole context; a prefill chunk of c tokens after p cached ones costs c x p + c(c + 1)/2),
  or the K and V of every cached token it reads, whichever takes longer. Each operator is bounded
  by its own roofline, as Vidur times each operator of an iteration (Agrawal et al. 2024, "Vidur",
  arXiv:2405.05465, sec. 4), so a batch whose weights are memory-bound and whose attention is
  compute-bound pays for both;
* tensor parallelism: two all-reduces of the iteration's activations per layer (Megatron-LM,
  Shoeybi et al. 2019, sec. 3), each a ring all-reduce over the link plus a fixed time: the kernel's
  latency (`allreduce_latency`) and the ranks' wait for each other at it (`allreduce_wait`);
* the host's time outside the GPU: a fixed part per iteration (the scheduler's pass, launches):
  `iteration_overhead`, and a part per sequence scheduled (a decode or a prefill chunk: building its
  inputs, sampling and detokenising its token; the host's share grows with the sequences scheduled, not
  the tokens, WukLab 2024 on vLLM 0.5.4): `sequence_overhead` (an API server's; 0 for an offline job
  that drives the engine in its own process).

Pipeline stages are crossed in turn: one iteration's tokens pass every stage, so its weights,
cache reads and FLOPs are those of all stages (no overlap of micro-batches across stages is modelled).
"""

from __future__ import annotations

from dataclasses import dataclass

from capplan.core import constants as K
from capplan.engine.formats import nbytes
from capplan.engine.gemm import achievable
from capplan.engine.inference import streamed
from capplan.engine.collectives import ring_allreduce_bytes_seconds
from capplan.engine.timing import compute_precision, flops_per_token
from capplan.ir.plan import Inference


def serving_peak(w: Inference, mem: dict) -> tuple[str, float | None]:
    """The precision a serving replica's matmuls run in (fp8 when the weights are fp8, else the recipe's
    compute precision, else bf16) and the GPU's dense peak for it (bf16's when the GPU gives none)."""
    name = compute_precision(w.precision) if w.precision is not None else "bf16"
    if mem["weights_format"].name.startswith("fp8"):
        name = "fp8"
    gpu = w.hardware.gpu
    return name, gpu.peak.get(name) or gpu.peak.get("bf16")


@dataclass(frozen=True)
class IterationCost:
    """Coefficients of one iteration's time; `seconds` evaluates it."""

    matmul_flops: float     # FLOPs per scheduled token outside attention (2 x matmul parameters)
    attention_flops: float  # FLOPs per (token, context token) pair
    flop_rate: float        # achievable FLOP/s of the replica (ranks x peak x efficiency)
    weight_bytes: float     # bytes streamed per iteration for the weights (all stages; no embedding lookup)
    expert_bytes: float     # of which routed experts' (0 for a dense model)
    expert_miss: float      # chance one token's routing leaves a given expert unread (1 - top_k / experts)
    kv_token_bytes: float   # bytes of one cached token's K and V read per iteration (all stages)
    byte_rate: float        # achievable bytes/s of one GPU's memory
    comm_fixed: float       # s per iteration for the TP all-reduces' latency and wait
    comm_per_token: float   # s per scheduled token for the TP all-reduces' volume
    overhead: float         # s per iteration
    per_sequence: float     # s per sequence scheduled in the iteration (decodes and prefill chunks)
    precision: str
    peak: float             # dense FLOP/s of one GPU in `precision`
    ranks: int

    def seconds(self, tokens: float, attention_pairs: float, kv_tokens: float, sequences: float) -> float:
        """tokens: decode + prefill tokens scheduled; attention_pairs: sum over them of the context
        each attends to; kv_tokens: cached tokens whose K and V the iteration reads; sequences: the
        sequences scheduled (each decode, each prefill chunk)."""
        linear = max(self.matmul_flops * tokens / self.flop_rate, self.streamed(tokens) / self.byte_rate)
        attention = max(self.attention_flops * attention_pairs / self.flop_rate,
                        self.kv_token_bytes * kv_tokens / self.byte_rate)
        return (linear + attention + self.comm_fixed + self.comm_per_token * tokens + self.overhead
                + self.per_sequence * sequences)

    def streamed(self, tokens: float) -> float:
        """Weight bytes an iteration of `tokens` tokens reads (inference.streamed)."""
        return streamed(self.weight_bytes, self.expert_bytes, self.expert_miss, tokens)

    def parts(self, tokens: float, attention_pairs: float, kv_tokens: float, sequences: float) -> dict:
        """The terms of `seconds`, named, for explanations and tests."""
        return {"linear_compute_s": self.matmul_flops * tokens / self.flop_rate,
                "linear_memory_s": self.streamed(tokens) / self.byte_rate,
                "attention_compute_s": self.attention_flops * attention_pairs / self.flop_rate,
                "attention_memory_s": self.kv_token_bytes * kv_tokens / self.byte_rate,
                "tensor_parallel_s": self.comm_fixed + self.comm_per_token * tokens,
                "overhead_s": self.overhead, "sequences_s": self.per_sequence * sequences}

    def prefill_seconds(self, prompt: int, budget: int) -> float:
        """One request's prompt on an otherwise idle replica: chunks of at most `budget` tokens, one
        iteration each, the chunk of c tokens after p cached ones attending to c x p + c(c + 1)/2 pairs and
        reading p + c cached tokens (the simulation's accounting; its last chunk samples the first token)."""
        total, p = 0.0, 0
        while p < prompt:
            c = min(budget, prompt - p)
            total += self.seconds(c, c * p + c * (c + 1) / 2, p + c, 1)
            p += c
        return total

    def decode_seconds(self, batch: float, context: float) -> float:
        """One iteration that decodes `batch` sequences of `context` cached tokens each: one token each,
        attending to its context and itself."""
        return self.seconds(batch, batch * (context + 1), batch * (context + 1), batch)

    def decode_parts(self, batch: float, context: float) -> dict:
        """The terms of `decode_seconds`, named (`parts`)."""
        return self.parts(batch, batch * (context + 1), batch * (context + 1), batch)


def iteration_cost(w: Inference, mem: dict) -> IterationCost | str:
    """The iteration-time coefficients of a serving plan, or why there are none."""
    m, gpu, fw = w.model, w.hardware.gpu, w.framework
    pc = mem["params"]
    if pc is None:
        return "the model is a bare parameter count: FLOPs need an architecture"
    precision, peak = serving_peak(w, mem)
    if not peak:
        return f"gpu `{gpu.name}` gives no dense `peak.{precision}`"
    tp, pp = w.tensor, w.pipeline
    f = flops_per_token(m, pc, 1.0)  # attention_per_token at seq = 1: FLOPs per context token
    link = (w.hardware.intra_node or 0.0) / 2  # data sheets give both directions summed
    comm_fixed = comm_per_token = 0.0
    if tp > 1:
        comm_fixed = 2 * m.depth * (fw.constant(K.ALLREDUCE_LATENCY) + fw.constant(K.ALLREDUCE_WAIT))
        if link > 0:
            comm_per_token = 2 * m.depth * ring_allreduce_bytes_seconds(m.hidden * nbytes(w.dense), tp, link)
    return IterationCost(
        matmul_flops=2 * f.matmul_params, attention_flops=f.attention_per_token,
        flop_rate=tp * peak * achievable(gpu) * fw.constant(K.SERVING_MATMUL_EFFICIENCY),
        weight_bytes=mem["weights_streamed"], expert_bytes=mem["experts_streamed"], expert_miss=mem["expert_miss"],
        kv_token_bytes=mem["kv_capacity"]["per_token_bytes"] * pp,
        byte_rate=gpu.bandwidth * fw.constant(K.BANDWIDTH_EFFICIENCY),
        comm_fixed=comm_fixed, comm_per_token=comm_per_token,
        overhead=fw.constant(K.ITERATION_OVERHEAD), per_sequence=fw.constant(K.SEQUENCE_OVERHEAD),
        precision=precision, peak=peak, ranks=tp * pp)
