"""Fitting capplan's named constants to measurements of the plan they describe.

The engine is the model: a constant is fitted by evaluating the plan again with the constant
overridden (capplan.engine.evaluate.evaluate_workload on the typed plan, no recompilation) until the
figure the log measured equals the measurement (bisection; the figures are monotone in the
efficiencies they depend on). A constant the log measures directly (a profiler's achieved GEMM
throughput, nccl-tests' small-message latency) is computed, not searched. Whatever the engine's
time model becomes, the fit stays true to it: it asks the engine, it does not copy its formulas.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace

from capplan.core import constants as K
from capplan.engine.evaluate import evaluate_workload
from capplan.engine.inference import inference_memory
from capplan.engine.serving_sim import Workload, request_ttfts, simulate
from capplan.ir.plan import Inference, Training


class FitError(ValueError):
    """The measurement cannot be matched by this plan; str() says why and what to check."""


@dataclass(frozen=True)
class Fit:
    constant: str
    value: float
    error: float | None          # median |measured - fitted| / measured over the samples
    samples: int
    what: str                    # the measurement, in words (for `fitted_from`)
    spread: tuple[float, float] | None = None   # step time: 10th percentile below, 90th above the median


# the figure of the engine's JSON a measurement compares with: (path, words)
FIGURES = {
    "step_s": (("time", "step_s"), "time per step"),
    "ttft_s": (("serving", "ttft_s"), "time to first token"),
    "tpot_s": (("serving", "tpot_s"), "time per output token"),
}


def with_constant(w: Training | Inference, name: str, value: float) -> Training | Inference:
    """The plan with one constant overridden (the other overrides kept)."""
    fw = w.framework
    overrides = tuple(sorted({**dict(fw.overrides), name: value}.items()))
    return replace(w, framework=replace(fw, overrides=overrides))


# a serving benchmark's figure under its own load: the simulation's median (engine/serving_sim.py `figures`)
SIMULATED = {"ttft_s": "ttft_p50_s", "tpot_s": "tpot_p50_s"}


def figure(w: Training | Inference, key: str, load: Workload | None = None) -> float | None:
    """The plan's figure `key`: the evaluated plan's, or with `load` (a serving_sim.Workload) the median of
    the plan's replica simulated serving that load."""
    if load is not None:
        value = simulate(w, inference_memory(w), load).get(SIMULATED[key])
        return float(value) if isinstance(value, (int, float)) and value == value and value > 0 else None
    out = evaluate_workload(w)
    path, _ = FIGURES[key]
    node = out
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return float(node) if isinstance(node, (int, float)) and node > 0 else None


def fit_to_figure(w: Training | Inference, const: K.Constant, key: str, measured: list[float],
                  samples: int | None = None, lo: float = 0.01, hi: float = 1.0,
                  load: Workload | None = None) -> Fit:
    """The value of `const` in [lo, hi] at which the plan's figure `key` (under `load`, see `figure`)
    equals the median measurement."""
    if not measured:
        raise FitError("no measurement to fit")
    target = statistics.median(measured)
    words = FIGURES[key][1]
    fitted = _bisect(w, const, target, lambda v: figure(v, key, load), lo, hi, words, _s)
    predicted = figure(with_constant(w, const.name, fitted), key, load)
    error = statistics.median(abs(m - predicted) / m for m in measured)
    n = samples or len(measured)
    return Fit(const.name, fitted, error, n, f"{words} median {_s(target)} over {n} samples")


def _bisect(w, const: K.Constant, target: float, value_of, lo: float, hi: float, words: str, shown) -> float:
    """The value of `const` in [lo, hi] at which value_of(plan with it) equals `target` (value_of monotone in
    it); FitError where no value in the range reaches the target."""
    at_lo, at_hi = value_of(with_constant(w, const.name, lo)), value_of(with_constant(w, const.name, hi))
    if at_lo is None or at_hi is None:
        raise FitError(f"the plan has no {words} to compare with (see `capplan eval`: it says why)")
    low, high = sorted((at_lo, at_hi))
    if not low <= target <= high:
        side = "faster" if target < low else "slower"
        raise FitError(f"the measured {words} ({shown(target)}) is {side} than this plan allows for any "
                       f"{const.name} in [{lo:g}, {hi:g}] ({shown(low)} to {shown(high)}): check that the plan "
                       "describes the run (layout, batch, sequence length, GPU) and that the log is from steady "
                       "state")
    a, b = lo, hi
    decreasing = at_lo > at_hi
    for _ in range(60):
        mid = (a + b) / 2
        if (value_of(with_constant(w, const.name, mid)) > target) == decreasing:
            a = mid
        else:
            b = mid
        if b - a <= 1e-7 * max(mid, 1e-9):
            break
    return (a + b) / 2


def ttft_line(pairs) -> tuple[float, float]:
    """(intercept in s, slope in s per prompt token) of the least-squares line through (prompt tokens, TTFT)."""
    xs, ys = [float(x) for x, _ in pairs], [float(y) for _, y in pairs]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    return my - slope * mx, slope


# the two parts of the line through a benchmark's (prompt, TTFT) pairs and the constant each one fits: the
# time each token of a prompt adds is prefill's (the matmul rate), the time a request takes whatever its
# length is the front end's (receiving, tokenising, scheduling: request_overhead)
LINE_PARTS = {"slope": (K.SERVING_MATMUL_EFFICIENCY, "prefill time per prompt token", 1),
              "intercept": (K.REQUEST_OVERHEAD, "time to first token at no prompt", 0)}


def fit_ttft_line(w: Inference, part: str, measured: list[tuple[int, float]], load: Workload,
                  lo: float, hi: float) -> Fit:
    """The constant of `part` (LINE_PARTS) at which the simulated requests' (prompt, TTFT) line under `load`
    has the measured line's slope or intercept; `measured` is each completed request's (prompt tokens, TTFT),
    in the order `load.lengths` lists them."""
    const, words, index = LINE_PARTS[part]
    target = ttft_line(measured)[index]

    def value_of(v):
        sim = simulated_ttfts(v, load)
        return ttft_line(sim)[index] if sim else None

    shown = (lambda x: f"{x * 1e6:.4g} us per token") if part == "slope" else _s
    fitted = _bisect(w, const, target, value_of, lo, hi, words, shown)
    sim = simulated_ttfts(with_constant(w, const.name, fitted), load)
    error = statistics.median(abs(m - p) / m for (_, m), (_, p) in zip(measured, sim)) if sim else None
    return Fit(const.name, fitted, error, len(measured),
               f"the {words} ({shown(target)}) of the line through {len(measured)} requests' (prompt, time to first "
               "token)")


def simulated_ttfts(w: Inference, load: Workload) -> list[tuple[int, float]] | None:
    """Each simulated request's (prompt tokens, TTFT) under `load`; None where the plan cannot be simulated."""
    out = request_ttfts(w, inference_memory(w), load)
    return None if isinstance(out, str) else out


def direct(const: K.Constant, value: float, what: str, samples: int, lo: float = 0.0,
           hi: float = float("inf")) -> Fit:
    """A constant the log measures directly, checked against its meaningful range."""
    if not lo < value <= hi:
        raise FitError(f"{const.name} from the measurement is {value:.4g}, outside ({lo:g}, {hi:g}]: "
                       "check the GPU and precision the plan states")
    return Fit(const.name, value, None, samples, what)


def _s(seconds: float) -> str:
    return f"{seconds * 1e3:.4g} ms" if seconds < 10 else f"{seconds:.4g} s"
