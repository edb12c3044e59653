"""Pipeline schedules: how layers are split over ranks, how many micro-batches each rank holds
in flight, and the bubble. One module for the single plan and the search (scalars or arrays).
"""

from __future__ import annotations

from capplan.engine.vector import minimum, where

SOURCE = "Narayanan et al. 2021 (arXiv:2104.04473) sec. 2.2; Megatron-LM schedules.py"
INFLIGHT_FORMULA = ("1F1B: min(p - i, m); interleaved: ((p-i-1)*2 + (v-1)*p + 1)/v; GPipe: m")
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


def inflight(schedule: str, pp, rank: int, microbatches, v):
    """Micro-batches whose activations a rank holds at once, in units of the rank's whole layer set.

    1F1B (PipeDream-Flush, Narayanan et al. 2021): rank i runs p - i warm-up forwards, so it holds
    min(p - i, m). Interleaved (Megatron-LM get_forward_backward_func): (p - i - 1)*2 + (v - 1)*p + 1
    model chunks of L/(p v) layers each, so (that)/v of the rank's layers. GPipe: all m.
    `v` is the number of model chunks per rank (1 unless interleaved); any argument may be an array.
    """
    one_f_one_b = minimum(pp - rank, microbatches)
    interleaved = minimum((pp - rank - 1) * 2 + (v - 1) * pp + 1, microbatches * v) / v
    out = where(v > 1, interleaved, microbatches if schedule == "gpipe" else one_f_one_b)
    return where(pp == 1, 1.0, where(pp > rank, out * 1.0, 0.0))


def bubble(compute, pp, microbatches, v):
    """Idle time of a pipeline flush: (p - 1) / (m v) of the compute (1F1B, interleaved, GPipe)."""
    return where(pp > 1, compute * (pp - 1) / (microbatches * v), 0.0)
