"""Peak memory of training steps by AdamW implementation, at the first step and in the steady state.

torch.optim.AdamW runs one of three implementations (torch 2.13, torch/optim/adam.py):
``foreach=False`` -> ``_single_tensor_adam`` (a Python loop over the parameters),
``foreach=True`` -> ``_multi_tensor_adam`` (``torch._foreach_*`` over all parameters of a
device/dtype group), ``fused=True`` -> ``_fused_adam`` (one ``torch._fused_adamw_`` kernel).  They
allocate different temporaries during ``optimizer.step()``.  The optimizer's state (exp_avg,
exp_avg_sq, step) is created lazily inside the first ``step()`` (``Adam._init_group``), so the first
iteration's forward and backward run without it.

Each run is ``measure_peak_memory.train_run`` (two iterations under FakeTensorMode, tracked by
MemTracker, which records the peak total inside each phase).  From its per-phase peaks this script
records the first-step peak (the largest of the iter1.* phases), the steady-state peak (iter2.*)
and the phase in which each falls.  A fake-vs-real cross-check runs the smallest case with real
CPU tensors too.

Run from the repository root:

    /work/.venv-val/bin/python validation/measure_optimizer_recipes.py

Writes validation/data/optimizer_recipes.json (sorted keys, indent 1).
"""

from __future__ import annotations

import itertools
import sys
import traceback
from typing import Any

import torch

import _provenance
from measure_peak_memory import LLAMA, LLAMA_SMALL, OPTIM_ARGS, RECIPES, train_run

SCRIPT = "validation/measure_optimizer_recipes.py"
LLAMA_SMALL_TIED = dict(LLAMA_SMALL, tie_word_embeddings=True)
CASES = [  # (arch, config, [(micro-batch, seq)], gradient checkpointing values)
    ("llama", LLAMA, [(2, 1024), (1, 4096)], [False, True]),
    ("llama_small", LLAMA_SMALL, [(2, 512)], [False]),
    ("llama_small_tied", LLAMA_SMALL_TIED, [(2, 512)], [False]),
]
OPTIMS = ["for_loop", "foreach", "fused"]


def iteration_peak(run: dict[str, Any], it: int) -> dict[str, Any]:
    """The largest per-phase peak of iteration `it`, the phase it falls in, and its categories."""
    phases = {k: v for k, v in run["per_phase_peaks"].items() if k.startswith(f"iter{it}.")}
    phase = max(phases, key=lambda k: phases[k]["total"])
    return {"peak_bytes": phases[phase]["total"], "phase": phase.split(".", 1)[1],
            "by_category": phases[phase]["snapshot"],
            "phase_totals": {k.split(".", 1)[1]: v["total"] for k, v in sorted(phases.items())}}


def summarize(run: dict[str, Any], optim: str) -> dict[str, Any]:
    out = {k: run[k] for k in ("arch", "tensor_mode", "config", "num_params", "micro_batch", "seq", "recipe",
                               "param_dtype", "optimizer", "optimizer_state_dtypes", "gradient_checkpointing",
                               "attn_implementation", "peak_bytes", "peak_phase", "wall_seconds")}
    out["optimizer_impl"] = optim
    out["first_step"] = iteration_peak(run, 1)
    out["steady_state"] = iteration_peak(run, 2)
    return out


def main() -> None:
    runs: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []

    def attempt(tag: str, arch: str, cfg: dict, mb: int, seq: int, recipe: str, optim: str, ckpt: bool,
                fake: bool) -> dict[str, Any] | None:
        try:
            r = summarize(train_run(arch, cfg, mb, seq, recipe, optim, ckpt, "sdpa", fake), optim)
        except Exception as exc:  # noqa: BLE001
            failures.append({"run_id": tag, "error": f"{type(exc).__name__}: {exc}",
                             "traceback_tail": traceback.format_exc().splitlines()[-3:]})
            print(f"{tag}: FAILED {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            return None
        r["run_id"] = tag
        runs.append(r)
        print(f"{tag:80s} step1={r['first_step']['peak_bytes']:>14,d} ({r['first_step']['phase']}) "
              f"step2={r['steady_state']['peak_bytes']:>14,d} ({r['steady_state']['phase']}) "
              f"({r['wall_seconds']}s)", flush=True)
        return r

    for arch, cfg, shapes, ckpts in CASES:
        for (mb, seq), recipe, optim, ckpt in itertools.product(shapes, RECIPES, OPTIMS, ckpts):
            attempt(f"train {arch} mb={mb} seq={seq} {recipe} {optim} ckpt={ckpt} sdpa fake",
                    arch, cfg, mb, seq, recipe, optim, ckpt, True)

    cross = []
    for recipe in RECIPES:
        pair = {}
        for fake in (True, False):
            r = attempt(f"crosscheck llama_small mb=2 seq=512 {recipe} for_loop ckpt=False sdpa "
                        f"{'fake' if fake else 'REAL'}", "llama_small", LLAMA_SMALL, 2, 512, recipe, "for_loop",
                        False, fake)
            pair["fake" if fake else "real"] = None if r is None else {
                "first_step": r["first_step"]["by_category"], "steady_state": r["steady_state"]["by_category"]}
        if pair.get("fake") and pair.get("real"):
            pair["identical"] = pair["fake"] == pair["real"]
        cross.append({"arch": "llama_small", "recipe": recipe, "optimizer_impl": "for_loop", **pair})

    payload = {
        "provenance": _provenance.provenance(SCRIPT),
        "method": {
            "run": "measure_peak_memory.train_run: 2 iterations of forward(input_ids, labels=input_ids) -> "
                   "loss.backward() -> opt.step() -> opt.zero_grad(set_to_none=True) under FakeTensorMode, "
                   "tracked by MemTracker (see validation/data/peak_memory.json's method)",
            "optimizers": {k: f"torch.optim.{v}, lr=1e-4, other arguments at their defaults (weight_decay=0.01)"
                           for k, v in OPTIM_ARGS.items()},
            "first_step": "iteration 1: the optimizer's states are created inside its step() "
                          "(Adam._init_group: exp_avg, exp_avg_sq = zeros_like(param), step = a 0-d fp32 tensor); "
                          "first_step.peak_bytes is the largest per-phase peak of iteration 1",
            "steady_state": "iteration 2: the states exist from the start; steady_state.peak_bytes is the largest "
                            "per-phase peak of iteration 2",
            "phase": "forward | backward | optimizer_step | zero_grad: the phase whose peak is the iteration's",
            "categories": "MemTracker's: Parameter, Buffer, Gradient, Activation, Temp, Optstate (the states and "
                          "everything allocated inside step()), Other (input_ids)",
        },
        "runs": runs,
        "failures": failures,
        "fake_vs_real_crosscheck": cross,
    }
    out = _provenance.data_path("optimizer_recipes.json")
    _provenance.write_json(out, payload)
    print("wrote", out)


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
