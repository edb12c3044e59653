"""Memory curves: a plan re-evaluated at other sequence lengths and batch sizes.

The engine's own functions (`training_memory`, `inference_memory`) run on
copies of the plan's lowered declaration with one field changed; nothing is
re-parsed and the original plan is left alone. The points are fixed powers of
two around the plan's own value (plus that value), and the fit boundary is
found by bisection over integers, so the curves are deterministic.
"""

from __future__ import annotations

import math
from dataclasses import replace

from capplan.core.records import Record, record
from capplan.engine.inference import inference_memory
from capplan.engine.training import training_memory
from capplan.ir.plan import Inference, Training

SEQ_LIMIT = 1 << 24        # 16,777,216 tokens: "fits beyond" past this
BATCH_LIMIT = 1 << 16


@record
class Curve(Record):
    axis: str                        # "seq_len" | "micro_batch" | "context" | "batch"
    xs: list[int]
    peaks: list[float]               # bytes per GPU (the worst stage for training)
    stages: list[int | None]         # the stage that peaks (training), else None
    capacity: float                  # the line the plan must stay under (usable memory, or budget)
    current: int                     # the plan's own value
    boundary: int | None             # the largest value that fits; None when even the smallest does not
    beyond: bool = False             # fits at the search limit too (boundary is a lower bound)
    fixed: dict | None = None        # what is held constant, for the caption (None: nothing, {})
    flat: bool = False               # memory does not depend on this axis
    engine_boundary: int | None = None   # the engine's own limit (inference), when it differs
    position_limit: int | None = None    # the model's max_seq, when it (not memory) caps the engine's limit

    def __init__(self, axis: str, xs: list[int], peaks: list[float], stages: list[int | None], capacity: float,
                 current: int, boundary: int | None, beyond: bool = False, fixed: dict | None = None,
                 flat: bool = False, engine_boundary: int | None = None, position_limit: int | None = None) -> None:
        self.__dict__.update(axis=axis, xs=xs, peaks=peaks, stages=stages, capacity=capacity, current=current,
                             boundary=boundary, beyond=beyond, fixed={} if fixed is None else fixed, flat=flat,
                             engine_boundary=engine_boundary, position_limit=position_limit)

    def fits(self, x_index: int) -> bool:
        return self.peaks[x_index] <= self.capacity


def _powers(center: float, below: int, above: int, low: int, high: int, step: int = 1) -> list[int]:
    k = math.log2(max(center, 1))
    start, stop = math.floor(k) - below, math.ceil(k) + above
    xs = {int(center)}
    for e in range(start, stop + 1):
        x = 2 ** e
        if low <= x <= high and x % step == 0:
            xs.add(x)
    return sorted(x for x in xs if x >= 1)


def _largest(peak, capacity: float, lo: int, limit: int, step: int) -> tuple[int | None, bool]:
    """The largest multiple of `step` in [step, limit] whose peak(x) is at most `capacity` (peak rises with x).

    Bracketed by doubling from `lo` (powers of two the curve evaluates anyway), then narrowed by false
    position with the Illinois rule (an end kept twice in a row counts half): memory is close to linear in the
    sequence and the batch, so the guesses close in on the boundary from both sides in a few
    re-evaluations. The bracket always has a fitting lower end and a failing upper end, and the answer is the
    lower end once the two are one step apart: the same integer a plain bisection finds."""
    def fits(x: int) -> bool:
        return peak(x) <= capacity

    lo = max(step, (lo // step) * step)
    if not fits(lo):   # where the plan's own value fits, so does the smallest (peak rises with x)
        if not fits(step):
            return None, False
        lo = step
    hi = lo
    while fits(hi):
        lo = hi
        if hi >= limit:
            return limit, True
        hi = min(limit, hi * 2)
    # fits(lo), not fits(hi): false position on g = peak - capacity (g(lo) <= 0 < g(hi))
    g_lo, g_hi = peak(lo) - capacity, peak(hi) - capacity
    kept = 0   # -1: the lower end moved last time (the upper one was kept), 1: the upper end moved
    while hi - lo > step:
        guess = lo + (-g_lo) * (hi - lo) / (g_hi - g_lo)
        mid = max(lo + step, min(int(guess // step) * step, ((hi - 1) // step) * step))
        if not lo < mid < hi:
            break
        g = peak(mid) - capacity
        if g <= 0:
            lo, g_lo = mid, g
            g_hi = g_hi / 2 if kept == -1 else g_hi
            kept = -1
        else:
            hi, g_hi = mid, g
            g_lo = g_lo / 2 if kept == 1 else g_lo
            kept = 1
    return lo, False


# ------------------------------------------------------------------------ training

def _training_peak(w: Training) -> tuple[float, int]:
    stages = training_memory(w)["stages"]
    worst = max(stages, key=lambda s: (s.device, -s.index))
    return worst.device, worst.index


def training_curves(w: Training, usable: float) -> list[Curve]:
    memo: dict[tuple, tuple[float, int]] = {}
    cp = w.layout.context
    dp = w.layout.data
    M = w.microbatches
    seq0, mb0 = int(w.seq_len), int(w.micro_batch)

    def at(seq: int, mb: int) -> tuple[float, int]:
        key = (seq, mb)
        if key not in memo:
            memo[key] = _training_peak(replace(w, seq_len=float(seq), micro_batch=mb,
                                               global_batch=mb * dp * M, microbatches=M))
        return memo[key]

    out = []
    step = 2 * cp if cp > 1 else 1
    xs = _powers(seq0, 4, 4, max(128, step), SEQ_LIMIT, step)
    bound, beyond = _largest(lambda s: at(s, mb0)[0], usable, seq0, SEQ_LIMIT, step)
    if bound is not None and not beyond and bound not in xs and xs[0] < bound < xs[-1] * 2:
        xs = sorted(set(xs) | {bound})
    pts = [at(x, mb0) for x in xs]
    out.append(Curve("seq_len", xs, [p[0] for p in pts], [p[1] for p in pts], usable, seq0, bound, beyond,
                     {"micro_batch": mb0}, flat=_flat(pts)))

    xs = _powers(mb0, 0, 6, 1, BATCH_LIMIT)
    bound, beyond = _largest(lambda b: at(seq0, b)[0], usable, mb0, BATCH_LIMIT, 1)
    if bound is not None and not beyond and bound not in xs and bound < xs[-1] * 2:
        xs = sorted(set(xs) | {bound})
    pts = [at(seq0, x) for x in xs]
    out.append(Curve("micro_batch", xs, [p[0] for p in pts], [p[1] for p in pts], usable, mb0, bound, beyond,
                     {"seq_len": seq0, "microbatches": M}, flat=_flat(pts)))
    return out


def _flat(pts) -> bool:
    values = [p[0] for p in pts]
    return max(values) - min(values) <= 1e-9 * max(1.0, max(values))


# ----------------------------------------------------------------------- inference

def inference_curves(w: Inference, plan: dict) -> list[Curve]:
    memo: dict[tuple, float] = {}
    ctx0, b0 = int(w.context), int(w.batch)

    def at(context: int, batch: int) -> float:
        key = (context, batch)
        if key not in memo:
            memo[key] = inference_memory(replace(w, context=float(context), batch=batch), limits=False)["total"]
        return memo[key]

    budget = plan["budget_bytes"]
    out = []
    # the boundary is searched on the same re-evaluation the curve plots (the engine's max_context holds
    # the prefill activations at the plan's own context, so it can differ slightly: shown beside it)
    engine_ctx = int(plan["max_context"]) or None
    cap = plan["caps"]["max_context"]
    capped = cap["reached"] and cap["by"] == "max_seq"   # the model's positions, not memory, stop the engine
    if plan["model"]["params"]["exact"]:
        max_ctx, beyond = _largest(lambda c: at(c, b0), budget, ctx0, SEQ_LIMIT, 1)
    else:
        max_ctx, beyond = engine_ctx, False
    top = max(ctx0, max_ctx or 0)
    xs = _powers(ctx0, 4, max(2, math.ceil(math.log2(max(top, 1) / max(ctx0, 1))) + 1), 128, SEQ_LIMIT)
    if max_ctx and not beyond and max_ctx not in xs and xs[0] < max_ctx < xs[-1]:
        xs = sorted(set(xs) | {max_ctx})
    peaks = [at(x, b0) for x in xs]
    out.append(Curve("context", xs, peaks, [None] * len(xs), budget, ctx0, max_ctx, beyond, {"batch": b0},
                     flat=_flat([(p,) for p in peaks]),
                     engine_boundary=engine_ctx if engine_ctx != max_ctx and not capped else None,
                     position_limit=int(cap["limit"]) if capped else None))

    max_b = int(plan["max_batch"]) or None
    top = max(b0, max_b or 0)
    xs = _powers(b0, 0, max(3, math.ceil(math.log2(max(top, 1) / max(b0, 1))) + 1), 1, BATCH_LIMIT)
    if max_b and max_b not in xs and max_b < xs[-1]:
        xs = sorted(set(xs) | {max_b})
    peaks = [at(ctx0, x) for x in xs]
    out.append(Curve("batch", xs, peaks, [None] * len(xs), budget, b0, max_b, False, {"context": ctx0},
                     flat=_flat([(p,) for p in peaks])))
    return out
