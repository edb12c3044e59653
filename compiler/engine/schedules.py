"""Pipeline schedules: how layers are split over ranks, how many micro-batches each rank holds
in flight, and the bubble. One module for the single plan and the search (scalars or arrays).

Schedules: Megatron-Core's 1F1B and interleaved 1F1B, GPipe; the zero-bubble schedules of Qi et al. 2024
(arXiv:2401.10241), which split the backward pass into its input-gradient part B and its weight-gradient part
W and fill the bubble with deferred W passes -- `zb1p` (ZB-H1, the paper's ZB-1p under the same memory as
1F1B) and `zbh2` (ZB-H2, twice the in-flight activations); and DeepSeek's DualPipe (DeepSeek-V3 report,
arXiv:2412.19437, sec. 3.2.1 and Table 2; deepseek-ai/DualPipe) -- `dualpipe` (two copies of the model fed from
both ends of the pipeline, rank i holding stages i and p - 1 - i) and `dualpipev` (its "cut-in-half" form:
2p stages in a V, rank i holding stages i and 2p - 1 - i).
"""

from __future__ import annotations

# SPLIT_BACKWARD: schedules whose weight gradients are passes of their own; DUAL: the DualPipe forms
from capplan.check.layout_rules import DUAL, SPLIT_BACKWARD
from capplan.engine.vector import logical_and, logical_or, maximum, minimum, where

SOURCE = ("Megatron-Core 0.16.1 megatron/core/pipeline_parallel/schedules.py (get_pp_rank_microbatches; "
          "forward_backward_pipelining_without_interleaving / _with_interleaving); Narayanan et al. 2021 "
          "(arXiv:2104.04473) sec. 2.2; Qi et al. 2024 (arXiv:2401.10241) Table 2; DeepSeek-V3 report "
          "(arXiv:2412.19437) Table 2, deepseek-ai/DualPipe README")
INFLIGHT_FORMULA = ("1F1B: min(p - i, m) = warm-up p - i - 1 forwards + the steady-state forward; interleaved: "
                    "min(2(p - i - 1) + (v - 1) p + 1, m v) chunk forwards / v (micro-batch group = p); "
                    "GPipe: m; p = 1: 1 (Megatron-Core 0.16.1 pipeline_parallel/schedules.py); zb1p: p, zbh2: "
                    "2p - 1 (Qi et al.: (p - i + 1) M_B + (i - 1) M_W and (2p - 2i + 1) M_B + (2i - 2) M_W with the "
                    "W passes' inputs M_W counted as a micro-batch's); dualpipe: (p + 1) / 2, dualpipev: (2p + 1) / 2 "
                    "of the rank's two stages (DeepSeek: PP + 1 stages' activations)")
BUBBLE_FORMULA = ("1F1B, interleaved, GPipe: compute x (p - 1) / (m x v); per micro-batch c = F + B (B the whole "
                  "backward), W its weight-gradient GEMMs: zb1p (p - 1)(c - 2W), zbh2 (p - 1)(c - 3W), dualpipe "
                  "(p/2 - 1)(c + B - 3W), dualpipev (p - 1)(c + B - 3W) / 2")


def layer_split(layers: int, pp: int, v: int, explicit: tuple[int, ...] | None,
                schedule: str = "1f1b") -> list[list[int]]:
    """Global layer indices per pipeline rank, with interleaved chunks (rank = chunk mod p); DualPipe: the
    model in p stages, rank i holding stages i and p - 1 - i (a layer on two ranks, one per copy); DualPipeV: the
    model in 2p stages, rank i holding stages i and 2p - 1 - i."""
    if schedule in DUAL and pp > 1:
        stages = layer_split(layers, pp * (2 if schedule == "dualpipev" else 1), 1, None)
        return [stages[i] + stages[len(stages) - 1 - i] for i in range(pp)]
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


def edges(schedule: str, pp, rank):
    """(holds the embedding, holds the output layer) for a rank: the first and the last rank; under DualPipe
    both (each holds one copy's first stage and the other's last); under DualPipeV the first rank both."""
    if schedule == "dualpipe":
        end = logical_or(rank == 0, rank == pp - 1)
        return end, end
    if schedule == "dualpipev":
        return rank == 0, rank == 0
    return rank == 0, rank == pp - 1


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
    if schedule in SPLIT_BACKWARD:
        return {"zb1p": pp * 1.0, "zbh2": 2.0 * pp - 1, "dualpipe": (pp + 1) / 2,
                "dualpipev": (2.0 * pp + 1) / 2}[schedule] + 0.0 * rank
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


def bubble(compute, pp, microbatches, v, schedule: str = "1f1b", forward=1 / 3, wgrad=0.0):
    """Idle time of a pipeline flush. 1F1B, interleaved, GPipe: (p - 1) / (m v) of the compute. The split-backward
    schedules from a micro-batch's stage time c = compute / m, its forward F = c x `forward` (the forward's
    share), its whole backward B = c - F and its weight-gradient passes W = `wgrad` / m: ZB-H1 (zb1p)
    (p - 1)(F + B - 2W), ZB-H2 (zbh2) (p - 1)(F + B - 3W) (Qi et al. Table 2, whose B is the input-gradient
    part: B + W here), DualPipe (p/2 - 1)(F&B + B - 3W) with the overlapped pair F&B taking F + B of compute
    (its overlap hides communication, not compute), DualPipeV the same over its 2p half-size stages (DeepSeek-V3
    Table 2, the DualPipe README)."""
    if schedule not in SPLIT_BACKWARD:
        return where(pp > 1, compute * (pp - 1) / (microbatches * v), 0.0)
    c = compute / microbatches
    b, w = c * (1 - forward), wgrad / microbatches
    idle = {"zb1p": (pp - 1) * (c - 2 * w), "zbh2": (pp - 1) * (c - 3 * w),
            "dualpipe": (pp / 2 - 1) * (c + b - 3 * w), "dualpipev": (pp - 1) * (c + b - 3 * w) / 2}[schedule]
    return where(pp > 1, maximum(idle, 0.0), 0.0)


def bubble_derivation(terms: dict, bubble: float) -> str:
    """`bubble`'s formula with one plan's numbers (training_time's `bubble_terms`)."""
    p, m, v, schedule = terms["pipeline"], terms["microbatches"], terms["chunks"], terms["schedule"]
    c, f, w = terms["per_microbatch_s"], terms["forward_s"], terms["wgrad_s"]
    b = c - f
    ms = "{:.4g} ms".format
    if schedule not in SPLIT_BACKWARD:
        return f"{ms(c * 1e3 * m)} x ({p} - 1) / ({m:g} x {v}) = {ms(bubble * 1e3)}"
    head = {"zb1p": f"({p} - 1)({ms(c * 1e3)} - 2 x {ms(w * 1e3)})",
            "zbh2": f"({p} - 1)({ms(c * 1e3)} - 3 x {ms(w * 1e3)})",
            "dualpipe": f"({p}/2 - 1)({ms(c * 1e3)} + {ms(b * 1e3)} - 3 x {ms(w * 1e3)})",
            "dualpipev": f"({p} - 1)({ms(c * 1e3)} + {ms(b * 1e3)} - 3 x {ms(w * 1e3)}) / 2"}[schedule]
    return f"{schedule}: c = {ms(c * 1e3)}, F = {ms(f * 1e3)}, B = {ms(b * 1e3)}, W = {ms(w * 1e3)}; {head} = {ms(bubble * 1e3)}"
