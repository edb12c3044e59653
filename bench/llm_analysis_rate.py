"""llm-analysis's time per layout, run in the benchmark's own environment (bench/.venv-bench).

Reads on stdin a JSON document written by bench/search.py: the model's dimensions, the plan's
batch and sequence length, and a list of layouts (tensor, pipeline, data, context, zero,
recompute, micro_batch); evaluates each layout once through llm-analysis's Python API
(`LLMAnalysis(...).training(...)`, PyPI `llm-analysis`, https://github.com/cli99/llm-analysis);
prints a JSON document: layouts evaluated, how many llm-analysis completed (it rejects some
layouts by raising; those are timed too), and the seconds they took together.

llm-analysis asserts that the FFN width is a multiple of the hidden size; Llama-3.1-70B's 28,672 is
3.5 x 8,192, so the model is given ffn = 3 x hidden: this comparison measures speed, not figures.
"""

from __future__ import annotations

import json
import logging
import sys
import time


def main() -> int:
    job = json.load(sys.stdin)
    logging.disable(logging.CRITICAL)  # llm-analysis logs every layout at INFO and above
    from llm_analysis.analysis import ActivationRecomputation, DSZeRO, LLMAnalysis
    from llm_analysis.config import ModelConfig, ParallelismConfig, get_dtype_config_by_name, get_gpu_config_by_name

    m = job["model"]
    model = ModelConfig(name=m["name"], num_layers=m["layers"], n_head=m["heads"], hidden_dim=m["hidden"],
                        vocab_size=m["vocab"], max_seq_len=m["max_seq"], num_key_value_heads=m["kv_heads"],
                        ffn_embed_dim=(m["ffn"] // m["hidden"]) * m["hidden"])
    gpu = get_gpu_config_by_name(job["gpu"])
    dtype = get_dtype_config_by_name(job["dtype"])
    recompute = {"none": ActivationRecomputation.NONE, "selective": ActivationRecomputation.SELECTIVE,
                 "full": ActivationRecomputation.FULL}
    zero = [DSZeRO.NONE, DSZeRO.STAGE_1, DSZeRO.STAGE_2, DSZeRO.STAGE_3]
    completed = 0
    start = time.perf_counter()
    for lay in job["layouts"]:
        par = ParallelismConfig(tp_size=lay["tensor"], pp_size=lay["pipeline"],
                                dp_size=lay["data"] * lay["context"])
        try:
            LLMAnalysis(model, gpu, dtype, par).training(
                batch_size_per_gpu=lay["micro_batch"], global_batch_size=job["global_batch"],
                seq_len=job["seq_len"], activation_recomputation=recompute[lay["recompute"]],
                ds_zero=zero[lay["zero"]], flash_attn=True, mlp_gated_linear_units=True)
            completed += 1
        except Exception:  # noqa: BLE001 - llm-analysis rejects some layouts by raising; still timed
            pass
    seconds = time.perf_counter() - start
    from importlib.metadata import version

    json.dump({"evaluated": len(job["layouts"]), "completed": completed, "seconds": seconds,
               "version": version("llm-analysis")}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
