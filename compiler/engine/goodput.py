"""Goodput of a long training run: checkpoints, interruptions and restarts.

A synchronous job on N GPUs stops whenever one of them (or its host, link or software) fails.
Interruptions arrive at random, on average every M = interruption_interval / N (the per-GPU
interval: Llama 3's 54-day snapshot, `core/constants.py`). The job saves a checkpoint every
tau seconds of training; a save takes C = checkpoint bytes / (checkpoint_bandwidth x N), every GPU
writing its share at once. Each interruption costs the restart R plus, on average, the half
interval of work done since the last checkpoint. The share of wall-clock time lost is, to first
order (Young 1974, "A first order approximation to the optimum checkpoint interval", CACM 17(9);
Daly 2006, FGCS 22(3)):

    waste(tau) = C / tau + (R + tau / 2) / M,   minimised by tau = sqrt(2 C M)   (Young's interval)
    goodput    = 1 - waste,                     wall time = time to train / goodput

(the "effective training time ratio" of Kokolis et al. 2024, arXiv:2410.21680, which Llama 3
reports as above 90% for its 16,384-GPU run). The model is first order: it holds while
C and R are small beside M; a plan where the waste reaches 1 makes no progress and says so.
"""

from __future__ import annotations

import math

from capplan.core import constants as K
from capplan.engine.formats import nbytes
from capplan.engine.optimizers import lora_adapter_params, optimizer_state_bytes
from capplan.ir.plan import Training

SOURCE = ("Young 1974 (CACM 17(9), optimum checkpoint interval sqrt(2 C M)); Daly 2006 (FGCS 22(3)); "
          "effective training time ratio: Kokolis et al. 2024 (arXiv:2410.21680)")
FORMULA = ("1 - (C / tau + (R + tau / 2) / M), tau = sqrt(2 C M): C = checkpoint bytes / (checkpoint_bandwidth "
           "x GPUs), M = interruption_interval / GPUs, R = restart_time")


def checkpoint_bytes(w: Training, params: float) -> tuple[float, str]:
    """Bytes of one checkpoint: the trained parameters with their master copy and optimizer states (a LoRA
    run saves its adapters only; the frozen base is not saved)."""
    prec = w.precision
    trained = params
    if w.lora is not None and w.model.is_architecture:
        layers = w.model.depth
        trained = lora_adapter_params(w.model, w.lora.rank, w.lora.targets) * layers
        per = 4.0 + optimizer_state_bytes(w, 1.0, None)[0] / nbytes(prec.optimizer_states) * 4.0
        return trained * per, "adapter params x (4 B fp32 weights + fp32 optimizer states)"
    master = nbytes(prec.master_weights) if prec.master_weights.name != "none" else 0.0
    states, states_formula = optimizer_state_bytes(w, 1.0, None)
    per = nbytes(prec.weights) + master + states
    return trained * per, (f"params x ({nbytes(prec.weights):g} B weights + {master:g} B master + "
                           f"{states_formula} optimizer states)")


def goodput(w: Training, train_s: float, params: float) -> dict:
    """Expected wall time of a run of `train_s` seconds of training on the plan's GPUs, with
    checkpoints at Young's interval, interruptions and restarts; or the reason it is unavailable."""
    fw, gpus = w.framework, w.hardware.gpus
    interval, bandwidth = fw.constant(K.INTERRUPTION_INTERVAL), fw.constant(K.CHECKPOINT_BANDWIDTH)
    restart = fw.constant(K.RESTART_TIME)
    if interval <= 0 or bandwidth <= 0:
        return {"unavailable": "interruption_interval and checkpoint_bandwidth must be above 0"}
    state, state_formula = checkpoint_bytes(w, params)
    mtbf = interval / gpus
    save = state / (bandwidth * gpus)
    tau = math.sqrt(2 * save * mtbf)
    waste = (save / tau if tau else 0.0) + (restart + tau / 2) / mtbf
    out = {"checkpoint_bytes": state, "checkpoint_formula": state_formula, "checkpoint_save_s": save,
           "checkpoint_interval_s": tau, "job_interruption_interval_s": mtbf, "restart_s": restart,
           "waste": waste}
    if waste >= 1:
        out["unavailable"] = (f"no progress: with an interruption every {mtbf / 60:.3g} min on {gpus:,} GPUs, "
                              f"restarts ({restart / 60:.3g} min) and redone work take all the time")
        return out
    wall = train_s / (1 - waste)
    out.update({"goodput": 1 - waste, "train_s": wall, "lost_s": wall - train_s,
                "interruptions": wall / mtbf, "checkpoints": train_s / tau if tau else 0.0})
    return out
