"""The engine's entry points: a model's parameters, a workload's plan.

Results are plain dicts in the versioned JSON shape (compiler/schema/result.schema.json),
built from the typed plan (capplan.ir). Every figure under `figures` is a Figure
(capplan.engine.figure) carrying its formula and source, so reports and `capplan explain` show
the derivation.
"""

from __future__ import annotations

from capplan.check import layout_rules
from capplan.check.units import dims_of
from capplan.check.values import Bool, Num, fmt_quantity
from capplan.core import constants as K
from capplan.engine import activations, activations_hf, formats, lifetimes, params as P, schedules, tco
from capplan.engine.blocks import mamba2
from capplan.engine.figure import constant_figure, figure_json as _fig
from capplan.engine.inference import KV_CAPACITY_SOURCE, comm_groups, inference_memory
from capplan.engine.layers import kept_tensors, kind_label, layer_bytes
from capplan.engine.optimizers import OPTIMIZER_STATES
from capplan.engine.serving import serving_time
from capplan.engine.serving_load import replicas, under_load
from capplan.engine.serving_figures import figures_json as sim_figures
from capplan.engine.timing import time_figures, training_time
from capplan.engine.training import GROUPS, training_memory
from capplan.ir.blocks import Mamba2Layer
from capplan.ir.model import Model
from capplan.ir.plan import Inference, Training

INFO = dims_of("information")


def evaluate_model(m: Model) -> dict:
    out = {"name": m.name, "display_name": m.display_name}
    if not m.is_architecture:
        out["params"] = {"total": int(m.params), "active": int(m.params), "components": {},
                         "exact": False}
        return out
    pc = P.count(m)
    out["params"] = {"total": pc.total, "active": pc.active, "components": pc.components(),
                     "exact": True, "formulas": pc.formulas}
    out["architecture"] = {k: (dict(v) if isinstance(v, tuple) else v) for k, v in m.architecture_fields}
    return out


def evaluate_workload(w: Training | Inference) -> dict:
    return _training(w) if w.kind == "training" else _inference(w)


def _base(w: Training | Inference) -> dict:
    hw = w.hardware
    gpu = hw.gpu
    out = {
        "name": w.name, "kind": w.kind, "file": w.span.path, "line": w.span.line,
        "model": evaluate_model(w.model),
        "hardware": {"gpu": gpu.name, "gpu_name": gpu.display_name, "gpus": hw.gpus,
                     "gpus_per_node": hw.per_node, "memory_bytes": gpu.memory,
                     "memory_unit": gpu.memory_unit, "usable_bytes": gpu.usable},
    }
    c = w.framework.calibration
    if c is not None:
        # which constants are fitted to measurements, and to what; a value the plan's framework block
        # states itself wins over the calibration's (that constant is then not calibrated)
        used = dict(w.framework.overrides)
        out["calibration"] = {"name": c.name, "fitted_from": c.fitted_from, "fit_error": c.fit_error,
                              "samples": c.samples,
                              "constants": {k: v for k, v in c.constants if used.get(k) == v}}
    return out


def _training(w: Training) -> dict:
    r = training_memory(w)
    p, prec = w.layout, w.precision
    out = _base(w)
    usable = out["hardware"]["usable_bytes"]
    out["layout"] = {
        "tensor": p.tensor, "pipeline": p.pipeline, "data": p.data, "context": p.context,
        "expert": p.expert, "expert_tensor": p.etp, "zero": p.zero, "fsdp": p.fsdp,
        "distributed_optimizer": p.distributed_optimizer, "sequence_parallel": p.sequence_parallel,
        "schedule": p.schedule, "virtual_stages": p.virtual_stages, "recompute": p.recompute,
        "recompute_modules": list(p.recomputed), "recompute_layers": p.recompute_layers,
        "offload": p.offload, "micro_batch": w.micro_batch, "global_batch": w.global_batch,
        "microbatches": r["microbatches"], "seq_len": int(w.seq_len),
    }
    runtime, basis = layout_rules.runtime_of(w.framework.runtime, w.framework.implementation, p.zero, p.fsdp,
                                          p.distributed_optimizer, p.offload)
    impl, impl_basis = lifetimes.optimizer_impl(w.framework.optimizer_impl, runtime)
    out["framework"] = {"runtime": runtime, "runtime_basis": basis, "implementation": w.framework.implementation,
                        "optimizer_impl": impl, "optimizer_impl_basis": impl_basis}
    states, _src = OPTIMIZER_STATES[w.optimizer]
    out["precision"] = {
        "recipe": prec.name, "weights": formats.name(prec.weights),
        "gradients": formats.name(prec.gradients), "master_weights": formats.name(prec.master_weights),
        "optimizer_states": formats.name(prec.optimizer_states),
        "activations": formats.name(prec.activations), "optimizer": w.optimizer,
        "bytes_per_param": formats.nbytes(prec.weights) + formats.nbytes(prec.gradients)
        + formats.nbytes(prec.master_weights) + states * formats.nbytes(prec.optimizer_states),
    }
    if w.lora is not None:
        adapters = sum(st.adapter_params for st in r["stages"])
        targets = w.lora.targets  # as written: a group, or a list of projections `[q, v]`
        targets = targets if isinstance(targets, str) else "[" + ", ".join(targets) + "]"
        out["precision"]["lora"] = {"rank": w.lora.rank, "targets": targets, "adapter_params": adapters}
        out["precision"]["gradients"] = out["precision"]["optimizer_states"] = "fp32 (adapters only)"
        out["precision"]["bytes_per_param"] = formats.nbytes(prec.weights)
    ranks = []
    for st in r["stages"]:
        mem = st.memory
        device = st.device
        ranks.append({
            "stage": st.index, "layers": len(st.layers), "params": st.params,
            "inflight_microbatches": st.inflight, "memory": mem,
            "activation_bytes": st.phases["forward end"]["activations"],
            "allocated_bytes": st.allocated, "peak_bytes": device,
            "peak_phase": st.phase, "phases": st.phase_totals,
            "fits": device <= usable, "headroom": 1 - device / usable,
        })
        note = _inflight_note(w, st)
        ranks[-1]["inflight_capped_by_microbatches"] = note is not None
        if note is not None:
            ranks[-1]["inflight_note"] = note
    worst = max(ranks, key=lambda x: x["peak_bytes"])
    out["ranks"] = ranks
    out["peak_bytes"] = worst["peak_bytes"]
    out["fits"] = all(x["fits"] for x in ranks)
    out["headroom"] = min(x["headroom"] for x in ranks)
    out["verdict"] = _verdict(out, worst, usable)
    out["figures"] = _training_figures(w, r, worst)
    t = training_time(w, r)
    out["time"] = t
    if "unavailable" not in t:
        out["figures"].update(time_figures(t))
        figs, missing = tco.training_figures(w, t)
        _costs(out, figs, missing)
    out["_env"] = _env(out, extra={
        "step_time": Num(t.get("step_s"), dims_of("time")),
        "tokens_per_s": Num(t.get("tokens_per_s"), dims_of("token/time")),
        "mfu": Num(t.get("mfu")),
        "train_time": Num(t.get("train_s"), dims_of("time")),
        "cost": Num(t.get("cost_usd"), dims_of("currency")),
        "energy": Num(None if t.get("energy_kwh") is None else t["energy_kwh"] * 3.6e6, dims_of("energy")),
    })
    return out


def _costs(out: dict, figs: dict, missing: dict) -> None:
    """The cost figures on each basis (engine/tco.py), and why a basis has none."""
    out["figures"].update(figs)
    if missing:
        out["cost_unavailable"] = dict(sorted(missing.items()))


def _verdict(out: dict, worst: dict, usable: float) -> str:
    where = f"stage {worst['stage']}" if out.get("ranks") and len(out["ranks"]) > 1 else "each GPU"
    unit = out["hardware"]["memory_unit"]
    return (f"{'fits' if out['fits'] else 'does not fit'}: {where} needs "
            f"{fmt_quantity(worst['peak_bytes'], INFO, unit)} of {fmt_quantity(usable, INFO, unit)}")


def _training_figures(w: Training, r: dict, worst: dict) -> dict:
    m = w.model
    figs = {}
    pc = r["params"]
    if pc is not None:
        figs["params.total"] = _fig(pc.total, "param", "; ".join(f"{k}: {v}" for k, v in pc.formulas.items()),
                                    P.SOURCE)
        c = r["context"]
        a = m.attention
        for layer in m.kinds():
            key = "activations.per_layer" + (f".{kind_label(layer)}" if kind_label(layer) else "")
            if key in figs:
                continue
            value, formula = layer_bytes(layer, m.hidden, c)
            kept = [] if c.recompute == "full" else kept_tensors(layer, m.hidden, c)
            terms = [{"name": x.name, "bytes": x.bytes, "formula": x.formula} for x in kept]
            if isinstance(layer, Mamba2Layer):
                source = mamba2.SOURCE
            else:
                source = (activations_hf.OP_SELECTIVE_SOURCE if c.recompute == "selective_op" else
                          activations_hf.SOURCE if c.impl == "transformers" else activations.SOURCE)
            shape = (f"a={a.heads}, k={a.kv_heads}, d={a.head_dim}, " if a is not None else "")
            ffn = getattr(layer, "ffn", None)
            width = getattr(ffn, "ffn", None) or getattr(ffn, "expert_ffn", None)
            shape += f"f={width}, " if width else ""
            part = (f" (the first {w.layout.recompute_layers} layers of each stage's chunk; the others keep what "
                    "recompute=none keeps)" if w.layout.recompute_layers is not None else "")
            figs[key] = _fig(value, "B", f"per micro-batch, recompute={c.recompute}{part}: {formula}", source,
                             derivation=f"s={c.seq:g}, b={c.batch}, h={m.hidden}, {shape}"
                                        f"t={c.tp}, beta={c.beta:g}, rho={c.residual:g}",
                             terms=terms)
    elif w.framework.activation_rule is not None:
        figs["activations.per_layer"] = _fig(
            w.framework.activation_rule * w.seq_len / w.layout.context * w.micro_batch * m.hidden
            / w.layout.tensor, "B", f"{w.framework.activation_rule:g} * s * b * h (rule of thumb)",
            "seed 002 (Zhihu answer 3262812950): 40*SHL")
    figs["inflight.stage0"] = _fig(r["stages"][0].inflight, "microbatch", schedules.INFLIGHT_FORMULA,
                                   schedules.SOURCE, derivation=_inflight_derivation(w, r["stages"][0]))
    figs["runtime.cuda_context"] = constant_figure(K.CUDA_CONTEXT, r["cuda_context"]).as_json()
    figs["runtime.allocator_overhead"] = constant_figure(K.ALLOCATOR_OVERHEAD, r["overhead"]).as_json()
    if r["nccl"]:
        groups = [f"{k} {getattr(w.layout, k)}" for k in GROUPS if getattr(w.layout, k) > 1]
        figs["runtime.nccl"] = _fig(r["nccl"], "B", "nccl_memory x communicators of more than one GPU that a rank "
                                    "joins (tensor, pipeline, data, context, expert groups)", K.NCCL_MEMORY.source,
                                    derivation=f"{', '.join(groups)}: {len(groups)} communicators x "
                                               f"{w.framework.constant(K.NCCL_MEMORY) / 2**30:.4g} GiB = "
                                               f"{r['nccl']:.6g} B")
    for st in r["stages"]:
        for key in ("weights", "gradients", "master_weights", "optimizer_states", "comm_buffers", "activations",
                    "logits", "temporary"):
            formula, source = st.formulas[key]
            figs[f"stage{st.index}.{key}"] = _fig(st.memory[key], "B", formula, source,
                                                  derivation=_derive(w, st, key))
        figs[f"stage{st.index}.peak"] = _fig(
            st.device, "B", "max over phases (forward end, backward start, optimizer step) of the sum of "
            "components, x (1 + allocator overhead) + CUDA context + NCCL communicators",
            "this engine; phases as in PyTorch's training step", derivation=(
                f"peak phase {st.phase}: {st.allocated:.6g} B x (1 + {r['overhead']:g}) + "
                f"{r['cuda_context']:.6g} B" + (f" + {r['nccl']:.6g} B" if r["nccl"] else "")
                + f" = {st.device:.6g} B"))
    return figs


def _inflight_note(w: Training, st) -> str | None:
    """Says so when the step's micro-batches, fewer than the schedule's warm-up, bound a stage's
    in-flight count (Megatron-Core then runs every forward in the warm-up)."""
    p, m = w.layout, w.microbatches
    if not schedules.capped_by_microbatches(p.schedule, p.pipeline, st.index, m, p.chunks):
        return None
    bound = schedules.schedule_inflight(p.schedule, p.pipeline, st.index, p.chunks)
    s = "es" if m != 1 else ""
    if p.chunks == 1:
        name = p.schedule if p.schedule in schedules.SPLIT_BACKWARD else "1F1B"
        return (f"stage {st.index} holds {m} micro-batch{s}: only {m} per step, fewer than the "
                f"{bound:g} the {name} warm-up would hold")
    return (f"stage {st.index} holds {m} micro-batch{s} ({m * p.chunks} model-chunk forwards): only {m} per "
            f"step, fewer than the {bound:g} chunk forwards ({bound / p.chunks:g} micro-batches) the "
            f"interleaved warm-up would hold")


def _inflight_derivation(w: Training, st) -> str:
    p, m, v, i = w.layout, w.microbatches, w.layout.chunks, st.index
    if p.pipeline == 1:
        return "no pipeline: each micro-batch's backward follows its forward"
    if p.schedule == "gpipe" and v == 1:
        return f"GPipe: all {m} micro-batches"
    bound = schedules.schedule_inflight(p.schedule, p.pipeline, i, v)
    if p.schedule in schedules.SPLIT_BACKWARD:
        return f"{p.schedule}, p={p.pipeline}, m={m}: min({bound:g}, {m}) = {st.inflight:g}"
    capped = schedules.capped_by_microbatches(p.schedule, p.pipeline, i, m, v)
    return (f"p={p.pipeline}, i={i}, v={v}, m={m}: min({bound:g}, {m * v}) / {v} = {st.inflight:g}"
            + (" (the micro-batches, not the warm-up, bound it)" if capped else ""))


def _derive(w: Training, st, key: str) -> str:
    """The formula of a stage's component with this plan's numbers substituted."""
    value = st.memory[key]
    if key == "activations":
        per = st.phases["forward end"]["activations"] / st.inflight if st.inflight else 0.0
        shown = "held" if value else "freed by this phase"
        return (f"{st.inflight:g} micro-batches in flight x {per:.6g} B for the stage's {len(st.layers)} layers "
                f"= {st.phases['forward end']['activations']:.6g} B ({shown} at the {st.phase} peak)")
    if key in ("weights", "gradients", "master_weights", "optimizer_states") and st.params:
        return f"{value:.6g} B for {st.params:.6g} parameters on the GPU = {value / st.params:.4g} B/param"
    return f"{value:.6g} B at the {st.phase} peak"




def _env(out: dict, extra: dict) -> dict:
    params = out["model"]["params"]
    env = {
        "fits": Bool(out["fits"]),
        "peak_memory": Num(out["peak_bytes"], INFO),
        "headroom": Num(out["headroom"]),
        "params": Num(float(params["total"]), dims_of("parameter")),
        "active_params": Num(float(params["active"]), dims_of("parameter")),
        "gpus": Num(float(out["hardware"]["gpus"])),
    }
    env.update(extra)
    return env


_TRANSFORMERS_SOURCE = ("transformers 5.23: models/llama/modeling_llama.py, cache_utils.py (DynamicLayer, StaticLayer), "
                        "loss/loss_utils.py; MemTracker measurements in validation/data/inference_recipes.json")
_RECIPE_SOURCE = {True: "vLLM paged attention (Kwon et al. 2023)", False: _TRANSFORMERS_SOURCE}
_PHASE_PEAK = {
    "prefill": "weights + CUDA context (+ NCCL at tensor > 1) + the prefill's activations + the cache then (dynamic: the prompt's; "
               "static: the whole context's)",
    "decode": "weights + CUDA context (+ NCCL at tensor > 1) + the cache of the whole context + the last decode step's transient",
}
_ACTIVATIONS = {
    "paged": "one prefill chunk: tokens x (2h + max(attention, MLP intermediate)) x bytes + logits rows x vocab x "
             "(bytes + 4)",
    "prefill": "the prefill: tokens x (2h + max(attention, 2h + MLP intermediate)) x bytes + rotary tables, or the "
               "sampled logits rows x vocab x (bytes + 4) if larger",
    "forward": "max(the layers' peak: tokens x (2h + max(attention, 2h + MLP intermediate)) x bytes + rotary "
               "tables, after the last layer: tokens x (h x bytes + vocab x (bytes [+ 8 with the loss])))",
    "decode": "the last decode step: the larger of half a layer's cache (torch.cat of the values), eager attention's "
              "keys and values repeated to every head with its scores, the step's activations, the fp32 logits",
}


def _activation_kind(w: Inference, phase: str) -> str:
    if w.mode == "forward":
        return "forward"
    return "paged" if w.cache == "paged" else phase


def _cache_name(w: Inference) -> str | None:
    if w.mode == "forward":
        return "dynamic" if w.use_cache else None
    return w.cache


def _runtime_figures(w: Inference, r: dict) -> dict:
    """The communicators' and CUDA graphs' memory, where the plan has them."""
    figs = {}
    if r["nccl"]:
        n = comm_groups(w.tensor)
        figs["nccl"] = _fig(r["nccl"], "B", "nccl_memory x communicators of more than one GPU that the GPU joins "
                            "(the tensor-parallel group; pipeline stages add none)", K.NCCL_MEMORY.source,
                            derivation=f"tensor = {w.tensor}: {n} communicator x "
                                       f"{w.framework.constant(K.NCCL_MEMORY) / 2**30:.4g} GiB = {r['nccl']:.6g} B")
    if r["cuda_graphs"]:
        figs["cuda_graphs"] = _fig(r["cuda_graphs"], "B", "cuda_graphs per GPU (paged serving captures decode graphs)",
                                   K.CUDA_GRAPHS.source)
    return figs


def _inference(w: Inference) -> dict:
    r = inference_memory(w)
    out = _base(w)
    out["layout"] = {"tensor": w.tensor, "pipeline": w.pipeline, "batch": w.batch,
                     "context": int(w.context), "memory_utilization": w.memory_utilization}
    out["recipe"] = {"mode": w.mode, "cache": _cache_name(w), "peak_phase": r["peak_phase"],
                     "kv_cache_final": r["kv_cache_final"]}
    if w.mode == "forward":
        out["recipe"]["loss"] = w.loss
    if r["phase_peaks"]:
        out["recipe"]["phase_peaks"] = r["phase_peaks"]
    out["precision"] = {"weights": formats.name(r["weights_format"]), "kv_cache": formats.name(r["kv_format"]),
                        "activations": r["dense_format"],
                        "weight_bits": formats.bits(r["weights_format"])}
    mem = {"weights": r["weights"], "kv_cache": r["kv_cache"], "activations": r["activations"],
           "cuda_context": r["cuda_context"]}
    mem.update({k: r[k] for k in ("nccl", "cuda_graphs") if r[k]})  # only where the plan has them
    out["memory"] = mem
    out["peak_bytes"] = r["total"]
    out["budget_bytes"] = r["budget"]
    out["fits"] = r["fits"]
    out["headroom"] = 1 - r["total"] / r["usable"]
    out["max_batch"] = r["max_batch"]
    out["max_context"] = r["max_context"]
    out["kv_capacity"] = r["kv_capacity"]
    out["caps"] = r["caps"]
    unit = out["hardware"]["memory_unit"]
    out["verdict"] = (f"{'fits' if r['fits'] else 'does not fit'}: each GPU needs "
                      f"{fmt_quantity(r['total'], INFO, unit)} of a "
                      f"{fmt_quantity(r['budget'], INFO, unit)} budget "
                      f"({w.memory_utilization:.0%} of {fmt_quantity(r['usable'], INFO, unit)})")
    out["figures"] = {
        "weights": _fig(r["weights"], "B", r["weights_formula"], formats.SOURCE),
        "kv_cache": _fig(r["kv_cache"], "B", "batch x layers x 2 x kv_heads/t x head_dim x "
                         + ("ceil(context/block)*block" if r["chunk"] is not None else
                            "tokens cached at the peak (the prompt in a forward pass or a dynamic cache's prefill, "
                            "else the context)")
                         + " x bytes(kv) (MLA: layers x (kv_lora_rank + "
                         "qk_rope_head_dim) x tokens; sliding-window layers cap tokens at the window)",
                         "vLLM paged attention (Kwon et al. 2023); DeepSeek-V2 (arXiv:2405.04434) sec. 2.1"),
        "activations": _fig(r["activations"], "B", _ACTIVATIONS[_activation_kind(w, r["peak_phase"])],
                            K.PREFILL_CHUNK_TOKENS.source if w.cache == "paged" and w.mode == "generate"
                            else _TRANSFORMERS_SOURCE),
        "cuda_context": constant_figure(K.CUDA_CONTEXT, r["cuda_context"]).as_json(),
        **_runtime_figures(w, r),
        "block": _fig(r["block"], "token", "paged KV block" if r["chunk"] is not None else
                      "transformers' caches are not paged: one token", K.KV_BLOCK_TOKENS.source),
        "kv_capacity.blocks": _fig(r["kv_capacity"]["blocks"], "", "floor((budget - weights - activations - "
                                   "CUDA context - NCCL - CUDA graphs - batch x fixed state) / (block x KV bytes "
                                   "per token))",
                                   KV_CAPACITY_SOURCE),
        "kv_capacity.tokens": _fig(r["kv_capacity"]["tokens"], "token", "blocks x block", KV_CAPACITY_SOURCE),
        "recipe.kv_cache_final": _fig(r["kv_cache_final"], "B", "the KV cache when the last token is in: as "
                                      "kv_cache, at the whole context", _RECIPE_SOURCE[w.mode == "generate"
                                                                                     and w.cache == "paged"]),
    }
    for phase, value in r["phase_peaks"].items():
        out["figures"][f"recipe.phase_peaks.{phase}"] = _fig(value, "B", _PHASE_PEAK[phase], _TRANSFORMERS_SOURCE)
    sv = serving_time(w, r)
    out["serving"] = sv
    load = under_load(w, r) if "unavailable" not in sv else None
    if load is not None:
        sv["load"] = load
        if "unavailable" not in load:
            out["figures"].update({k: v for k, v in sim_figures(load).items() if v.get("value") is not None})
    if "unavailable" not in sv and w.requests:
        simulated = load is not None and "unavailable" not in load
        n = replicas(w.requests, load["max_requests_per_s"] if simulated else sv.get("best_requests_per_s"))
        sv["replicas_basis"] = ("the simulated rate one replica serves within the targets" if simulated else
                                "the closed-form best batch (no request shape to simulate)")
        if n is None:
            sv["replicas_unavailable"] = "one replica serves no request rate within the targets"
        else:
            sv["replicas"] = n
            sv["gpus_total"] = n * w.hardware.gpus
    if "unavailable" not in sv:
        figs, missing = tco.serving_figures(w, sv.get("gpus_total") or w.hardware.gpus)
        _costs(out, figs, missing)
    done = load if load is not None and "unavailable" not in load else {}
    out["_env"] = _env(out, {
        "ttft": Num(sv.get("ttft_s"), dims_of("time")),
        "tpot": Num(sv.get("tpot_s"), dims_of("time")),
        "tokens_per_s": Num(sv.get("tokens_per_s"), dims_of("token/time")),
        "cost_per_mtok": Num(sv.get("cost_per_mtok_usd"), dims_of("currency")),
        "replicas": Num(None if sv.get("replicas") is None else float(sv["replicas"])),
        "ttft_p50": Num(done.get("ttft_p50_s"), dims_of("time")),
        "ttft_p99": Num(done.get("ttft_p99_s"), dims_of("time")),
        "tpot_p50": Num(done.get("tpot_p50_s"), dims_of("time")),
        "tpot_p99": Num(done.get("tpot_p99_s"), dims_of("time")),
        "load_tokens_per_s": Num(done.get("output_tokens_per_s"), dims_of("token/time")),
        "max_request_rate": Num(done.get("max_requests_per_s"), dims_of("request/time")),
        "kv_cache": Num(r["kv_cache"], INFO),
        "max_batch": Num(float(r["max_batch"])),
        "max_context": Num(float(r["max_context"]), dims_of("token")),
        "kv_tokens": Num(float(r["kv_capacity"]["tokens"]), dims_of("token")),
        "kv_blocks": Num(float(r["kv_capacity"]["blocks"])),
    })
    return out
