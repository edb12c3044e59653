"""DeepSpeed's own ZeRO memory estimators over a grid -> data/deepspeed_estimators.json.

Calls `estimate_zero2_model_states_mem_needs` (deepspeed/runtime/zero/stage_1_and_2.py) and
`estimate_zero3_model_states_mem_needs` (deepspeed/runtime/zero/stage3.py), the variants that take
parameter counts rather than a model, and records the CPU and GPU bytes they return for every grid
point, with the DeepSpeed version and the file and line of each function. Also records the ZeRO
config defaults (`DeepSpeedZeroConfig`) the findings in validation/framework_lifetimes.md use, and
`largest_layer_params` for a few catalog architectures, computed the way DeepSpeed's own
`model_to_params` does (the most parameters one module owns directly) from the parameter shapes
that measure_params.py recorded with transformers.

Needs DeepSpeed, which is not in the validation venv (see README.md, "DeepSpeed estimators"):

    python3 -m venv /work/.venv-ds
    /work/.venv-ds/bin/pip install torch==2.13.0
    DS_BUILD_OPS=0 /work/.venv-ds/bin/pip install deepspeed==0.19.8
    /work/.venv-ds/bin/python validation/measure_deepspeed_estimators.py
"""

from __future__ import annotations

import inspect
import itertools
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _provenance import data_path, provenance, write_json  # noqa: E402

TOTAL_PARAMS = (1_000_000_000, 3_000_000_000, 7_000_000_000, 13_000_000_000, 30_000_000_000, 70_000_000_000)
LARGEST_LAYER_DIVISORS = (50, 10)      # largest_layer_params = total / divisor
GPUS_PER_NODE = (1, 2, 4, 8)
NODES = (1, 2, 4)
BOOLS = (False, True)
# Catalog architectures whose largest module the tests need (names as in data/params.json).
ARCHITECTURES = {"Llama-2-7B": "llama2_7b", "Llama-3.1-8B": "llama3_1_8b", "Mistral-7B-v0.1": "mistral_7b"}
ZERO_DEFAULTS = ("reduce_bucket_size", "allgather_bucket_size", "contiguous_gradients", "overlap_comm",
                 "sub_group_size", "prefetch_bucket_size", "param_persistence_threshold",
                 "max_live_parameters", "max_reuse_distance")


def _where(fn) -> dict:
    lines, first = inspect.getsourcelines(fn)
    path = inspect.getsourcefile(fn)
    rel = path[path.index("deepspeed" + os.sep):] if "deepspeed" + os.sep in path else path
    return {"function": fn.__name__, "file": rel.replace(os.sep, "/"), "first_line": first,
            "last_line": first + len(lines) - 1, "signature": str(inspect.signature(fn))}


def _plain(v):
    """pydantic's pp_int prints with thousands separators; store plain JSON numbers and bools."""
    return v if isinstance(v, (bool, type(None))) else int(v)


def zero_defaults() -> dict:
    from deepspeed.runtime.zero.config import DeepSpeedZeroConfig

    out = {}
    for name in ZERO_DEFAULTS:
        f = DeepSpeedZeroConfig.model_fields[name]
        out[name] = {"default": _plain(f.default), "config_key": f.alias or name}
    # overlap_comm defaults to None and a validator sets it from the stage
    out["overlap_comm"]["resolved"] = {str(s): DeepSpeedZeroConfig(stage=s).overlap_comm for s in (1, 2, 3)}
    return out


def largest_modules() -> dict:
    """Per architecture: total parameters and the most parameters one module owns directly."""
    with open(data_path("params.json"), encoding="utf-8") as fh:
        models = json.load(fh)["models"]
    out = {}
    for name, catalog in ARCHITECTURES.items():
        m = models[name]
        per_module: dict[str, int] = {}
        for pname, shape, _ in m["layer0_parameter_shapes"] + m["non_layer_parameter_shapes"]:
            n = 1
            for d in shape:
                n *= d
            module = pname.rsplit(".", 1)[0]
            per_module[module] = per_module.get(module, 0) + n
        module, numel = max(per_module.items(), key=lambda kv: kv[1])
        out[catalog] = {"params_json_name": name, "total_params": m["total_params"],
                        "largest_layer_params": numel, "largest_module": module}
    return out


def main() -> None:
    import deepspeed
    from deepspeed.runtime.zero.stage3 import estimate_zero3_model_states_mem_needs as zero3
    from deepspeed.runtime.zero.stage_1_and_2 import estimate_zero2_model_states_mem_needs as zero2

    z2 = []
    for total, gpn, nodes, off in itertools.product(TOTAL_PARAMS, GPUS_PER_NODE, NODES, BOOLS):
        cpu, gpu = zero2(total, num_gpus_per_node=gpn, num_nodes=nodes, cpu_offload=off)
        z2.append({"total_params": total, "num_gpus_per_node": gpn, "num_nodes": nodes, "cpu_offload": off,
                   "cpu_bytes": cpu, "gpu_bytes": gpu})
    archs = largest_modules()
    points = [(t, t // d) for t in TOTAL_PARAMS for d in LARGEST_LAYER_DIVISORS]
    points += [(a["total_params"], a["largest_layer_params"]) for a in archs.values()]
    z3 = []
    for (total, largest), gpn, nodes, off, off_p, zinit in itertools.product(
            points, GPUS_PER_NODE, NODES, BOOLS, BOOLS, BOOLS):
        if off_p and not off:
            continue  # the function reads cpu_offload_params only under cpu_offload
        cpu, gpu, layer = zero3(total, largest, num_gpus_per_node=gpn, num_nodes=nodes, cpu_offload=off,
                                cpu_offload_params=off_p, zero_init=zinit)
        z3.append({"total_params": total, "largest_layer_params": largest, "num_gpus_per_node": gpn,
                   "num_nodes": nodes, "cpu_offload": off, "cpu_offload_params": off_p, "zero_init": zinit,
                   "cpu_bytes": cpu, "gpu_bytes": gpu, "largest_layer_memory": int(layer)})
    prov = provenance("validation/measure_deepspeed_estimators.py")
    prov["deepspeed_version"] = deepspeed.__version__
    prov["deepspeed_install"] = "DS_BUILD_OPS=0 pip install deepspeed==0.19.8 (no compiled ops; the estimators are pure Python)"
    payload = {
        "provenance": prov,
        "method": ("Each row is the return value of DeepSpeed's estimator for the arguments in the row "
                   "(additional_buffer_factor left at its default 1.5). Bytes, per GPU (gpu_bytes) and per "
                   "node (cpu_bytes). zero3 rows with cpu_offload_params but no cpu_offload are skipped: "
                   "the function reads cpu_offload_params only under cpu_offload."),
        "functions": {"zero2": _where(zero2), "zero3": _where(zero3)},
        "zero_config_defaults": zero_defaults(),
        "architectures": archs,
        "zero2": z2,
        "zero3": z3,
    }
    write_json(data_path("deepspeed_estimators.json"), payload)
    print(f"zero2: {len(z2)} points, zero3: {len(z3)} points -> {data_path('deepspeed_estimators.json')}")


if __name__ == "__main__":
    main()
