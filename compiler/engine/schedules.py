"""Pipeline schedules: how layers are split over ranks, how many micro-batches each rank holds
in flight, and the bubble. One module for the single plan and the search (scalars or arrays).
"""

from __future__ import annotations

from capplan.engine.vector import logical_and, minimum, where

SOURCE = ("Megatron-Core 0.16.1 megatron/core/pipeline_parallel/schedules.py (get_pp_rank_microbatches; "
          "forward_backward_pipelining_without_interleaving / _with_interleaving); Narayanan et al. 2021 "
          "(arXiv:2104.04473) sec. 2.2")
INFLIGHT_FORMULA = ("1F1B: min(p - i, m) = warm-up p - i - 1 forwards + the steady-state forward; interleaved: "
                    "min(2(p - i - 1) + (v - 1) p + 1, m v) chunk forwards / v (micro-batch group = p); "
                    "GPipe: m; p = 1: 1 (Megatron-Core 0.16.1 pipeline_parallel/schedules.py)")
BUBBLE_FORMULA = "compute x (p - 1) / (m x v)"


def layer_split(layers: int, pp: int, v: int, explicit: tuple[int, ...] | None) -> list[list[int]]:
    """Global layer indices per pipeline rank, with interleaved chunks (rank = chunk mod p)."""
    if explicit is not None:
        out, start = [], 0
        for n in explicit:
            out.append(list(range(start, start + n)))
            start += n
        return out
    chunks = pp * v
    base, extra = divmod(layers, chunks)
    sizes = [base + (1 if c >= chunks - extra else 0) for c in range(chunks)]  # extras to the last chunks
    out = [[] for _ in range(pp)]
    start = 0
    for c, n in enumerate(sizes):
        out[c % pp].extend(range(start, start + n))
        start += n
    return out


def schedule_inflight(schedule: str, pp, rank, v):
    """Model-chunk forwards that rank `rank` holds at its peak when micro-batches are plentiful: the
    schedule's warm-up forwards plus the first steady-state (1F1B) forward, before its first backward.

    Megatron-Core 0.16.1, megatron/core/pipeline_parallel/schedules.py: the 1F1B schedule
    (forward_backward_pipelining_without_interleaving) warms up with p - i - 1 forwards; the
    interleaved one (get_pp_rank_microbatches) with (p - i - 1) * 2 + (v - 1) * g, where g =
    microbatch_group_size_per_vp_stage defaults to p (ModelParallelConfig.__post_init__); each
    steady-state step runs its forward before its backward, so the peak is one more. GPipe (all
    forwards, then all backwards) has no such bound: infinity. More than one chunk (v > 1) means
    the interleaved schedule, as the search varies v under one plan's schedule. Scalars or arrays.
    """
    plain = float("inf") if schedule == "gpipe" else pp - rank - 1 + 1.0  # v = 1: 1F1B or GPipe
    return where(v > 1, (pp - rank - 1) * 2 + (v - 1) * pp + 1.0, plain)


def inflight(schedule: str, pp, rank, microbatches, v):
    """Micro-batches whose activations a rank holds at once, in units of the rank's whole layer set.

    Megatron-Core 0.16.1 (pipeline_parallel/schedules.py) caps the warm-up at the step's m v
    model-chunk forwards (all forwards then run in the warm-up), so the rank holds
    min(schedule_inflight, m v) chunk forwards of L/(p v) layers each, i.e. that / v of its layers:
    1F1B min(p - i, m), interleaved min(2(p - i - 1) + (v - 1) p + 1, m v) / v. GPipe holds all m.
    Without pipelining (p = 1) each micro-batch's backward follows its forward: 1.
    `v` is the number of model chunks per rank (1 unless interleaved); any argument may be an array;
    ranks at or past p (padding in a search) hold nothing.
    """
    held = minimum(schedule_inflight(schedule, pp, rank, v), microbatches * v) / v
    return where(pp == 1, 1.0, where(pp > rank, held * 1.0, 0.0))


def capped_by_microbatches(schedule: str, pp, rank, microbatches, v):
    """True where the step's micro-batches, not the schedule's warm-up, bound what the rank holds
    (m v < schedule_inflight): fewer micro-batches than the pipeline would keep in flight. Never
    under GPipe, which has no warm-up bound (it always holds all m)."""
    bounded = where(v > 1, True, schedule != "gpipe")
    return logical_and(logical_and(bounded, logical_and(pp > 1, pp > rank)),
                       microbatches * v < schedule_inflight(schedule, pp, rank, v))


def bubble(compute, pp, microbatches, v):
    """Idle time of a pipeline flush: (p - 1) / (m v) of the compute (1F1B, interleaved, GPipe)."""
    return where(pp > 1, compute * (pp - 1) / (microbatches * v), 0.0)
