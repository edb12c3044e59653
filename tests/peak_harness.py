"""Build a capplan spec for each MemTracker run of validation/data/peak_memory.json (test helper)."""

from __future__ import annotations

import json
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "validation"))
from spec_builder import model_block, training_plan  # noqa: E402

DATA = json.loads((ROOT / "validation" / "data" / "peak_memory.json").read_text())


def training_runs() -> list[dict]:
    return [r for r in DATA["runs"] if r["run_id"].startswith("train") and r.get("tensor_mode") == "fake"
            and r.get("experts_implementation", "grouped_mm") in ("grouped_mm", "eager")
            and r["arch"] in ("llama", "mixtral", "mixtral_small")]


def spec_for(run: dict, first_step: bool = False) -> str:
    return model_block(run["config"]) + training_plan("t", run, allocator_overhead=False, require_fits=True,
                                                      first_step=first_step)


def inference_runs() -> list[dict]:
    return [r for r in DATA["runs"] if r["run_id"].startswith("infer")]


RECIPE_CACHE = {"static": "static", "dynamic": "dynamic", "prefill": "dynamic"}


def inference_spec_for(run: dict) -> str:
    """A generation plan for a prefill + decode run (DynamicCache unless the run's recipe says static)."""
    return model_block(run["config"]) + f"""
inference i {{
  model         = m
  gpu           = big
  gpus          = 1
  weights       = bf16
  prompt        = {run['prompt_tokens']} tokens
  output        = {run['new_tokens']} tokens
  batch         = {run['batch']}
  cache         = {RECIPE_CACHE.get(run.get('recipe'), 'dynamic')}
  memory_utilization = 100 %
  framework {{ attention = {run['attn_implementation']}; cuda_context = 0 B }}
}}
"""
