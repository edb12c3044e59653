"""What a GPU-hour costs on three bases, and what a plan costs on each.

- on demand: the price per GPU-hour of the plan's cluster, else its GPU (the catalog's, cited there);
- reserved: that price less a 1-year commitment's discount (`reserved_discount`);
- owned: the purchase price per GPU (the catalog's `purchase_price`, its server share included) spread
  straight-line over `depreciation` and divided by `owned_utilization`, plus electricity at the plan's draw
  (board power x `system_power` x `pue` x `electricity_price`), plus `colocation` / `owned_utilization`.

Every constant is named in capplan.core.constants and overridable in a spec's `framework` block. A GPU
without a price or a purchase price gets a reason instead of a number: nothing is invented. The owned
break-even is the months of use after which buying has cost less than renting on demand:
purchase price / (utilization x (on-demand price - electricity) - colocation) per hour, over 730 hours a month.
"""

from __future__ import annotations

from capplan.core import constants as K
from capplan.engine.figure import figure_json
from capplan.ir.plan import Framework, Gpu, Inference, Training

HOURS_PER_MONTH = 730.0          # 8,760 hours a year / 12
BASES = ("on_demand", "reserved", "owned")
OWNED_FORMULA = ("purchase price / (depreciation x owned_utilization) + board power x system_power x pue x "
                 "electricity_price + colocation / owned_utilization")
BREAK_EVEN_FORMULA = ("purchase price / (owned_utilization x (on-demand price - electricity per GPU-hour) - "
                      "colocation), in months of 730 hours")


def _source(*consts) -> str:
    return "; ".join(f"{c.name}: {c.source}" for c in consts)


OWNED_SOURCE = ("the GPU's `purchase_price` (catalog, cited on its line); the named constants depreciation (Amazon "
                "10-K 2024: 5 years), owned_utilization (assumption), system_power (NVIDIA DGX H100 data sheet), pue, "
                "electricity_price (EIA, 2023 US industrial average) and colocation (not counted unless given); "
                "each constant's full source: `capplan explain training` (framework fields) or the report's assumptions")


def rates(w: Training | Inference) -> dict:
    """USD per GPU-hour on each basis for the plan's hardware (see gpu_rates)."""
    return gpu_rates(w.hardware.gpu, w.hardware.price, w.framework)


def gpu_rates(gpu: Gpu, price: float | None, fw: Framework) -> dict:
    """USD per GPU-hour on each basis for `gpu` at `price` (USD per GPU-second, on demand), its parts, and the
    owned break-even; `unavailable` names the bases that could not be priced and why."""
    out: dict = {"unavailable": {}}
    if price:
        out["on_demand"] = price * 3600
        out["reserved"] = out["on_demand"] * (1 - fw.constant(K.RESERVED_DISCOUNT))
    else:
        why = f"no price per GPU-hour for GPU {gpu.name}"
        out["unavailable"].update(on_demand=why, reserved=why)
    if not gpu.purchase_price:
        out["unavailable"]["owned"] = f"no purchase price in the catalog for GPU {gpu.name}"
    elif not gpu.power:
        out["unavailable"]["owned"] = f"no board power in the catalog for GPU {gpu.name}"
    else:
        use = fw.constant(K.OWNED_UTILIZATION) or 1.0
        hours = fw.constant(K.DEPRECIATION) / 3600
        draw = gpu.power * fw.constant(K.SYSTEM_POWER) * fw.constant(K.PUE)           # W at the wall per GPU
        parts = {"capital": gpu.purchase_price / (hours * use),
                 "electricity": draw * 3600 * fw.constant(K.ELECTRICITY_PRICE),      # J per hour x USD/J
                 "colocation": fw.constant(K.COLOCATION) * 3600 / use}
        out["owned"] = sum(parts.values())
        out["owned_parts"] = parts
        out["draw_w"] = draw
        if "on_demand" in out:
            margin = use * (out["on_demand"] - parts["electricity"]) - fw.constant(K.COLOCATION) * 3600
            if margin > 0:
                out["break_even_months"] = gpu.purchase_price / margin / HOURS_PER_MONTH
            else:
                out["unavailable"]["break_even"] = "owning never costs less than renting on demand"
    return out


def _rate_figures(w, r: dict) -> dict:
    gpu, fw = w.hardware.gpu, w.framework
    figs = {}
    if "on_demand" in r:
        figs["cost.rate.on_demand"] = figure_json(r["on_demand"], "USD", "price per GPU-hour (the cluster's, else "
                                                  "the GPU's)", "the spec's or catalog's price, cited on its line")
        figs["cost.rate.reserved"] = figure_json(
            r["reserved"], "USD", "on-demand price per GPU-hour x (1 - reserved_discount)",
            _source(K.RESERVED_DISCOUNT),
            derivation=f"{r['on_demand']:.4g} x (1 - {fw.constant(K.RESERVED_DISCOUNT):g}) = {r['reserved']:.4g} USD")
    if "owned" in r:
        p = r["owned_parts"]
        figs["cost.rate.owned"] = figure_json(r["owned"], "USD", "per GPU-hour: " + OWNED_FORMULA, OWNED_SOURCE,
                                              derivation=(
            f"{gpu.purchase_price:.6g} / ({fw.constant(K.DEPRECIATION) / 3600:.6g} h x "
            f"{fw.constant(K.OWNED_UTILIZATION):g}) + {gpu.power:g} W x {fw.constant(K.SYSTEM_POWER):.3g} x "
            f"{fw.constant(K.PUE):g} x {fw.constant(K.ELECTRICITY_PRICE) * 3.6e6:.4g} USD/kWh + "
            f"{fw.constant(K.COLOCATION) * 3600:.4g} / {fw.constant(K.OWNED_UTILIZATION):g} = "
            f"{p['capital']:.4g} + {p['electricity']:.4g} + {p['colocation']:.4g} = {r['owned']:.4g} USD"))
    if "break_even_months" in r:
        figs["cost.owned.break_even"] = figure_json(
            r["break_even_months"], "month", BREAK_EVEN_FORMULA, OWNED_SOURCE,
            derivation=(f"{gpu.purchase_price:.6g} / ({fw.constant(K.OWNED_UTILIZATION):g} x "
                        f"({r['on_demand']:.4g} - {r['owned_parts']['electricity']:.4g}) - "
                        f"{fw.constant(K.COLOCATION) * 3600:.4g}) / 730 = {r['break_even_months']:.3g} months"))
    return figs


def training_figures(w: Training, t: dict) -> tuple[dict, dict]:
    """The cost to train on each basis (GPU-hours x rate), with the rates; and the reasons for missing bases."""
    r = rates(w)
    figs = _rate_figures(w, r)
    hours = t.get("gpu_hours")
    if hours:
        for basis in ("reserved", "owned"):
            if basis in r:
                figs[f"cost.train.{basis}"] = figure_json(
                    hours * r[basis], "USD", f"GPU-hours x {basis.replace('_', '-')} price per GPU-hour",
                    "the rate: cost.rate." + basis, derivation=f"{hours:.6g} GPU-h x {r[basis]:.4g} USD = "
                                                              f"{hours * r[basis]:.6g} USD")
    return figs, r["unavailable"]


def serving_figures(w: Inference, gpus: int) -> tuple[dict, dict]:
    """A serving fleet of `gpus` GPUs running all month on each basis, with the rates; and the reasons for
    missing bases."""
    r = rates(w)
    figs = _rate_figures(w, r)
    for basis in BASES:
        if basis in r:
            month = gpus * HOURS_PER_MONTH * r[basis]
            figs[f"cost.month.{basis}"] = figure_json(
                month, "USD", f"GPUs of the fleet (all replicas) x 730 h x {basis.replace('_', '-')} price per "
                              "GPU-hour", "the rate: cost.rate." + basis,
                derivation=f"{gpus} x 730 h x {r[basis]:.4g} USD = {month:.6g} USD")
    return figs, r["unavailable"]


def option_costs(gpu: Gpu, fw: Framework, gpu_hours: float | None = None, gpus: int | None = None) -> dict:
    """A goal option's cost on the reserved and owned bases (training: `gpu_hours` to train; serving: a fleet of
    `gpus` per hour), and the owned break-even, as keys of the option's JSON."""
    r = gpu_rates(gpu, gpu.price, fw)
    out = {}
    for basis in ("reserved", "owned"):
        if basis in r:
            if gpu_hours is not None:
                out[f"cost_{basis}_usd"] = gpu_hours * r[basis]
            if gpus is not None:
                out[f"cost_per_hour_{basis}_usd"] = gpus * r[basis]
    if "break_even_months" in r:
        out["owned_break_even_months"] = r["break_even_months"]
    if "owned" in r["unavailable"]:
        out["owned_unavailable"] = r["unavailable"]["owned"]
    return out
