"""Peak memory of inference recipes beyond vLLM-style generation, measured with MemTracker.

Recipes (transformers 5.23 LlamaForCausalLM, bf16 weights, under FakeTensorMode, on CPU):

* ``forward``: one ``model(input_ids)`` pass under ``torch.no_grad()`` that keeps the logits of every
  position (scoring, evaluation, perplexity), with ``use_cache`` at transformers' default (the config's
  ``use_cache = True``: LlamaModel.forward builds a DynamicCache) and with ``use_cache=False``; and with
  ``labels`` (the loss: ForCausalLMLoss upcasts the logits to fp32, transformers/loss/loss_utils.py).
* ``dynamic``: prefill + greedy decode with a ``DynamicCache`` (cache_utils.DynamicLayer.update concatenates
  old and new keys/values with torch.cat at every step), ``logits_to_keep=1`` as generate() does.
* ``static``: the same with a ``StaticCache(max_cache_len = prompt + new tokens)``: the cache is allocated
  whole at the first update (StaticLayer.lazy_initialization) and written in place (index_copy_).
* ``prefill``: the dynamic recipe with no new token (prefill only).

The shared helpers (model construction, the phase-aware MemTracker, snapshots) are imported from
measure_peak_memory.py. Run from the repository root:

    /work/.venv-val/bin/python validation/measure_inference_recipes.py

Writes validation/data/inference_recipes.json (sorted keys, indent 1).
"""

from __future__ import annotations

import contextlib
import sys
import time
import traceback
from typing import Any

import torch
from torch._subclasses.fake_tensor import FakeTensorMode

import _provenance
from measure_peak_memory import LLAMA, LLAMA_SMALL, PhaseMemTracker, _snap, build

SCRIPT = "validation/measure_inference_recipes.py"
ATTN = ["sdpa", "eager"]
# (batch, prompt tokens, new tokens)
FORWARD_SHAPES = [(1, 1024), (2, 1024), (1, 2048), (4, 512)]
# the last shape is decode-bound: the cache grown by 64 steps outweighs the prefill's activations
DECODE_SHAPES = [(1, 1024, 16), (2, 1024, 16), (1, 2048, 8), (4, 512, 32), (8, 32, 64)]
# DynamicCache only: decode-bound with 255 cached tokens at the last step, where half a layer's cache (the
# values torch.cat copies) outweighs the fp32 logits (2 x 255 x 1 KiB > 2 x 32000 x 6 B)
CAT_SHAPES = [(2, 96, 160)]


def _kv_bytes(cache) -> int:
    total = 0
    for layer in cache.layers:
        for t in (layer.keys, layer.values):
            total += t.untyped_storage().nbytes()
    return total


def forward_run(arch: str, cfg_kwargs: dict, batch: int, prompt: int, attn: str, loss: bool,
                use_cache: bool | None, fake: bool) -> dict[str, Any]:
    """One no-grad forward keeping every position's logits (and the loss when `loss`)."""
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
        kw: dict[str, Any] = {"input_ids": ids}
        if loss:
            kw["labels"] = ids
        if use_cache is not None:
            kw["use_cache"] = use_cache
        with mt, torch.no_grad():
            mt.phase = "forward"
            out = model(**kw)
            snaps = {"after_forward": _snap(mt.get_tracker_snapshot("current"))}
            logits_dtype = str(out.logits.dtype).replace("torch.", "")
            logits_bytes = out.logits.untyped_storage().nbytes()
            cache = out.past_key_values
            kv = _kv_bytes(cache) if cache is not None else 0
            del out
            peak = _snap(mt.get_tracker_snapshot("peak"))
    return {
        "arch": arch, "recipe": "forward_loss" if loss else "forward", "tensor_mode": "fake" if fake else "real",
        "config": dict(cfg_kwargs), "batch": batch, "prompt_tokens": prompt, "new_tokens": 0,
        "param_dtype": "bfloat16", "attn_implementation": model.config._attn_implementation,
        "use_cache": use_cache, "use_cache_effective": cache is not None,
        "cache": "DynamicCache" if cache is not None else None, "logits_to_keep": 0,
        "logits_dtype": logits_dtype, "logits_bytes": logits_bytes, "kv_cache_bytes_measured": kv,
        "peak_bytes": peak.get("Total"), "peak_by_category": peak, "peak_reached_at": mt.peak_where,
        "per_phase_peaks": mt.phase_peaks, "snapshots": snaps, "wall_seconds": round(time.time() - t0, 2),
    }


def _greedy(out) -> torch.Tensor:
    """The next tokens as generate() picks them greedily: an fp32 copy of the last logits while the model's
    output is still alive (transformers 5.23 generation/utils.py, GenerationMixin._sample:
    outputs.logits[:, -1].to(copy=True, dtype=torch.float32)), then argmax."""
    scores = out.logits[:, -1].to(copy=True, dtype=torch.float32)
    return scores.argmax(-1, keepdim=True)


def decode_run(arch: str, cfg_kwargs: dict, batch: int, prompt: int, new_tokens: int, attn: str, cache_kind: str,
               fake: bool) -> dict[str, Any]:
    """Prefill + greedy decode (logits_to_keep=1) with a DynamicCache or a StaticCache."""
    from transformers import DynamicCache, StaticCache

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
        if cache_kind == "static":
            cache = StaticCache(config=cfg, max_cache_len=prompt + new_tokens)
        else:
            cache = DynamicCache(config=cfg)
        snaps = {}
        with mt, torch.no_grad():
            mt.phase = "prefill"
            out = model(input_ids=ids, past_key_values=cache, use_cache=True, logits_to_keep=1)
            nxt = _greedy(out)
            del out  # generate() deletes its outputs at the end of each step
            snaps["after_prefill"] = _snap(mt.get_tracker_snapshot("current"))
            for step in range(new_tokens):
                mt.reset_mod_stats()
                mt.phase = f"decode{step + 1}"
                out = model(input_ids=nxt, past_key_values=cache, use_cache=True, logits_to_keep=1)
                nxt = _greedy(out)
                del out
            snaps["after_decode"] = _snap(mt.get_tracker_snapshot("current"))
            peak = _snap(mt.get_tracker_snapshot("peak"))
        kv = _kv_bytes(cache)
    decode_peak = max((v["total"] for k, v in mt.phase_peaks.items() if k.startswith("decode")), default=None)
    return {
        "arch": arch, "recipe": "prefill" if new_tokens == 0 else cache_kind, "tensor_mode": "fake" if fake else "real",
        "config": dict(cfg_kwargs), "batch": batch, "prompt_tokens": prompt, "new_tokens": new_tokens,
        "param_dtype": "bfloat16", "attn_implementation": model.config._attn_implementation,
        "cache": "StaticCache" if cache_kind == "static" else "DynamicCache", "logits_to_keep": 1,
        "kv_cache_bytes_measured": kv, "peak_bytes": peak.get("Total"), "peak_by_category": peak,
        "peak_reached_at": mt.peak_where, "per_phase_peaks": {k: v for k, v in mt.phase_peaks.items()
                                                              if k in ("prefill", f"decode{new_tokens}")},
        "prefill_peak_bytes": mt.phase_peaks.get("prefill", {}).get("total"), "decode_peak_bytes": decode_peak,
        "snapshots": snaps, "wall_seconds": round(time.time() - t0, 2),
    }


def main() -> None:
    quick = "--quick" in sys.argv
    runs: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []

    def attempt(tag: str, fn, *a) -> dict[str, Any] | None:
        try:
            r = fn(*a)
        except Exception as exc:  # noqa: BLE001 - recorded in the data file
            failures.append({"run_id": tag, "error": f"{type(exc).__name__}: {exc}",
                             "traceback_tail": traceback.format_exc().splitlines()[-3:]})
            print(f"{tag}: FAILED {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            return None
        r["run_id"] = tag
        runs.append(r)
        print(f"{tag:70s} peak={r['peak_bytes']:>14,d} at {r['peak_reached_at'].get('phase')} "
              f"({r['wall_seconds']}s)", flush=True)
        return r

    fshapes = FORWARD_SHAPES[:1] if quick else FORWARD_SHAPES
    dshapes = DECODE_SHAPES[:1] if quick else DECODE_SHAPES
    for attn in ATTN:
        for b, s in fshapes:
            for loss in (False, True):
                for use_cache in (None, False):
                    name = "forward_loss" if loss else "forward"
                    attempt(f"{name} llama b={b} prompt={s} use_cache={use_cache} {attn} fake", forward_run,
                            "llama", LLAMA, b, s, attn, loss, use_cache, True)
        for b, s, n in dshapes:
            for kind in ("dynamic", "static"):
                attempt(f"{kind} llama b={b} prompt={s} new={n} {attn} fake", decode_run, "llama", LLAMA, b, s, n,
                        attn, kind, True)
        for b, s, n in ([] if quick else CAT_SHAPES):
            attempt(f"dynamic llama b={b} prompt={s} new={n} {attn} fake", decode_run, "llama", LLAMA, b, s, n, attn,
                    "dynamic", True)
        b, s, _ = dshapes[0]
        attempt(f"prefill llama b={b} prompt={s} new=0 {attn} fake", decode_run, "llama", LLAMA, b, s, 0, attn,
                "dynamic", True)

    # fake-vs-real cross-check on the small Llama: fake tensors count what real ones hold
    cross = []
    for tag, fn, args in [("forward_loss", forward_run, (2, 256, "sdpa", True, None)),
                          ("static", decode_run, (2, 256, 4, "sdpa", "static"))]:
        pair = {}
        for fake in (True, False):
            r = attempt(f"crosscheck {tag} llama_small {'fake' if fake else 'REAL'}", fn, "llama_small", LLAMA_SMALL,
                        *args, fake)
            pair["fake" if fake else "real"] = None if r is None else r["peak_by_category"]
        if pair.get("fake") and pair.get("real"):
            pair["identical"] = pair["fake"] == pair["real"]
        cross.append({"recipe": tag, **pair})

    payload = {
        "provenance": _provenance.provenance(SCRIPT),
        "method": {
            "tracker": "measure_peak_memory.PhaseMemTracker (MemTracker recording the phase of the running peak)",
            "forward": "model(input_ids[, labels][, use_cache]) under torch.no_grad(); the output (full logits, "
                       "the cache when built) is alive when the peak snapshot is taken",
            "decode": "prefill with logits_to_keep=1, then new_tokens greedy steps, each with one token and "
                      "logits_to_keep=1; the next token is picked as generate() does: an fp32 copy of the last "
                      "logits (the model's output still alive), then argmax",
            "categories": "Parameter (weights), Buffer (rotary inv_freq), Other (input_ids), Activation "
                          "(everything created in forward under no_grad: the KV cache, activations, logits)",
        },
        "runs": runs,
        "failures": failures,
        "fake_vs_real_crosscheck": cross,
    }
    out = _provenance.data_path("inference_recipes.json") if not quick else "/tmp/inference_recipes.quick.json"
    _provenance.write_json(out, payload)
    print("wrote", out)


if __name__ == "__main__":
    main()
