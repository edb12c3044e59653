"""capplan's per-GPU model-state bytes under ZeRO-2/3 against DeepSpeed's own estimators.

The reference numbers are DeepSpeed 0.19.8's `estimate_zero2_model_states_mem_needs` and
`estimate_zero3_model_states_mem_needs`, called over a grid by
validation/measure_deepspeed_estimators.py and recorded in validation/data/deepspeed_estimators.json.
Which buffers the code keeps on the GPU, and where that differs from the estimators, is in
validation/framework_lifetimes.md (section 3). In short:

* ZeRO-2: the estimator's `2P + 18P/N` (no offload) and `2P` (offload_optimizer) are the code's
  model states at the optimizer step. capplan must equal them.
* ZeRO-3 with offload: the estimator's `4L + 2P/N` (optimizer) and `4L` (optimizer and params) are
  the code's persistent GPU state plus the largest layer's gathered 16-bit params and grads. capplan's
  model states must equal the part without `4L`.
* ZeRO-3 without offload: the code holds 2P/N more than the estimator's 18P/N. It keeps the 16-bit
  param partition, the 16-bit grad partition, fp32 master and Adam (16P/N), and at the step it adds
  the fp32 grad of one sub-group, 4 × min(P/N, sub_group_size = 1e9) (stage3.py
  `_prepare_fp32_grad_for_sub_group`). That is 20P/N up to P/N = 1e9.

"Model states" here are capplan's weights + gradients + master weights + optimizer states + the step's
temporaries, at the optimizer-step phase. A bare parameter count has no activations, so that phase is
the peak (the estimators leave out DeepSpeed's reduce bucket, so these specs set its size to 0; its own
test is below). N = num_gpus_per_node × num_nodes, which capplan states as `data = N` (one ZeRO group).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, compile_text, plan

DATA = json.loads((ROOT / "validation" / "data" / "deepspeed_estimators.json").read_text())
DEFAULTS = {k: v["default"] for k, v in DATA["zero_config_defaults"].items()}
SUB_GROUP = DEFAULTS["sub_group_size"]
STATE_KEYS = ("weights", "gradients", "master_weights", "optimizer_states", "temporary")

def _n(row) -> int:
    return row["num_gpus_per_node"] * row["num_nodes"]


def _name(total: int, n: int) -> str:
    return f"p{total}_n{n}"


def _spec(zero: int, offload: str, rows) -> str:
    """One file: a bare-parameter model per total and a training plan per (total, N) in `rows`."""
    totals = sorted({r["total_params"] for r in rows})
    pairs = sorted({(r["total_params"], _n(r)) for r in rows})
    out = [f"model m{t} {{ params = {t} param; layers = 32 }}" for t in totals]
    for total, n in pairs:
        out.append(f"""training {_name(total, n)} {{
  model = m{total}
  gpu = h100_sxm
  gpus = {n}
  precision = deepspeed_bf16
  seq_len = 512 tokens
  micro_batch = 1
  global_batch = {n}
  parallel {{ data = {n}; zero = {zero}; offload = {offload} }}
  framework {{ reduce_bucket_size = 0 }}  # the estimators leave the reduce bucket out
  require not fits or fits
}}""")
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def spec_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("ds")
    (root / "capplan.toml").write_text("")

    def write(name: str, text: str) -> Path:
        p = root / name
        p.write_text(text)
        return p

    write.root = root
    return write


_COMPILED: dict = {}


def _states(spec_dir, zero: int, offload: str, rows) -> dict:
    """(total, N) -> capplan's model-state bytes at the optimizer step, one compilation per case."""
    key = (zero, offload)
    if key not in _COMPILED:
        comp = compile_text(spec_dir, _spec(zero, offload, rows), name=f"z{zero}_{offload}.plan")
        assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
        out = {}
        for total, n in {(r["total_params"], _n(r)) for r in rows}:
            rank = plan(comp, _name(total, n))["ranks"][0]
            assert rank["peak_phase"] == "optimizer step", rank["peak_phase"]
            out[(total, n)] = sum(rank["memory"][k] for k in STATE_KEYS)
        _COMPILED[key] = out
    return _COMPILED[key]


def _rows(stage: str, **match):
    return [r for r in DATA[stage] if all(r[k] == v for k, v in match.items())]


def test_data_file_is_deepspeeds_own_output():
    prov = DATA["provenance"]
    assert prov["deepspeed_version"] == "0.19.8"
    assert prov["script"] == "validation/measure_deepspeed_estimators.py"
    assert DATA["functions"]["zero3"]["file"] == "deepspeed/runtime/zero/stage3.py"
    assert len(DATA["zero2"]) == 144 and len(DATA["zero3"]) == 1080


def test_zero2_no_offload_equals_the_estimator(spec_dir):
    rows = _rows("zero2", cpu_offload=False)
    got = _states(spec_dir, 2, "none", rows)
    for r in rows:
        assert got[(r["total_params"], _n(r))] == pytest.approx(r["gpu_bytes"], rel=1e-9, abs=4), r


def test_zero2_offload_optimizer_equals_the_estimator(spec_dir):
    rows = _rows("zero2", cpu_offload=True)
    got = _states(spec_dir, 2, "optimizer", rows)
    for r in rows:
        assert got[(r["total_params"], _n(r))] == pytest.approx(r["gpu_bytes"], rel=1e-9, abs=4), r


def _zero3_states(r) -> int:
    """The estimator's GPU bytes without its gathered largest layer (4 x largest_layer_params)."""
    return r["gpu_bytes"] - r["largest_layer_memory"]


def test_zero3_no_offload_holds_2p_over_n_more_than_the_estimator(spec_dir):
    """Up to P/N = sub_group_size: the estimator's 18P/N plus the 2P/N it omits (see the module doc)."""
    rows = [r for r in _rows("zero3", cpu_offload=False) if r["total_params"] / _n(r) <= SUB_GROUP]
    assert rows
    got = _states(spec_dir, 3, "none", _rows("zero3", cpu_offload=False))
    for r in rows:
        extra = 2 * r["total_params"] / _n(r)
        assert got[(r["total_params"], _n(r))] == pytest.approx(_zero3_states(r) + extra, rel=1e-9, abs=4), r


def test_zero3_no_offload_fp32_step_gradient_is_one_sub_group(spec_dir):
    """Above P/N = sub_group_size: 16P/N persistent (the estimator's 18P/N less its 4P/N fp32 grads, plus
    the omitted 2P/N) and one sub-group's fp32 gradient, 4 B x sub_group_size."""
    rows = [r for r in _rows("zero3", cpu_offload=False) if r["total_params"] / _n(r) > SUB_GROUP]
    assert rows
    got = _states(spec_dir, 3, "none", _rows("zero3", cpu_offload=False))
    for r in rows:
        per = r["total_params"] / _n(r)
        expected = _zero3_states(r) - 4 * per + 2 * per + 4 * SUB_GROUP
        assert got[(r["total_params"], _n(r))] == pytest.approx(expected, rel=1e-9, abs=4), r


def test_zero3_offload_optimizer_equals_the_estimator(spec_dir):
    rows = _rows("zero3", cpu_offload=True, cpu_offload_params=False)
    got = _states(spec_dir, 3, "optimizer", rows)
    for r in rows:
        assert got[(r["total_params"], _n(r))] == pytest.approx(_zero3_states(r), rel=1e-9, abs=4), r


def test_zero3_offload_optimizer_and_params_equals_the_estimator(spec_dir):
    rows = _rows("zero3", cpu_offload=True, cpu_offload_params=True)
    assert all(_zero3_states(r) == 0 for r in rows)
    got = _states(spec_dir, 3, "optimizer_and_params", rows)
    for r in rows:
        assert got[(r["total_params"], _n(r))] == pytest.approx(0.0, abs=4), r


@pytest.mark.parametrize("model", ["llama2_7b", "mistral_7b", "llama3_1_8b"])
def test_zero3_gathered_layers_between_deepspeeds_floor_and_cap(project, model):
    """ZeRO-3 with everything offloaded: the GPU holds only gathered parameters (and their grads in the
    backward). DeepSpeed's estimator counts the largest module gathered with its grad (4 B x L, L from
    the module sizes transformers builds, data/params.json). The code gathers at least that. It gathers
    at most `stage3_max_live_parameters` 16-bit params plus the largest module's 16-bit grad
    (partitioned_param_coordinator.py)."""
    arch = DATA["architectures"][model]
    row = _rows("zero3", total_params=arch["total_params"], largest_layer_params=arch["largest_layer_params"],
                num_gpus_per_node=8, num_nodes=1, cpu_offload=True, cpu_offload_params=True, zero_init=True)[0]
    floor = row["largest_layer_memory"]
    cap = 2 * DEFAULTS["max_live_parameters"] + 2 * arch["largest_layer_params"]
    text = f"""training t {{
  model = {model}
  gpu = h100_sxm
  gpus = 8
  precision = deepspeed_bf16
  seq_len = 64 tokens
  micro_batch = 1
  global_batch = 8
  parallel {{ data = 8; zero = 3; offload = optimizer_and_params }}
  require not fits or fits
}}
"""
    comp = compile_text(project, text)
    rank = plan(comp, "t")["ranks"][0]
    gathered = rank["memory"]["temporary"]
    assert floor <= gathered <= cap, (rank["peak_phase"], gathered, floor, cap)




@pytest.mark.parametrize("zero", [1, 2, 3])
def test_reduce_bucket_is_kept_under_zero3_and_backward_only_under_zero1_2(project, zero):
    """The ipg bucket: reduce_bucket_size (DeepSpeed's default, recorded in the data file) x 2 B of bf16
    gradients. stage3.py allocates it once and keeps it; stage_1_and_2.py allocates it for each backward
    and releases it after (validation/framework_lifetimes.md sec. 3)."""
    from capplan.engine.training import training_memory

    bucket = DEFAULTS["reduce_bucket_size"] * 2
    text = f"""training t {{
  model = llama2_7b
  gpu = h100_sxm
  gpus = 8
  precision = deepspeed_bf16
  seq_len = 1024 tokens
  micro_batch = 1
  global_batch = 8
  parallel {{ data = 8; zero = {zero} }}
  require not fits or fits
}}
"""
    comp = compile_text(project, text)
    assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
    (stage,) = training_memory(comp.workloads["t"])["stages"]
    for phase, parts in stage.phases.items():
        held = zero == 3 or phase.startswith("backward")
        assert parts["comm_buffers"] == pytest.approx(bucket if held else 0.0), (phase, parts)
