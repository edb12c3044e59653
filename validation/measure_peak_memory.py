"""Peak memory of full training steps (and of inference) measured with MemTracker under FakeTensorMode.

``torch.distributed._tools.mem_tracker.MemTracker`` is a TorchDispatchMode that follows every tensor
storage and classifies it as Parameter, Buffer, Gradient, Activation, Temp (tensors created during
backward that are not gradients, e.g. activation gradients), Optstate, Other (``track_external``
tensors such as the input ids).  Under ``FakeTensorMode`` no memory is allocated, so realistic sizes
(Llama-style hidden 2048, 16 layers, seq up to 4096) cost nothing; on CPU MemTracker counts exact
storage bytes (no allocator rounding -- it only rounds to 512 B blocks for CUDA devices).

For every training run: two iterations of forward + loss + backward + optimizer.step() +
optimizer.zero_grad(set_to_none=True) with AdamW (foreach=True, and separately fused=True).  The
tracker is subclassed only to remember *when* the running peak was set (phase + active modules)
and the per-phase peaks; all accounting is MemTracker's own.

Cases that cannot run under FakeTensorMode (MoE with autocast: see ``fallbacks``) are run with real
small CPU tensors instead, and marked ``tensor_mode: "real"``.  A fake-vs-real cross-check on a small
Llama and a small Mixtral validates the fake measurements.

Run from the repository root:

    /work/.venv-val/bin/python validation/measure_peak_memory.py

Writes validation/data/peak_memory.json (sorted keys, indent 1).
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import sys
import time
import traceback
from typing import Any

import torch
from torch._subclasses.fake_tensor import FakeTensorMode
from torch.distributed._tools.mem_tracker import MemTracker

import _provenance

SCRIPT = "validation/measure_peak_memory.py"
VOCAB = 32000

LLAMA = dict(model_type="llama", vocab_size=VOCAB, hidden_size=2048, intermediate_size=5632, num_hidden_layers=16,
             num_attention_heads=16, num_key_value_heads=4, max_position_embeddings=4096, attention_dropout=0.0,
             rms_norm_eps=1e-5, tie_word_embeddings=False, rope_theta=10000.0, pad_token_id=None, bos_token_id=1,
             eos_token_id=2)
MIXTRAL = dict(model_type="mixtral", vocab_size=VOCAB, hidden_size=1024, intermediate_size=3584, num_hidden_layers=8,
               num_attention_heads=16, num_key_value_heads=4, max_position_embeddings=4096, attention_dropout=0.0,
               num_local_experts=8, num_experts_per_tok=2, router_jitter_noise=0.0, sliding_window=None,
               output_router_logits=False, rms_norm_eps=1e-5, tie_word_embeddings=False, rope_theta=1e6,
               pad_token_id=None, bos_token_id=1, eos_token_id=2)
# small versions for the fake-vs-real cross-check and for the real-tensor fallback
LLAMA_SMALL = dict(LLAMA, hidden_size=512, intermediate_size=1408, num_hidden_layers=4, num_attention_heads=8,
                   num_key_value_heads=2, vocab_size=8000)
MIXTRAL_SMALL = dict(MIXTRAL, hidden_size=512, intermediate_size=1024, num_hidden_layers=4, num_attention_heads=8,
                     num_key_value_heads=2, vocab_size=8000)

LLAMA_SHAPES = [(2, 1024), (1, 2048), (1, 4096)]  # (micro-batch, seq)
MIXTRAL_SHAPES = [(2, 1024)]
RECIPES = ["fp32_weights_autocast_bf16", "bf16_weights"]
OPTIMS = ["foreach", "fused"]
CKPT = [False, True]
ATTN = ["sdpa", "eager"]


# torch.optim.AdamW's implementations (torch/optim/adam.py): foreach=True -> _multi_tensor_adam,
# fused=True -> _fused_adam, foreach=False -> _single_tensor_adam (the for-loop)
OPTIM_ARGS = {"foreach": "AdamW(foreach=True)", "fused": "AdamW(fused=True)", "for_loop": "AdamW(foreach=False)"}


def make_optimizer(params, optim: str) -> torch.optim.AdamW:
    """AdamW(lr=1e-4) with the implementation `optim` names (a key of OPTIM_ARGS)."""
    if optim not in OPTIM_ARGS:
        raise ValueError(f"unknown AdamW implementation {optim!r}")
    if optim == "fused":
        return torch.optim.AdamW(params, lr=1e-4, fused=True)
    return torch.optim.AdamW(params, lr=1e-4, foreach=optim == "foreach")


def _key(k) -> str:
    return getattr(k, "value", str(k))


def _snap(s: dict) -> dict[str, int]:
    cpu = torch.device("cpu")
    return {_key(k): int(v) for k, v in s.get(cpu, {}).items()}


class PhaseMemTracker(MemTracker):
    """MemTracker that also records in which phase/module the running peak was reached."""

    def __init__(self) -> None:
        super().__init__()
        self.phase = "setup"
        self.peak_where: dict[str, Any] = {}
        self.phase_peaks: dict[str, dict[str, Any]] = {}

    def _update_peak_stats(self, peak_state) -> None:  # noqa: D401 - same contract as MemTracker
        before = dict(self._peak_mem)
        super()._update_peak_stats(peak_state)
        cpu = torch.device("cpu")
        cur = self._curr_mem_snap.get(cpu)
        if cur is None:
            return
        total = cur["Total"]
        pp = self.phase_peaks.get(self.phase)
        if pp is None or total > pp["total"]:
            self.phase_peaks[self.phase] = {"total": int(total), "snapshot": {_key(k): int(v) for k, v in cur.items()},
                                            "active_modules": sorted(self._mod_tracker.parents),
                                            "in_backward": bool(self._mod_tracker.is_bw)}
        if self._peak_mem.get(cpu) != before.get(cpu):
            self.peak_where = {"phase": self.phase, "active_modules": sorted(self._mod_tracker.parents),
                               "in_backward": bool(self._mod_tracker.is_bw), "in_optimizer_step": bool(self._in_opt),
                               "memtracker_peak_state": _key(peak_state)}


def build(cfg_kwargs: dict[str, Any], attn: str, recipe: str, experts_impl: str | None = None):
    import transformers

    kw = dict(cfg_kwargs)
    mt = kw.pop("model_type")
    cfg = transformers.AutoConfig.for_model(mt, **kw)
    cls = transformers.LlamaForCausalLM if mt == "llama" else transformers.MixtralForCausalLM
    extra = {}
    if experts_impl is not None:
        extra["experts_implementation"] = experts_impl
    dtype = torch.bfloat16 if recipe == "bf16_weights" else torch.float32
    model = cls._from_config(cfg, attn_implementation=attn, dtype=dtype, **extra)
    return model, cfg


def train_run(arch: str, cfg_kwargs: dict, mb: int, seq: int, recipe: str, optim: str, ckpt: bool, attn: str,
              fake: bool, experts_impl: str | None = None) -> dict[str, Any]:
    torch.manual_seed(0)
    mode = FakeTensorMode() if fake else contextlib.nullcontext()
    t0 = time.time()
    with mode:
        model, cfg = build(cfg_kwargs, attn, recipe, experts_impl)
        model.train()
        if ckpt:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        opt = make_optimizer(model.parameters(), optim)
        gen = None if fake else torch.Generator().manual_seed(1234)
        ids = torch.randint(0, cfg.vocab_size, (mb, seq), generator=gen)
        n_params = sum(p.numel() for p in model.parameters())
        mt = PhaseMemTracker()
        mt.track_external(model, opt, ids)
        snaps: dict[str, dict[str, int]] = {}
        autocast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if recipe == "fp32_weights_autocast_bf16" \
            else contextlib.nullcontext
        with mt:
            snaps["before_iter1"] = _snap(mt.get_tracker_snapshot("current"))
            for it in (1, 2):
                mt.phase = f"iter{it}.forward"
                with autocast():
                    loss = model(input_ids=ids, labels=ids).loss
                snaps[f"iter{it}.after_forward"] = _snap(mt.get_tracker_snapshot("current"))
                mt.phase = f"iter{it}.backward"
                loss.backward()
                del loss
                snaps[f"iter{it}.after_backward"] = _snap(mt.get_tracker_snapshot("current"))
                mt.phase = f"iter{it}.optimizer_step"
                opt.step()
                snaps[f"iter{it}.after_optimizer_step"] = _snap(mt.get_tracker_snapshot("current"))
                mt.phase = f"iter{it}.zero_grad"
                opt.zero_grad(set_to_none=True)
                snaps[f"iter{it}.after_zero_grad"] = _snap(mt.get_tracker_snapshot("current"))
                if it == 1:
                    # module-wise peaks of the second iteration (MemTracker refuses a 2nd root call otherwise)
                    mt.reset_mod_stats()
            peak = _snap(mt.get_tracker_snapshot("peak"))
        modules = _module_peaks(mt)
        opt_state_dtypes = sorted({str(v.dtype).replace("torch.", "") for st in opt.state.values()
                                   for v in st.values() if isinstance(v, torch.Tensor)})
    param_dtype = str(next(model.parameters()).dtype).replace("torch.", "")
    return {
        "arch": arch,
        "tensor_mode": "fake" if fake else "real",
        "config": {k: v for k, v in cfg_kwargs.items()},
        "num_params": n_params,
        "micro_batch": mb,
        "seq": seq,
        "recipe": recipe,
        "param_dtype": param_dtype,
        "optimizer": OPTIM_ARGS[optim],
        "optimizer_state_dtypes": opt_state_dtypes,
        "gradient_checkpointing": ckpt,
        "attn_implementation": model.config._attn_implementation,
        "experts_implementation": getattr(model.config, "_experts_implementation", None),
        "peak_bytes": peak.get("Total"),
        "peak_by_category": peak,
        "peak_reached_at": mt.peak_where,
        "peak_phase": mt.peak_where.get("phase"),
        "per_phase_peaks": mt.phase_peaks,
        "snapshots": snaps,
        "steady_state_after_iter1": {
            "params_bytes": snaps["iter1.after_zero_grad"].get("Parameter"),
            "buffers_bytes": snaps["iter1.after_zero_grad"].get("Buffer"),
            "optimizer_state_bytes": snaps["iter1.after_zero_grad"].get("Optstate"),
            "grads_bytes_after_backward_iter2": snaps["iter2.after_backward"].get("Gradient"),
            "other_bytes (input_ids)": snaps["iter1.after_zero_grad"].get("Other"),
            "activation_bytes_after_forward_iter2": snaps["iter2.after_forward"].get("Activation"),
        },
        "module_peaks_iter2": modules,
        "wall_seconds": round(time.time() - t0, 2),
    }


def _module_peaks(mt: MemTracker) -> dict[str, Any]:
    """Per-module local peaks (Peak-Forward / Peak-Backward) of iteration 2, depth <= 3 and layer 0 children."""
    out = {}
    for stats in mt.memory_tracking.values():
        fqn = stats.mod_fqn
        depth = fqn.count(".") + 1
        if depth > 4 and not fqn.startswith(fqn.split(".")[0] + ".model.layers.0."):
            continue
        entry = {}
        for state in ("Peak-Forward", "Peak-Backward"):
            for st, lst in stats.snapshots.items():
                if _key(st) == state and lst:
                    s = _snap(lst[-1])
                    entry[state] = s.get("Total")
        out[fqn] = entry
    return dict(sorted(out.items()))


def inference_run(arch: str, cfg_kwargs: dict, batch: int, prompt: int, new_tokens: int, attn: str,
                  fake: bool) -> dict[str, Any]:
    from transformers import DynamicCache

    torch.manual_seed(0)
    mode = FakeTensorMode() if fake else contextlib.nullcontext()
    t0 = time.time()
    with mode:
        model, cfg = build(cfg_kwargs, attn, "bf16_weights")
        model.eval()
        gen = None if fake else torch.Generator().manual_seed(1234)
        ids = torch.randint(0, cfg.vocab_size, (batch, prompt), generator=gen)
        mt = PhaseMemTracker()
        mt.track_external(model, ids)
        cache = DynamicCache(config=cfg)
        snaps = {}
        with mt, torch.no_grad():
            mt.phase = "prefill"
            out = model(input_ids=ids, past_key_values=cache, use_cache=True, logits_to_keep=1)
            nxt = out.logits[:, -1:].argmax(-1)
            del out
            snaps["after_prefill"] = _snap(mt.get_tracker_snapshot("current"))
            for step in range(new_tokens):
                mt.reset_mod_stats()
                mt.phase = f"decode{step + 1}"
                out = model(input_ids=nxt, past_key_values=cache, use_cache=True, logits_to_keep=1)
                nxt = out.logits[:, -1:].argmax(-1)
                del out
            snaps["after_decode"] = _snap(mt.get_tracker_snapshot("current"))
            peak = _snap(mt.get_tracker_snapshot("peak"))
        kv_bytes = 0
        kv_elems = 0
        kv_dtypes = set()
        for layer in cache.layers:
            for t in (layer.keys, layer.values):
                kv_bytes += t.untyped_storage().nbytes()
                kv_elems += t.numel()
                kv_dtypes.add(str(t.dtype).replace("torch.", ""))
        head_dim = cfg.hidden_size // cfg.num_attention_heads
        total_len = prompt + new_tokens
        expected = 2 * cfg.num_hidden_layers * batch * cfg.num_key_value_heads * total_len * head_dim * 2
    return {
        "arch": arch,
        "tensor_mode": "fake" if fake else "real",
        "config": dict(cfg_kwargs),
        "batch": batch,
        "prompt_tokens": prompt,
        "new_tokens": new_tokens,
        "param_dtype": "bfloat16",
        "attn_implementation": model.config._attn_implementation,
        "experts_implementation": getattr(model.config, "_experts_implementation", None),
        "cache": "DynamicCache",
        "logits_to_keep": 1,
        "peak_bytes": peak.get("Total"),
        "peak_by_category": peak,
        "peak_reached_at": mt.peak_where,
        "per_phase_peaks": mt.phase_peaks,
        "snapshots": snaps,
        "kv_cache_bytes_measured": kv_bytes,
        "kv_cache_elements": kv_elems,
        "kv_cache_dtypes": sorted(kv_dtypes),
        "kv_cache_bytes_formula_2_L_b_kvh_T_d_2": expected,
        "kv_cache_formula_matches": expected == kv_bytes,
        "notes": "logits_to_keep=1 (as generate() does): prefill computes logits only for the last position. "
                 "The KV cache is counted by MemTracker as Activation (tensors created in forward under no_grad).",
        "wall_seconds": round(time.time() - t0, 2),
    }


def main() -> None:
    quick = "--quick" in sys.argv
    runs: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    fallbacks: list[dict[str, str]] = []

    def attempt(tag: str, fn, *a, **kw):
        try:
            r = fn(*a, **kw)
            r["run_id"] = tag
            runs.append(r)
            print(f"{tag:85s} peak={r['peak_bytes']:>14,d} at {r.get('peak_phase') or r['peak_reached_at'].get('phase')}"
                  f" ({r['wall_seconds']}s)", flush=True)
            return r
        except Exception as exc:  # noqa: BLE001
            failures.append({"run_id": tag, "error": f"{type(exc).__name__}: {exc}",
                             "traceback_tail": traceback.format_exc().splitlines()[-3:]})
            print(f"{tag}: FAILED {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            return None

    # ---- Llama-style, fake tensors --------------------------------------------------------------------
    shapes = LLAMA_SHAPES[:1] if quick else LLAMA_SHAPES
    for (mb, seq), recipe, optim, ckpt, attn in itertools.product(shapes, RECIPES, OPTIMS, CKPT, ATTN):
        attempt(f"train llama mb={mb} seq={seq} {recipe} {optim} ckpt={ckpt} {attn} fake", train_run,
                "llama", LLAMA, mb, seq, recipe, optim, ckpt, attn, True)

    # ---- Mixtral-style MoE ------------------------------------------------------------------------------
    # bf16 weights: grouped_mm experts run under FakeTensorMode.
    # fp32 weights + autocast: transformers' default grouped_mm experts call torch._grouped_mm with fp32
    # operands (autocast does not cover it) and its fake/meta kernel only accepts bf16; the 'eager' experts
    # loop uses nonzero()/where() (data-dependent shapes -> DynamicOutputShapeException under FakeTensorMode);
    # 'batched_mm' gathers one weight matrix per token (not what a real run would use).  => real small tensors.
    for (mb, seq), optim, ckpt, attn in itertools.product(MIXTRAL_SHAPES, OPTIMS, CKPT, ATTN):
        attempt(f"train mixtral mb={mb} seq={seq} bf16_weights {optim} ckpt={ckpt} {attn} fake", train_run,
                "mixtral", MIXTRAL, mb, seq, "bf16_weights", optim, ckpt, attn, True)
    probe = attempt("probe mixtral autocast under fake (expected to fail)", train_run, "mixtral", MIXTRAL, 2, 1024,
                    "fp32_weights_autocast_bf16", "foreach", False, "sdpa", True)
    if probe is None:
        fallbacks.append({"case": "Mixtral fp32 weights + autocast bf16",
                          "reason": failures[-1]["error"],
                          "fallback": "real CPU tensors, MIXTRAL_SMALL config (hidden 512, 4 layers, 8 experts top-2, "
                                      "expert ffn 1024, vocab 8000), mb=2, seq=512, experts_implementation='eager' "
                                      "(and 'grouped_mm' where it runs)"})
        for optim, ckpt, impl in itertools.product(OPTIMS, CKPT, ["eager", "grouped_mm"]):
            attempt(f"train mixtral_small mb=2 seq=512 fp32_weights_autocast_bf16 {optim} ckpt={ckpt} sdpa "
                    f"experts={impl} REAL", train_run, "mixtral_small", MIXTRAL_SMALL, 2, 512,
                    "fp32_weights_autocast_bf16", optim, ckpt, "sdpa", False, impl)

    # ---- fake-vs-real cross-check (same small configs, same settings) -----------------------------------
    cross = []
    for arch, cfgk, recipe, impl in [("llama_small", LLAMA_SMALL, "fp32_weights_autocast_bf16", None),
                                     ("llama_small", LLAMA_SMALL, "bf16_weights", None),
                                     ("mixtral_small", MIXTRAL_SMALL, "bf16_weights", "grouped_mm")]:
        pair = {}
        for fake in (True, False):
            r = attempt(f"crosscheck {arch} mb=2 seq=512 {recipe} foreach ckpt=False sdpa "
                        f"{'fake' if fake else 'REAL'}", train_run, arch, cfgk, 2, 512, recipe, "foreach", False,
                        "sdpa", fake, impl)
            pair["fake" if fake else "real"] = None if r is None else r["peak_by_category"]
        if pair.get("fake") and pair.get("real"):
            pair["identical"] = pair["fake"] == pair["real"]
        cross.append({"arch": arch, "recipe": recipe, **pair})

    # ---- inference ----------------------------------------------------------------------------------------
    for arch, cfgk in [("llama", LLAMA), ("mixtral", MIXTRAL)]:
        for attn in ATTN:
            attempt(f"infer {arch} b=1 prompt=2048 new=8 bf16 {attn} fake", inference_run, arch, cfgk, 1, 2048, 8,
                    attn, True)
    r = attempt("infer llama_small b=2 prompt=512 new=8 bf16 sdpa REAL", inference_run, "llama_small", LLAMA_SMALL, 2,
                512, 8, "sdpa", False)
    r2 = attempt("infer llama_small b=2 prompt=512 new=8 bf16 sdpa fake", inference_run, "llama_small", LLAMA_SMALL, 2,
                 512, 8, "sdpa", True)
    if r and r2:
        cross.append({"arch": "llama_small inference", "real": r["peak_by_category"], "fake": r2["peak_by_category"],
                      "identical": r["peak_by_category"] == r2["peak_by_category"]})

    payload = {
        "provenance": _provenance.provenance(SCRIPT),
        "method": {
            "tracker": "torch.distributed._tools.mem_tracker.MemTracker (subclassed only to record the phase and "
                       "active modules when the running peak is raised, and per-phase peaks)",
            "categories": {"Parameter": "nn.Parameter storages", "Buffer": "module buffers (rotary inv_freq)",
                           "Gradient": "param.grad storages (re-labelled from Temp by MemTracker's grad hooks)",
                           "Activation": "storages created during forward (incl. autocast weight copies, loss, "
                                         "recomputation in checkpointed backward), and everything created under "
                                         "no_grad inference (incl. the KV cache)",
                           "Temp": "storages created during backward that are not gradients (activation grads, "
                                   "kernel workspaces)",
                           "Optstate": "optimizer state tensors (exp_avg, exp_avg_sq, step) and anything created "
                                       "inside optimizer.step()",
                           "Other": "track_external tensors (input_ids)"},
            "training_step": "2 iterations of: forward(input_ids, labels=input_ids) -> loss.backward() -> "
                             "opt.step() -> opt.zero_grad(set_to_none=True); MemTracker.reset_mod_stats() between "
                             "iterations (MemTracker refuses a second root call otherwise; global peak unaffected)",
            "fake_tensors": "model, optimizer and inputs created inside FakeTensorMode(); no real memory allocated. "
                            "Device is CPU, so kernel choice (e.g. SDPA) follows the CPU dispatch rules",
            "bf16_weights": "model built with dtype=torch.bfloat16 (model.to(bf16) is not possible on fake "
                            "parameters: nn.Module._apply cannot swap fake tensors); AdamW states are then bf16 too",
            "peak_phase": "phase label (iterN.forward/backward/optimizer_step/zero_grad) in effect when the global "
                          "peak was last raised; per_phase_peaks gives the max total inside each phase",
        },
        "runs": runs,
        "failures": failures,
        "fallbacks_to_real_tensors": fallbacks,
        "fake_vs_real_crosscheck": cross,
    }
    out = _provenance.data_path("peak_memory.json") if not quick else "/tmp/peak_memory.quick.json"
    _provenance.write_json(out, payload)
    print("wrote", out)


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
